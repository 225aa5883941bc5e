//! `recall stats` and `recall export` through the real binary on a collection reviewed over
//! several days, and the round trip through a JSON export.

use std::ffi::OsStr;

use crate::common::{MARKDOWN_NOTES, Recall, TEXT_NOTES, write_notes};
use assert_cmd::Command;
use serde_json::{Value, json};

/// Three cards learnt on 11-20, reviewed again on 11-21 (one failed and re-drilled); the
/// clock then stands at 11-21 20:00.
fn reviewed() -> Recall {
    let collection = Recall::new("2026-11-21T20:00:00+00:00");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection
        .at("2026-11-20")
        .arg("import")
        .arg(notes)
        .assert()
        .success();
    collection.review("2026-11-20T10:00:00+00:00", "\n5\n\n4\n\n5\n");
    collection.review("2026-11-21T10:00:00+00:00", "\n2\n\n5\n\n4\n\n4\n");
    collection
}

/// `recall stats --format json` with `extra` arguments.
fn stats(collection: &Recall, extra: &[&str]) -> Value {
    let mut args = vec!["stats", "--format", "json"];
    args.extend(extra);
    serde_json::from_str(&collection.ok(&args)).unwrap()
}

#[test]
fn stats_json_has_every_key_and_the_right_numbers() {
    let collection = reviewed();
    let stats = stats(&collection, &[]);
    let keys: Vec<&str> = stats.as_object().unwrap().keys().map(String::as_str).collect();
    for key in [
        "generated_at",
        "today",
        "counts",
        "retention",
        "streak",
        "forecast",
        "daily",
        "sections",
        "hardest",
    ] {
        assert!(keys.contains(&key), "{key} missing from {keys:?}");
    }
    assert_eq!(stats["generated_at"], "2026-11-21T20:00:00Z");
    assert_eq!(
        stats["today"],
        json!({"date": "2026-11-21", "cards_reviewed": 3, "reviews": 4, "seconds": 0, "new_learnt": 0,
               "redrills": 1, "percent_correct": 75.0})
    );
    assert_eq!(
        stats["counts"],
        json!({"total": 3, "new": 0, "learning": 1, "young": 2, "mature": 0, "suspended": 0, "leeches": 0})
    );
    assert_eq!(
        stats["retention"]["today"]["young"],
        json!({"passed": 2, "failed": 1, "rate": 66.7})
    );
    assert_eq!(
        stats["retention"]["today"]["mature"],
        json!({"passed": 0, "failed": 0, "rate": null})
    );
    assert_eq!(stats["retention"]["yesterday"]["total"]["rate"], Value::Null);
    assert_eq!(stats["streak"], json!({"current": 2, "longest": 2}));
    let forecast = stats["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 30);
    assert_eq!(forecast[0], json!({"date": "2026-11-21", "due": 0}));
    assert_eq!(forecast[1], json!({"date": "2026-11-22", "due": 1}));
    let daily = stats["daily"].as_array().unwrap();
    assert_eq!(daily.len(), 365);
    assert_eq!(
        daily[363],
        json!({"date": "2026-11-20", "reviews": 3, "correct": 3, "seconds": 0, "new": 3})
    );
    assert_eq!(
        daily[364],
        json!({"date": "2026-11-21", "reviews": 4, "correct": 3, "seconds": 0, "new": 0})
    );
    assert_eq!(stats["sections"][0]["section"], "Lecture 1 - Introduction");
    assert_eq!(stats["sections"][0]["cards"], 2);
    assert_eq!(stats["sections"][0]["lapses"], 1);
    assert_eq!(
        stats["hardest"][0]["question"],
        "What are 3 factors behind the rise of computer vision?"
    );
    assert_eq!(stats["hardest"][0]["lapses"], 1);
}

#[test]
fn stats_filters_by_deck_and_section() {
    let collection = reviewed();
    let lecture_2 = stats(&collection, &["--section", "lecture 2"]);
    assert_eq!(lecture_2["counts"]["total"], 1);
    assert_eq!(lecture_2["today"]["reviews"], 1);
    assert_eq!(lecture_2["daily"][363]["reviews"], 1);
    assert_eq!(
        collection.refused(&["stats", "--deck", "biology"]),
        "recall: no deck matches \"biology\"; choose one of \"Computer Vision\"\n"
    );
    let deck = stats(&collection, &["--deck", "VISION"]);
    assert_eq!(deck["daily"][364]["reviews"], 4);
}

/// Found in review: after `deck remove`, today's reviews read 0 while the daily history of
/// the same day kept them.
#[test]
fn a_removed_decks_reviews_count_the_same_today_and_in_the_history() {
    let collection = reviewed();
    collection.ok(&["deck", "remove", "computer", "--yes"]);
    let stats = stats(&collection, &[]);
    let today = stats["daily"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(today["date"], "2026-11-21");
    assert_eq!(today["reviews"], 4);
    assert_eq!(stats["today"]["reviews"], today["reviews"], "{stats:#}");
    assert_eq!(stats["counts"]["new"], 0);
}

#[test]
fn stats_csv_and_text() {
    let collection = reviewed();
    let csv = collection.ok(&[OsStr::new("stats"), OsStr::new("--format"), OsStr::new("csv")]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "date,reviews,correct,seconds,new");
    assert_eq!(lines.len(), 366);
    assert_eq!(lines[364], "2026-11-20,3,3,0,3");
    assert_eq!(lines[365], "2026-11-21,4,3,0,0");
    let text = collection.ok(&[OsStr::new("stats")]);
    assert!(
        text.starts_with("Today (2026-11-21): 4 reviews of 3 cards in 0s, 0 new, 1 re-drill, 75% correct\n"),
        "{text}"
    );
    assert!(text.contains("Streak: 2 days (longest 2)"));
    assert!(
        text.contains("  today          66.7% (2/3)            -                      66.7% (2/3)\n"),
        "{text}"
    );
    assert!(
        text.contains("  Sun 11-22 ███████████████                1\n"),
        "{text}"
    );
    assert!(
        text.contains("  Fri 11-27 ██████████████████████████████ 2\n"),
        "{text}"
    );
    // The ease and interval distributions, as bars.
    assert!(
        text.contains("  2.10-2.39 ███████████████                1\n  2.40-2.59                                0\n  2.60-2.89 ██████████████████████████████ 2\n"),
        "{text}"
    );
    assert!(
        text.contains("\nCards in review by interval\n  1 day       ███████████████                1\n  2-3 days                                   0\n  4-7 days    ██████████████████████████████ 2\n"),
        "{text}"
    );
}

#[test]
fn stats_survive_caches_behind_the_log_or_lost() {
    // Reviews logged after the caches were written (a killed session) count all the same.
    let collection = Recall::new("2026-11-21T20:00:00+00:00");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection
        .at("2026-11-20")
        .arg("import")
        .arg(notes)
        .assert()
        .success();
    let caches: Vec<(std::path::PathBuf, Vec<u8>)> = ["collection.json", "progress.json", "history.json"]
        .iter()
        .map(|name| {
            let path = collection.data().join(name);
            let bytes = std::fs::read(&path).unwrap();
            (path, bytes)
        })
        .collect();
    collection.review("2026-11-20T10:00:00+00:00", "\n5\n\n4\n\n5\n");
    collection.review("2026-11-21T10:00:00+00:00", "\n2\n\n5\n\n4\n\n4\n");
    let before = stats(&collection, &[]);
    for (path, bytes) in &caches {
        std::fs::write(path, bytes).unwrap();
    }
    let behind = stats(&collection, &[]);
    for (path, _) in &caches {
        std::fs::remove_file(path).unwrap();
    }
    let lost = stats(&collection, &[]);
    for after in [behind, lost] {
        assert_eq!(after["daily"], before["daily"]);
        assert_eq!(after["retention"], before["retention"]);
        assert_eq!(after["counts"], before["counts"]);
    }
}

#[test]
fn json_export_then_restore_keeps_every_card_state_and_review() {
    let collection = reviewed();
    // A suspended section travels too: the restored deck can be unsuspended.
    collection.ok(&["deck", "suspend", "computer", "--section", "lecture 2"]);
    let now = "2026-11-21T20:00:00+00:00";
    let export = collection.dir.path().join("export.json");
    collection.ok(&[OsStr::new("export"), OsStr::new("-o"), export.as_os_str()]);
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&export).unwrap()).unwrap();
    assert_eq!(json["format"], "recall-export");
    assert_eq!(json["reviews"].as_array().unwrap().len(), 7);
    let cards = collection.ok(&[OsStr::new("cards"), OsStr::new("--format"), OsStr::new("json")]);
    let cards: Value = serde_json::from_str(&cards).unwrap();
    for (exported, listed) in json["cards"]
        .as_array()
        .unwrap()
        .iter()
        .zip(cards.as_array().unwrap())
    {
        // FSRS's view of a card is for the listing; the export keeps what rebuilds it.
        for (key, value) in listed.as_object().unwrap() {
            if !["stability", "difficulty", "retrievability"].contains(&key.as_str()) {
                assert_eq!(&exported[key], value, "{key}");
            }
        }
    }

    let elsewhere = tempfile::tempdir().unwrap();
    let restore = |dir: &std::path::Path| {
        Command::cargo_bin("recall")
            .unwrap()
            .env("RECALL_DIR", dir)
            .env("RECALL_NOW", now)
            .arg("import")
            .arg(&export)
            .output()
            .unwrap()
    };
    let output = restore(elsewhere.path());
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("restored 1 deck, 3 cards and 7 reviews")
    );
    let restored = |args: &[&str]| {
        let output = Command::cargo_bin("recall")
            .unwrap()
            .env("RECALL_DIR", elsewhere.path())
            .env("RECALL_NOW", now)
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    assert_eq!(restored(&["cards", "--format", "json"]), cards);
    assert_eq!(cards[2]["suspended_with_deck"], true);
    let mut original = stats(&collection, &[]);
    let mut copy = restored(&["stats", "--format", "json"]);
    original.as_object_mut().unwrap().remove("generated_at");
    copy.as_object_mut().unwrap().remove("generated_at");
    assert_eq!(copy, original);
    // The reviews are the same records, in the same order.
    let reviews = |data: &std::path::Path| -> Vec<Value> {
        crate::common::all_records(data)
            .into_iter()
            .filter(|r| r["grade"].is_number())
            .map(|mut r| {
                // Ids and ordering times are the log's own; the rest is the review.
                r.as_object_mut().unwrap().remove("id");
                r.as_object_mut().unwrap().remove("follows");
                r
            })
            .collect()
    };
    assert_eq!(reviews(elsewhere.path()), reviews(&collection.data()));
    let unsuspended = Command::cargo_bin("recall")
        .unwrap()
        .env("RECALL_DIR", elsewhere.path())
        .env("RECALL_NOW", now)
        .args(["deck", "unsuspend", "computer"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(unsuspended.stdout).unwrap(),
        "unsuspended 1 card in deck \"Computer Vision\"; to undo, `recall deck suspend \"Computer Vision\"`\n"
    );
    // Restoring into a collection that has cards is refused and changes nothing.
    let output = restore(&collection.data());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8(output.stderr)
            .unwrap()
            .contains("can only be restored into an empty collection")
    );
}

#[test]
fn csv_export_has_one_quoted_row_per_card() {
    let collection = reviewed();
    let notes = write_notes(
        collection.dir.path(),
        "q.txt",
        "Quotes\nWhat is \"quoted\", really?\nLine one, with comma\nLine \"two\"\n",
    );
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let csv = collection.ok(&[OsStr::new("export"), OsStr::new("--format"), OsStr::new("csv")]);
    assert!(csv.starts_with("id,deck,section,question,answer,note,line,status,repetitions,ease,interval,due,lapses,leech,last_review,added\n"));
    assert!(csv.contains(",Computer Vision,Lecture 2 - Image Classification,What is nearest neighbour classification?,Compare a test image with every training image and take the closest label.,,10,review,2,2.60,6,2026-11-27,0,false,2026-11-21,2026-11-20\n"), "{csv}");
    assert!(csv.contains(",Quotes,,\"What is \"\"quoted\"\", really?\",\"Line one, with comma\nLine \"\"two\"\"\",,2,new,0,2.50,0,,0,false,,2026-11-21\n"), "{csv}");
    assert!(csv.contains(",\"Better data + storage.\nBetter processing power.\nLots of data.\","));
}

/// Reads an Anki "Notes in Plain Text" file as Anki does: headers, then tab-separated fields
/// where a field in quotes may hold tabs, quotes (doubled) and line breaks.
fn anki_rows(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers = Vec::new();
    let mut rest = text;
    while rest.starts_with('#') {
        let (line, tail) = rest.split_once('\n').unwrap();
        headers.push(line.to_string());
        rest = tail;
    }
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut chars = rest.chars().peekable();
    let mut quoted = false;
    let mut start = true;
    while let Some(c) = chars.next() {
        match c {
            '"' if start => quoted = true,
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            '"' if quoted => quoted = false,
            '\t' if !quoted => {
                row.push(std::mem::take(&mut field));
                start = true;
                continue;
            }
            '\n' if !quoted => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
                start = true;
                continue;
            }
            c => field.push(c),
        }
        start = false;
    }
    (headers, rows)
}

#[test]
fn anki_export_follows_anki_rules_and_reimports() {
    let collection = reviewed();
    let md = write_notes(collection.dir.path(), "db.md", MARKDOWN_NOTES);
    collection.ok(&[OsStr::new("import"), md.as_os_str()]);
    let odd = write_notes(
        collection.dir.path(),
        "odd.txt",
        "Odd\n#hash question?\nA <tag> & \"quote\"\n",
    );
    collection.ok(&[OsStr::new("import"), odd.as_os_str()]);
    let anki = collection.ok(&[OsStr::new("export"), OsStr::new("--format"), OsStr::new("anki")]);
    let (headers, rows) = anki_rows(&anki);
    assert_eq!(
        headers,
        [
            "#separator:tab",
            "#html:true",
            "#notetype:Basic",
            "#guid column:1",
            "#deck column:4",
            "#tags column:5"
        ]
    );
    assert_eq!(rows.len(), 5);
    assert!(rows.iter().all(|row| row.len() == 5), "{rows:?}");
    let cards: Value = serde_json::from_str(&collection.ok(&[
        OsStr::new("cards"),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]))
    .unwrap();
    let ids: Vec<&str> = cards
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(),
        ids,
        "the guid column holds the card id"
    );
    assert_eq!(
        rows[1][2],
        "Better data + storage.<br>Better processing power.<br>Lots of data."
    );
    assert_eq!(rows[0][3], "Computer Vision::Lecture 1 - Introduction");
    assert_eq!(rows[0][4], "recall");
    assert!(
        rows[3][1].starts_with("<h3>What is a <strong>join</strong>?")
            || rows[3][1].contains("<strong>join</strong>"),
        "{:?}",
        rows[3]
    );
    assert!(rows[3][2].contains("<code>a.id = b.a_id</code>") && rows[3][2].contains("<li>inner join</li>"));
    // A question starting with '#' is quoted; HTML special characters are escaped.
    assert!(anki.contains("\t\"#hash question?\"\t"), "{anki}");
    assert!(
        rows[4][2].contains("A &lt;tag&gt; &amp; &quot;quote&quot;"),
        "{:?}",
        rows[4]
    );

    // recall reads Anki's format back: front and back, the deck column as the section.
    let file = write_notes(collection.dir.path(), "anki.txt", &anki);
    let parsed: Value = serde_json::from_str(&collection.ok(&[
        OsStr::new("parse"),
        file.as_os_str(),
        OsStr::new("--format"),
        OsStr::new("json"),
    ]))
    .unwrap();
    assert_eq!(parsed["cards"].as_array().unwrap().len(), 5);
    assert_eq!(
        parsed["cards"][1]["answer"],
        "Better data + storage.\nBetter processing power.\nLots of data."
    );
    assert_eq!(
        parsed["cards"][1]["section"],
        "Computer Vision::Lecture 1 - Introduction"
    );
    assert_eq!(parsed["cards"][4]["question"], "#hash question?");
}

#[test]
fn a_closed_pipe_ends_export_quietly() {
    let collection = reviewed();
    let notes: String = (0..3000)
        .map(|n| format!("Question {n}?\nAnswer {n}.\n"))
        .collect();
    let file = write_notes(collection.dir.path(), "many.txt", &format!("Many\n{notes}"));
    collection.ok(&[OsStr::new("import"), file.as_os_str()]);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("recall"))
        .args(["export", "--format", "csv"])
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-11-21")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_failed_restore_can_be_tried_again_and_ids_continue() {
    let collection = reviewed();
    let export = collection.dir.path().join("export.json");
    collection.ok(&[OsStr::new("export"), OsStr::new("-o"), export.as_os_str()]);
    let text = std::fs::read_to_string(&export).unwrap();
    // More than a megabyte of reviews, so some reach the log before the text breaks off.
    let card: Value = serde_json::from_str::<Value>(&text).unwrap()["cards"][0]["id"].clone();
    let filler: String = (100..30_000)
        .map(|id| format!(",\n    {{\"id\":{id},\"card\":{card},\"at\":\"2026-11-21T12:00:00Z\",\"day\":\"2026-11-21\",\"kind\":\"bury\"}}"))
        .collect();
    let end = text.rfind("\n  ]").unwrap();
    let broken = collection.dir.path().join("broken.json");
    std::fs::write(&broken, format!("{}{filler}\n  ]", &text[..end])).unwrap();
    let elsewhere = Recall::new("2026-11-21T20:00:00+00:00");
    let output = elsewhere
        .at(&elsewhere.now)
        .arg("import")
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(
        message.contains("broken.json:") && message.contains("EOF while parsing"),
        "{message}"
    );
    // Before, the half-written log made every retry "not empty".
    elsewhere.ok(&[OsStr::new("import"), export.as_os_str()]);
    assert_eq!(elsewhere.log().len(), 7);
    // New cards after a restore get ids the collection never had.
    let more = write_notes(collection.dir.path(), "more.txt", "More\nWhat is new?\nThis.\n");
    elsewhere.ok(&[OsStr::new("import"), more.as_os_str()]);
    let ids: std::collections::HashSet<String> = elsewhere
        .cards()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 4);
}

#[test]
fn the_anki_export_names_image_files_and_says_which_to_copy_into_anki() {
    let collection = Recall::new("2026-11-28");
    let folder = collection.dir.path().join("notes");
    std::fs::create_dir_all(folder.join("figs")).unwrap();
    std::fs::write(folder.join("figs/cell.png"), b"png").unwrap();
    std::fs::write(folder.join("my pic.png"), b"png").unwrap();
    let notes = write_notes(
        &folder,
        "bio.md",
        "# Biology\n\n## Cells\n\nWhat does ![](figs/cell.png) show?\n\n![a plant cell](figs/cell.png) ![](my%20pic.png) ![](gone.png) ![](https://x.org/web.png)\n",
    );
    let output = collection
        .at("2026-11-28")
        .args([OsStr::new("import"), notes.as_os_str()])
        .output()
        .unwrap();
    assert!(output.status.success());
    let output = collection
        .at("2026-11-28")
        .args(["export", "--format", "anki"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let anki = String::from_utf8(output.stdout).unwrap();
    let (_, rows) = anki_rows(&anki);
    assert_eq!(
        rows[0][1],
        r#"<p>What does <img src="cell.png" alt="" /> show?</p>"#
    );
    assert_eq!(
        rows[0][2],
        r#"<p><img src="cell.png" alt="a plant cell" /> <img src="my%20pic.png" alt="" /> <img src="gone.png" alt="" /> <img src="https://x.org/web.png" alt="" /></p>"#
    );
    // Each local file once, where it is on this machine; the web image needs no copy.
    let stderr = String::from_utf8(output.stderr).unwrap();
    let folder = std::fs::canonicalize(&folder).unwrap();
    assert_eq!(
        stderr,
        format!(
            "recall: the cards show 3 images; copy them into Anki's media folder (collection.media) before importing:\n  {}\n  {}\n  {} (not found)\n",
            folder.join("figs/cell.png").display(),
            folder.join("my pic.png").display(),
            folder.join("gone.png").display()
        )
    );
}
