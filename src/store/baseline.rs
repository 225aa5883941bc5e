//! A device log that starts from a whole collection: how a collection of the earlier layout is
//! converted, and how an export is restored.
//!
//! The log gets a record for every deck and card, then the old review records with their
//! meaning unchanged (their ids shifted past the new records, which come first), then a record
//! for every card whose status or progress the reviews alone do not give (a reset or a
//! suspension the earlier layout did not log), and the old statistics when the reviews alone
//! do not give them (reviews of removed decks). Replaying it gives the collection back. The
//! log is written whole to a temporary file and renamed into place, so it appears complete or
//! not at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::apply::apply;
use super::collection::Collection;
use crate::core::history::DayEntry;
use crate::core::{Card, CardProgress, DeckSettings, Kind, Record, Stamp};
use crate::error::{Error, Result};
use crate::notes::Format;

/// A whole collection as the earlier layout's snapshot and the exports hold it.
pub(crate) struct Snapshot {
    pub(crate) decks: Vec<SnapshotDeck>,
    pub(crate) cards: Vec<Card>,
    /// The statistics per day and deck, when the snapshot kept them (exports do not: the
    /// reviews give them).
    pub(crate) history: Option<Vec<DayEntry>>,
}

/// A deck as the snapshot and the exports write it: one notes file, on this device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SnapshotDeck {
    pub(crate) name: String,
    pub(crate) source: Option<PathBuf>,
    pub(crate) format: Format,
    #[serde(default)]
    pub(crate) headings: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) example: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) new_per_day: Option<u32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) follows_title: bool,
}

/// Writes `log`, the log of `device`, from `snapshot` and the review records in the file
/// `reviews` (which must be of its cards). The new records carry `stamp`. Returns how many
/// review records it took over.
pub(crate) fn write(
    log: &Path,
    device: &str,
    snapshot: &Snapshot,
    reviews: &Path,
    stamp: Stamp,
) -> Result<usize> {
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    }
    let mut taken = 0;
    super::atomic::replace_with(
        log,
        |out| {
            let io = |e: std::io::Error| Error::io(log, e);
            let mut replayed = Collection::default();
            let mut id = 0u64;
            let mut write = |record: &mut Record, replayed: &mut Collection| -> Result<()> {
                let _ = apply(replayed, record, device);
                serde_json::to_writer(&mut *out, &*record).map_err(|e| io(e.into()))?;
                out.write_all(b"\n").map_err(io)
            };
            for mut record in starting_records(snapshot, stamp) {
                id += 1;
                record.id = id;
                write(&mut record, &mut replayed)?;
            }
            let shift = id;
            let mut last = id;
            let mut failed = None;
            let mut warnings = Vec::new();
            super::log::for_each_from(reviews, 0, &mut warnings, |mut record| {
                if failed.is_some() {
                    return;
                }
                record.id = record.id.saturating_add(shift);
                record.undoes = record.undoes.map(|undone| undone.saturating_add(shift));
                record.batch = None;
                last = last.max(record.id);
                taken += 1;
                failed = write(&mut record, &mut replayed).err();
            })?;
            if let Some(error) = failed {
                return Err(error);
            }
            for mut record in finishing_records(snapshot, &replayed, stamp) {
                last = last.checked_add(1).ok_or_else(|| {
                    Error::usage("the review ids leave no room for the collection's records")
                })?;
                record.id = last;
                write(&mut record, &mut replayed)?;
            }
            Ok(())
        },
        || Ok(()),
    )?;
    Ok(taken)
}

/// A record for every deck (and its new-card limit) and every card.
fn starting_records(snapshot: &Snapshot, stamp: Stamp) -> Vec<Record> {
    let mut records = Vec::new();
    for deck in &snapshot.decks {
        let settings = DeckSettings {
            format: deck.format,
            source: deck.source.clone(),
            headings: deck.headings.clone(),
            bold_cloze: false,
            example: deck.example || is_bundled(deck.source.as_deref()),
            follows_title: deck.follows_title,
        };
        records.push(Record {
            settings: Some(Box::new(settings)),
            ..Record::for_deck(Kind::DeckAdded, &deck.name, stamp)
        });
        if deck.new_per_day.is_some() {
            records.push(Record {
                limit: deck.new_per_day,
                ..Record::for_deck(Kind::DeckLimit, &deck.name, stamp)
            });
        }
    }
    for card in &snapshot.cards {
        records.push(Record {
            deck: Some(card.deck.clone()),
            text: Some(Box::new(card.text())),
            added: Some(card.added),
            ..Record::new(Kind::CardAdded, &card.id, stamp)
        });
    }
    records
}

/// What the snapshot holds that the records so far do not give.
fn finishing_records(snapshot: &Snapshot, replayed: &Collection, stamp: Stamp) -> Vec<Record> {
    let mut records = Vec::new();
    for card in &snapshot.cards {
        let progress = CardProgress {
            status: card.status,
            buried: card.buried,
            retired_while_suspended: card.retired_while_suspended,
            suspended_with_deck: card.suspended_with_deck,
            state: card.state,
        };
        let same = replayed.position(&card.id).is_some_and(|at| {
            let mine = &replayed.cards[at];
            (
                mine.status,
                mine.buried,
                mine.retired_while_suspended,
                mine.suspended_with_deck,
                mine.state,
            ) == (
                card.status,
                card.buried,
                card.retired_while_suspended,
                card.suspended_with_deck,
                card.state,
            )
        });
        if !same {
            records.push(Record {
                progress: Some(Box::new(progress)),
                ..Record::new(Kind::CardState, &card.id, stamp)
            });
        }
    }
    if let Some(history) = &snapshot.history {
        let mut history = history.clone();
        crate::core::history::sort(&mut history);
        if replayed.folded_history() != history {
            records.push(Record {
                history: Some(history),
                ..Record::new(Kind::History, "", stamp)
            });
        }
    }
    records
}

/// The deck made from the notes that ship with the program (`notes/` of the data directory).
fn is_bundled(source: Option<&Path>) -> bool {
    source.is_some_and(|source| {
        source.file_name() == Some(std::ffi::OsStr::new(super::paths::EXAMPLE_NOTES))
            && source.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("notes"))
    })
}
