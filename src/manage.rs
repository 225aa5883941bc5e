//! Changing the collection by hand: renaming, removing, suspending and resetting, with deck
//! and section names matched the way people type them (case-insensitive, any unambiguous
//! prefix). Every function changes the store in memory; the caller saves.

use std::collections::BTreeSet;

use crate::core::{Card, Deck, Status};
use crate::error::{Error, Result};
use crate::schedule::sm2::CardState;
use crate::store::Store;
use crate::text::quoted_list;

/// The one name among `candidates` that `typed` means: an exact match ignoring case, else the
/// only name it is a prefix of. `what` names the kind of thing in messages ("deck").
pub(crate) fn resolve<'a>(
    typed: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    what: &str,
) -> Result<&'a str> {
    let all: BTreeSet<&str> = candidates.into_iter().collect();
    let typed_lower = typed.to_lowercase();
    if let Some(exact) = all.iter().find(|name| name.to_lowercase() == typed_lower) {
        return Ok(exact);
    }
    let matches: Vec<&str> = all
        .iter()
        .copied()
        .filter(|name| name.to_lowercase().starts_with(&typed_lower))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(no_match(what, typed, &all)),
        several => Err(Error::usage(format!(
            "{typed:?} could mean {}; type more of the name",
            quoted_list(several.iter().copied())
        ))),
    }
}

/// The refusal of a `what` (deck, section) name that matches none of `names`, listing them.
pub(crate) fn no_match(what: &str, typed: &str, names: &BTreeSet<&str>) -> Error {
    let named: Vec<&str> = names.iter().copied().filter(|name| !name.is_empty()).collect();
    if named.is_empty() {
        Error::usage(format!("no {what} matches {typed:?}: there are none"))
    } else {
        Error::usage(format!(
            "no {what} matches {typed:?}; choose one of {}",
            quoted_list(named)
        ))
    }
}

/// The deck `typed` means.
pub(crate) fn resolve_deck(store: &Store, typed: &str) -> Result<String> {
    resolve(
        typed,
        store.collection.decks.iter().map(|d| d.name.as_str()),
        "deck",
    )
    .map(str::to_string)
}

/// The section of `deck` that `typed` means.
pub(crate) fn resolve_section(store: &Store, deck: &str, typed: &str) -> Result<String> {
    let sections = store
        .collection
        .cards
        .iter()
        .filter(|c| c.deck == deck)
        .map(|c| c.section.as_str());
    resolve(typed, sections, &format!("section of {deck:?}")).map(str::to_string)
}

/// Renames a deck on its record, its cards and its review history.
pub(crate) fn rename_deck(store: &mut Store, old: &str, new: &str) -> Result<usize> {
    let new = new.trim();
    Deck::check_name(new)?;
    if store
        .collection
        .decks
        .iter()
        .any(|d| d.name != old && d.name.eq_ignore_ascii_case(new))
    {
        return Err(Error::usage(format!("a deck named {new:?} exists already")));
    }
    let cards = store.rename_deck(old, new);
    for deck in store.collection.decks.iter_mut().filter(|d| d.name == new) {
        // Named by the user now: a new title of the notes leaves it alone.
        deck.follows_title = false;
    }
    Ok(cards)
}

/// Removes a deck and its cards; the review log and history keep their records.
pub(crate) fn remove_deck(store: &mut Store, name: &str) -> usize {
    store.collection.decks.retain(|d| d.name != name);
    store.remove_cards(|card| card.deck == name)
}

/// Gives `deck` a new-card limit of its own (`None`: the global limit alone).
pub(crate) fn set_new_per_day(store: &mut Store, deck: &str, limit: Option<u32>) {
    for found in store.collection.decks.iter_mut().filter(|d| d.name == deck) {
        found.new_per_day = limit;
    }
}

/// What a deck or section (un)suspension changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Suspension {
    pub(crate) changed: usize,
    /// On unsuspending: the cards suspended on their own, which stay suspended.
    pub(crate) kept: Vec<String>,
}

/// Suspends (or unsuspends) the cards of `deck`, or of one section of it. Unsuspending brings
/// back the cards the deck's suspension took out, or every suspended card when none was (the
/// deck was never suspended as a whole). Retired cards keep the deck's choice for their return.
pub(crate) fn set_suspended(
    store: &mut Store,
    deck: &str,
    section: Option<&str>,
    suspended: bool,
) -> Suspension {
    let selected = |card: &Card| card.deck == deck && section.is_none_or(|s| card.section == s);
    let cards = &mut store.collection.cards;
    let any_marked = cards
        .iter()
        .any(|card| selected(card) && card.suspended_with_deck);
    let mut result = Suspension {
        changed: 0,
        kept: Vec::new(),
    };
    for card in cards.iter_mut().filter(|card| selected(card)) {
        match (suspended, card.status) {
            (true, Status::Active) => {
                card.status = Status::Suspended;
                card.suspended_with_deck = true;
                result.changed += 1;
            }
            (true, Status::Retired) if !card.retired_while_suspended => {
                card.retired_while_suspended = true;
                card.suspended_with_deck = true;
            }
            (false, Status::Suspended) if card.suspended_with_deck || !any_marked => {
                card.status = Status::Active;
                card.suspended_with_deck = false;
                result.changed += 1;
            }
            (false, Status::Suspended) => result.kept.push(card.id.clone()),
            (false, Status::Retired) if card.suspended_with_deck => {
                card.retired_while_suspended = false;
                card.suspended_with_deck = false;
            }
            _ => {}
        }
    }
    result
}

/// The positions of the cards with these ids, or an error naming the unknown ones.
pub(crate) fn find_cards(store: &Store, ids: &[String]) -> Result<Vec<usize>> {
    let mut unknown = Vec::new();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in ids {
        match store.card_position(id) {
            // An id given twice is one card.
            Some(at) if !seen.insert(at) => {}
            Some(at) => found.push(at),
            None => unknown.push(id.as_str()),
        }
    }
    if unknown.is_empty() {
        Ok(found)
    } else {
        Err(Error::usage(format!(
            "no card has the id {}; `recall cards` lists them",
            unknown.join(", ")
        )))
    }
}

/// Suspends or unsuspends the cards at `positions`; returns how many changed.
pub(crate) fn set_cards_suspended(store: &mut Store, positions: &[usize], suspended: bool) -> usize {
    let mut changed = 0;
    for &at in positions {
        let card: &mut Card = &mut store.collection.cards[at];
        let to = if suspended {
            Status::Suspended
        } else {
            Status::Active
        };
        if card.status != Status::Retired && card.status != to {
            card.status = to;
            changed += 1;
        }
        // From now on the card is suspended (or not) on its own, whatever its deck does.
        card.suspended_with_deck = false;
    }
    changed
}

/// Puts the cards at `positions` back to new; their review history stays in the log.
pub(crate) fn reset_cards(store: &mut Store, positions: &[usize]) -> usize {
    for &at in positions {
        store.collection.cards[at].state = CardState::default();
        store.collection.cards[at].buried = None;
    }
    positions.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DECKS: [&str; 4] = ["EECS498 Computer Vision", "Databases", "Data Mining", "Biology"];

    #[test]
    fn names_match_by_case_insensitive_unambiguous_prefix() {
        assert_eq!(resolve("eecs", DECKS, "deck").unwrap(), "EECS498 Computer Vision");
        assert_eq!(resolve("BIOLOGY", DECKS, "deck").unwrap(), "Biology");
        assert_eq!(resolve("databases", DECKS, "deck").unwrap(), "Databases");
        let ambiguous = resolve("data", DECKS, "deck").unwrap_err().to_string();
        assert_eq!(
            ambiguous,
            "\"data\" could mean \"Data Mining\", \"Databases\"; type more of the name"
        );
        let unknown = resolve("chem", DECKS, "deck").unwrap_err().to_string();
        assert_eq!(
            unknown,
            "no deck matches \"chem\"; choose one of \"Biology\", \"Data Mining\", \"Databases\", \"EECS498 Computer Vision\""
        );
        // An exact name wins even when it is also a prefix of another.
        assert_eq!(resolve("data", ["Data", "Databases"], "deck").unwrap(), "Data");
        assert!(
            resolve("x", [], "deck")
                .unwrap_err()
                .to_string()
                .contains("there are none")
        );
    }
}
