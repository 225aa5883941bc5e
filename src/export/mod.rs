//! Taking the collection elsewhere: JSON with everything needed to rebuild it (decks, cards
//! with their state, every review), CSV with one row per card, and a tab-separated file that
//! Anki 2.1.54 or newer imports as it is; and restoring the JSON.

mod anki;
pub(crate) mod card;
mod csv;
mod json;
pub(crate) mod obsidian;
pub mod restore;

pub(crate) use anki::anki;
pub(crate) use csv::csv;
pub(crate) use json::json;

use crate::core::{Card, Selection};
use crate::store::Store;

/// The `format` value that marks a recall export, so `recall import` can restore it.
pub(crate) const EXPORT_FORMAT: &str = "recall-export";

/// `text` in double quotes with its quotes doubled, as CSV and Anki read a field, when `quote`.
fn quoted_if(text: &str, quote: bool) -> std::borrow::Cow<'_, str> {
    if quote {
        std::borrow::Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The cards of `selection`, in collection order.
fn selected<'a>(store: &'a Store, selection: &Selection) -> Vec<&'a Card> {
    let mut matcher = selection.matcher();
    store.cards().iter().filter(|c| matcher.card(c)).collect()
}
