//! How cards look to programs: the objects of `recall cards --format json` and of exports.

use chrono::NaiveDate;
use serde::Serialize;

use crate::queue::is_leech;
use crate::store::{Card, Status};

/// A card with its state, flattened for JSON and CSV.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CardView<'a> {
    pub id: &'a str,
    pub deck: &'a str,
    pub section: &'a str,
    pub question: &'a str,
    pub answer: &'a str,
    pub note: &'a str,
    pub line: usize,
    /// `new`, `review`, `suspended` or `retired`.
    pub status: &'static str,
    pub repetitions: u32,
    pub ease: f64,
    pub interval: u32,
    pub due: Option<NaiveDate>,
    pub lapses: u32,
    pub leech: bool,
    pub last_review: Option<NaiveDate>,
}

impl<'a> CardView<'a> {
    pub fn new(card: &'a Card, leech_threshold: u32) -> Self {
        CardView {
            id: &card.id,
            deck: &card.deck,
            section: &card.section,
            question: &card.question,
            answer: &card.answer,
            note: &card.note,
            line: card.line,
            status: status_name(card),
            repetitions: card.state.repetitions,
            ease: card.state.ease.as_f64(),
            interval: card.state.interval,
            due: card.state.due,
            lapses: card.state.lapses,
            leech: is_leech(card.state.lapses, leech_threshold),
            last_review: card.state.last_review,
        }
    }
}

/// `new` or `review` for a card in use, else `suspended` or `retired`.
pub fn status_name(card: &Card) -> &'static str {
    match card.status {
        Status::Active if card.state.is_new() => "new",
        Status::Active => "review",
        Status::Suspended => "suspended",
        Status::Retired => "retired",
    }
}
