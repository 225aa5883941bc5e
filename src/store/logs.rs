//! The `logs/` directory: one log per device, `DEVICE.jsonl`. This device appends only to its
//! own; the others arrive by git or a synced folder and are only read.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Devices' logs, as (device, path).
pub(crate) type Logs = Vec<(String, PathBuf)>;

/// Every device's log in `dir`, as (device, path), sorted by device. Files that are not logs
/// (a sync tool's temporary or conflict files, whose names are not device ids) are left out.
pub(crate) fn list(dir: &Path) -> Result<Vec<(String, PathBuf)>> {
    Ok(list_with_strays(dir, None)?.0)
}

/// [`list`], and the `.jsonl` files left out because their names are no device's (a sync
/// tool's copy of a log, say), sorted. A temporary file left by a killed writer of the log
/// named `leftovers_of` is removed on the way.
pub(crate) fn list_with_strays(dir: &Path, leftovers_of: Option<&str>) -> Result<(Logs, Vec<PathBuf>)> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), Vec::new())),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut logs = Vec::new();
    let mut strays = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(log) = leftovers_of
            && super::atomic::is_leftover(&name, &[log])
        {
            let _ = std::fs::remove_file(&path);
            continue;
        }
        let Some(device) = name.strip_suffix(".jsonl") else {
            continue;
        };
        // Anything but a directory: a reader refuses what is not a regular file, so a log that
        // is a pipe or a device stops the command rather than being left out.
        if path.is_dir() || name.starts_with('.') {
            continue;
        }
        if super::device::check(device).is_ok() {
            logs.push((device.to_string(), path));
        } else {
            strays.push(path);
        }
    }
    logs.sort();
    strays.sort();
    Ok((logs, strays))
}

/// True when `dir` holds no record: no log, or only empty ones.
pub(crate) fn is_empty(dir: &Path) -> bool {
    list(dir).map_or(true, |logs| all_empty(&logs))
}

/// Whether every log of `logs` (as [`list`] gives them) is empty.
pub(crate) fn all_empty(logs: &[(String, PathBuf)]) -> bool {
    logs.iter()
        .all(|(_, path)| std::fs::metadata(path).map_or(true, |m| m.len() == 0))
}
