//! Properties of notes built at random from the card syntax beyond questions: the number of
//! cards is what the syntax defines, no answer holds a separator line or an HTML comment, a
//! cloze's answer is its text without the markers, and malformed markers are never dropped.

use proptest::prelude::*;
use recall::notes::{Notes, Options, markdown, text};

/// One block of notes (written under a heading of its own, so no answer runs into it).
#[derive(Debug, Clone)]
enum Block {
    OneLine {
        front: String,
        back: String,
        reversed: bool,
        bullet: bool,
        progress: bool,
    },
    MultiLine {
        front: Vec<String>,
        back: Vec<String>,
        reversed: bool,
        progress: bool,
    },
    /// Words, some of them Anki deletions with their number.
    Anki(Vec<(String, Option<u32>)>),
    /// Words, some of them highlights (Markdown only).
    Highlights(Vec<(String, bool)>),
    Question {
        subject: String,
        answer: String,
    },
    /// A line that looks like syntax but is none: it must come out as text.
    Malformed(&'static str),
    /// Card syntax inside a fence (or, in Markdown, a comment): no card.
    Inert {
        comment: bool,
    },
}

const MALFORMED: [&str; 10] = [
    "Broken {{c1::never closed",
    "A zero {{c0::number}} here",
    "A letter {{cX::number}} here",
    "We use std::vector and a::b and fe80::1",
    "It costs $5 and $10 in total",
    "If a == b == c then",
    "x :: Int",
    "Code `a :: b` and http://x::y",
    "Math $a :: b$ and $c == d$",
    "status:: done",
];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "stack", "heap", "thread", "kernel", "page", "cache", "mutex", "socket", "inode", "pipe",
    ])
    .prop_map(str::to_string)
}

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(word(), range).prop_map(|words| words.join(" "))
}

fn block(markdown: bool) -> impl Strategy<Value = Block> {
    let one_line = (
        words(1..4),
        words(1..5),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(front, back, reversed, bullet, progress)| Block::OneLine {
            front,
            back,
            reversed,
            bullet,
            progress,
        });
    let multi_line = (
        prop::collection::vec(words(1..4), 1..3),
        prop::collection::vec(words(1..4), 1..4),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(front, back, reversed, progress)| Block::MultiLine {
            front,
            back,
            reversed,
            progress,
        });
    let anki = prop::collection::vec((word(), prop::option::weighted(0.4, 1u32..4)), 1..8)
        .prop_filter("a deletion", |parts| parts.iter().any(|(_, n)| n.is_some()))
        .prop_map(Block::Anki);
    let highlights = prop::collection::vec((word(), prop::bool::weighted(0.4)), 1..8)
        .prop_filter("a highlight", |parts| parts.iter().any(|(_, h)| *h))
        .prop_map(Block::Highlights);
    let question = (word(), words(1..6)).prop_map(|(subject, answer)| Block::Question { subject, answer });
    let malformed = prop::sample::select(MALFORMED.to_vec()).prop_map(Block::Malformed);
    let inert = any::<bool>().prop_map(move |comment| Block::Inert {
        comment: comment && markdown,
    });
    if markdown {
        prop_oneof![one_line, multi_line, anki, highlights, question, malformed, inert].boxed()
    } else {
        prop_oneof![one_line, multi_line, anki, question, malformed, inert].boxed()
    }
}

/// The notes of `blocks` and the cards they define.
fn notes(blocks: &[Block], markdown: bool) -> (String, usize) {
    let mut text = String::from(if markdown { "# Deck\n\n" } else { "Deck\n\n" });
    let mut cards = 0;
    for (n, block) in blocks.iter().enumerate() {
        text.push_str(&if markdown {
            format!("## Part {n}\n\n")
        } else {
            format!("Lecture {n}\n\n")
        });
        let progress = |count: usize| {
            let groups = "!2025-05-11,3,250".repeat(count);
            format!("<!--SR:{groups}-->")
        };
        match block {
            Block::OneLine {
                front,
                back,
                reversed,
                bullet,
                progress: with_progress,
            } => {
                let marker = if *bullet { "- " } else { "" };
                let separator = if *reversed { ":::" } else { "::" };
                text.push_str(&format!("{marker}{front} {separator} {back}"));
                if *with_progress {
                    text.push_str(&format!(" {}", progress(1 + usize::from(*reversed))));
                }
                cards += 1 + usize::from(*reversed);
            }
            Block::MultiLine {
                front,
                back,
                reversed,
                progress: with_progress,
            } => {
                let separator = if *reversed { "??" } else { "?" };
                text.push_str(&format!("{}\n{separator}\n{}", front.join("\n"), back.join("\n")));
                if *with_progress {
                    text.push_str(&format!("\n{}", progress(2)));
                }
                cards += 1 + usize::from(*reversed);
            }
            Block::Anki(parts) => {
                let line: Vec<String> = parts
                    .iter()
                    .map(|(word, number)| match number {
                        Some(n) => format!("{{{{c{n}::{word}}}}}"),
                        None => word.clone(),
                    })
                    .collect();
                text.push_str(&line.join(" "));
                let mut numbers: Vec<_> = parts.iter().filter_map(|(_, n)| *n).collect();
                numbers.sort_unstable();
                numbers.dedup();
                cards += numbers.len();
            }
            Block::Highlights(parts) => {
                let line: Vec<String> = parts
                    .iter()
                    .map(|(word, highlight)| {
                        if *highlight {
                            format!("=={word}==")
                        } else {
                            word.clone()
                        }
                    })
                    .collect();
                text.push_str(&line.join(" "));
                cards += parts.iter().filter(|(_, h)| *h).count();
            }
            Block::Question { subject, answer } => {
                text.push_str(&format!("What is the {subject}?\n{answer}"));
                cards += 1;
            }
            Block::Malformed(line) => text.push_str(line),
            Block::Inert { comment: true } => text.push_str("<!--\nQ :: A\nFront\n??\nBack {{c1::x}}\n-->"),
            Block::Inert { comment: false } => {
                text.push_str("```\nQ :: A\nFront\n??\nBack {{c1::x}} ==y==\n```")
            }
        }
        text.push_str("\n\n");
    }
    (text, cards)
}

/// The checks every generated notes pass.
fn check(text: &str, notes: &Notes, expected: usize, blocks: &[Block]) -> Result<(), TestCaseError> {
    prop_assert_eq!(crate::notes_invariants::check(text, notes), Ok(()));
    prop_assert_eq!(notes.cards.len(), expected, "{:?}", notes.cards);
    prop_assert!(notes.warnings.is_empty(), "{:?}", notes.warnings);
    for card in &notes.cards {
        prop_assert!(
            !card.answer.contains("<!--") && !card.question.contains("<!--"),
            "{:?}",
            card
        );
        if let Some(cloze) = &card.cloze {
            // The answer is the text without the markers: words and spaces only.
            prop_assert!(
                card.answer.chars().all(|c| c.is_ascii_lowercase() || c == ' '),
                "{:?}",
                card
            );
            prop_assert!(
                cloze
                    .revealed
                    .iter()
                    .all(|range| !card.answer[range.clone()].contains(' '))
            );
        }
    }
    // A malformed marker is text: its line is outside any card, whole.
    for block in blocks {
        if let Block::Malformed(line) = block {
            prop_assert!(
                notes.skipped.iter().any(|skipped| skipped.text == *line),
                "{line}"
            );
        }
    }
    // Progress reaches every card that has a group.
    let with_progress = notes.cards.iter().filter(|c| c.progress.is_some()).count();
    let groups: usize = blocks
        .iter()
        .map(|block| match block {
            Block::OneLine {
                reversed,
                progress: true,
                ..
            } => 1 + usize::from(*reversed),
            Block::MultiLine {
                reversed,
                progress: true,
                ..
            } => 1 + usize::from(*reversed),
            _ => 0,
        })
        .sum();
    prop_assert_eq!(with_progress, groups);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn plain_text_cards_are_what_the_syntax_defines(blocks in prop::collection::vec(block(false), 0..12)) {
        let (notes, expected) = notes(&blocks, false);
        let parsed = text::parse(&notes, "file", &Options::default());
        check(&notes, &parsed, expected, &blocks)?;
    }

    #[test]
    fn markdown_cards_are_what_the_syntax_defines(blocks in prop::collection::vec(block(true), 0..12)) {
        let (notes, expected) = notes(&blocks, true);
        let parsed = markdown::parse(&notes, "file", &Options::default());
        check(&notes, &parsed, expected, &blocks)?;
    }
}
