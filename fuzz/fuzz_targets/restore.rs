//! Any bytes as a recall export: restoring never panics, never writes a half collection, and
//! what it restores opens again with every card id once. Inputs that start with a digit are
//! expanded (the rest repeated that many hundred times), so long exports are tried too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::export::restore;
use recall::store::Store;

fuzz_target!(|data: &[u8]| {
    let data = expand(data);
    let dir = tempfile::tempdir().expect("a temporary directory");
    let export = dir.path().join("export.json");
    std::fs::write(&export, &data).expect("the export is written");
    let data_dir = dir.path().join("data");
    let mut store = Store::open_for_writing(&data_dir).expect("an empty collection opens");
    let stamp = recall::core::Stamp {
        at: chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z").expect("a time"),
        day: "2026-11-28".parse().expect("a day"),
    };
    let restored = restore::restore(&mut store, &export, stamp);
    drop(store);
    let store = Store::open(&data_dir).expect("the collection opens after a restore, whatever happened");
    match restored {
        Ok(counts) => assert_eq!(counts.cards, store.cards().len()),
        Err(_) => {
            assert!(store.cards().is_empty(), "a refused restore leaves nothing");
            let leftovers = std::fs::read_dir(&data_dir)
                .map(|entries| entries.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".tmp")).count())
                .unwrap_or(0);
            assert_eq!(leftovers, 0, "a refused restore leaves no temporary file");
        }
    }
});

/// `data` itself, or, when it starts with a digit d, the rest repeated d x 100 times.
fn expand(data: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((&digit @ b'0'..=b'9', rest)) => rest.repeat(usize::from(digit - b'0') * 100),
        _ => data.to_vec(),
    }
}
