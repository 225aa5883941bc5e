//! The writer's lock: one process at a time may change a collection. The operating system
//! releases the lock when its holder dies, so a lock left by a crashed process blocks no one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::Path;

use crate::error::{Error, Result};
use crate::files::{self, Links};

/// Held for as long as the value lives.
#[derive(Debug)]
pub(crate) struct Lock {
    _file: File,
}

/// Takes the lock at `path`, or says which process has it.
/// The lock file must be a regular file of the data directory: a symbolic link is refused, so
/// the process id is never written through it.
pub(crate) fn acquire(path: &Path) -> Result<Lock> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    let mut file = files::open(path, &mut options, Links::Refuse).map_err(|e| Error::io(path, e))?;
    // A holder that is gone can leave the lock with a child process of its for a moment (one
    // it started just before it was killed, until that child runs its program): wait a little.
    let mut waited = 0;
    loop {
        match file.try_lock() {
            Ok(()) => break,
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.rewind();
                let _ = file.read_to_string(&mut holder);
                let pid = holder.trim();
                if waited < 40 && !pid.is_empty() && !is_alive(pid) {
                    waited += 1;
                    std::thread::sleep(std::time::Duration::from_millis(25));
                    continue;
                }
                let pid = if pid.is_empty() { "unknown" } else { pid };
                return Err(Error::Locked {
                    pid: pid.to_string(),
                    path: path.to_path_buf(),
                });
            }
            Err(TryLockError::Error(e)) => return Err(Error::io(path, e)),
        }
    }
    let write_pid = |file: &mut File| {
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "{}", std::process::id())?;
        file.sync_data()
    };
    write_pid(&mut file).map_err(|e| Error::io(path, e))?;
    Ok(Lock { _file: file })
}

/// Whether the process `pid` still runs (where that can be asked; elsewhere, yes).
fn is_alive(pid: &str) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = pid.parse::<libc::pid_t>() else {
            return true;
        };
        // SAFETY: signal 0 only checks that the process exists.
        let alive = unsafe { libc::kill(pid, 0) } == 0;
        alive || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_told_who_has_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        let held = acquire(&path).unwrap();
        let message = acquire(&path).unwrap_err().to_string();
        assert!(message.starts_with(&format!("collection is in use by process {}", std::process::id())));
        drop(held);
        acquire(&path).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_that_is_a_link_or_a_fifo_is_refused_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("precious");
        std::fs::write(&target, "keep me").unwrap();
        let path = dir.path().join("lock");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let message = acquire(&path).unwrap_err().to_string();
        assert!(message.contains("symbolic link"), "{message}");
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        let message = acquire(&path).unwrap_err().to_string();
        assert!(message.contains("is a directory"), "{message}");
    }

    #[test]
    fn a_lock_file_left_behind_does_not_block() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lock");
        std::fs::write(&path, "999999").unwrap();
        acquire(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::process::id().to_string()
        );
    }
}
