//! The caches: what the logs add up to, so that opening a collection reads a few files instead
//! of every record. Three files, split by how often they change:
//!
//! - `progress.json`: how far into each log the caches have folded, the decks, and each card's
//!   place, status and progress. Written at the end of every session; all `recall due` reads.
//! - `collection.json`: the text of every card. Written when an import changes it.
//! - `history.json`: review statistics per study day and deck, for `recall stats`.
//!
//! `progress.json` names the versions (generations) of the other two it goes with. A cache that
//! is missing, damaged, of another format, or does not go with the others is never trusted:
//! the store rebuilds the collection from the logs. The caches are not fsynced: a crash can
//! only leave them behind the logs or unreadable, and both are repaired from the logs.

use crate::notes::Cloze;
use std::io::Write;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::collection::Collection;
use super::devices::Devices;
use super::fold::{Key, Position};
use super::paths::Paths;
use crate::core::history::DayEntry;
use crate::core::{Card, Deck, Status};
use crate::error::Result;
use crate::schedule::fsrs::Memory;
use crate::schedule::sm2::{CardState, Ease};

/// The layout of the caches this program writes.
pub(crate) const FORMAT: u32 = 4;

/// Which caches a command needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Need {
    /// Places, statuses and progress: card text is left empty.
    Progress,
    Everything,
}

/// The generations of the files that go together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Generations {
    pub(crate) collection: u64,
    pub(crate) history: u64,
}

/// What the caches hold besides the collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Folded {
    pub(crate) positions: Vec<Position>,
    /// The last record folded in: a record that comes before it in the collection's order
    /// arrived late, and the collection is rebuilt.
    pub(crate) last: Option<Key>,
    pub(crate) generations: Generations,
}

/// Why the caches could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unusable {
    /// There are none.
    Missing,
    /// They are damaged, of another format, or do not go together; the reason says which.
    Broken(String),
}

#[derive(Serialize, Deserialize)]
struct ProgressFile {
    format: u32,
    generations: Generations,
    logs: Vec<Position>,
    last: Option<Key>,
    decks: Vec<Deck>,
    /// The names of removed decks whose retired cards are kept; a card's deck number past the
    /// deck list counts into these.
    removed_decks: Vec<String>,
    /// Which device added each card, cards two devices added once, decks renamed away.
    devices: Devices,
    /// The FSRS parameters the cards' FSRS memories were computed with.
    fsrs_parameters: Vec<f64>,
    cards: Vec<ProgressEntry<String>>,
}

/// A card's place, status and progress, as one array (its id is a `String` when read, a
/// `&str` when written).
#[derive(Serialize, Deserialize)]
struct ProgressEntry<S>(
    S,
    /// The deck's number: its position in the deck list, then in the removed decks.
    usize,
    usize,
    /// Bits 0-1: the status (0 active, 1 suspended, 2 retired); bit 2: retired while
    /// suspended; bit 3: suspended with its deck.
    u8,
    /// Days are numbers (from the first day of the common era): quick to read and write.
    Option<i32>,
    u32,
    /// The E-Factor in hundredths.
    u16,
    u32,
    Option<i32>,
    u32,
    Option<i32>,
    /// FSRS's stability and difficulty, and those before the latest review.
    Option<(f64, f64)>,
    Option<(f64, f64)>,
);

/// A card's status and flags as one number.
fn status_bits(card: &Card) -> u8 {
    let status = match card.status {
        Status::Active => 0,
        Status::Suspended => 1,
        Status::Retired => 2,
    };
    status | u8::from(card.retired_while_suspended) << 2 | u8::from(card.suspended_with_deck) << 3
}

fn status_of(bits: u8) -> std::result::Result<Status, Unusable> {
    match bits & 3 {
        0 => Ok(Status::Active),
        1 => Ok(Status::Suspended),
        2 => Ok(Status::Retired),
        other => Err(Unusable::Broken(format!("status {other} is not one"))),
    }
}

fn memory(pair: Option<(f64, f64)>) -> Option<Memory> {
    pair.map(|(stability, difficulty)| Memory {
        stability,
        difficulty,
    })
}

fn day_number(day: Option<NaiveDate>) -> Option<i32> {
    day.map(|day| day.num_days_from_ce())
}

fn day_of(number: Option<i32>) -> std::result::Result<Option<NaiveDate>, Unusable> {
    number
        .map(|n| {
            NaiveDate::from_num_days_from_ce_opt(n)
                .filter(|day| (crate::schedule::day::FIRST..=crate::schedule::day::LAST).contains(day))
                .ok_or_else(|| Unusable::Broken(format!("day number {n} is no day")))
        })
        .transpose()
}

#[derive(Deserialize)]
struct TextFile {
    format: u32,
    generation: u64,
    cards: Vec<TextEntry<String, Box<Cloze>>>,
}

/// A card's id, section, question, answer, note, day added and cloze (strings when read,
/// borrowed when written).
#[derive(Serialize, Deserialize)]
struct TextEntry<S, C>(
    S,
    S,
    S,
    S,
    S,
    #[serde(with = "crate::schedule::day")] NaiveDate,
    Option<C>,
);

#[derive(Serialize, Deserialize)]
struct HistoryFile {
    format: u32,
    generation: u64,
    days: Vec<DayEntry>,
}

/// Reads the caches `need` asks for, and says whether the cards' FSRS memories were computed
/// with other parameters than `fsrs_parameters` (and must be computed again).
pub(crate) fn load(
    paths: &Paths,
    need: Need,
    fsrs_parameters: &[f64; 21],
) -> std::result::Result<(Collection, Folded, bool), Unusable> {
    // The card text, the biggest file, is read on a thread of its own meanwhile; without it,
    // the progress is read on every core.
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let progress_threads = if need == Need::Everything {
        cores.div_ceil(2)
    } else {
        cores
    };
    std::thread::scope(|scope| {
        let text = (need == Need::Everything).then(|| {
            scope.spawn(move || {
                read_cards(&paths.collection(), cores / 2, |file: &mut TextFile, cards| {
                    file.cards = cards
                })
            })
        });
        let text = move || match text {
            Some(reading) => reading
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                .map(Some),
            None => Ok(None),
        };
        load_with(paths, progress_threads, fsrs_parameters, text)
    })
}

/// [`load`], with the card text from `text` (`None` when it is not needed).
fn load_with(
    paths: &Paths,
    threads: usize,
    fsrs_parameters: &[f64; 21],
    text: impl FnOnce() -> std::result::Result<Option<TextFile>, Unusable>,
) -> std::result::Result<(Collection, Folded, bool), Unusable> {
    let progress = read_cards(&paths.progress(), threads, |file: &mut ProgressFile, cards| {
        file.cards = cards
    })?;
    if progress.format != FORMAT {
        return Err(Unusable::Broken(format!(
            "format {} (this program writes {FORMAT})",
            progress.format
        )));
    }
    let memory_stale = progress.fsrs_parameters != fsrs_parameters;
    let fsrs = crate::schedule::fsrs::Scheduler::new(
        fsrs_parameters,
        crate::schedule::fsrs::DEFAULT_DESIRED_RETENTION,
        crate::schedule::fsrs::DEFAULT_MAXIMUM_INTERVAL,
    )
    .map_err(Unusable::Broken)?;
    let deck_names: Vec<String> = progress
        .decks
        .iter()
        .map(|deck| deck.name.clone())
        .chain(progress.removed_decks)
        .collect();
    let mut collection = Collection {
        decks: progress.decks,
        devices: progress.devices,
        fsrs,
        ..Collection::default()
    };
    let mut cards = Vec::with_capacity(progress.cards.len());
    for entry in progress.cards {
        let deck = deck_names
            .get(entry.1)
            .ok_or_else(|| Unusable::Broken(format!("card {} names no deck", entry.0)))?;
        cards.push(Card {
            id: entry.0,
            deck: deck.clone(),
            section: String::new(),
            question: String::new(),
            answer: String::new(),
            note: String::new(),
            cloze: None,
            line: entry.2,
            added: NaiveDate::default(),
            status: status_of(entry.3)?,
            buried: day_of(entry.4)?,
            retired_while_suspended: entry.3 & 4 != 0,
            suspended_with_deck: entry.3 & 8 != 0,
            state: CardState {
                repetitions: entry.5,
                ease: Ease::from_hundredths(entry.6),
                interval: entry.7,
                due: day_of(entry.8)?,
                lapses: entry.9,
                last_review: day_of(entry.10)?,
            },
            fsrs: memory(entry.11),
            fsrs_before: memory(entry.12),
        });
    }
    if let Some(text) = text()? {
        if text.format != FORMAT || text.generation != progress.generations.collection {
            return Err(Unusable::Broken(
                "the card text does not go with the progress".into(),
            ));
        }
        if text.cards.len() != cards.len() {
            return Err(Unusable::Broken(
                "the card text does not go with the progress".into(),
            ));
        }
        for (card, entry) in cards.iter_mut().zip(text.cards) {
            if card.id != entry.0 {
                return Err(Unusable::Broken(format!(
                    "card {} has the text of card {}",
                    card.id, entry.0
                )));
            }
            card.section = entry.1;
            card.question = entry.2;
            card.answer = entry.3;
            card.note = entry.4;
            card.added = entry.5;
            card.cloze = entry.6;
        }
        let history: HistoryFile = read(&paths.history())?;
        if history.format != FORMAT || history.generation != progress.generations.history {
            return Err(Unusable::Broken(
                "the statistics do not go with the progress".into(),
            ));
        }
        collection.history = history.days;
    }
    if let Some(at) = collection.set_cards(cards) {
        return Err(Unusable::Broken(format!(
            "card id {:?} is used twice",
            collection.cards[at].id
        )));
    }
    let folded = Folded {
        positions: progress.logs,
        last: progress.last,
        generations: progress.generations,
    };
    Ok((collection, folded, memory_stale))
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> std::result::Result<T, Unusable> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| Unusable::Broken(format!("{}: {e}", path.display())))
}

fn read_bytes(path: &Path) -> std::result::Result<Vec<u8>, Unusable> {
    match crate::files::read(path, crate::files::Links::Refuse) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Unusable::Missing),
        Err(e) => Err(Unusable::Broken(format!("{}: {e}", path.display()))),
    }
}

/// A cache file as [`write_lines`] lays it out: a header object whose last key is `"cards"`,
/// one card per line. The header is read alone, the cards on `threads` threads; anything
/// unexpected is read as plain JSON instead (which also says where it goes wrong).
fn read_cards<H, T>(
    path: &Path,
    threads: usize,
    put: impl FnOnce(&mut H, Vec<T>),
) -> std::result::Result<H, Unusable>
where
    H: serde::de::DeserializeOwned,
    T: serde::de::DeserializeOwned + Send,
{
    let bytes = read_bytes(path)?;
    let split = std::str::from_utf8(&bytes).ok().and_then(|text| {
        const CARDS: &str = "\"cards\":[\n";
        let at = text.find(CARDS)?;
        let body = text[at + CARDS.len()..].strip_suffix("\n]}\n")?;
        let header: H = serde_json::from_str(&format!("{}\"cards\":[]}}", &text[..at])).ok()?;
        Some((header, body))
    });
    let Some((mut header, body)) = split else {
        return serde_json::from_slice(&bytes)
            .map_err(|e| Unusable::Broken(format!("{}: {e}", path.display())));
    };
    // Entries are joined by ",\n", and JSON has no raw line break inside a value: split at the
    // line breaks (a quick byte search, where a two-byte pattern is a slow one) and take each
    // entry's comma off.
    let lines: Vec<&str> = body
        .split('\n')
        .map(|line| line.strip_suffix(',').unwrap_or(line))
        .collect();
    let chunk = lines.len().div_ceil(threads.max(1)).max(1);
    let parsed: Vec<Option<Vec<T>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = lines
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || part.iter().map(|line| serde_json::from_str(line).ok()).collect())
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    let mut cards = Vec::with_capacity(lines.len());
    for part in parsed {
        match part {
            Some(part) => cards.extend(part),
            None => {
                return serde_json::from_slice(&bytes)
                    .map_err(|e| Unusable::Broken(format!("{}: {e}", path.display())));
            }
        }
    }
    put(&mut header, cards);
    Ok(header)
}

/// Writes the caches: `progress.json` always, the card text when `text` is true, the statistics
/// when `history` is true; new generations for the files written. Returns the generations now
/// on disk.
pub(crate) fn write(
    paths: &Paths,
    collection: &Collection,
    folded: &Folded,
    text: bool,
    history: bool,
) -> Result<Generations> {
    let mut generations = folded.generations;
    if text {
        generations.collection = new_generation(generations.collection);
        let path = paths.collection();
        super::atomic::replace_cache(&path, |out| write_text(out, collection, generations.collection))?;
    }
    if history {
        generations.history = new_generation(generations.history);
        let generation = generations.history;
        let path = paths.history();
        super::atomic::replace_cache(&path, |out| {
            write_lines(out, &collection.history, |out| {
                write!(
                    out,
                    "{{\"format\":{FORMAT},\"generation\":{generation},\"days\":["
                )
            })
        })?;
    }
    let path = paths.progress();
    super::atomic::replace_cache(&path, |out| write_progress(out, collection, folded, generations))?;
    Ok(generations)
}

/// A generation other than `old` (and than 0, which no file has).
fn new_generation(old: u64) -> u64 {
    use std::hash::{BuildHasher, RandomState};
    let fresh = RandomState::new().hash_one(old) | 1;
    if fresh == old {
        fresh.wrapping_add(2)
    } else {
        fresh
    }
}

fn write_progress(
    out: &mut dyn Write,
    collection: &Collection,
    folded: &Folded,
    generations: Generations,
) -> std::io::Result<()> {
    let deck_at: std::collections::HashMap<&str, usize> = collection
        .decks
        .iter()
        .enumerate()
        .map(|(at, deck)| (deck.name.as_str(), at))
        .collect();
    // A retired card of a removed deck keeps its deck's name.
    let mut removed: Vec<&str> = Vec::new();
    let mut removed_at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut entries = Vec::with_capacity(collection.cards.len());
    for card in &collection.cards {
        let deck = match deck_at
            .get(card.deck.as_str())
            .or_else(|| removed_at.get(card.deck.as_str()))
        {
            Some(&at) => at,
            None => {
                let at = collection.decks.len() + removed.len();
                removed_at.insert(&card.deck, at);
                removed.push(&card.deck);
                at
            }
        };
        let s = card.state;
        entries.push(ProgressEntry(
            card.id.as_str(),
            deck,
            card.line,
            status_bits(card),
            day_number(card.buried),
            s.repetitions,
            s.ease.hundredths(),
            s.interval,
            day_number(s.due),
            s.lapses,
            day_number(s.last_review),
            card.fsrs.map(|m| (m.stability, m.difficulty)),
            card.fsrs_before.map(|m| (m.stability, m.difficulty)),
        ));
    }
    write!(out, "{{\"format\":{FORMAT},\"generations\":")?;
    serde_json::to_writer(&mut *out, &generations)?;
    write!(out, ",\"logs\":")?;
    serde_json::to_writer(&mut *out, &folded.positions)?;
    write!(out, ",\"last\":")?;
    serde_json::to_writer(&mut *out, &folded.last)?;
    write!(out, ",\"decks\":")?;
    serde_json::to_writer(&mut *out, &collection.decks)?;
    write!(out, ",\"removed_decks\":")?;
    serde_json::to_writer(&mut *out, &removed)?;
    write!(out, ",\"devices\":")?;
    serde_json::to_writer(&mut *out, &collection.devices)?;
    write!(out, ",\"fsrs_parameters\":")?;
    serde_json::to_writer(&mut *out, &collection.fsrs.parameters())?;
    write_lines(out, &entries, |out| write!(out, ",\"cards\":["))?;
    Ok(())
}

fn write_text(out: &mut dyn Write, collection: &Collection, generation: u64) -> std::io::Result<()> {
    let entries: Vec<TextEntry<&str, &Cloze>> = collection
        .cards
        .iter()
        .map(|card| {
            TextEntry(
                card.id.as_str(),
                card.section.as_str(),
                card.question.as_str(),
                card.answer.as_str(),
                card.note.as_str(),
                card.added,
                card.cloze.as_deref(),
            )
        })
        .collect();
    write_lines(out, &entries, |out| {
        write!(
            out,
            "{{\"format\":{FORMAT},\"generation\":{generation},\"cards\":["
        )
    })
}

/// `start`, then `items` one per line, then the closing `]}`.
fn write_lines<T: Serialize>(
    out: &mut dyn Write,
    items: &[T],
    start: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    start(out)?;
    for (at, item) in items.iter().enumerate() {
        out.write_all(if at == 0 { b"\n" } else { b",\n" })?;
        serde_json::to_writer(&mut *out, item)?;
    }
    out.write_all(b"\n]}\n")
}
