//! The faults an adversarial trial found, each reproduced through the real binary: days past
//! 9999, a huge log line, FIFOs, duplicate ids, outputs that alias the collection, control
//! characters, half-done restores and hostile exports.

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::{Recall, TEXT_NOTES, the_log, write_notes};
use serde_json::Value;

/// Long enough for any of these commands on a loaded machine; a hang is the failure.
const HANG: Duration = Duration::from_secs(60);

/// The small deck imported, with two cards graded.
fn collection(now: &str) -> Recall {
    let collection = Recall::new(now);
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    collection.review(now, "\n5\n\n4\n");
    collection
}

/// Every file under `dir` with its bytes, sorted.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else if !path.ends_with("lock") {
                let bytes = std::fs::read(&path).unwrap();
                out.push((path, bytes));
            }
        }
    }
    out.sort();
    out
}

fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn days_past_9999_never_brick_the_collection() {
    let collection = collection("9999-12-31");
    for args in [
        &["due"][..],
        &["stats"],
        &["stats", "--format", "json"],
        &["decks"],
        &["cards"],
    ] {
        collection.ok(args);
    }
    let due: Vec<Value> = collection.cards().iter().map(|c| c["due"].clone()).collect();
    assert!(due.contains(&Value::from("9999-12-31")), "{due:?}");
    // A later session reads it all back and grades again.
    collection.review("9999-12-31T23:00:00+00:00", "\n5\n");

    for now in ["+12345-01-01", "+262142-12-31", "10000-01-01"] {
        let output = collection.at(now).arg("stats").output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{now}");
        let stderr = stderr_of(&output);
        assert!(stderr.starts_with("recall: RECALL_NOW="), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }

    // An earlier version wrote days past 9999: its files open again, at the last day.
    let log = the_log(&collection.data());
    let text = std::fs::read_to_string(&log).unwrap();
    std::fs::write(&log, text.replace("\"9999-12-31\"", "\"10000-01-05\"")).unwrap();
    for cache in ["collection.json", "progress.json", "history.json"] {
        let path = collection.data().join(cache);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace("\"9999-12-31\"", "\"10000-01-05\"")).unwrap();
    }
    let output = collection.at("9999-12-31").arg("cards").output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    // The log grew by a character a date, so the caches are made anew; no record is lost.
    assert!(
        !stderr_of(&output).contains("skipped"),
        "no log line was lost: {}",
        stderr_of(&output)
    );
}

/// `recall ARGS` on `collection` with its heap limited to `mib` MiB (RLIMIT_DATA), so a
/// command that would hold more fails. (A peak measured with wait4 would count the memory of
/// this test process, which the child starts as a copy of.)
fn with_memory_limit(collection: &Recall, args: &[&str], mib: u64) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(assert_cmd::cargo::cargo_bin("recall"));
    command
        .args(args)
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-11-28");
    let limit = libc::rlimit {
        rlim_cur: mib << 20,
        rlim_max: mib << 20,
    };
    // SAFETY: setrlimit is async-signal-safe and only touches the child.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) == 0 {
                Ok(())
            } else {
                Err(std::io::Error::last_os_error())
            }
        });
    }
    command.output().unwrap()
}

#[test]
fn one_huge_log_line_is_skipped_without_being_held_in_memory() {
    let collection = collection("2026-11-28");
    let log = the_log(&collection.data());
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    let garbage = vec![b'x'; 40 << 20];
    file.write_all(&garbage).unwrap();
    file.write_all(b"\n").unwrap();
    drop(file);
    for args in [&["due"][..], &["stats", "--section", "lecture"]] {
        // The 40 MiB line is read, never kept: the reader holds at most 16 MiB of it.
        let output = with_memory_limit(&collection, args, 64);
        assert!(output.status.success(), "{args:?}: {}", stderr_of(&output));
        let stderr = stderr_of(&output);
        assert!(stderr.contains("longer than 16 MiB"), "{args:?}: {stderr}");
    }
    // The log still takes grades after the bad line, and reads them back.
    collection.review("2026-11-28", "\n5\n");
    let output = collection
        .at("2026-11-28")
        .args(["stats", "--format", "json"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["today"]["reviews"], 3);
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let name = std::ffi::CString::new(path.as_os_str().as_encoded_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
}

#[cfg(unix)]
#[test]
fn every_path_that_is_a_fifo_is_refused_at_once() {
    let collection = collection("2026-11-28");
    let fifo = collection.dir.path().join("f.txt");
    mkfifo(&fifo);
    let refused = |args: &[&OsStr]| {
        let output = collection
            .at("2026-11-28")
            .args(args)
            .timeout(HANG)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        let stderr = stderr_of(&output);
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
    };
    refused(&[OsStr::new("import"), fifo.as_os_str()]);
    refused(&[OsStr::new("parse"), fifo.as_os_str()]);
    refused(&[OsStr::new("export"), OsStr::new("-o"), fifo.as_os_str()]);
    // The lock was let go: another writer gets in.
    collection.review("2026-11-28", "q\n");

    // The collection's settings and log as FIFOs stop every command too, instead of hanging
    // it; a cache that is a FIFO is no cache, and is written anew.
    let log = the_log(&collection.data());
    let log_name = log.file_name().unwrap().to_string_lossy().into_owned();
    for name in ["config.json", &format!("logs/{log_name}")] {
        let path = collection.data().join(name);
        let kept = collection.dir.path().join("kept");
        std::fs::rename(&path, &kept).unwrap();
        mkfifo(&path);
        for command in ["due", "review"] {
            let mut run = collection.at("2026-11-28");
            run.arg(command).timeout(HANG);
            if command == "review" {
                run.arg("--plain").write_stdin("q\n");
            }
            let output = run.output().unwrap();
            assert_eq!(output.status.code(), Some(1), "{name} {command}");
            let stderr = stderr_of(&output);
            assert!(
                stderr.contains(name) && stderr.contains("not a regular file"),
                "{stderr}"
            );
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::rename(&kept, &path).unwrap();
    }
    let cache = collection.data().join("progress.json");
    std::fs::remove_file(&cache).unwrap();
    mkfifo(&cache);
    let output = collection
        .at("2026-11-28")
        .arg("due")
        .timeout(HANG)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("rebuilt the collection from its logs"),
        "{}",
        stderr_of(&output)
    );
    assert!(cache.is_file());
}

/// A JSON export of the small collection, as a value.
fn export(collection: &Recall) -> Value {
    serde_json::from_str(&collection.ok(&["export"])).unwrap()
}

#[test]
fn a_restore_with_a_repeated_card_id_is_refused_and_writes_nothing() {
    let source = collection("2026-11-28");
    let mut export = export(&source);
    let cards = export["cards"].as_array().unwrap().clone();
    let twice = cards[1]["id"].as_str().unwrap().to_string();
    let mut repeated = cards.clone();
    repeated[2]["id"] = Value::from(twice.clone());
    export["cards"] = Value::from(repeated);
    let target = Recall::new("2026-11-28");
    target.ok(&["config", "set", "new_cards_per_day", "5"]);
    let before = files(&target.data());
    let file = write_notes(target.dir.path(), "export.json", &export.to_string());
    let message = target.refused(&[OsStr::new("import"), file.as_os_str()]);
    assert!(
        message.contains(&format!("two cards have the id {twice}")),
        "{message}"
    );
    assert_eq!(files(&target.data()), before);

    // 50 copies of every card: refused as well.
    export["cards"] = Value::from((0..50).flat_map(|_| cards.clone()).collect::<Vec<_>>());
    std::fs::write(&file, export.to_string()).unwrap();
    target.refused(&[OsStr::new("import"), file.as_os_str()]);
    assert_eq!(files(&target.data()), before);
}

#[test]
fn a_log_that_adds_a_card_id_twice_keeps_the_first_and_says_so() {
    let collection = collection("2026-11-28");
    let log = the_log(&collection.data());
    let text = std::fs::read_to_string(&log).unwrap();
    let added: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|record| record["kind"] == "card_added")
        .collect();
    let (first, third) = (
        added[0]["card"].as_str().unwrap(),
        added[2]["card"].as_str().unwrap(),
    );
    let edited = text.replacen(
        &format!("\"card\":\"{third}\""),
        &format!("\"card\":\"{first}\""),
        1,
    );
    std::fs::write(&log, &edited).unwrap();
    for cache in ["collection.json", "progress.json", "history.json"] {
        std::fs::remove_file(collection.data().join(cache)).unwrap();
    }
    let output = collection
        .at("2026-11-28")
        .args(["cards", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = stderr_of(&output);
    // The warning names the log and the record, so the line can be found.
    let device = log.file_stem().unwrap().to_string_lossy();
    assert!(
        stderr.contains(&format!(
            "logs/{device}.jsonl: skipped the record with id {} (card {first} was added before; its first addition stands)",
            added[2]["id"]
        )),
        "{stderr}"
    );
    let cards: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(cards.len(), 2);
    assert_eq!(cards[0]["id"], first);
    assert_eq!(cards[0]["question"], added[0]["text"]["question"]);
    collection.review("2026-11-29", "\n5\n");
}

#[test]
fn an_export_is_never_written_over_the_collection_or_the_notes() {
    let collection = collection("2026-11-28");
    let before = files(&collection.data());
    let data = collection.data();
    let link = collection.dir.path().join("innocent.json");
    std::os::unix::fs::symlink(the_log(&data), &link).unwrap();
    let notes = collection.dir.path().join("cv.txt");
    let notes_before = std::fs::read(&notes).unwrap();
    for target in [
        the_log(&data),
        data.join("collection.json"),
        data.join("backups/new.json"),
        data.join("new.json"),
        link,
        notes.clone(),
        collection
            .dir
            .path()
            .join("../")
            .join(collection.dir.path().file_name().unwrap())
            .join("data/x"),
    ] {
        for format in ["json", "csv", "anki"] {
            let output = collection
                .at("2026-11-28")
                .args(["export", "--format", format, "-o"])
                .arg(&target)
                .output()
                .unwrap();
            assert_eq!(output.status.code(), Some(1), "{}", target.display());
            let stderr = stderr_of(&output);
            assert!(
                stderr.contains("inside the data directory") || stderr.contains("holds the notes of deck"),
                "{stderr}"
            );
        }
    }
    assert_eq!(files(&collection.data()), before);
    assert_eq!(std::fs::read(&notes).unwrap(), notes_before);
}

#[test]
fn an_export_replaces_its_file_whole_or_not_at_all() {
    let collection = collection("2026-11-28");
    let out = collection.dir.path().join("out.json");
    std::fs::write(&out, "old content").unwrap();
    collection.ok(&[OsStr::new("export"), OsStr::new("-o"), out.as_os_str()]);
    let exported: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(exported["cards"].as_array().unwrap().len(), 3);
    let names: Vec<_> = std::fs::read_dir(collection.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");

    // A disk that fills during the export keeps the old file whole, and the error names it.
    let disk = collection.dir.path().join("disk");
    let Some(_unmount) = crate::common::tmpfs(&disk, "64k") else {
        eprintln!("skipped: this machine does not allow mounting a tmpfs");
        return;
    };
    let target = disk.join("export.csv");
    std::fs::write(&target, "an older export\n").unwrap();
    let padding = crate::common::fill(&disk);
    std::fs::remove_file(&padding).unwrap();
    std::fs::write(&padding, vec![b'x'; 40 << 10]).unwrap();
    let big: String = (0..400)
        .map(|n| format!("Question {n} with words?\nAnswer {n} with more words.\n"))
        .collect();
    let notes = write_notes(collection.dir.path(), "big.txt", &format!("Big\n{big}"));
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let output = collection
        .at("2026-11-28")
        .args(["export", "--format", "csv", "-o"])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&target.display().to_string()) && stderr.contains("No space left"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "an older export\n");
    assert_eq!(
        std::fs::read_dir(&disk).unwrap().count(),
        2,
        "no temporary file is left"
    );
}

#[test]
fn an_export_with_sorted_keys_is_restored_not_imported_as_notes() {
    let source = collection("2026-11-28");
    source.review("2026-11-28", "\nb\n");
    let export = export(&source);
    // serde_json's Value keeps keys sorted, as `jq -S` does.
    let sorted = serde_json::to_string_pretty(&export).unwrap();
    assert!(sorted.find("\"cards\"") < sorted.find("\"format\""));
    let target = Recall::new("2026-11-28");
    let file = write_notes(target.dir.path(), "sorted.json", &sorted);
    let output = target.at("2026-11-28").arg("import").arg(&file).output().unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        stderr_of(&output).contains("restored 1 deck, 3 cards and"),
        "{}",
        stderr_of(&output)
    );
    // Everything came over, the card buried today included.
    let cards = target.cards();
    assert_eq!(cards, source.cards());
    assert!(cards.iter().any(|c| c["buried"] == "2026-11-28"), "{cards:?}");
    let queue = target.ok(&["due", "--format", "json"]);
    let before = source.ok(&["due", "--format", "json"]);
    assert_eq!(queue, before);
}

#[test]
fn a_hostile_export_is_checked_whole_before_anything_is_written() {
    let source = collection("2026-11-28");
    let good = export(&source);
    /// What the refusal says, and how the export is spoilt.
    type Case = (&'static str, Box<dyn Fn(&mut Value)>);
    let cases: Vec<Case> = vec![
        (
            "review id 18446744073709551615",
            Box::new(|e: &mut Value| {
                let reviews = e["reviews"].as_array_mut().unwrap();
                let last = reviews.len() - 1;
                reviews[last]["id"] = Value::from(u64::MAX);
            }),
        ),
        (
            "which the export does not list",
            Box::new(|e: &mut Value| {
                e["cards"][0]["deck"] = Value::from("Nowhere");
            }),
        ),
        (
            "is not an id",
            Box::new(|e: &mut Value| e["cards"][0]["id"] = Value::from("")),
        ),
        (
            "is not an id",
            Box::new(|e: &mut Value| e["cards"][0]["id"] = Value::from("a b")),
        ),
        (
            "has control characters",
            Box::new(|e: &mut Value| {
                e["decks"][0]["name"] = Value::from("Bad\nname");
            }),
        ),
        (
            "is listed twice",
            Box::new(|e: &mut Value| {
                let deck = e["decks"][0].clone();
                e["decks"].as_array_mut().unwrap().push(deck);
            }),
        ),
        (
            "of a card the export does not hold",
            Box::new(|e: &mut Value| {
                e["reviews"][0]["card"] = Value::from("zzzzzzzz");
            }),
        ),
        (
            "does not follow",
            Box::new(|e: &mut Value| {
                let reviews = e["reviews"].as_array_mut().unwrap();
                let first = reviews[0]["id"].clone();
                reviews[1]["id"] = first;
            }),
        ),
    ];
    let target = Recall::new("2026-11-28");
    target.ok(&["config", "set", "new_cards_per_day", "20"]);
    for (expected, spoil) in cases {
        let mut export = good.clone();
        spoil(&mut export);
        let file = write_notes(target.dir.path(), "bad.json", &export.to_string());
        let before = files(&target.data());
        let output = target.at("2026-11-28").arg("import").arg(&file).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{expected}");
        let message = stderr_of(&output);
        assert!(message.contains(expected), "{expected}: {message}");
        assert_eq!(files(&target.data()), before, "{expected}");
    }
    // The good one goes in, and grades work after it.
    let file = write_notes(target.dir.path(), "good.json", &good.to_string());
    target.ok(&[OsStr::new("import"), file.as_os_str()]);
    target.review("2026-11-29", "\n5\n");
}

/// An export of 3,000 cards and 20,000 reviews, made by hand so it is quick to make and
/// slow enough to restore (a few hundred milliseconds) that kills land in the middle.
fn big_export(dir: &Path) -> PathBuf {
    let source = collection("2026-11-28");
    let mut export = export(&source);
    let template = export["cards"][0].clone();
    let cards: Vec<Value> = (0..3000)
        .map(|n| {
            let mut card = template.clone();
            card["id"] = Value::from(format!("big{n:05}"));
            card["question"] = Value::from(format!("Question {n}?"));
            card["line"] = Value::from(n + 2);
            card
        })
        .collect();
    let reviews: Vec<Value> = (0..20_000u64)
        .map(|n| {
            serde_json::json!({
                "id": n + 1,
                "card": format!("big{:05}", n % 3000),
                "at": "2026-11-20T12:00:00+00:00",
                "day": "2026-11-20",
                "kind": "bury",
            })
        })
        .collect();
    export["cards"] = Value::from(cards);
    export["reviews"] = Value::from(reviews);
    let path = dir.join("export.json");
    std::fs::write(&path, export.to_string()).unwrap();
    path
}

#[test]
fn a_restore_killed_half_way_leaves_the_collection_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let export = big_export(dir.path());
    let recall = assert_cmd::cargo::cargo_bin("recall");
    let mut outcomes = std::collections::BTreeSet::new();
    for delay_ms in [0u64, 40, 100, 200, 400] {
        let target = tempfile::tempdir().unwrap();
        let data = target.path().join("data");
        let mut child = std::process::Command::new(&recall)
            .args([OsStr::new("import"), export.as_os_str()])
            .env("RECALL_DIR", &data)
            .env("RECALL_NOW", "2026-11-28")
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let finished = child.wait().unwrap().success();
        let run = |args: &[&OsStr]| {
            std::process::Command::new(&recall)
                .args(args)
                .env("RECALL_DIR", &data)
                .env("RECALL_NOW", "2026-11-28")
                .output()
                .unwrap()
        };
        // Either nothing was restored, or everything was: never a half.
        let cards = run(&[OsStr::new("cards"), OsStr::new("--format"), OsStr::new("json")]);
        let listed: Vec<Value> = serde_json::from_slice(&cards.stdout).unwrap_or_default();
        match (listed.len(), finished) {
            (3000, true) => outcomes.insert("finished"),
            (0, false) => outcomes.insert("killed, nothing"),
            (3000, false) => outcomes.insert("killed, everything"),
            (other, _) => panic!("{other} cards after a kill at {delay_ms} ms"),
        };
        // Running it again finishes the job (or says the collection is restored already).
        let again = run(&[OsStr::new("import"), export.as_os_str()]);
        assert!(
            again.status.success() || stderr_of(&again).contains("only be restored into an empty collection"),
            "{}",
            stderr_of(&again)
        );
        let stats = run(&[OsStr::new("stats"), OsStr::new("--format"), OsStr::new("json")]);
        let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
        assert_eq!(stats["counts"]["total"], 3000, "after a kill at {delay_ms} ms");
        // Nothing the killed restore was writing is left behind.
        let left: Vec<_> = [data.clone(), data.join("logs")]
            .iter()
            .flat_map(|dir| std::fs::read_dir(dir).into_iter().flatten().flatten())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tmp"))
            .collect();
        assert!(left.is_empty(), "after a kill at {delay_ms} ms: {left:?}");
    }
    assert!(
        outcomes.contains("killed, nothing"),
        "no kill landed in a restore: {outcomes:?}"
    );
}

#[test]
fn control_characters_in_notes_never_reach_the_terminal_raw() {
    let collection = Recall::new("2026-11-28");
    let hostile = "Deck\u{1b}]0;owned\u{7}\nLecture 1\nWhat is \u{1b}[2J this?\nIt \u{9b}31m clears \u{7f} the screen.\n";
    let notes = write_notes(collection.dir.path(), "hostile.txt", hostile);
    let anki = write_notes(
        collection.dir.path(),
        "anki.txt",
        "#separator:tab\n#html:true\nWhat is &#27;]2;title&#7; here?\tAn &#x1b;[31m answer\n",
    );
    let outputs = [
        collection.ok(&[OsStr::new("parse"), notes.as_os_str()]),
        collection.ok(&[OsStr::new("parse"), anki.as_os_str()]),
        collection.ok(&[OsStr::new("import"), notes.as_os_str()]),
        collection.ok(&[OsStr::new("import"), anki.as_os_str()]),
        collection.ok(&["cards"]),
        collection.ok(&["decks"]),
        collection.ok(&["stats"]),
        collection.review("2026-11-28", "\n3\n\n3\n"),
        collection.ok(&["export", "--format", "csv"]),
        collection.ok(&["export", "--format", "anki"]),
    ];
    for output in &outputs {
        assert!(
            !output.contains(['\u{1b}', '\u{7}', '\u{9b}', '\u{7f}']),
            "a raw control character: {output:?}"
        );
    }
    assert!(outputs[0].contains("\u{241b}[2J"), "{}", outputs[0]);
    let id = collection.cards()[0]["id"].as_str().unwrap().to_string();
    let shown = collection.ok(&["card", "show", &id]);
    assert!(!shown.contains('\u{1b}') && shown.contains('\u{241b}'), "{shown}");
    // JSON keeps the data exact, escaped.
    for args in [&["cards", "--format", "json"][..], &["export"]] {
        let json = collection.ok(args);
        assert!(!json.contains(['\u{1b}', '\u{9b}', '\u{7f}']), "{json}");
        assert!(
            json.contains("\\u001b[2J") && json.contains("\\u009b31m"),
            "{json}"
        );
    }
    // Error messages too.
    let message = collection.refused(&["deck", "rename", "Deck", "x\u{1b}[31my"]);
    assert!(!message.contains('\u{1b}'), "{message}");
}

#[test]
fn deck_names_need_visible_text_and_card_ids_count_once() {
    let collection = collection("2026-11-28");
    let deck = "Computer Vision";
    for bad in ["Two\nlines", "   ", "\u{200b}", "tab\there"] {
        let message = collection.refused(&["deck", "rename", deck, bad]);
        assert!(message.contains("the deck name"), "{message}");
    }
    let notes = collection.dir.path().join("cv.txt");
    let message = collection.refused(&[
        OsStr::new("import"),
        notes.as_os_str(),
        OsStr::new("--deck"),
        OsStr::new(" "),
    ]);
    assert!(message.contains("no visible text"), "{message}");
    let id = collection.cards()[0]["id"].as_str().unwrap().to_string();
    let said = collection.ok(&["card", "reset", &id, &id, "--yes"]);
    assert!(said.starts_with("reset 1 card to new"), "{said}");
    let said = collection.ok(&["card", "suspend", &id, &id, &id]);
    assert!(said.starts_with("suspended 1 card"), "{said}");
}

#[test]
fn a_record_claiming_endless_time_does_not_turn_statistics_negative() {
    let collection = collection("2026-11-28");
    let log = the_log(&collection.data());
    let text = std::fs::read_to_string(&log).unwrap();
    let last = text.lines().last().unwrap();
    let mut record: Value = serde_json::from_str(last).unwrap();
    record["ms"] = Value::from(u64::MAX);
    record["id"] = Value::from(record["id"].as_u64().unwrap() + 1);
    let mut file = std::fs::OpenOptions::new().append(true).open(&log).unwrap();
    writeln!(file, "{record}").unwrap();
    for _ in 0..3 {
        record["id"] = Value::from(record["id"].as_u64().unwrap() + 1);
        record["ms"] = Value::from(u64::MAX - 1_000_000_000);
        writeln!(file, "{record}").unwrap();
    }
    drop(file);
    let stats: Value = serde_json::from_str(&collection.ok(&["stats", "--format", "json"])).unwrap();
    assert!(
        stats["today"]["seconds"].as_i64().unwrap() >= 0,
        "{}",
        stats["today"]
    );
    assert!(
        stats["daily"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["seconds"].as_i64().unwrap() >= 0)
    );
    // After the snapshot folds them in, too.
    collection.review("2026-11-28", "\n5\n");
    let stats: Value = serde_json::from_str(&collection.ok(&["stats", "--format", "json"])).unwrap();
    assert!(
        stats["today"]["seconds"].as_i64().unwrap() >= 0,
        "{}",
        stats["today"]
    );
}

#[cfg(unix)]
#[test]
fn a_lock_that_is_a_symbolic_link_is_refused_and_its_target_untouched() {
    let collection = collection("2026-11-28");
    let precious = collection.dir.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let lock = collection.data().join("lock");
    std::fs::remove_file(&lock).unwrap();
    std::os::unix::fs::symlink(&precious, &lock).unwrap();
    let message = collection.refused(&["review", "--plain"]);
    assert!(message.contains("symbolic link"), "{message}");
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
}

#[test]
fn a_link_planted_where_a_broken_config_is_kept_is_replaced_not_followed() {
    let collection = collection("2026-11-28");
    let precious = collection.dir.path().join("precious.txt");
    std::fs::write(&precious, "keep me").unwrap();
    let kept = collection.data().join("config.json.broken");
    std::os::unix::fs::symlink(&precious, &kept).unwrap();
    std::fs::write(collection.data().join("config.json"), "{ not json").unwrap();
    collection.ok(&["config", "set", "new_cards_per_day", "12"]);
    assert_eq!(std::fs::read_to_string(&precious).unwrap(), "keep me");
    assert!(!kept.is_symlink());
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "{ not json");
}

#[test]
fn a_writer_removes_only_its_own_temporary_files() {
    let collection = collection("2026-11-28");
    let mine = collection.data().join(".progress.json.4242.tmp");
    std::fs::write(&mine, "half a snapshot").unwrap();
    let theirs = [".syncthing.notes.txt.tmp", ".backup.tmp", ".config.json.tmp"];
    for name in theirs {
        std::fs::write(collection.data().join(name), "not ours").unwrap();
    }
    collection.review("2026-11-28", "\n5\n");
    assert!(!mine.exists());
    for name in theirs {
        assert!(collection.data().join(name).exists(), "{name}");
    }
}
