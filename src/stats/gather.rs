//! Reading what the statistics need from the store: the selected cards, the review totals per
//! day, and today's records.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use super::Input;
use crate::clock::Timestamp;
use crate::core::history::Tally;
use crate::core::{Card, Selection};
use crate::error::Result;
use crate::store::Store;

/// Reads what the statistics need for `selection` from `store`. With a section filter the log
/// is read in full, since the folded history is kept per deck, not per section.
pub fn gather<'a>(
    store: &'a Store,
    selection: &Selection,
    today: NaiveDate,
    now: Timestamp,
) -> Result<Input<'a>> {
    let mut matcher = selection.matcher();
    let cards: Vec<&Card> = store.cards().iter().filter(|c| matcher.card(c)).collect();
    let selected: HashSet<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    let mut days: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
    let warnings = if selection.section.is_some() {
        store.for_each_record(|_, record| {
            if let Some(tally) = Tally::of(&record).filter(|_| selected.contains(record.card.as_str())) {
                days.entry(record.day).or_default().add(&tally);
            }
        })?
    } else {
        for (day, deck, tally) in store.history() {
            if matcher.deck(deck) {
                days.entry(day).or_default().add(&tally);
            }
        }
        Vec::new()
    };
    // The whole collection keeps the reviews of removed decks, as the daily history does.
    let whole = selection.deck.is_none() && selection.section.is_none();
    let today_records = store
        .recent_records(today)?
        .into_iter()
        .filter(|r| whole || selected.contains(r.card.as_str()))
        .collect();
    Ok(Input {
        cards,
        days,
        today_records,
        today,
        now,
        leech_threshold: store.settings.leech_threshold,
        schedule: store.schedule(),
        warnings,
    })
}
