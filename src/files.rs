//! Opening files without surprises. Only regular files are read or written: a FIFO, a device or
//! a directory is refused at once instead of blocking the command (and its lock) forever. The
//! files of the data directory are never reached through a symbolic link, so a link planted
//! there cannot make `recall` write somewhere else.

use std::fs::{File, OpenOptions};
use std::io::{self, Read};
use std::path::Path;

/// Whether a symbolic link at the path itself is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    /// Follow it, as for the user's own notes and outputs.
    Follow,
    /// Refuse it, as for the files of the data directory.
    Refuse,
}

/// Opens `path` with `options`, refusing anything but a regular file without waiting on it.
pub(crate) fn open(path: &Path, options: &mut OpenOptions, links: Links) -> io::Result<File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking, so opening a FIFO returns at once and is refused below.
        let mut flags = libc::O_NONBLOCK;
        if links == Links::Refuse {
            flags |= libc::O_NOFOLLOW;
        }
        options.custom_flags(flags);
    }
    let file = options.open(path).map_err(|error| {
        if links == Links::Refuse && is_link(path) {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "is a symbolic link, which recall does not follow in its data directory",
            )
        } else if let Ok(metadata) = std::fs::metadata(path)
            && !metadata.is_file()
        {
            not_regular(&metadata)
        } else {
            error
        }
    })?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(not_regular(&metadata));
    }
    Ok(file)
}

/// Opens `path` to read it.
pub(crate) fn open_read(path: &Path, links: Links) -> io::Result<File> {
    open(path, OpenOptions::new().read(true), links)
}

/// Creates (or empties) the file at `path` to write it, never through a symbolic link: for
/// the files recall names itself (temporary files), whose names anybody can guess.
pub(crate) fn create(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new().write(true).create(true).truncate(true),
        Links::Refuse,
    )
}

/// Creates the file at `path`, which must not exist yet (not even as a symbolic link).
pub(crate) fn create_new(path: &Path) -> io::Result<File> {
    open(
        path,
        OpenOptions::new().write(true).create_new(true),
        Links::Refuse,
    )
}

/// The whole content of the regular file at `path`.
pub(crate) fn read(path: &Path, links: Links) -> io::Result<Vec<u8>> {
    let file = open_read(path, links)?;
    let size = file_len(&file);
    read_whole(file, size)
}

/// The length `file` has now, as a starting size for reading it (0 when it cannot be told).
fn file_len(file: &File) -> usize {
    file.metadata().map_or(0, |m| m.len() as usize)
}

/// The rest of `file`, read into a buffer made for `size` bytes.
fn read_whole(mut file: File, size: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(size);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// A file's content: mapped into memory when it is large, read otherwise.
pub(crate) enum Bytes {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for Bytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Mapped(map) => map,
            Bytes::Read(bytes) => bytes,
        }
    }
}

/// The whole content of the regular file at `path`, mapped into memory when it is large: for
/// the caches of the data directory, which recall never changes in place (a new cache is
/// renamed over the old, and its temporary file is always a new one), so a mapping never sees
/// a file cut short under it, and the map is dropped once the file is read. A large cache
/// mapped is read with no copy and no fresh memory: 4-5 ms of `recall due`'s 45 at 100,000
/// cards.
pub(crate) fn map(path: &Path, links: Links) -> io::Result<Bytes> {
    let file = open_read(path, links)?;
    let size = file_len(&file);
    if size >= 1 << 20 {
        // SAFETY: no writer cuts a cache short in place (see above), and the map is read-only.
        return Ok(Bytes::Mapped(unsafe {
            memmap2::MmapOptions::new().populate().map(&file)?
        }));
    }
    Ok(Bytes::Read(read_whole(file, size)?))
}

/// Refuses a path that exists and is not a regular file (after following links); a missing
/// path is fine. For outputs, before anything is created.
pub(crate) fn check_output(path: &Path) -> io::Result<()> {
    match std::fs::metadata(path) {
        Ok(metadata) if !metadata.is_file() => Err(not_regular(&metadata)),
        _ => Ok(()),
    }
}

fn is_link(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

fn not_regular(metadata: &std::fs::Metadata) -> io::Error {
    let message = if metadata.is_dir() {
        "is a directory, not a file"
    } else {
        "is not a regular file (a device or a pipe?)"
    };
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Makes a FIFO at `path`, for the tests that check nothing waits on one.
#[cfg(all(test, unix))]
pub(crate) fn make_fifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.txt");
        make_fifo(&fifo);
        let error = read(&fifo, Links::Follow).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = open(&fifo, OpenOptions::new().append(true), Links::Refuse).unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        assert!(check_output(&fifo).is_err());
        let error = check_output(dir.path()).unwrap_err();
        assert!(error.to_string().contains("is a directory"), "{error}");
        assert!(check_output(&dir.path().join("new")).is_ok());
    }

    #[test]
    fn links_are_refused_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "secret").unwrap();
        let link = dir.path().join("lock");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert_eq!(read(&link, Links::Follow).unwrap(), b"secret");
        let error = open(&link, OpenOptions::new().write(true), Links::Refuse).unwrap_err();
        assert!(error.to_string().contains("symbolic link"), "{error}");
        assert_eq!(std::fs::read(&target).unwrap(), b"secret");
    }
}
