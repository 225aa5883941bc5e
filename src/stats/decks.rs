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
    pub new: usize,
    pub(crate) review: usize,
    pub due: usize,
    pub(crate) suspended: usize,
    pub retired: usize,
    pub(crate) source: Option<String>,
}

/// Counts for every deck, in import order.
pub(crate) fn deck_counts(store: &Store, today: NaiveDate) -> Vec<DeckCounts> {
    let mut rows: Vec<DeckCounts> = store
        .collection
        .decks
        .iter()
        .map(|deck| DeckCounts {
            deck: deck.name.clone(),
            source: deck.source.as_ref().map(|p| p.display().to_string()),
            ..Default::default()
        })
        .collect();
    let position: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(at, row)| (row.deck.clone(), at))
        .collect();
    for card in &store.collection.cards {
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
