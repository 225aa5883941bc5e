//! The collection on disk under faults: corrupt and future snapshots, torn and garbled log
//! lines, read-only directories, full disks, two writers and stale locks. Every case ends
//! with a clear message and nothing lost.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::common::{Recall, TEXT_NOTES, fill, tmpfs, write_notes};
use assert_cmd::Command;
use recall::store::atomic;
use serde_json::Value;

/// The small deck imported and two cards reviewed, on 2026-11-28.
fn collection() -> Recall {
    let collection = Recall::new("2026-11-28");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    collection.review("2026-11-28", "\n5\n\n4\n");
    collection
}

/// How many cards have been reviewed.
fn reviewed(collection: &Recall) -> usize {
    collection
        .cards()
        .iter()
        .filter(|c| c["status"] == "review")
        .count()
}

/// Every file of the data directory but the lock, with its bytes.
fn files(collection: &Recall) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files: Vec<_> = walk(&collection.data())
        .into_iter()
        .filter(|p| !p.ends_with("lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path))
        } else {
            out.push(path)
        }
    }
    out
}

#[test]
fn replay_after_a_snapshot_older_than_the_log() {
    let collection = collection();
    let snapshot = collection.data().join("collection.json");
    let old = std::fs::read(&snapshot).unwrap();
    collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    assert_eq!(reviewed(&collection), 3);
    // Put the snapshot from before that session back: the log still has the grade.
    std::fs::write(&snapshot, old).unwrap();
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn a_corrupt_snapshot_is_refused_and_left_untouched() {
    let collection = collection();
    let snapshot = collection.data().join("collection.json");
    let text = std::fs::read_to_string(&snapshot).unwrap();
    std::fs::write(&snapshot, text.replacen("\"cards\": [", "\"cards\": [,", 1)).unwrap();
    let line = text.lines().position(|l| l.contains("\"cards\": [")).unwrap() + 1;
    let before = files(&collection);
    for args in [
        &["cards"][..],
        &["due"],
        &["review", "--plain"],
        &["import", "x.txt"],
    ] {
        let message = collection.refused(args);
        assert!(
            message.starts_with(&format!(
                "recall: {}:{line}:13: expected value",
                snapshot.display()
            )),
            "{message}"
        );
        assert!(
            message.contains("the file was left untouched (newest backup: "),
            "{message}"
        );
        assert!(
            message.trim_end().ends_with("collection-000001.json)"),
            "{message}"
        );
    }
    assert_eq!(files(&collection), before);
}

#[test]
fn a_snapshot_from_a_newer_version_is_refused_byte_for_byte() {
    let collection = collection();
    let snapshot = collection.data().join("collection.json");
    let text = std::fs::read_to_string(&snapshot)
        .unwrap()
        .replace("\"version\": 2,", "\"version\": 7,");
    std::fs::write(&snapshot, &text).unwrap();
    let before = files(&collection);
    let message = collection.refused(&["review", "--plain"]);
    assert!(
        message.contains("written by a newer recall (snapshot version 7; this program reads up to 2)"),
        "{message}"
    );
    assert!(message.contains("collection.json:2:3: "), "{message}");
    assert_eq!(files(&collection), before);
}

#[test]
fn a_truncated_snapshot_names_the_line_and_the_backup() {
    let collection = collection();
    let snapshot = collection.data().join("collection.json");
    let text = std::fs::read(&snapshot).unwrap();
    std::fs::write(&snapshot, &text[..text.len() / 2]).unwrap();
    let message = collection.refused(&["due"]);
    assert!(
        message.contains("EOF while parsing") && message.contains("newest backup"),
        "{message}"
    );
}

#[test]
fn a_torn_last_log_line_is_ignored_then_repaired_by_the_next_writer() {
    let collection = collection();
    let log = collection.data().join("reviews.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"id\":3,\"card\":\"abc");
    std::fs::write(&log, &text).unwrap();
    let output = collection.at("2026-11-28").arg("due").output().unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("ignored an incomplete last line (line 1 after byte"),
        "{stderr}"
    );
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("removed an incomplete last line")
    );
    let lines: Vec<Value> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn garbage_in_the_middle_of_the_log_is_skipped_with_a_warning() {
    let collection = collection();
    let log = collection.data().join("reviews.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    std::fs::write(&log, format!("{first}\n#!garbage!#\n{rest}")).unwrap();
    // Replaying from the start (as after a lost snapshot) skips the line and keeps the rest.
    std::fs::remove_file(collection.data().join("collection.json")).unwrap();
    std::fs::copy(
        walk(&collection.data().join("backups"))[0].clone(),
        collection.data().join("collection.json"),
    )
    .unwrap();
    let output = collection
        .at("2026-11-28")
        .args(["cards", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("reviews.jsonl: skipped an unreadable record (line 2"),
        "{stderr}"
    );
    assert_eq!(reviewed(&collection), 2);
}

/// Runs `setup` as root through a read-only bind mount when possible; returns false when the
/// machine does not allow it (then the permission bits are enough, as for any other user).
fn read_only(dir: &Path) -> Option<ReadOnly> {
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        let mut permissions = std::fs::metadata(dir).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o555);
        std::fs::set_permissions(dir, permissions).unwrap();
        return Some(ReadOnly {
            dir: dir.to_path_buf(),
            mounted: false,
        });
    }
    let mounted = std::process::Command::new("mount")
        .args(["--bind", "-o", "ro"])
        .arg(dir)
        .arg(dir)
        .status()
        .is_ok_and(|s| s.success());
    let remounted = mounted
        && std::process::Command::new("mount")
            .args(["-o", "remount,bind,ro"])
            .arg(dir)
            .status()
            .is_ok_and(|s| s.success());
    remounted.then(|| ReadOnly {
        dir: dir.to_path_buf(),
        mounted: true,
    })
}

struct ReadOnly {
    dir: PathBuf,
    mounted: bool,
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        if self.mounted {
            let _ = std::process::Command::new("umount").arg(&self.dir).status();
        } else {
            let mut permissions = std::fs::metadata(&self.dir).unwrap().permissions();
            std::os::unix::fs::PermissionsExt::set_mode(&mut permissions, 0o755);
            let _ = std::fs::set_permissions(&self.dir, permissions);
        }
    }
}

#[test]
fn a_read_only_data_directory_is_a_clear_error_and_reading_still_works() {
    let collection = collection();
    let before = files(&collection);
    let Some(_guard) = read_only(&collection.data()) else {
        panic!("cannot make a read-only directory on this machine (need root with mount, or a normal user)");
    };
    let message = collection.refused(&["review", "--plain"]);
    assert!(
        message.contains("Read-only file system") || message.contains("Permission denied"),
        "{message}"
    );
    assert!(
        message.starts_with(&format!("recall: {}", collection.data().display())),
        "{message}"
    );
    assert_eq!(reviewed(&collection), 2);
    drop(_guard);
    assert_eq!(files(&collection), before);
}

fn recall_in(data: &Path) -> Command {
    let mut command = Command::cargo_bin("recall").unwrap();
    command.env("RECALL_DIR", data).env("RECALL_NOW", "2026-11-28");
    command
}

#[test]
fn a_full_disk_during_a_grade_is_reported_and_loses_nothing_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_unmount) = tmpfs(&data, "256k") else {
        eprintln!("skipped: this machine does not allow mounting a tmpfs");
        return;
    };
    let notes = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    recall_in(&data).arg("import").arg(&notes).assert().success();
    recall_in(&data)
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    // tmpfs hands out whole pages: pad the log to a page boundary (blank lines are skipped by
    // readers) so the next record needs a page the full disk does not have.
    let mut log = std::fs::read(data.join("reviews.jsonl")).unwrap();
    log.resize(log.len().div_ceil(4096) * 4096, b'\n');
    std::fs::write(data.join("reviews.jsonl"), &log).unwrap();
    let filler = fill(&data);
    let output = recall_in(&data)
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("reviews.jsonl: No space left on device"),
        "{stderr}"
    );
    // The log is as it was: no partial line for the next write to trip over.
    assert_eq!(std::fs::read(data.join("reviews.jsonl")).unwrap(), log);
    std::fs::remove_file(filler).unwrap();
    recall_in(&data)
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    let output = recall_in(&data)
        .args(["cards", "--format", "json"])
        .output()
        .unwrap();
    let cards: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(cards.iter().filter(|c| c["status"] == "review").count(), 2);
}

#[test]
fn a_full_disk_during_the_snapshot_write_keeps_the_old_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_unmount) = tmpfs(&data, "200k") else {
        eprintln!("skipped: this machine does not allow mounting a tmpfs");
        return;
    };
    let small = write_notes(dir.path(), "small.txt", TEXT_NOTES);
    recall_in(&data).arg("import").arg(&small).assert().success();
    let snapshot = std::fs::read(data.join("collection.json")).unwrap();
    // 300 KB of notes cannot fit next to the snapshot in 200 KB.
    let big: String = (0..3000)
        .map(|n| {
            format!("Question number {n} about a long topic?\nAnswer {n} with some words to fill the disk.\n")
        })
        .collect();
    let big = write_notes(dir.path(), "big.txt", &format!("Big\n{big}"));
    let backups = || std::fs::read_dir(data.join("backups")).map_or(0, |dir| dir.count());
    let before = backups();
    // Failed saves add no backup, so they never push the good ones out.
    for _ in 0..3 {
        let output = recall_in(&data).arg("import").arg(&big).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(
            stderr.contains("collection.json"),
            "the error names the snapshot: {stderr}"
        );
    }
    assert_eq!(backups(), before);
    assert_eq!(std::fs::read(data.join("collection.json")).unwrap(), snapshot);
    let leftovers: Vec<_> = walk(&data)
        .into_iter()
        .filter(|p| {
            p.file_name().is_some_and(|name| {
                atomic::is_leftover(&name.to_string_lossy(), &recall::store::paths::REPLACED)
            })
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    recall_in(&data)
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
}

/// A `recall review --plain` left waiting at its first question, holding the lock.
fn holder(collection: &Recall) -> Child {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("recall"))
        .args(["review", "--plain"])
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-11-28")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    child
}

#[test]
fn a_second_writer_is_told_which_process_holds_the_collection() {
    let collection = collection();
    let mut child = holder(&collection);
    let message = collection.refused(&["import", "cv.txt"]);
    assert_eq!(
        message,
        format!(
            "recall: collection is in use by process {} (lock file {})\n",
            child.id(),
            collection.data().join("lock").display()
        )
    );
    // Readers are not blocked.
    assert_eq!(reviewed(&collection), 2);
    child.kill().unwrap();
    child.wait().unwrap();
    // The lock of a dead process blocks no one, even with its pid still in the file.
    assert_eq!(
        std::fs::read_to_string(collection.data().join("lock")).unwrap(),
        child.id().to_string()
    );
    collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn a_malformed_recall_now_stops_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    for args in [&["due"][..], &["review", "--plain"], &["stats"]] {
        let output = Command::cargo_bin("recall")
            .unwrap()
            .env("RECALL_DIR", dir.path().join("data"))
            .env("RECALL_NOW", "next tuesday")
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr
                .starts_with("recall: RECALL_NOW=\"next tuesday\" is not a time: use an RFC 3339 timestamp"),
            "{stderr}"
        );
        assert!(!dir.path().join("data").exists());
    }
}

#[test]
fn a_clock_moving_backwards_between_sessions_corrupts_nothing() {
    let collection = collection();
    let review = |now: &str, input: &str| {
        let mut command = Command::cargo_bin("recall").unwrap();
        command
            .env("RECALL_DIR", collection.data())
            .env("RECALL_NOW", now);
        let output = command
            .args(["review", "--plain"])
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // Two cards were reviewed on 2026-11-28; now the clock says 2026-11-10.
    let out = review("2026-11-10", "\n3\n\n5\n");
    assert!(out.starts_with("[1/1] Computer Vision > Lecture 2"), "{out}");
    // Back to normal time: the cards reviewed "in the past" are due by their own dates.
    let out = review("2026-11-29", "\n5\n\n5\n\n5\n");
    assert!(out.contains("[1/"), "{out}");
    let log = std::fs::read_to_string(collection.data().join("reviews.jsonl")).unwrap();
    let ids: Vec<u64> = log
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap()["id"].as_u64().unwrap())
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "record ids stay increasing: {ids:?}"
    );
    let output = collection
        .at("2026-11-28")
        .args(["cards", "--format", "json"])
        .output()
        .unwrap();
    let cards: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert!(cards.iter().all(|c| c["status"] == "review"), "{cards:?}");
    let stats = collection
        .at("2026-11-28")
        .env("RECALL_NOW", "2026-11-29")
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    assert!(stats.status.success());
}

#[test]
fn a_lost_snapshot_is_not_mistaken_for_a_first_run() {
    let collection = collection();
    std::fs::remove_file(collection.data().join("collection.json")).unwrap();
    let log = std::fs::read(collection.data().join("reviews.jsonl")).unwrap();
    // This imported the bundled deck with new ids, orphaning every logged grade.
    for args in [&["review", "--plain"][..], &["due"], &["import", "x.txt"]] {
        let message = collection.refused(args);
        assert!(
            message.contains("collection.json is missing, but ")
                && message.contains("copy the newest backup"),
            "{message}"
        );
    }
    assert!(!collection.data().join("collection.json").exists());
    assert_eq!(
        std::fs::read(collection.data().join("reviews.jsonl")).unwrap(),
        log
    );
}

#[test]
fn a_log_whose_ids_ran_out_is_an_error_not_an_overflow() {
    let collection = collection();
    let log = collection.data().join("reviews.jsonl");
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str(&format!(
        "{{\"id\":{},\"card\":\"x\",\"at\":\"2026-11-28T12:00:00Z\",\"day\":\"2026-11-28\",\"kind\":\"bury\"}}\n",
        u64::MAX
    ));
    std::fs::write(&log, text).unwrap();
    // The collection still reads and exports; only a new record is refused.
    collection.ok(&["due"]);
    collection.ok(&["export"]);
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.contains("reviews.jsonl: record id 18446744073709551615 leaves no ids for new records"),
        "{message}"
    );
}

#[test]
fn statistics_by_section_say_which_log_lines_they_skipped() {
    let collection = collection();
    let log = collection.data().join("reviews.jsonl");
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, format!("{text}not a record\n")).unwrap();
    let output = collection
        .at("2026-11-28")
        .args(["stats", "--section", "lecture"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("reviews.jsonl: skipped an unreadable record (line 3"),
        "{stderr}"
    );
}
