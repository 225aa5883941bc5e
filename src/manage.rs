//! Changing the collection by hand: renaming, removing, suspending and resetting, with deck
//! and section names matched the way people type them (case-insensitive, any unambiguous
//! prefix). Every change is a record committed to the log; the caller saves the caches.

use std::collections::BTreeSet;

use crate::core::{Deck, Kind, Record, Stamp};
use crate::error::{Error, Result};
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
    resolve(typed, store.decks().iter().map(|d| d.name.as_str()), "deck").map(str::to_string)
}

/// The section of `deck` that `typed` means.
pub(crate) fn resolve_section(store: &Store, deck: &str, typed: &str) -> Result<String> {
    let sections = store
        .cards()
        .iter()
        .filter(|c| c.deck == deck)
        .map(|c| c.section.as_str());
    resolve(typed, sections, &format!("section of {deck:?}")).map(str::to_string)
}

/// Renames a deck: its cards and its review history go with it. A deck renamed by hand keeps
/// its name when its notes get a new title.
pub(crate) fn rename_deck(store: &mut Store, old: &str, new: &str, stamp: Stamp) -> Result<usize> {
    let new = new.trim();
    Deck::check_name(new)?;
    if store
        .decks()
        .iter()
        .any(|d| d.name != old && d.name.eq_ignore_ascii_case(new))
    {
        return Err(Error::usage(format!("a deck named {new:?} exists already")));
    }
    let cards = store.cards().iter().filter(|c| c.deck == old).count();
    store.commit(vec![Record {
        to: Some(new.to_string()),
        ..Record::for_deck(Kind::DeckRenamed, old, stamp)
    }])?;
    Ok(cards)
}

/// Removes a deck: its cards are retired with their progress (importing its notes again brings
/// them back); the log keeps every record.
pub(crate) fn remove_deck(store: &mut Store, name: &str, stamp: Stamp) -> Result<()> {
    store.commit(vec![Record::for_deck(Kind::DeckRemoved, name, stamp)])?;
    Ok(())
}

/// Gives `deck` a new-card limit of its own (`None`: the global limit alone).
pub(crate) fn set_new_per_day(store: &mut Store, deck: &str, limit: Option<u32>, stamp: Stamp) -> Result<()> {
    store.commit(vec![Record {
        limit,
        ..Record::for_deck(Kind::DeckLimit, deck, stamp)
    }])?;
    Ok(())
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
    stamp: Stamp,
) -> Result<Suspension> {
    let kind = if suspended {
        Kind::DeckSuspended
    } else {
        Kind::DeckUnsuspended
    };
    let applied = store.commit(vec![Record {
        section: section.map(str::to_string),
        ..Record::for_deck(kind, deck, stamp)
    }])?;
    let applied = applied.into_iter().next().unwrap_or_default();
    Ok(Suspension {
        changed: applied.changed,
        kept: applied.kept,
    })
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

/// Suspends or unsuspends the cards at `positions` on their own; returns how many changed.
pub(crate) fn set_cards_suspended(
    store: &mut Store,
    positions: &[usize],
    suspended: bool,
    stamp: Stamp,
) -> Result<usize> {
    let kind = if suspended { Kind::Suspend } else { Kind::Unsuspend };
    let applied = store.commit(card_records(store, positions, kind, stamp))?;
    Ok(applied.iter().map(|a| a.changed).sum())
}

/// Puts the cards at `positions` back to new; their review history stays in the log.
pub(crate) fn reset_cards(store: &mut Store, positions: &[usize], stamp: Stamp) -> Result<usize> {
    store.commit(card_records(store, positions, Kind::Reset, stamp))?;
    Ok(positions.len())
}

/// A record of `kind` for each card at `positions`.
fn card_records(store: &Store, positions: &[usize], kind: Kind, stamp: Stamp) -> Vec<Record> {
    positions
        .iter()
        .filter_map(|&at| store.cards().get(at))
        .map(|card| Record::new(kind, &card.id, stamp))
        .collect()
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
