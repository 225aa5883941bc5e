//! The `logs/` directory: one log per device, `DEVICE.jsonl`. This device appends only to its
//! own; the others arrive by git or a synced folder and are only read.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Every device's log in `dir`, as (device, path), sorted by device. Files that are not logs
/// (a sync tool's temporary or conflict files, whose names are not device ids) are left out.
pub(crate) fn list(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut logs = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(device) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".jsonl"))
        else {
            continue;
        };
        // Anything but a directory: a reader refuses what is not a regular file, so a log that
        // is a pipe or a device stops the command rather than being left out.
        if super::device::check(device).is_ok() && !path.is_dir() {
            logs.push((device.to_string(), path));
        }
    }
    logs.sort();
    Ok(logs)
}

/// True when `dir` holds no record: no log, or only empty ones.
pub(crate) fn is_empty(dir: &Path) -> bool {
    list(dir).map_or(true, |logs| {
        logs.iter()
            .all(|(_, path)| std::fs::metadata(path).map_or(true, |m| m.len() == 0))
    })
}
