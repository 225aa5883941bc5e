//! A card's lifecycle, in one place: active, suspended by hand or with its deck, retired (its
//! question left the notes), retired while suspended, buried for a day, reset to new. Every
//! change of status goes through these transitions; the store calls them when it applies a
//! record, so a change and its replay are the same code.

use chrono::NaiveDate;

use super::card::{Card, Status};
use crate::schedule::sm2::CardState;

/// What unsuspending a deck did to one of its cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DeckUnsuspension {
    /// The card is back in reviews.
    Back,
    /// The card was suspended on its own and stays suspended.
    KeptOwn,
    Unchanged,
}

impl Card {
    /// Suspends the card on its own (by hand, from the review, as a leech): from now on its
    /// deck's suspension leaves it alone. Returns whether it left reviews.
    pub(crate) fn suspend(&mut self) -> bool {
        self.suspended_with_deck = false;
        self.set_status_unless_retired(Status::Suspended)
    }

    /// Brings a card suspended on its own (or with its deck) back. Returns whether it came back.
    pub(crate) fn unsuspend(&mut self) -> bool {
        self.suspended_with_deck = false;
        self.set_status_unless_retired(Status::Active)
    }

    fn set_status_unless_retired(&mut self, status: Status) -> bool {
        let changed = self.status != Status::Retired && self.status != status;
        if changed {
            self.status = status;
        }
        changed
    }

    /// Suspends the card with its deck or section. A retired card will come back suspended.
    /// Returns whether it left reviews.
    pub(crate) fn suspend_with_deck(&mut self) -> bool {
        match self.status {
            Status::Active => {
                self.status = Status::Suspended;
                self.suspended_with_deck = true;
                true
            }
            Status::Retired if !self.retired_while_suspended => {
                self.retired_while_suspended = true;
                self.suspended_with_deck = true;
                false
            }
            _ => false,
        }
    }

    /// Undoes [`Card::suspend_with_deck`]. When the deck was never suspended as a whole
    /// (`deck_was_suspended` false), every suspended card of it comes back.
    pub(crate) fn unsuspend_with_deck(&mut self, deck_was_suspended: bool) -> DeckUnsuspension {
        match self.status {
            Status::Suspended if self.suspended_with_deck || !deck_was_suspended => {
                self.status = Status::Active;
                self.suspended_with_deck = false;
                DeckUnsuspension::Back
            }
            Status::Suspended => DeckUnsuspension::KeptOwn,
            Status::Retired if self.suspended_with_deck => {
                self.retired_while_suspended = false;
                self.suspended_with_deck = false;
                DeckUnsuspension::Unchanged
            }
            _ => DeckUnsuspension::Unchanged,
        }
    }

    /// The card's question left the notes: it is hidden, with its progress, and remembers
    /// whether it was suspended.
    pub(crate) fn retire(&mut self) {
        if self.status != Status::Retired {
            self.retired_while_suspended = self.status == Status::Suspended;
            self.status = Status::Retired;
        }
    }

    /// The question is back: the card returns as it left (suspended if it was).
    pub(crate) fn restore(&mut self) {
        if self.status == Status::Retired {
            self.status = if self.retired_while_suspended {
                Status::Suspended
            } else {
                Status::Active
            };
            self.retired_while_suspended = false;
        }
    }

    /// Hides the card for the rest of study day `day`.
    pub(crate) fn bury(&mut self, day: NaiveDate) {
        self.buried = Some(day);
    }

    /// Back to new; the history stays in the log.
    pub(crate) fn reset(&mut self) {
        self.state = CardState::default();
        self.buried = None;
        self.fsrs = None;
        self.fsrs_before = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card() -> Card {
        Card {
            id: "c".into(),
            deck: "d".into(),
            section: String::new(),
            question: "Q?".into(),
            answer: "A.".into(),
            note: String::new(),
            line: 1,
            cloze: None,
            added: NaiveDate::default(),
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
            fsrs: None,
            fsrs_before: None,
        }
    }

    #[test]
    fn a_card_suspended_on_its_own_outlives_its_decks_unsuspension() {
        let mut own = card();
        assert!(own.suspend());
        assert!(!own.suspend());
        assert_eq!(own.unsuspend_with_deck(true), DeckUnsuspension::KeptOwn);
        assert_eq!(own.status, Status::Suspended);
        // A deck never suspended as a whole brings every suspended card back.
        assert_eq!(own.unsuspend_with_deck(false), DeckUnsuspension::Back);
        let mut with_deck = card();
        assert!(with_deck.suspend_with_deck());
        assert_eq!(with_deck.unsuspend_with_deck(true), DeckUnsuspension::Back);
        assert_eq!(with_deck.status, Status::Active);
    }

    #[test]
    fn a_retired_card_comes_back_as_it_left() {
        let mut suspended = card();
        suspended.suspend();
        suspended.retire();
        assert_eq!(suspended.status, Status::Retired);
        assert!(!suspended.unsuspend(), "a retired card stays retired");
        suspended.restore();
        assert_eq!(suspended.status, Status::Suspended);
        // Suspended with its deck while retired: it comes back suspended, unless the deck
        // is unsuspended first.
        let mut retired = card();
        retired.retire();
        assert!(!retired.suspend_with_deck());
        assert_eq!(retired.unsuspend_with_deck(true), DeckUnsuspension::Unchanged);
        retired.restore();
        assert_eq!(retired.status, Status::Active);
    }

    #[test]
    fn a_reset_forgets_progress_and_burial() {
        let mut card = card();
        card.state = crate::schedule::sm2::review(
            &card.state,
            crate::schedule::sm2::Grade::new(5).unwrap(),
            NaiveDate::default(),
        );
        card.bury(NaiveDate::default());
        card.reset();
        assert!(card.state.is_new() && card.buried.is_none());
    }
}
