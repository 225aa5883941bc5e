//! `recall decks`: card counts per deck and state.

use std::collections::HashMap;
use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Context, stdout_error, today, write_json};
use crate::cli::{FormatArgs, TextOrJson};
use crate::error::Result;
use crate::store::{Status, Store};

/// One row of the table.
#[derive(Debug, Default, Serialize)]
pub struct DeckCounts {
    pub deck: String,
    pub new: usize,
    pub review: usize,
    pub due: usize,
    pub suspended: usize,
    pub retired: usize,
    pub source: Option<String>,
}

pub fn run(context: &Context, args: &FormatArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open()?;
    let (_, today) = today(&store)?;
    let rows = deck_counts(&store, today);
    match args.format {
        TextOrJson::Json => write_json(out, &rows),
        TextOrJson::Text => write_table(&rows, out).map_err(stdout_error),
    }
}

/// Counts for every deck, in import order.
pub fn deck_counts(store: &Store, today: NaiveDate) -> Vec<DeckCounts> {
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

/// The table of deck counts.
pub fn write_table(rows: &[DeckCounts], out: &mut impl Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No decks yet: add notes with `recall import NOTES`.");
    }
    let width = rows
        .iter()
        .map(|r| r.deck.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>6}  {:>9}  {:>7}",
        "DECK", "NEW", "REVIEW", "DUE", "SUSPENDED", "RETIRED"
    )?;
    for row in rows {
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>6}  {:>6}  {:>9}  {:>7}",
            row.deck, row.new, row.review, row.due, row.suspended, row.retired
        )?;
    }
    Ok(())
}
