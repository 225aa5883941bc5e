//! The text people read, as snapshots: `recall stats`, `recall decks`, `recall card show`
//! and the import report. Card ids and temporary paths differ from run to run, so they are
//! shown as `[id]` and `[dir]`.

use std::ffi::OsStr;

use crate::common::{Recall, TEXT_NOTES, write_notes};

/// Snapshots `text` as `name`, with the card ids and the temporary directory of
/// `collection` masked.
fn assert_text(collection: &Recall, name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(
        &regex::escape(&collection.dir.path().display().to_string()),
        "[dir]",
    );
    for card in collection.cards() {
        settings.add_filter(&regex::escape(card["id"].as_str().unwrap()), "[id]");
    }
    settings.bind(|| insta::assert_snapshot!(name, text));
}

/// The small deck learnt on 11-20 and reviewed on 11-21 (one card failed and re-drilled).
fn reviewed() -> Recall {
    let collection = Recall::new("2026-11-21T20:00:00+00:00");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    // A time with its offset: a date alone means noon local time, after the first review in
    // time zones east of UTC+2.
    collection.ok_at(
        "2026-11-20T09:00:00+00:00",
        &[OsStr::new("import"), notes.as_os_str()],
    );
    collection.review("2026-11-20T10:00:00+00:00", "\n5\n\n4\n\n5\n");
    collection.review("2026-11-21T10:00:00+00:00", "\n2\n\n5\n\n4\n\n4\n");
    collection
}

#[test]
fn the_statistics_as_text() {
    let collection = reviewed();
    assert_text(&collection, "stats", &collection.ok(&["stats"]));
}

#[test]
fn the_decks_table() {
    let collection = reviewed();
    let notes = write_notes(
        collection.dir.path(),
        "bio.txt",
        "Biology\nWhat is a cell?\nThe unit of life.\n",
    );
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let id = collection.cards().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    collection.ok(&["card", "suspend", &id]);
    assert_text(&collection, "decks", &collection.ok(&["decks"]));
}

#[test]
fn a_card_with_its_history() {
    let collection = reviewed();
    let cards = collection.cards();
    let graded = cards
        .iter()
        .find(|c| c["question"] == "How many images uploaded to Instagram daily?")
        .unwrap();
    let id = graded["id"].as_str().unwrap();
    assert_text(&collection, "card_show", &collection.ok(&["card", "show", id]));
}

#[test]
fn the_import_report() {
    let collection = reviewed();
    let notes = collection.dir.path().join("cv.txt");
    let edited = TEXT_NOTES
        .replace("1.3 billion.", "About 1.3 billion.")
        .replace("How many images uploaded to Instagram daily?", "How many images are uploaded to Instagram daily?")
        .replace(
            "What is nearest neighbour classification?\nCompare a test image with every training image and take the closest label.\n",
            "",
        )
        + "What is a linear classifier?\nA weighted sum of pixels per class.\n";
    std::fs::write(&notes, edited).unwrap();
    let report = collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    assert_text(&collection, "import_report", &report);
}
