//! Re-importing edited notes keeps every card's id and progress: the edits students make
//! week after week, with reviews between imports so there is progress to lose.

use std::path::Path;

use crate::common::{day, noon, stamp};
use recall::core::{Card, Status};
use recall::import::{self, Report, Request};
use recall::review::queue::{Mode, Options};
use recall::review::session::Session;
use recall::schedule::sm2::{CardState, Grade};
use recall::store::Store;

const V1: &str = "\
Course
Lecture 1 - Basics
What is a neural network?
A function made of layers of weighted sums and nonlinearities.
What is backpropogation?
The chain rule applied backwards through the network to get gradients.
What is the L1 distance?
Sum of absolute differences.
What is the main idea?
Stack simple layers.
Lecture 2 - Training
What is a learning rate?
The step size of gradient descent.
What is momentum?
A running average of gradients.
What is weight decay?
An L2 penalty on the weights.
What is dropout?
Randomly zeroing activations during training.
Lecture 3 - CNNs
What is a convolution?
Sliding a filter over the input and taking dot products at each position.
What is pooling?
Downsampling by taking the max or mean over windows.
What is the main idea?
Share weights across positions.
";

struct Course {
    dir: tempfile::TempDir,
}

impl Course {
    fn new() -> Course {
        Course {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn data(&self) -> std::path::PathBuf {
        self.dir.path().join("data")
    }

    fn import(&self, notes: &str, on: &str) -> Report {
        let file = self.dir.path().join("course.txt");
        std::fs::write(&file, notes).unwrap();
        let mut store = Store::open_for_writing(&self.data()).unwrap();
        let report = import::import_file(
            &mut store,
            &Request {
                file,
                ..Default::default()
            },
            stamp(day(on)),
        )
        .unwrap();
        store.save().unwrap();
        report
    }

    /// Reviews every card due (and every new card) on `on` with `grade`.
    fn review_all(&self, on: &str, grade: u8) {
        let store = Store::open_for_writing(&self.data()).unwrap();
        let options = Options {
            mode: Mode::Scheduled {
                new_cards: Some(1000),
            },
            ..Options::default()
        };
        let mut session = Session::start(store, &options, day(on)).unwrap();
        while session.current().is_some() {
            let grade = if session.current().unwrap().0.kind == recall::review::queue::EntryKind::Redrill {
                5
            } else {
                grade
            };
            session.grade(Grade::new(grade).unwrap(), noon(on), 1000).unwrap();
        }
        session.finish().unwrap();
    }

    fn cards(&self) -> Vec<Card> {
        Store::open(&self.data()).unwrap().cards().to_vec()
    }

    fn card(&self, question: &str) -> Card {
        let cards: Vec<Card> = self
            .cards()
            .into_iter()
            .filter(|c| c.question == question)
            .collect();
        assert_eq!(cards.len(), 1, "exactly one card asks {question:?}");
        cards.into_iter().next().unwrap()
    }
}

fn ids(report: &[import::Change]) -> Vec<&str> {
    report.iter().map(|c| c.id.as_str()).collect()
}

/// Every card's (id, status, state), to compare before and after an import.
fn progress(cards: &[Card]) -> Vec<(String, Status, CardState)> {
    let mut all: Vec<_> = cards.iter().map(|c| (c.id.clone(), c.status, c.state)).collect();
    all.sort_by(|a, b| a.0.cmp(&b.0));
    all
}

/// After an import: every card of `before` is still there under its id with its SM-2 state,
/// and its status is unchanged unless `status` says what it became; cards added are new.
#[track_caller]
fn assert_progress_kept(before: &[Card], after: &[Card], status: &[(&str, Status)]) {
    for old in before {
        let Some(now) = after.iter().find(|c| c.id == old.id) else {
            panic!("the card {:?} was lost", old.question);
        };
        assert_eq!(now.state, old.state, "the progress of {:?}", old.question);
        let expected = status
            .iter()
            .find(|(id, _)| *id == old.id)
            .map_or(old.status, |&(_, status)| status);
        assert_eq!(now.status, expected, "the status of {:?}", old.question);
    }
    for added in after.iter().filter(|c| !before.iter().any(|old| old.id == c.id)) {
        assert!(
            added.state.is_new() && added.status == Status::Active,
            "{added:?}"
        );
    }
}

#[test]
fn every_edit_keeps_ids_status_and_progress() {
    let course = Course::new();
    let first = course.import(V1, "2026-09-01");
    assert_eq!(first.counts.new, 11);
    course.review_all("2026-09-01", 4);
    let learnt = course.cards();
    assert!(
        learnt
            .iter()
            .all(|c| c.state.repetitions == 1 && c.status == Status::Active)
    );

    // 1. A typo fixed in a question.
    let v2 = V1.replace("What is backpropogation?", "What is backpropagation?");
    let report = course.import(&v2, "2026-09-02");
    let typo = learnt
        .iter()
        .find(|c| c.question == "What is backpropogation?")
        .unwrap();
    assert_eq!(ids(&report.renamed), [typo.id.as_str()]);
    assert_eq!(report.renamed[0].was.as_deref(), Some("What is backpropogation?"));
    assert_eq!(report.counts.unchanged, 10);
    let fixed = course.card("What is backpropagation?");
    assert_eq!((fixed.id.as_str(), fixed.state), (typo.id.as_str(), typo.state));
    assert_progress_kept(&learnt, &course.cards(), &[]);
    course.review_all("2026-09-02", 5);
    let before = progress(&course.cards());

    // 2. An answer extended.
    let v3 = v2.replace(
        "A running average of gradients.",
        "A running average of gradients.\nIt smooths the steps and rolls through saddle points.",
    );
    let report = course.import(&v3, "2026-09-03");
    assert_eq!(report.counts.updated, 1);
    assert_eq!(course.card("What is momentum?").answer.lines().count(), 2);
    assert_eq!(progress(&course.cards()), before);

    // 3. A card moved to another lecture.
    let v4 = v3
        .replace(
            "What is dropout?\nRandomly zeroing activations during training.\n",
            "",
        )
        .replace(
            "Lecture 3 - CNNs\n",
            "Lecture 3 - CNNs\nWhat is dropout?\nRandomly zeroing activations during training.\n",
        );
    let report = course.import(&v4, "2026-09-03");
    assert_eq!(report.counts.moved, 1);
    assert_eq!(report.moved[0].was.as_deref(), Some("Lecture 2 - Training"));
    assert_eq!(course.card("What is dropout?").section, "Lecture 3 - CNNs");
    assert_eq!(progress(&course.cards()), before);

    // 4. Two cards swapped in order: only their lines change.
    let v5 = v4.replace(
        "What is a learning rate?\nThe step size of gradient descent.\nWhat is momentum?",
        "What is momentum?",
    );
    let v5 = v5.replace(
        "What is weight decay?",
        "What is a learning rate?\nThe step size of gradient descent.\nWhat is weight decay?",
    );
    let report = course.import(&v5, "2026-09-03");
    assert_eq!(report.counts.unchanged, 11, "{report:?}");
    assert!(course.card("What is a learning rate?").line > course.card("What is momentum?").line);
    assert_eq!(progress(&course.cards()), before);

    // 5. A card deleted, then restored two imports later.
    let before = course.cards();
    let pooling = course.card("What is pooling?");
    let without_pooling = v5.replace(
        "What is pooling?\nDownsampling by taking the max or mean over windows.\n",
        "",
    );
    let report = course.import(&without_pooling, "2026-09-04");
    assert_eq!(ids(&report.retired), [pooling.id.as_str()]);
    assert_progress_kept(&before, &course.cards(), &[(&pooling.id, Status::Retired)]);
    course.review_all("2026-09-08", 4);
    let before = course.cards();
    let report = course.import(&without_pooling, "2026-09-09");
    assert_eq!(
        report.counts.retired, 0,
        "an already retired card is not retired again"
    );
    assert_progress_kept(&before, &course.cards(), &[]);
    let report = course.import(&v5, "2026-09-10");
    assert_eq!(ids(&report.restored), [pooling.id.as_str()]);
    let restored = course.card("What is pooling?");
    assert_eq!((restored.status, restored.state), (Status::Active, pooling.state));
    assert_progress_kept(&before, &course.cards(), &[(&pooling.id, Status::Active)]);

    // 6. A new card whose question differs from a deleted one by one number.
    let before = course.cards();
    let l1 = course.card("What is the L1 distance?");
    let v6 = v5.replace("What is the L1 distance?", "What is the L2 distance?");
    let report = course.import(&v6, "2026-09-10");
    assert_eq!(ids(&report.retired), [l1.id.as_str()]);
    assert_eq!(report.counts.new, 1);
    let l2 = course.card("What is the L2 distance?");
    assert_ne!(l2.id, l1.id);
    assert!(l2.state.is_new());
    assert_eq!(course.card("What is the L1 distance?").state, l1.state);
    assert_progress_kept(&before, &course.cards(), &[(&l1.id, Status::Retired)]);
    course.review_all("2026-09-10", 5);

    // 7. Two near-identical new questions replace a deleted one: neither takes its progress.
    let before = course.cards();
    let convolution = course.card("What is a convolution?");
    let answer = "Sliding a filter over the input and taking dot products at each position.";
    let v7 = v6.replace(
        &format!("What is a convolution?\n{answer}\n"),
        &format!("What is a convolution layer?\n{answer}\nWhat is a convolution operation?\n{answer}\n"),
    );
    let report = course.import(&v7, "2026-09-10");
    assert_eq!(ids(&report.retired), [convolution.id.as_str()]);
    assert_eq!(report.counts.new, 2);
    assert!(course.card("What is a convolution layer?").state.is_new());
    assert!(course.card("What is a convolution operation?").state.is_new());
    assert_progress_kept(&before, &course.cards(), &[(&convolution.id, Status::Retired)]);
    course.review_all("2026-09-11", 4);

    // 8. The same question in two sections: one's answer extended, then the other's question
    // edited (a word added).
    let cards = course.cards();
    let main_ideas: Vec<&Card> = cards
        .iter()
        .filter(|c| c.question == "What is the main idea?")
        .collect();
    assert_eq!(main_ideas.len(), 2);
    let v8 = v7.replace(
        "Share weights across positions.",
        "Share weights across positions, so a filter finds a pattern anywhere.",
    );
    let report = course.import(&v8, "2026-09-12");
    assert_eq!(report.counts.updated, 1);
    let after = course.cards();
    for old in &main_ideas {
        let now = after.iter().find(|c| c.id == old.id).unwrap();
        assert_eq!(now.section, old.section);
        assert_eq!(now.answer != old.answer, old.section == "Lecture 3 - CNNs");
    }
    assert_progress_kept(&cards, &after, &[]);
    let v9 = v8.replace(
        "What is the main idea?\nStack simple layers.",
        "What is the main idea here?\nStack simple layers.",
    );
    let report = course.import(&v9, "2026-09-12");
    let basics = main_ideas
        .iter()
        .find(|c| c.section == "Lecture 1 - Basics")
        .unwrap();
    assert_eq!(ids(&report.renamed), [basics.id.as_str()], "{report:?}");
    assert_eq!(course.card("What is the main idea here?").id, basics.id);
    assert_progress_kept(&cards, &course.cards(), &[]);

    // 9. A retired card comes back with its question edited: restored, with its progress.
    let before = course.cards();
    let decay = course.card("What is weight decay?");
    let card = "What is weight decay?\nAn L2 penalty on the weights.\n";
    let v10 = v9.replace(card, "");
    course.import(&v10, "2026-09-13");
    assert_progress_kept(&before, &course.cards(), &[(&decay.id, Status::Retired)]);
    let v11 = v9.replace("What is weight decay?", "What is weight decay for?");
    let report = course.import(&v11, "2026-09-14");
    assert_eq!(ids(&report.restored), [decay.id.as_str()], "{report:?}");
    assert_eq!(course.card("What is weight decay for?").state, decay.state);
    assert_progress_kept(&before, &course.cards(), &[]);
    let after = course.cards();

    // Idempotence: the same file again changes nothing.
    let again = course.import(&v11, "2026-09-14");
    assert_eq!(
        again.counts,
        import::Counts {
            unchanged: 12,
            ..Default::default()
        }
    );
    assert_eq!(progress(&course.cards()), progress(&after));
}

/// The first user's real notes, edited the way a week of a course edits them.
#[test]
fn edits_of_the_real_notes_keep_every_cards_progress() {
    let course = Course::new();
    let seed = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/eecs498-computer-vision.txt"),
    )
    .unwrap();
    assert_eq!(course.import(&seed, "2026-09-01").counts.new, 278);
    course.review_all("2026-09-01", 4);
    course.review_all("2026-09-02", 3);
    let before = course.cards();
    let instagram = course.card("How many images uploaded to Instagram daily?");
    let deep = "What is a deep network?\nOne that has considerably more computations that traditional machine learning algorithms.\n";
    let edited = seed
        .replace(
            "What is distributed representation?",
            "What is a distributed representation?",
        )
        .replace(
            "They couldn't create a function for XOR.",
            "They couldn't create a function for XOR.\nMinsky and Papert showed it in 1969.",
        )
        .replace("How many images uploaded to Instagram daily?\n1.3 billion.\n", "")
        .replace(deep, "")
        .replace(
            "Lecture 2 - Image Classification\n",
            &format!("Lecture 2 - Image Classification\n{deep}"),
        );
    let report = course.import(&edited, "2026-09-03");
    // Two updated: the lines after the moved card's answer now end the answer before it.
    let counts = import::Counts {
        updated: 2,
        renamed: 1,
        moved: 1,
        retired: 1,
        unchanged: 273,
        ..Default::default()
    };
    assert_eq!(report.counts, counts, "{report:?}");
    assert_eq!(ids(&report.retired), [instagram.id.as_str()]);
    assert_progress_kept(&before, &course.cards(), &[(&instagram.id, Status::Retired)]);

    // Back to the notes as they were: every card as it was, the deleted one restored.
    course.review_all("2026-09-04", 5);
    let before = course.cards();
    let report = course.import(&seed, "2026-09-05");
    assert_eq!(ids(&report.restored), [instagram.id.as_str()]);
    assert_eq!(
        (report.counts.new, report.counts.retired, report.counts.unchanged),
        (0, 0, 273)
    );
    assert_progress_kept(&before, &course.cards(), &[(&instagram.id, Status::Active)]);
}

#[test]
fn the_seed_gives_278_new_cards_then_278_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks/eecs498-computer-vision.txt");
    let mut store = Store::open_for_writing(&dir.path().join("data")).unwrap();
    let request = Request {
        file: seed,
        ..Default::default()
    };
    let first = import::import_file(&mut store, &request, stamp(day("2026-11-28"))).unwrap();
    assert_eq!(
        first.counts,
        import::Counts {
            new: 278,
            ..Default::default()
        }
    );
    assert_eq!(first.warnings.len(), 2);
    store.save().unwrap();
    let ids: Vec<String> = store.cards().iter().map(|c| c.id.clone()).collect();
    let second = import::import_file(&mut store, &request, stamp(day("2026-11-29"))).unwrap();
    assert_eq!(
        second.counts,
        import::Counts {
            unchanged: 278,
            ..Default::default()
        }
    );
    assert_eq!(
        store.cards().iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        ids
    );
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 278);
}
