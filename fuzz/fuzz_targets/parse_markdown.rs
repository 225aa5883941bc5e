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
    for (at, card) in parsed.cards.iter().enumerate() {
        assert!(card.line > previous, "cards in source order");
        previous = card.line;
        // The question is read from its line on (inline code may run over a line break) within
        // its block: its first word is there, or, when it was kept as text without the markup of
        // its source, the letters of its first word are, in order. A question without ASCII
        // letters or digits (fuzz noise: markup, HTML and NULs dropped or replaced) passes.
        let next = parsed.cards.get(at + 1).map_or(source.len(), |next| next.line - 1);
        // Up to the end of the question's block (a blank line), which holds no answer text.
        let block_end = (card.line..next).find(|&i| source[i].trim().is_empty()).unwrap_or(next);
        let block = source[card.line - 1..block_end].join("\n");
        let first_word = card.question.split_whitespace().next().unwrap_or_default();
        let first_text = card.question.split(|c: char| !c.is_ascii_alphanumeric()).find(|w| !w.is_empty()).unwrap_or_default();
        let block_text: String = block.chars().filter(char::is_ascii_alphanumeric).collect();
        let mut block_letters = block_text.chars();
        let letters_match = first_text.chars().all(|c| block_letters.any(|b| b == c));
        assert!(block.contains(first_word) || letters_match, "the question is on its line or below");
        assert!(!card.answer.trim().is_empty());
    }
});
