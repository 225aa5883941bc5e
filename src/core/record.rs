//! A record of the log: one thing that happened to a card (a grade, an undo, a bury, a
//! suspension), with when it happened.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::schedule::day::Timestamp;
use crate::schedule::sm2::{CardState, Grade};

/// What a log record says happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The first grade of the day for a card: it moves the SM-2 state.
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
    /// The card leaves reviews until unsuspended.
    Suspend,
    /// The card comes back into reviews (an undone grade had suspended it as a leech).
    Unsuspend,
}

/// One line of `reviews.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Increases by one with every record; the snapshot remembers the last one folded in.
    pub id: u64,
    pub card: String,
    pub at: Timestamp,
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
}
