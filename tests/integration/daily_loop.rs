//! The first month of a student, through the real binary: their own notes before the example
//! deck, decks with limits of their own, read commands that never create anything, cards
//! that are never learnt, notes that do not give the answer away, plurals, lists, closed
//! pipes, completions, and thirty days of reviews.

use std::ffi::OsStr;
use std::io::Write;

use chrono::{Days, NaiveDate};
use serde_json::Value;

use crate::common::{Recall, write_notes};

/// Plain-text notes of a student's operating systems course.
const OS_NOTES: &str = "Operating Systems\nLecture 1 - Processes\nWhat is a process?\nA program in execution.\nWhat is a context switch?\nSaving one process's state and loading another's.\nWhat does fork return in the child?\nZero.\nLecture 2 - Threads\nWhat is a thread?\nA unit of execution inside a process.\nWhat do threads of a process share?\nIts address space and open files.\n";

/// Markdown notes of a student's databases course.
const DB_NOTES: &str = "# Databases\n\n## Lecture 1 - SQL\n\nWhat is a primary key?\nA column that identifies each row.\n\nWhat is a foreign key?\nA column that refers to another table's key.\n\nWhat does `GROUP BY` do?\nIt groups rows that share values, for aggregates.\n\n## Lecture 2 - Indexes\n\nWhat is an index?\nA structure that finds rows without a full scan.\n\nWhy not index every column?\nIndexes slow down writes and take space.\n";

/// The first run (the example deck), then the student's two notes files.
fn student(now: &str) -> Recall {
    let collection = Recall::new(now);
    collection
        .at(now)
        .args(["review", "--plain"])
        .write_stdin("q\n")
        .assert()
        .success();
    for (name, text) in [("os.txt", OS_NOTES), ("db.md", DB_NOTES)] {
        let notes = write_notes(collection.dir.path(), name, text);
        collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    }
    collection
}

/// The deck of each card a `--plain` session shows, in order (a card's `[i/n] DECK > SECTION`
/// line may follow the last prompt on its line).
fn decks_shown(review: &str) -> Vec<String> {
    let header = regex::Regex::new(r"\[\d+/\d+\] (.*?) > ").unwrap();
    header
        .captures_iter(review)
        .map(|found| found[1].to_string())
        .collect()
}

#[test]
fn the_students_own_new_cards_come_first_taking_turns() {
    let collection = student("2026-09-01");
    let review = collection.review("2026-09-01", &"\n5\n".repeat(20));
    let decks = decks_shown(&review);
    assert_eq!(decks.len(), 20);
    // The two courses take turns, then the example deck fills what is left of the limit.
    assert_eq!(
        &decks[..4],
        ["Operating Systems", "Databases", "Operating Systems", "Databases"]
    );
    let own = decks.iter().filter(|deck| !deck.starts_with("EECS498")).count();
    assert_eq!(own, 10, "{decks:?}");
    assert!(
        decks[10..].iter().all(|deck| deck.starts_with("EECS498")),
        "{decks:?}"
    );
    // The order within a deck is the order of the notes.
    let questions: Vec<&str> = review.lines().filter(|l| l.starts_with("Q: ")).collect();
    assert_eq!(questions[0], "Q: What is a process?");
    assert_eq!(questions[2], "Q: What is a context switch?");
}

#[test]
fn a_deck_can_take_fewer_new_cards_a_day() {
    let collection = student("2026-09-01");
    let said = collection.ok(&["deck", "set", "operating", "new-per-day", "2"]);
    assert_eq!(
        said,
        "deck \"Operating Systems\" now takes at most 2 new cards a day (within new_cards_per_day, 20)\n"
    );
    let decks = collection.ok(&["decks"]);
    let row = decks
        .lines()
        .find(|l| l.starts_with("Operating Systems"))
        .unwrap();
    assert!(row.ends_with("  2"), "{decks}");
    let json: Vec<Value> = serde_json::from_str(&collection.ok(&["decks", "--format", "json"])).unwrap();
    assert_eq!(json[1]["new_per_day"], 2);
    assert_eq!(json[0]["example"], true);
    // Two today, in one session or in two.
    let first = collection.review("2026-09-01", "\n5\n");
    assert_eq!(decks_shown(&first)[0], "Operating Systems");
    collection.review("2026-09-01", &"\n5\n".repeat(19));
    let cards = collection.cards();
    let learnt = |deck: &str| {
        cards
            .iter()
            .filter(|c| c["deck"] == deck && c["status"] == "review")
            .count()
    };
    assert_eq!(learnt("Operating Systems"), 2);
    assert_eq!(learnt("Databases"), 5);
    assert_eq!(learnt("EECS498 Computer Vision with Justin"), 13);
    // Back to the global limit alone; a bad value is refused.
    assert_eq!(
        collection.ok(&["deck", "set", "operating", "new-per-day", "default"]),
        "deck \"Operating Systems\" now follows new_cards_per_day alone\n"
    );
    let message = collection.refused(&["deck", "set", "operating", "new-per-day", "-3"]);
    assert!(message.contains("a whole number from 0 to 10000"), "{message}");
    // The deck keeps its limit through a re-import of its notes.
    collection.ok(&["deck", "set", "databases", "new-per-day", "1"]);
    let notes = collection.dir.path().join("db.md");
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let json: Vec<Value> = serde_json::from_str(&collection.ok(&["decks", "--format", "json"])).unwrap();
    assert_eq!(json[2]["new_per_day"], 1);
}

#[test]
fn reading_an_empty_directory_creates_nothing_and_says_how_to_start() {
    let collection = Recall::new("2026-09-01");
    let notes = write_notes(collection.dir.path(), "os.txt", OS_NOTES);
    for args in [
        vec!["due"],
        vec!["due", "--format", "json"],
        vec!["decks"],
        vec!["cards"],
        vec!["stats"],
        vec!["export"],
        vec!["card", "show", "abcdefgh"],
        vec!["card", "suspend", "abcdefgh"],
        vec!["deck", "rename", "a", "b"],
        vec!["deck", "list"],
    ] {
        let message = collection.refused(&args);
        assert!(
            message.contains("there is no collection in") && message.contains("`recall import NOTES`"),
            "{args:?}: {message}"
        );
    }
    collection.ok(&[OsStr::new("parse"), notes.as_os_str()]);
    let output = collection.at("2026-09-01").arg("config").output().unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("there is no collection in"));
    assert!(!collection.data().exists(), "a read created the data directory");
}

#[test]
fn a_card_failed_every_day_becomes_a_leech() {
    let collection = Recall::new("2026-09-01");
    let notes = write_notes(
        collection.dir.path(),
        "hard.txt",
        "Hard\nLecture 1 - Intro\nWhat is the hard one?\nA long answer nobody remembers.\nWhat is easy?\nThis.\n",
    );
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let start: NaiveDate = "2026-09-01".parse().unwrap();
    for n in 0..13 {
        let day = (start + Days::new(n)).to_string();
        // The hard card fails each day (and its re-drill passes); the easy one is learnt.
        let input = if n == 0 { "\n1\n\n5\n\n5\n" } else { "\n1\n\n5\n" };
        collection.review(&day, input);
    }
    let cards = collection.cards();
    let hard = cards
        .iter()
        .find(|c| c["question"] == "What is the hard one?")
        .unwrap();
    // Every failure but the very first review counts: 12 lapses, a leech since the 8th.
    assert_eq!(hard["lapses"], 12);
    assert_eq!(hard["leech"], true);
    let stats: Value =
        serde_json::from_str(&collection.ok_at("2026-09-13", &["stats", "--format", "json"])).unwrap();
    assert_eq!(stats["counts"]["leeches"], 1);
    assert_eq!(stats["hardest"][0]["question"], "What is the hard one?");
    assert_eq!(stats["hardest"][0]["lapses"], 12);
    assert_eq!(stats["sections"][0]["lapses"], 12);
    let text = collection.ok_at("2026-09-13", &["stats"]);
    assert!(
        text.contains("12 lapses  ease 1.30  What is the hard one?"),
        "{text}"
    );
}

#[test]
fn a_note_comes_only_with_the_answer() {
    let collection = Recall::new("2026-09-01");
    let notes = write_notes(
        collection.dir.path(),
        "os.txt",
        "OS\nWhat is the banker's algorithm used for? - deadlock avoidance\nChecking that granting a request leaves a safe state.\n",
    );
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let review = collection.review("2026-09-01", "\n5\n");
    let note = review
        .find("note: - deadlock avoidance")
        .expect("the note is shown");
    assert!(review.find("A: Checking").unwrap() < note, "{review}");
    // Before the reveal, the question alone.
    let question = collection.review("2026-09-02", "");
    assert!(
        question.contains("Q: What is the banker's algorithm used for?"),
        "{question}"
    );
    assert!(!question.contains("deadlock"), "{question}");
    // Exports put it on the back.
    let anki = collection.ok(&["export", "--format", "anki"]);
    let row = anki.lines().last().unwrap();
    let fields: Vec<&str> = row.split('\t').collect();
    assert!(
        !fields[1].contains("deadlock") && fields[2].contains("deadlock avoidance"),
        "{row}"
    );
}

#[test]
fn cards_are_listed_by_deck_and_line_with_retired_ones_on_request() {
    let collection = student("2026-09-01");
    let notes = collection.dir.path().join("os.txt");
    std::fs::write(
        &notes,
        OS_NOTES.replace("What is a thread?\nA unit of execution inside a process.\n", ""),
    )
    .unwrap();
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    let listing = collection.ok(&["cards", "--deck", "operating"]);
    let lines: Vec<&str> = listing.lines().collect();
    assert!(
        lines[0].contains("DECK") && lines[0].contains("SECTION"),
        "{listing}"
    );
    assert!(!listing.contains("What is a thread?"), "{listing}");
    assert!(lines[1].contains("Operating Systems") && lines[1].contains("Lecture 1 - Processes"));
    assert!(lines[1].ends_with("What is a process?"), "{listing}");
    assert!(listing.ends_with("\n4 cards\n"), "{listing}");
    let all = collection.ok(&["cards", "--deck", "operating", "--all"]);
    assert!(all.ends_with("\n5 cards\n") && all.contains("retired") && all.contains("What is a thread?"));
    // The decks in the order `recall decks` lists them, each card as in its notes.
    let everything = collection.ok(&["cards"]);
    let decks: Vec<&str> = everything
        .lines()
        .skip(1)
        .filter_map(|l| {
            ["EECS498", "Operating", "Databases"]
                .into_iter()
                .find(|d| l.contains(d))
        })
        .collect();
    let mut runs = decks.clone();
    runs.dedup();
    assert_eq!(runs, ["EECS498", "Operating", "Databases"]);
    let database_questions: Vec<&str> = everything
        .lines()
        .filter(|l| l.contains("Databases"))
        .map(|l| l.rsplit("  ").next().unwrap())
        .collect();
    assert_eq!(database_questions[0], "What is a primary key?");
    assert_eq!(database_questions[4], "Why not index every column?");
}

#[test]
fn every_command_ends_quietly_on_a_closed_pipe() {
    let collection = student("2026-09-01");
    collection.review("2026-09-01", &"\n3\n".repeat(25));
    let notes = collection.dir.path().join("os.txt");
    let id = collection.cards()[0]["id"].as_str().unwrap().to_string();
    let runs: Vec<Vec<&OsStr>> = vec![
        vec![OsStr::new("parse"), notes.as_os_str()],
        vec![
            OsStr::new("parse"),
            notes.as_os_str(),
            OsStr::new("--format"),
            OsStr::new("json"),
        ],
        vec![OsStr::new("import"), notes.as_os_str()],
        vec![OsStr::new("due")],
        vec![OsStr::new("decks")],
        vec![OsStr::new("deck"), OsStr::new("list")],
        vec![OsStr::new("cards")],
        vec![OsStr::new("cards"), OsStr::new("--format"), OsStr::new("json")],
        vec![OsStr::new("card"), OsStr::new("show"), OsStr::new(&id)],
        vec![OsStr::new("stats")],
        vec![OsStr::new("stats"), OsStr::new("--format"), OsStr::new("json")],
        vec![OsStr::new("stats"), OsStr::new("--format"), OsStr::new("csv")],
        vec![OsStr::new("export")],
        vec![OsStr::new("export"), OsStr::new("--format"), OsStr::new("csv")],
        vec![OsStr::new("export"), OsStr::new("--format"), OsStr::new("anki")],
        vec![OsStr::new("config")],
        vec![OsStr::new("completions"), OsStr::new("bash")],
        vec![OsStr::new("completions"), OsStr::new("zsh")],
        vec![OsStr::new("completions"), OsStr::new("fish")],
        vec![OsStr::new("--help")],
    ];
    let recall = assert_cmd::cargo::cargo_bin("recall");
    for args in runs {
        let mut child = std::process::Command::new(&recall)
            .args(&args)
            .env("RECALL_DIR", collection.data())
            .env("RECALL_NOW", "2026-09-02")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before the first byte is written.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.code() == Some(0) && !stderr.contains("panicked"),
            "{args:?}: {:?} {stderr}",
            output.status
        );
    }
    // The same for the review, whose input keeps coming.
    let mut child = std::process::Command::new(&recall)
        .args(["review", "--plain"])
        .env("RECALL_DIR", collection.data())
        .env("RECALL_NOW", "2026-09-02")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all("\n5\n".repeat(50).as_bytes());
    let output = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    assert_eq!(output.status.code(), Some(0));
}

/// Runs the completion protocol of `shell` for the command line `words` (the last one the
/// word being completed) and returns what `recall` offers.
fn complete(collection: &Recall, shell: &str, words: &[&str]) -> Vec<String> {
    let output = collection
        .at("2026-09-02")
        .env("COMPLETE", shell)
        .env("_CLAP_COMPLETE_INDEX", (words.len() - 1).to_string())
        .env("_CLAP_IFS", "\n")
        .arg("--")
        .args(words)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| line.split(['\t', ':']).next().unwrap().to_string())
        .filter(|value| !value.is_empty())
        .collect()
}

#[test]
fn shells_complete_deck_and_section_names_and_card_ids() {
    let collection = student("2026-09-01");
    for shell in ["bash", "zsh", "fish"] {
        let commands = complete(&collection, shell, &["recall", ""]);
        for command in [
            "review",
            "import",
            "stats",
            "export",
            "deck",
            "card",
            "config",
            "completions",
        ] {
            assert!(commands.contains(&command.to_string()), "{shell}: {commands:?}");
        }
        let deck_commands = complete(&collection, shell, &["recall", "deck", ""]);
        for command in ["rename", "remove", "suspend", "unsuspend", "set"] {
            assert!(
                deck_commands.contains(&command.to_string()),
                "{shell}: {deck_commands:?}"
            );
        }
        let decks = complete(&collection, shell, &["recall", "review", "--deck", ""]);
        assert!(
            decks.contains(&"Operating Systems".to_string()) && decks.contains(&"Databases".to_string()),
            "{shell}: {decks:?}"
        );
        let sections = complete(&collection, shell, &["recall", "stats", "--section", "lecture 2"]);
        assert!(
            sections.contains(&"Lecture 2 - Threads".to_string()),
            "{shell}: {sections:?}"
        );
        assert!(
            !sections.contains(&"Lecture 1 - Processes".to_string()),
            "{shell}: {sections:?}"
        );
        let id = collection.cards()[3]["id"].as_str().unwrap().to_string();
        let ids = complete(&collection, shell, &["recall", "card", "show", &id[..3]]);
        assert!(ids.contains(&id), "{shell}: {ids:?}");
        let renamed = complete(&collection, shell, &["recall", "deck", "rename", "data"]);
        assert_eq!(renamed, ["Databases"], "{shell}");
    }
    // Each shell's code names the program that answers.
    for shell in ["bash", "zsh", "fish"] {
        let script = collection.ok(&["completions", shell]);
        assert!(
            script.contains("COMPLETE=") || script.contains("COMPLETE\""),
            "{shell}: {script}"
        );
    }
}

#[test]
fn bash_itself_completes_a_deck_name() {
    let bash = std::process::Command::new("bash").arg("--version").output();
    if !bash.is_ok_and(|out| out.status.success()) {
        eprintln!("skipped: no bash on this machine");
        return;
    }
    let collection = student("2026-09-01");
    let recall = assert_cmd::cargo::cargo_bin("recall");
    let script = format!(
        "source <({recall} completions bash)\n\
         COMP_WORDS=(recall review --deck Dat)\nCOMP_CWORD=3\nCOMP_TYPE=9\n\
         _clap_complete_recall recall Dat --deck\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        recall = recall.display()
    );
    let output = std::process::Command::new("bash")
        .arg("-c")
        .arg(script)
        .env("RECALL_DIR", collection.data())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "Databases\n",
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A student's month: the first run, two courses of their own, a review every day (most
/// answers right, some wrong), an edit on day 10 and the statistics at the end.
#[test]
fn thirty_days_of_a_students_reviews() {
    let start: NaiveDate = "2026-09-01".parse().unwrap();
    let collection = student("2026-09-01T08:00:00+00:00");
    let mut answered = 0;
    for n in 0..30u64 {
        let day = start + Days::new(n);
        let now = format!("{day}T19:00:00+00:00");
        let due: Value = serde_json::from_str(&collection.ok_at(&now, &["due", "--format", "json"])).unwrap();
        let expected = due["reviews"].as_u64().unwrap()
            + due["new"].as_u64().unwrap()
            + due["redrills"].as_u64().unwrap();
        // Every fifth answer is wrong (and drilled again); the rest are good.
        let mut input = String::new();
        for k in 0..400 {
            input.push_str(if (n as usize + k).is_multiple_of(5) {
                "\n2\n"
            } else {
                "\n4\n"
            });
        }
        let review = collection.review(&now, &input);
        let shown = decks_shown(&review);
        assert!(
            shown.len() as u64 >= expected,
            "day {n}: {} shown, {expected} due",
            shown.len()
        );
        if n == 0 {
            // Day 1 already brings the student's own new cards, before the example deck's.
            assert!(
                shown[0] == "Operating Systems" && shown[1] == "Databases",
                "{shown:?}"
            );
        }
        answered += shown.len();
        let after: Value =
            serde_json::from_str(&collection.ok_at(&now, &["due", "--format", "json"])).unwrap();
        assert_eq!(after["reviews"], 0, "day {n}: reviews left after the session");
        assert_eq!(after["new"], 0, "day {n}: new cards left after the session");
        if n == 9 {
            let notes = collection.dir.path().join("os.txt");
            std::fs::write(
                &notes,
                OS_NOTES.replace(
                    "A program in execution.",
                    "A program in execution, with its own memory.",
                ),
            )
            .unwrap();
            let report = collection.ok_at(&now, &[OsStr::new("import"), notes.as_os_str()]);
            assert!(report.contains("1 updated"), "{report}");
        }
    }
    let cards = collection.cards();
    let own: Vec<&Value> = cards
        .iter()
        .filter(|c| c["deck"] != "EECS498 Computer Vision with Justin")
        .collect();
    assert_eq!(own.len(), 10);
    assert!(
        own.iter().all(|c| c["status"] == "review"),
        "every card of the student's own is learnt"
    );
    let stats: Value =
        serde_json::from_str(&collection.ok_at("2026-09-30T20:00:00+00:00", &["stats", "--format", "json"]))
            .unwrap();
    assert_eq!(stats["streak"]["current"], 30);
    let reviews: i64 = stats["daily"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["reviews"].as_i64().unwrap())
        .sum();
    assert_eq!(reviews as usize, answered);
}
