//! `recall optimize` through the binary, on the log of a simulated student who forgets much
//! faster than FSRS's defaults expect.

use crate::common::{LoggedCard, Recall, TEXT_NOTES, review_log, write_log, write_notes};
use chrono::{Days, NaiveDate};
use std::ffi::OsStr;

/// A student's reviews of `cards` cards: each card's true stability starts at half a day,
/// grows 2.5 times with each recall and falls to a third with each lapse; reviews come after
/// one to three stabilities.
fn forgetful_student(cards: usize) -> Vec<LoggedCard> {
    let mut random = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        random ^= random << 13;
        random ^= random >> 7;
        random ^= random << 17;
        (random % 10_000) as f64 / 10_000.0
    };
    let start = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    (0..cards)
        .map(|n| {
            let mut day = start + Days::new((n % 30) as u64);
            let mut stability = 0.5;
            let mut reviews = vec![(day, 4)];
            for _ in 0..5 {
                let elapsed = (stability * (1.0 + 2.0 * next())).round().max(1.0);
                day = day + Days::new(elapsed as u64);
                let recall = (1.0 + elapsed / (9.0 * stability)).powi(-1);
                let grade = if next() < recall {
                    stability *= 2.5;
                    3 + (next() * 3.0) as u8
                } else {
                    stability = (stability / 3.0).max(0.2);
                    (next() * 3.0) as u8
                };
                reviews.push((day, grade));
            }
            LoggedCard {
                id: format!("c{n:04}"),
                reviews,
            }
        })
        .collect()
}

/// The numbers of a table row such as `  trained       0.4312   3.05%`.
fn row(out: &str, name: &str) -> (f64, f64) {
    let line = out
        .lines()
        .find_map(|line| line.trim_start().strip_prefix(name))
        .unwrap_or_else(|| panic!("no {name} row in {out}"));
    let numbers: Vec<f64> = line
        .split_whitespace()
        .map(|n| n.trim_end_matches('%').parse().unwrap())
        .collect();
    (numbers[0], numbers[1])
}

fn parameters_in(out: &str) -> Vec<f64> {
    let line = out
        .lines()
        .find_map(|line| line.strip_prefix("Trained parameters: "))
        .unwrap_or_else(|| panic!("no parameters in {out}"));
    line.split(", ").map(|w| w.parse().unwrap()).collect()
}

#[test]
fn optimize_trains_on_the_log_reports_both_fits_and_applies_only_when_asked() {
    let collection = Recall::new("2026-06-01T12:00:00Z");
    let cards = forgetful_student(160);
    write_log(&collection.data(), &review_log(&cards));
    collection.ok(&["config", "set", "scheduler", "fsrs"]);
    let config = || std::fs::read_to_string(collection.data().join("config.json")).unwrap();
    let before = (config(), collection.cards());

    let out = collection.ok(&["optimize"]);
    assert!(
        out.starts_with("Trained FSRS on 800 reviews of 160 cards.\n"),
        "{out}"
    );
    let (default, trained) = (row(&out, "default"), row(&out, "trained"));
    assert!(trained.0 < default.0, "log loss: {out}");
    assert!(trained.1 < default.1, "RMSE: {out}");
    let suggested: f64 = out
        .split("Suggested desired_retention: ")
        .nth(1)
        .and_then(|rest| rest.get(..4))
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no suggestion in {out}"));
    assert!((0.7..=0.99).contains(&suggested), "{out}");
    let parameters = parameters_in(&out);
    assert_eq!(parameters.len(), 21);
    assert!(
        out.ends_with("Use them with `recall optimize --apply`.\n"),
        "{out}"
    );
    assert_eq!(
        (config(), collection.cards()),
        before,
        "nothing changes without --apply"
    );

    let applied = collection.ok(&["optimize", "--apply"]);
    assert_eq!(parameters_in(&applied), parameters, "training is repeatable");
    assert!(
        applied.ends_with("FSRS schedules with them from now on.\n"),
        "{applied}"
    );
    let stored: serde_json::Value = serde_json::from_str(&config()).unwrap();
    let stored: Vec<f64> = serde_json::from_value(stored["fsrs_parameters"].clone()).unwrap();
    assert_eq!(stored, parameters);
    // Every card's memory is recomputed with them: this student's cards are less stable.
    let after = collection.cards();
    let stability = |cards: &[serde_json::Value]| {
        cards
            .iter()
            .map(|c| c["stability"].as_f64().unwrap())
            .sum::<f64>()
    };
    assert!(stability(&after) < stability(&before.1) * 0.8);

    // Trained again on the same reviews, the stored parameters are the ones in use: shown,
    // and kept unless the new ones fit better.
    let again = collection.ok(&["optimize", "--apply"]);
    let in_use = row(&again, "in use");
    assert!((in_use.0 - row(&again, "trained").0).abs() < 1e-3, "{again}");
}

#[test]
fn with_too_few_reviews_optimize_says_how_many_more_and_changes_nothing() {
    let collection = Recall::new("2026-11-28T12:00:00Z");
    let notes = write_notes(collection.dir.path(), "cv.txt", TEXT_NOTES);
    collection.ok(&[OsStr::new("import"), notes.as_os_str()]);
    collection.review("2026-11-28T12:00:00Z", "\n4\n\n4\n\n4\n");
    collection.review("2026-11-29T12:00:00Z", "\n4\n\n2\n\n5\n\n4\n");
    let files = || {
        let mut files: Vec<(String, Vec<u8>)> = walk(&collection.data());
        files.sort();
        files
    };
    let before = files();
    let error = collection.refused(&["optimize", "--apply"]);
    assert_eq!(
        error,
        "recall: training FSRS needs at least 400 reviews of cards seen on an earlier day; this \
         collection has 3, so 397 more. Nothing was changed\n"
    );
    assert_eq!(files(), before);
}

/// Every file under `dir` with its bytes.
fn walk(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push((path.display().to_string(), std::fs::read(&path).unwrap()));
        }
    }
    files
}
