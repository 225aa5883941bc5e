//! Rebuilding a collection from `recall export --format json`: decks, cards with their state,
//! and every review, read as a stream so a year of reviews never sits in memory at once (they
//! wait in a temporary file). The export is recognised by parsing it, so its keys may come in
//! any order (`jq -S` sorts them), and it is checked whole before anything of the collection
//! changes: the device's log is then written whole, from the export, and put in place.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::core::{Card, Record, Stamp, Status};
use crate::error::{Error, Result};
use crate::export::EXPORT_FORMAT;
use crate::export::card::ExportedCard;
use crate::files::{self, Links};
use crate::schedule::sm2::{CardState, Ease};
use crate::store::Store;
use crate::store::baseline::{Snapshot, SnapshotDeck};
use crate::text::bad_name;

/// The newest export version this program reads (the version of the collection's layout).
const VERSION: u32 = crate::store::FORMAT;

/// What a restore brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub(crate) decks: usize,
    pub cards: usize,
    pub(crate) reviews: usize,
}

/// Record ids above this are refused: the log must keep room for new records.
const MAX_RECORD_ID: u64 = 1 << 53;

/// Longest card id taken from an export (the program makes ids of 8 characters).
const MAX_CARD_ID: usize = 64;

/// True when `path` is a regular file holding a JSON object whose `"format"` is a recall
/// export. Only what comes before that key is read.
pub(crate) fn is_export(path: &Path) -> bool {
    let Ok(file) = files::open_read(path, Links::Follow) else {
        return false;
    };
    let mut reader = serde_json::Deserializer::from_reader(BufReader::new(file));
    let mut format = None;
    // Reading stops at the format, which leaves the object unfinished: that error is expected.
    let _ = FormatSeed { format: &mut format }.deserialize(&mut reader);
    format.is_some_and(|format| format == EXPORT_FORMAT)
}

/// Reads a top-level object only until its `"format"` key, whose value it keeps.
struct FormatSeed<'a> {
    format: &'a mut Option<serde_json::Value>,
}

impl<'de> DeserializeSeed<'de> for FormatSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FormatSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "format" {
                *self.format = Some(map.next_value()?);
                return Ok(());
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// Restores the export at `path` into `store`, which must be empty; the collection's records
/// carry `stamp`. Nothing of the collection changes unless the whole export is read and valid.
pub fn restore(store: &mut Store, path: &Path, stamp: Stamp) -> Result<Restored> {
    store.check_restorable()?;
    let file = files::open_read(path, Links::Follow).map_err(|e| Error::io(path, e))?;
    let waiting = store.paths().dir.join(format!(
        ".{}.{}.tmp",
        crate::store::paths::RESTORE_REVIEWS,
        std::process::id()
    ));
    let restored = read_and_restore(store, path, file, &waiting, stamp);
    let _ = std::fs::remove_file(&waiting);
    restored
}

fn read_and_restore(
    store: &mut Store,
    path: &Path,
    file: std::fs::File,
    waiting: &Path,
    stamp: Stamp,
) -> Result<Restored> {
    let file_of_reviews = crate::files::create(waiting).map_err(|e| Error::io(waiting, e))?;
    let mut reviews = std::io::BufWriter::with_capacity(1 << 20, file_of_reviews);
    let mut reader = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file));
    let mut failed = None;
    let read = ExportSeed {
        reviews: &mut reviews,
        failed: &mut failed,
    }
    .deserialize(&mut reader);
    if let Some(error) = failed {
        return Err(error);
    }
    let bad_json = |e: serde_json::Error| {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        Error::BadFile {
            path: path.to_path_buf(),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            message: crate::error::json_message(&e),
        }
    };
    let export = read.map_err(bad_json)?;
    reader.end().map_err(bad_json)?;
    std::io::Write::flush(&mut reviews).map_err(|e| Error::io(waiting, e))?;
    drop(reviews);
    let (snapshot, reviewed) = export.validate(path)?;
    let restored = Restored {
        decks: snapshot.decks.len(),
        cards: snapshot.cards.len(),
        reviews: reviewed,
    };
    store.restore(&snapshot, waiting, stamp)?;
    Ok(restored)
}

/// What the export holds, the reviews aside (they went to a temporary file as they were read).
#[derive(Default)]
struct Export {
    format: Option<String>,
    decks: Option<Vec<SnapshotDeck>>,
    cards: Option<Vec<Card>>,
    /// The number of reviews, and the cards they are of (with the first review of each), once
    /// the reviews were read.
    reviews: Option<(usize, HashMap<String, u64>)>,
}

impl Export {
    /// Checks everything a collection relies on: decks named properly and once, cards with
    /// proper and distinct ids in decks that exist, reviews of those cards.
    fn validate(self, path: &Path) -> Result<(Snapshot, usize)> {
        let bad = |message: String| Error::bad_file(path, None, message);
        if self.format.as_deref() != Some(EXPORT_FORMAT) {
            return Err(bad(format!(
                "no \"format\": \"{EXPORT_FORMAT}\": not a recall export"
            )));
        }
        let (Some(decks), Some(cards), Some((reviews, reviewed))) = (self.decks, self.cards, self.reviews)
        else {
            return Err(bad(
                "decks, cards or reviews are missing: not a complete recall export".into(),
            ));
        };
        let mut deck_names = HashSet::new();
        for deck in &decks {
            if let Some(reason) = bad_name(&deck.name) {
                return Err(bad(format!("deck {:?} {reason}", deck.name)));
            }
            if !deck_names.insert(deck.name.as_str()) {
                return Err(bad(format!("deck {:?} is listed twice", deck.name)));
            }
        }
        let mut ids: HashMap<&str, &str> = HashMap::with_capacity(cards.len());
        for card in &cards {
            if card.id.is_empty()
                || card.id.len() > MAX_CARD_ID
                || card.id.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(bad(format!(
                    "card id {:?} is not an id (1 to {MAX_CARD_ID} characters without spaces)",
                    card.id
                )));
            }
            if !deck_names.contains(card.deck.as_str()) {
                return Err(bad(format!(
                    "card {} is in deck {:?}, which the export does not list",
                    card.id, card.deck
                )));
            }
            if ids.insert(&card.id, &card.deck).is_some() {
                return Err(bad(format!("two cards have the id {}", card.id)));
            }
        }
        let unknown = reviewed
            .iter()
            .filter(|(card, _)| !ids.contains_key(card.as_str()))
            .map(|(_, &review)| review)
            .min();
        if let Some(review) = unknown {
            return Err(bad(format!(
                "review {review} is of a card the export does not hold"
            )));
        }
        drop(ids);
        let snapshot = Snapshot {
            decks,
            cards,
            history: None,
        };
        Ok((snapshot, reviews))
    }
}

/// Reads the export object, in any key order, writing reviews to the staged log as they come.
struct ExportSeed<'a> {
    reviews: &'a mut dyn std::io::Write,
    /// An error of the collection (not of the file) met while reading.
    failed: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for ExportSeed<'_> {
    type Value = Export;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Export, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExportSeed<'_> {
    type Value = Export;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a recall export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Export, A::Error> {
        let mut export = Export::default();
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format!("the key {key:?} comes twice")));
            }
            match key.as_str() {
                "format" => export.format = Some(map.next_value()?),
                "version" => {
                    let version: u32 = map.next_value()?;
                    if version > VERSION {
                        return Err(de::Error::custom(format!(
                            "written by a newer recall (version {version})"
                        )));
                    }
                }
                "decks" => export.decks = Some(map.next_value()?),
                "cards" => {
                    let views: Vec<ExportedCard> = map.next_value()?;
                    let cards: Result<Vec<Card>, String> = views.into_iter().map(card_from_view).collect();
                    export.cards = Some(cards.map_err(de::Error::custom)?);
                }
                "reviews" => {
                    let mut seed = ReviewsSeed {
                        reviews: &mut *self.reviews,
                        failed: &mut *self.failed,
                        count: 0,
                        last_id: 0,
                        cards: HashMap::new(),
                    };
                    map.next_value_seed(&mut seed)?;
                    export.reviews = Some((seed.count, seed.cards));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(export)
    }
}

/// The reviews array, each review written to the temporary file as soon as it is read.
struct ReviewsSeed<'a> {
    reviews: &'a mut dyn std::io::Write,
    failed: &'a mut Option<Error>,
    count: usize,
    last_id: u64,
    /// The cards the reviews are of, with the first review of each.
    cards: HashMap<String, u64>,
}

impl<'de> DeserializeSeed<'de> for &mut ReviewsSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for &mut ReviewsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of reviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Record>()? {
            // Ids grow with every record; an undo names an earlier one.
            if record.id <= self.last_id || record.id > MAX_RECORD_ID {
                return Err(de::Error::custom(format!(
                    "review id {} does not follow {} (ids must grow, up to {MAX_RECORD_ID})",
                    record.id, self.last_id
                )));
            }
            if !record.kind.is_review_log() {
                return Err(de::Error::custom(format!(
                    "review {} is a {} record, which exports do not hold",
                    record.id,
                    record.kind.name()
                )));
            }
            self.last_id = record.id;
            self.count += 1;
            if !self.cards.contains_key(&record.card) {
                self.cards.insert(record.card.clone(), record.id);
            }
            let written = serde_json::to_writer(&mut *self.reviews, &record)
                .map_err(std::io::Error::from)
                .and_then(|()| self.reviews.write_all(b"\n"));
            if let Err(error) = written {
                *self.failed = Some(Error::io(Path::new("the restore's temporary file"), error));
                return Err(de::Error::custom("a review could not be written"));
            }
        }
        Ok(())
    }
}

/// A card as exported, back into the collection's form.
fn card_from_view(view: ExportedCard) -> Result<Card, String> {
    let status = match view.status.as_ref() {
        "new" | "review" => Status::Active,
        "suspended" => Status::Suspended,
        "retired" => Status::Retired,
        other => return Err(format!("card {}: unknown status {other:?}", view.id)),
    };
    if !(1.3..=655.0).contains(&view.ease) {
        return Err(format!(
            "card {}: ease {} is not between 1.3 and 655",
            view.id, view.ease
        ));
    }
    Ok(Card {
        id: view.id.into_owned(),
        deck: view.deck.into_owned(),
        section: view.section.into_owned(),
        question: view.question.into_owned(),
        answer: view.answer.into_owned(),
        note: view.note.into_owned(),
        line: view.line,
        cloze: view.cloze,
        added: view.added,
        status,
        buried: view.buried,
        retired_while_suspended: view.retired_while_suspended,
        suspended_with_deck: view.suspended_with_deck,
        state: CardState {
            repetitions: view.repetitions,
            ease: Ease::from_hundredths((view.ease * 100.0).round() as u16),
            interval: view.interval,
            due: view.due,
            lapses: view.lapses,
            last_review: view.last_review,
        },
        fsrs: None,
        fsrs_before: None,
    })
}
