//! The first run: the notes that ship with the program are added as the example deck, so a
//! first `recall` has something to review.

use chrono::NaiveDate;

use super::{plural, say};
use crate::error::Result;
use crate::store::Store;

/// The example deck: a real student's computer-vision notes.
const NOTES: &str = include_str!("../../decks/eecs498-computer-vision.txt");

/// The file name the bundled notes get in the data directory, where they can be edited.
const FILE_NAME: &str = "eecs498-computer-vision.txt";

/// Imports the bundled deck into a collection that does not exist yet, and says so in one line.
pub(super) fn start_if_new(store: &mut Store, today: NaiveDate) -> Result<()> {
    if store.exists() {
        return Ok(());
    }
    let file = store.write_bundled_notes(FILE_NAME, NOTES)?;
    let request = crate::import::Request {
        file,
        ..Default::default()
    };
    let report = crate::import::import_file(store, &request, today)?;
    store.save()?;
    say(&format!(
        "first run: added the example deck \"{}\" ({}); import your own notes with `recall import NOTES`",
        report.deck,
        plural(report.counts.new, "card")
    ));
    Ok(())
}
