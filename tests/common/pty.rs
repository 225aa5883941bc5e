//! Starting `recall` on a pseudo-terminal the way a shell starts it, for the test of the real
//! screen and the benchmark of its first frame. Shared by path: tests and benchmarks are
//! separate crates.

use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

/// A pseudo-terminal of `columns` x `rows`: (master, slave).
pub fn open(columns: u16, rows: u16) -> (OwnedFd, OwnedFd) {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: columns,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: the out-pointers are valid; the size is only read.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "a pseudo-terminal");
    // SAFETY: openpty returned two new descriptors that nothing else owns.
    unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) }
}

/// Runs `command` on the terminal `slave`: its standard streams, and its controlling terminal
/// in a session of its own. The command keeps copies of the descriptor: drop it once the
/// child is spawned, or reading the master never sees the terminal close.
pub fn attach(command: &mut Command, slave: &OwnedFd) {
    let stream = || Stdio::from(slave.try_clone().expect("a descriptor"));
    command
        .env("TERM", "xterm-256color")
        .stdin(stream())
        .stdout(stream())
        .stderr(stream());
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            libc::ioctl(0, libc::TIOCSCTTY, 0);
            Ok(())
        });
    }
}
