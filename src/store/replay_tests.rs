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
            let _ = import::import_files(&mut store, &[request], stamp);
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
    }
}
