//! The data directory: the devices' logs, the caches, settings, the device id and the
//! writer's lock. Only this module touches those files.
//!
//! The logs are the collection. Every change is a record appended durably to this device's
//! log, then applied with the same function that replays the logs ([`apply::apply`]), so what
//! a command shows is what the log holds. Opening reads the caches and applies the records
//! written after them; caches that are missing or do not match the logs are rebuilt from the
//! logs alone.

pub(crate) mod apply;
pub mod atomic;
pub(crate) mod baseline;
mod cache;
pub(crate) mod collection;
pub(crate) mod device;
mod devices;
mod fold;
mod index;
mod lines;
pub(crate) mod lock;
pub mod log;
mod logs;
mod memory;
mod migrate;
pub mod paths;
/// Why the record `key` names was left out, naming the record as its log holds it.
fn skipped_record(key: &Key, reason: &str) -> String {
    format!(
        "logs/{}.jsonl: skipped the record with id {} ({reason})",
        key.device, key.id
    )
}

#[cfg(test)]
mod replay_tests;
pub(crate) mod settings;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub(crate) use apply::Applied;
pub(crate) use cache::FORMAT;
pub use collection::Collection;
pub(crate) use paths::Paths;

use crate::core::history::Tally;
use crate::core::{Card, Deck, Record, Settings};
use crate::error::{Error, Result};
use cache::{Folded, Need, Unusable};
use fold::{Key, Position, Source};

/// An open collection: the cards with every record of every log applied.
#[derive(Debug)]
pub struct Store {
    paths: Paths,
    device: String,
    /// This device's id is new: it is kept before the first record is written with it.
    device_unsaved: bool,
    collection: Collection,
    pub(crate) settings: Settings,
    folded: Folded,
    need: Need,
    writer: Option<Writer>,
    created_dir: bool,
    /// Records were applied since the caches were written.
    unsaved: bool,
    warnings: Vec<String>,
    /// What opening did that the user should hear of (a conversion, a rebuild), each said once.
    notices: Vec<String>,
}

/// What a store opened for writing holds: the lock, and this device's log open for appending.
#[derive(Debug)]
struct Writer {
    log: log::LogWriter,
    _lock: lock::Lock,
    /// The ignore files were checked by an earlier commit of this writer: each grade of a
    /// session need not look again.
    ignore_files_checked: bool,
}

impl Store {
    /// Opens the collection in `dir` to read it; nothing is created or locked (but a collection
    /// of the earlier layout is converted first, under the lock).
    pub fn open(dir: &Path) -> Result<Store> {
        Store::open_with(dir, Need::Everything, false)
    }

    /// Opens the collection in `dir` to read the cards' places, statuses and progress only:
    /// their text is left empty. For `recall due`, which must be quick.
    pub(crate) fn open_progress(dir: &Path) -> Result<Store> {
        Store::open_with(dir, Need::Progress, false)
    }

    /// Opens the collection in `dir` to change it: creates the directory and default settings
    /// on first use, and holds the lock until the store is dropped.
    pub fn open_for_writing(dir: &Path) -> Result<Store> {
        Store::open_with(dir, Need::Everything, true)
    }

    fn open_with(dir: &Path, need: Need, write: bool) -> Result<Store> {
        let created_dir = write && !dir.exists();
        if created_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        let paths = Paths::new(dir.to_path_buf());
        let lock = if write {
            Some(lock::acquire(&paths.lock())?)
        } else {
            None
        };
        if write {
            if !paths.config().exists() {
                settings::save(&paths.config(), &Settings::default())?;
            }
            atomic::remove_leftovers(dir, &paths::REPLACED);
        }
        let settings = settings::load(&paths.config())?;
        let device::Device {
            id: device,
            notice: device_notice,
            unsaved: device_unsaved,
        } = device::id(dir)?;
        let mut notices: Vec<String> = device_notice.into_iter().collect();
        let mut warnings = Vec::new();
        let converting = migrate::needed(&paths);
        if converting {
            // Converting writes; a read-only command takes the lock for it.
            let _held = if lock.is_none() {
                Some(lock::acquire(&paths.lock())?)
            } else {
                None
            };
            if device_unsaved {
                device::save(dir, &device)?;
            }
            notices.push(migrate::convert(&paths, &device, &mut warnings)?);
        } else if write && migrate::old_files_left(&paths) {
            migrate::finish(&paths)?;
        }
        // A restore killed while writing this device's log leaves its temporary file, which
        // the writer removes.
        let own_log = paths.log_of(&device);
        let own_name = own_log
            .file_name()
            .and_then(|name| name.to_str())
            .filter(|_| write);
        let (logs, strays) = logs::list_with_strays(&paths.logs(), own_name)?;
        for stray in strays {
            warnings.push(format!(
                "{} is no device's log (a sync tool's copy of one?): its records are not read",
                stray.display()
            ));
        }
        let fsrs = settings.fsrs();
        let (collection, folded, rebuilt, changed) =
            load(&paths, need, &fsrs, &logs, &device, &mut warnings)?;
        if let Some(reason) = rebuilt.as_ref().filter(|_| !converting) {
            let records: u64 = folded.positions.iter().map(|p| p.last_id).sum();
            notices.push(format!(
                "rebuilt the collection from its logs ({}): {reason}",
                crate::text::plural(records as usize, "record")
            ));
        }
        let mut store = Store {
            device_unsaved: device_unsaved && !converting,
            paths,
            device,
            collection,
            settings,
            folded,
            // A rebuild reads every record: the text is there, whatever was asked for.
            need: if rebuilt.is_some() { Need::Everything } else { need },
            writer: None,
            created_dir,
            unsaved: rebuilt.is_some() || changed,
            warnings,
            notices,
        };
        if let Some(lock) = lock {
            let (mut log, warning) = log::LogWriter::open(&store.paths.log_of(&store.device))?;
            store.warnings.extend(warning);
            let complete = store.own_position().offset;
            store.warnings.extend(log.cut_to(complete)?);
            store.writer = Some(Writer {
                log,
                _lock: lock,
                ignore_files_checked: false,
            });
            if rebuilt.is_some() {
                store.save()?;
            }
        } else if rebuilt.is_some() {
            store.save_if_free();
        }
        Ok(store)
    }

    pub(crate) fn paths(&self) -> &Paths {
        &self.paths
    }

    /// This device's id.
    pub(crate) fn device(&self) -> &str {
        &self.device
    }

    /// False until the first record is written.
    pub(crate) fn exists(&self) -> bool {
        self.folded.positions.iter().any(|p| p.offset > 0)
    }

    /// Refuses a collection that does not exist yet, saying how to start one.
    pub(crate) fn check_exists(&self) -> Result<()> {
        if self.exists() {
            return Ok(());
        }
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

    /// What opening did that the user should hear of, each said once.
    pub(crate) fn take_notices(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notices)
    }

    /// The chosen scheduler, as the settings have it.
    pub fn schedule(&self) -> crate::core::Schedule {
        crate::core::Schedule::new(&self.settings)
    }

    pub fn cards(&self) -> &[Card] {
        &self.collection.cards
    }

    pub(crate) fn decks(&self) -> &[Deck] {
        &self.collection.decks
    }

    pub(crate) fn deck(&self, name: &str) -> Option<&Deck> {
        self.collection.deck(name)
    }

    pub(crate) fn card_position(&self, id: &str) -> Option<usize> {
        self.collection.position(id)
    }

    pub fn card(&self, id: &str) -> Option<&Card> {
        self.card_position(id).map(|at| &self.collection.cards[at])
    }

    /// A card id that no card in the collection has: 8 random base-36 characters.
    pub(crate) fn new_card_id(&self) -> String {
        use std::hash::{BuildHasher, RandomState};
        let hasher = RandomState::new();
        (0u64..)
            .map(|attempt| {
                let mut x = hasher.hash_one((attempt, self.collection.cards.len()));
                let mut id = String::with_capacity(8);
                for _ in 0..8 {
                    id.push(char::from(
                        b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize],
                    ));
                    x /= 36;
                }
                id
            })
            .find(|id| self.card_position(id).is_none())
            .unwrap_or_default()
    }

    /// Appends `records` to this device's log as one change (durably, all or nothing), then
    /// applies them. Ids are given here. Returns what each did.
    pub(crate) fn commit(&mut self, records: Vec<Record>) -> Result<Vec<Applied>> {
        Ok(self.commit_all(records)?.0)
    }

    /// [`Store::commit`], also returning the last record as written. Each record goes once
    /// applied: an import's records of new cards hold their text, which the cards now hold too.
    fn commit_all(&mut self, mut records: Vec<Record>) -> Result<(Vec<Applied>, Option<Record>)> {
        if records.is_empty() {
            return Ok((Vec::new(), None));
        }
        if self.writer.is_none() {
            return Err(read_only());
        }
        let latest = self.folded.last.as_ref().map(|key| key.at);
        let mut id = self.own_position().last_id;
        let size = records.len() as u64;
        for (n, record) in records.iter_mut().enumerate() {
            id = id.checked_add(1).ok_or_else(|| {
                Error::bad_file(
                    &self.paths.log_of(&self.device),
                    None,
                    "record ids have run out".to_string(),
                )
            })?;
            record.id = id;
            record.batch = (n == 0 && size > 1).then_some(size);
            // After every record this device has seen, even one made in the same instant.
            record.follows = latest.filter(|&latest| latest >= record.at).map(|latest| {
                latest
                    .checked_add_signed(chrono::TimeDelta::milliseconds(1))
                    .unwrap_or(latest)
            });
        }
        if self.device_unsaved {
            device::save(&self.paths.dir, &self.device)?;
            self.device_unsaved = false;
        }
        if !self.writer.as_ref().ok_or_else(read_only)?.ignore_files_checked {
            self.write_ignore_files()?;
        }
        let writer = self.writer.as_mut().ok_or_else(read_only)?;
        writer.ignore_files_checked = true;
        writer.log.append_all(&records)?;
        let end = writer.log.len();
        let added = records
            .iter()
            .filter(|r| r.kind == crate::core::Kind::CardAdded)
            .count();
        self.collection.cards.reserve(added);
        let mut applied = Vec::with_capacity(records.len());
        let mut last = None;
        for record in records {
            let key = self.own_position_mut().advance(&record, end);
            applied.push(self.apply(&key, &record));
            last = Some(record);
        }
        self.unsaved = true;
        Ok((applied, last))
    }

    /// Writes the lists of this device's own files for git and Syncthing, where they are
    /// missing, so that a synced data directory shares only the logs.
    pub(crate) fn write_ignore_files(&self) -> Result<()> {
        for name in paths::IGNORE_FILES {
            let path = self.paths.dir.join(name);
            if !path.exists() {
                atomic::replace(&path, |out| out.write_all(paths::LOCAL_FILES.as_bytes()))?;
            }
        }
        Ok(())
    }

    /// Every device's log, as (device, path).
    pub(crate) fn log_paths(&self) -> Result<Vec<(String, PathBuf)>> {
        logs::list(&self.paths.logs())
    }

    /// Every device whose log the collection has: how many records it has and the time of the
    /// latest, by device.
    pub(crate) fn devices(&self) -> Vec<(String, u64, Option<crate::schedule::day::Timestamp>)> {
        let mut devices: Vec<_> = self
            .folded
            .positions
            .iter()
            .filter(|p| p.records > 0)
            .map(|p| (p.device.clone(), p.records, p.clock))
            .collect();
        devices.sort();
        devices
    }

    /// Appends one record and applies it; returns it as written.
    pub(crate) fn record(&mut self, record: Record) -> Result<Record> {
        self.commit_all(vec![record])?
            .1
            .ok_or_else(|| Error::internal("a record was not written"))
    }

    fn apply(&mut self, key: &Key, record: &Record) -> Applied {
        let applied = apply::apply(&mut self.collection, record, &key.device).unwrap_or_else(|reason| {
            self.warnings.push(skipped_record(key, &reason));
            Applied::default()
        });
        self.folded.last = Some(key.clone());
        applied
    }

    fn own_position(&self) -> Position {
        self.folded
            .positions
            .iter()
            .find(|p| p.device == self.device)
            .cloned()
            .unwrap_or_else(|| Position::start(&self.device))
    }

    fn own_position_mut(&mut self) -> &mut Position {
        let at = match self.folded.positions.iter().position(|p| p.device == self.device) {
            Some(at) => at,
            None => {
                self.folded.positions.push(Position::start(&self.device));
                self.folded.positions.len() - 1
            }
        };
        &mut self.folded.positions[at]
    }

    /// Refuses a restore unless the collection is empty: no cards, no decks, no records.
    pub(crate) fn check_restorable(&self) -> Result<()> {
        self.writer.as_ref().ok_or_else(read_only)?;
        if !self.collection.cards.is_empty() || !self.collection.decks.is_empty() || self.exists() {
            return Err(Error::usage(format!(
                "a recall export can only be restored into an empty collection, and {} is not; \
                 restore it elsewhere with --data-dir NEW_DIR",
                self.paths.dir.display()
            )));
        }
        Ok(())
    }

    /// Makes the collection, which must be empty, the one `snapshot` and the review records in
    /// the file `reviews` give (a restore). Returns how many reviews it took.
    pub(crate) fn restore(
        &mut self,
        snapshot: &baseline::Snapshot,
        reviews: &Path,
        stamp: crate::core::Stamp,
    ) -> Result<usize> {
        self.check_restorable()?;
        let log = self.paths.log_of(&self.device);
        if self.device_unsaved {
            device::save(&self.paths.dir, &self.device)?;
            self.device_unsaved = false;
        }
        let taken = baseline::write(&log, &self.device, snapshot, reviews, stamp)?;
        let (log_writer, _) = log::LogWriter::open(&log)?;
        if let Some(writer) = self.writer.as_mut() {
            writer.log = log_writer;
        }
        let mut collection = Collection::default();
        let mut folded = Folded {
            positions: Vec::new(),
            last: None,
            generations: cache::Generations::default(),
        };
        catch_up(
            &mut collection,
            &mut folded,
            &logs::list(&self.paths.logs())?,
            &mut self.warnings,
        )?;
        collection.text_changed = true;
        collection.history_changed = true;
        self.collection = collection;
        self.folded = folded;
        self.unsaved = true;
        Ok(taken)
    }

    /// Folds in the records other devices' logs gained since the collection was opened (a
    /// synced folder filled them meanwhile), when they come after everything folded in; ones
    /// that belong earlier wait for the next open, which rebuilds. Cards keep their places.
    pub(crate) fn refresh(&mut self) -> Result<()> {
        let logs = logs::list(&self.paths.logs())?;
        let mut sources = sources(&logs, Some(&self.folded.positions));
        let mut arrived = Vec::new();
        let mut warnings = Vec::new();
        fold::read(&mut sources, &mut warnings, |key, record| {
            arrived.push((key.clone(), record))
        })?;
        let in_order = match (arrived.first(), &self.folded.last) {
            (None, _) => return Ok(()),
            (Some((first, _)), Some(last)) => first > last,
            (Some(_), None) => true,
        };
        if !in_order {
            return Ok(());
        }
        for (key, record) in &arrived {
            self.apply(key, record);
        }
        for source in sources {
            match self
                .folded
                .positions
                .iter_mut()
                .find(|p| p.device == source.position.device)
            {
                Some(position) => *position = source.position,
                None => self.folded.positions.push(source.position),
            }
        }
        self.warnings.extend(warnings);
        self.unsaved = true;
        Ok(())
    }

    /// Lets go of the lock and the log, and leaves the cards to the end of the process to
    /// free: a command that ends with the store need not free 100,000 cards one by one (a
    /// tenth of `recall due`'s time).
    pub fn close(mut self) {
        self.writer = None;
        std::mem::forget(self);
    }

    /// Writes the caches, if anything changed since they were written.
    pub fn save(&mut self) -> Result<()> {
        self.writer.as_ref().ok_or_else(read_only)?;
        self.write_caches()
    }

    fn write_caches(&mut self) -> Result<()> {
        if !self.unsaved || self.need != Need::Everything {
            return Ok(());
        }
        let text = self.collection.text_changed || self.folded.generations.collection == 0;
        let history = self.collection.history_changed
            || !self.collection.pending.is_empty()
            || self.folded.generations.history == 0;
        if history {
            // Folded once, here: the cache writes the history as it then is. Still changed
            // until that write succeeds, so a failed save writes it next time.
            self.collection.history = self.collection.folded_history();
            self.collection.pending.clear();
            self.collection.history_changed = true;
        }
        self.folded.generations = cache::write(&self.paths, &self.collection, &self.folded, text, history)?;
        if history {
            self.collection.history_changed = false;
        }
        self.collection.text_changed = false;
        self.unsaved = false;
        Ok(())
    }

    /// Writes the caches a read-only command rebuilt, when no writer holds the collection.
    fn save_if_free(&mut self) {
        if let Ok(_lock) = lock::acquire(&self.paths.lock()) {
            let _ = self.write_caches();
        }
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
    pub(crate) fn history(&self) -> impl Iterator<Item = (NaiveDate, &str, Tally)> {
        self.collection.history()
    }

    /// The review records (grades, buries, suspensions) of study day `since` and later that
    /// stand, from every log, by time: an undo and the grade it takes back are left out (each
    /// device's undo names a record of its own log).
    pub fn recent_records(&self, since: NaiveDate) -> Result<Vec<Record>> {
        let mut records = Vec::new();
        for (_, path) in logs::list(&self.paths.logs())? {
            let mine = log::read_recent(&path, since)?;
            let undone: std::collections::HashSet<u64> = mine.iter().filter_map(|r| r.undoes).collect();
            records.extend(
                mine.into_iter()
                    .filter(|r| r.kind != crate::core::Kind::Undo && !undone.contains(&r.id)),
            );
        }
        records.sort_by_key(|record| record.at);
        Ok(records)
    }

    /// Calls `each` with every record of every log, in the collection's order, with the device
    /// that wrote it; returns the warnings.
    pub fn for_each_record(&self, mut each: impl FnMut(&str, Record)) -> Result<Vec<String>> {
        let mut warnings = Vec::new();
        let mut sources = sources(&logs::list(&self.paths.logs())?, None);
        fold::read(&mut sources, &mut warnings, |key, record| {
            each(&key.device, record)
        })?;
        Ok(warnings)
    }

    /// The card that records about `id` are about now: when the same notes were imported on
    /// two devices, the card added first (`None`: `id` itself).
    pub(crate) fn card_alias(&self, id: &str) -> Option<String> {
        self.collection.devices.card_alias(id)
    }

    /// Every record about the card `id`, oldest first (lines are only parsed when they mention
    /// the id, so this stays quick on a long log).
    pub(crate) fn records_of(&self, id: &str) -> Result<(Vec<Record>, Vec<String>)> {
        let needle = format!("\"card\":{}", serde_json::Value::from(id));
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut records = Vec::new();
        let mut warnings = Vec::new();
        for (_, path) in logs::list(&self.paths.logs())? {
            log::for_each_batch(&path, 0, &mut warnings, |lines| {
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
        }
        records.sort_by_key(|record| record.at);
        Ok((records, warnings))
    }
}

/// Computes every card's FSRS memory again after the parameters changed, and writes the caches
/// with them, so the commands that only read find them ready.
pub(crate) fn recompute_memories(dir: &Path) -> Result<()> {
    if holds_collection(dir) {
        Store::open_for_writing(dir)?.save()?;
    }
    Ok(())
}

/// Every device's log in the data directory `dir`, as (device, path).
pub(crate) fn logs_in(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    logs::list(&Paths::new(dir.to_path_buf()).logs())
}

/// Whether the data directory `dir` holds a collection: records, or files of an earlier
/// version.
pub(crate) fn holds_collection(dir: &Path) -> bool {
    let paths = Paths::new(dir.to_path_buf());
    !logs::is_empty(&paths.logs()) || migrate::old_files_left(&paths)
}

/// The collection from the caches, caught up with the logs (and its FSRS memories computed
/// again when the parameters changed); or, when the caches cannot be used, rebuilt from the
/// logs alone, with the reason. Also says whether the caches need writing.
fn load(
    paths: &Paths,
    need: Need,
    fsrs: &crate::schedule::fsrs::Scheduler,
    logs: &[(String, PathBuf)],
    device: &str,
    warnings: &mut Vec<String>,
) -> Result<(Collection, Folded, Option<String>, bool)> {
    // The logs were listed by the caller: not listed again.
    let has_records = !logs::all_empty(logs);
    let reason = match cache::load(paths, need, &fsrs.parameters()) {
        Ok((mut collection, mut folded, memory_stale)) => match cached_positions_hold(&folded, logs) {
            Ok(()) => match catch_up(&mut collection, &mut folded, logs, warnings)? {
                Some(caught_up) => {
                    if memory_stale {
                        memory::recompute(&mut collection, sources(logs, None), &folded.positions)?;
                    }
                    return Ok((collection, folded, None, caught_up > 0 || memory_stale));
                }
                None => "records arrived that belong before ones already folded in".to_string(),
            },
            Err(reason) => reason,
        },
        Err(Unusable::Missing) if !has_records => {
            let folded = Folded {
                positions: vec![Position::start(device)],
                last: None,
                generations: cache::Generations::default(),
            };
            let collection = Collection {
                fsrs: fsrs.clone(),
                ..Collection::default()
            };
            return Ok((collection, folded, None, false));
        }
        Err(Unusable::Missing) => "its caches were missing".to_string(),
        Err(Unusable::Broken(reason)) => format!("its caches could not be used ({reason})"),
    };
    let mut collection = Collection {
        fsrs: fsrs.clone(),
        ..Collection::default()
    };
    let mut folded = Folded {
        positions: Vec::new(),
        last: None,
        generations: cache::Generations::default(),
    };
    catch_up(&mut collection, &mut folded, logs, warnings)?;
    collection.text_changed = true;
    collection.history_changed = true;
    Ok((collection, folded, Some(reason), true))
}

/// Checks that every log the caches folded is still there, at least as long as they read it,
/// with a line ending where they stopped.
fn cached_positions_hold(folded: &Folded, logs: &[(String, PathBuf)]) -> std::result::Result<(), String> {
    for position in folded.positions.iter().filter(|p| p.offset > 0) {
        let Some((_, path)) = logs.iter().find(|(device, _)| *device == position.device) else {
            return Err(format!("the log of device {:?} is gone", position.device));
        };
        if !ends_a_line(path, position.offset) {
            return Err(format!("{} is not the log they were made from", path.display()));
        }
    }
    Ok(())
}

/// Applies the records the logs hold past `folded`'s positions; returns how many. `None` when
/// one of them belongs before a record already applied (the collection must be rebuilt).
fn catch_up(
    collection: &mut Collection,
    folded: &mut Folded,
    logs: &[(String, PathBuf)],
    warnings: &mut Vec<String>,
) -> Result<Option<usize>> {
    let mut sources = sources(logs, Some(&folded.positions));
    let mut applied = 0usize;
    let mut in_order = true;
    let mut last = folded.last.clone();
    let mut skipped = Vec::new();
    fold::read(&mut sources, warnings, |key, record| {
        if !in_order || last.as_ref().is_some_and(|last| key <= last) {
            in_order = false;
            return;
        }
        if let Err(reason) = apply::apply(collection, &record, &key.device) {
            skipped.push(skipped_record(key, &reason));
        }
        applied += 1;
        last = Some(key.clone());
    })?;
    warnings.extend(skipped);
    if !in_order {
        return Ok(None);
    }
    for source in sources {
        match folded
            .positions
            .iter_mut()
            .find(|p| p.device == source.position.device)
        {
            Some(position) => *position = source.position,
            None => folded.positions.push(source.position),
        }
    }
    folded.last = last;
    Ok(Some(applied))
}

/// The logs to read, from the positions given (or from their start).
fn sources(logs: &[(String, PathBuf)], positions: Option<&[Position]>) -> Vec<Source> {
    logs.iter()
        .map(|(device, path)| Source {
            path: path.clone(),
            position: positions
                .and_then(|positions| positions.iter().find(|p| p.device == *device))
                .cloned()
                .unwrap_or_else(|| Position::start(device)),
        })
        .collect()
}

/// True when byte `offset` of the file at `path` starts a line (the file is at least that long).
fn ends_a_line(path: &Path, offset: u64) -> bool {
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

fn read_only() -> Error {
    Error::internal("the collection was opened read-only")
}
