//! Card counts per deck: new, in review, due, suspended and retired.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::Status;
use crate::store::Store;

/// One row of the table.
#[derive(Debug, Default, Serialize)]
pub(crate) struct DeckCounts {
    pub(crate) deck: String,
    pub(crate) new: usize,
    pub(crate) review: usize,
    pub(crate) due: usize,
    pub(crate) suspended: usize,
    pub(crate) retired: usize,
    pub(crate) source: Option<String>,
    /// The deck's own limit on new cards a day, if it has one.
    pub(crate) new_per_day: Option<u32>,
    /// The example deck that ships with the program.
    pub(crate) example: bool,
}

/// Counts for every deck, in import order.
pub(crate) fn deck_counts(store: &Store, today: NaiveDate) -> Vec<DeckCounts> {
    let mut rows: Vec<DeckCounts> = store
        .decks()
        .iter()
        .map(|deck| DeckCounts {
            deck: deck.name.clone(),
            source: deck.source(store.device()).map(|p| p.display().to_string()),
            new_per_day: deck.new_per_day,
            example: deck.example,
            ..Default::default()
        })
        .collect();
    let position: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(at, row)| (row.deck.clone(), at))
        .collect();
    for card in store.cards() {
        let Some(&at) = position.get(&card.deck) else {
            continue;
        };
        let row = &mut rows[at];
        match card.status {
            Status::Suspended => row.suspended += 1,
            Status::Retired => row.retired += 1,
            Status::Active if card.state.is_new() => row.new += 1,
            Status::Active => {
                row.review += 1;
                if card.state.due.is_some_and(|due| due <= today) {
                    row.due += 1;
                }
            }
        }
    }
    rows
}
