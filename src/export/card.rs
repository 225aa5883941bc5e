//! How cards look to programs: the objects of `recall cards --format json` and of exports.

use crate::notes::Cloze;
use std::borrow::Cow;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::core::is_leech;
use crate::core::{Card, Schedule, Status};

/// A card with its state, flattened for JSON and CSV (and read back from a JSON export).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ExportedCard<'a> {
    #[serde(borrow)]
    pub(crate) id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) deck: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) section: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) question: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) answer: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) note: Cow<'a, str>,
    pub(crate) line: usize,
    /// For a cloze card: its deletion number and where its answer shows what was hidden
    /// (written when set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) cloze: Option<Box<Cloze>>,
    /// `new`, `review`, `suspended` or `retired`.
    #[serde(borrow)]
    pub(crate) status: Cow<'a, str>,
    pub(crate) repetitions: u32,
    pub(crate) ease: f64,
    pub(crate) interval: u32,
    #[serde(with = "crate::schedule::day::optional")]
    pub(crate) due: Option<NaiveDate>,
    pub(crate) lapses: u32,
    pub(crate) leech: bool,
    #[serde(with = "crate::schedule::day::optional")]
    pub(crate) last_review: Option<NaiveDate>,
    /// The study day the card was first imported.
    #[serde(with = "crate::schedule::day")]
    pub(crate) added: NaiveDate,
    /// The study day the card was buried on (written when it was).
    #[serde(
        default,
        with = "crate::schedule::day::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub(crate) buried: Option<NaiveDate>,
    /// Suspended with its deck: `recall deck unsuspend` brings it back (written when true).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) suspended_with_deck: bool,
    /// Retired while suspended: it comes back suspended (written when true).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) retired_while_suspended: bool,
    /// FSRS's stability in days and difficulty (1 to 10), null for a card never reviewed, and
    /// its probability of recall today; only in `recall cards`.
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub(crate) stability: Option<Option<f64>>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub(crate) difficulty: Option<Option<f64>>,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    pub(crate) retrievability: Option<Option<f64>>,
}

impl<'a> ExportedCard<'a> {
    pub(crate) fn new(card: &'a Card, leech_threshold: u32) -> Self {
        ExportedCard {
            id: Cow::Borrowed(&card.id),
            deck: Cow::Borrowed(&card.deck),
            section: Cow::Borrowed(&card.section),
            question: Cow::Borrowed(&card.question),
            answer: Cow::Borrowed(&card.answer),
            note: Cow::Borrowed(&card.note),
            line: card.line,
            cloze: card.cloze.clone(),
            status: Cow::Borrowed(status_name(card)),
            repetitions: card.state.repetitions,
            ease: card.state.ease.as_f64(),
            interval: card.state.interval,
            due: card.state.due,
            lapses: card.state.lapses,
            leech: is_leech(card.state.lapses, leech_threshold),
            last_review: card.state.last_review,
            added: card.added,
            buried: card.buried,
            suspended_with_deck: card.suspended_with_deck,
            retired_while_suspended: card.retired_while_suspended,
            stability: None,
            difficulty: None,
            retrievability: None,
        }
    }

    /// The card as the chosen scheduler sees it on `today`: its interval and due day, and
    /// FSRS's stability, difficulty and probability of recall.
    pub(crate) fn scheduled(self, card: &Card, schedule: &Schedule, today: NaiveDate) -> Self {
        ExportedCard {
            interval: schedule.interval(card),
            due: schedule.due(card),
            stability: Some(card.fsrs.map(|m| significant(m.stability))),
            difficulty: Some(card.fsrs.map(|m| significant(m.difficulty))),
            retrievability: Some(schedule.retrievability(card, today).map(significant)),
            ..self
        }
    }
}

/// `x` to six significant digits: enough for any use, short enough to read. (Stability runs
/// from 0.001 to tens of thousands of days, so a fixed number of decimals would not do.)
fn significant(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let scale = 10f64.powi(5 - x.abs().log10().floor() as i32);
    (x * scale).round() / scale
}

/// `new` or `review` for a card in use, else `suspended` or `retired`.
pub(crate) fn status_name(card: &Card) -> &'static str {
    match card.status {
        Status::Active if card.state.is_new() => "new",
        Status::Active => "review",
        Status::Suspended => "suspended",
        Status::Retired => "retired",
    }
}

#[cfg(test)]
mod tests {
    use super::significant;

    #[test]
    fn six_significant_digits_whatever_the_size() {
        assert_eq!(significant(2.306_549_9), 2.30655);
        assert_eq!(significant(0.001_234_567_8), 0.001_234_57);
        assert_eq!(significant(36_512.345_67), 36_512.3);
        assert_eq!(significant(0.909_512_3), 0.909_512);
        assert_eq!(significant(0.0), 0.0);
    }
}
