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

/// The snapshot's file name.
pub(crate) const COLLECTION: &str = "collection.json";
/// The review log's file name.
pub(crate) const LOG: &str = "reviews.jsonl";
/// The settings' file name.
pub(crate) const CONFIG: &str = "config.json";

/// The file name the bundled example notes get in `notes/` of the data directory.
pub(crate) const EXAMPLE_NOTES: &str = "eecs498-computer-vision.txt";

/// The files written by replacing them whole (see [`super::atomic`]).
pub const REPLACED: [&str; 2] = [COLLECTION, CONFIG];

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

    pub(crate) fn log(&self) -> PathBuf {
        self.dir.join(LOG)
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
