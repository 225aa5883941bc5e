//! Finding a card by id without a copy of every id: cards are found through a 64-bit hash of
//! their id, checked against the card itself. Copying 100,000 ids into a map was a tenth of
//! the time to open a collection.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};

use crate::core::Card;

/// Card id to position in the collection's card list.
#[derive(Debug, Default)]
pub(super) struct IdIndex {
    hasher: RandomState,
    by_hash: HashMap<u64, usize>,
    /// Ids whose hash another id already has (in practice never, but it must still work).
    collided: HashMap<String, usize>,
}

impl IdIndex {
    /// Indexes `cards`; also returns the position of the first card whose id an earlier card
    /// has (that card is left out of the index).
    pub(super) fn build(cards: &[Card]) -> (IdIndex, Option<usize>) {
        let mut index = IdIndex::default();
        index.by_hash.reserve(cards.len());
        let mut duplicate = None;
        for (at, card) in cards.iter().enumerate() {
            if !index.insert(cards, &card.id, at) {
                duplicate.get_or_insert(at);
            }
        }
        (index, duplicate)
    }

    /// Records that `cards[at]` has `id`; `cards` holds the cards indexed so far. False, and
    /// nothing recorded, when another card has that id already.
    pub(super) fn insert(&mut self, cards: &[Card], id: &str, at: usize) -> bool {
        if self.find(cards, id).is_some_and(|other| other != at) {
            return false;
        }
        let hash = self.hasher.hash_one(id);
        match self.by_hash.get(&hash) {
            Some(&other) if other != at && cards.get(other).is_some_and(|c| c.id != id) => {
                self.collided.insert(id.to_string(), at);
            }
            _ => {
                self.by_hash.insert(hash, at);
            }
        }
        true
    }

    pub(super) fn find(&self, cards: &[Card], id: &str) -> Option<usize> {
        if let Some(&at) = self.collided.get(id) {
            return Some(at);
        }
        let at = *self.by_hash.get(&self.hasher.hash_one(id))?;
        (cards.get(at)?.id == id).then_some(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Status;
    use crate::schedule::sm2::CardState;

    fn card(id: &str) -> Card {
        Card {
            id: id.into(),
            deck: "d".into(),
            section: String::new(),
            question: "q".into(),
            answer: "a".into(),
            note: String::new(),
            line: 1,
            added: chrono::NaiveDate::MIN,
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
        }
    }

    #[test]
    fn finds_every_card_and_nothing_else() {
        let cards: Vec<Card> = (0..1000).map(|n| card(&format!("id{n}"))).collect();
        let (index, duplicate) = IdIndex::build(&cards);
        assert_eq!(duplicate, None);
        for (at, card) in cards.iter().enumerate() {
            assert_eq!(index.find(&cards, &card.id), Some(at));
        }
        assert_eq!(index.find(&cards, "missing"), None);
    }

    #[test]
    fn a_repeated_id_is_found_and_left_out() {
        let cards = vec![card("a"), card("b"), card("a"), card("a")];
        let (index, duplicate) = IdIndex::build(&cards);
        assert_eq!(duplicate, Some(2));
        assert_eq!(index.find(&cards, "a"), Some(0));
    }

    #[test]
    fn a_hash_collision_still_finds_both_cards() {
        let cards = vec![card("a"), card("b")];
        let mut index = IdIndex::default();
        // Force the collision: "b" is filed under "a"'s hash, as a real collision would be.
        let hash = index.hasher.hash_one("a");
        index.by_hash.insert(hash, 0);
        let hash_of_b = index.hasher.hash_one("b");
        index.by_hash.insert(hash_of_b, 0);
        index.insert(&cards, "b", 1);
        assert_eq!(index.find(&cards, "a"), Some(0));
        assert_eq!(index.find(&cards, "b"), Some(1));
    }
}
