//! FSRS end to end through the binary: the reference vectors of `tests/data/fsrs-vectors.json`
//! (made by py-fsrs 6.3.2 with `scripts/fsrs_vectors.py`) written as review logs and read back
//! with `recall cards --format json`; and switching scheduler mid-history.

use std::collections::BTreeMap;
use std::ffi::OsStr;

use crate::common::{LoggedCard, Recall, review_log, write_log, write_notes};
use chrono::NaiveDate;
use serde_json::{Value, json};

fn vectors() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/fsrs-vectors.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The 0-5 grade a student types for an FSRS rating (1 Again .. 4 Easy); Again cycles through
/// 0, 1 and 2, which FSRS all reads as Again.
fn grade_for(rating: u64, step: usize) -> u8 {
    match rating {
        1 => (step % 3) as u8,
        2 => 3,
        3 => 4,
        _ => 5,
    }
}

fn date(value: &Value) -> NaiveDate {
    value.as_str().unwrap().parse().unwrap()
}

/// The steps of a sequence that recall reviews the same way: up to its first same-day repeat,
/// which moves FSRS's memory in py-fsrs but is a re-drill, not a review, in recall.
fn reviewed_steps(sequence: &Value) -> &[Value] {
    let steps = sequence["steps"].as_array().unwrap();
    let end = steps
        .iter()
        .position(|s| s["timing"] == "same_day")
        .unwrap_or(steps.len());
    &steps[..end]
}

/// A card of the test: the first `reviews` steps of a reference sequence.
struct Prefix<'a> {
    sequence: &'a Value,
    reviews: usize,
}

impl Prefix<'_> {
    fn id(&self) -> String {
        format!("s{}r{}", self.sequence["id"], self.reviews)
    }

    fn steps(&self) -> &[Value] {
        &reviewed_steps(self.sequence)[..self.reviews]
    }
}

/// The prefix as a card of a hand-made log.
fn logged(prefix: &Prefix) -> LoggedCard {
    LoggedCard {
        id: prefix.id(),
        reviews: prefix
            .steps()
            .iter()
            .enumerate()
            .map(|(step, review)| {
                let grade = grade_for(review["rating"].as_u64().unwrap(), step);
                (date(&review["review_on"]), grade)
            })
            .collect(),
    }
}

fn close(actual: &Value, expected: &Value) -> bool {
    let (actual, expected) = (actual.as_f64().unwrap(), expected.as_f64().unwrap());
    ((actual - expected) / expected).abs() <= 0.001
}

#[test]
fn every_reference_sequence_gets_the_same_interval_due_stability_and_difficulty() {
    let vectors = vectors();
    // Sequences under the same parameters and desired retention share a collection. The group
    // with a small maximum interval is left to the unit test: recall's maximum is 36,500 days.
    let mut collections: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for sequence in vectors["sequences"].as_array().unwrap() {
        if sequence["group"] != "maximum_interval" {
            let key = json!([sequence["parameters"], sequence["desired_retention"]]).to_string();
            collections.entry(key).or_default().push(sequence);
        }
    }
    let (mut sequences_checked, mut steps_checked) = (0, 0);
    for sequences in collections.values() {
        // A card for every step: the sequence's reviews up to and including that step.
        let prefixes: Vec<Prefix> = sequences
            .iter()
            .flat_map(|&sequence| {
                (1..=reviewed_steps(sequence).len()).map(move |reviews| Prefix { sequence, reviews })
            })
            .collect();
        let collection = Recall::new("2035-01-01T12:00:00Z");
        let cards: Vec<LoggedCard> = prefixes.iter().map(logged).collect();
        write_log(&collection.data(), &review_log(&cards));
        let config = json!({
            "scheduler": "fsrs",
            "desired_retention": sequences[0]["desired_retention"],
            "fsrs_parameters": sequences[0]["parameters"],
        });
        std::fs::write(collection.data().join("config.json"), config.to_string()).unwrap();
        let cards: BTreeMap<String, Value> = collection
            .cards()
            .into_iter()
            .map(|card| (card["id"].as_str().unwrap().to_string(), card))
            .collect();
        assert_eq!(cards.len(), prefixes.len());
        for prefix in &prefixes {
            let card = &cards[&prefix.id()];
            let last = prefix.steps().last().unwrap();
            let what = format!(
                "sequence {} after {} reviews: {card}",
                prefix.sequence["id"], prefix.reviews
            );
            assert_eq!(card["interval"], last["interval"], "{what}");
            assert_eq!(card["due"], last["due"], "{what}");
            assert!(close(&card["stability"], &last["stability"]), "{what}");
            assert!(close(&card["difficulty"], &last["difficulty"]), "{what}");
        }
        sequences_checked += sequences.len();
        steps_checked += prefixes.len();
    }
    assert!(sequences_checked >= 200, "{sequences_checked}");
    assert!(steps_checked >= 1500, "{steps_checked}");
}

/// The same reviews give the same cards whichever scheduler was on when they were made.
#[test]
fn switching_scheduler_back_and_forth_is_the_same_as_never_switching() {
    let notes: String = (0..12).map(|n| format!("Question {n}?\nAnswer {n}.\n")).collect();
    let switched = Recall::new("2026-03-01T12:00:00Z");
    let notes = write_notes(switched.dir.path(), "deck.txt", &format!("Deck\n{notes}"));
    switched.ok_at("2026-03-01T09:00:00Z", &[OsStr::new("import"), notes.as_os_str()]);
    let grades = ["4", "5", "3", "1", "4", "2", "5", "4", "0", "3", "4", "4"];
    let first = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    for day in 0..40 {
        // A week under each scheduler in turn.
        let scheduler = if (day / 7) % 2 == 1 { "fsrs" } else { "sm2" };
        switched.ok(&["config", "set", "scheduler", scheduler]);
        let input: String = (0..30)
            .map(|n| format!("\n{}\n", grades[(n + day) % grades.len()]))
            .collect();
        let on = first + chrono::Duration::days(day as i64);
        switched.review(&format!("{on}T10:00:00Z"), &input);
    }
    // A second collection with the same logs, whose scheduler never changed from the default.
    let never = Recall::new("2026-04-10T12:00:00Z");
    let logs = never.data().join("logs");
    std::fs::create_dir_all(&logs).unwrap();
    for entry in std::fs::read_dir(switched.data().join("logs")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), logs.join(entry.file_name())).unwrap();
    }
    let switched = Recall {
        now: "2026-04-10T12:00:00Z".to_string(),
        ..switched
    };
    for scheduler in ["sm2", "fsrs"] {
        switched.ok(&["config", "set", "scheduler", scheduler]);
        never.ok(&["config", "set", "scheduler", scheduler]);
        let (a, b) = (switched.cards(), never.cards());
        assert!(a.iter().any(|card| card["repetitions"].as_u64() > Some(2)));
        assert_eq!(a, b, "under {scheduler}");
    }
}
