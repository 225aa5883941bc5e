//! Plain-text notes: decoding (BOM, NUL, invalid UTF-8) and parsing, with and without an
//! extra heading pattern, must never panic, and cards keep their invariants.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use recall::notes::{self, lines, text};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = notes::decode(Path::new("fuzz.txt"), data) else { return };
    let patterns = [regex::Regex::new("^Session").expect("a valid pattern")];
    for headings in [&[][..], &patterns[..]] {
        let parsed = text::parse(decoded, "fuzz", headings);
        let source: Vec<&str> = lines(decoded).collect();
        let mut previous = 0;
        for card in &parsed.cards {
            assert!(card.line > previous, "cards in source order");
            previous = card.line;
            assert!(source[card.line - 1].trim().starts_with(&card.question), "the line holds the question");
            assert!(!card.answer.trim().is_empty());
        }
    }
});
