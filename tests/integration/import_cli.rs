//! `recall import` through the real binary: reports, --dry-run, --format json, remembered
//! deck, headings and --bold-cloze, and warnings.

use crate::common::{TEXT_NOTES, write_notes};
use assert_cmd::Command;
use serde_json::Value;

fn recall(dir: &std::path::Path) -> Command {
    let mut command = Command::cargo_bin("recall").unwrap();
    command
        .env("RECALL_DIR", dir.join("data"))
        .env("RECALL_NOW", "2026-11-28");
    command
}

fn stdout(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_text_report_lists_changes_by_category() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    let output = recall(dir.path()).arg("import").arg(&notes).output().unwrap();
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.starts_with(&format!(
        "{} imported into \"Computer Vision\": 3 new, 0 updated, 0 renamed, 0 moved, 0 retired, 0 restored, 0 unchanged\n  new       ",
        notes.display()
    )), "{report}");
    assert_eq!(report.lines().filter(|l| l.starts_with("  new ")).count(), 3);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("recall: your collection lives in "), "{stderr}");

    std::fs::write(
        &notes,
        TEXT_NOTES
            .replace("Lots of data.", "Lots of labelled data.")
            .replace("How many images", "How many photos"),
    )
    .unwrap();
    let report = stdout(recall(dir.path()).arg("import").arg(&notes));
    assert!(
        report.contains(": 1 new, 1 updated, 0 renamed, 0 moved, 1 retired, 0 restored, 1 unchanged"),
        "{report}"
    );
    assert!(report.contains("\n  updated   "));
    assert!(report.contains("\n  retired   "));
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    let report = stdout(recall(dir.path()).args(["import", "--dry-run"]).arg(&notes));
    assert!(
        report.contains("would import (dry run, nothing changed) into \"Computer Vision\": 3 new"),
        "{report}"
    );
    assert!(!dir.path().join("data").exists());

    stdout(recall(dir.path()).arg("import").arg(&notes));
    let snapshot = std::fs::read(dir.path().join("data/collection.json")).unwrap();
    std::fs::write(&notes, format!("{TEXT_NOTES}What is new?\nThis.\n")).unwrap();
    let report = stdout(
        recall(dir.path())
            .args(["import", "--dry-run", "--format", "json"])
            .arg(&notes),
    );
    let json: Value = serde_json::from_str(&report).unwrap();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["imports"][0]["counts"]["new"], 1);
    assert_eq!(
        std::fs::read(dir.path().join("data/collection.json")).unwrap(),
        snapshot
    );
}

#[test]
fn json_reports_every_category_and_warnings_go_to_stderr_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(
        dir.path(),
        "cv.txt",
        &format!("{TEXT_NOTES}What has no answer?\n"),
    );
    let output = recall(dir.path())
        .args(["import", "--format", "json"])
        .arg(&notes)
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let report = &json["imports"][0];
    assert_eq!(report["deck"], "Computer Vision");
    assert_eq!(
        report["counts"],
        serde_json::json!({"new": 3, "updated": 0, "renamed": 0, "moved": 0, "retired": 0, "restored": 0, "unchanged": 0, "progress_from_notes": 0, "progress_left_alone": 0})
    );
    assert_eq!(
        report["new"][0]["question"],
        "How many images uploaded to Instagram daily?"
    );
    assert_eq!(report["new"][0]["line"], 3);
    assert_eq!(
        report["warnings"],
        serde_json::json!([{"line": 12, "message": "question has no answer"}])
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "recall: warning: {}:12: question has no answer",
            notes.display()
        )),
        "{stderr}"
    );
}

#[test]
fn deck_and_headings_are_remembered_for_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(
        dir.path(),
        "n.txt",
        "Course\nSession 1\nQ1?\nA1\nSession 2\nQ2?\nA2\n",
    );
    stdout(
        recall(dir.path())
            .args(["import", "--deck", "Biology", "--heading", "^Session"])
            .arg(&notes),
    );
    // A plain re-import of the same file uses the same deck and headings: nothing changes.
    let report = stdout(recall(dir.path()).arg("import").arg(&notes));
    assert!(
        report.contains("into \"Biology\": unchanged (2 cards)"),
        "{report}"
    );
    let cards: Value =
        serde_json::from_str(&stdout(recall(dir.path()).args(["cards", "--format", "json"]))).unwrap();
    assert_eq!(cards[1]["section"], "Session 2");
    assert_eq!(cards[1]["deck"], "Biology");
}

#[test]
fn bold_cloze_is_remembered_for_the_same_file_until_turned_off() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(
        dir.path(),
        "bio.md",
        "# Biology\n\nThe **mitochondrion** makes **ATP**.\n\nWhat is a cell?\nThe unit of life.\n",
    );
    let questions = || -> Vec<String> {
        let cards: Value =
            serde_json::from_str(&stdout(recall(dir.path()).args(["cards", "--format", "json"]))).unwrap();
        cards
            .as_array()
            .unwrap()
            .iter()
            .map(|card| card["question"].as_str().unwrap().to_string())
            .collect()
    };
    stdout(recall(dir.path()).args(["import", "--bold-cloze"]).arg(&notes));
    assert_eq!(
        questions(),
        [
            "The [...] makes ATP.",
            "The mitochondrion makes [...].",
            "What is a cell?"
        ]
    );
    let report = stdout(recall(dir.path()).arg("import").arg(&notes));
    assert!(report.contains(": unchanged (3 cards)"), "{report}");
    let report = stdout(recall(dir.path()).args(["import", "--no-bold-cloze"]).arg(&notes));
    assert!(report.contains(" 2 retired, 0 restored, 1 unchanged"), "{report}");
    assert_eq!(questions(), ["What is a cell?"]);
    let report = stdout(recall(dir.path()).arg("import").arg(&notes));
    assert!(report.contains(": unchanged (1 card)"), "{report}");
}

#[test]
fn a_bad_file_stops_the_import_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    stdout(recall(dir.path()).arg("import").arg(&good));
    let snapshot = std::fs::read(dir.path().join("data/collection.json")).unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, b"Deck\nQ?\n\xff\n").unwrap();
    let output = recall(dir.path())
        .arg("import")
        .arg(&good)
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.ends_with("bad.txt:3: invalid UTF-8 (save the notes as UTF-8 text)\n"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("data/collection.json")).unwrap(),
        snapshot
    );
    let output = recall(dir.path())
        .args(["import", "--heading", "(", "x.txt"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .starts_with("recall: --heading \"(\" is not a valid regular expression")
    );
}

#[test]
fn a_renamed_notes_file_keeps_its_deck_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let notes = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    stdout(recall(dir.path()).arg("import").arg(&notes));
    recall(dir.path())
        .args(["review", "--plain"])
        .write_stdin("\n5\n")
        .assert()
        .success();
    let moved = dir.path().join("renamed.txt");
    std::fs::rename(&notes, &moved).unwrap();
    let report = stdout(recall(dir.path()).arg("import").arg(&moved));
    assert!(report.contains("into \"Computer Vision\": 0 new, 0 updated, 0 renamed, 0 moved, 0 retired, 0 restored, 3 unchanged"), "{report}");
    let cards: Value =
        serde_json::from_str(&stdout(recall(dir.path()).args(["cards", "--format", "json"]))).unwrap();
    assert_eq!(cards[0]["repetitions"], 1);
    // The old path is gone: importing it is a clear error.
    let output = recall(dir.path()).arg("import").arg(&notes).output().unwrap();
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("cv.txt: No such file or directory")
    );
}

#[test]
fn hostile_notes_files_end_with_a_clear_message_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let good = write_notes(dir.path(), "cv.txt", TEXT_NOTES);
    stdout(recall(dir.path()).arg("import").arg(&good));
    let snapshot = std::fs::read(dir.path().join("data/collection.json")).unwrap();
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Deck\nWhat is caf\xe9?\nA drink.\n").unwrap();
    for (file, message) in [
        (&binary, "photo.txt: not a text file (it contains NUL bytes)"),
        (
            &latin1,
            "latin1.txt:2: invalid UTF-8 (save the notes as UTF-8 text)",
        ),
        (
            &dir.path().join("gone.txt"),
            "gone.txt: No such file or directory (os error 2)",
        ),
    ] {
        let output = recall(dir.path()).arg("import").arg(file).output().unwrap();
        assert_eq!(output.status.code(), Some(1));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.trim_end().ends_with(message), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    assert_eq!(
        std::fs::read(dir.path().join("data/collection.json")).unwrap(),
        snapshot
    );

    // An empty file imports nothing, with a warning, and retires nothing else.
    let empty = write_notes(dir.path(), "empty.txt", "");
    let output = recall(dir.path()).arg("import").arg(&empty).output().unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("empty.txt: no questions found")
    );
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .contains("into \"empty\": 0 new")
    );

    // One 20 MB line: one card, imported without a hang.
    let long = dir.path().join("long.txt");
    std::fs::write(
        &long,
        format!("Long\n{}?\nYes.\n", "word ".repeat(4 * 1024 * 1024)),
    )
    .unwrap();
    let report = stdout(recall(dir.path()).arg("import").arg(&long));
    assert!(report.contains("into \"Long\": 1 new"), "{}", &report[..200]);
    let cards: serde_json::Value =
        serde_json::from_str(&stdout(recall(dir.path()).args(["cards", "--format", "json"]))).unwrap();
    assert_eq!(cards.as_array().unwrap().len(), 4);
}

#[test]
fn a_deck_takes_one_notes_file_and_a_file_one_deck() {
    let dir = tempfile::tempdir().unwrap();
    let first = write_notes(dir.path(), "one.md", "# Databases\n\nWhat is SQL?\nA language.\n");
    let second = write_notes(
        dir.path(),
        "two.md",
        "# Databases\n\nWhat is a join?\nCombining tables.\n",
    );
    stdout(recall(dir.path()).arg("import").arg(&first));
    let snapshot = std::fs::read(dir.path().join("data/collection.json")).unwrap();
    // These merged the second file into the first's deck and retired its cards.
    let output = recall(dir.path()).arg("import").arg(&second).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("deck \"Databases\" holds the cards of ") && stderr.contains("--deck NAME"),
        "{stderr}"
    );
    let output = recall(dir.path())
        .args(["import", "--deck", "Databases"])
        .arg(&second)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        std::fs::read(dir.path().join("data/collection.json")).unwrap(),
        snapshot
    );
    // Its own deck is fine.
    let report = stdout(
        recall(dir.path())
            .args(["import", "--deck", "Databases II"])
            .arg(&second),
    );
    assert!(report.contains("into \"Databases II\": 1 new"), "{report}");
    // A known file under another deck name: rename the deck instead of duplicating it.
    let output = recall(dir.path())
        .args(["import", "--deck", "DB"])
        .arg(&first)
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("feeds deck \"Databases\"; to call that deck \"DB\", run `recall deck rename \"Databases\" \"DB\"`"), "{stderr}");
}

#[test]
fn a_collection_large_enough_for_every_core_keeps_each_card_its_own_text() {
    // 20,000 cards: the caches are read and written in parts on several threads, and the
    // re-import compares cards with their drafts on several threads (where there are cores).
    let dir = tempfile::tempdir().unwrap();
    let card = |n: usize, answer: &str| format!("What is item {n}?\n{answer}\n\n");
    let notes: String = (0..20_000)
        .map(|n| card(n, &format!("Its answer {n}.")))
        .collect();
    let file = write_notes(dir.path(), "big.txt", &notes);
    stdout(recall(dir.path()).arg("import").arg(&file));
    let edited = notes
        .replace(&card(5, "Its answer 5."), &card(5, "Another answer."))
        .replace(
            &card(19_999, "Its answer 19999."),
            &card(19_999, "The last answer."),
        );
    std::fs::write(&file, edited).unwrap();
    let report: Value = serde_json::from_str(&stdout(
        recall(dir.path()).args(["import", "--format", "json"]).arg(&file),
    ))
    .unwrap();
    let counts = &report["imports"][0]["counts"];
    assert_eq!(
        (counts["updated"].as_u64(), counts["unchanged"].as_u64()),
        (Some(2), Some(19_998))
    );
    let cards: Vec<Value> = serde_json::from_str(&stdout(
        recall(dir.path()).args(["cards", "--all", "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(cards.len(), 20_000);
    for (n, card) in cards.iter().enumerate() {
        let answer = match n {
            5 => "Another answer.".to_string(),
            19_999 => "The last answer.".to_string(),
            _ => format!("Its answer {n}."),
        };
        assert_eq!(card["question"], format!("What is item {n}?"), "{card}");
        assert_eq!(card["answer"], answer, "{card}");
    }
}

#[cfg(unix)]
#[test]
fn a_large_cache_that_is_a_link_is_rebuilt_and_its_target_never_read_or_written() {
    // 25,000 cards: each cache is over a megabyte, so it is mapped into memory, not read.
    let dir = tempfile::tempdir().unwrap();
    let notes: String = (0..25_000)
        .map(|n| format!("What is item {n}?\nIts answer {n}.\n\n"))
        .collect();
    let file = write_notes(dir.path(), "big.txt", &notes);
    stdout(recall(dir.path()).arg("import").arg(&file));
    let data = dir.path().join("data");
    let due = stdout(recall(dir.path()).arg("due"));
    for cache in ["progress.json", "collection.json"] {
        let path = data.join(cache);
        assert!(std::fs::metadata(&path).unwrap().len() > 1 << 20, "{cache}");
        // The link points at a copy of the cache with one card's question changed: were it
        // followed, that question would show.
        let outside = dir.path().join(format!("outside-{cache}"));
        let copy = std::fs::read_to_string(&path)
            .unwrap()
            .replace("item 7?", "item seven?");
        std::fs::write(&outside, &copy).unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        let output = recall(dir.path())
            .args(["cards", "--all", "--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("rebuilt the collection from its logs"),
            "{cache}: {stderr}"
        );
        let cards: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(cards.len(), 25_000);
        assert_eq!(cards[7]["question"], "What is item 7?");
        assert_eq!(std::fs::read_to_string(&outside).unwrap(), copy, "{cache}");
        assert!(!path.is_symlink(), "{cache}");
        assert_eq!(stdout(recall(dir.path()).arg("due")), due);
    }
}
