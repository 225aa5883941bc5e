//! Progress statistics over the collection and the review history: today's work, card
//! counts, true retention, daily reviews and streaks, the forecast, distributions, the
//! weakest sections and the hardest cards. [`compute`] is pure; [`gather`] reads its inputs;
//! [`decks`] counts cards per deck.

mod compute;
pub(crate) mod decks;
mod gather;

pub use compute::compute;
pub use gather::gather;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::clock::Timestamp;
use crate::core::history::Tally;
use crate::core::{Card, Record};

/// Days in the daily table and the heatmap.
pub(crate) const DAILY_DAYS: u64 = 365;
/// Days in the forecast, today first.
pub(crate) const FORECAST_DAYS: u64 = 30;
/// How many of the hardest cards are listed.
pub(crate) const HARDEST: usize = 10;

/// Everything `recall stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub generated_at: Timestamp,
    pub today: Today,
    pub counts: Counts,
    pub retention: Retention,
    pub streak: Streak,
    pub forecast: Vec<Forecast>,
    pub daily: Vec<Daily>,
    pub ease: Vec<Bucket>,
    pub intervals: Vec<Bucket>,
    pub sections: Vec<Section>,
    pub hardest: Vec<Hard>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Today {
    pub date: NaiveDate,
    /// Distinct cards graded today.
    pub cards_reviewed: usize,
    /// Grades given today, re-drills and cram included.
    pub reviews: i64,
    pub seconds: i64,
    pub new_learnt: i64,
    pub redrills: i64,
    /// Share of grades of 3 or more, 0 to 100; null without grades.
    pub percent_correct: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Cards in use (suspended included, retired not).
    pub total: usize,
    pub new: usize,
    /// Reviewed, but fewer than two successful reviews in a row.
    pub learning: usize,
    /// Interval under 21 days.
    pub young: usize,
    /// Interval of 21 days or more.
    pub mature: usize,
    pub suspended: usize,
    pub leeches: usize,
}

/// Passed and failed first reviews of cards seen on an earlier day, and the pass rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rate {
    pub passed: i64,
    pub failed: i64,
    /// Percent passed; null without reviews.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RetentionWindow {
    pub young: Rate,
    pub mature: Rate,
    pub total: Rate,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Retention {
    /// With FSRS: the probability of recall it predicts today, on average over the cards in
    /// review, beside the retention measured.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub predicted_today: Option<f64>,
    pub today: RetentionWindow,
    pub yesterday: RetentionWindow,
    pub last_7_days: RetentionWindow,
    pub last_30_days: RetentionWindow,
    pub last_365_days: RetentionWindow,
    pub all_time: RetentionWindow,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Study days in a row up to today (or yesterday, if today has no reviews yet).
    pub current: u32,
    pub longest: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub date: NaiveDate,
    /// Cards due that day; today's figure includes overdue cards.
    pub due: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Daily {
    pub date: NaiveDate,
    pub reviews: i64,
    pub correct: i64,
    pub seconds: i64,
    pub new: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub label: &'static str,
    pub cards: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub deck: String,
    pub section: String,
    pub cards: usize,
    /// Percent of the section's cards that are mature.
    pub mature_percent: f64,
    /// Mean E-Factor of its reviewed cards; null if none was reviewed.
    pub average_ease: Option<f64>,
    pub lapses: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hard {
    pub id: String,
    pub deck: String,
    pub section: String,
    pub question: String,
    pub lapses: u32,
    pub ease: f64,
}

/// What [`compute`] works from.
pub struct Input<'a> {
    /// The selected cards (retired ones are left out of every count).
    pub(crate) cards: Vec<&'a Card>,
    /// Review totals per study day for the selection.
    pub(crate) days: BTreeMap<NaiveDate, Tally>,
    /// Today's log records: of the selected cards, or every record (removed decks' too)
    /// when nothing is filtered.
    pub(crate) today_records: Vec<Record>,
    pub(crate) today: NaiveDate,
    pub(crate) now: Timestamp,
    pub(crate) leech_threshold: u32,
    /// The chosen scheduler: it says when cards are due.
    pub(crate) schedule: crate::core::Schedule,
    /// Log lines that could not be read (a section filter reads the log).
    pub(crate) warnings: Vec<String>,
}
