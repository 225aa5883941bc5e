//! Anki "Notes in Plain Text" exports must never panic, and cards come out in file order.
//! Inputs that start with a digit are expanded (the rest repeated that many thousand times),
//! so the fuzzer's time limit catches work that grows faster than the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::notes::anki;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let expanded;
    let text = match text.as_bytes().first() {
        Some(&digit @ b'0'..=b'9') => {
            expanded = text[1..].repeat(usize::from(digit - b'0') * 1000);
            expanded.as_str()
        }
        _ => text,
    };
    for header in ["#separator:tab\n#html:true\n#deck column:3\n", "#separator:Comma\n#guid column:1\n", ""] {
        let notes = anki::parse(&format!("{header}{text}"), "fuzz");
        let mut previous = 0;
        for card in &notes.cards {
            assert!(card.line > previous, "cards in file order");
            previous = card.line;
        }
    }
});
