//! Properties both note parsers keep on any input: no panic, cards in source order, and each
//! card's line holding its question.

use proptest::prelude::*;
use recall::notes::{lines, markdown, text};

/// Lines that exercise the rules: headings, questions with and without remarks, bullets,
/// Markdown blocks, unsure marks and odd line endings.
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
        let notes = text::parse(&doc, "file", &[]);
        let source: Vec<&str> = lines(&doc).collect();
        for pair in notes.cards.windows(2) {
            prop_assert!(pair[0].line < pair[1].line);
        }
        for card in &notes.cards {
            prop_assert!(source[card.line - 1].trim().starts_with(&card.question));
            prop_assert!(!card.answer.trim().is_empty());
        }
    }

    #[test]
    fn markdown_cards_are_in_order_and_on_their_lines(doc in document()) {
        let notes = markdown::parse(&doc, "file");
        let source: Vec<&str> = lines(&doc).collect();
        for pair in notes.cards.windows(2) {
            prop_assert!(pair[0].line < pair[1].line);
        }
        for (at, card) in notes.cards.iter().enumerate() {
            // The question is read from its line on (inline code may run over a line break) within
            // its block: its first word is there, or, when it was kept as text without the markup of
            // its source, the letters of its first word are, in order. A question without ASCII
            // letters or digits (fuzz noise: markup, HTML and NULs dropped or replaced) passes.
            let next = notes.cards.get(at + 1).map_or(source.len(), |next| next.line - 1);
            // Up to the end of the question's block (a blank line), which holds no answer text.
            let block_end = (card.line..next).find(|&i| source[i].trim().is_empty()).unwrap_or(next);
            let block = source[card.line - 1..block_end].join("\n");
            let first_word = card.question.split_whitespace().next().unwrap_or_default();
            let first_text = card.question.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()).unwrap_or_default();
            let block_text: String = block.chars().filter(char::is_ascii_alphanumeric).collect();
            let mut block_letters = block_text.chars();
            let letters_match = first_text.chars().all(|c| block_letters.any(|b| b == c));
            prop_assert!(block.contains(first_word) || letters_match, "line {} {:?} {:?}", card.line, block, card.question);
            prop_assert!(!card.answer.trim().is_empty());
        }
    }

    #[test]
    fn neither_parser_panics_on_arbitrary_text(doc in any::<String>()) {
        let _ = text::parse(&doc, "file", &[]);
        let _ = markdown::parse(&doc, "file");
    }
}
