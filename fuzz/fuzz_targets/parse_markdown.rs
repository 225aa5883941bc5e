//! Markdown notes must never panic, and cards come out in source order with their question
//! on their line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::notes::{lines, markdown};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = markdown::parse(text, "fuzz");
    let source: Vec<&str> = lines(text).collect();
    let mut previous = 0;
    for card in &parsed.cards {
        assert!(card.line > previous, "cards in source order");
        previous = card.line;
        // Its first word, or its first run of letters (a question may be kept without markup).
        let first_word = card.question.split_whitespace().next().unwrap_or_default();
        let first_text = card.question.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()).unwrap_or_default();
        let line_text: String = source[card.line - 1].chars().filter(char::is_ascii_alphanumeric).collect();
        assert!((source[card.line - 1].contains(first_word) || line_text.contains(first_text)), "the line holds the question");
        assert!(!card.answer.trim().is_empty());
    }
});
