//! A restore built beside the collection's files and moved into place only when whole.
//! `.restore.tmp/` in the data directory receives the new log and then the snapshot; a
//! `complete` marker, written last, says they may be moved in. A restore killed before the
//! marker is thrown away by the next writer, one killed after it is finished by the next
//! writer, so the collection is always either as it was or wholly restored.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::atomic;
use crate::core::Record;
use crate::error::{Error, Result};

/// The staging directory's name in the data directory.
const DIR: &str = ".restore.tmp";
/// Written last into the staging directory: its files are whole.
const COMPLETE: &str = "complete";
/// The files a restore replaces, in the order they are moved in.
const FILES: [&str; 2] = ["reviews.jsonl", "collection.json"];

/// A restore being written.
pub(crate) struct Staging {
    data_dir: PathBuf,
    dir: PathBuf,
    log: BufWriter<File>,
    completed: bool,
}

impl Staging {
    /// Starts a new staging directory in `data_dir`, replacing a stale one.
    pub(crate) fn create(data_dir: &Path) -> Result<Staging> {
        let dir = data_dir.join(DIR);
        remove(&dir)?;
        std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        let log_path = dir.join(FILES[0]);
        let file = File::create(&log_path).map_err(|e| Error::io(&log_path, e))?;
        Ok(Staging {
            data_dir: data_dir.to_path_buf(),
            dir,
            log: BufWriter::with_capacity(1 << 20, file),
            completed: false,
        })
    }

    /// Where the staged log is written.
    pub(crate) fn log_path(&self) -> PathBuf {
        self.dir.join(FILES[0])
    }

    /// Appends a record to the staged log.
    pub(crate) fn add(&mut self, record: &Record) -> Result<()> {
        let path = self.log_path();
        serde_json::to_writer(&mut self.log, record).map_err(|e| Error::io(&path, e.into()))?;
        self.log.write_all(b"\n").map_err(|e| Error::io(&path, e))
    }

    /// Makes the staged log durable, so it can be read back.
    pub(crate) fn sync_log(&mut self) -> Result<()> {
        let path = self.log_path();
        self.log.flush().map_err(|e| Error::io(&path, e))?;
        self.log.get_ref().sync_all().map_err(|e| Error::io(&path, e))
    }

    /// Writes the snapshot, marks the staging whole, and moves it into the data directory.
    pub(crate) fn complete(
        mut self,
        snapshot: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.sync_log()?;
        atomic::replace(&self.dir.join(FILES[1]), snapshot)?;
        atomic::replace(&self.dir.join(COMPLETE), |_| Ok(()))?;
        self.completed = true;
        move_in(&self.dir, &self.data_dir)
    }
}

impl Drop for Staging {
    /// A restore that stopped half way leaves nothing behind.
    fn drop(&mut self) {
        if !self.completed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Finishes or throws away what a killed restore left in `data_dir`. Call it holding the lock.
pub(crate) fn recover(data_dir: &Path) -> Result<()> {
    let dir = data_dir.join(DIR);
    if !dir.exists() {
        return Ok(());
    }
    if dir.join(COMPLETE).exists() {
        move_in(&dir, data_dir)
    } else {
        remove(&dir)
    }
}

/// Moves the staged files over the collection's, then removes the staging directory.
fn move_in(dir: &Path, data_dir: &Path) -> Result<()> {
    for name in FILES {
        let staged = dir.join(name);
        if staged.exists() {
            let target = data_dir.join(name);
            std::fs::rename(&staged, &target).map_err(|e| Error::io(&target, e))?;
        }
    }
    atomic::sync_dir(data_dir)?;
    remove(dir)
}

fn remove(dir: &Path) -> Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::io(dir, e)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_staging_without_its_marker_is_thrown_away_and_one_with_it_is_finished() {
        let data = tempfile::tempdir().unwrap();
        std::fs::write(data.path().join("reviews.jsonl"), "").unwrap();
        let staged = data.path().join(DIR);
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("reviews.jsonl"), "{\"half").unwrap();
        recover(data.path()).unwrap();
        assert!(!staged.exists());
        assert_eq!(
            std::fs::read_to_string(data.path().join("reviews.jsonl")).unwrap(),
            ""
        );
        assert!(!data.path().join("collection.json").exists());

        // Killed after the marker, with the log already moved in.
        std::fs::create_dir(&staged).unwrap();
        std::fs::write(staged.join("collection.json"), "{}").unwrap();
        std::fs::write(staged.join(COMPLETE), "").unwrap();
        std::fs::write(data.path().join("reviews.jsonl"), "log\n").unwrap();
        recover(data.path()).unwrap();
        assert!(!staged.exists());
        assert_eq!(
            std::fs::read_to_string(data.path().join("collection.json")).unwrap(),
            "{}"
        );
        assert_eq!(
            std::fs::read_to_string(data.path().join("reviews.jsonl")).unwrap(),
            "log\n"
        );
    }

    #[test]
    fn a_dropped_staging_leaves_nothing() {
        let data = tempfile::tempdir().unwrap();
        let staging = Staging::create(data.path()).unwrap();
        assert!(data.path().join(DIR).exists());
        drop(staging);
        assert_eq!(std::fs::read_dir(data.path()).unwrap().count(), 0);
    }
}
