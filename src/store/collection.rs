//! The collection in memory: decks, cards and the review statistics per day, as the records of
//! the logs made them. Only [`super::apply`] changes it; everything else reads it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::devices::Devices;
use super::index::IdIndex;
use crate::core::history::{self, DayEntry, Tally};
use crate::core::{Card, Deck};

/// Decks, cards and statistics.
#[derive(Debug, Default)]
pub struct Collection {
    pub(crate) decks: Vec<Deck>,
    pub(crate) cards: Vec<Card>,
    pub(super) index: IdIndex,
    /// Reviews per study day and deck, folded.
    pub(super) history: Vec<DayEntry>,
    /// Statistics of records applied since `history` was last folded.
    pub(super) pending: HashMap<(NaiveDate, String), Tally>,
    /// The card text changed since the caches were written (an import, a removal).
    pub(super) text_changed: bool,
    /// The folded statistics changed (a deck renamed, older statistics taken over).
    pub(super) history_changed: bool,
    /// Which device added each card, cards two devices added once, decks renamed away.
    pub(super) devices: Devices,
    /// The FSRS model the cards' FSRS memories are computed with.
    pub(super) fsrs: crate::schedule::fsrs::Scheduler,
}

impl Collection {
    pub(crate) fn deck(&self, name: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.name == name)
    }

    pub(crate) fn deck_mut(&mut self, name: &str) -> Option<&mut Deck> {
        self.decks.iter_mut().find(|d| d.name == name)
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.index.find(&self.cards, id)
    }

    pub(crate) fn card_mut(&mut self, id: &str) -> Option<&mut Card> {
        let at = self.position(id)?;
        self.cards.get_mut(at)
    }

    /// Adds `card`, made by `device`, unless a card has its id already; returns whether it was
    /// added.
    pub(super) fn add_card(&mut self, card: Card, device: &str) -> bool {
        if self.position(&card.id).is_some() {
            return false;
        }
        let at = self.cards.len();
        self.devices.added(at, &card.deck, &card.question, device);
        self.cards.push(card);
        self.index.insert(&self.cards, &self.cards[at].id, at);
        self.text_changed = true;
        true
    }

    /// Puts `cards` in place of the collection's cards, indexing them; returns the position
    /// of the first card whose id an earlier one has.
    pub(super) fn set_cards(&mut self, cards: Vec<Card>) -> Option<usize> {
        let (index, duplicate) = IdIndex::build(&cards);
        self.cards = cards;
        self.index = index;
        duplicate
    }

    /// Renames deck `old` to `new`: the deck, its cards and its days of statistics. A deck
    /// called `new` already takes `old`'s cards.
    pub(super) fn rename_deck(&mut self, old: &str, new: &str) {
        self.devices.renamed(old, new);
        if self.deck(new).is_some() {
            self.decks.retain(|d| d.name != old);
        } else if let Some(deck) = self.deck_mut(old) {
            deck.name = new.to_string();
        }
        for card in self.cards.iter_mut().filter(|c| c.deck == old) {
            card.deck = new.to_string();
        }
        for day in self.history.iter_mut().filter(|d| d.deck == old) {
            day.deck = new.to_string();
        }
        history::sort(&mut self.history);
        let renamed: Vec<_> = self
            .pending
            .keys()
            .filter(|(_, deck)| deck == old)
            .cloned()
            .collect();
        for key in renamed {
            if let Some(tally) = self.pending.remove(&key) {
                self.pending
                    .entry((key.0, new.to_string()))
                    .or_default()
                    .add(&tally);
            }
        }
        self.text_changed = true;
        self.history_changed = true;
    }

    /// Adds what a record does to the statistics of its day and deck.
    pub(super) fn tally(&mut self, day: NaiveDate, deck: &str, tally: &Tally) {
        self.pending
            .entry((day, deck.to_string()))
            .or_default()
            .add(tally);
    }

    /// The statistics with the pending ones folded in.
    pub(super) fn folded_history(&self) -> Vec<DayEntry> {
        let mut folded = self.history.clone();
        history::fold(&mut folded, &self.pending);
        folded
    }

    /// Reviews per study day and deck, folded and pending alike (unsorted).
    pub(crate) fn history(&self) -> impl Iterator<Item = (NaiveDate, &str, Tally)> {
        let folded = self.history.iter().map(|e| (e.day, e.deck.as_str(), e.tally));
        folded.chain(
            self.pending
                .iter()
                .map(|((day, deck), tally)| (*day, deck.as_str(), *tally)),
        )
    }
}
