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

use std::io::Write;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::collection::Collection;
use super::fold::{Key, Position};
use super::paths::Paths;
use crate::core::history::DayEntry;
use crate::core::{Card, Deck, Status};
use crate::error::Result;
use crate::schedule::sm2::{CardState, Ease};

/// The layout of the caches this program writes.
pub(crate) const FORMAT: u32 = 3;

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
    cards: Vec<ProgressEntry>,
}

/// A card's place, status and progress, as one array.
#[derive(Serialize, Deserialize)]
struct ProgressEntry(
    String,
    /// The deck's number: its position in the deck list, then in the removed decks.
    usize,
    usize,
    Status,
    #[serde(with = "crate::schedule::day::optional")] Option<NaiveDate>,
    /// Bit 0: retired while suspended; bit 1: suspended with its deck.
    u8,
    u32,
    Ease,
    u32,
    #[serde(with = "crate::schedule::day::optional")] Option<NaiveDate>,
    u32,
    #[serde(with = "crate::schedule::day::optional")] Option<NaiveDate>,
);

#[derive(Serialize, Deserialize)]
struct TextFile {
    format: u32,
    generation: u64,
    cards: Vec<TextEntry>,
}

/// A card's id, section, question, answer, note and day added.
#[derive(Serialize, Deserialize)]
struct TextEntry(
    String,
    String,
    String,
    String,
    String,
    #[serde(with = "crate::schedule::day")] NaiveDate,
);

#[derive(Serialize, Deserialize)]
struct HistoryFile {
    format: u32,
    generation: u64,
    days: Vec<DayEntry>,
}

/// Reads the caches `need` asks for.
pub(crate) fn load(paths: &Paths, need: Need) -> std::result::Result<(Collection, Folded), Unusable> {
    let progress: ProgressFile = read(&paths.progress())?;
    if progress.format != FORMAT {
        return Err(Unusable::Broken(format!(
            "format {} (this program writes {FORMAT})",
            progress.format
        )));
    }
    let deck_names: Vec<String> = progress
        .decks
        .iter()
        .map(|deck| deck.name.clone())
        .chain(progress.removed_decks)
        .collect();
    let mut collection = Collection {
        decks: progress.decks,
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
            line: entry.2,
            added: NaiveDate::default(),
            status: entry.3,
            buried: entry.4,
            retired_while_suspended: entry.5 & 1 != 0,
            suspended_with_deck: entry.5 & 2 != 0,
            state: CardState {
                repetitions: entry.6,
                ease: entry.7,
                interval: entry.8,
                due: entry.9,
                lapses: entry.10,
                last_review: entry.11,
            },
        });
    }
    if need == Need::Everything {
        let text: TextFile = read(&paths.collection())?;
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
    Ok((collection, folded))
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> std::result::Result<T, Unusable> {
    let bytes = match crate::files::read(path, crate::files::Links::Refuse) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unusable::Missing),
        Err(e) => return Err(Unusable::Broken(format!("{}: {e}", path.display()))),
    };
    serde_json::from_slice(&bytes).map_err(|e| Unusable::Broken(format!("{}: {e}", path.display())))
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
        let file = HistoryFile {
            format: FORMAT,
            generation: generations.history,
            days: collection.folded_history(),
        };
        let path = paths.history();
        super::atomic::replace_cache(&path, |out| {
            write_lines(out, &file.days, |out| {
                write!(
                    out,
                    "{{\"format\":{FORMAT},\"generation\":{},\"days\":[",
                    file.generation
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
            card.id.clone(),
            deck,
            card.line,
            card.status,
            card.buried,
            u8::from(card.retired_while_suspended) | u8::from(card.suspended_with_deck) << 1,
            s.repetitions,
            s.ease,
            s.interval,
            s.due,
            s.lapses,
            s.last_review,
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
    write_lines(out, &entries, |out| write!(out, ",\"cards\":["))?;
    Ok(())
}

fn write_text(out: &mut dyn Write, collection: &Collection, generation: u64) -> std::io::Result<()> {
    let entries: Vec<TextEntry> = collection
        .cards
        .iter()
        .map(|card| {
            TextEntry(
                card.id.clone(),
                card.section.clone(),
                card.question.clone(),
                card.answer.clone(),
                card.note.clone(),
                card.added,
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
