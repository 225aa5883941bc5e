//! Notes written for the Obsidian Spaced Repetition plugin, read as Markdown and as plain
//! text, tagged `#flashcards` or not, with and without --bold-cloze (chosen by the input's
//! length), must never panic, and their cards keep the invariants the tests check too: in
//! source order, each card's text in its block, no empty side, no separator line in a side, a
//! cloze revealing text of its answer. Inputs that start with a digit are expanded (the rest
//! repeated that many hundred times), so the time limit catches work that grows faster than
//! the input.
#![no_main]

#[path = "../../tests/common/notes_invariants.rs"]
mod notes_invariants;

use libfuzzer_sys::fuzz_target;
use recall::notes::Options;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let expanded;
    let text = match text.as_bytes().first() {
        Some(&digit @ b'0'..=b'9') => {
            expanded = text[1..].repeat(usize::from(digit - b'0') * 100);
            expanded.as_str()
        }
        _ => text,
    };
    let tag = if data.len() % 2 == 0 {
        ""
    } else {
        "#flashcards/fuzz\n"
    };
    let notes = format!("{tag}{text}");
    let options = Options {
        headings: Vec::new(),
        bold_cloze: data.len() % 4 >= 2,
    };
    for checked in [
        notes_invariants::check_markdown(&notes, &options),
        notes_invariants::check_text(&notes, &options),
    ] {
        if let Err(broken) = checked {
            panic!("{broken}");
        }
    }
});
