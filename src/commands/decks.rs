//! `recall decks`: card counts per deck and state.

use std::io::Write;

use super::{Context, stdout_error, write_json};
use crate::cli::{FormatArgs, TextOrJson};
use crate::error::Result;
use crate::stats::decks::{DeckCounts, deck_counts};
use crate::text::visible_line;

pub(super) fn run(context: &Context, args: &FormatArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_existing()?;
    let today = context.today(&store);
    let rows = deck_counts(&store, today);
    match args.format {
        TextOrJson::Json => write_json(out, &rows),
        TextOrJson::Text => write_table(&rows, out).map_err(stdout_error),
    }
}

/// The table of deck counts.
pub(super) fn write_table(rows: &[DeckCounts], out: &mut impl Write) -> std::io::Result<()> {
    if rows.is_empty() {
        return writeln!(out, "No decks yet: add notes with `recall import NOTES`.");
    }
    let name = |row: &DeckCounts| {
        let name = visible_line(&row.deck).into_owned();
        if row.example {
            format!("{name} (example)")
        } else {
            name
        }
    };
    let width = rows
        .iter()
        .map(|r| name(r).chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>6}  {:>9}  {:>7}  {:>7}",
        "DECK", "NEW", "REVIEW", "DUE", "SUSPENDED", "RETIRED", "NEW/DAY"
    )?;
    for row in rows {
        let limit = row.new_per_day.map_or("-".to_string(), |n| n.to_string());
        writeln!(
            out,
            "{:<width$}  {:>6}  {:>6}  {:>6}  {:>9}  {:>7}  {:>7}",
            name(row),
            row.new,
            row.review,
            row.due,
            row.suspended,
            row.retired,
            limit
        )?;
    }
    Ok(())
}
