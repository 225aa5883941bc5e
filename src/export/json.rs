//! The JSON export: decks, cards with their state, and every review, one per line.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;

use serde::Deserialize;

use super::card::ExportedCard;
use super::{EXPORT_FORMAT, selected};
use crate::clock::Timestamp;
use crate::core::{Deck, Selection};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::collection::write_array;
use crate::store::log::Line;

/// Writes the JSON export: `{"format", "version", "exported_at", "next_card_number", "id_salt",
/// "decks", "cards", "reviews"}`,
/// one deck, card or review per line. Reviews are copied from the log as they are;
/// unreadable ones are skipped and returned as warnings. `failed` turns a write error into
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
    let decks: Vec<&Deck> = store
        .collection
        .decks
        .iter()
        .filter(|d| matcher.deck(&d.name))
        .collect();
    let views: Vec<ExportedCard> = cards
        .iter()
        .map(|c| ExportedCard::new(c, store.settings.leech_threshold))
        .collect();
    let exported_at = serde_json::to_string(&now).map_err(|e| failed(e.into()))?;
    write!(
        out,
        "{{\n  \"format\": \"{EXPORT_FORMAT}\",\n  \"version\": {},\n  \"exported_at\": {exported_at},\n  \
         \"next_card_number\": {},\n  \"id_salt\": {},\n",
        crate::store::collection::VERSION,
        store.collection.next_card_number,
        store.collection.id_salt
    )
    .map_err(failed)?;
    write_array(out, "decks", &decks, ",").map_err(failed)?;
    write_array(out, "cards", &views, ",").map_err(failed)?;
    write!(out, "  \"reviews\": [").map_err(failed)?;
    let mut first = true;
    let mut error = None;
    let warnings = store.for_each_log_batch(|lines| {
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
    })?;
    if let Some(e) = error {
        return Err(failed(e));
    }
    let close = if first { "]" } else { "\n  ]" };
    writeln!(out, "{close}\n}}").map_err(failed)?;
    Ok(warnings)
}

/// For each log line: whether it is a review of a selected card, or why it cannot be read.
/// Every line is checked to be a JSON object with a card, on two threads, so a damaged line
/// never breaks the export.
fn check_reviews(lines: &[Line], ids: &HashSet<&str>) -> Vec<serde_json::Result<bool>> {
    #[derive(Deserialize)]
    struct CardOf<'a> {
        #[serde(borrow)]
        card: Cow<'a, str>,
    }
    let check = |part: &[Line]| -> Vec<serde_json::Result<bool>> {
        part.iter()
            .map(|line| serde_json::from_slice::<CardOf>(line.text).map(|r| ids.contains(r.card.as_ref())))
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
