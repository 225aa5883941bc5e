//! Managing decks, cards and settings from the command line, refusals included.

use std::ffi::OsStr;

use crate::common::{MARKDOWN_NOTES, Recall, TEXT_NOTES, the_log, write_notes};
use assert_cmd::Command;
use serde_json::Value;

/// Two decks: "Computer Vision" (3 cards, reviewed) and "Databases" (1 card), plus
/// "Data Mining" (1 card) to make "data" ambiguous.
fn collection() -> Recall {
    let collection = Recall::new("2026-11-28");
    let dir = collection.dir.path();
    let cv = write_notes(dir, "cv.txt", TEXT_NOTES);
    let db = write_notes(dir, "db.md", MARKDOWN_NOTES);
    let mining = write_notes(
        dir,
        "mining.txt",
        "Data Mining\nLecture 1\nWhat is a frequent itemset?\nA set of items that often occur together.\n",
    );
    collection.ok(&[
        OsStr::new("import"),
        cv.as_os_str(),
        db.as_os_str(),
        mining.as_os_str(),
    ]);
    collection
        .at("2026-11-28")
        .args(["review", "--plain", "--deck", "vision"])
        .write_stdin("\n5\n\n4\n\n5\n")
        .assert()
        .success();
    collection
}

/// The device log's bytes: a change that was refused wrote no record.
fn records(collection: &Recall) -> Vec<u8> {
    std::fs::read(the_log(&collection.data())).unwrap()
}

#[test]
fn deck_list_is_the_decks_table() {
    let collection = collection();
    let list = collection.ok(&["deck", "list"]);
    assert_eq!(list, collection.ok(&["decks"]));
    assert!(list.starts_with("DECK                NEW  REVIEW     DUE  SUSPENDED  RETIRED  NEW/DAY\nComputer Vision       0       3       0          0        0        -\n"), "{list}");
    let json: Value = serde_json::from_str(&collection.ok(&["deck", "list", "--format", "json"])).unwrap();
    assert_eq!(json[1]["deck"], "Databases");
}

#[test]
fn deck_rename_follows_prefix_and_refuses_ambiguity() {
    let collection = collection();
    assert_eq!(
        collection.ok(&["deck", "rename", "comp", "CV 2026"]),
        "renamed deck \"Computer Vision\" to \"CV 2026\" (3 cards); to undo, `recall deck rename \"CV 2026\" \"Computer Vision\"`\n"
    );
    assert!(
        collection
            .cards()
            .iter()
            .filter(|c| c["deck"] == "CV 2026")
            .all(|c| c["status"] == "review")
    );
    let stats: Value =
        serde_json::from_str(&collection.ok(&["stats", "--format", "json", "--deck", "cv 2026"])).unwrap();
    assert_eq!(stats["today"]["reviews"], 3, "history follows the rename");
    let before = records(&collection);
    let ambiguous = collection.refused(&["deck", "rename", "data", "X"]);
    assert_eq!(
        ambiguous,
        "recall: \"data\" could mean \"Data Mining\", \"Databases\"; type more of the name\n"
    );
    let unknown = collection.refused(&["deck", "rename", "biology", "X"]);
    assert!(
        unknown.starts_with(
            "recall: no deck matches \"biology\"; choose one of \"CV 2026\", \"Data Mining\", \"Databases\""
        ),
        "{unknown}"
    );
    let taken = collection.refused(&["deck", "rename", "cv", "databases"]);
    assert_eq!(taken, "recall: a deck named \"databases\" exists already\n");
    assert_eq!(records(&collection), before);
}

#[test]
fn deck_remove_needs_yes_without_a_terminal_and_says_how_to_undo() {
    let collection = collection();
    let before = records(&collection);
    let refusal = collection.refused(&["deck", "remove", "databases"]);
    assert_eq!(
        refusal,
        "recall: remove deck \"Databases\" and its 1 card: not confirmed (no terminal to ask on); add --yes to go ahead\n"
    );
    assert_eq!(records(&collection), before);
    let reviewed = collection.review("2026-11-28", "\n5\n");
    assert!(reviewed.contains("What is a **join**?"), "{reviewed}");
    let db = collection.dir.path().join("db.md");
    let removed = collection.ok(&["deck", "remove", "databases", "--yes"]);
    assert_eq!(
        removed,
        format!(
            "removed deck \"Databases\" and its 1 card (their progress and reviews stay in the log); to undo, `recall import {}` brings them back with their progress\n",
            db.display()
        )
    );
    let in_use = |collection: &Recall| {
        collection
            .cards()
            .iter()
            .filter(|c| c["status"] != "retired")
            .count()
    };
    assert_eq!(in_use(&collection), 4);
    assert!(!collection.ok(&["decks"]).contains("Databases"));
    // The command it names brings the deck back, with the card's progress.
    let report = collection.ok(&[OsStr::new("import"), db.as_os_str()]);
    assert!(report.contains("1 restored"), "{report}");
    assert_eq!(in_use(&collection), 5);
    let join = collection
        .cards()
        .into_iter()
        .find(|c| c["deck"] == "Databases")
        .unwrap();
    assert_eq!(
        (join["status"].as_str(), join["repetitions"].as_u64()),
        (Some("review"), Some(1))
    );
}

#[test]
fn suspending_a_section_keeps_it_out_of_reviews_until_unsuspended_with_its_state() {
    let collection = collection();
    let before: Vec<Value> = collection.cards();
    assert_eq!(
        collection.ok(&["deck", "suspend", "computer", "--section", "lecture 1"]),
        "suspended 2 cards in section \"Lecture 1 - Introduction\" of deck \"Computer Vision\"; to undo, `recall deck unsuspend \"Computer Vision\" --section \"Lecture 1 - Introduction\"`\n"
    );
    // Five days on, only the Lecture 2 card of that deck is due.
    let output = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DIR", collection.dir.path().join("data"))
        .env("RECALL_NOW", "2026-12-05")
        .args(["review", "--plain", "--deck", "computer"])
        .write_stdin("")
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    assert!(
        out.starts_with("[1/1] Computer Vision > Lecture 2 - Image Classification\n"),
        "{out}"
    );
    assert_eq!(
        collection.ok(&["deck", "unsuspend", "computer"]),
        "unsuspended 2 cards in deck \"Computer Vision\"; to undo, `recall deck suspend \"Computer Vision\"`\n"
    );
    assert_eq!(collection.cards(), before);

    // Found in review: unsuspending a deck also brought back a card suspended on its own.
    let own = before[2]["id"].as_str().unwrap();
    collection.ok(&["card", "suspend", own]);
    assert_eq!(
        collection.ok(&["deck", "suspend", "computer"]),
        "suspended 2 cards in deck \"Computer Vision\"; to undo, `recall deck unsuspend \"Computer Vision\"`\n"
    );
    assert_eq!(
        collection.ok(&["deck", "unsuspend", "computer"]),
        format!(
            "unsuspended 2 cards in deck \"Computer Vision\"; 1 card suspended on its own stays suspended (`recall card unsuspend {own}`); to undo, `recall deck suspend \"Computer Vision\"`\n"
        )
    );
    let statuses: Vec<Value> = collection.cards().iter().map(|c| c["status"].clone()).collect();
    assert_eq!(statuses[..3], ["review", "review", "suspended"]);
    // A deck never suspended as a whole (or suspended before cards were marked): unsuspending
    // it brings back every suspended card.
    assert_eq!(
        collection.ok(&["deck", "unsuspend", "computer"]),
        "unsuspended 1 card in deck \"Computer Vision\"; to undo, `recall deck suspend \"Computer Vision\"`\n"
    );
    assert_eq!(collection.cards(), before);

    let ambiguous = collection.refused(&["deck", "suspend", "computer", "--section", "lecture"]);
    assert!(
        ambiguous.contains("could mean \"Lecture 1 - Introduction\", \"Lecture 2 - Image Classification\""),
        "{ambiguous}"
    );
    assert_eq!(
        collection.refused(&["deck", "suspend", "computer", "--section", "lecture 9"]),
        "recall: no section of \"Computer Vision\" matches \"lecture 9\"; choose one of \"Lecture 1 - Introduction\", \"Lecture 2 - Image Classification\"\n"
    );
}

#[test]
fn card_show_suspend_unsuspend_and_reset() {
    let collection = collection();
    let cards = collection.cards();
    let id = cards[0]["id"].as_str().unwrap();
    let show = collection.ok(&["card", "show", id]);
    assert!(
        show.starts_with(&format!(
            "Card {id}  Computer Vision › Lecture 1 - Introduction\nSource: "
        )),
        "{show}"
    );
    assert!(
        show.contains("cv.txt, line 3\nQ: How many images uploaded to Instagram daily?\nA: 1.3 billion.\n"),
        "{show}"
    );
    assert!(show.contains("State: review · repetitions 1 · ease 2.60 · interval 1 day · due 2026-11-29 · lapses 0 · last review 2026-11-28"), "{show}");
    assert!(show.contains("\n  DAY         KIND      GRADE  INTERVAL   EASE    TIME\n  2026-11-28  added         -         -      -       -\n  2026-11-28  review        5        1d   2.60      0s\n"), "{show}");

    let other = cards[1]["id"].as_str().unwrap();
    assert_eq!(
        collection.ok(&["card", "suspend", id, other]),
        format!("suspended 2 cards: {id} {other}\n")
    );
    assert_eq!(collection.cards()[0]["status"], "suspended");
    assert_eq!(
        collection.ok(&["card", "unsuspend", id]),
        format!("unsuspended 1 card: {id}\n")
    );
    assert_eq!(collection.cards()[0]["status"], "review");
    let unknown = collection.refused(&["card", "suspend", id, "nosuchid"]);
    assert_eq!(
        unknown,
        "recall: no card has the id nosuchid; `recall cards` lists them\n"
    );

    let refusal = collection.refused(&["card", "reset", id]);
    assert!(
        refusal.contains("reset 1 card to new (their review history is kept): not confirmed"),
        "{refusal}"
    );
    assert_eq!(
        collection.ok(&["card", "reset", id, "--yes"]),
        format!("reset 1 card to new; their review history is kept: {id}\n")
    );
    assert_eq!(collection.cards()[0]["status"], "new");
    // Every change is in the card's history: added, reviewed, suspended, unsuspended, reset.
    let show = collection.ok(&["card", "show", id]);
    assert!(show.contains("5 records in the log"), "{show}");
    assert!(
        show.contains("  2026-11-28  reset         -         -      -       -\n"),
        "{show}"
    );
}

#[test]
fn config_shows_sets_validates_and_resets() {
    let collection = collection();
    let show = collection.ok(&["config"]);
    // Every setting with its value, what it allows, its default and its meaning.
    let lines: Vec<Vec<&str>> = show
        .lines()
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        lines[0],
        ["SETTING", "VALUE", "ALLOWED", "DEFAULT", "MEANING"],
        "{show}"
    );
    assert_eq!(
        lines[1],
        [
            "new_cards_per_day",
            "20",
            "0 to 10000",
            "20",
            "new cards introduced per study day"
        ]
    );
    assert!(lines.contains(&vec![
        "leech_action",
        "flag",
        "flag | suspend",
        "flag",
        "what happens to a leech"
    ]));
    assert_eq!(lines.len(), 10);
    assert_eq!(
        collection.ok(&["config", "set", "new_cards_per_day", "35"]),
        "new_cards_per_day is now 35\n"
    );
    assert_eq!(
        collection.ok(&["config", "set", "leech_action", "suspend"]),
        "leech_action is now \"suspend\"\n"
    );
    let config = std::fs::read_to_string(collection.dir.path().join("data/config.json")).unwrap();
    assert!(
        config.contains("\"new_cards_per_day\": 35") && config.contains("\"leech_action\": \"suspend\""),
        "{config}"
    );
    let before = config.clone();
    assert_eq!(
        collection.refused(&["config", "set", "rollover_hour", "24"]),
        "recall: rollover_hour must be a whole number from 0 to 23, not 24\n"
    );
    assert_eq!(
        collection.refused(&["config", "set", "new_cards_per_day", "-1"]),
        "recall: new_cards_per_day must be a whole number from 0 to 10000, not \"-1\"\n"
    );
    assert_eq!(
        collection.refused(&["config", "set", "reviews_per_day", "lots"]),
        "recall: reviews_per_day must be a whole number from 0 to 100000, not \"lots\"\n"
    );
    assert_eq!(
        collection.refused(&["config", "set", "leech_action", "delete"]),
        "recall: leech_action must be \"flag\" or \"suspend\", not \"delete\"\n"
    );
    let unknown = collection.refused(&["config", "set", "new_cards", "5"]);
    assert!(unknown.starts_with("recall: unknown setting \"new_cards\"; the settings are new_cards_per_day, reviews_per_day, rollover_hour, leech_threshold, leech_action"), "{unknown}");
    assert_eq!(
        std::fs::read_to_string(collection.dir.path().join("data/config.json")).unwrap(),
        before
    );
    assert_eq!(
        collection.ok(&["config", "reset", "new_cards_per_day"]),
        "new_cards_per_day is back to its default, 20\n"
    );
    assert!(
        collection
            .ok(&["config"])
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("new_cards_per_day  20 ")
    );
}

#[test]
fn changing_commands_hold_the_lock() {
    let collection = collection();
    let mut holder = std::process::Command::new(assert_cmd::cargo::cargo_bin("recall"))
        .args(["review", "--plain"])
        .env("RECALL_DIR", collection.dir.path().join("data"))
        .env("RECALL_NOW", "2026-11-28")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(holder.stdout.as_mut().unwrap(), &mut first).unwrap();
    for args in [
        &["deck", "rename", "comp", "X"][..],
        &["deck", "suspend", "comp"],
        &["card", "reset", "x", "--yes"],
        &["config", "set", "new_cards_per_day", "5"],
    ] {
        let refusal = collection.refused(args);
        assert!(
            refusal.starts_with("recall: collection is in use by process"),
            "{args:?}: {refusal}"
        );
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
}

#[test]
fn a_rename_keeps_history_not_yet_in_the_caches() {
    let collection = Recall::new("2026-11-28");
    let cv = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    let caches: Vec<(std::path::PathBuf, Vec<u8>)> = ["collection.json", "progress.json", "history.json"]
        .iter()
        .map(|name| {
            let path = collection.data().join(name);
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    collection.review("2026-11-28", "\n5\n\n4\n\n5\n");
    // Put back the caches from before the review: the reviews are only in the log.
    for (path, bytes) in caches {
        std::fs::write(path, bytes).unwrap();
    }
    collection.ok(&["deck", "rename", "computer", "CV"]);
    let stats: Value =
        serde_json::from_str(&collection.ok(&["stats", "--format", "json", "--deck", "cv"])).unwrap();
    assert_eq!(stats["today"]["reviews"], 3);
    assert_eq!(
        stats["daily"][364]["reviews"], 3,
        "the day's reviews moved with the deck"
    );
}

#[test]
fn config_set_repairs_a_broken_config_file() {
    let collection = collection();
    let config = collection.data().join("config.json");
    std::fs::write(&config, "{ \"new_cards_per_day\": 20,, }").unwrap();
    let listing = collection.refused(&["config"]);
    assert!(
        listing.contains("config.json:1:") && listing.contains("not valid JSON"),
        "{listing}"
    );
    // This refused too, leaving no way to fix the file from the command line.
    let output = collection
        .at("2026-11-28")
        .args(["config", "set", "new_cards_per_day", "12"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("repaired (dropped everything (not valid JSON)), the old file is "),
        "{stderr}"
    );
    assert!(collection.data().join("config.json.broken").exists());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "new_cards_per_day is now 12\n"
    );
    assert!(
        collection
            .ok(&["config"])
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("new_cards_per_day  12 ")
    );

    // One bad value: the other settings are kept.
    std::fs::write(&config, r#"{"rollover_hour": 3, "reviews_per_day": "lots"}"#).unwrap();
    let output = collection
        .at("2026-11-28")
        .args(["config", "set", "leech_threshold", "6"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("repaired (dropped reviews_per_day)")
    );
    let listing = collection.ok(&["config"]);
    assert!(
        listing.contains("\nrollover_hour      3 ")
            && listing.contains("\nleech_threshold    6 ")
            && listing.contains("\nreviews_per_day    200 "),
        "{listing}"
    );
}

/// Found in review: a card that left the notes while its deck was suspended came back
/// suspended after the deck had been unsuspended.
#[test]
fn a_card_retired_while_its_deck_was_suspended_follows_the_deck() {
    let collection = collection();
    let dir = collection.dir.path();
    let first_question = "How many images uploaded to Instagram daily?\n1.3 billion.\n";
    collection.ok(&["deck", "suspend", "computer"]);
    let cv = write_notes(dir, "cv.txt", &TEXT_NOTES.replace(first_question, ""));
    collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    collection.ok(&["deck", "unsuspend", "computer"]);
    let cv = write_notes(dir, "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    let statuses: Vec<Value> = collection.cards().iter().map(|c| c["status"].clone()).collect();
    assert_eq!(statuses[..3], ["review", "review", "review"]);

    // And one retired before the deck was suspended comes back suspended with it.
    let cv = write_notes(dir, "cv.txt", &TEXT_NOTES.replace(first_question, ""));
    collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    collection.ok(&["deck", "suspend", "computer"]);
    let cv = write_notes(dir, "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    assert_eq!(collection.cards()[0]["status"], "suspended");
    assert_eq!(
        collection.ok(&["deck", "unsuspend", "computer"]),
        "unsuspended 3 cards in deck \"Computer Vision\"; to undo, `recall deck suspend \"Computer Vision\"`\n"
    );
}

/// Found in review: a suspended card whose question left the notes came back active.
#[test]
fn a_suspended_card_retired_and_brought_back_stays_suspended() {
    let collection = collection();
    let dir = collection.dir.path();
    let id = collection.cards()[0]["id"].as_str().unwrap().to_string();
    collection.ok(&["card", "suspend", &id]);
    let first_question = "How many images uploaded to Instagram daily?\n1.3 billion.\n";
    let cv = write_notes(dir, "cv.txt", &TEXT_NOTES.replace(first_question, ""));
    let report = collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    assert!(report.contains("1 retired"), "{report}");
    assert_eq!(collection.cards()[0]["status"], "retired");

    let cv = write_notes(dir, "cv.txt", TEXT_NOTES);
    let report = collection.ok(&[OsStr::new("import"), cv.as_os_str()]);
    assert!(report.contains("1 restored"), "{report}");
    let card = &collection.cards()[0];
    assert_eq!(
        (card["id"].as_str(), card["status"].as_str()),
        (Some(id.as_str()), Some("suspended"))
    );
    assert_eq!(card["repetitions"], 1);
}
