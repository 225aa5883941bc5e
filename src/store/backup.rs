//! `backups/`: the snapshots before the last few writes, so a bad import or a removed deck can
//! be undone by copying one back.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// How many old snapshots are kept.
pub(crate) const KEEP: usize = 10;

/// Keeps a copy of `snapshot` (if it exists) in `dir`, dropping the oldest beyond [`KEEP`].
/// Returns the newest backup's path; when the newest backup already holds this snapshot, no
/// copy is made, so saving the same collection again and again never crowds older ones out.
pub(crate) fn keep(snapshot: &Path, dir: &Path) -> Result<Option<PathBuf>> {
    if !snapshot.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let existing = list(dir)?;
    if let Some((_, newest)) = existing.last()
        && same_content(snapshot, newest)
    {
        return Ok(Some(newest.clone()));
    }
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

/// True when `a` and `b` are the same file (a hard link) or hold the same bytes.
fn same_content(a: &Path, b: &Path) -> bool {
    let (Ok(meta_a), Ok(meta_b)) = (std::fs::metadata(a), std::fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (meta_a.dev(), meta_a.ino()) == (meta_b.dev(), meta_b.ino()) {
            return true;
        }
    }
    meta_a.len() == meta_b.len() && equal_files(a, b).unwrap_or(false)
}

/// Compares two files a block at a time.
fn equal_files(a: &Path, b: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let (mut a, mut b) = (std::fs::File::open(a)?, std::fs::File::open(b)?);
    let (mut block_a, mut block_b) = (vec![0u8; 1 << 16], vec![0u8; 1 << 16]);
    loop {
        let read = a.read(&mut block_a)?;
        if read == 0 {
            return Ok(b.read(&mut block_b[..1])? == 0);
        }
        b.read_exact(&mut block_b[..read])?;
        if block_a[..read] != block_b[..read] {
            return Ok(false);
        }
    }
}

/// The newest backup in `dir`, if any.
pub(crate) fn newest(dir: &Path) -> Option<PathBuf> {
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
            // Keeping the same snapshot twice makes one backup.
            assert_eq!(
                keep(&snapshot, &backups).unwrap(),
                keep(&snapshot, &backups).unwrap()
            );
            let copy = keep(&snapshot, &backups).unwrap().unwrap();
            assert_eq!(copy, backups.join(format!("collection-{n:06}.json")));
            // The next write replaces the snapshot by rename, as the store does.
            std::fs::remove_file(&snapshot).unwrap();
        }
        let names: Vec<_> = list(&backups).unwrap().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, (4..=13).collect::<Vec<_>>());
        assert_eq!(std::fs::read_to_string(newest(&backups).unwrap()).unwrap(), "13");
        // A copy with the same bytes (no hard links on this file system) counts as the same.
        std::fs::write(&snapshot, "13").unwrap();
        assert_eq!(keep(&snapshot, &backups).unwrap(), newest(&backups));
        assert_eq!(list(&backups).unwrap().len(), 10);
    }
}
