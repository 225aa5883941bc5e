//! Rebuilding a collection from `recall export --format json`: decks, cards with their state,
//! and every review, read as a stream so a year of reviews never sits in memory at once.

use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::error::{Error, Result};
use crate::export::EXPORT_FORMAT;
use crate::sm2::{CardState, Ease};
use crate::store::{Card, Deck, Record, Restorer, Status, Store};
use crate::views::CardView;

/// What a restore brought in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restored {
    pub decks: usize,
    pub cards: usize,
    pub reviews: usize,
}

/// True when `path` is a JSON file that starts like a recall export.
pub fn is_export(path: &Path) -> bool {
    let json = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("json"));
    let mut start = [0u8; 256];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut start))
        .unwrap_or(0);
    let needle = format!("\"{EXPORT_FORMAT}\"");
    json && String::from_utf8_lossy(&start[..read]).contains(&needle)
}

/// Restores the export at `path` into `store`, which must be empty. The snapshot is written
/// only once the whole file has been read; anything wrong before that leaves the collection
/// empty, as it was.
pub fn restore(store: &mut Store, path: &Path) -> Result<Restored> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 20, file));
    let bad = |e: serde_json::Error| {
        let position = (e.line() > 0).then(|| (e.line(), e.column()));
        Error::BadFile {
            path: path.to_path_buf(),
            line: position.map(|p| p.0),
            column: position.map(|p| p.1),
            message: crate::error::json_message(&e),
        }
    };
    let mut failed = None;
    let read = ExportSeed {
        store,
        failed: &mut failed,
    }
    .deserialize(&mut reader);
    if let Some(error) = failed {
        return Err(error);
    }
    let (restorer, mut restored) = read
        .map_err(bad)?
        .ok_or_else(|| Error::bad_file(path, None, "no reviews list: not a complete recall export"))?;
    reader.end().map_err(bad)?;
    restored.reviews = restorer.finish()?;
    Ok(restored)
}

/// Reads the export object, writing reviews to the log as it goes; hands back the restorer
/// for the caller to finish once the whole file has been read.
struct ExportSeed<'a, 'f> {
    store: &'a mut Store,
    /// An error of the collection (not of the file) met while reading.
    failed: &'f mut Option<Error>,
}

impl<'de, 'a> DeserializeSeed<'de> for ExportSeed<'a, '_> {
    type Value = Option<(Restorer<'a>, Restored)>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, 'a> Visitor<'de> for ExportSeed<'a, '_> {
    type Value = Option<(Restorer<'a>, Restored)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a recall export object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut decks: Option<Vec<Deck>> = None;
        let mut cards: Option<Vec<Card>> = None;
        let mut ids: (Option<u64>, Option<u64>) = (None, None);
        let mut store = Some(self.store);
        let mut outcome = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => {
                    let format: String = map.next_value()?;
                    if format != EXPORT_FORMAT {
                        return Err(de::Error::custom(format!(
                            "format {format:?} is not {EXPORT_FORMAT:?}"
                        )));
                    }
                }
                "version" => {
                    let version: u32 = map.next_value()?;
                    if version > crate::store::collection::VERSION {
                        return Err(de::Error::custom(format!(
                            "written by a newer recall (version {version})"
                        )));
                    }
                }
                "next_card_number" => ids.0 = Some(map.next_value()?),
                "id_salt" => ids.1 = Some(map.next_value()?),
                "decks" => decks = Some(map.next_value()?),
                "cards" => {
                    let views: Vec<CardView> = map.next_value()?;
                    let restored: Result<Vec<Card>, String> = views.into_iter().map(card_from_view).collect();
                    cards = Some(restored.map_err(de::Error::custom)?);
                }
                "reviews" => {
                    let (Some(decks), Some(cards), Some(store)) = (decks.take(), cards.take(), store.take())
                    else {
                        return Err(de::Error::custom(
                            "decks and cards must come once, before reviews",
                        ));
                    };
                    let counts = Restored {
                        decks: decks.len(),
                        cards: cards.len(),
                        reviews: 0,
                    };
                    let mut restorer = match store.begin_restore(decks, cards, ids.0.zip(ids.1)) {
                        Ok(restorer) => restorer,
                        Err(error) => {
                            *self.failed = Some(error);
                            return Err(de::Error::custom("the collection cannot take a restore"));
                        }
                    };
                    map.next_value_seed(ReviewsSeed {
                        restorer: &mut restorer,
                        failed: self.failed,
                    })?;
                    if self.failed.is_some() {
                        return Err(de::Error::custom("a review could not be written"));
                    }
                    outcome = Some((restorer, counts));
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(outcome)
    }
}

/// The reviews array, each review written to the log as soon as it is read.
struct ReviewsSeed<'a, 'r> {
    restorer: &'a mut Restorer<'r>,
    failed: &'a mut Option<Error>,
}

impl<'de> DeserializeSeed<'de> for ReviewsSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for ReviewsSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of reviews")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(record) = seq.next_element::<Record>()? {
            if self.failed.is_none()
                && let Err(error) = self.restorer.add(&record)
            {
                *self.failed = Some(error);
            }
        }
        Ok(())
    }
}

/// A card as exported, back into the collection's form.
fn card_from_view(view: CardView) -> Result<Card, String> {
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
        buried: None,
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
