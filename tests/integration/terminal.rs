//! The review screen in a real pseudo-terminal: an error in the middle of a session ends it
//! with the terminal given back as it was, the error printed, and every grade recorded
//! before it kept.

use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{Recall, TEXT_NOTES, write_notes};

/// The terminal's local modes (canonical input, echo): what raw mode turns off.
fn local_modes(terminal: &OwnedFd) -> libc::tcflag_t {
    // SAFETY: an all-zero termios is a valid value for tcgetattr to fill in.
    let mut modes: libc::termios = unsafe { std::mem::zeroed() };
    // SAFETY: the descriptor is open and `modes` is valid.
    assert_eq!(unsafe { libc::tcgetattr(terminal.as_raw_fd(), &mut modes) }, 0);
    modes.c_lflag & (libc::ICANON | libc::ECHO)
}

/// Waits until the screen output holds `marker` `count` times.
fn wait_for(screen: &Mutex<Vec<u8>>, marker: &str, count: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let seen = screen.lock().unwrap();
        if seen
            .windows(marker.len())
            .filter(|w| *w == marker.as_bytes())
            .count()
            >= count
        {
            return;
        }
        drop(seen);
        std::thread::sleep(Duration::from_millis(5));
    }
    let seen = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    panic!("no {marker:?} number {count} on screen: {seen:?}");
}

#[test]
fn an_error_mid_session_restores_the_terminal_and_keeps_earlier_grades() {
    let collection = Recall::new("2026-11-28");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&[std::ffi::OsStr::new("import"), notes.as_os_str()]);
    let log = crate::common::the_log(&collection.data());
    let imported = std::fs::metadata(&log).unwrap().len();
    // One grade through --plain shows how long a log line is.
    collection.review("2026-11-28T09:00:00+00:00", "\n4\n");
    let reviewed = std::fs::metadata(&log).unwrap().len();
    let line = reviewed - imported;
    // Files may grow to one more line, not two: the second grade fails to be written.
    let limit = reviewed + line + line / 2;

    let (master, slave) = crate::pty::open(80, 24);
    let before = local_modes(&slave);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("recall"));
    command
        .arg("review")
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-11-28T10:00:00+00:00");
    crate::pty::attach(&mut command, &slave);
    // SAFETY: only async-signal-safe calls between fork and exec: a file size limit, and
    // writes past it failing (EFBIG) rather than killing the process.
    unsafe {
        command.pre_exec(move || {
            let size = libc::rlimit {
                rlim_cur: limit,
                rlim_max: limit,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &size);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let mut child = command.spawn().unwrap();
    // The command holds copies of the terminal's descriptors; they must close with the child.
    drop(command);
    let mut keys = std::fs::File::from(master.try_clone().unwrap());
    let screen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let screen = Arc::clone(&screen);
        let mut output = std::fs::File::from(master);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = output.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buffer[..read]);
            }
        })
    };

    wait_for(&screen, "quit", 1);
    keys.write_all(b" ").unwrap();
    wait_for(&screen, "blackout", 1);
    keys.write_all(b"4").unwrap();
    wait_for(&screen, "graded", 1);
    keys.write_all(b" ").unwrap();
    wait_for(&screen, "blackout", 2);
    keys.write_all(b"4").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the session went on after a grade could not be recorded");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    // The terminal is back in its own modes before anything reads from it again.
    assert_eq!(local_modes(&slave), before);
    drop(slave);
    reader.join().unwrap();

    assert_eq!(status.code(), Some(1));
    let output = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    let left_screen = output.rfind("\x1b[?1049l").expect("the alternate screen is left");
    let message = &output[left_screen..];
    assert!(
        message.contains("recall: ") && message.contains(".jsonl: File too large"),
        "{message:?}"
    );
    // The grade of the first session and the first of this one are in the log, whole.
    let grades = collection.log();
    assert_eq!(grades.len(), 2, "{grades:?}");
    assert!(std::fs::read_to_string(&log).unwrap().ends_with('\n'));
}

#[test]
fn the_first_run_notice_stays_on_the_review_screen_and_is_said_again_after() {
    let collection = Recall::new("2026-11-28");
    let (master, slave) = crate::pty::open(100, 30);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("recall"));
    command
        .arg("review")
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-11-28T10:00:00+00:00");
    crate::pty::attach(&mut command, &slave);
    let mut child = command.spawn().unwrap();
    drop(command);
    let mut keys = std::fs::File::from(master.try_clone().unwrap());
    let screen = Arc::new(Mutex::new(Vec::new()));
    let reader = {
        let screen = Arc::clone(&screen);
        let mut output = std::fs::File::from(master);
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(read) = output.read(&mut buffer) {
                if read == 0 {
                    break;
                }
                screen.lock().unwrap().extend_from_slice(&buffer[..read]);
            }
        })
    };
    let notice = "first run: added the example deck";
    wait_for(&screen, notice, 1);
    // Still there after a key, while the first card's answer shows.
    keys.write_all(b" ").unwrap();
    wait_for(&screen, "blackout", 1);
    keys.write_all(b"q").unwrap();
    wait_for(&screen, "Session over", 1);
    keys.write_all(b"x").unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the screen did not close");
        std::thread::sleep(Duration::from_millis(5));
    }
    drop(slave);
    reader.join().unwrap();
    let output = String::from_utf8_lossy(&screen.lock().unwrap()).into_owned();
    let left_screen = output.rfind("\x1b[?1049l").expect("the alternate screen is left");
    let (on_screen, after) = output.split_at(left_screen);
    assert!(on_screen.contains(notice), "{on_screen:?}");
    assert!(after.contains(&format!("recall: {notice}")), "{after:?}");
}
