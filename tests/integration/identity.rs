//! Identity across a semester of edits, through the real binary: apostrophe fixes and
//! spelled-out contractions keep a card, negations make a new one, questions move between
//! notes files in either order, decks follow their notes' title, an unchanged import writes
//! nothing, and text outside any card is reported.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::{Recall, write_notes};
use serde_json::Value;

const NOW: &str = "2026-09-01T12:00:00+00:00";

/// The card with exactly this question that is not retired.
fn card<'a>(cards: &'a [Value], question: &str) -> &'a Value {
    cards
        .iter()
        .find(|c| c["question"] == question && c["status"] != "retired")
        .unwrap_or_else(|| panic!("no card {question:?} in {cards:#?}"))
}

/// What a card has learnt, with its id.
fn progress(card: &Value) -> [Value; 6] {
    ["id", "repetitions", "interval", "ease", "due", "last_review"].map(|key| card[key].clone())
}

/// Notes titled `title`, one section, a card per question. Each answer names the question's
/// last word, so it stays the same through edits elsewhere in the question.
fn notes(title: &str, questions: &[&str]) -> String {
    let mut text = format!("{title}\nLecture 3 - Processes\n");
    for question in questions {
        let last = question
            .trim_end_matches('?')
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        text.push_str(&format!("{question}\nAll about {last}.\n"));
    }
    text
}

/// Grades every due card 5 (then 4 for the repeats of the day).
fn review_all(collection: &Recall) {
    collection.review(NOW, &"\n5\n".repeat(40));
}

/// Every file of a directory, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("lock") {
                // Holds the process id of the last command to take it.
                continue;
            } else if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(path.display().to_string(), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

#[test]
fn apostrophe_fixes_and_spelled_out_contractions_keep_progress() {
    let collection = Recall::new(NOW);
    let edits = [
        (
            "Why doesnt a pipe block forever?",
            "Why doesn't a pipe block forever?",
        ),
        ("Why wont a zombie go away?", "Why won't a zombie go away?"),
        (
            "Why shouldnt a handler call printf?",
            "Why shouldn’t a handler call printf?",
        ),
        (
            "Why cant a thread kill another?",
            "Why can't a thread kill another?",
        ),
        ("Why dont signals queue?", "Why don't signals queue?"),
        ("Why isnt fork cheap?", "Why isn't fork cheap?"),
        ("Whats a process group?", "What's a process group?"),
        ("Why can't init exit?", "Why cannot init exit?"),
        ("Why doesn't exec return?", "Why does not exec return?"),
        ("What is the kernel's job?", "What is the kernels job?"),
    ];
    let (before, after): (Vec<&str>, Vec<&str>) = edits.iter().copied().unzip();
    let file = write_notes(
        collection.dir.path(),
        "os.txt",
        &notes("Operating Systems", &before),
    );
    collection.ok(&["import", file.to_str().unwrap()]);
    review_all(&collection);
    let reviewed = collection.cards();

    std::fs::write(&file, notes("Operating Systems", &after)).unwrap();
    let report = collection.ok(&["import", file.to_str().unwrap()]);
    assert!(
        report.contains(": 0 new, 0 updated, 0 renamed, 0 moved, 0 retired, 0 restored, 10 unchanged"),
        "{report}"
    );
    let cards = collection.cards();
    assert_eq!(cards.len(), edits.len(), "{cards:#?}");
    for (old, new) in edits {
        let was = card(&reviewed, old);
        assert_eq!(was["repetitions"], 1, "{was}");
        assert_eq!(progress(card(&cards, new)), progress(was), "{old} -> {new}");
    }
}

#[test]
fn adding_or_removing_a_negation_makes_a_new_card() {
    let collection = Recall::new(NOW);
    let edits = [
        (
            "Why does a child process inherit open files?",
            "Why doesn't a child process inherit open files?",
        ),
        ("Is a thread a process?", "Is a thread not a process?"),
        ("Which pages are ever evicted?", "Which pages are never evicted?"),
        (
            "Is there a free lunch in scheduling?",
            "Is there no free lunch in scheduling?",
        ),
        (
            "Why can't a signal handler block?",
            "Why can a signal handler block?",
        ),
        ("Why does not the parent wait?", "Why does the parent wait?"),
    ];
    let (before, after): (Vec<&str>, Vec<&str>) = edits.iter().copied().unzip();
    let file = write_notes(
        collection.dir.path(),
        "os.txt",
        &notes("Operating Systems", &before),
    );
    collection.ok(&["import", file.to_str().unwrap()]);
    review_all(&collection);
    let reviewed = collection.cards();

    std::fs::write(&file, notes("Operating Systems", &after)).unwrap();
    let report = collection.ok(&["import", file.to_str().unwrap()]);
    assert!(
        report.contains(": 6 new, 0 updated, 0 renamed, 0 moved, 6 retired, 0 restored, 0 unchanged"),
        "{report}"
    );
    let cards = collection.cards();
    for (old, new) in edits {
        let was = card(&reviewed, old);
        let now = card(&cards, new);
        assert_ne!(now["id"], was["id"], "{old} -> {new}");
        assert_eq!(now["status"], "new");
        let retired = cards.iter().find(|c| c["id"] == was["id"]).unwrap();
        assert_eq!(retired["status"], "retired");
    }
}

/// A reviewed collection of `week3.txt` with four questions, and their progress.
fn week3(collection: &Recall) -> (std::path::PathBuf, Vec<Value>) {
    let file = write_notes(
        collection.dir.path(),
        "week3.txt",
        &notes(
            "OS Week 3",
            &[
                "What is a mutex?",
                "What is a race condition?",
                "What is a spin lock?",
                "What is a condition variable?",
            ],
        ),
    );
    collection.ok(&["import", file.to_str().unwrap()]);
    review_all(collection);
    (file, collection.cards())
}

#[test]
fn a_file_split_in_two_keeps_every_cards_progress_in_one_import() {
    let collection = Recall::new(NOW);
    let (week3, before) = week3(&collection);
    let dir = collection.dir.path();
    // week3.txt keeps the mutex; the rest goes to two new files, one question reworded.
    std::fs::write(&week3, notes("OS Week 3", &["What is a mutex?"])).unwrap();
    let threads = write_notes(
        dir,
        "week3-threads.txt",
        &notes("OS Threads", &["What is a race condition?"]),
    );
    let locks = write_notes(
        dir,
        "week3-locks.txt",
        "OS Locks\nLecture 3b - Locks\nWhat is a busy spin lock?\nAll about lock.\nWhat is a condition variable?\nAll about variable.\n",
    );
    let report = collection.ok(&[
        "import",
        week3.to_str().unwrap(),
        threads.to_str().unwrap(),
        locks.to_str().unwrap(),
    ]);
    assert!(
        report.contains(
            "week3.txt imported into \"OS Week 3\": 0 new, 0 updated, 0 renamed, 0 moved, 0 retired"
        ),
        "{report}"
    );
    assert!(
        report.contains("into \"OS Threads\": 0 new, 0 updated, 0 renamed, 1 moved, 0 retired"),
        "{report}"
    );
    assert!(
        report.contains("into \"OS Locks\": 0 new, 0 updated, 0 renamed, 2 moved, 0 retired"),
        "{report}"
    );
    assert!(
        report.contains("What is a race condition?  (from OS Week 3 › Lecture 3 - Processes)"),
        "{report}"
    );
    assert!(
        report.contains("What is a busy spin lock?  (from OS Week 3 › Lecture 3 - Processes)"),
        "{report}"
    );
    let cards = collection.cards();
    assert_eq!(cards.len(), 4, "{cards:#?}");
    for (question, now, deck) in [
        ("What is a mutex?", "What is a mutex?", "OS Week 3"),
        (
            "What is a race condition?",
            "What is a race condition?",
            "OS Threads",
        ),
        ("What is a spin lock?", "What is a busy spin lock?", "OS Locks"),
        (
            "What is a condition variable?",
            "What is a condition variable?",
            "OS Locks",
        ),
    ] {
        let card = card(&cards, now);
        assert_eq!(
            progress(card),
            progress(self::card(&before, question)),
            "{question}"
        );
        assert_eq!(card["deck"], deck);
    }
    assert_eq!(
        card(&cards, "What is a busy spin lock?")["section"],
        "Lecture 3b - Locks"
    );
}

#[test]
fn a_file_replaced_by_two_new_files_hands_its_cards_on() {
    let collection = Recall::new(NOW);
    let (week3, before) = week3(&collection);
    let dir = collection.dir.path();
    std::fs::remove_file(&week3).unwrap();
    let threads = write_notes(
        dir,
        "week3-threads.txt",
        &notes("OS Threads", &["What is a mutex?", "What is a race condition?"]),
    );
    let locks = write_notes(
        dir,
        "week3-locks.txt",
        &notes(
            "OS Locks",
            &["What is a spin lock?", "What is a condition variable?"],
        ),
    );
    let report = collection.ok(&["import", threads.to_str().unwrap(), locks.to_str().unwrap()]);
    assert!(
        report.contains("into \"OS Threads\": 0 new, 0 updated, 0 renamed, 2 moved"),
        "{report}"
    );
    assert!(
        report.contains("into \"OS Locks\": 0 new, 0 updated, 0 renamed, 2 moved"),
        "{report}"
    );
    let cards = collection.cards();
    assert_eq!(cards.len(), 4);
    for question in [
        "What is a mutex?",
        "What is a race condition?",
        "What is a spin lock?",
    ] {
        assert_eq!(
            progress(card(&cards, question)),
            progress(card(&before, question))
        );
    }
}

#[test]
fn a_question_moved_between_files_keeps_its_card_whichever_file_is_imported_first() {
    for new_file_first in [false, true] {
        let collection = Recall::new(NOW);
        let (week3, before) = week3(&collection);
        let was = progress(card(&before, "What is a spin lock?"));
        std::fs::write(
            &week3,
            notes(
                "OS Week 3",
                &[
                    "What is a mutex?",
                    "What is a race condition?",
                    "What is a condition variable?",
                ],
            ),
        )
        .unwrap();
        let locks = write_notes(
            collection.dir.path(),
            "week4.txt",
            &notes("OS Week 4", &["What is a spin lock?", "What is a ticket lock?"]),
        );
        let (first, second) = if new_file_first {
            (&locks, &week3)
        } else {
            (&week3, &locks)
        };
        let report = collection.ok(&["import", first.to_str().unwrap()]);
        let report = report + &collection.ok(&["import", second.to_str().unwrap()]);
        if new_file_first {
            // While it is still in week 3 it is a second card; when it leaves week 3, the
            // reviewed card takes the never-reviewed one's place.
            assert!(report.contains("into \"OS Week 4\": 2 new"), "{report}");
            assert!(
                report.contains("into \"OS Week 3\": 0 new, 0 updated, 0 renamed, 1 moved, 0 retired"),
                "{report}"
            );
            assert!(
                report.contains(
                    "What is a spin lock?  (to OS Week 4 › Lecture 3 - Processes, in place of the new card "
                ),
                "{report}"
            );
        } else {
            assert!(
                report.contains("into \"OS Week 3\": 0 new, 0 updated, 0 renamed, 0 moved, 1 retired"),
                "{report}"
            );
            assert!(
                report.contains(
                    "into \"OS Week 4\": 1 new, 0 updated, 0 renamed, 0 moved, 0 retired, 1 restored"
                ),
                "{report}"
            );
            assert!(
                report.contains("What is a spin lock?  (from OS Week 3)"),
                "{report}"
            );
        }
        let cards = collection.cards();
        // The never-reviewed copy the moved card replaced is retired, out of sight.
        let in_use = cards.iter().filter(|c| c["status"] != "retired").count();
        assert_eq!(in_use, 5, "{cards:#?}");
        let moved = card(&cards, "What is a spin lock?");
        assert_eq!(progress(moved), was, "new file first: {new_file_first}");
        assert_eq!(moved["deck"], "OS Week 4");
        assert_eq!(moved["status"], "review");
    }
}

#[test]
fn the_same_question_in_two_lectures_stays_two_cards() {
    let collection = Recall::new(NOW);
    let dir = collection.dir.path();
    let one = write_notes(
        dir,
        "one.txt",
        &notes("Lecture One", &["What is a process?", "What is a file?"]),
    );
    let two = write_notes(dir, "two.txt", &notes("Lecture Two", &["What is a process?"]));
    collection.ok(&["import", one.to_str().unwrap(), two.to_str().unwrap()]);
    let report = collection.ok(&["import", two.to_str().unwrap(), one.to_str().unwrap()]);
    assert!(
        report.contains("unchanged (1 card)") && report.contains("unchanged (2 cards)"),
        "{report}"
    );
    let cards = collection.cards();
    let processes: Vec<&Value> = cards
        .iter()
        .filter(|c| c["question"] == "What is a process?")
        .collect();
    assert_eq!(processes.len(), 2);
    assert_ne!(processes[0]["deck"], processes[1]["deck"]);
    // Reviewing one leaves the other as it was.
    collection.review(NOW, "\n5\n");
    let reviewed: Vec<Value> = collection
        .cards()
        .into_iter()
        .filter(|c| c["status"] == "review")
        .collect();
    assert_eq!(reviewed.len(), 1);
}

#[test]
fn a_deck_named_after_its_notes_follows_a_new_title() {
    let collection = Recall::new(NOW);
    let dir = collection.dir.path();
    let markdown = write_notes(dir, "db.md", "# Databases\n\n## What is SQL?\n\nA language.\n");
    let text = write_notes(
        dir,
        "os.txt",
        &notes("Operating Systems", &["What is a process?"]),
    );
    collection.ok(&["import", markdown.to_str().unwrap(), text.to_str().unwrap()]);
    review_all(&collection);
    let before = collection.cards();

    std::fs::write(
        &markdown,
        "# Databases (Spring 2026)\n\n## What is SQL?\n\nA language.\n",
    )
    .unwrap();
    std::fs::write(&text, notes("Operating Systems II", &["What is a process?"])).unwrap();
    let report = collection.ok(&["import", markdown.to_str().unwrap(), text.to_str().unwrap()]);
    assert!(
        report.contains("imported into \"Databases (Spring 2026)\""),
        "{report}"
    );
    assert!(
        report.contains("\n  deck renamed: Databases -> Databases (Spring 2026)\n"),
        "{report}"
    );
    assert!(
        report.contains("\n  deck renamed: Operating Systems -> Operating Systems II\n"),
        "{report}"
    );
    let cards = collection.cards();
    assert_eq!(card(&cards, "What is SQL?")["deck"], "Databases (Spring 2026)");
    assert_eq!(card(&cards, "What is a process?")["deck"], "Operating Systems II");
    for question in ["What is SQL?", "What is a process?"] {
        assert_eq!(
            progress(card(&cards, question)),
            progress(card(&before, question))
        );
    }
    let decks = collection.ok(&["decks"]);
    assert!(
        !decks.contains("Databases  ") && decks.contains("Databases (Spring 2026)"),
        "{decks}"
    );
    // The statistics follow too: the reviews belong to the renamed deck.
    let stats = collection.ok(&["stats", "--deck", "Databases (Spring 2026)", "--format", "json"]);
    assert!(
        stats.contains("\"reviews\":1") || stats.contains("\"reviews\": 1"),
        "{stats}"
    );
    // The same import again changes nothing.
    let report = collection.ok(&["import", markdown.to_str().unwrap()]);
    assert!(
        report.contains("unchanged (1 card)") && !report.contains("deck renamed"),
        "{report}"
    );
}

#[test]
fn a_deck_the_student_named_keeps_its_name() {
    let collection = Recall::new(NOW);
    let dir = collection.dir.path();
    let named = write_notes(dir, "named.md", "# Databases\n\n## What is SQL?\n\nA language.\n");
    let renamed = write_notes(
        dir,
        "renamed.txt",
        &notes("Operating Systems", &["What is a process?"]),
    );
    collection.ok(&["import", "--deck", "DB", named.to_str().unwrap()]);
    collection.ok(&["import", renamed.to_str().unwrap()]);
    collection.ok(&["deck", "rename", "Operating Systems", "OS"]);

    std::fs::write(
        &named,
        "# Databases (Spring 2026)\n\n## What is SQL?\n\nA language.\n",
    )
    .unwrap();
    std::fs::write(&renamed, notes("Operating Systems II", &["What is a process?"])).unwrap();
    let report = collection.ok(&["import", named.to_str().unwrap(), renamed.to_str().unwrap()]);
    assert!(!report.contains("deck renamed"), "{report}");
    assert!(report.contains("into \"DB\": unchanged (1 card)"), "{report}");
    assert!(report.contains("into \"OS\": unchanged (1 card)"), "{report}");
    let decks = collection.ok(&["decks"]);
    assert!(
        decks.contains("DB ") && decks.contains("OS ") && !decks.contains("Spring"),
        "{decks}"
    );
}

#[test]
fn an_import_that_changes_nothing_writes_nothing() {
    let collection = Recall::new(NOW);
    let dir = collection.dir.path();
    let markdown = write_notes(dir, "db.md", "# Databases\n\n## What is SQL?\n\nA language.\n");
    let text = write_notes(
        dir,
        "os.txt",
        &notes("Operating Systems", &["What is a process?", "What is a file?"]),
    );
    collection.ok(&["import", markdown.to_str().unwrap(), text.to_str().unwrap()]);
    review_all(&collection);
    // Edits only of spacing, case and apostrophes would be recorded (the text shown changes);
    // the same files again are not.
    let before = files(&collection.data());
    for _ in 0..3 {
        let report = collection.ok_at(
            "2026-09-02T12:00:00+00:00",
            &["import", markdown.to_str().unwrap(), text.to_str().unwrap()],
        );
        assert_eq!(
            report,
            format!(
                "{} imported into \"Databases\": unchanged (1 card)\n{} imported into \"Operating Systems\": unchanged (2 cards)\n",
                markdown.display(),
                text.display()
            )
        );
        assert_eq!(files(&collection.data()), before, "the data directory changed");
    }
    let json = collection.ok(&["import", "--format", "json", text.to_str().unwrap()]);
    assert!(
        json.contains("\"changed\": false") || json.contains("\"changed\":false"),
        "{json}"
    );
    assert_eq!(files(&collection.data()), before);
}

#[test]
fn lines_outside_any_card_are_counted_and_listed() {
    let collection = Recall::new(NOW);
    // A question that lost its `?` reads as text before the first card.
    let text = "Operating Systems\nLecture 3 - Processes\nWhat is a process\nA program running.\nWhat is a thread?\nThe unit of scheduling.\n";
    let file = write_notes(collection.dir.path(), "os.txt", text);
    let path = file.to_str().unwrap();
    let parsed = collection.ok(&["parse", path]);
    assert!(
        parsed.ends_with("1 card in 1 section, 0 warnings\n2 lines outside any card (`recall parse --skipped` lists them)\n"),
        "{parsed}"
    );
    let listed = collection.ok(&["parse", "--skipped", path]);
    assert!(
        listed
            .ends_with("2 lines outside any card:\n     3  What is a process\n     4  A program running.\n"),
        "{listed}"
    );
    let report = collection.ok(&["import", path]);
    assert!(
        report.contains(": 1 new")
            && report.ends_with(&format!(
                "  2 lines outside any card (`recall parse --skipped {path}` lists them)\n"
            )),
        "{report}"
    );
    let json = collection.ok(&["import", "--format", "json", path]);
    assert!(json.contains("\"outside\":2"), "{json}");
    // Markdown: paragraphs before the first question belong to no card.
    let markdown = write_notes(
        collection.dir.path(),
        "db.md",
        "# Databases\n\nSome intro text.\n\n## What is SQL?\n\nA language.\n",
    );
    let listed = collection.ok(&["parse", "--skipped", markdown.to_str().unwrap()]);
    assert!(listed.contains("     3  Some intro text.\n"), "{listed}");
    // Notes whose every line is in a card say nothing about it.
    let clean = write_notes(
        collection.dir.path(),
        "clean.txt",
        &notes("Clean", &["What is a pipe?"]),
    );
    let report = collection.ok(&["import", clean.to_str().unwrap()]);
    assert!(!report.contains("outside"), "{report}");
}
