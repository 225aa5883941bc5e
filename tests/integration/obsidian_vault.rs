//! The test vault written for this project (`tests/data/obsidian-vault`), read as recall
//! reads it and compared with what the Obsidian Spaced Repetition plugin makes of it
//! (`EXPECTED.json`): the same cards in the same order, with the same progress, except where
//! recall decides otherwise on purpose:
//!
//! - `{{curly}}` deletions count in tagged notes (the plugin's "curly" profile): one more card
//!   in biology;
//! - a note without a `#flashcards` tag is read too (the plugin skips it), but its tight
//!   `::` lines stay text there, as in any untagged notes: two cards in the reading list;
//! - a front keeps its formatting but not its list marker (`**Zombie process**`);
//! - a progress group that does not read (an impossible date, a missing field) leaves its
//!   card new, with a warning naming the line, where the plugin guesses;
//! - decks are named by the notes' titles, sections by headings, else by the tag.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use recall::notes::{CardDraft, Notes, Options, markdown};
use serde_json::Value;

fn vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/obsidian-vault")
}

fn parse(file: &str) -> Notes {
    let text = std::fs::read_to_string(vault().join(file)).unwrap();
    markdown::parse(&text, "file", &Options::default())
}

/// A side as compared: without a list marker and one pair of `**` around it, as EXPECTED.md
/// allows.
fn normalised(side: &str) -> &str {
    let side = side.trim();
    let side = side.strip_prefix("- ").unwrap_or(side);
    side.strip_prefix("**")
        .and_then(|inner| inner.strip_suffix("**"))
        .unwrap_or(side)
}

/// What a card is compared by: line, kind (recall knows basic and cloze; a reversed card is
/// a basic card each way), front, back and progress.
fn summary(card: &CardDraft) -> (u64, String, String, String, Value) {
    let kind = if card.cloze.is_some() { "cloze" } else { "basic" };
    let progress = card.progress.as_ref().map_or(
        Value::String("new".into()),
        |p| serde_json::json!({"due": p.due.to_string(), "interval": p.interval, "ease": p.ease}),
    );
    (
        card.line as u64,
        kind.to_string(),
        normalised(&card.question).to_string(),
        normalised(&card.answer).to_string(),
        progress,
    )
}

fn expected_summary(card: &Value) -> (u64, String, String, String, Value) {
    let kind = match card["kind"].as_str().unwrap() {
        "cloze" => "cloze",
        _ => "basic",
    };
    // A group that does not read leaves the card new in recall.
    let progress = match &card["progress"] {
        progress if progress.get("status").is_some() => Value::String("new".into()),
        progress => progress.clone(),
    };
    (
        card["line"].as_u64().unwrap(),
        kind.to_string(),
        normalised(card["front"].as_str().unwrap()).to_string(),
        normalised(card["back"].as_str().unwrap()).to_string(),
        progress,
    )
}

fn expected() -> Value {
    let text = std::fs::read_to_string(vault().join("EXPECTED.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn every_tagged_note_gives_the_plugins_cards() {
    let expected = expected();
    for (file, wanted) in expected["files"].as_object().unwrap() {
        if file == "misc/reading-list.md" {
            continue;
        }
        let notes = parse(file);
        let mut cards: Vec<_> = notes.cards.iter().map(summary).collect();
        if file == "biology/cell-biology.md" {
            // The curly profile's extra card, from EXPECTED.md.
            let curly = cards
                .iter()
                .position(|card| card.0 == 17)
                .expect("the {{curly}} cloze");
            assert_eq!(
                cards.remove(curly),
                (
                    17,
                    "cloze".to_string(),
                    "The cell membrane is a [...] with embedded proteins.".to_string(),
                    "The cell membrane is a phospholipid bilayer with embedded proteins.".to_string(),
                    Value::String("new".into())
                )
            );
            assert_eq!(notes.cards.len() as u64, wanted["cards_curly"].as_u64().unwrap());
        } else {
            assert_eq!(
                notes.cards.len() as u64,
                wanted["cards_default"].as_u64().unwrap(),
                "{file}"
            );
        }
        let wanted: Vec<_> = wanted["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(expected_summary)
            .collect();
        assert_eq!(cards, wanted, "{file}");
    }
}

#[test]
fn groups_that_do_not_read_warn_with_their_line() {
    let warnings = |file: &str| serde_json::to_value(parse(file).warnings).unwrap();
    assert_eq!(
        warnings("operating-systems/processes.md"),
        serde_json::json!([{"line": 10, "message": "progress `2025-02-30,4,230` has no valid due date (2025-02-30); the card starts as new"}])
    );
    assert_eq!(
        warnings("probability/basics.md"),
        serde_json::json!([{"line": 6, "message": "progress `2025-05-02,12` has 2 of its 3 fields (due date, interval, ease); the card starts as new"}])
    );
    for file in [
        "biology/cell-biology.md",
        "linear-algebra/eigenvalues.md",
        "operating-systems/memory.md",
        "misc/reading-list.md",
    ] {
        assert_eq!(warnings(file), serde_json::json!([]), "{file}");
    }
}

#[test]
fn an_untagged_note_keeps_its_tight_separators_as_text() {
    let notes = parse("misc/reading-list.md");
    let cards: Vec<_> = notes.cards.iter().map(summary).collect();
    assert_eq!(
        cards,
        [
            (
                8,
                "basic".to_string(),
                "Is there a measure theory course next year?".to_string(),
                "Ask the department office.".to_string(),
                Value::String("new".into())
            ),
            (
                12,
                "cloze".to_string(),
                "Highlights like [...] stay plain highlights here.".to_string(),
                "Highlights like this one stay plain highlights here.".to_string(),
                Value::String("new".into())
            ),
        ]
    );
    let skipped: Vec<_> = notes.skipped.iter().map(|line| line.line).collect();
    assert_eq!(skipped, [3, 5, 6]);
}

#[test]
fn decks_follow_titles_and_sections_follow_headings_then_tags() {
    let cases = [
        (
            "biology/cell-biology.md",
            "Cell biology",
            vec!["Organelles", "Genetics"],
        ),
        (
            "linear-algebra/eigenvalues.md",
            "Eigenvalues and eigenvectors",
            vec!["Definitions", "Useful facts", "Worked method"],
        ),
        ("operating-systems/memory.md", "Virtual memory", vec!["memory"]),
        (
            "operating-systems/processes.md",
            "Processes and threads",
            vec!["os"],
        ),
        ("probability/basics.md", "Probability basics", vec!["probability"]),
    ];
    for (file, deck, sections) in cases {
        let notes = parse(file);
        assert_eq!(serde_json::to_value(&notes).unwrap()["deck"], deck, "{file}");
        let mut seen: Vec<&str> = notes.cards.iter().map(|card| card.section.as_str()).collect();
        seen.dedup();
        assert_eq!(seen, sections, "{file}");
    }
}

#[test]
fn the_vault_imports_as_a_folder_one_deck_per_note() {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("vault");
    for entry in [
        "biology",
        "linear-algebra",
        "misc",
        "operating-systems",
        "probability",
    ] {
        let from = vault().join(entry);
        for file in std::fs::read_dir(&from).unwrap() {
            let file = file.unwrap().path();
            let to = copy.join(entry).join(file.file_name().unwrap());
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(&file, &to).unwrap();
        }
    }
    // Obsidian's own folders hold no notes to import.
    for hidden in [".obsidian/workspace.md", ".trash/old.md"] {
        let path = copy.join(hidden);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "Q :: A\n").unwrap();
    }
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DIR", dir.path().join("data"))
        .env("RECALL_NOW", "2026-11-28")
        .args(["import", "--format", "json"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    let imports: Vec<_> = json["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|report| {
            (
                report["deck"].as_str().unwrap(),
                report["counts"]["new"].as_u64().unwrap(),
                report["counts"]["progress_from_notes"].as_u64().unwrap(),
            )
        })
        .collect();
    // The cards with progress that reads, by file, as EXPECTED.json has them.
    let expected = expected();
    let with_progress = |file: &str| {
        expected["files"][file]["cards"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|card| card["progress"].get("due").is_some())
            .count() as u64
    };
    assert_eq!(
        imports,
        [
            ("Cell biology", 14, with_progress("biology/cell-biology.md")),
            (
                "Eigenvalues and eigenvectors",
                10,
                with_progress("linear-algebra/eigenvalues.md")
            ),
            ("Reading list for next term", 2, 0),
            ("Virtual memory", 6, with_progress("operating-systems/memory.md")),
            (
                "Processes and threads",
                8,
                with_progress("operating-systems/processes.md")
            ),
            ("Probability basics", 7, with_progress("probability/basics.md")),
        ]
    );
    assert!(imports.iter().map(|import| import.2).sum::<u64>() >= 10);

    // Every card with progress starts from it: due and interval as written, the ease over
    // 100, one or two successes in a row, no lapses.
    let cards = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DIR", dir.path().join("data"))
        .env("RECALL_NOW", "2026-11-28")
        .args(["cards", "--all", "--format", "json"])
        .output()
        .unwrap();
    let cards: Vec<Value> = serde_json::from_slice(&cards.stdout).unwrap();
    let mut started: Vec<(String, u64, u64, u64)> = cards
        .iter()
        .filter(|card| card["status"] == "review")
        .map(|card| {
            assert_eq!(card["lapses"], 0);
            let interval = card["interval"].as_u64().unwrap();
            assert_eq!(card["repetitions"], if interval <= 1 { 1 } else { 2 });
            (
                card["due"].as_str().unwrap().to_string(),
                interval,
                (card["ease"].as_f64().unwrap() * 100.0).round() as u64,
                card["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let mut written: Vec<(String, u64, u64, u64)> = expected["files"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|file| file["cards"].as_array().unwrap())
        .filter_map(|card| {
            let progress = &card["progress"];
            Some((
                progress.get("due")?.as_str()?.to_string(),
                progress["interval"].as_u64()?,
                progress["ease"].as_u64()?.clamp(130, 500),
                card["line"].as_u64()?,
            ))
        })
        .collect();
    started.sort();
    written.sort();
    assert_eq!(started, written);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("processes.md:10: progress `2025-02-30,4,230`"),
        "{stderr}"
    );
}

/// A note whose card has `comment` as its progress.
fn note_with_progress(comment: &str) -> String {
    format!("# Processes\n\n#flashcards\n\nWhat does fork return in the child?\n?\nZero.\n{comment}\n")
}

#[test]
fn progress_comes_over_once_and_again_only_when_asked() {
    let collection = crate::common::Recall::new("2026-11-28T12:00:00Z");
    let notes = collection.dir.path().join("processes.md");
    std::fs::write(&notes, note_with_progress("<!--SR:!2026-12-05,12,270-->")).unwrap();
    let report = collection.ok(&["import", notes.to_str().unwrap()]);
    assert!(
        report.contains("  1 card with progress from Obsidian\n"),
        "{report}"
    );
    let state = |collection: &crate::common::Recall| {
        let card = collection.cards().remove(0);
        (
            card["due"].clone(),
            card["interval"].clone(),
            card["ease"].clone(),
        )
    };
    assert_eq!(state(&collection), ("2026-12-05".into(), 12.into(), 2.7.into()));
    // The log says where the progress came from.
    let added = crate::common::all_records(&collection.data())
        .into_iter()
        .find(|record| record["kind"] == "card_added")
        .unwrap();
    assert_eq!(added["from"], "obsidian");
    assert_eq!(added["after"]["due"], "2026-12-05");

    // The plugin moves the card in Obsidian: recall keeps its own schedule, and says so.
    std::fs::write(&notes, note_with_progress("<!--SR:!2026-12-30,25,290-->")).unwrap();
    let report = collection.ok(&["import", notes.to_str().unwrap()]);
    assert!(
        report.contains("1 card has other progress in its Obsidian comment than recall's schedule"),
        "{report}"
    );
    assert_eq!(state(&collection), ("2026-12-05".into(), 12.into(), 2.7.into()));

    // Asked, it takes the notes' progress, through a record of the log.
    let report = collection.ok(&["import", "--progress-from-notes", notes.to_str().unwrap()]);
    assert!(
        report.contains("  1 card with progress from Obsidian\n"),
        "{report}"
    );
    assert_eq!(state(&collection), ("2026-12-30".into(), 25.into(), 2.9.into()));
    let report = collection.ok(&["import", "--progress-from-notes", notes.to_str().unwrap()]);
    assert!(report.contains("unchanged (1 card)"), "{report}");
    for cache in ["collection.json", "progress.json", "history.json"] {
        std::fs::remove_file(collection.data().join(cache)).unwrap();
    }
    assert_eq!(state(&collection), ("2026-12-30".into(), 25.into(), 2.9.into()));

    // Reviewed in recall, the card goes on from the progress it took.
    collection.review("2026-12-30T12:00:00Z", "\n5\n");
    let card = collection.cards().remove(0);
    assert_eq!(card["repetitions"], 3);
    assert_eq!(card["interval"], 73, "ceil(25 x 2.9)");
}

#[test]
fn a_progress_comment_that_does_not_read_leaves_the_card_new_with_a_warning() {
    let collection = crate::common::Recall::new("2026-11-28T12:00:00Z");
    let notes = collection.dir.path().join("processes.md");
    for comment in [
        "<!--SR:!2026-13-05,12,270-->",
        "<!--SR:!2026-12-05,12-->",
        "<!--SR:!2026-12-05,x,270-->",
    ] {
        std::fs::write(&notes, note_with_progress(comment)).unwrap();
        let output = collection
            .at(&collection.now)
            .args(["import", notes.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(output.status.success());
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("processes.md:8: progress") && stderr.contains("the card starts as new"),
            "{comment}: {stderr}"
        );
        let card = collection.cards().remove(0);
        assert_eq!(card["status"], "new", "{comment}");
    }
}

/// `text` without its progress comments and the space or line each took.
fn without_progress(text: &str) -> String {
    let comment = regex::Regex::new(r"[ \n]?<!--SR:[^>]*-->").unwrap();
    comment.replace_all(text, "").into_owned()
}

#[test]
fn the_obsidian_export_writes_recalls_progress_into_a_copy_of_the_notes() {
    let collection = crate::common::Recall::new("2026-11-28T12:00:00Z");
    let notes = collection.dir.path().join("processes.md");
    let original = std::fs::read_to_string(vault().join("operating-systems/processes.md")).unwrap();
    std::fs::write(&notes, &original).unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    collection.review("2026-11-28T12:00:00Z", &"\n4\n".repeat(40));
    let exported = collection.dir.path().join("exported.md");
    collection.ok(&["export", "--format", "obsidian", "-o", exported.to_str().unwrap()]);
    let written = std::fs::read_to_string(&exported).unwrap();
    // The notes are as they were but for the comments, and the notes file is untouched.
    assert_eq!(without_progress(&written), without_progress(&original));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), original);
    assert!(written.matches("<!--SR:").count() > original.matches("<!--SR:").count());

    // Read back into a new collection, every card has the progress it has here.
    let schedule = |collection: &crate::common::Recall| {
        let mut cards: Vec<(String, Value, Value, Value)> = collection
            .cards()
            .into_iter()
            .filter(|card| card["status"] == "review")
            .map(|card| {
                let question = card["question"].as_str().unwrap().to_string();
                (
                    question,
                    card["due"].clone(),
                    card["interval"].clone(),
                    card["ease"].clone(),
                )
            })
            .collect();
        cards.sort_by(|a, b| a.0.cmp(&b.0));
        cards
    };
    let elsewhere = crate::common::Recall::new("2026-11-28T12:00:00Z");
    elsewhere.ok(&["import", exported.to_str().unwrap()]);
    assert_eq!(schedule(&elsewhere), schedule(&collection));
    assert!(schedule(&collection).len() >= 6);

    // Never over the notes, and one deck at a time.
    let refused = collection.refused(&["export", "--format", "obsidian", "-o", notes.to_str().unwrap()]);
    assert!(refused.contains("holds the notes of deck"), "{refused}");
    let other = collection.dir.path().join("other.md");
    std::fs::write(&other, "# Other\n\nQ :: A\n").unwrap();
    collection.ok(&["import", other.to_str().unwrap()]);
    let refused = collection.refused(&["export", "--format", "obsidian"]);
    assert!(refused.contains("name it with --deck (one of: "), "{refused}");
}

#[test]
fn new_fsrs_parameters_replay_progress_taken_again_as_a_rebuild_does() {
    let collection = crate::common::Recall::new("2026-11-28T12:00:00Z");
    let notes = collection.dir.path().join("processes.md");
    std::fs::write(&notes, note_with_progress("<!--SR:!2026-12-05,12,270-->")).unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    collection.review("2026-12-05T12:00:00Z", "\n4\n");
    // Reviewed in Obsidian too, last on the 17th: the next grade in recall counts 3 days.
    std::fs::write(&notes, note_with_progress("<!--SR:!2026-12-20,3,250-->")).unwrap();
    collection.ok(&["import", "--progress-from-notes", notes.to_str().unwrap()]);
    collection.review("2026-12-20T12:00:00Z", "\n4\n");
    let stability = |collection: &crate::common::Recall| collection.cards().remove(0)["stability"].clone();
    let parameters = "[0.3, 1.2931, 5.0, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542]";
    let before = stability(&collection);
    collection.ok(&["config", "set", "fsrs_parameters", parameters]);
    let recomputed = stability(&collection);
    // The new parameters did change the card's memory: the replay below is no echo.
    assert!(recomputed.is_number(), "{recomputed}");
    assert_ne!(recomputed, before);
    for cache in ["collection.json", "progress.json", "history.json"] {
        std::fs::remove_file(collection.data().join(cache)).unwrap();
    }
    assert_eq!(recomputed, stability(&collection));
}

#[test]
fn the_obsidian_export_keeps_windows_line_ends() {
    let collection = crate::common::Recall::new("2026-11-28T12:00:00Z");
    let notes = collection.dir.path().join("processes.md");
    std::fs::write(&notes, note_with_progress("").replace('\n', "\r\n")).unwrap();
    collection.ok(&["import", notes.to_str().unwrap()]);
    collection.review("2026-11-28T12:00:00Z", "\n4\n");
    let exported = collection.dir.path().join("exported.md");
    collection.ok(&["export", "--format", "obsidian", "-o", exported.to_str().unwrap()]);
    let to_stdout = collection.ok(&["export", "--format", "obsidian"]);
    for written in [std::fs::read_to_string(&exported).unwrap(), to_stdout] {
        assert!(
            written.contains("Zero.\r\n<!--SR:!2026-11-29,1,250-->"),
            "{written:?}"
        );
        assert!(!written.contains('␍') && written.matches("\r\n").count() == written.matches('\n').count());
    }
}
