//! `recall review --plain` through the real binary: grades typed on stdin, the protocol on
//! stdout, and the collection on disk afterwards.

use crate::common::{Recall, TEXT_NOTES, write_notes};

/// A collection holding the small text deck, as of 2026-11-28.
fn collection() -> Recall {
    let collection = Recall::new("2026-11-28");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&["import".as_ref(), notes.as_os_str()]);
    collection
}

#[test]
fn the_protocol_question_reveal_answer_grade() {
    let collection = collection();
    let out = collection.review("2026-11-28", "\n5\n\n4\n\n5\n");
    let expected = "\
[1/3] Computer Vision > Lecture 1 - Introduction
Q: How many images uploaded to Instagram daily?
(Enter shows the answer)
A: 1.3 billion.
each grade gives: 0 1d · 1 1d · 2 1d · 3 1d · 4 1d · 5 1d
grade 0-5 (u undo, b bury, s suspend, q quit): [2/3] Computer Vision > Lecture 1 - Introduction
Q: What are 3 factors behind the rise of computer vision?
(Enter shows the answer)
A: Better data + storage.
Better processing power.
Lots of data.
each grade gives: 0 1d · 1 1d · 2 1d · 3 1d · 4 1d · 5 1d
grade 0-5 (u undo, b bury, s suspend, q quit): [3/3] Computer Vision > Lecture 2 - Image Classification
Q: What is nearest neighbour classification?
(Enter shows the answer)
A: Compare a test image with every training image and take the closest label.
each grade gives: 0 1d · 1 1d · 2 1d · 3 1d · 4 1d · 5 1d
grade 0-5 (u undo, b bury, s suspend, q quit): Session over: 3 cards reviewed (3 new, 0 re-drills) in 0s; grades 0-5: 0 0 0 0 1 2
Due tomorrow: 3; in the next 7 days: 3
";
    assert_eq!(out, expected);
    let grades: Vec<u64> = collection
        .log()
        .iter()
        .map(|r| r["grade"].as_u64().unwrap())
        .collect();
    assert_eq!(grades, [5, 4, 5]);
    assert!(
        collection
            .cards()
            .iter()
            .all(|c| c["status"] == "review" && c["due"] == "2026-11-29")
    );
}

#[test]
fn a_redrill_comes_back_until_graded_4_or_5() {
    let collection = collection();
    let out = collection.review("2026-11-28", "\n2\n\n5\n\n5\n\n3\n\n4\n");
    let questions: Vec<&str> = out.lines().filter(|l| l.starts_with("Q: ")).collect();
    assert_eq!(
        questions,
        [
            "Q: How many images uploaded to Instagram daily?",
            "Q: What are 3 factors behind the rise of computer vision?",
            "Q: What is nearest neighbour classification?",
            "Q: How many images uploaded to Instagram daily?",
            "Q: How many images uploaded to Instagram daily?",
        ]
    );
    assert!(out.contains("[4/4] Computer Vision"), "{out}");
    assert!(out.contains("[5/5] Computer Vision"), "{out}");
    let kinds: Vec<String> = collection
        .log()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["review", "review", "review", "redrill", "redrill"]);
    // Only the first grade of the day moved the state: grade 2 resets to interval 1.
    let first = &collection.cards()[0];
    assert_eq!(
        (first["repetitions"].as_u64(), first["interval"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn undo_shows_the_previous_card_again_and_is_logged() {
    let collection = collection();
    let out = collection.review("2026-11-28", "\n1\n\nu\n\n5\nq\n");
    let questions: Vec<&str> = out.lines().filter(|l| l.starts_with("Q: ")).collect();
    assert_eq!(
        questions[..3],
        [
            "Q: How many images uploaded to Instagram daily?",
            "Q: What are 3 factors behind the rise of computer vision?",
            "Q: How many images uploaded to Instagram daily?"
        ]
    );
    let log = collection.log();
    assert_eq!(
        log.iter()
            .map(|r| r["kind"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["review", "undo", "review"]
    );
    assert_eq!(log[1]["undoes"], log[0]["id"]);
    assert_eq!(log[2]["grade"], 5);
    let first = &collection.cards()[0];
    assert_eq!(first["repetitions"], 1);
    assert!(
        out.ends_with("grades 0-5: 0 0 0 0 0 1\nDue tomorrow: 1; in the next 7 days: 1\n"),
        "{out}"
    );
}

#[test]
fn end_of_input_mid_card_ends_cleanly_and_keeps_grades() {
    let collection = collection();
    let out = collection.review("2026-11-28", "\n4\n\n");
    assert!(out.ends_with("grade 0-5 (u undo, b bury, s suspend, q quit): Session over: 1 card reviewed (1 new, 0 re-drills) in 0s; grades 0-5: 0 0 0 0 1 0\nDue tomorrow: 1; in the next 7 days: 1\n"), "{out}");
    // End of input before revealing.
    let out = collection.review("2026-11-28", "");
    assert!(
        out.starts_with("[1/2] Computer Vision > Lecture 1 - Introduction\nQ: What are 3 factors"),
        "{out}"
    );
    assert_eq!(collection.log().len(), 1);
}

#[test]
fn bad_answers_repeat_the_prompt_with_a_hint() {
    let collection = collection();
    let out = collection.review("2026-11-28", "\n7\nu\ngood\nb\n\ns\nq\n");
    assert_eq!(
        out.matches("type a grade from 0 (blackout) to 5 (easy), or u, b, s or q")
            .count(),
        3
    );
    assert!(out.contains("nothing to undo yet"));
    let kinds: Vec<String> = collection
        .log()
        .iter()
        .map(|r| r["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, ["bury", "suspend"]);
    let cards = collection.cards();
    assert_eq!(cards[0]["status"], "new");
    assert_eq!(cards[1]["status"], "suspended");
}

#[test]
fn a_second_session_the_same_day_respects_limits_and_remembers_redrills() {
    let collection = collection();
    std::fs::write(
        collection.dir.path().join("data/config.json"),
        "{\"new_cards_per_day\": 2}",
    )
    .unwrap();
    let out = collection.review("2026-11-28T10:00:00+00:00", "\n1\nq\n");
    assert!(out.starts_with("[1/2]"), "{out}");
    assert!(
        out.ends_with("Today's limits hold back 1 new card (`recall review --new N` takes more)\n"),
        "{out}"
    );
    // Later the same day: the re-drill is remembered, and only one new card is left.
    let out = collection.review("2026-11-28T18:00:00+00:00", "\n5\n\n5\n\n");
    let questions: Vec<&str> = out.lines().filter(|l| l.starts_with("Q: ")).collect();
    assert_eq!(
        questions,
        [
            "Q: How many images uploaded to Instagram daily?",
            "Q: What are 3 factors behind the rise of computer vision?"
        ]
    );
    assert!(out.contains("[1/2]"));
    // Nothing is left today.
    let out = collection.review("2026-11-28T19:00:00+00:00", "");
    assert!(
        out.starts_with("Nothing to review right now; next: 2 due on 2026-11-29."),
        "{out}"
    );
    // The next day the third card is new, and the two are due.
    assert_eq!(
        collection.ok_at("2026-11-29", &["due"]),
        "2 reviews and 1 new card due today\n"
    );
}

#[test]
fn without_a_terminal_review_suggests_plain() {
    let collection = collection();
    let output = collection.at("2026-11-28").arg("review").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with("recall: the review screen needs a terminal") && stderr.contains("--plain"),
        "{stderr}"
    );
    // Plain `recall` means review too.
    let output = collection.at("2026-11-28").output().unwrap();
    assert!(String::from_utf8(output.stderr).unwrap().contains("--plain"));
}

#[test]
fn filters_cram_and_limits_from_the_command_line() {
    let collection = collection();
    let out = collection.review("2026-11-28", "");
    assert!(out.starts_with("[1/3]"));
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain", "--section", "lecture 2"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(
        String::from_utf8(output.stdout)
            .unwrap()
            .starts_with("[1/1] Computer Vision > Lecture 2 - Image Classification")
    );
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain", "--limit", "2"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("[1/2]"));
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain", "--new", "1"])
        .write_stdin("")
        .output()
        .unwrap();
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("[1/1]"));
    // Cram: grades are logged as cram and change nothing.
    let output = collection
        .at("2026-11-28")
        .args(["review", "--plain", "--cram"])
        .write_stdin("\n5\n")
        .output()
        .unwrap();
    assert!(String::from_utf8(output.stdout).unwrap().starts_with("[1/3]"));
    assert_eq!(collection.log()[0]["kind"], "cram");
    assert!(collection.cards().iter().all(|c| c["status"] == "new"));
}

/// New cards get FSRS's first intervals at once; two days on, each card comes with its
/// chance of recall and FSRS's intervals.
#[test]
fn under_fsrs_each_card_shows_its_chance_of_recall_and_fsrs_intervals() {
    let collection = collection();
    collection.ok(&["config", "set", "scheduler", "fsrs"]);
    let out = collection.review("2026-11-28", "\n4\n\n4\n\n4\n");
    assert!(
        out.contains("each grade gives: 0 1d · 1 1d · 2 1d · 3 1d · 4 2d · 5 8d\n"),
        "{out}"
    );
    assert!(!out.contains("chance of recall"), "{out}");
    let out = collection.review("2026-11-30", "\n4\nq\n");
    assert!(
        out.starts_with("[1/3] Computer Vision > Lecture 1 - Introduction\nchance of recall today: 91%\nQ: "),
        "{out}"
    );
    assert!(
        out.contains("each grade gives: 0 1d · 1 1d · 2 1d · 3 8d · 4 11d · 5 19d\n"),
        "{out}"
    );
}

/// Plain mode shows formulas as the screen does.
#[test]
fn formulas_are_written_as_unicode() {
    let collection = Recall::new("2026-11-28");
    let notes = write_notes(
        collection.dir.path(),
        "phys.txt",
        "Physics\nWhat is $E$ for mass $m$?\n$E = mc^2$, with $c \\approx 3 \\times 10^8$ m/s.\n",
    );
    collection.ok(&["import".as_ref(), notes.as_os_str()]);
    let out = collection.review("2026-11-28", "\n5\n");
    assert!(out.contains("Q: What is E for mass m?\n"), "{out}");
    assert!(out.contains("A: E = mc², with c ≈ 3 × 10⁸ m/s.\n"), "{out}");
}

#[test]
fn images_of_markdown_cards_are_written_as_placeholders() {
    let collection = Recall::new("2026-11-28");
    let notes = write_notes(
        collection.dir.path(),
        "bio.md",
        "# Biology\n\n## Cells\n\nWhat does ![](figs/cell.png) show?\n\n![a plant cell](figs/cell.png), and `![code](x.png)`\n",
    );
    collection.ok(&["import".as_ref(), notes.as_os_str()]);
    let out = collection.review("2026-11-28", "\n5\n");
    assert!(out.contains("Q: What does [image: cell.png] show?\n"), "{out}");
    assert!(
        out.contains("A: [image: a plant cell], and `![code](x.png)`\n"),
        "{out}"
    );
}
