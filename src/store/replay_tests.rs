//! The logs are the collection: after any sequence of changes (grades, undo, bury and
//! suspensions, imports of edited notes, deck and card commands), the collection a command
//! opens from its caches is the one the logs alone rebuild.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use proptest::prelude::*;

use super::Store;
use crate::core::history::Tally;
use crate::core::{Card, Deck, Stamp};
use crate::import::{self, Request};
use crate::manage;
use crate::review::queue::Options;
use crate::review::session::Session;
use crate::schedule::sm2::Grade;

/// The notes of two files, in versions that edit, move and drop questions.
const NOTES: [[&str; 3]; 2] = [
    [
        "Operating Systems\nLecture 1 - Processes\nWhat is a process?\nA program running.\nWhat does fork return?\nZero in the child.\nLecture 2 - Threads\nWhat is a thread?\nA unit of scheduling.\nWhat is a mutex?\nA lock.\n",
        "Operating Systems\nLecture 1 - Processes\nWhat is a process?\nA program in execution.\nWhat doesnt fork return?\nZero in the child.\nLecture 2 - Threads\nWhat is a thread?\nA unit of scheduling.\n",
        "Operating Systems II\nLecture 1 - Processes\nWhat is a process?\nA program running.\nLecture 3 - Locks\nWhat is a mutex?\nA lock.\nWhat is a semaphore?\nA counter.\n",
    ],
    [
        "# Databases\n\n## Lecture 1\n\nWhat is a join?\nRows of two tables combined.\n\nWhat is a key?\nA column set naming a row.\n",
        "# Databases\n\n## Lecture 1\n\nWhat is a join?\nRows of two tables combined on a condition.\n\nWhat is a semaphore?\nA counter.\n",
        "# Databases (Spring)\n\n## Lecture 2\n\nWhat is a key?\nA column set naming a row.\n",
    ],
];

#[derive(Debug, Clone)]
enum Op {
    Import {
        file: usize,
        version: usize,
    },
    /// A session: grades (6 undoes, 7 buries, 8 suspends the card shown).
    Review {
        keys: Vec<u8>,
    },
    RenameDeck {
        deck: usize,
        name: usize,
    },
    SuspendDeck {
        deck: usize,
        section: bool,
    },
    UnsuspendDeck {
        deck: usize,
    },
    LimitDeck {
        deck: usize,
        limit: Option<u32>,
    },
    RemoveDeck {
        deck: usize,
    },
    SuspendCard {
        card: usize,
    },
    UnsuspendCard {
        card: usize,
    },
    ResetCard {
        card: usize,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..2usize, 0..3usize).prop_map(|(file, version)| Op::Import { file, version }),
        4 => prop::collection::vec(0..9u8, 0..8).prop_map(|keys| Op::Review { keys }),
        1 => (0..3usize, 0..3usize).prop_map(|(deck, name)| Op::RenameDeck { deck, name }),
        1 => (0..3usize, any::<bool>()).prop_map(|(deck, section)| Op::SuspendDeck { deck, section }),
        1 => (0..3usize).prop_map(|deck| Op::UnsuspendDeck { deck }),
        1 => (0..3usize, proptest::option::of(0..3u32)).prop_map(|(deck, limit)| Op::LimitDeck { deck, limit }),
        1 => (0..3usize).prop_map(|deck| Op::RemoveDeck { deck }),
        1 => (0..8usize).prop_map(|card| Op::SuspendCard { card }),
        1 => (0..8usize).prop_map(|card| Op::UnsuspendCard { card }),
        1 => (0..8usize).prop_map(|card| Op::ResetCard { card }),
    ]
}

/// Runs `op` on the collection in `data` on study day `day`, as a command would: open, change,
/// save. Refusals (an op that does not apply) change nothing and are fine.
fn run(dir: &Path, data: &Path, op: &Op, day: NaiveDate) {
    let at = chrono::DateTime::parse_from_rfc3339(&format!("{day}T12:00:00+00:00")).unwrap_or_default();
    let stamp = Stamp { at, day };
    let mut store = Store::open_for_writing(data).expect("the collection opens");
    let deck_name = |store: &Store, n: usize| store.decks().get(n).map(|d| d.name.clone());
    let card_at = |store: &Store, n: usize| (!store.cards().is_empty()).then(|| n % store.cards().len());
    match op {
        Op::Import { file, version } => {
            let path = dir.join(format!("notes{file}.{}", if *file == 0 { "txt" } else { "md" }));
            std::fs::write(&path, NOTES[*file][*version]).expect("notes written");
            let request = Request {
                file: path,
                ..Default::default()
            };
            let _ = import::import_files(&mut store, &[request], import::ReadAhead::default(), stamp);
        }
        Op::Review { keys } => {
            let mut session = Session::start(store, &Options::default(), day).expect("a session");
            for &key in keys {
                let _ = match key {
                    6 => session.undo(at).map(|_| ()),
                    7 => session.bury(at),
                    8 => session.suspend(at),
                    grade => session
                        .grade(Grade::ALL[usize::from(grade) % 6], at, 1000)
                        .map(|_| ()),
                };
            }
            session.finish().expect("the session ends");
            return;
        }
        Op::RenameDeck { deck, name } => {
            if let Some(old) = deck_name(&store, *deck) {
                let _ = manage::rename_deck(&mut store, &old, ["Renamed", "Other", "Third"][*name], stamp);
            }
        }
        Op::SuspendDeck { deck, section } => {
            if let Some(name) = deck_name(&store, *deck) {
                let section = section
                    .then(|| {
                        store
                            .cards()
                            .iter()
                            .find(|c| c.deck == name)
                            .map(|c| c.section.clone())
                    })
                    .flatten();
                let _ = manage::set_suspended(&mut store, &name, section.as_deref(), true, stamp);
            }
        }
        Op::UnsuspendDeck { deck } => {
            if let Some(name) = deck_name(&store, *deck) {
                let _ = manage::set_suspended(&mut store, &name, None, false, stamp);
            }
        }
        Op::LimitDeck { deck, limit } => {
            if let Some(name) = deck_name(&store, *deck) {
                let _ = manage::set_new_per_day(&mut store, &name, *limit, stamp);
            }
        }
        Op::RemoveDeck { deck } => {
            if let Some(name) = deck_name(&store, *deck) {
                let _ = manage::remove_deck(&mut store, &name, stamp);
            }
        }
        Op::SuspendCard { card } | Op::UnsuspendCard { card } => {
            if let Some(at) = card_at(&store, *card) {
                let suspend = matches!(op, Op::SuspendCard { .. });
                let _ = manage::set_cards_suspended(&mut store, &[at], suspend, stamp);
            }
        }
        Op::ResetCard { card } => {
            if let Some(at) = card_at(&store, *card) {
                let _ = manage::reset_cards(&mut store, &[at], stamp);
            }
        }
    }
    store.save().expect("the caches are written");
}

/// What a collection is: cards, decks and statistics per day and deck.
type Contents = (Vec<Card>, Vec<Deck>, BTreeMap<(NaiveDate, String), Tally>);

fn contents(store: &Store) -> Contents {
    let mut history: BTreeMap<(NaiveDate, String), Tally> = BTreeMap::new();
    for (day, deck, tally) in store.history() {
        history.entry((day, deck.to_string())).or_default().add(&tally);
    }
    history.retain(|_, tally| *tally != Tally::default());
    (store.cards().to_vec(), store.decks().to_vec(), history)
}

/// The collection the logs of `data` alone give.
fn rebuilt(data: &Path, scratch: &Path) -> Store {
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch.join("logs")).expect("a scratch directory");
    for entry in std::fs::read_dir(data.join("logs")).expect("the logs").flatten() {
        std::fs::copy(entry.path(), scratch.join("logs").join(entry.file_name())).expect("a log copied");
    }
    std::fs::copy(data.join("config.json"), scratch.join("config.json")).expect("the settings copied");
    Store::open(scratch).expect("the logs alone open")
}

proptest! {
    // 24 cases by default; PROPTEST_CASES asks for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(24),
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_caches_always_hold_what_the_logs_alone_give(
        ops in prop::collection::vec((op(), 0..3u64), 1..14),
    ) {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let data = dir.path().join("data");
        let mut day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
        // Every run starts from both files imported.
        for file in 0..2 {
            run(dir.path(), &data, &Op::Import { file, version: 0 }, day);
        }
        for (op, days) in &ops {
            day = crate::schedule::day::add(day, *days);
            run(dir.path(), &data, op, day);
            let cached = Store::open(&data).expect("the collection opens");
            let from_logs = rebuilt(&data, &dir.path().join("scratch"));
            prop_assert_eq!(contents(&cached), contents(&from_logs), "after {:?}", op);
        }
        // New FSRS parameters: the memories the open computes again from the logs are those
        // of a collection rebuilt from nothing with them.
        super::settings::update(&data, |settings| {
            let mut parameters = crate::schedule::fsrs::DEFAULT_PARAMETERS;
            parameters[0] = 0.5;
            parameters[8] = 1.2;
            settings.fsrs_parameters = Some(parameters);
            Ok(())
        })
        .expect("the parameters change");
        let recomputed = Store::open(&data).expect("the collection opens");
        let from_logs = rebuilt(&data, &dir.path().join("scratch"));
        prop_assert_eq!(contents(&recomputed), contents(&from_logs));
    }
}

/// What happens in a world of devices: one of them changes its collection, or a sync tool
/// copies one device's log to another (`part`, when the copy is cut short, is how much of it).
#[derive(Debug, Clone)]
enum Step {
    On(usize, Op),
    Copy {
        from: usize,
        to: usize,
        part: Option<u8>,
    },
}

fn step(devices: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..devices, op()).prop_map(|(device, op)| Step::On(device, op)),
        2 => (0..devices, 0..devices, proptest::option::of(1..100u8))
            .prop_map(|(from, to, part)| Step::Copy { from, to, part }),
    ]
}

/// Copies the log of the device in `from` into `to`'s logs, whole or its first `part` percent.
fn copy_log(from: &Path, to: &Path, part: Option<u8>) {
    let Ok(entries) = std::fs::read_dir(from.join("logs")) else {
        return;
    };
    let device = std::fs::read_to_string(from.join(super::device::FILE)).unwrap_or_default();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // Only the device's own log: a sync tool copies what changed there.
        if !device.contains(name.trim_end_matches(".jsonl")) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("a log");
        let kept = part.map_or(bytes.len(), |part| bytes.len() * usize::from(part) / 100);
        std::fs::create_dir_all(to.join("logs")).expect("a logs directory");
        std::fs::write(to.join("logs").join(&name), &bytes[..kept]).expect("a log copied");
    }
}

/// How many grades the logs of `data` hold that stand (undos take one back each).
fn grades_in_logs(data: &Path) -> i64 {
    let mut count = 0;
    for entry in std::fs::read_dir(data.join("logs")).expect("the logs").flatten() {
        for line in std::fs::read_to_string(entry.path()).unwrap_or_default().lines() {
            if let Ok(record) = serde_json::from_str::<crate::core::Record>(line) {
                match record.kind {
                    crate::core::Kind::Review | crate::core::Kind::Redrill | crate::core::Kind::Cram => {
                        count += 1
                    }
                    crate::core::Kind::Undo => count -= 1,
                    _ => {}
                }
            }
        }
    }
    count
}

proptest! {
    // 16 cases by default; PROPTEST_CASES asks for more.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(16),
        ..ProptestConfig::default()
    })]

    #[test]
    fn devices_that_exchange_every_log_show_the_same_collection(
        devices in 2..4usize,
        steps in prop::collection::vec(step(3), 1..16),
    ) {
        let world = tempfile::tempdir().expect("a temporary directory");
        let homes: Vec<std::path::PathBuf> = (0..devices).map(|n| world.path().join(format!("device{n}"))).collect();
        let data = |n: usize| homes[n].join("data");
        let mut day = NaiveDate::from_ymd_opt(2026, 9, 1).unwrap_or_default();
        for (n, home) in homes.iter().enumerate() {
            std::fs::create_dir_all(home).expect("a home");
            run(home, &data(n), &Op::Import { file: n % 2, version: 0 }, day);
        }
        for (n, step) in steps.iter().enumerate() {
            if n % 4 == 3 {
                day = crate::schedule::day::add(day, 1);
            }
            match step {
                Step::On(device, op) => run(&homes[device % devices], &data(device % devices), op, day),
                // A sync tool never writes a device's own log on that device.
                Step::Copy { from, to, .. } if from % devices == to % devices => {}
                Step::Copy { from, to, part } => copy_log(&data(from % devices), &data(to % devices), *part),
            }
        }
        // Every device takes every other device's whole log.
        for from in 0..devices {
            for to in 0..devices {
                if from != to {
                    copy_log(&data(from), &data(to), None);
                }
            }
        }
        let first = contents(&Store::open(&data(0)).expect("a device opens"));
        for n in 1..devices {
            let other = contents(&Store::open(&data(n)).expect("a device opens"));
            let differing: Vec<_> = first.0.iter().zip(&other.0).filter(|(a, b)| a != b).collect();
            prop_assert_eq!(&other, &first, "device {}: cards differ: {:?}", n, differing);
        }
        let from_logs = rebuilt(&data(0), &world.path().join("scratch"));
        prop_assert_eq!(&contents(&from_logs), &first);
        // No grade of any device is lost: the statistics count each one that stands.
        let counted: i64 = first.2.values().map(|tally| tally.reviews).sum();
        prop_assert_eq!(counted, grades_in_logs(&data(0)));
    }
}
