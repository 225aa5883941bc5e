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
use crate::core::{Card, Record};
use crate::store::history::Tally;

/// Days in the daily table and the heatmap.
pub(crate) const DAILY_DAYS: u64 = 365;
/// Days in the forecast, today first.
pub(crate) const FORECAST_DAYS: u64 = 30;
/// How many of the hardest cards are listed.
pub(crate) const HARDEST: usize = 10;

/// Everything `recall stats` reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    pub(crate) generated_at: Timestamp,
    pub(crate) today: Today,
    pub counts: Counts,
    pub(crate) retention: Retention,
    pub(crate) streak: Streak,
    pub(crate) forecast: Vec<Forecast>,
    pub(crate) daily: Vec<Daily>,
    pub(crate) ease: Vec<Bucket>,
    pub(crate) intervals: Vec<Bucket>,
    pub(crate) sections: Vec<Section>,
    pub(crate) hardest: Vec<Hard>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Today {
    pub(crate) date: NaiveDate,
    /// Distinct cards graded today.
    pub(crate) cards_reviewed: usize,
    /// Grades given today, re-drills and cram included.
    pub(crate) reviews: i64,
    pub(crate) seconds: i64,
    pub(crate) new_learnt: i64,
    pub redrills: i64,
    /// Share of grades of 3 or more, 0 to 100; null without grades.
    pub(crate) percent_correct: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Cards in use (suspended included, retired not).
    pub(crate) total: usize,
    pub new: usize,
    /// Reviewed, but fewer than two successful reviews in a row.
    pub(crate) learning: usize,
    /// Interval under 21 days.
    pub(crate) young: usize,
    /// Interval of 21 days or more.
    pub(crate) mature: usize,
    pub(crate) suspended: usize,
    pub(crate) leeches: usize,
}

/// Passed and failed first reviews of cards seen on an earlier day, and the pass rate.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Rate {
    pub(crate) passed: i64,
    pub(crate) failed: i64,
    /// Percent passed; null without reviews.
    pub(crate) rate: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RetentionWindow {
    pub(crate) young: Rate,
    pub(crate) mature: Rate,
    pub(crate) total: Rate,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Retention {
    pub(crate) today: RetentionWindow,
    pub(crate) yesterday: RetentionWindow,
    pub(crate) last_7_days: RetentionWindow,
    pub(crate) last_30_days: RetentionWindow,
    pub(crate) last_365_days: RetentionWindow,
    pub(crate) all_time: RetentionWindow,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// Study days in a row up to today (or yesterday, if today has no reviews yet).
    pub(crate) current: u32,
    pub(crate) longest: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Forecast {
    pub(crate) date: NaiveDate,
    /// Cards due that day; today's figure includes overdue cards.
    pub due: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Daily {
    pub(crate) date: NaiveDate,
    pub(crate) reviews: i64,
    pub(crate) correct: i64,
    pub(crate) seconds: i64,
    pub new: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    pub(crate) label: &'static str,
    pub cards: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub(crate) deck: String,
    pub section: String,
    pub cards: usize,
    /// Percent of the section's cards that are mature.
    pub(crate) mature_percent: f64,
    /// Mean E-Factor of its reviewed cards; null if none was reviewed.
    pub(crate) average_ease: Option<f64>,
    pub(crate) lapses: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hard {
    pub id: String,
    pub(crate) deck: String,
    pub section: String,
    pub question: String,
    pub(crate) lapses: u32,
    pub(crate) ease: f64,
}

/// What [`compute`] works from.
pub struct Input<'a> {
    /// The selected cards (retired ones are left out of every count).
    pub cards: Vec<&'a Card>,
    /// Review totals per study day for the selection.
    pub(crate) days: BTreeMap<NaiveDate, Tally>,
    /// Today's log records: of the selected cards, or every record (removed decks' too)
    /// when nothing is filtered.
    pub(crate) today_records: Vec<Record>,
    pub(crate) today: NaiveDate,
    pub(crate) now: Timestamp,
    pub(crate) leech_threshold: u32,
    /// Log lines that could not be read (a section filter reads the log).
    pub warnings: Vec<String>,
}
