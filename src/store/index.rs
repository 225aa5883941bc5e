//! Finding a card by id without a copy of every id: cards are found through a 64-bit hash of
//! their id, checked against the card itself. Copying 100,000 ids into a map was a tenth of
//! the time to open a collection. The hash is a quick one with a random seed: ids that
//! collide (by chance or made to) are kept in a second map with the standard hasher, so a
//! crafted collection can slow nothing down.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use crate::core::Card;

/// Card id to position in the collection's card list.
#[derive(Debug)]
pub(super) struct IdIndex {
    seed: u64,
    by_hash: HashMap<u64, usize, BuildHasherDefault<AsIs>>,
    /// Ids whose hash another id already has (in practice never, but it must still work).
    collided: HashMap<String, usize>,
}

impl Default for IdIndex {
    fn default() -> Self {
        IdIndex {
            seed: RandomState::new().hash_one(0u8) | 1,
            by_hash: HashMap::default(),
            collided: HashMap::new(),
        }
    }
}

/// The keys of `by_hash` are hashes already.
#[derive(Debug, Default)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

impl IdIndex {
    /// Indexes `cards`; also returns the position of the first card whose id an earlier card
    /// has (that card is left out of the index).
    pub(super) fn build(cards: &[Card]) -> (IdIndex, Option<usize>) {
        let mut index = IdIndex::default();
        index.by_hash.reserve(cards.len());
        let mut duplicate = None;
        for (at, card) in cards.iter().enumerate() {
            // An id whose hash is not filed yet is filed at once: one hash, one look-up.
            let hash = index.hash(&card.id);
            let added = match index.by_hash.entry(hash) {
                Entry::Vacant(slot) => {
                    slot.insert(at);
                    true
                }
                Entry::Occupied(_) => index.insert(cards, &card.id, at),
            };
            if !added {
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
        let hash = self.hash(id);
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

    /// A quick seeded hash of `id`, eight bytes at a time.
    fn hash(&self, id: &str) -> u64 {
        let mut hash = self.seed;
        let mut chunks = id.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        for &byte in chunks.remainder() {
            hash = (hash.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
        hash ^ (hash >> 29)
    }

    pub(super) fn find(&self, cards: &[Card], id: &str) -> Option<usize> {
        if let Some(&at) = self.collided.get(id) {
            return Some(at);
        }
        let at = *self.by_hash.get(&self.hash(id))?;
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
            cloze: None,
            added: chrono::NaiveDate::MIN,
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
        let hash = index.hash("a");
        index.by_hash.insert(hash, 0);
        let hash_of_b = index.hash("b");
        index.by_hash.insert(hash_of_b, 0);
        index.insert(&cards, "b", 1);
        assert_eq!(index.find(&cards, "a"), Some(0));
        assert_eq!(index.find(&cards, "b"), Some(1));
    }
}
