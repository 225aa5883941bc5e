//! Markdown notes must never panic, and their cards keep the invariants the tests check too:
//! in source order, each card's text found from its line on, no empty side, no separator line
//! in a question or an answer.
#![no_main]

#[path = "../../tests/common/notes_invariants.rs"]
mod notes_invariants;

use libfuzzer_sys::fuzz_target;
use recall::notes::Options;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(broken) = notes_invariants::check_markdown(text, &Options::default()) {
        panic!("{broken}");
    }
});
