//! Markdown notes must never panic, and their cards keep the invariants the tests check too:
//! in source order, each question found from its line on, no empty answer.
#![no_main]

#[path = "../../tests/common/markdown_invariants.rs"]
mod markdown_invariants;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(broken) = markdown_invariants::check(text) {
        panic!("{broken}");
    }
});
