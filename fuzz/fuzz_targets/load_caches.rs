//! Any bytes as the caches (`progress.json`, and the same bytes as `collection.json`): the
//! collection opens, never panics, and is the one its log gives; damaged caches are rebuilt.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use recall::store::Store;

/// A collection made once: its data directory, and its cards as the log gives them.
fn made() -> &'static (tempfile::TempDir, PathBuf, String) {
    static MADE: OnceLock<(tempfile::TempDir, PathBuf, String)> = OnceLock::new();
    MADE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let notes = dir.path().join("notes.txt");
        std::fs::write(&notes, "Deck\nWhat is one?\nOne.\nWhat is two?\nTwo.\n").expect("notes");
        let data = dir.path().join("data");
        let mut store = Store::open_for_writing(&data).expect("a new collection");
        let stamp = recall::core::Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2026-11-28T12:00:00Z").expect("a time"),
            day: "2026-11-28".parse().expect("a day"),
        };
        let request = recall::import::Request {
            file: notes,
            ..Default::default()
        };
        recall::import::import_file(&mut store, &request, stamp).expect("the import");
        let cards = format!("{:?}", store.cards());
        (dir, data, cards)
    })
}

fuzz_target!(|data: &[u8]| {
    let (_, dir, cards) = made();
    for cache in ["progress.json", "collection.json"] {
        write(dir, cache, data);
    }
    let store = Store::open(dir).expect("the collection opens whatever its caches hold");
    assert_eq!(&format!("{:?}", store.cards()), cards);
});

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).expect("a cache is written");
}
