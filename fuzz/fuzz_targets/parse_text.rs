//! Plain-text notes: decoding (BOM, NUL, invalid UTF-8) and parsing, with and without an
//! extra heading pattern, must never panic, and cards keep the invariants the tests check too.
#![no_main]

#[path = "../../tests/common/notes_invariants.rs"]
mod notes_invariants;

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use recall::notes::{self, Options};

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = notes::decode(Path::new("fuzz.txt"), data) else { return };
    let patterns = [regex::Regex::new("^Session").expect("a valid pattern")];
    for headings in [&[][..], &patterns[..]] {
        let options = Options {
            headings: headings.to_vec(),
            bold_cloze: false,
        };
        if let Err(broken) = notes_invariants::check_text(decoded, &options) {
            panic!("{broken}");
        }
    }
});
