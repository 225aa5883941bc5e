//! The collection snapshot, `collection.json`: decks and cards with their SM-2 state, as of the
//! review `last_review_id`. Cards are written one per line so the file reads and diffs well.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::history::DayEntry;
use crate::core::{Card, Deck};
use crate::error::{Error, Result};

/// The snapshot layout this program writes.
/// Version 2 counts a lapse for every failed review but a new card's first, and marks the
/// example deck.
pub(crate) const VERSION: u32 = 2;

/// Everything in `collection.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub(crate) version: u32,
    /// The id of the last review folded into the cards below.
    pub(crate) last_review_id: u64,
    /// The length of `reviews.jsonl` when the snapshot was taken: replay starts there.
    pub(crate) log_offset: u64,
    /// Card ids come from this counter, scrambled with `id_salt`, so an id is never reused.
    pub(crate) next_card_number: u64,
    pub(crate) id_salt: u64,
    pub(crate) decks: Vec<Deck>,
    /// Reviews per study day and deck, folded up to `last_review_id`.
    #[serde(default)]
    pub(crate) history: Vec<DayEntry>,
    pub cards: Vec<Card>,
    /// The version this snapshot was read from, when it was older than [`VERSION`]: the store
    /// finishes what needs the log.
    #[serde(skip)]
    pub(crate) migrated_from: Option<u32>,
}

/// Card ids are 8 base-36 characters: a bijection of the counter on 40 bits, so they look
/// unrelated, differ between collections, and never repeat within one.
const ID_BITS: u32 = 40;

impl Collection {
    /// An empty collection whose ids are scrambled with `salt`.
    pub(crate) fn new(salt: u64) -> Self {
        Collection {
            version: VERSION,
            last_review_id: 0,
            log_offset: 0,
            next_card_number: 0,
            id_salt: salt,
            decks: Vec::new(),
            history: Vec::new(),
            cards: Vec::new(),
            migrated_from: None,
        }
    }

    /// A card id that no card of this collection has had before.
    pub(crate) fn new_card_id(&mut self) -> String {
        let mask = (1u64 << ID_BITS) - 1;
        let number = self.next_card_number;
        // Wrapping is harmless: ids repeat only after 2^40 cards, and the store skips taken ones.
        self.next_card_number = self.next_card_number.wrapping_add(1);
        // Multiplying by an odd number and adding are both bijections modulo 2^40.
        let mut x =
            (number.wrapping_mul(0x9E37_79B9_7F4B) ^ self.id_salt).wrapping_add(self.id_salt >> 7) & mask;
        let mut id = [b'0'; 8];
        for slot in id.iter_mut().rev() {
            *slot = b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize];
            x /= 36;
        }
        String::from_utf8_lossy(&id).into_owned()
    }

    pub(crate) fn deck(&self, name: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.name == name)
    }

    /// Writes the snapshot: top-level fields and decks pretty-printed, one card per line.
    pub fn write(&self, out: &mut dyn Write) -> std::io::Result<()> {
        writeln!(out, "{{")?;
        writeln!(out, "  \"version\": {},", self.version)?;
        writeln!(out, "  \"last_review_id\": {},", self.last_review_id)?;
        writeln!(out, "  \"log_offset\": {},", self.log_offset)?;
        writeln!(out, "  \"next_card_number\": {},", self.next_card_number)?;
        writeln!(out, "  \"id_salt\": {},", self.id_salt)?;
        write_array(out, "decks", &self.decks, ",")?;
        write_array(out, "history", &self.history, ",")?;
        write_array(out, "cards", &self.cards, "")?;
        writeln!(out, "}}")
    }

    /// Reads a snapshot, migrating an older layout, and refuses one that names a deck twice.
    /// Errors carry line and column.
    pub fn from_json(bytes: &[u8]) -> Result<Collection, LoadError> {
        let collection = Collection::parse(bytes)?;
        let mut names = std::collections::HashSet::new();
        if let Some(deck) = collection
            .decks
            .iter()
            .find(|deck| !names.insert(deck.name.as_str()))
        {
            let needle = format!("{{\"name\":{}", Value::from(deck.name.as_str()));
            let text = String::from_utf8_lossy(bytes);
            let second = text.match_indices(&needle).nth(1).map(|(at, _)| at);
            return Err(LoadError {
                message: format!("deck {:?} is listed twice", deck.name),
                position: second.map(|at| line_and_column(&text, at)),
            });
        }
        Ok(collection)
    }

    fn parse(bytes: &[u8]) -> Result<Collection, LoadError> {
        // Checking UTF-8 once up front spares serde_json checking every string on its own.
        let text = std::str::from_utf8(bytes).map_err(|e| {
            let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            LoadError {
                message: "invalid UTF-8".to_string(),
                position: Some((line, 1)),
            }
        })?;
        if let Some(collection) = parse_card_lines_in_parallel(text) {
            return Ok(collection);
        }
        let typed_error = match serde_json::from_str::<Collection>(text) {
            Ok(collection) if collection.version == VERSION => return Ok(collection),
            Ok(_) => None,
            Err(e) => Some(e),
        };
        // Not the current layout: find the version, refuse a newer one, migrate an older one.
        let value: Value = serde_json::from_str(text).map_err(LoadError::from_json)?;
        let version = value.get("version").and_then(Value::as_u64);
        match version {
            Some(v) if v > u64::from(VERSION) => Err(LoadError {
                message: format!(
                    "written by a newer recall (snapshot version {v}; this program reads up to {VERSION})"
                ),
                position: position_of(text, "\"version\""),
            }),
            Some(v) if v < u64::from(VERSION) => {
                let migrated = migrate(value, v as u32, VERSION, MIGRATIONS)?;
                let mut collection: Collection =
                    serde_json::from_value(migrated).map_err(LoadError::from_json)?;
                collection.migrated_from = Some(v as u32);
                Ok(collection)
            }
            Some(_) => {
                Err(typed_error
                    .map_or_else(|| LoadError::message("unreadable snapshot"), LoadError::from_json))
            }
            None => Err(LoadError::message(
                "no \"version\" field: this is not a recall collection",
            )),
        }
    }
}

/// The line and column of the card at position `at` with `id`, in a snapshot laid out as
/// [`Collection::write`] writes it (one card per line).
pub(crate) fn card_position(text: &[u8], at: usize, id: &str) -> Option<(usize, usize)> {
    let marker = b"\n  \"cards\": [\n";
    let start = memchr::memmem::find(text, marker)? + marker.len();
    let line_start = match at {
        0 => start,
        _ => start + memchr::memchr_iter(b'\n', &text[start..]).nth(at - 1)? + 1,
    };
    let expected = format!("    {{\"id\":{}", serde_json::Value::from(id));
    text[line_start..].starts_with(expected.as_bytes()).then(|| {
        let line = memchr::memchr_iter(b'\n', &text[..line_start]).count() + 1;
        (line, 5)
    })
}

/// The 1-based line and column where `needle` first appears in `text`.
fn position_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    Some(line_and_column(text, text.find(needle)?))
}

/// The 1-based line and column of byte `at` of `text`.
fn line_and_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// Reads the layout [`Collection::write`] produces, parsing the card lines on every core.
/// Anything unexpected gives `None`, and the caller parses the text as plain JSON instead
/// (which also gives errors their line and column).
fn parse_card_lines_in_parallel(text: &str) -> Option<Collection> {
    const CARDS: &str = "\n  \"cards\": [";
    let at = text.find(CARDS)?;
    let rest = &text[at + CARDS.len()..];
    let body = rest.strip_suffix("\n  ]\n}\n")?.strip_prefix('\n')?;
    let header = format!("{}\n  \"cards\": []\n}}", &text[..at]);
    let mut collection: Collection = serde_json::from_str(&header).ok()?;
    if collection.version != VERSION {
        return None;
    }
    let lines: Vec<&str> = body.split('\n').collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let chunk = lines.len().div_ceil(threads).max(1);
    let parsed: Vec<Option<Vec<Card>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = lines
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                let first = n * chunk;
                let total = lines.len();
                scope.spawn(move || {
                    let mut cards = Vec::with_capacity(part.len());
                    for (i, line) in part.iter().enumerate() {
                        // Every card line but the last ends with a comma.
                        let json = card_line(line, first + i + 1 < total)?;
                        cards.push(serde_json::from_str(json).ok()?);
                    }
                    Some(cards)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().ok().flatten())
            .collect()
    });
    let mut parts = parsed.into_iter();
    let mut cards = parts.next()??;
    cards.reserve_exact(lines.len() - cards.len());
    for part in parts {
        cards.extend(part?);
    }
    collection.cards = cards;
    Some(collection)
}

/// The JSON of one card line as written: four spaces, the object, and a comma unless last.
fn card_line(line: &str, comma: bool) -> Option<&str> {
    let json = line.strip_prefix("    ")?;
    if comma { json.strip_suffix(',') } else { Some(json) }
}

/// One step from snapshot version N to N+1, on the raw JSON.
pub(crate) type Migration = fn(Value) -> Result<Value, String>;

/// `MIGRATIONS[n - 1]` upgrades version n to n + 1.
const MIGRATIONS: &[Migration] = &[mark_the_example_deck];

/// Version 1 to 2: the deck made from the bundled notes (`notes/` of the data directory) is
/// the example deck. Lapses are counted again from the log by the store, which has it.
fn mark_the_example_deck(mut value: Value) -> Result<Value, String> {
    let decks = value
        .get_mut("decks")
        .and_then(Value::as_array_mut)
        .ok_or("no \"decks\" list")?;
    for deck in decks {
        let source = deck.get("source").and_then(Value::as_str).map(Path::new);
        let bundled = source.is_some_and(|source| {
            source.file_name() == Some(std::ffi::OsStr::new(crate::store::paths::EXAMPLE_NOTES))
                && source.parent().and_then(Path::file_name) == Some(std::ffi::OsStr::new("notes"))
        });
        if bundled {
            deck["example"] = Value::Bool(true);
        }
    }
    Ok(value)
}

/// Upgrades `value` from version `from` to version `to` with `steps`.
fn migrate(mut value: Value, from: u32, to: u32, steps: &[Migration]) -> Result<Value, LoadError> {
    if from == 0 {
        return Err(LoadError::message("snapshot version 0 does not exist"));
    }
    for version in from..to {
        let step = steps
            .get(version as usize - 1)
            .ok_or_else(|| LoadError::message(format!("no migration from snapshot version {version}")))?;
        value = step(value).map_err(LoadError::message)?;
        value["version"] = Value::from(version + 1);
    }
    Ok(value)
}

/// `"name": [` then each item compact on its own line, then `]` and `trailer`.
pub(crate) fn write_array<T: Serialize>(
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

/// Why a snapshot could not be read, with the position when the JSON parser gave one.
#[derive(Debug)]
pub struct LoadError {
    pub(crate) message: String,
    pub(crate) position: Option<(usize, usize)>,
}

impl LoadError {
    fn message(message: impl Into<String>) -> Self {
        LoadError {
            message: message.into(),
            position: None,
        }
    }

    fn from_json(error: serde_json::Error) -> Self {
        let position = (error.line() > 0).then(|| (error.line(), error.column()));
        LoadError {
            message: crate::error::json_message(&error),
            position,
        }
    }

    /// The user-facing error for `path`, naming the newest backup.
    pub(crate) fn into_error(self, path: &Path, backup: Option<PathBuf>) -> Error {
        Error::Corrupt {
            path: path.to_path_buf(),
            line: self.position.map(|p| p.0),
            column: self.position.map(|p| p.1),
            message: self.message,
            backup,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Status;
    use crate::notes::Format;
    use crate::schedule::sm2::CardState;
    use crate::schedule::sm2::{self, Grade};
    use chrono::NaiveDate;

    fn sample() -> Collection {
        let mut collection = Collection::new(12345);
        collection.decks.push(Deck {
            name: "Deck".into(),
            source: Some("/notes/deck.txt".into()),
            format: Format::Text,
            headings: vec!["^Session".into()],
            bold_cloze: false,
            example: false,
            new_per_day: Some(5),
            follows_title: true,
        });
        let day: NaiveDate = "2026-11-28".parse().unwrap();
        for n in 0..3 {
            let id = collection.new_card_id();
            collection.cards.push(Card {
                id,
                deck: "Deck".into(),
                section: "Lecture 1".into(),
                question: format!("Q{n}? \"quoted\"\nline"),
                answer: "A\n- b".into(),
                note: String::new(),
                line: n + 2,
                added: day,
                status: Status::Active,
                buried: None,
                retired_while_suspended: false,
                suspended_with_deck: false,
                state: sm2::review(&CardState::default(), Grade::new(4).unwrap(), day),
            });
        }
        collection.last_review_id = 7;
        collection
    }

    fn written(collection: &Collection) -> String {
        let mut out = Vec::new();
        collection.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn the_snapshot_round_trips_with_one_card_per_line() {
        let collection = sample();
        let text = written(&collection);
        assert_eq!(Collection::from_json(text.as_bytes()).unwrap(), collection);
        assert!(text.starts_with("{\n  \"version\": 2,\n  \"last_review_id\": 7,\n"));
        let card_lines = text.lines().filter(|l| l.starts_with("    {\"id\":")).count();
        assert_eq!(card_lines, 3);
        let empty = written(&Collection::new(1));
        assert!(
            empty.contains("  \"decks\": [],\n  \"history\": [],\n  \"cards\": []\n}"),
            "{empty}"
        );
        assert_eq!(
            Collection::from_json(empty.as_bytes()).unwrap(),
            Collection::new(1)
        );
    }

    #[test]
    fn ids_are_short_printable_and_unique() {
        let mut collection = Collection::new(987654321);
        let ids: std::collections::HashSet<_> = (0..100_000).map(|_| collection.new_card_id()).collect();
        assert_eq!(ids.len(), 100_000);
        assert!(
            ids.iter()
                .all(|id| id.len() == 8 && id.bytes().all(|b| b.is_ascii_alphanumeric()))
        );
        let other = Collection::new(1).new_card_id();
        assert_ne!(other, Collection::new(2).new_card_id());
    }

    #[test]
    fn a_newer_version_is_refused() {
        let text = written(&sample()).replace("\"version\": 2", "\"version\": 3");
        let error = Collection::from_json(text.as_bytes()).unwrap_err();
        assert_eq!(
            error.message,
            "written by a newer recall (snapshot version 3; this program reads up to 2)"
        );
        assert_eq!(error.position, Some((2, 3)));
    }

    #[test]
    fn broken_json_reports_line_and_column() {
        let text = written(&sample());
        let cut = &text[..text.len() / 2];
        let error = Collection::from_json(cut.as_bytes()).unwrap_err();
        assert!(error.position.is_some());
        let error = Collection::from_json(b"{\"decks\": []}").unwrap_err();
        assert_eq!(
            error.message,
            "no \"version\" field: this is not a recall collection"
        );
    }

    #[test]
    fn older_versions_are_migrated_step_by_step() {
        fn rename_cards(mut value: Value) -> Result<Value, String> {
            let cards = value
                .as_object_mut()
                .and_then(|o| o.remove("items"))
                .ok_or("no items")?;
            value["cards"] = cards;
            Ok(value)
        }
        fn add_salt(mut value: Value) -> Result<Value, String> {
            value["id_salt"] = Value::from(7);
            Ok(value)
        }
        let old = serde_json::json!({"version": 1, "items": []});
        let steps: &[Migration] = &[rename_cards, add_salt];
        assert_eq!(
            migrate(old.clone(), 1, 3, steps).unwrap(),
            serde_json::json!({"version": 3, "cards": [], "id_salt": 7})
        );
        assert_eq!(migrate(old.clone(), 2, 3, steps).unwrap()["id_salt"], 7);
        assert_eq!(migrate(old.clone(), 1, 1, &[]).unwrap(), old);
        assert!(migrate(old.clone(), 0, 1, steps).is_err());
        let error = migrate(old, 1, 3, &[rename_cards]).unwrap_err();
        assert_eq!(error.message, "no migration from snapshot version 2");
    }
}
