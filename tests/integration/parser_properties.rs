//! Properties both note parsers keep on any input: no panic, cards in source order, and each
//! card's line holding its question.

use proptest::prelude::*;
use recall::notes::{Options, markdown, text};

/// Lines that exercise the rules: headings, questions with and without remarks, bullets,
/// Markdown blocks, unsure marks, odd line endings, and the card syntax beyond questions.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Lecture 1 - Intro".to_string()),
        Just("Readings".to_string()),
        Just("What is X?".to_string()),
        Just("Why? (important)".to_string()),
        Just("How? - two words".to_string()),
        Just("So? Yes, this is far too long to be a remark.".to_string()),
        Just("- bullet?".to_string()),
        Just("It is late (?) - hard".to_string()),
        Just("# Deck".to_string()),
        Just("## Section".to_string()),
        Just("### What is Y?".to_string()),
        Just("Setext?".to_string()),
        Just("====".to_string()),
        Just("----".to_string()),
        Just("```".to_string()),
        Just("> quote?".to_string()),
        Just("| a | b? |".to_string()),
        Just("|---|---|".to_string()),
        Just("[^1]: note?".to_string()),
        Just("---".to_string()),
        Just("<div>".to_string()),
        Just("    indented?".to_string()),
        Just("?".to_string()),
        Just("??".to_string()),
        Just("Term :: definition".to_string()),
        Just("- **Front**::back ::: more".to_string()),
        Just("The {{c1::stack}} and {{c2::heap::hint}} {{c1::".to_string()),
        Just("A ==highlight== and ** bold** $a == b$".to_string()),
        Just("<!-- a :: b".to_string()),
        Just("-->".to_string()),
        Just("<!--SR:!2025-02-30,4,230!2025-01-01,3,250-->".to_string()),
        Just("#flashcards/a/b".to_string()),
        Just("It costs $5 and $10 :: `x :: y` http://a::b".to_string()),
        Just("![img](x.png) ![[embed]]".to_string()),
        Just(String::new()),
        "[a-z?()*#>`|\\- ]{0,20}",
        any::<String>(),
    ]
}

fn document() -> impl Strategy<Value = String> {
    let ending = prop_oneof![Just("\n"), Just("\r\n"), Just("\r")];
    prop::collection::vec((fragment(), ending), 0..40)
        .prop_map(|parts| parts.into_iter().map(|(line, end)| line + end).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn plain_text_cards_are_in_order_and_on_their_lines(doc in document()) {
        prop_assert_eq!(crate::notes_invariants::check_text(&doc, &Options::default()), Ok(()));
    }

    #[test]
    fn markdown_cards_are_in_order_and_on_their_lines(doc in document()) {
        prop_assert_eq!(crate::notes_invariants::check_markdown(&doc, &Options::default()), Ok(()));
    }

    #[test]
    fn neither_parser_panics_on_arbitrary_text(doc in any::<String>()) {
        let _ = text::parse(&doc, "file", &Options::default());
        let _ = markdown::parse(&doc, "file", &Options::default());
    }
}

/// Every input the fuzzer found, kept as a seed of its corpus, holds the invariants: the
/// findings stay fixed without running the fuzzer.
#[test]
fn the_markdown_fuzz_findings_hold() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/parse_markdown");
    let mut seeds = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        assert_eq!(
            crate::notes_invariants::check_markdown(text, &Options::default()),
            Ok(()),
            "{}",
            path.display()
        );
        seeds += 1;
    }
    assert!(seeds >= 5, "the seeds are in {}", corpus.display());
}

/// The seeds of the fuzz targets for the new syntax (a finding among them), in every variant
/// the targets read them, hold the invariants: the findings stay fixed without the fuzzer.
#[test]
fn the_obsidian_and_cloze_fuzz_seeds_hold() {
    let corpora = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let mut seeds = 0;
    for target in ["parse_obsidian", "parse_cloze"] {
        for entry in std::fs::read_dir(corpora.join(target)).unwrap() {
            let path = entry.unwrap().path();
            let is_seed = path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("seed-"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if !is_seed {
                continue;
            }
            // As the targets expand an input starting with a digit.
            let text = match text.as_bytes().first() {
                Some(&digit @ b'0'..=b'9') => text[1..].repeat(usize::from(digit - b'0') * 100),
                _ => text,
            };
            for tag in ["", "#flashcards/fuzz\n"] {
                let notes = format!("{tag}{text}");
                for bold_cloze in [false, true] {
                    let options = Options {
                        headings: Vec::new(),
                        bold_cloze,
                    };
                    for checked in [
                        crate::notes_invariants::check_markdown(&notes, &options),
                        crate::notes_invariants::check_text(&notes, &options),
                    ] {
                        assert_eq!(checked, Ok(()), "{}", path.display());
                    }
                }
            }
            seeds += 1;
        }
    }
    assert!(seeds >= 10, "the seeds are in {}", corpora.display());
}
