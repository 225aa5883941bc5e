//! A card: its text and place in the notes, whether it takes part in reviews, and its memory.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::record::CardText;
use crate::notes::Cloze;
use crate::schedule::fsrs::Memory;
use crate::schedule::sm2::CardState;

/// Whether a card takes part in reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    /// Left out of reviews by the user (or as a leech); progress kept.
    Suspended,
    /// No longer in the notes; hidden, progress kept in case the question comes back.
    Retired,
}

/// A card with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Short, printable and never reused.
    pub id: String,
    pub deck: String,
    pub section: String,
    pub question: String,
    pub answer: String,
    pub note: String,
    pub line: usize,
    /// For a cloze card: its deletion number and where its answer shows what was hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cloze: Option<Box<Cloze>>,
    #[serde(with = "crate::schedule::day")]
    pub added: NaiveDate,
    pub status: Status,
    /// The study day the card was buried on; it is hidden for the rest of that day.
    #[serde(
        default,
        with = "crate::schedule::day::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub buried: Option<NaiveDate>,
    /// The card was suspended when its question left the notes: it comes back suspended.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub retired_while_suspended: bool,
    /// Suspended with its deck or section (`recall deck suspend`), not on its own: unsuspending
    /// the deck brings it back, while a card suspended on its own stays suspended.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub suspended_with_deck: bool,
    /// SM-2's memory of the card (a nested object; a flattened one made reading slow).
    pub state: CardState,
    /// FSRS's memory of the card, kept whichever scheduler is chosen (none before its first
    /// review): from its reviews, never guessed from SM-2's.
    #[serde(skip)]
    pub(crate) fsrs: Option<Memory>,
    /// FSRS's memory before the card's latest review that moved its schedule: an undo of that
    /// review brings it back.
    #[serde(skip)]
    pub(crate) fsrs_before: Option<Memory>,
}

impl Card {
    /// A new card, active, never reviewed.
    pub fn new(id: &str, deck: &str, text: &CardText, added: NaiveDate) -> Card {
        Card {
            id: id.to_string(),
            deck: deck.to_string(),
            section: text.section.clone(),
            question: text.question.clone(),
            answer: text.answer.clone(),
            note: text.note.clone(),
            line: text.line,
            cloze: text.cloze.clone(),
            added,
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
            fsrs: None,
            fsrs_before: None,
        }
    }

    pub(crate) fn is_buried(&self, today: NaiveDate) -> bool {
        self.buried == Some(today)
    }

    /// The card's text and place in its notes.
    pub fn text(&self) -> CardText {
        CardText {
            section: self.section.clone(),
            question: self.question.clone(),
            answer: self.answer.clone(),
            note: self.note.clone(),
            line: self.line,
            cloze: self.cloze.clone(),
        }
    }

    pub(crate) fn set_text(&mut self, text: &CardText) {
        self.section.clone_from(&text.section);
        self.question.clone_from(&text.question);
        self.answer.clone_from(&text.answer);
        self.note.clone_from(&text.note);
        self.line = text.line;
        self.cloze.clone_from(&text.cloze);
    }
}

/// A card is a leech once its lapses reach `threshold`.
pub fn is_leech(lapses: u32, threshold: u32) -> bool {
    lapses >= threshold.max(1)
}

/// True when going from `before` to `after` lapses should flag the card as a leech: on
/// reaching the threshold, and again every half threshold after (8, 12, 16, ... by default).
pub fn leech_event(before: u32, after: u32, threshold: u32) -> bool {
    let threshold = threshold.max(1);
    let step = (threshold / 2).max(1);
    after > before && after >= threshold && (after - threshold).is_multiple_of(step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leeches_are_flagged_at_the_threshold_and_every_half_threshold_after() {
        let flagged: Vec<u32> = (1..=20).filter(|&n| leech_event(n - 1, n, 8)).collect();
        assert_eq!(flagged, [8, 12, 16, 20]);
        assert!(!leech_event(8, 8, 8));
        assert!(is_leech(8, 8) && !is_leech(7, 8));
        assert_eq!((1..=4).filter(|&n| leech_event(n - 1, n, 1)).count(), 4);
    }
}
