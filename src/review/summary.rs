//! The end of a session: its numbers, and how they read on the command line and screens.

use std::io::Write;

use super::queue::HeldBack;
use crate::text::{duration, new_and_reviews, plural};

/// The end-of-session numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Cards graded at least once.
    pub reviewed: usize,
    /// How many times each grade 0..5 was given, re-drills included.
    pub(crate) grades: [usize; 6],
    pub redrills: usize,
    /// Time spent answering, in seconds.
    pub(crate) seconds: u64,
    /// New cards seen for the first time.
    pub(crate) new_learnt: usize,
    /// Cards in use due by tomorrow (cards left today included).
    pub(crate) due_tomorrow: usize,
    /// Cards in use due within the next 7 days (cards left today included).
    pub(crate) due_next_7_days: usize,
    /// Cards today's limits kept out of the session.
    pub(crate) held_back: HeldBack,
}

/// What `held` left out of the session, if anything, as a clause (no capital, no stop).
pub(crate) fn held_back_clause(held: &HeldBack) -> Option<String> {
    let daily = new_and_reviews(held.new, held.reviews)
        .map(|both| format!("today's limits hold back {both} (`recall review --new N` takes more)"));
    let cut = (held.cut > 0).then(|| format!("--limit leaves out {}", plural(held.cut, "card")));
    match (daily, cut) {
        (Some(daily), Some(cut)) => Some(format!("{daily}; {cut}")),
        (one, other) => one.or(other),
    }
}

/// The end-of-session summary as text, also printed after the full-screen review.
pub(crate) fn write_summary(summary: &Summary, out: &mut impl Write) -> std::io::Result<()> {
    let grades = summary
        .grades
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    writeln!(
        out,
        "Session over: {} reviewed ({} new, {}) in {}; grades 0-5: {grades}",
        plural(summary.reviewed, "card"),
        summary.new_learnt,
        plural(summary.redrills, "re-drill"),
        duration(summary.seconds)
    )?;
    writeln!(
        out,
        "Due tomorrow: {}; in the next 7 days: {}",
        summary.due_tomorrow, summary.due_next_7_days
    )?;
    match held_back(summary) {
        Some(line) => writeln!(out, "{line}"),
        None => Ok(()),
    }
}

/// What the limits kept out of the session, if anything, as a sentence.
pub(crate) fn held_back(summary: &Summary) -> Option<String> {
    let sentence = held_back_clause(&summary.held_back)?;
    let mut chars = sentence.chars();
    Some(
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default(),
    )
}
