//! `backups/`: the snapshots before the last few writes, so a bad import or a removed deck can
//! be undone by copying one back.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many old snapshots are kept.
pub const KEEP: usize = 10;

/// Keeps a copy of `snapshot` (if it exists) in `dir`, dropping the oldest beyond [`KEEP`].
/// Returns the copy's path.
pub fn keep(snapshot: &Path, dir: &Path) -> Result<Option<PathBuf>> {
    if !snapshot.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let existing = list(dir)?;
    let next = existing.last().map_or(1, |(number, _)| number + 1);
    let copy = dir.join(format!("collection-{next:06}.json"));
    // A hard link costs nothing and the snapshot is never modified in place, only replaced.
    if std::fs::hard_link(snapshot, &copy).is_err() {
        std::fs::copy(snapshot, &copy).map_err(|e| Error::io(&copy, e))?;
    }
    let excess = (existing.len() + 1).saturating_sub(KEEP);
    for (_, old) in existing.iter().take(excess) {
        std::fs::remove_file(old).map_err(|e| Error::io(old, e))?;
    }
    Ok(Some(copy))
}

/// The newest backup in `dir`, if any.
pub fn newest(dir: &Path) -> Option<PathBuf> {
    list(dir).ok()?.pop().map(|(_, path)| path)
}

/// Backups in `dir`, oldest first.
fn list(dir: &Path) -> Result<Vec<(u64, PathBuf)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut backups: Vec<(u64, PathBuf)> = entries
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            let number = name
                .strip_prefix("collection-")?
                .strip_suffix(".json")?
                .parse()
                .ok()?;
            Some((number, path))
        })
        .collect();
    backups.sort();
    Ok(backups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_ten_snapshots_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join("collection.json");
        let backups = dir.path().join("backups");
        assert_eq!(keep(&snapshot, &backups).unwrap(), None);
        for n in 1..=13 {
            std::fs::write(&snapshot, format!("{n}")).unwrap();
            let copy = keep(&snapshot, &backups).unwrap().unwrap();
            assert_eq!(copy, backups.join(format!("collection-{n:06}.json")));
            // The next write replaces the snapshot by rename, as the store does.
            std::fs::remove_file(&snapshot).unwrap();
        }
        let names: Vec<_> = list(&backups).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, (4..=13).collect::<Vec<_>>());
        assert_eq!(std::fs::read_to_string(newest(&backups).unwrap()).unwrap(), "13");
    }
}
