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
use super::lines;
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
#[derive(Debug, Serialize, Deserialize)]
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
    let (progress, mut cards) = read_progress(&paths.progress())?;
    let memory_stale = progress.fsrs_parameters != fsrs_parameters;
    let fsrs = crate::schedule::fsrs::Scheduler::new(
        fsrs_parameters,
        crate::schedule::fsrs::DEFAULT_DESIRED_RETENTION,
        crate::schedule::fsrs::DEFAULT_MAXIMUM_INTERVAL,
    )
    .map_err(Unusable::Broken)?;
    let mut collection = Collection {
        decks: progress.decks,
        devices: progress.devices,
        fsrs,
        ..Collection::default()
    };
    if need == Need::Everything {
        read_text(&paths.collection(), progress.generations.collection, &mut cards)?;
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

/// `progress.json`: its header, and its cards with their text left empty.
fn read_progress(path: &Path) -> std::result::Result<(ProgressFile, Vec<Card>), Unusable> {
    let bytes = read_bytes(path)?;
    if let Some((header, lines)) = lines::split::<ProgressFile>(&bytes) {
        check_format(header.format)?;
        let decks = deck_names(&header);
        // `None`: a line that is not a card's; reading the whole file names its place.
        let cards = lines.read(|line| {
            let entry = ProgressEntry::parse(line)
                .or_else(|| serde_json::from_str(line).ok())
                .ok_or(None)?;
            entry.card(&decks).map_err(Some)
        });
        match cards.map_err(Option::flatten) {
            Ok(cards) => return Ok((header, cards)),
            Err(Some(unusable)) => return Err(unusable),
            Err(None) => {}
        }
    }
    let mut file: ProgressFile = parse_whole(path, &bytes)?;
    check_format(file.format)?;
    let decks = deck_names(&file);
    let cards = std::mem::take(&mut file.cards)
        .into_iter()
        .map(|entry| entry.card(&decks))
        .collect::<std::result::Result<_, _>>()?;
    Ok((file, cards))
}

fn check_format(format: u32) -> std::result::Result<(), Unusable> {
    if format == FORMAT {
        Ok(())
    } else {
        Err(Unusable::Broken(format!(
            "format {format} (this program writes {FORMAT})"
        )))
    }
}

/// The decks a card's deck number counts into: the deck list, then the removed decks.
fn deck_names(progress: &ProgressFile) -> Vec<String> {
    progress
        .decks
        .iter()
        .map(|deck| deck.name.clone())
        .chain(progress.removed_decks.iter().cloned())
        .collect()
}

impl ProgressEntry<String> {
    /// Reads a line as [`write_progress`] writes it, several times quicker than serde's
    /// generic path; `None` for any other spelling (an escaped id, spaces), left to serde.
    fn parse(line: &str) -> Option<Self> {
        let line = line.strip_prefix("[\"")?;
        // A byte search: the id holds no quote, or it is escaped and left to serde.
        let end = line.find('"')?;
        let (id, rest) = (&line[..end], line[end + 1..].strip_prefix(',')?);
        if id.bytes().any(|b| b < 0x20 || b == b'\\') {
            return None;
        }
        let mut values = Values(rest);
        let entry = ProgressEntry(
            id.to_string(),
            values.number()?,
            values.number()?,
            values.number()?,
            values.optional()?,
            values.number()?,
            values.number()?,
            values.number()?,
            values.optional()?,
            values.number()?,
            values.optional()?,
            values.pair(b',')?,
            values.pair(b']')?,
        );
        values.0.is_empty().then_some(entry)
    }

    /// The card this entry describes, with its text left empty; `decks` are the names its
    /// deck number counts into.
    fn card(self, decks: &[String]) -> std::result::Result<Card, Unusable> {
        let deck = decks
            .get(self.1)
            .ok_or_else(|| Unusable::Broken(format!("card {} names no deck", self.0)))?;
        Ok(Card {
            id: self.0,
            deck: deck.clone(),
            section: String::new(),
            question: String::new(),
            answer: String::new(),
            note: String::new(),
            cloze: None,
            line: self.2,
            added: NaiveDate::default(),
            status: status_of(self.3)?,
            buried: day_of(self.4)?,
            retired_while_suspended: self.3 & 4 != 0,
            suspended_with_deck: self.3 & 8 != 0,
            state: CardState {
                repetitions: self.5,
                ease: Ease::from_hundredths(self.6),
                interval: self.7,
                due: day_of(self.8)?,
                lapses: self.9,
                last_review: day_of(self.10)?,
            },
            fsrs: memory(self.11),
            fsrs_before: memory(self.12),
        })
    }
}

/// The values of a progress line after its id, each followed by a comma (the last pair by the
/// closing bracket).
struct Values<'a>(&'a str);

impl Values<'_> {
    fn next_raw(&mut self) -> Option<&str> {
        let end = self.0.bytes().position(|b| b == b',')?;
        let (value, rest) = self.0.split_at(end);
        self.0 = &rest[1..];
        Some(value)
    }

    fn number<T: TryFrom<u64> + TryFrom<i64>>(&mut self) -> Option<T> {
        json_integer(self.next_raw()?)
    }

    fn optional<T: TryFrom<u64> + TryFrom<i64>>(&mut self) -> Option<Option<T>> {
        match self.next_raw()? {
            "null" => Some(None),
            value => json_integer(value).map(Some),
        }
    }

    /// `null` or `[a,b]` of two finite numbers, then `end`.
    fn pair(&mut self, end: u8) -> Option<Option<(f64, f64)>> {
        let rest = self.0.as_bytes();
        let (pair, after) = if rest.starts_with(b"null") {
            (None, 4)
        } else if rest.first() == Some(&b'[') {
            let comma = rest.iter().position(|&b| b == b',')?;
            let close = comma + rest[comma..].iter().position(|&b| b == b']')?;
            let finite = |value: &str| json_float(value).filter(|x| x.is_finite());
            let first = finite(self.0.get(1..comma)?)?;
            let second = finite(self.0.get(comma + 1..close)?)?;
            (Some((first, second)), close + 1)
        } else {
            return None;
        };
        (rest.get(after) == Some(&end)).then_some(())?;
        self.0 = self.0.get(after + 1..)?;
        Some(pair)
    }
}

/// `text` read as a `T`, when it is an integer as JSON spells one (digits, no leading zero,
/// maybe a minus) and fits a `T`. Read in one pass: most of a progress line.
fn json_integer<T: TryFrom<u64> + TryFrom<i64>>(text: &str) -> Option<T> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits.as_bytes()),
        None => (false, text.as_bytes()),
    };
    // serde reads `-0` as a float.
    let leading_zero = digits.len() > 1 || negative;
    if digits.is_empty() || (leading_zero && digits[0] == b'0') {
        return None;
    }
    let mut value = 0u64;
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        value = value.checked_mul(10)?.checked_add(u64::from(digit - b'0'))?;
    }
    if negative {
        T::try_from(0i64.checked_sub_unsigned(value)?).ok()
    } else {
        T::try_from(value).ok()
    }
}

/// `text` read as a number, when JSON spells it so (Rust also reads `+1`, `01` and `.5`, which
/// no cache as written holds). Checked and, for the numbers a cache mostly holds, read in one
/// pass: the FSRS memories are a third of reading a progress line.
fn json_float(text: &str) -> Option<f64> {
    let bytes = text.as_bytes();
    let negative = bytes.first() == Some(&b'-');
    let mut at = usize::from(negative);
    // The digits, as one number: it wraps past 19 digits, and is then not used.
    let mut mantissa = 0u64;
    let mut digits = |at: &mut usize| {
        let from = *at;
        while let Some(&digit) = bytes.get(*at).filter(|b| b.is_ascii_digit()) {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit - b'0'));
            *at += 1;
        }
        *at - from
    };
    let whole = digits(&mut at);
    if whole == 0 || (whole > 1 && bytes[at - whole] == b'0') {
        return None;
    }
    let mut fraction = 0;
    if bytes.get(at) == Some(&b'.') {
        at += 1;
        fraction = digits(&mut at);
        if fraction == 0 {
            return None;
        }
    }
    let mut exponent = false;
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        exponent = true;
        at += 1 + usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        let from = at;
        at += bytes[at.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if at == from {
            return None;
        }
    }
    if at != bytes.len() {
        return None;
    }
    // Both numbers are exact as doubles (at most 19 digits: the mantissa has not wrapped, and
    // the power of ten is at most 10^18), so their quotient is rounded once, as a full reading
    // rounds it (Clinger's fast path).
    match POWERS_OF_TEN.get(fraction) {
        Some(power) if !exponent && whole + fraction <= 19 && mantissa <= 1 << 53 => {
            let value = mantissa as f64 / power;
            Some(if negative { -value } else { value })
        }
        _ => text.parse().ok(),
    }
}

/// The powers of ten that are exact as doubles.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
    1e19, 1e20, 1e21, 1e22,
];

/// Puts the cards' text from `collection.json` into `cards`, which it must go with: be of
/// `generation`, and hold the same cards in the same order.
fn read_text(path: &Path, generation: u64, cards: &mut [Card]) -> std::result::Result<(), Unusable> {
    let bytes = read_bytes(path)?;
    if let Some((header, lines)) = lines::split::<TextFile>(&bytes) {
        check_text(&header, generation, true)?;
        // `None`: a line that is not a card's; reading the whole file names its place.
        let put = lines.update(cards, |line, card| {
            let entry = serde_json::from_str(line).map_err(|_| None)?;
            put_text(card, entry).map_err(Some)
        });
        match put.map_err(Option::flatten) {
            Ok(()) => return Ok(()),
            Err(Some(unusable)) => return Err(unusable),
            Err(None) => {}
        }
    }
    let file: TextFile = parse_whole(path, &bytes)?;
    check_text(&file, generation, file.cards.len() == cards.len())?;
    for (card, entry) in cards.iter_mut().zip(file.cards) {
        put_text(card, entry)?;
    }
    Ok(())
}

/// The card text cache goes with the progress: `generation` is the one the progress names,
/// and `same_count` says it holds as many cards.
fn check_text(file: &TextFile, generation: u64, same_count: bool) -> std::result::Result<(), Unusable> {
    if file.format != FORMAT || file.generation != generation || !same_count {
        return Err(Unusable::Broken(
            "the card text does not go with the progress".into(),
        ));
    }
    Ok(())
}

fn put_text(card: &mut Card, entry: TextEntry<String, Box<Cloze>>) -> std::result::Result<(), Unusable> {
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
    Ok(())
}

fn parse_whole<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
) -> std::result::Result<T, Unusable> {
    serde_json::from_slice(bytes).map_err(|e| Unusable::Broken(format!("{}: {e}", path.display())))
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> std::result::Result<T, Unusable> {
    parse_whole(path, &read_bytes(path)?)
}

fn read_bytes(path: &Path) -> std::result::Result<crate::files::Bytes, Unusable> {
    match crate::files::map(path, crate::files::Links::Refuse) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Unusable::Missing),
        Err(e) => Err(Unusable::Broken(format!("{}: {e}", path.display()))),
    }
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
            lines::write(
                out,
                &collection.history,
                |day| day,
                |out| {
                    write!(
                        out,
                        "{{\"format\":{FORMAT},\"generation\":{generation},\"days\":["
                    )
                },
            )
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
    // A retired card of a removed deck keeps its deck's name. Neighbours share their deck, so
    // the previous card's is tried first.
    let mut removed: Vec<&str> = Vec::new();
    let mut removed_at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut cards = Vec::with_capacity(collection.cards.len());
    let mut previous: Option<(&str, usize)> = None;
    for card in &collection.cards {
        let deck = match previous {
            Some((name, at)) if name == card.deck => at,
            _ => match deck_at
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
            },
        };
        previous = Some((&card.deck, deck));
        cards.push((card, deck));
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
    lines::write(
        out,
        &cards,
        |&(card, deck)| progress_entry(card, deck),
        |out| write!(out, ",\"cards\":["),
    )
}

fn progress_entry(card: &Card, deck: usize) -> ProgressEntry<&str> {
    let s = card.state;
    ProgressEntry(
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
    )
}

fn write_text(out: &mut dyn Write, collection: &Collection, generation: u64) -> std::io::Result<()> {
    lines::write(
        out,
        &collection.cards,
        |card| {
            TextEntry(
                card.id.as_str(),
                card.section.as_str(),
                card.question.as_str(),
                card.answer.as_str(),
                card.note.as_str(),
                card.added,
                card.cloze.as_deref(),
            )
        },
        |out| {
            write!(
                out,
                "{{\"format\":{FORMAT},\"generation\":{generation},\"cards\":["
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day() -> impl Strategy<Value = Option<i32>> {
        prop::option::of(-366..=3_652_059i32)
    }

    fn pair() -> impl Strategy<Value = Option<(f64, f64)>> {
        let number = prop_oneof![
            prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
            Just(1.0),
            Just(1e-7),
            Just(36500.0)
        ];
        prop::option::of((number.clone(), number))
    }

    fn entry() -> impl Strategy<Value = ProgressEntry<String>> {
        (
            "[a-z0-9]{1,12}",
            (any::<usize>(), any::<usize>(), any::<u8>(), day()),
            (
                any::<u32>(),
                any::<u16>(),
                any::<u32>(),
                day(),
                any::<u32>(),
                day(),
            ),
            (pair(), pair()),
        )
            .prop_map(
                |(id, (deck, line, bits, buried), (r, e, i, due, l, last), (f, b))| {
                    ProgressEntry(id, deck, line, bits, buried, r, e, i, due, l, last, f, b)
                },
            )
    }

    proptest! {
        #[test]
        fn the_quick_reading_of_a_progress_line_gives_what_serde_wrote(entry in entry()) {
            let line = serde_json::to_string(&entry).unwrap();
            let read = ProgressEntry::parse(&line).expect("a line as written is read");
            prop_assert_eq!(serde_json::to_string(&read).unwrap(), line);
        }

        #[test]
        fn a_number_as_json_spells_it_is_read_as_rust_reads_it(
            text in "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,25})?([eE][+-]?[0-9]{1,3})?"
        ) {
            let rust: Option<f64> = text.parse().ok();
            prop_assert_eq!(json_float(&text).map(f64::to_bits), rust.map(f64::to_bits));
        }

        #[test]
        fn a_double_as_serde_writes_it_is_read_back_exactly(
            x in prop::num::f64::POSITIVE | prop::num::f64::NEGATIVE | prop::num::f64::ZERO
        ) {
            let text = serde_json::to_string(&x).unwrap();
            prop_assert_eq!(json_float(&text).map(f64::to_bits), Some(x.to_bits()));
        }

        #[test]
        fn an_integer_is_read_as_serde_reads_it(text in "-?[0-9]{1,21}") {
            let serde: Option<u32> = serde_json::from_str(&text).ok();
            prop_assert_eq!(json_integer::<u32>(&text), serde);
            let serde: Option<i32> = serde_json::from_str(&text).ok();
            prop_assert_eq!(json_integer::<i32>(&text), serde);
            let serde: Option<usize> = serde_json::from_str(&text).ok();
            prop_assert_eq!(json_integer::<usize>(&text), serde);
        }
    }

    #[test]
    fn numbers_json_does_not_spell_so_are_left_to_serde() {
        for text in [
            "", "-", "+1", "01", "-01", ".5", "1.", "1e", "1e+", "1.5x", "inf", "NaN", " 1",
        ] {
            assert_eq!(json_float(text), None, "{text:?}");
            assert_eq!(json_integer::<i32>(text), None, "{text:?}");
        }
        for text in ["1.5", "1e3", "-0.25"] {
            assert_eq!(json_integer::<i32>(text), None, "{text:?}");
        }
        assert_eq!(json_float("-0").map(f64::to_bits), Some((-0.0f64).to_bits()));
        assert_eq!(json_float("123.456"), Some(123.456));
    }

    /// Caches of three cards written to a new directory, and their generations.
    fn three_cards() -> (tempfile::TempDir, Paths) {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths::new(dir.path().to_path_buf());
        let mut collection = Collection::default();
        let cards = ["c1", "c2", "c3"]
            .into_iter()
            .map(|id| {
                let text = crate::core::CardText {
                    section: String::new(),
                    question: format!("question of {id}?"),
                    answer: String::new(),
                    note: String::new(),
                    line: 0,
                    cloze: None,
                };
                Card::new(id, "d", &text, NaiveDate::default())
            })
            .collect();
        assert_eq!(collection.set_cards(cards), None);
        let folded = Folded {
            positions: vec![Position::start("here")],
            last: None,
            generations: Generations::default(),
        };
        write(&paths, &collection, &folded, true, true).unwrap();
        (dir, paths)
    }

    fn broken(paths: &Paths) -> String {
        match load(
            paths,
            Need::Everything,
            &crate::schedule::fsrs::DEFAULT_PARAMETERS,
        ) {
            Err(Unusable::Broken(reason)) => reason,
            Err(Unusable::Missing) => panic!("missing"),
            Ok(_) => panic!("the caches were used"),
        }
    }

    #[test]
    fn card_text_that_does_not_go_with_the_progress_is_never_used() {
        let (_dir, paths) = three_cards();
        let (collection, _, _) = load(
            &paths,
            Need::Everything,
            &crate::schedule::fsrs::DEFAULT_PARAMETERS,
        )
        .unwrap_or_else(|_| panic!("the caches as written are used"));
        assert_eq!(collection.cards[2].question, "question of c3?");
        let text = std::fs::read_to_string(paths.collection()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let edit = |lines: Vec<&str>| std::fs::write(paths.collection(), lines.join("\n") + "\n").unwrap();
        // Two cards' lines swapped.
        edit(vec![lines[0], lines[2], lines[1], lines[3], lines[4]]);
        assert_eq!(broken(&paths), "card c1 has the text of card c2");
        // A card's line gone.
        edit(vec![lines[0], lines[1], lines[2].trim_end_matches(','), lines[4]]);
        assert_eq!(broken(&paths), "the card text does not go with the progress");
        // A line damaged: the whole file's reading says where.
        edit(vec![lines[0], lines[1], "[\"c2\",", lines[3], lines[4]]);
        assert!(broken(&paths).contains("collection.json: "), "{}", broken(&paths));
        // Of another generation.
        edit(vec![
            &lines[0].replace("\"generation\":", "\"generation\":2,\"was\":"),
            lines[1],
            lines[2],
            lines[3],
            lines[4],
        ]);
        assert_eq!(broken(&paths), "the card text does not go with the progress");
    }

    #[test]
    fn lines_spelled_otherwise_are_left_to_serde() {
        for line in [
            r#"["a\"b",0,1,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab", 0,1,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[1.0, 2.0],null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,null,null] "#,
        ] {
            assert!(ProgressEntry::parse(line).is_none(), "{line}");
            let entry: ProgressEntry<String> = serde_json::from_str(line).unwrap();
            assert!(entry.0.starts_with('a'));
        }
        for broken in [
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[NaN,1.0],null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[inf,1.0],null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,null,null,null]"#,
            r#"["ab",0,1.5,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[1.0],null]"#,
            r#"["ab",-1,1,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab",+1,1,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab",01,1,0,null,0,250,0,null,0,null,null,null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[.5,1.0],null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[5.,1.0],null]"#,
            r#"["ab",0,1,0,null,0,250,0,null,0,null,[1e,1.0],null]"#,
            "[\"a\tb\",0,1,0,null,0,250,0,null,0,null,null,null]",
        ] {
            assert!(ProgressEntry::parse(broken).is_none(), "{broken}");
            assert!(
                serde_json::from_str::<ProgressEntry<String>>(broken).is_err(),
                "{broken}"
            );
        }
    }
}
