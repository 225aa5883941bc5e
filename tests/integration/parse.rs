//! `recall parse` run as a user would: the real binary on real files.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/eecs498-computer-vision.txt")
}

fn recall() -> Command {
    Command::cargo_bin("recall").unwrap()
}

fn parse_json(file: &Path) -> Value {
    let output = recall()
        .arg("parse")
        .arg(file)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn error_of(args: &[&std::ffi::OsStr]) -> String {
    let output = recall().args(args).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn the_seed_notes_give_278_cards_in_29_sections() {
    let json = parse_json(&seed());
    assert_eq!(json["deck"], "EECS498 Computer Vision with Justin");
    let cards = json["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 278);
    let sections: std::collections::HashSet<_> =
        cards.iter().map(|c| c["section"].as_str().unwrap()).collect();
    assert_eq!(sections.len(), 29);
    assert_eq!(
        json["warnings"],
        serde_json::json!([
            {"line": 426, "message": "question has no answer"},
            {"line": 462, "message": "question has no answer"}
        ])
    );
    assert_eq!(
        cards[0],
        serde_json::json!({"kind": "basic", "section": "Lecture 1 - Introduction",
            "question": "How many images uploaded to Instagram daily?",
            "answer": "1.3 billion.", "note": "", "line": 4})
    );
    let by_line = |line: u64| cards.iter().find(|c| c["line"] == line).unwrap();
    assert_eq!(
        by_line(6)["answer"],
        "Better data + storage.\nBetter processing power.\nLots of data."
    );
    assert_eq!(by_line(34)["question"], "What is a linear model?");
    assert_eq!(by_line(34)["note"], "Me");
    assert_eq!(by_line(772)["note"], "- Saliency");
    assert_eq!(
        by_line(772)["section"],
        "Lecture 21 - Visualising and Understanding"
    );
    assert_eq!(by_line(139)["section"], "Reading - CS231n Linear Classification");
    let late_fusion = by_line(909);
    assert_eq!(late_fusion["question"], "What is an issue with late fusion?");
    assert_eq!(
        late_fusion["answer"],
        "It’s late (?) - Hard to compare low level changes between timesteps."
    );
    let last = cards.last().unwrap();
    assert_eq!(
        last["section"],
        "Additional Lecture - Lecture 21 from 2019 - Reinforcement Learning"
    );
    assert!(
        cards
            .windows(2)
            .all(|w| w[0]["line"].as_u64() < w[1]["line"].as_u64())
    );
}

#[test]
fn the_text_listing_groups_by_section_and_ends_with_a_summary() {
    let output = recall().arg("parse").arg(seed()).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.starts_with(
        "EECS498 Computer Vision with Justin\n\nLecture 1 - Introduction\n     4  Q: How many images"
    ));
    assert!(text.contains("\n278 cards in 29 sections, 2 warnings\nline 426: question has no answer\nline 462: question has no answer\n"));
}

#[test]
fn markdown_notes_are_parsed_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("db.md");
    std::fs::write(&file, "# Databases\n\n## Lecture 2 - SQL\n\n### Keys and joins\n\nWhat is a foreign key?\nA column that refers to a key of another table.\n\n```sql\nSELECT 1;\n```\n").unwrap();
    let json = parse_json(&file);
    assert_eq!(json["deck"], "Databases");
    assert_eq!(json["cards"][0]["section"], "Lecture 2 - SQL / Keys and joins");
    assert_eq!(
        json["cards"][0]["answer"],
        "A column that refers to a key of another table.\n\n```sql\nSELECT 1;\n```"
    );
    assert_eq!(json["cards"][0]["line"], 7);
}

#[test]
fn heading_patterns_add_sections_and_bad_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.txt");
    std::fs::write(&file, "Course\nSession 1\nQ?\nA\n").unwrap();
    let output = recall()
        .arg("parse")
        .arg(&file)
        .args(["--heading", "^Session", "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["cards"][0]["section"], "Session 1");

    let stderr = error_of(&[
        "parse".as_ref(),
        file.as_os_str(),
        "--heading".as_ref(),
        "(".as_ref(),
    ]);
    assert!(
        stderr.starts_with("recall: --heading \"(\" is not a valid regular expression"),
        "{stderr}"
    );
}

#[test]
fn bold_text_is_a_cloze_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.md");
    std::fs::write(&file, "The **mitochondrion** makes ATP.\n").unwrap();
    let kinds = |args: &[&str]| {
        let output = recall()
            .arg("parse")
            .arg(&file)
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        json["cards"]
            .as_array()
            .unwrap()
            .iter()
            .map(|card| (card["kind"].clone(), card["question"].clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&[]), []);
    assert_eq!(
        kinds(&["--bold-cloze"]),
        [("cloze".into(), "The [...] makes ATP.".into())]
    );
}

#[test]
fn a_missing_local_image_is_a_warning_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("img/cell.png"), b"png").unwrap();
    let notes = "What is a cell?\n![a cell](img/cell.png)\n\nWhat is a neuron?\n![a neuron](img/neuron.png)\n\n\
        Synapse :: ![remote](https://example.org/s.png) and `![code](none.png)`\n";
    for name in ["bio.md", "bio.txt"] {
        let file = dir.path().join(name);
        std::fs::write(&file, notes).unwrap();
        let json = parse_json(&file);
        assert_eq!(json["cards"].as_array().unwrap().len(), 3, "{name}");
        assert_eq!(
            json["warnings"],
            serde_json::json!([{"line": 5, "message": "image not found: img/neuron.png"}]),
            "{name}"
        );
        assert_eq!(
            json["cards"][1]["answer"], "![a neuron](img/neuron.png)",
            "{name}"
        );
    }
}

#[test]
fn bad_files_give_one_clear_line_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    std::fs::write(path("binary.txt"), b"PK\x03\x04\0\0garbage").unwrap();
    std::fs::write(path("latin1.txt"), b"Deck\nQ?\ncaf\xe9\n").unwrap();
    std::fs::create_dir(path("folder")).unwrap();

    let missing = error_of(&["parse".as_ref(), path("missing.txt").as_os_str()]);
    assert!(
        missing.contains("missing.txt: No such file or directory"),
        "{missing}"
    );
    let binary = error_of(&["parse".as_ref(), path("binary.txt").as_os_str()]);
    assert!(
        binary.ends_with("binary.txt: not a text file (it contains NUL bytes)\n"),
        "{binary}"
    );
    let latin1 = error_of(&["parse".as_ref(), path("latin1.txt").as_os_str()]);
    assert!(
        latin1.ends_with("latin1.txt:3: invalid UTF-8 (save the notes as UTF-8 text)\n"),
        "{latin1}"
    );
    let folder = error_of(&["parse".as_ref(), path("folder").as_os_str()]);
    assert!(
        folder.ends_with("folder: is a directory, not a notes file\n"),
        "{folder}"
    );
    // Root can read files without permission bits, so an I/O error is made by the kernel instead.
    let unreadable = error_of(&["parse".as_ref(), "/proc/self/mem".as_ref()]);
    assert!(unreadable.starts_with("recall: /proc/self/mem: "), "{unreadable}");
    // A device never ends: refused before reading.
    let device = error_of(&["parse".as_ref(), "/dev/zero".as_ref()]);
    assert_eq!(
        device,
        "recall: /dev/zero: is not a regular file (a device or a pipe?)\n"
    );
}

#[test]
fn an_empty_file_gives_no_cards_and_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("empty.txt");
    std::fs::write(&file, "").unwrap();
    let json = parse_json(&file);
    assert_eq!(json["deck"], "empty");
    assert_eq!(json["cards"], serde_json::json!([]));
    assert_eq!(
        json["warnings"],
        serde_json::json!([{"message": "no questions found"}])
    );
}

/// Notes of one line of `megabytes` MB parse to one card (a question) or none.
fn a_single_line_of(megabytes: usize) {
    let dir = tempfile::tempdir().unwrap();
    for (name, tail) in [("long.txt", "?"), ("long.md", "?"), ("plain.txt", ".")] {
        let file = dir.path().join(name);
        let mut text = "word ".repeat(megabytes * 1024 * 1024 / 5);
        text.push_str(tail);
        text.push_str("\nanswer\n");
        std::fs::write(&file, &text).unwrap();
        let json = parse_json(&file);
        let expected_cards = if tail == "?" { 1 } else { 0 };
        assert_eq!(json["cards"].as_array().unwrap().len(), expected_cards, "{name}");
    }
}

#[test]
fn a_2_mb_single_line_is_parsed_without_hanging() {
    a_single_line_of(2);
}

#[test]
#[ignore = "long: 20 MB through a debug build; `cargo test -- --ignored` runs it"]
fn a_20_mb_single_line_is_parsed_without_hanging() {
    a_single_line_of(20);
}

#[test]
#[ignore = "long: 100 MB through a debug build; `cargo test -- --ignored` runs it"]
fn a_100_mb_notes_file_is_parsed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.txt");
    let card = "What is the meaning of this item in a long course about many things?\nIt is an answer with enough words to be realistic, and a second clause.\n- a bullet point\n";
    let cards = 100 * 1024 * 1024 / card.len() + 1;
    std::fs::write(&file, format!("Huge\nLecture 1\n{}", card.repeat(cards))).unwrap();
    let output = recall().arg("parse").arg(&file).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let tail = String::from_utf8_lossy(&output.stdout[output.stdout.len() - 200..]).into_owned();
    assert!(
        tail.ends_with(&format!("\n{cards} cards in 1 section, 0 warnings\n")),
        "{tail}"
    );
}
