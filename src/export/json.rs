//! The JSON export: decks, cards with their state, and every review, one per line.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Write;

use serde::{Deserialize, Serialize};

use super::card::ExportedCard;
use super::{EXPORT_FORMAT, selected};
use crate::clock::Timestamp;
use crate::core::Selection;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::baseline::SnapshotDeck;
use crate::store::log::Line;

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
    let mut warnings = Vec::new();
    match store.log_paths()?.as_slice() {
        // One device: its review records as they are (ids grow and undos name them already).
        [(_, log)] => crate::store::log::for_each_batch(log, 0, &mut warnings, |lines| {
            let checked = check_reviews(lines, &ids);
            let mut unreadable = Vec::new();
            for (line, check) in lines.iter().zip(checked) {
                match check {
                    Ok(false) => {}
                    Ok(true) if error.is_none() => {
                        let separator: &[u8] = if first { b"\n    " } else { b",\n    " };
                        first = false;
                        if let Err(e) = out.write_all(separator).and_then(|()| out.write_all(line.text)) {
                            error = Some(e);
                        }
                    }
                    Ok(true) => {}
                    Err(e) => unreadable.push((line.number, e)),
                }
            }
            unreadable
        })
        .map(|_| ())?,
        _ => warnings = renumbered_reviews(store, &ids, out, &mut first, &mut error)?,
    }
    if let Some(e) = error {
        return Err(failed(e));
    }
    let close = if first { "]" } else { "\n  ]" };
    writeln!(out, "{close}\n}}").map_err(failed)?;
    Ok(warnings)
}

/// The review records of the cards `ids` from every device's log, in the collection's order,
/// numbered anew (each device numbers its own).
fn renumbered_reviews(
    store: &Store,
    ids: &HashSet<&str>,
    out: &mut dyn Write,
    first: &mut bool,
    error: &mut Option<std::io::Error>,
) -> Result<Vec<String>> {
    let mut numbers: HashMap<(String, u64), u64> = HashMap::new();
    let mut next = 0u64;
    store.for_each_record(|device, mut record| {
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
        let separator: &[u8] = if *first { b"\n    " } else { b",\n    " };
        *first = false;
        let written = out
            .write_all(separator)
            .and_then(|()| serde_json::to_writer(&mut *out, &record).map_err(std::io::Error::from));
        if let Err(e) = written {
            *error = Some(e);
        }
    })
}

/// For each log line: whether it is a review record of a selected card, or why it cannot be
/// read. Every line is checked on two threads, so a damaged line never breaks the export.
fn check_reviews(lines: &[Line], ids: &HashSet<&str>) -> Vec<serde_json::Result<bool>> {
    #[derive(Deserialize)]
    struct Peek<'a> {
        kind: crate::core::Kind,
        #[serde(borrow, default)]
        card: Cow<'a, str>,
    }
    let check = |part: &[Line]| -> Vec<serde_json::Result<bool>> {
        part.iter()
            .map(|line| {
                serde_json::from_slice::<Peek>(line.text)
                    .map(|r| r.kind.is_review_log() && ids.contains(r.card.as_ref()))
            })
            .collect()
    };
    let (front, back) = lines.split_at(lines.len() / 2);
    std::thread::scope(|scope| {
        let back = scope.spawn(|| check(back));
        let mut checked = check(front);
        // Checking cannot panic; if it ever did, the panic goes on.
        checked.extend(
            back.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        checked
    })
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
