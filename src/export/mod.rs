//! Taking the collection elsewhere: JSON with everything needed to rebuild it (decks, cards
//! with their state, every review), CSV with one row per card, and a tab-separated file that
//! Anki 2.1.54 or newer imports as it is; and restoring the JSON.

mod anki;
pub mod card;
mod csv;
mod json;
pub mod restore;

pub use anki::anki;
pub use csv::csv;
pub use json::json;

use crate::core::{Card, Selection};
use crate::store::Store;

/// The `format` value that marks a recall export, so `recall import` can restore it.
pub const EXPORT_FORMAT: &str = "recall-export";

/// The cards of `selection`, in collection order.
fn selected<'a>(store: &'a Store, selection: &Selection) -> Vec<&'a Card> {
    let mut matcher = selection.matcher();
    store
        .collection
        .cards
        .iter()
        .filter(|c| matcher.card(c))
        .collect()
}
