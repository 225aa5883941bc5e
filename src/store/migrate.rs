//! Converting a data directory of the earlier layout, where `collection.json` was the snapshot
//! of the cards and `reviews.jsonl` held only reviews, into a device log that holds everything
//! (see [`super::baseline`]). The old files are then moved to `backups/v1/`.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::baseline::{self, Snapshot, SnapshotDeck};
use super::paths::Paths;
use crate::core::history::DayEntry;
use crate::core::{Card, Kind, Stamp};
use crate::error::{Error, Result};
use crate::schedule::day::Timestamp;

/// The snapshot of the earlier layout.
#[derive(Deserialize)]
struct OldSnapshot {
    version: u32,
    decks: Vec<SnapshotDeck>,
    #[serde(default)]
    history: Vec<DayEntry>,
    cards: Vec<Card>,
}

/// The newest snapshot version of the earlier layout.
const LAST_VERSION: u32 = 2;

/// Whether `paths` holds a collection of the earlier layout: a snapshot with a `version`, or a
/// review log, and no logs of the new layout yet.
pub(crate) fn needed(paths: &Paths) -> bool {
    let old_log = paths.old_log().exists();
    (old_log || is_old_snapshot(&paths.collection())) && super::logs::is_empty(&paths.logs())
}

/// Whether the old files are still in place after a conversion that was interrupted before
/// it moved them.
pub(crate) fn old_files_left(paths: &Paths) -> bool {
    paths.old_log().exists() || is_old_snapshot(&paths.collection())
}

/// An old snapshot starts with its version; the caches start with their format.
fn is_old_snapshot(path: &Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; 64];
    let Ok(mut file) = crate::files::open_read(path, crate::files::Links::Refuse) else {
        return false;
    };
    let read = file.read(&mut start).unwrap_or(0);
    let text = String::from_utf8_lossy(&start[..read]);
    text.trim_start()
        .trim_start_matches('{')
        .trim_start()
        .starts_with("\"version\"")
}

/// Converts the collection in `paths` for `device`. Returns the line that tells the user.
/// The records made for what the snapshot held carry the time the snapshot was last written.
pub(crate) fn convert(paths: &Paths, device: &str, warnings: &mut Vec<String>) -> Result<String> {
    let snapshot_path = paths.collection();
    let old_log = paths.old_log();
    let old_records = {
        let mut records: Vec<OldReview> = Vec::new();
        super::log::for_each_from(&old_log, 0, warnings, |r| {
            records.push((r.id, r.kind, r.grade, r.before, r.undoes, r.card));
        })?;
        records
    };
    let old = match read_snapshot(&snapshot_path)? {
        Some(snapshot) => snapshot,
        None if old_records.is_empty() => OldSnapshot {
            version: LAST_VERSION,
            decks: Vec::new(),
            history: Vec::new(),
            cards: Vec::new(),
        },
        None => {
            return Err(Error::usage(format!(
                "{} is missing, but {} holds your reviews: copy a backup of it (backups/collection-*.json) \
                 to that name to carry on",
                snapshot_path.display(),
                old_log.display()
            )));
        }
    };
    let mut snapshot = Snapshot {
        decks: old.decks,
        cards: old.cards,
        history: Some(old.history),
    };
    let recounted = old.version < 2;
    if recounted {
        count_lapses_again(&mut snapshot.cards, &old_records);
    }
    let now = written_at(&snapshot_path)
        .or_else(|| written_at(&old_log))
        .unwrap_or_default();
    let stamp = Stamp {
        at: now,
        day: now.date_naive(),
    };
    let log = paths.log_of(device);
    let reviews = baseline::write(&log, device, &snapshot, &old_log, stamp)?;
    let backup = move_old_files(paths)?;
    Ok(format!(
        "converted the collection to logs that hold every change: {} and {} are now in {}; \
         the old files are in {}{}",
        crate::text::plural(snapshot.cards.len(), "card"),
        crate::text::plural(reviews, "review"),
        log.display(),
        backup.display(),
        if recounted {
            "; every card's lapses are counted again (every failed review but a new card's first)"
        } else {
            ""
        }
    ))
}

/// Finishes a conversion that wrote the new log but was stopped before moving the old files.
pub(crate) fn finish(paths: &Paths) -> Result<()> {
    move_old_files(paths).map(|_| ())
}

/// When the file at `path` was last written.
fn written_at(path: &Path) -> Option<Timestamp> {
    let modified = std::fs::metadata(path).ok()?.modified().ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(modified).fixed_offset())
}

fn read_snapshot(path: &Path) -> Result<Option<OldSnapshot>> {
    let bytes = match crate::files::read(path, crate::files::Links::Refuse) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
    };
    let corrupt = |line: Option<usize>, column: Option<usize>, message: String| Error::Corrupt {
        path: path.to_path_buf(),
        line,
        column,
        message,
        backup: None,
    };
    let snapshot: OldSnapshot = serde_json::from_slice(&bytes).map_err(|e| {
        let place = e.line() > 0;
        corrupt(
            place.then_some(e.line()),
            place.then_some(e.column()),
            crate::error::json_message(&e),
        )
    })?;
    if snapshot.version > LAST_VERSION || snapshot.version == 0 {
        return Err(corrupt(
            None,
            None,
            format!(
                "snapshot version {} is not one this program converts",
                snapshot.version
            ),
        ));
    }
    Ok(Some(snapshot))
}

/// Counts every card's lapses again from the log: every failed review but the first of a new
/// card (or of a card reset to new), undone ones left out. Version 1 snapshots counted only
/// failures after a success.
fn count_lapses_again(cards: &mut [Card], records: &[OldReview]) {
    let undone: std::collections::HashSet<u64> = records.iter().filter_map(|r| r.4).collect();
    let mut lapses: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    for (id, kind, grade, before, _, card) in records {
        if *kind != Kind::Review || undone.contains(id) {
            continue;
        }
        if let (Some(grade), Some(before)) = (grade, before) {
            let count = lapses.entry(card.as_str()).or_default();
            if before.is_new() {
                *count = 0;
            } else if !grade.is_pass() {
                *count = count.saturating_add(1);
            }
        }
    }
    for card in cards {
        card.state.lapses = lapses.get(card.id.as_str()).copied().unwrap_or(0);
    }
}

/// What the lapse count needs of an old review: id, kind, grade, state before, the id it
/// undoes, and the card.
type OldReview = (
    u64,
    Kind,
    Option<crate::schedule::sm2::Grade>,
    Option<crate::schedule::sm2::CardState>,
    Option<u64>,
    String,
);

/// Moves the old snapshot, log and snapshot backups into `backups/v1/` (`v1-2/`... when that
/// is taken). Returns that directory.
fn move_old_files(paths: &Paths) -> Result<PathBuf> {
    let backup = (1..)
        .map(|n| match n {
            1 => paths.backups().join("v1"),
            n => paths.backups().join(format!("v1-{n}")),
        })
        .find(|dir| !dir.exists())
        .unwrap_or_else(|| paths.backups().join("v1"));
    std::fs::create_dir_all(&backup).map_err(|e| Error::io(&backup, e))?;
    let mut moves: Vec<PathBuf> = vec![paths.old_log()];
    if is_old_snapshot(&paths.collection()) {
        moves.push(paths.collection());
    }
    if let Ok(entries) = std::fs::read_dir(paths.backups()) {
        moves.extend(entries.flatten().map(|e| e.path()).filter(|p| {
            p.is_file()
                && p.file_name()
                    .is_some_and(|n| n.to_string_lossy().starts_with("collection-"))
        }));
    }
    for from in moves.into_iter().filter(|p| p.exists()) {
        let Some(name) = from.file_name() else {
            continue;
        };
        let to = backup.join(name);
        std::fs::rename(&from, &to).map_err(|e| Error::io(&from, e))?;
    }
    super::atomic::sync_dir(&paths.dir)?;
    Ok(backup)
}
