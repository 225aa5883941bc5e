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
    let restored = restore::restore(&mut store, &export);
    drop(store);
    let store = Store::open(&data_dir).expect("the collection opens after a restore, whatever happened");
    match restored {
        Ok(counts) => assert_eq!(counts.cards, store.collection.cards.len()),
        Err(_) => {
            assert!(store.collection.cards.is_empty(), "a refused restore leaves nothing");
            assert!(!data_dir.join(".restore.tmp").exists());
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
