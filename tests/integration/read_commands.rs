//! The commands that read a collection (`due`, `cards`, `decks`), where a collection lives,
//! the first run, and how `--deck` and `--section` refuse names that match nothing.

use std::ffi::OsStr;
use std::path::Path;

use crate::common::{MARKDOWN_NOTES, Recall, TEXT_NOTES, write_notes};
use serde_json::{Value, json};

/// "Computer Vision" (3 cards: two graded on 2026-11-28) and "Databases" (1 card).
fn collection() -> Recall {
    let collection = Recall::new("2026-11-28");
    let dir = collection.dir.path();
    let cv = write_notes(dir, "cv.txt", TEXT_NOTES);
    let db = write_notes(dir, "db.md", MARKDOWN_NOTES);
    collection.ok(&[OsStr::new("import"), cv.as_os_str(), db.as_os_str()]);
    // The first card well known, the second failed (a re-drill waits), then quit.
    collection.review("2026-11-28T10:00:00+00:00", "\n5\n\n1\n");
    collection
}

fn questions(cards: &[Value]) -> Vec<&str> {
    cards
        .iter()
        .map(|card| card["question"].as_str().unwrap())
        .collect()
}

fn cards_json(collection: &Recall, filters: &[&str]) -> Vec<Value> {
    let args = [&["cards", "--format", "json"], filters].concat();
    serde_json::from_str(&collection.ok(&args)).unwrap()
}

#[test]
fn due_counts_todays_work_and_the_next_due_day() {
    let collection = collection();
    let later = "2026-11-28T11:00:00+00:00";
    let due: Value = serde_json::from_str(&collection.ok_at(later, &["due", "--format", "json"])).unwrap();
    assert_eq!(
        due,
        json!({"today": "2026-11-28", "reviews": 0, "new": 2, "redrills": 1,
               "held_back": {"new": 0, "reviews": 0},
               "next": {"date": "2026-11-29", "cards": 2}})
    );
    assert_eq!(
        collection.ok_at(later, &["due"]),
        "0 reviews and 2 new cards due today, 1 re-drill waiting; next: 2 cards on 2026-11-29\n"
    );
}

#[test]
fn cards_filter_by_deck_section_due_and_search() {
    let collection = collection();
    assert_eq!(cards_json(&collection, &[]).len(), 4);
    assert_eq!(
        questions(&cards_json(&collection, &["--deck", "DATA"])),
        ["What is a **join**?"]
    );
    assert_eq!(
        questions(&cards_json(&collection, &["--section", "image classification"])),
        ["What is nearest neighbour classification?"]
    );
    assert_eq!(
        questions(&cards_json(&collection, &["--search", "BILLION"])),
        ["How many images uploaded to Instagram daily?"]
    );
    // Nothing is due on the day of the first reviews; the next day both graded cards are.
    assert!(cards_json(&collection, &["--due"]).is_empty());
    let due: Vec<Value> =
        serde_json::from_str(&collection.ok_at("2026-11-29", &["cards", "--due", "--format", "json"]))
            .unwrap();
    assert_eq!(due.len(), 2);
    assert!(due.iter().all(|card| card["status"] == "review"), "{due:?}");
    let text = collection.ok(&["cards", "--deck", "vision", "--search", "neighbour"]);
    assert!(
        text.contains("What is nearest neighbour classification?"),
        "{text}"
    );
    assert!(!text.contains("Instagram"), "{text}");
}

#[test]
fn a_deck_or_section_that_matches_nothing_is_refused_with_the_names_there_are() {
    let collection = collection();
    let log_before = collection.log();
    for command in [
        &["cards"][..],
        &["stats"],
        &["export", "--format", "csv"],
        &["review", "--plain"],
    ] {
        let args = [command, &["--deck", "biology"]].concat();
        assert_eq!(
            collection.refused(&args),
            "recall: no deck matches \"biology\"; choose one of \"Computer Vision\", \"Databases\"\n",
            "{command:?}"
        );
    }
    let args = ["cards", "--deck", "vision", "--section", "lecture 3"];
    assert_eq!(
        collection.refused(&args),
        "recall: no section matches \"lecture 3\"; choose one of \"Lecture 1 - Introduction\", \"Lecture 2 - Image Classification\"\n"
    );
    assert_eq!(collection.log(), log_before);

    // Nothing to choose from: said so, not an empty list.
    let empty = Recall::new("2026-11-28");
    let none = write_notes(empty.dir.path(), "none.txt", "Nothing\nNo question here.\n");
    empty.ok(&[OsStr::new("import"), none.as_os_str()]);
    empty.ok(&["deck", "remove", "Nothing", "--yes"]);
    assert_eq!(
        empty.refused(&["cards", "--deck", "vision"]),
        "recall: no deck matches \"vision\": there are none\n"
    );
    let flat = write_notes(
        empty.dir.path(),
        "flat.txt",
        "Flat\nWhat is a flat deck?\nOne without headings.\n",
    );
    empty.ok(&[OsStr::new("import"), flat.as_os_str()]);
    assert_eq!(
        empty.refused(&["cards", "--section", "lecture"]),
        "recall: no section matches \"lecture\": there are none\n"
    );
}

#[test]
fn the_first_run_adds_the_bundled_deck_once_and_says_where_the_data_lives() {
    let collection = Recall::new("2026-11-28");
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("q\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr,
        format!(
            "recall: your collection lives in {}\nrecall: first run: added the example deck \"EECS498 Computer Vision with Justin\" (278 cards); import your own notes with `recall import NOTES`\n",
            collection.data().display()
        )
    );
    let output = collection.at("2026-11-28").arg("due").output().unwrap();
    assert!(output.stderr.is_empty());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "0 reviews and 20 new cards due today (258 more held back by the daily limits)\n"
    );
    // Later runs neither add it again nor repeat the messages.
    let output = collection.at("2026-11-28").arg("decks").output().unwrap();
    assert!(output.stderr.is_empty());
    let decks = String::from_utf8(output.stdout).unwrap();
    assert!(
        decks.contains("EECS498 Computer Vision with Justin (example)     278"),
        "{decks}"
    );
    assert_eq!(collection.cards().len(), 278);
}

/// `recall` run with only the given environment for finding the data directory.
fn locate(home: &Path, env: &[(&str, &Path)], flag: Option<&Path>) {
    let mut command = assert_cmd::Command::cargo_bin("recall").unwrap();
    command
        .env_remove("RECALL_DIR")
        .env_remove("XDG_DATA_HOME")
        .env("HOME", home)
        .env("RECALL_NOW", "2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("q\n");
    for (name, value) in env {
        command.env(name, value);
    }
    if let Some(dir) = flag {
        command.arg("--data-dir").arg(dir);
    }
    command.assert().success();
}

#[test]
fn the_data_directory_is_the_flag_then_recall_dir_then_xdg_then_home() {
    let root = tempfile::tempdir().unwrap();
    let at = |name: &str| root.path().join(name);
    let collection_in = |dir: &Path| dir.join("collection.json").exists();

    locate(&at("home"), &[], None);
    assert!(collection_in(&at("home/.local/share/recall")));
    locate(&at("home2"), &[("XDG_DATA_HOME", &at("xdg"))], None);
    assert!(collection_in(&at("xdg/recall")) && !at("home2").exists());
    locate(
        &at("home3"),
        &[("XDG_DATA_HOME", &at("xdg3")), ("RECALL_DIR", &at("env"))],
        None,
    );
    assert!(collection_in(&at("env")) && !at("xdg3").exists());
    locate(&at("home4"), &[("RECALL_DIR", &at("env4"))], Some(&at("flag")));
    assert!(collection_in(&at("flag")) && !at("env4").exists());
}
