//! A deck: the cards made from one notes file, under one name.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::record::DeckSettings;
use crate::error::{Error, Result};
use crate::notes::Format;

/// A set of cards made from one notes file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Deck {
    pub(crate) name: String,
    /// The notes file the deck was last imported from, on each device (by device id): the
    /// same notes live at different paths on a laptop and a desktop.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) sources: BTreeMap<String, PathBuf>,
    pub(crate) format: Format,
    /// Extra `--heading` patterns used for the notes, reused by a plain re-import.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    /// A new deck called `name`, made as `settings` say on `device`.
    pub(crate) fn new(name: &str, settings: &DeckSettings, device: &str) -> Deck {
        let mut deck = Deck {
            name: name.to_string(),
            sources: BTreeMap::new(),
            format: settings.format,
            headings: Vec::new(),
            bold_cloze: false,
            example: false,
            new_per_day: None,
            follows_title: false,
        };
        deck.set(settings, device);
        deck
    }

    /// The deck's notes file on `device`.
    pub(crate) fn source(&self, device: &str) -> Option<&Path> {
        self.sources.get(device).map(PathBuf::as_path)
    }

    /// How the deck is made, as seen from `device`.
    pub(crate) fn settings(&self, device: &str) -> DeckSettings {
        DeckSettings {
            format: self.format,
            source: self.source(device).map(Path::to_path_buf),
            headings: self.headings.clone(),
            bold_cloze: self.bold_cloze,
            example: self.example,
            follows_title: self.follows_title,
        }
    }

    /// Takes `settings`, written on `device`.
    pub(crate) fn set(&mut self, settings: &DeckSettings, device: &str) {
        self.format = settings.format;
        match &settings.source {
            Some(source) => {
                self.sources.insert(device.to_string(), source.clone());
            }
            None => {
                self.sources.remove(device);
            }
        }
        self.headings.clone_from(&settings.headings);
        self.bold_cloze = settings.bold_cloze;
        self.example = settings.example;
        self.follows_title = settings.follows_title;
    }

    /// Refuses a name the user gave for a deck that would break lists and tables: control
    /// characters, or nothing that shows.
    pub(crate) fn check_name(name: &str) -> Result<()> {
        match crate::text::bad_name(name) {
            Some(reason) => Err(Error::usage(format!("the deck name {name:?} {reason}"))),
            None => Ok(()),
        }
    }
}
