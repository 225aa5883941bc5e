//! A data directory written by the release before the logs held every change
//! (`tests/data/v1-collection`, made by `scripts/make_v1_fixture.sh`): it is converted on first
//! use, once, and shows what it showed before; its caches can then be lost at any time.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::{Recall, all_records};

/// The time the fixture's expected outputs were taken at.
const THEN: &str = "2026-03-14T12:00:00+00:00";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/v1-collection")
}

/// A copy of the fixture's data directory, as a collection to run `recall` on.
fn old_collection() -> Recall {
    let collection = Recall::new(THEN);
    copy(&fixture().join("data"), &collection.data());
    collection
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(fixture().join(name)).unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// What the collection shows: every card, the statistics, the decks and today's work.
fn shown(collection: &Recall) -> (Value, Value, String, Value) {
    (
        json(&collection.ok(&["cards", "--all", "--format", "json"])),
        json(&collection.ok(&["stats", "--format", "json"])),
        collection.ok(&["decks"]),
        json(&collection.ok(&["due", "--format", "json"])),
    )
}

fn assert_shows_what_it_showed(collection: &Recall) {
    let (mut cards, stats, decks, due) = shown(collection);
    // Added since: FSRS's view of each card.
    for card in cards.as_array_mut().unwrap() {
        for key in ["stability", "difficulty", "retrievability"] {
            card.as_object_mut().unwrap().remove(key);
        }
    }
    assert_eq!(cards, json(&expected("expected-cards.json")));
    assert_eq!(stats, json(&expected("expected-stats.json")));
    assert_eq!(decks, expected("expected-decks.txt"));
    assert_eq!(due, json(&expected("expected-due.json")));
}

#[test]
fn an_older_collection_is_converted_once_and_shows_what_it_showed() {
    let collection = old_collection();
    let output = collection.at(THEN).arg("due").output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("recall: converted the collection to logs that hold every change: 12 cards and 50 reviews are now in "),
        "{stderr}"
    );
    assert_shows_what_it_showed(&collection);
    // Said once.
    let output = collection.at(THEN).arg("due").output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The old files are kept, untouched.
    let backup = collection.data().join("backups/v1");
    for name in ["collection.json", "reviews.jsonl"] {
        assert_eq!(
            std::fs::read(backup.join(name)).unwrap(),
            std::fs::read(fixture().join("data").join(name)).unwrap(),
            "{name}"
        );
    }
    assert!(backup.join("collection-000016.json").exists());
    assert!(!collection.data().join("reviews.jsonl").exists());
    // The old review records keep their fields and meaning; every card has a record.
    let records = all_records(&collection.data());
    let old: Vec<Value> = std::fs::read_to_string(fixture().join("data/reviews.jsonl"))
        .unwrap()
        .lines()
        .map(json)
        .collect();
    let carried: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] != "card_added" && old_kind(r))
        .collect();
    assert_eq!(carried.len(), old.len());
    for (new, old) in carried.iter().zip(&old) {
        for field in [
            "card",
            "at",
            "day",
            "kind",
            "grade",
            "before",
            "after",
            "ms",
            "undone_kind",
        ] {
            assert_eq!(new[field], old[field], "{field} of {old}");
        }
    }
    let added = records.iter().filter(|r| r["kind"] == "card_added").count();
    assert_eq!(added, 12);
}

/// A way to damage the caches, by name.
type Damage<'a> = (&'a str, &'a dyn Fn(&Path));

fn old_kind(record: &Value) -> bool {
    [
        "review",
        "redrill",
        "cram",
        "undo",
        "bury",
        "suspend",
        "unsuspend",
    ]
    .contains(&record["kind"].as_str().unwrap_or_default())
}

#[test]
fn lost_or_damaged_caches_are_rebuilt_from_the_logs() {
    let collection = old_collection();
    collection.ok(&["due"]);
    let data = collection.data();
    let cases: [Damage; 5] = [
        ("deleted", &|data| {
            for name in ["collection.json", "progress.json", "history.json"] {
                std::fs::remove_file(data.join(name)).unwrap();
            }
        }),
        ("truncated", &|data| {
            let progress = std::fs::read(data.join("progress.json")).unwrap();
            std::fs::write(data.join("progress.json"), &progress[..progress.len() / 2]).unwrap();
        }),
        ("of an older format", &|data| {
            let text = std::fs::read_to_string(data.join("progress.json")).unwrap();
            let older = regex::Regex::new("\"format\":[0-9]+")
                .unwrap()
                .replace(&text, "\"format\":1");
            std::fs::write(data.join("progress.json"), older.as_bytes()).unwrap();
        }),
        ("from another collection", &|data| {
            let other = Recall::new(THEN);
            let notes = crate::common::write_notes(other.dir.path(), "n.txt", crate::common::TEXT_NOTES);
            other.ok(&[std::ffi::OsStr::new("import"), notes.as_os_str()]);
            for name in ["collection.json", "progress.json", "history.json"] {
                std::fs::copy(other.data().join(name), data.join(name)).unwrap();
            }
        }),
        ("not matching each other", &|data| {
            let text = std::fs::read_to_string(data.join("collection.json")).unwrap();
            let changed = regex::Regex::new("\"generation\":[0-9]+")
                .unwrap()
                .replace(&text, "\"generation\":12345");
            std::fs::write(data.join("collection.json"), changed.as_bytes()).unwrap();
        }),
    ];
    for (what, damage) in cases {
        damage(&data);
        let output = collection
            .at(THEN)
            .args(["cards", "--all", "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{what}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with("recall: rebuilt the collection from its logs"),
            "{what}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
        assert_shows_what_it_showed(&collection);
        // Rebuilt once: the caches are whole again.
        let output = collection.at(THEN).arg("due").output().unwrap();
        assert!(
            output.stderr.is_empty(),
            "{what}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn a_version_1_snapshot_has_its_lapses_counted_again() {
    let collection = old_collection();
    let snapshot = collection.data().join("collection.json");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    let version_1 = regex::Regex::new("\"lapses\":[0-9]+")
        .unwrap()
        .replace_all(
            &text.replace("\"version\": 2,", "\"version\": 1,"),
            "\"lapses\":0",
        )
        .into_owned();
    assert_ne!(version_1, text);
    std::fs::write(&snapshot, version_1).unwrap();
    let output = collection
        .at(&collection.now)
        .args(["cards", "--all", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("; every card's lapses are counted again"),
        "{stderr}"
    );
    let cards = json(&String::from_utf8(output.stdout).unwrap());
    let lapses = |cards: &Value| -> Vec<Value> {
        cards
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["lapses"].clone())
            .collect()
    };
    let counted = lapses(&json(&expected("expected-cards.json")));
    assert!(counted.iter().any(|n| n.as_u64() > Some(0)), "{counted:?}");
    assert_eq!(lapses(&cards), counted);
}

#[test]
fn a_collection_without_its_snapshot_is_not_converted_into_an_empty_one() {
    let collection = old_collection();
    std::fs::remove_file(collection.data().join("collection.json")).unwrap();
    let refused = collection.refused(&["due"]);
    assert!(
        refused.contains("collection.json is missing, but") && refused.contains("holds your reviews"),
        "{refused}"
    );
    assert!(collection.data().join("reviews.jsonl").exists());
    assert!(!collection.data().join("logs").exists());
}
