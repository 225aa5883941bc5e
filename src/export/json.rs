//! The JSON export: decks, cards with their state, and every review, one per line.

use std::collections::{HashMap, HashSet};
use std::io::Write;

use serde::Serialize;

use super::card::ExportedCard;
use super::{EXPORT_FORMAT, selected};
use crate::clock::Timestamp;
use crate::core::Selection;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::baseline::SnapshotDeck;

/// Writes the JSON export: `{"format", "version", "exported_at", "decks", "cards",
/// "reviews"}`, one deck, card or review per line. The reviews are the records of grades,
/// undos, buries and suspensions of the exported cards, from every device's log in the
/// collection's order, numbered anew from 1 (an undo names the new number of what it undoes);
/// unreadable records are skipped and returned as warnings. `failed` turns a write error into
/// the error that names the output.
pub(crate) fn json(
    store: &Store,
    selection: &Selection,
    now: Timestamp,
    out: &mut dyn Write,
    failed: &dyn Fn(std::io::Error) -> Error,
) -> Result<Vec<String>> {
    let cards = selected(store, selection);
    let ids: HashSet<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    let mut matcher = selection.matcher();
    let decks: Vec<SnapshotDeck> = store
        .decks()
        .iter()
        .filter(|d| matcher.deck(&d.name))
        .map(|deck| SnapshotDeck {
            name: deck.name.clone(),
            source: deck.source(store.device()).map(std::path::Path::to_path_buf),
            format: deck.format,
            headings: deck.headings.clone(),
            example: deck.example,
            new_per_day: deck.new_per_day,
            follows_title: deck.follows_title,
        })
        .collect();
    let views: Vec<ExportedCard> = cards
        .iter()
        .map(|c| ExportedCard::new(c, store.settings.leech_threshold))
        .collect();
    let exported_at = serde_json::to_string(&now).map_err(|e| failed(e.into()))?;
    write!(
        out,
        "{{\n  \"format\": \"{EXPORT_FORMAT}\",\n  \"version\": {},\n  \"exported_at\": {exported_at},\n",
        crate::store::FORMAT,
    )
    .map_err(failed)?;
    write_array(out, "decks", &decks, ",").map_err(failed)?;
    write_array(out, "cards", &views, ",").map_err(failed)?;
    write!(out, "  \"reviews\": [").map_err(failed)?;
    let mut first = true;
    let mut error = None;
    // Each device numbers its own records; the export numbers them all.
    let mut numbers: HashMap<(String, u64), u64> = HashMap::new();
    let mut next = 0u64;
    let warnings = store.for_each_record(|device, mut record| {
        if error.is_some() || !record.kind.is_review_log() || !ids.contains(record.card.as_str()) {
            return;
        }
        next += 1;
        if record.kind != crate::core::Kind::Undo {
            numbers.insert((device.to_string(), record.id), next);
        }
        record.undoes = record
            .undoes
            .and_then(|undone| numbers.get(&(device.to_string(), undone)).copied());
        record.id = next;
        record.follows = None;
        let separator: &[u8] = if first { b"\n    " } else { b",\n    " };
        first = false;
        let written = out
            .write_all(separator)
            .and_then(|()| serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from));
        if let Err(e) = written {
            error = Some(e);
        }
    })?;
    if let Some(e) = error {
        return Err(failed(e));
    }
    let close = if first { "]" } else { "\n  ]" };
    writeln!(out, "{close}\n}}").map_err(failed)?;
    Ok(warnings)
}

/// `"name": [` then each item compact on its own line, then `]` and `trailer`.
fn write_array<T: Serialize>(
    out: &mut dyn Write,
    name: &str,
    items: &[T],
    trailer: &str,
) -> std::io::Result<()> {
    write!(out, "  \"{name}\": [")?;
    let mut first = true;
    for item in items {
        let separator = if first { "" } else { "," };
        write!(out, "{separator}\n    ")?;
        serde_json::to_writer(&mut *out, item)?;
        first = false;
    }
    let close = if first { "]" } else { "\n  ]" };
    writeln!(out, "{close}{trailer}")
}
