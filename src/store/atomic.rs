//! Replacing a file so that a crash at any moment leaves either the old or the new content:
//! write a temporary file in the same directory, fsync it, rename it over the target, fsync
//! the directory.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `target` atomically with whatever `write` produces. Errors name `target`.
pub(crate) fn replace(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    replace_with(
        target,
        |out| write(out).map_err(|e| Error::io(target, e)),
        || Ok(()),
    )
}

/// Writes `target` atomically: `write` fills a temporary file beside it, which is made
/// durable; then `before_rename` runs (the old content is still in place), and the new file
/// replaces the old. On any failure the old file stays and the temporary file goes.
pub(crate) fn replace_with(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
    before_rename: impl FnOnce() -> Result<()>,
) -> Result<()> {
    let (dir, temp) = temporary(target);
    let result = write_and_sync(target, &temp, write)
        .and_then(|()| before_rename())
        .and_then(|()| {
            std::fs::rename(&temp, target).map_err(|e| Error::io(target, e))?;
            sync_dir(dir)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Writes `target` by renaming a temporary file over it, without making it durable: for the
/// caches, which are rebuilt from the log when a crash leaves them behind or damaged.
pub(crate) fn replace_cache(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let (_, temp) = temporary(target);
    // A killed writer's leftover may be an old cache that a reader still has mapped: it is
    // removed, and the file written is always a new one, never one cut short in place (see
    // `files::map`).
    let _ = std::fs::remove_file(&temp);
    let written = crate::files::create_new(&temp).and_then(|file| {
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write(&mut out)?;
        out.flush()
    });
    let result = written.and_then(|()| put_in_place(&temp, target));
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| Error::io(target, e))
}

/// Puts the finished cache `temp` in `target`'s place, whole for readers at once. Where it can,
/// the two files are exchanged and the old one then removed: ext4 writes a file out at once
/// when it is renamed over another (its guard for programs that do not fsync), which was a
/// third of the save at the end of a session at 100,000 cards; a cache needs no such guard.
fn put_in_place(temp: &Path, target: &Path) -> std::io::Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::fs::symlink_metadata(target).is_ok_and(|meta| meta.is_file()) && exchange(temp, target).is_ok() {
        // The old cache is now under the temporary name: a crash before it goes leaves it
        // there, as a killed writer leaves its file, for the next writer to remove.
        let _ = std::fs::remove_file(temp);
        return Ok(());
    }
    std::fs::rename(temp, target)
}

/// Swaps the files at `a` and `b` in one step.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes())?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are NUL-terminated paths that outlive the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// The directory of `target`, and the temporary file that is renamed over it.
fn temporary(target: &Path) -> (&Path, std::path::PathBuf) {
    let dir = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, dir.join(format!(".{name}.{}.tmp", std::process::id())))
}

fn write_and_sync(
    target: &Path,
    temp: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let file = crate::files::create(temp).map_err(|e| Error::io(target, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    write(&mut out)?;
    let file = out.into_inner().map_err(|e| Error::io(target, e.into_error()))?;
    file.sync_all().map_err(|e| Error::io(target, e))
}

/// Removes temporary files that a writer killed mid-write left in `dir` while replacing one
/// of the files `targets` names; no other file is touched. Only call this while holding the
/// lock: then no other writer can be using them.
pub(crate) fn remove_leftovers(dir: &Path, targets: &[&str]) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if is_leftover(&entry.file_name().to_string_lossy(), targets) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a file name is that of a temporary file [`replace`] writes for one of `targets`:
/// `.TARGET.PID.tmp`.
pub fn is_leftover(name: &str, targets: &[&str]) -> bool {
    let Some(middle) = name.strip_prefix('.').and_then(|rest| rest.strip_suffix(".tmp")) else {
        return false;
    };
    middle.rsplit_once('.').is_some_and(|(target, pid)| {
        targets.contains(&target) && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Makes a rename or a new file in `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_planted_as_the_temporary_file_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("precious.txt");
        std::fs::write(&precious, "keep me").unwrap();
        let target = dir.path().join("progress.json");
        let plant = || std::os::unix::fs::symlink(&precious, temporary(&target).1).unwrap();
        plant();
        // A cache's leftover temporary file is removed first: the link goes, not its target.
        replace_cache(&target, |out| out.write_all(b"{}")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}");
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        std::fs::remove_file(&target).unwrap();
        plant();
        assert!(replace(&target, |out| out.write_all(b"{}")).is_err());
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        assert!(!target.exists());
    }

    #[test]
    fn a_leftover_cache_is_never_cut_short_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("progress.json");
        // A killed writer left the old cache under the temporary name, and a reader still
        // has it open (mapped): here, a second name for the same file.
        let leftover = temporary(&target).1;
        std::fs::write(&leftover, "old cache").unwrap();
        let reader = dir.path().join("reader");
        std::fs::hard_link(&leftover, &reader).unwrap();
        replace_cache(&target, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&reader).unwrap(), "old cache");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn replace_swaps_the_content_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.json");
        std::fs::write(&target, "old").unwrap();
        replace(&target, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_cache_takes_the_place_of_a_file_or_a_link_never_of_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("progress.json");
        replace_cache(&target, |out| out.write_all(b"first")).unwrap();
        replace_cache(&target, |out| out.write_all(b"second")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        // A link in its place is replaced; what it points to stays as it was.
        let precious = dir.path().join("precious.txt");
        std::fs::write(&precious, "keep me").unwrap();
        std::fs::remove_file(&target).unwrap();
        std::os::unix::fs::symlink(&precious, &target).unwrap();
        replace_cache(&target, |out| out.write_all(b"third")).unwrap();
        assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "third");
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
        // A folder in its place stays, and the write fails.
        std::fs::remove_file(&target).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("inside"), "kept").unwrap();
        assert!(replace_cache(&target, |out| out.write_all(b"fourth")).is_err());
        assert_eq!(std::fs::read_to_string(target.join("inside")).unwrap(), "kept");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn leftovers_of_a_killed_writer_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(".collection.json.123.tmp"), "half").unwrap();
        std::fs::write(dir.path().join("collection.json"), "{}").unwrap();
        // Someone else's files that happen to look alike.
        for other in [
            ".notes.tmp",
            ".collection.json.tmp",
            ".collection.json.12a.tmp",
            ".mine.7.tmp",
        ] {
            std::fs::write(dir.path().join(other), "keep").unwrap();
        }
        remove_leftovers(dir.path(), &["collection.json"]);
        let mut names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                ".collection.json.12a.tmp",
                ".collection.json.tmp",
                ".mine.7.tmp",
                ".notes.tmp",
                "collection.json"
            ]
        );
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("f.json");
        std::fs::write(&target, "old").unwrap();
        let err = replace(&target, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(err.to_string().contains("disk full"));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
