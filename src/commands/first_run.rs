//! The first run: the notes that ship with the program are added as the example deck, so a
//! first `recall` has something to review.

use super::plural;
use crate::core::Stamp;
use crate::error::Result;
use crate::store::Store;

/// The example deck: a real student's computer-vision notes.
const NOTES: &str = include_str!("../../decks/eecs498-computer-vision.txt");

/// The file name the bundled notes get in the data directory, where they can be edited.
const FILE_NAME: &str = crate::store::paths::EXAMPLE_NOTES;

/// Imports the bundled deck into a collection that does not exist yet; returns the one line
/// that says so, for the review to show.
pub(super) fn start_if_new(store: &mut Store, stamp: Stamp) -> Result<Option<String>> {
    if store.exists() {
        return Ok(None);
    }
    let file = store.write_bundled_notes(FILE_NAME, NOTES)?;
    let request = crate::import::Request {
        file,
        example: true,
        ..Default::default()
    };
    let report = crate::import::import_file(store, &request, stamp)?;
    store.save()?;
    Ok(Some(format!(
        "first run: added the example deck \"{}\" ({}); import your own notes with `recall import NOTES`",
        report.deck,
        plural(report.counts.new, "card")
    )))
}
