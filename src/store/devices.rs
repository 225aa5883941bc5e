//! What keeps the records of several devices one collection: which device added each card,
//! cards that two devices added for the same question (one card: the earliest addition's id,
//! the later id an alias of it), and deck names renamed away (a record written before its
//! device saw the rename still finds the deck).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::core::Card;
use crate::core::identity::canonical;

/// The devices' shares in the collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Devices {
    /// The devices that added cards, by number.
    devices: Vec<String>,
    /// For each card, by position: the number of the device that added it.
    origins: Vec<u16>,
    /// Cards another device's addition was folded into, and that device's number.
    claims: HashSet<(usize, u16)>,
    /// Card ids a device added for a card that stood already, to that card's id.
    card_aliases: BTreeMap<String, String>,
    /// Deck names renamed away, to the deck's name now.
    deck_aliases: BTreeMap<String, String>,
    /// Cards by deck and question, kept once a second device adds cards.
    #[serde(skip)]
    by_question: Option<HashMap<(String, String), Vec<usize>>>,
}

impl Devices {
    /// The card `id` stands for, when another device's card took its place.
    pub(crate) fn card_alias(&self, id: &str) -> Option<String> {
        self.card_aliases.get(id).cloned()
    }

    /// The deck `name` stands for now, when it was renamed away.
    pub(crate) fn deck_alias(&self, name: &str) -> Option<String> {
        self.deck_aliases.get(name).cloned()
    }

    fn number(&mut self, device: &str) -> u16 {
        match self.devices.iter().position(|d| d == device) {
            Some(at) => at as u16,
            None => {
                self.devices.push(device.to_string());
                (self.devices.len() - 1) as u16
            }
        }
    }

    /// The card another device added for `question` in `deck`, not yet matched with a card
    /// of `device`: the card `device` adds now is that one. Only collections that more than
    /// one device added cards to are looked at.
    pub(crate) fn twin(&mut self, cards: &[Card], deck: &str, question: &str, device: &str) -> Option<usize> {
        let number = self.number(device);
        if self.devices.len() < 2 {
            return None;
        }
        let origins = &self.origins;
        let by_question = self.by_question.get_or_insert_with(|| {
            let mut map: HashMap<(String, String), Vec<usize>> = HashMap::new();
            for (at, card) in cards.iter().enumerate().filter(|(at, _)| at < &origins.len()) {
                map.entry((card.deck.clone(), canonical(&card.question)))
                    .or_default()
                    .push(at);
            }
            map
        });
        let candidates = by_question.get(&(deck.to_string(), canonical(question)))?;
        candidates
            .iter()
            .copied()
            .find(|&at| self.origins.get(at) != Some(&number) && !self.claims.contains(&(at, number)))
    }

    /// Card `id`, added by `device`, is the card at `at`.
    pub(crate) fn folded_into(&mut self, id: &str, at: usize, into: &str, device: &str) {
        let number = self.number(device);
        self.claims.insert((at, number));
        self.card_aliases.insert(id.to_string(), into.to_string());
    }

    /// The card at `at`, with `deck` and `question`, was added by `device`.
    pub(crate) fn added(&mut self, at: usize, deck: &str, question: &str, device: &str) {
        let number = self.number(device);
        if self.origins.len() <= at {
            self.origins.resize(at + 1, number);
        }
        self.origins[at] = number;
        if let Some(map) = &mut self.by_question {
            map.entry((deck.to_string(), canonical(question)))
                .or_default()
                .push(at);
        }
    }

    /// The card at `at` changed its deck or question.
    pub(crate) fn changed(&mut self, at: usize, before: (&str, &str), after: (&str, &str)) {
        if let Some(map) = &mut self.by_question {
            if let Some(list) = map.get_mut(&(before.0.to_string(), canonical(before.1))) {
                list.retain(|&other| other != at);
            }
            map.entry((after.0.to_string(), canonical(after.1)))
                .or_default()
                .push(at);
        }
    }

    /// Deck `old` is now `new`.
    pub(crate) fn renamed(&mut self, old: &str, new: &str) {
        for target in self.deck_aliases.values_mut().filter(|target| *target == old) {
            *target = new.to_string();
        }
        self.deck_aliases.remove(new);
        self.deck_aliases.insert(old.to_string(), new.to_string());
        self.by_question = None;
    }

    /// A deck called `name` was made: the name is no longer an alias.
    pub(crate) fn deck_made(&mut self, name: &str) {
        self.deck_aliases.remove(name);
    }
}
