//! A record of the log: one change to the collection (a grade, an undo, a suspension, a card
//! added by an import, a deck renamed...), with when it happened. The log of records is the
//! collection: replaying it from empty gives every card, deck, status and progress.
//!
//! A record is written as one JSON line. The fields of the review records of earlier versions
//! keep their names and meaning; the other kinds add their own fields.

use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::notes::{Cloze, Format};
use crate::schedule::day::Timestamp;
use crate::schedule::sm2::{CardState, Grade};

use super::card::Status;
use super::history::DayEntry;

/// What a log record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The first grade of the day for a card: it moves the schedule.
    Review,
    /// A repeat the same day of a card graded below 4: logged, state unchanged.
    Redrill,
    /// A grade in a cram session: logged, state unchanged.
    Cram,
    /// Takes back the record `undoes`; `after` is the state restored, and `grade`, `ms` and
    /// `undone_kind` repeat the record taken back, so statistics can subtract it.
    Undo,
    /// The card is hidden until the next study day.
    Bury,
    /// The card leaves reviews until unsuspended (by hand, from the review or as a leech).
    Suspend,
    /// The card comes back into reviews.
    Unsuspend,
    /// The card's progress goes back to new; its history stays.
    Reset,
    /// An import made a card: `deck`, `text`, `added`, and in `after` any progress it brought.
    CardAdded,
    /// The card's text or place in its notes changed: `text` is the new one.
    CardEdited,
    /// The card moved to `deck` (its question moved to another notes file), with `text`.
    CardMoved,
    /// The card's SM-2 progress, `after`, is taken from its notes (`from`: `obsidian`).
    ProgressTaken,
    /// The card's question left the notes: hidden, progress kept.
    CardRetired,
    /// A retired card's question is back.
    CardRestored,
    /// A deck was made: `deck` and its `settings`.
    DeckAdded,
    /// A deck's notes file, format, heading patterns or naming changed: `settings`.
    DeckChanged,
    /// Deck `deck` is now called `to`.
    DeckRenamed,
    /// Deck `deck` is gone; its cards are retired (an import of its notes brings them back).
    DeckRemoved,
    /// The cards of `deck` (of its `section`, when given) leave reviews with the deck.
    DeckSuspended,
    /// The cards the deck's suspension took out come back.
    DeckUnsuspended,
    /// Deck `deck` takes at most `limit` new cards a day (none: the global limit).
    DeckLimit,
    /// Written when an older collection was converted: the card's status and progress as they
    /// were, which the older log alone did not hold.
    CardState,
    /// Written when an older collection was converted: its review statistics per day and deck.
    History,
}

impl Kind {
    /// The kind as it is written in the log (`card_added`).
    pub(crate) fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|value| value.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The kinds earlier versions wrote, which exports carry as reviews.
    pub(crate) fn is_review_log(self) -> bool {
        matches!(
            self,
            Kind::Review
                | Kind::Redrill
                | Kind::Cram
                | Kind::Undo
                | Kind::Bury
                | Kind::Suspend
                | Kind::Unsuspend
        )
    }
}

/// A card's text and place in its notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardText {
    pub section: String,
    pub question: String,
    pub answer: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub line: usize,
    /// For a cloze card: its deletion number and where its answer shows what was hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloze: Option<Box<Cloze>>,
}

/// How a deck is made from its notes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DeckSettings {
    pub(crate) format: Format,
    /// The notes file, on the device that wrote the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) headings: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) bold_cloze: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) example: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) follows_title: bool,
}

/// A card's status and progress, whole.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CardProgress {
    pub(crate) status: Status,
    #[serde(
        default,
        with = "crate::schedule::day::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) buried: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) retired_while_suspended: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) suspended_with_deck: bool,
    pub(crate) state: CardState,
}

/// One line of a device's log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Increases with every record of the device that wrote it.
    pub id: u64,
    /// On the first record of a change written as several records (an import): how many.
    /// A change whose records are not all in the log did not happen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<u64>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub card: String,
    #[serde(deserialize_with = "crate::schedule::day::moment")]
    pub at: Timestamp,
    /// When the device that wrote the record had seen a record with a later time than `at`
    /// (another device's clock runs ahead): that time. The record comes after it in the
    /// collection's order, as it came after it on its device.
    #[serde(
        default,
        deserialize_with = "crate::schedule::day::optional_moment",
        skip_serializing_if = "Option::is_none"
    )]
    pub follows: Option<Timestamp>,
    /// The study day the record counts for.
    #[serde(with = "crate::schedule::day")]
    pub day: NaiveDate,
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<Grade>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<CardState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<CardState>,
    /// Milliseconds from showing the question to the grade.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    /// For an undo: the kind of the record taken back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undone_kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deck: Option<String>,
    /// A renamed deck's new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// For a deck (un)suspension: the one section it is limited to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Box<CardText>>,
    #[serde(
        default,
        with = "crate::schedule::day::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub added: Option<NaiveDate>,
    /// Where progress a new card brings came from (`obsidian`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) settings: Option<Box<DeckSettings>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// A renamed deck goes on following its notes' title (it was renamed after a new title).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub follows_title: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) progress: Option<Box<CardProgress>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) history: Option<Vec<DayEntry>>,
}

/// When a change is made: the time, and the study day it counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub at: Timestamp,
    pub day: NaiveDate,
}

/// A record read as the change it describes, with what that change needs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Event<'a> {
    /// A review, re-drill or cram grade.
    Grade {
        card: &'a str,
        kind: Kind,
        grade: Grade,
    },
    Undo {
        card: &'a str,
        restores: CardState,
    },
    Bury {
        card: &'a str,
    },
    Suspend {
        card: &'a str,
    },
    Unsuspend {
        card: &'a str,
    },
    Reset {
        card: &'a str,
    },
    CardAdded {
        card: &'a str,
        deck: &'a str,
        text: &'a CardText,
        added: NaiveDate,
        progress: Option<CardState>,
    },
    CardEdited {
        card: &'a str,
        text: &'a CardText,
    },
    CardMoved {
        card: &'a str,
        deck: &'a str,
        text: &'a CardText,
    },
    ProgressTaken {
        card: &'a str,
        state: CardState,
    },
    CardRetired {
        card: &'a str,
    },
    CardRestored {
        card: &'a str,
    },
    DeckAdded {
        deck: &'a str,
        settings: &'a DeckSettings,
    },
    DeckChanged {
        deck: &'a str,
        settings: &'a DeckSettings,
    },
    DeckRenamed {
        deck: &'a str,
        to: &'a str,
        follows_title: bool,
    },
    DeckRemoved {
        deck: &'a str,
    },
    DeckSuspended {
        deck: &'a str,
        section: Option<&'a str>,
    },
    DeckUnsuspended {
        deck: &'a str,
        section: Option<&'a str>,
    },
    DeckLimit {
        deck: &'a str,
        limit: Option<u32>,
    },
    CardState {
        card: &'a str,
        progress: &'a CardProgress,
    },
    History {
        days: &'a [DayEntry],
    },
}

impl Event<'_> {
    /// The card the change is about, if it is about one.
    pub(crate) fn card(&self) -> Option<&str> {
        match *self {
            Event::Grade { card, .. }
            | Event::Undo { card, .. }
            | Event::Bury { card }
            | Event::Suspend { card }
            | Event::Unsuspend { card }
            | Event::Reset { card }
            | Event::CardAdded { card, .. }
            | Event::CardEdited { card, .. }
            | Event::CardMoved { card, .. }
            | Event::ProgressTaken { card, .. }
            | Event::CardRetired { card }
            | Event::CardRestored { card }
            | Event::CardState { card, .. } => Some(card),
            _ => None,
        }
    }

    /// The deck the change names, if it names one.
    pub(crate) fn deck(&self) -> Option<&str> {
        match *self {
            Event::CardAdded { deck, .. }
            | Event::CardMoved { deck, .. }
            | Event::DeckAdded { deck, .. }
            | Event::DeckChanged { deck, .. }
            | Event::DeckRenamed { deck, .. }
            | Event::DeckRemoved { deck }
            | Event::DeckSuspended { deck, .. }
            | Event::DeckUnsuspended { deck, .. }
            | Event::DeckLimit { deck, .. } => Some(deck),
            _ => None,
        }
    }
}

impl Record {
    /// A record of `kind` for `card` (empty for deck records), every other field empty.
    pub fn new(kind: Kind, card: &str, stamp: Stamp) -> Record {
        Record {
            id: 0,
            batch: None,
            card: card.to_string(),
            at: stamp.at,
            follows: None,
            day: stamp.day,
            kind,
            grade: None,
            undoes: None,
            before: None,
            after: None,
            ms: None,
            undone_kind: None,
            deck: None,
            to: None,
            section: None,
            text: None,
            added: None,
            from: None,
            settings: None,
            limit: None,
            follows_title: false,
            progress: None,
            history: None,
        }
    }

    /// A record about deck `deck`.
    pub(crate) fn for_deck(kind: Kind, deck: &str, stamp: Stamp) -> Record {
        Record {
            deck: Some(deck.to_string()),
            ..Record::new(kind, "", stamp)
        }
    }

    /// The change this record describes, or why it cannot be read as one (a field its kind
    /// needs is missing).
    pub(crate) fn event(&self) -> Result<Event<'_>, String> {
        let missing = |field: &str| format!("a {} record without {field}", self.kind.name());
        let card = || {
            if self.card.is_empty() {
                Err(missing("\"card\""))
            } else {
                Ok(self.card.as_str())
            }
        };
        let deck = || self.deck.as_deref().ok_or_else(|| missing("\"deck\""));
        let text = || self.text.as_deref().ok_or_else(|| missing("\"text\""));
        let settings = || self.settings.as_deref().ok_or_else(|| missing("\"settings\""));
        Ok(match self.kind {
            Kind::Review | Kind::Redrill | Kind::Cram => Event::Grade {
                card: card()?,
                kind: self.kind,
                grade: self.grade.ok_or_else(|| missing("\"grade\""))?,
            },
            Kind::Undo => Event::Undo {
                card: card()?,
                restores: self.after.ok_or_else(|| missing("\"after\""))?,
            },
            Kind::Bury => Event::Bury { card: card()? },
            Kind::Suspend => Event::Suspend { card: card()? },
            Kind::Unsuspend => Event::Unsuspend { card: card()? },
            Kind::Reset => Event::Reset { card: card()? },
            Kind::CardAdded => Event::CardAdded {
                card: card()?,
                deck: deck()?,
                text: text()?,
                added: self.added.unwrap_or(self.day),
                progress: self.after,
            },
            Kind::CardEdited => Event::CardEdited {
                card: card()?,
                text: text()?,
            },
            Kind::CardMoved => Event::CardMoved {
                card: card()?,
                deck: deck()?,
                text: text()?,
            },
            Kind::ProgressTaken => Event::ProgressTaken {
                card: card()?,
                state: self.after.ok_or_else(|| missing("\"after\""))?,
            },
            Kind::CardRetired => Event::CardRetired { card: card()? },
            Kind::CardRestored => Event::CardRestored { card: card()? },
            Kind::DeckAdded => Event::DeckAdded {
                deck: deck()?,
                settings: settings()?,
            },
            Kind::DeckChanged => Event::DeckChanged {
                deck: deck()?,
                settings: settings()?,
            },
            Kind::DeckRenamed => Event::DeckRenamed {
                deck: deck()?,
                to: self.to.as_deref().ok_or_else(|| missing("\"to\""))?,
                follows_title: self.follows_title,
            },
            Kind::DeckRemoved => Event::DeckRemoved { deck: deck()? },
            Kind::DeckSuspended => Event::DeckSuspended {
                deck: deck()?,
                section: self.section.as_deref(),
            },
            Kind::DeckUnsuspended => Event::DeckUnsuspended {
                deck: deck()?,
                section: self.section.as_deref(),
            },
            Kind::DeckLimit => Event::DeckLimit {
                deck: deck()?,
                limit: self.limit,
            },
            Kind::CardState => Event::CardState {
                card: card()?,
                progress: self.progress.as_deref().ok_or_else(|| missing("\"progress\""))?,
            },
            Kind::History => Event::History {
                days: self.history.as_deref().ok_or_else(|| missing("\"history\""))?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()
    }

    fn now() -> Stamp {
        Stamp {
            at: chrono::DateTime::parse_from_rfc3339("2026-03-02T12:00:00+00:00").unwrap(),
            day: day(),
        }
    }

    #[test]
    fn a_time_it_follows_is_held_to_years_0000_9999_like_its_own() {
        let line = |follows: &str| {
            format!(
                r#"{{"id":1,"card":"c","at":"2026-03-02T10:00:00Z","day":"2026-03-02","kind":"bury"{follows}}}"#
            )
        };
        let read = |follows: &str| serde_json::from_str::<Record>(&line(follows));
        assert_eq!(read("").unwrap().follows, None);
        assert_eq!(read(r#","follows":null"#).unwrap().follows, None);
        let follows = read(r#","follows":"2026-03-02T11:00:00Z""#).unwrap().follows;
        assert_eq!(
            follows.map(|at| at.to_rfc3339()),
            Some("2026-03-02T11:00:00+00:00".into())
        );
        assert!(read(r#","follows":"+99999-01-01T00:00:00Z""#).is_err());
    }

    #[test]
    fn review_records_of_earlier_versions_read_as_before() {
        let line = r#"{"id":7,"card":"ab12cd34","at":"2026-03-02T10:00:00Z","day":"2026-03-02","kind":"review","grade":4,"before":{"repetitions":0,"ease":2.5,"interval":0,"due":null,"lapses":0,"last_review":null},"after":{"repetitions":1,"ease":2.5,"interval":1,"due":"2026-03-03","lapses":0,"last_review":"2026-03-02"},"ms":5200}"#;
        let record: Record = serde_json::from_str(line).unwrap();
        assert_eq!(record.id, 7);
        assert!(matches!(
            record.event(),
            Ok(Event::Grade {
                card: "ab12cd34",
                kind: Kind::Review,
                ..
            })
        ));
        // Written again, it is the same line: no new field appears on a review.
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }

    #[test]
    fn every_kind_names_what_it_lacks() {
        let text = CardText {
            section: "L1".into(),
            question: "Q?".into(),
            answer: "A.".into(),
            note: String::new(),
            line: 3,
            cloze: None,
        };
        let added = Record {
            deck: Some("OS".into()),
            text: Some(Box::new(text.clone())),
            ..Record::new(Kind::CardAdded, "c1", now())
        };
        let line = serde_json::to_string(&added).unwrap();
        assert!(line.contains(r#""kind":"card_added""#), "{line}");
        let read: Record = serde_json::from_str(&line).unwrap();
        assert_eq!(read, added);
        assert!(matches!(read.event(), Ok(Event::CardAdded { deck: "OS", added, .. }) if added == day()));
        let no_text = Record::new(Kind::CardEdited, "c1", now());
        assert_eq!(
            no_text.event().unwrap_err(),
            "a card_edited record without \"text\""
        );
        let no_card = Record::new(Kind::Bury, "", now());
        assert_eq!(no_card.event().unwrap_err(), "a bury record without \"card\"");
        let rename = Record {
            to: Some("New".into()),
            ..Record::for_deck(Kind::DeckRenamed, "Old", now())
        };
        assert!(matches!(
            rename.event(),
            Ok(Event::DeckRenamed {
                deck: "Old",
                to: "New",
                follows_title: false
            })
        ));
    }
}
