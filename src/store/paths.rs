//! Where the collection lives and what its files are called.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The environment variable naming the data directory.
pub(crate) const DIR_VARIABLE: &str = "RECALL_DIR";

/// `--data-dir`, else `RECALL_DIR`, else `$XDG_DATA_HOME/recall`, else `~/.local/share/recall`.
pub(crate) fn data_dir(flag: Option<&Path>) -> Result<PathBuf> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(dir) = flag {
        return Ok(dir.to_path_buf());
    }
    if let Some(dir) = non_empty(DIR_VARIABLE) {
        return Ok(PathBuf::from(dir));
    }
    if let Some(data_home) = non_empty("XDG_DATA_HOME") {
        return Ok(PathBuf::from(data_home).join("recall"));
    }
    match non_empty("HOME") {
        Some(home) => Ok(PathBuf::from(home).join(".local/share/recall")),
        None => Err(Error::usage(
            "cannot tell where to keep the collection: set HOME, RECALL_DIR or --data-dir",
        )),
    }
}

/// The cache of the cards' text (in the earlier layout, the snapshot of the whole collection).
pub(crate) const COLLECTION: &str = "collection.json";
/// The cache of decks, card places, statuses and progress, and of how far the logs are folded.
pub(crate) const PROGRESS: &str = "progress.json";
/// The cache of review statistics per day and deck.
pub(crate) const HISTORY: &str = "history.json";
/// The directory of the devices' logs.
pub(crate) const LOGS: &str = "logs";
/// The review log of the earlier layout.
pub(crate) const OLD_LOG: &str = "reviews.jsonl";
/// The settings' file name.
pub(crate) const CONFIG: &str = "config.json";

/// Where a broken settings file is kept when `recall config set` repairs it.
pub(crate) const BROKEN_CONFIG: &str = "config.json.broken";

/// The file name the bundled example notes get in `notes/` of the data directory.
pub(crate) const EXAMPLE_NOTES: &str = "eecs498-computer-vision.txt";

/// The files written by way of a temporary file (see [`super::atomic`]), whose temporary
/// files a writer killed mid-write may leave behind.
pub const REPLACED: [&str; 7] = [
    COLLECTION,
    PROGRESS,
    HISTORY,
    CONFIG,
    BROKEN_CONFIG,
    super::device::FILE,
    RESTORE_REVIEWS,
];

/// Where a restore keeps the export's reviews until the export is checked whole.
pub(crate) const RESTORE_REVIEWS: &str = "restore-reviews";

/// What git and folder-sync tools are told to leave alone: this device's own files. Only the
/// logs (and these lists) travel between devices.
pub(crate) const LOCAL_FILES: &str =
    "# Written by recall: this device's own files. Only logs/ travels between devices.
/progress.json
/collection.json
/history.json
/device.json
/config.json
/lock
/backups/
/notes/
.*.tmp
";

/// The lists of local files for git and for Syncthing.
pub(crate) const IGNORE_FILES: [&str; 2] = [".gitignore", ".stignore"];

/// The files of a data directory.
#[derive(Debug, Clone)]
pub(crate) struct Paths {
    pub(crate) dir: PathBuf,
}

impl Paths {
    pub(crate) fn new(dir: PathBuf) -> Self {
        Paths { dir }
    }

    pub(crate) fn collection(&self) -> PathBuf {
        self.dir.join(COLLECTION)
    }

    pub(crate) fn progress(&self) -> PathBuf {
        self.dir.join(PROGRESS)
    }

    pub(crate) fn history(&self) -> PathBuf {
        self.dir.join(HISTORY)
    }

    pub(crate) fn logs(&self) -> PathBuf {
        self.dir.join(LOGS)
    }

    /// The log of `device`.
    pub(crate) fn log_of(&self, device: &str) -> PathBuf {
        self.logs().join(format!("{device}.jsonl"))
    }

    pub(crate) fn old_log(&self) -> PathBuf {
        self.dir.join(OLD_LOG)
    }

    pub(crate) fn config(&self) -> PathBuf {
        self.dir.join(CONFIG)
    }

    pub(crate) fn lock(&self) -> PathBuf {
        self.dir.join("lock")
    }

    pub(crate) fn backups(&self) -> PathBuf {
        self.dir.join("backups")
    }

    /// Where notes that ship with the program are written so they can be edited and re-imported.
    pub(crate) fn bundled_notes(&self) -> PathBuf {
        self.dir.join("notes")
    }
}
