//! What the shells complete besides commands and flags: deck names, section names and card
//! ids, read from the collection (the one `RECALL_DIR`, `XDG_DATA_HOME` or `HOME` points to)
//! each time the user presses tab. Completion never fails aloud: without a collection there is
//! simply nothing to offer.

use std::collections::BTreeSet;
use std::ffi::OsStr;

use clap_complete::CompletionCandidate;

use crate::store::{Store, paths};

/// The environment variable the shell code sets to ask for completions.
pub const VARIABLE: &str = "COMPLETE";

/// Deck names starting with what was typed (ignoring case).
pub(crate) fn decks(typed: &OsStr) -> Vec<CompletionCandidate> {
    candidates(typed, |store| {
        store.decks().iter().map(|d| d.name.clone()).collect()
    })
}

/// Section names of every deck starting with what was typed (ignoring case).
pub(crate) fn sections(typed: &OsStr) -> Vec<CompletionCandidate> {
    candidates(typed, |store| {
        store
            .cards()
            .iter()
            .filter(|card| !card.section.is_empty())
            .map(|card| card.section.clone())
            .collect()
    })
}

/// Card ids starting with what was typed, each with its question as help.
pub(crate) fn cards(typed: &OsStr) -> Vec<CompletionCandidate> {
    let Some(store) = open() else {
        return Vec::new();
    };
    let typed = typed.to_string_lossy().to_lowercase();
    store
        .cards()
        .iter()
        .filter(|card| card.id.starts_with(&typed))
        .map(|card| {
            let question = crate::text::cut(&crate::text::visible_line(&card.question), 60).into_owned();
            CompletionCandidate::new(card.id.clone()).help(Some(question.into()))
        })
        .collect()
}

/// The names `names` finds in the collection that start with `typed`, sorted, each once.
fn candidates(typed: &OsStr, names: impl Fn(&Store) -> BTreeSet<String>) -> Vec<CompletionCandidate> {
    let Some(store) = open() else {
        return Vec::new();
    };
    let typed = typed.to_string_lossy().to_lowercase();
    names(&store)
        .into_iter()
        .filter(|name| name.to_lowercase().starts_with(&typed))
        .map(CompletionCandidate::new)
        .collect()
}

/// The collection, if there is one to read.
fn open() -> Option<Store> {
    let dir = paths::data_dir(None).ok()?;
    Store::open(&dir).ok().filter(Store::exists)
}
