//! A deck: the cards made from one notes file, under one name.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::notes::Format;

/// A set of cards made from one notes file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Deck {
    pub(crate) name: String,
    /// The notes file the deck was last imported from.
    pub(crate) source: Option<PathBuf>,
    pub(crate) format: Format,
    /// Extra `--heading` patterns used for the notes, reused by a plain re-import.
    #[serde(default)]
    pub(crate) headings: Vec<String>,
    /// `--bold-cloze`: the notes' bold text makes cloze deletions, also on a plain re-import.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) bold_cloze: bool,
    /// The example deck that ships with the program: its new cards come only when the user's
    /// own decks have none left today.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) example: bool,
    /// At most this many of the deck's new cards a day (within the global limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) new_per_day: Option<u32>,
    /// The deck is named after its notes' title (a first line, a `# heading`) and follows it
    /// when it changes; a deck the user named keeps its name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) follows_title: bool,
}

impl Deck {
    /// Refuses a name the user gave for a deck that would break lists and tables: control
    /// characters, or nothing that shows.
    pub(crate) fn check_name(name: &str) -> Result<()> {
        match crate::text::bad_name(name) {
            Some(reason) => Err(Error::usage(format!("the deck name {name:?} {reason}"))),
            None => Ok(()),
        }
    }
}
