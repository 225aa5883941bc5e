//! Rebuilding a collection from `recall export --format json`: decks, cards with their state,
//! and every review, read as a stream so a year of reviews never sits in memory at once. The
//! export is recognised by parsing it, so its keys may come in any order (`jq -S` sorts them),
//! and it is checked whole before anything of the collection changes: the restore is built
//! beside the collection's files and moved in only when it is complete and valid.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::BufReader;
use std::path::Path;

use chrono::NaiveDate;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::core::{Card, Deck, Record, Status};
use crate::error::{Error, Result};
use crate::export::EXPORT_FORMAT;
use crate::export::card::ExportedCard;
use crate::files::{self, Links};
use crate::schedule::sm2::{CardState, Ease};
use crate::store::Store;
use crate::store::collection::{Collection, VERSION};
use crate::store::history::{self, Tally};
use crate::store::staged::Staging;
use crate::text::bad_name;

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

/// Restores the export at `path` into `store`, which must be empty. Nothing of the collection
/// changes unless the whole export is read and valid.
pub fn restore(store: &mut Store, path: &Path) -> Result<Restored> {
    let file = files::open_read(path, Links::Follow).map_err(|e| Error::io(path, e))?;
    let mut staging = store.stage_restore()?;
    let mut reader = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file));
    let mut failed = None;
    let read = ExportSeed {
        staging: &mut staging,
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
    staging.sync_log()?;
    let (collection, reviews, last_id) = export.validate(path, &staging)?;
    let restored = Restored {
        decks: collection.decks.len(),
        cards: collection.cards.len(),
        reviews,
    };
    store.install_restore(staging, collection, last_id)?;
    Ok(restored)
}

/// What the export holds, the reviews aside (they went to the staged log as they were read).
#[derive(Default)]
struct Export {
    format: Option<String>,
    decks: Option<Vec<Deck>>,
    cards: Option<Vec<Card>>,
    card_ids: (Option<u64>, Option<u64>),
    /// The number of reviews and the highest id, once the reviews were read.
    reviews: Option<(usize, u64)>,
}

impl Export {
    /// Checks everything a collection relies on, then builds it: decks named properly and once,
    /// cards with proper and distinct ids in decks that exist, reviews of those cards.
    fn validate(self, path: &Path, staging: &Staging) -> Result<(Collection, usize, u64)> {
        let bad = |message: String| Error::bad_file(path, None, message);
        if self.format.as_deref() != Some(EXPORT_FORMAT) {
            return Err(bad(format!(
                "no \"format\": \"{EXPORT_FORMAT}\": not a recall export"
            )));
        }
        let (Some(decks), Some(cards), Some((reviews, last_id))) = (self.decks, self.cards, self.reviews)
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
        let mut deck_of: HashMap<&str, &str> = HashMap::with_capacity(cards.len());
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
            if deck_of.insert(&card.id, &card.deck).is_some() {
                return Err(bad(format!("two cards have the id {}", card.id)));
            }
        }
        // The reviews are read back from the staged log: each must be of a card above, and
        // they make the daily history.
        let mut pending: HashMap<(NaiveDate, String), Tally> = HashMap::new();
        let mut unknown = None;
        let mut warnings = Vec::new();
        crate::store::log::for_each_from(&staging.log_path(), 0, &mut warnings, |record| {
            match deck_of.get(record.card.as_str()) {
                Some(deck) => {
                    if let Some(tally) = Tally::of(&record) {
                        pending
                            .entry((record.day, deck.to_string()))
                            .or_default()
                            .add(&tally);
                    }
                }
                None => {
                    unknown.get_or_insert(record.id);
                }
            }
        })?;
        if let Some(id) = unknown {
            return Err(bad(format!("review {id} is of a card the export does not hold")));
        }
        if let Some(warning) = warnings.first() {
            return Err(Error::internal(format!(
                "the staged log did not read back: {warning}"
            )));
        }
        drop(deck_of);
        let mut collection = Collection::new(self.card_ids.1.unwrap_or_default());
        if let (Some(next), Some(_)) = self.card_ids {
            collection.next_card_number = next;
        }
        history::fold(&mut collection.history, &pending);
        collection.decks = decks;
        collection.cards = cards;
        Ok((collection, reviews, last_id))
    }
}

/// Reads the export object, in any key order, writing reviews to the staged log as they come.
struct ExportSeed<'a> {
    staging: &'a mut Staging,
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
                "next_card_number" => export.card_ids.0 = Some(map.next_value()?),
                "id_salt" => export.card_ids.1 = Some(map.next_value()?),
                "decks" => export.decks = Some(map.next_value()?),
                "cards" => {
                    let views: Vec<ExportedCard> = map.next_value()?;
                    let cards: Result<Vec<Card>, String> = views.into_iter().map(card_from_view).collect();
                    export.cards = Some(cards.map_err(de::Error::custom)?);
                }
                "reviews" => {
                    let mut seed = ReviewsSeed {
                        staging: &mut *self.staging,
                        failed: &mut *self.failed,
                        count: 0,
                        last_id: 0,
                    };
                    map.next_value_seed(&mut seed)?;
                    export.reviews = Some((seed.count, seed.last_id));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(export)
    }
}

/// The reviews array, each review written to the staged log as soon as it is read.
struct ReviewsSeed<'a> {
    staging: &'a mut Staging,
    failed: &'a mut Option<Error>,
    count: usize,
    last_id: u64,
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
            self.last_id = record.id;
            self.count += 1;
            if let Err(error) = self.staging.add(&record) {
                *self.failed = Some(error);
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
    })
}
