//! The data directory: the collection snapshot, the append-only review log, settings, backups
//! and the writer's lock. Only this module touches those files.
//!
//! The log is the source of truth. Opening reads the snapshot and replays the log records
//! written after it, so a session killed at any moment loses no acknowledged grade.

pub mod atomic;
pub(crate) mod backup;
pub(crate) mod collection;
pub(crate) mod history;
mod index;
pub(crate) mod lock;
pub mod log;
pub mod paths;
pub(crate) mod settings;
pub(crate) mod staged;

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use collection::Collection;
pub(crate) use paths::Paths;

use crate::core::{Card, Kind, Record, Settings, Status};
use crate::error::{Error, Result};

/// An open collection: the cards with every logged review applied.
#[derive(Debug)]
pub struct Store {
    paths: Paths,
    pub collection: Collection,
    pub(crate) settings: Settings,
    index: index::IdIndex,
    writer: Option<Writer>,
    exists: bool,
    created_dir: bool,
    /// The highest record id in the log (0 for an empty log).
    last_id: u64,
    /// Statistics of log records not yet folded into `collection.history`.
    pending: HashMap<(NaiveDate, String), history::Tally>,
    warnings: Vec<String>,
    /// What opening did that the user should hear of (an upgrade), each said once.
    notices: Vec<String>,
}

/// What a store opened for writing holds: the lock, and the log open for appending.
#[derive(Debug)]
struct Writer {
    log: log::LogWriter,
    _lock: lock::Lock,
}

impl Store {
    /// Opens the collection in `dir` to read it; nothing is created or locked.
    pub fn open(dir: &Path) -> Result<Store> {
        let paths = Paths::new(dir.to_path_buf());
        let settings = settings::load(&paths.config())?;
        let (collection, index, exists) = load_snapshot(&paths)?;
        let mut store = Store {
            paths,
            collection,
            settings,
            index,
            writer: None,
            exists,
            created_dir: false,
            last_id: 0,
            pending: HashMap::new(),
            warnings: Vec::new(),
            notices: Vec::new(),
        };
        store.replay_log()?;
        if store.collection.migrated_from.is_some_and(|from| from < 2) {
            store.count_lapses_again()?;
        }
        Ok(store)
    }

    /// Opens the collection in `dir` to change it: creates the directory and default settings
    /// on first use, and holds the lock until the store is dropped.
    pub fn open_for_writing(dir: &Path) -> Result<Store> {
        let created_dir = !dir.exists();
        if created_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let paths = Paths::new(dir.to_path_buf());
        let lock = lock::acquire(&paths.lock())?;
        if !paths.config().exists() {
            settings::save(&paths.config(), &Settings::default())?;
        }
        staged::recover(dir)?;
        let (log, warning) = log::LogWriter::open(&paths.log())?;
        atomic::remove_leftovers(dir, &paths::REPLACED);
        let mut store = Store::open(dir)?;
        if !store.exists() {
            refuse_lost_snapshot(&paths, log.is_empty())?;
        }
        store.warnings.extend(warning);
        store.created_dir = created_dir;
        store.writer = Some(Writer { log, _lock: lock });
        // An upgrade is written at once, so it is done (and said) once.
        if store.exists && store.collection.migrated_from.is_some() {
            store.collection.migrated_from = None;
            store.save()?;
        }
        Ok(store)
    }

    pub(crate) fn paths(&self) -> &Paths {
        &self.paths
    }

    /// False until the first snapshot is written.
    pub(crate) fn exists(&self) -> bool {
        self.exists
    }

    /// Refuses a collection that does not exist yet, saying how to start one (or, when its
    /// snapshot was lost, how to get it back).
    pub(crate) fn check_exists(&self) -> Result<()> {
        if self.exists {
            return Ok(());
        }
        let log_is_empty = std::fs::metadata(self.paths.log()).map_or(true, |m| m.len() == 0);
        refuse_lost_snapshot(&self.paths, log_is_empty)?;
        Err(Error::usage(format!(
            "there is no collection in {} yet: `recall` starts one with the example deck, \
             `recall import NOTES` with your own notes",
            self.paths.dir.display()
        )))
    }

    /// True when opening created the data directory (the user should hear where it is).
    pub(crate) fn created_dir(&self) -> bool {
        self.created_dir
    }

    /// Problems met while opening (skipped log lines and the like), each said once.
    pub(crate) fn take_warnings(&mut self) -> Vec<String> {
        std::mem::take(&mut self.warnings)
    }

    /// What opening did that the user should hear of (an upgrade), each said once.
    pub(crate) fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    pub(crate) fn card_position(&self, id: &str) -> Option<usize> {
        self.index.find(&self.collection.cards, id)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.card_position(id).map(|at| &self.collection.cards[at])
    }

    /// A card id that no card in the collection has (a restored or hand-edited collection may
    /// hold ids the counter would give again).
    pub(crate) fn new_card_id(&mut self) -> String {
        loop {
            let id = self.collection.new_card_id();
            if self.card_position(&id).is_none() {
                return id;
            }
        }
    }

    /// Renames deck `old` to `new`: the deck, its cards and its days in the review history.
    /// Returns how many cards it has.
    pub(crate) fn rename_deck(&mut self, old: &str, new: &str) -> usize {
        for deck in self.collection.decks.iter_mut().filter(|d| d.name == old) {
            deck.name = new.to_string();
        }
        self.rename_history_deck(old, new);
        let mut cards = 0;
        for card in self.collection.cards.iter_mut().filter(|c| c.deck == old) {
            card.deck = new.to_string();
            cards += 1;
        }
        cards
    }

    /// Renames a deck's days in the review history, those not yet folded into the snapshot
    /// included.
    fn rename_history_deck(&mut self, old: &str, new: &str) {
        for day in self.collection.history.iter_mut().filter(|d| d.deck == old) {
            day.deck = new.to_string();
        }
        let renamed: Vec<_> = self
            .pending
            .keys()
            .filter(|(_, deck)| deck == old)
            .cloned()
            .collect();
        for key in renamed {
            if let Some(tally) = self.pending.remove(&key) {
                self.pending
                    .entry((key.0, new.to_string()))
                    .or_default()
                    .add(&tally);
            }
        }
    }

    /// Adds a card, keeping the id index current.
    pub(crate) fn add_card(&mut self, card: Card) {
        let at = self.collection.cards.len();
        self.collection.cards.push(card);
        let cards = &self.collection.cards;
        self.index.insert(cards, &cards[at].id, at);
    }

    /// Removes every card matching `remove`, keeping the id index current.
    pub(crate) fn remove_cards(&mut self, remove: impl Fn(&Card) -> bool) -> usize {
        let before = self.collection.cards.len();
        self.collection.cards.retain(|card| !remove(card));
        self.rebuild_index();
        before - self.collection.cards.len()
    }

    /// Appends a record for `card` to the log (durably) and applies it to the card.
    /// The record's `id` is assigned here.
    pub(crate) fn record(&mut self, mut record: Record) -> Result<Record> {
        let writer = self.writer.as_mut().ok_or_else(read_only)?;
        record.id = next_id(self.last_id, &self.paths.log())?;
        writer.log.append(&record)?;
        self.last_id = record.id;
        if let Some(at) = self.card_position(&record.card) {
            let card = &mut self.collection.cards[at];
            apply(card, &record);
            tally(&mut self.pending, card, &record);
        }
        Ok(record)
    }

    /// Refuses a restore unless the collection is empty: no cards, no decks, no reviews.
    pub(crate) fn check_restorable(&self) -> Result<()> {
        let writer = self.writer.as_ref().ok_or_else(read_only)?;
        if !self.collection.cards.is_empty() || !self.collection.decks.is_empty() || !writer.log.is_empty() {
            return Err(Error::usage(format!(
                "a recall export can only be restored into an empty collection, and {} is not; \
                 restore it elsewhere with --data-dir NEW_DIR",
                self.paths.dir.display()
            )));
        }
        Ok(())
    }

    /// Starts a restore, written beside the collection's files until it is whole.
    pub(crate) fn stage_restore(&self) -> Result<staged::Staging> {
        self.check_restorable()?;
        staged::Staging::create(&self.paths.dir)
    }

    /// Puts a staged restore in place: `collection` becomes this one, the staged log its log.
    /// `last_id` is the highest record id in that log.
    pub(crate) fn install_restore(
        &mut self,
        staging: staged::Staging,
        mut collection: Collection,
        last_id: u64,
    ) -> Result<()> {
        self.check_restorable()?;
        let log_path = staging.log_path();
        collection.log_offset = std::fs::metadata(&log_path)
            .map_err(|e| Error::io(&log_path, e))?
            .len();
        collection.last_review_id = last_id;
        staging.complete(|out| collection.write(out))?;
        let (log, _) = log::LogWriter::open(&self.paths.log())?;
        if let Some(writer) = self.writer.as_mut() {
            writer.log = log;
        }
        self.collection = collection;
        self.last_id = last_id;
        self.pending.clear();
        self.exists = true;
        self.rebuild_index();
        Ok(())
    }

    /// Writes the snapshot atomically, keeping the previous one in `backups/`.
    /// Returns the path of that backup, if there was a previous snapshot.
    pub fn save(&mut self) -> Result<Option<PathBuf>> {
        let writer = self.writer.as_ref().ok_or_else(read_only)?;
        self.collection.log_offset = writer.log.len();
        self.collection.last_review_id = self.last_id;
        let snapshot = self.paths.collection();
        let mut folded = self.collection.history.clone();
        history::fold(&mut folded, &self.pending);
        let history = std::mem::replace(&mut self.collection.history, folded);
        // The old snapshot is kept only once the new one is written, so a failed save leaves
        // no backup behind.
        let mut backup = None;
        let written = atomic::replace_with(
            &snapshot,
            |out| self.collection.write(out).map_err(|e| Error::io(&snapshot, e)),
            || {
                backup = backup::keep(&snapshot, &self.paths.backups())?;
                Ok(())
            },
        );
        if let Err(error) = written {
            self.collection.history = history;
            return Err(error);
        }
        self.pending.clear();
        self.exists = true;
        Ok(backup)
    }

    /// Writes notes that ship with the program into `notes/` of the data directory (unless a
    /// file of that name is there already) and returns the path.
    pub(crate) fn write_bundled_notes(&self, file_name: &str, text: &str) -> Result<PathBuf> {
        self.writer.as_ref().ok_or_else(read_only)?;
        let dir = self.paths.bundled_notes();
        std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(file_name);
        if !path.exists() {
            atomic::replace(&path, |out| out.write_all(text.as_bytes()))?;
        }
        Ok(path)
    }

    /// Reviews per study day and deck, folded and pending alike (unsorted).
    pub(crate) fn history(&self) -> impl Iterator<Item = (NaiveDate, &str, history::Tally)> {
        let folded = self
            .collection
            .history
            .iter()
            .map(|e| (e.day, e.deck.as_str(), e.tally));
        folded.chain(
            self.pending
                .iter()
                .map(|((day, deck), tally)| (*day, deck.as_str(), *tally)),
        )
    }

    /// The log records of study day `since` and later, read from the end of the log.
    pub fn recent_records(&self, since: NaiveDate) -> Result<Vec<Record>> {
        log::read_recent(&self.paths.log(), since)
    }

    /// Calls `each` with every record in the log, oldest first; returns the warnings.
    pub fn for_each_record(&self, each: impl FnMut(Record)) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        log::for_each_from(&self.paths.log(), 0, &mut warnings, each)?;
        Ok(warnings)
    }

    /// Every log record of the card `id`, oldest first (lines are only parsed when they
    /// mention the id, so this stays quick on a long log).
    pub(crate) fn records_of(&self, id: &str) -> Result<(Vec<Record>, Vec<String>)> {
        let needle = format!("\"card\":{}", serde_json::Value::from(id));
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut records = Vec::new();
        let warnings = self.for_each_log_batch(|lines| {
            let mut unreadable = Vec::new();
            for line in lines.iter().filter(|line| finder.find(line.text).is_some()) {
                match serde_json::from_slice::<Record>(line.text) {
                    Ok(record) if record.card == id => records.push(record),
                    Ok(_) => {}
                    Err(e) => unreadable.push((line.number, e)),
                }
            }
            unreadable
        })?;
        Ok((records, warnings))
    }

    /// Calls `each` with the lines of the log as written, a batch at a time (blank and torn
    /// lines left out); lines `each` reports unreadable are skipped with a warning. Returns
    /// the warnings.
    pub(crate) fn for_each_log_batch(
        &self,
        each: impl FnMut(&[log::Line]) -> Vec<(usize, serde_json::Error)>,
    ) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        log::for_each_batch(&self.paths.log(), 0, &mut warnings, each)?;
        Ok(warnings)
    }

    /// Applies the log records written after the snapshot, streaming them from the log.
    fn replay_log(&mut self) -> Result<()> {
        let path = self.paths.log();
        let offset = self.collection.log_offset;
        let offset = if offset_is_line_start(&path, offset) {
            offset
        } else {
            0
        };
        let snapshot_id = self.collection.last_review_id;
        let index = std::mem::take(&mut self.index);
        let cards = &mut self.collection.cards;
        let pending = &mut self.pending;
        let mut last_id = snapshot_id;
        log::for_each_from(&path, offset, &mut self.warnings, |record| {
            if record.id <= snapshot_id {
                return;
            }
            last_id = last_id.max(record.id);
            if let Some(at) = index.find(cards, &record.card) {
                apply(&mut cards[at], &record);
                tally(pending, &cards[at], &record);
            }
        })?;
        self.index = index;
        self.last_id = last_id;
        Ok(())
    }

    /// Counts every card's lapses again from the whole log, as version 2 counts them: every
    /// failed review but the first of a new card (or of a card reset to new), undone ones left
    /// out. Snapshots of version 1 counted only failures after a success.
    fn count_lapses_again(&mut self) -> Result<()> {
        let mut undone = std::collections::HashSet::new();
        // Per card position: (record id, whether it failed, whether the card was new then).
        let mut reviews: Vec<Vec<(u64, bool, bool)>> = vec![Vec::new(); self.collection.cards.len()];
        let cards = &self.collection.cards;
        let index = &self.index;
        let warnings = self.for_each_record(|record| {
            if let Some(undoes) = record.undoes {
                undone.insert(undoes);
            }
            if record.kind != Kind::Review {
                return;
            }
            if let (Some(at), Some(grade), Some(before)) =
                (index.find(cards, &record.card), record.grade, record.before)
            {
                reviews[at].push((record.id, !grade.is_pass(), before.is_new()));
            }
        })?;
        self.warnings.extend(warnings);
        for (card, reviews) in self.collection.cards.iter_mut().zip(reviews) {
            let mut lapses = 0u32;
            for (_, failed, new) in reviews.into_iter().filter(|(id, ..)| !undone.contains(id)) {
                if new {
                    lapses = 0;
                } else if failed {
                    lapses = lapses.saturating_add(1);
                }
            }
            card.state.lapses = lapses;
        }
        self.notices.push(format!(
            "{} is from an older recall: lapses were counted again from the log (every failed \
             review but a new card's first)",
            self.paths.collection().display()
        ));
        Ok(())
    }

    /// Indexes the cards again after a change that cannot repeat an id.
    fn rebuild_index(&mut self) {
        self.index = index::IdIndex::build(&self.collection.cards).0;
    }
}

/// Adds what `record` does to the statistics of its day and `card`'s deck.
fn tally(pending: &mut HashMap<(NaiveDate, String), history::Tally>, card: &Card, record: &Record) {
    if let Some(tally) = history::Tally::of(record) {
        pending
            .entry((record.day, card.deck.clone()))
            .or_default()
            .add(&tally);
    }
}

/// What a record does to its card.
fn apply(card: &mut Card, record: &Record) {
    match record.kind {
        Kind::Bury => card.buried = Some(record.day),
        Kind::Suspend => {
            card.status = Status::Suspended;
            card.suspended_with_deck = false;
        }
        Kind::Unsuspend if card.status == Status::Suspended => card.status = Status::Active,
        Kind::Unsuspend => {}
        Kind::Review | Kind::Redrill | Kind::Cram | Kind::Undo => {
            if let Some(after) = record.after {
                card.state = after;
            }
        }
    }
}

/// The record id after `id`; a log whose ids have run out is damaged (it can still be read
/// and exported, but takes no new records).
fn next_id(id: u64, log: &Path) -> Result<u64> {
    id.checked_add(1)
        .ok_or_else(|| Error::bad_file(log, None, format!("record id {id} leaves no ids for new records")))
}

/// A missing snapshot next to a log with reviews, or backups, means it was lost, not that this
/// is a first run: writing a new collection would orphan every logged grade.
fn refuse_lost_snapshot(paths: &Paths, log_is_empty: bool) -> Result<()> {
    let newest = backup::newest(&paths.backups());
    if log_is_empty && newest.is_none() {
        return Ok(());
    }
    let advice = match newest {
        Some(backup) => format!(
            "copy the newest backup, {}, to that name to carry on",
            backup.display()
        ),
        None => "restore it from your own backup, or move reviews.jsonl away to start afresh".to_string(),
    };
    Err(Error::usage(format!(
        "{} is missing, but {} holds your reviews: {advice}",
        paths.collection().display(),
        paths.dir.display()
    )))
}

fn read_only() -> Error {
    Error::internal("the collection was opened read-only")
}

/// Reads `collection.json`; a missing one is a new, empty collection.
/// A snapshot in which two cards share an id is refused: a grade could land on the wrong one.
fn load_snapshot(paths: &Paths) -> Result<(Collection, index::IdIndex, bool)> {
    let path = paths.collection();
    let bytes = match crate::files::read(&path, crate::files::Links::Refuse) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let empty = Collection::new(RandomState::new().hash_one(std::process::id()));
            return Ok((empty, index::IdIndex::default(), false));
        }
        Err(e) => return Err(Error::io(&path, e)),
    };
    let corrupt = |e: collection::LoadError| e.into_error(&path, backup::newest(&paths.backups()));
    let collection = Collection::from_json(&bytes).map_err(corrupt)?;
    let (index, duplicate) = index::IdIndex::build(&collection.cards);
    if let Some(at) = duplicate {
        let id = &collection.cards[at].id;
        return Err(corrupt(collection::LoadError {
            message: format!("card id {id:?} is used by two cards (a review could land on the wrong one)"),
            position: collection::card_position(&bytes, at, id),
        }));
    }
    Ok((collection, index, true))
}

/// True when `offset` is 0 or just after a newline of the log, so reading can start there.
fn offset_is_line_start(path: &Path, offset: u64) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    if offset == 0 {
        return true;
    }
    let mut byte = [0u8];
    crate::files::open_read(path, crate::files::Links::Refuse)
        .and_then(|mut file| {
            file.seek(SeekFrom::Start(offset - 1))?;
            file.read_exact(&mut byte)
        })
        .is_ok_and(|()| byte[0] == b'\n')
}
