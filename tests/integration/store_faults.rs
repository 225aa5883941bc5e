//! The collection on disk under faults: damaged, stale and future caches, torn and garbled log
//! lines, read-only directories, full disks, two writers and stale locks. Every case ends
//! with a clear message and nothing lost.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use crate::common::{Recall, TEXT_NOTES, fill, the_log, tmpfs, write_notes};
use assert_cmd::Command;
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

/// The caches beside the logs.
const CACHES: [&str; 3] = ["collection.json", "progress.json", "history.json"];

#[test]
fn caches_older_than_the_log_catch_up() {
    let collection = collection();
    let data = collection.data();
    let old: Vec<Vec<u8>> = CACHES
        .iter()
        .map(|name| std::fs::read(data.join(name)).unwrap())
        .collect();
    collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    assert_eq!(reviewed(&collection), 3);
    // Put the caches from before that session back: the log still has the grade.
    for (name, bytes) in CACHES.iter().zip(old) {
        std::fs::write(data.join(name), bytes).unwrap();
    }
    let output = collection.at("2026-11-28").arg("due").output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn a_damaged_cache_is_rebuilt_and_the_log_left_untouched() {
    let collection = collection();
    let data = collection.data();
    let log = std::fs::read(the_log(&data)).unwrap();
    for (args, input) in [
        (&["cards"][..], ""),
        (&["due"], ""),
        (&["review", "--plain"], "q\n"),
        (&["stats"], ""),
    ] {
        let text = std::fs::read_to_string(data.join("progress.json")).unwrap();
        std::fs::write(
            data.join("progress.json"),
            text.replacen("\"cards\":[", "\"cards\":[,", 1),
        )
        .unwrap();
        let output = collection
            .at("2026-11-28")
            .args(args)
            .write_stdin(input)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.starts_with(
                "recall: rebuilt the collection from its logs (6 records): its caches could not be used ("
            ),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("progress.json: expected value at line 1"),
            "{stderr}"
        );
        assert_eq!(reviewed(&collection), 2);
    }
    assert_eq!(std::fs::read(the_log(&data)).unwrap(), log);
}

#[test]
fn caches_and_records_of_a_newer_version_are_never_trusted() {
    let collection = collection();
    let data = collection.data();
    let text = std::fs::read_to_string(data.join("progress.json")).unwrap();
    let newer = regex::Regex::new("\"format\":[0-9]+")
        .unwrap()
        .replace(&text, "\"format\":700");
    std::fs::write(data.join("progress.json"), newer.as_bytes()).unwrap();
    let stderr = collection.at("2026-11-28").arg("due").output().unwrap().stderr;
    let stderr = String::from_utf8(stderr).unwrap();
    assert!(
        stderr.contains("its caches could not be used (format 700 (this program writes "),
        "{stderr}"
    );
    // A record of a kind this program does not know is skipped, and kept in the log.
    let log = the_log(&data);
    let mut text = std::fs::read_to_string(&log).unwrap();
    text.push_str("{\"id\":99,\"card\":\"x\",\"at\":\"2026-11-28T12:00:00Z\",\"day\":\"2026-11-28\",\"kind\":\"teleport\"}\n");
    std::fs::write(&log, &text).unwrap();
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("skipped an unreadable record") && stderr.contains("unknown variant `teleport`"),
        "{stderr}"
    );
    assert!(std::fs::read_to_string(&log).unwrap().starts_with(&text));
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn a_torn_last_log_line_is_ignored_then_repaired_by_the_next_writer() {
    let collection = collection();
    let log = the_log(&collection.data());
    let mut text = std::fs::read_to_string(&log).unwrap();
    let records = text.lines().count();
    text.push_str("{\"id\":30,\"card\":\"abc");
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
    assert_eq!(lines.len(), records + 1);
    assert_eq!(reviewed(&collection), 3);
}

#[test]
fn garbage_in_the_middle_of_the_log_is_skipped_with_a_warning() {
    let collection = collection();
    let log = the_log(&collection.data());
    let text = std::fs::read_to_string(&log).unwrap();
    // After the import's records, before the reviews.
    let imported = text
        .lines()
        .take_while(|line| !line.contains("\"kind\":\"review\""))
        .count();
    let mut lines: Vec<&str> = text.lines().collect();
    lines.insert(imported, "#!garbage!#");
    std::fs::write(&log, lines.join("\n") + "\n").unwrap();
    // Rebuilding from the start (as after lost caches) skips the line and keeps the rest.
    for name in CACHES {
        std::fs::remove_file(collection.data().join(name)).unwrap();
    }
    let output = collection
        .at("2026-11-28")
        .args(["cards", "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}: skipped an unreadable record (line {}",
            log.display(),
            imported + 1
        )),
        "{stderr}"
    );
    assert_eq!(reviewed(&collection), 2);
}

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
    let log_path = the_log(&data);
    let mut log = std::fs::read(&log_path).unwrap();
    log.resize(log.len().div_ceil(4096) * 4096, b'\n');
    std::fs::write(&log_path, &log).unwrap();
    let filler = fill(&data);
    let output = recall_in(&data)
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}: No space left on device", log_path.display())),
        "{stderr}"
    );
    // The log is as it was: no partial line for the next write to trip over.
    assert_eq!(std::fs::read(&log_path).unwrap(), log);
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
fn a_full_disk_during_an_import_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let Some(_unmount) = tmpfs(&data, "200k") else {
        eprintln!("skipped: this machine does not allow mounting a tmpfs");
        return;
    };
    let small = write_notes(dir.path(), "small.txt", TEXT_NOTES);
    recall_in(&data).arg("import").arg(&small).assert().success();
    let before: Vec<(PathBuf, Vec<u8>)> = walk(&data)
        .into_iter()
        .filter(|p| !p.ends_with("lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    // 300 KB of notes cannot fit next to the collection in 200 KB.
    let big: String = (0..3000)
        .map(|n| {
            format!("Question number {n} about a long topic?\nAnswer {n} with some words to fill the disk.\n")
        })
        .collect();
    let big = write_notes(dir.path(), "big.txt", &format!("Big\n{big}"));
    for _ in 0..3 {
        let output = recall_in(&data).arg("import").arg(&big).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("No space left on device"), "{stderr}");
        assert!(stderr.contains(".jsonl"), "the error names the log: {stderr}");
    }
    let after: Vec<(PathBuf, Vec<u8>)> = walk(&data)
        .into_iter()
        .filter(|p| !p.ends_with("lock"))
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    assert_eq!(after, before);
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
    let log = std::fs::read_to_string(the_log(&collection.data())).unwrap();
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
fn lost_caches_are_not_mistaken_for_a_first_run() {
    let collection = collection();
    let log = std::fs::read(the_log(&collection.data())).unwrap();
    let cards = collection.cards();
    for name in CACHES {
        std::fs::remove_file(collection.data().join(name)).unwrap();
    }
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain"])
        .write_stdin("q\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("rebuilt the collection from its logs") && !stderr.contains("first run"),
        "{stderr}"
    );
    assert_eq!(collection.cards(), cards);
    assert_eq!(std::fs::read(the_log(&collection.data())).unwrap(), log);
}

#[test]
fn a_log_whose_ids_ran_out_is_an_error_not_an_overflow() {
    let collection = collection();
    let log = the_log(&collection.data());
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
        message.contains(&format!("{}: record ids have run out", log.display())),
        "{message}"
    );
}

#[test]
fn statistics_by_section_say_which_log_lines_they_skipped() {
    let collection = collection();
    let log = the_log(&collection.data());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, format!("{text}not a record\n")).unwrap();
    let line = text.lines().count() + 1;
    let output = collection
        .at("2026-11-28")
        .args(["stats", "--section", "lecture"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "{}: skipped an unreadable record (line {line}",
            log.display()
        )),
        "{stderr}"
    );
}
