//! The review history folded per study day and deck, kept in a cache next to the cards.
//! Statistics read this digest instead of the whole log, so their cost does not grow with
//! years of reviews; the log stays the source of truth the digest is rebuilt from.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Kind, Record};
use crate::schedule::sm2::CardState;

/// The most time one answer counts for, in milliseconds: a day.
const MAX_MS: u64 = 24 * 60 * 60 * 1000;

/// Cards with an interval of this many days or more are mature (as Anki counts them).
pub(crate) const MATURE_DAYS: u32 = 21;

/// What reviews add up to on one day. Signed, because an undo subtracts what it takes back.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Tally {
    /// Grades given: reviews, re-drills and cram.
    pub(crate) reviews: i64,
    /// Grades of 3 or more among them.
    pub(crate) correct: i64,
    /// Milliseconds spent answering.
    pub(crate) ms: i64,
    /// First grades of new cards.
    pub(crate) new: i64,
    pub(crate) redrills: i64,
    /// First reviews of the day of cards last seen on an earlier day (Anki's true retention),
    /// by whether the interval before was under 21 days (young) or not (mature).
    pub(crate) young_pass: i64,
    pub(crate) young_fail: i64,
    pub(crate) mature_pass: i64,
    pub(crate) mature_fail: i64,
}

impl Tally {
    /// What `record` adds to its day, or `None` for records that are not grades.
    pub(crate) fn of(record: &Record) -> Option<Tally> {
        let grade = record.grade?.value();
        // A hand-made record may claim any time; one answer counts for a day at most.
        let ms = record.ms.unwrap_or(0).min(MAX_MS) as i64;
        match record.kind {
            Kind::Review | Kind::Redrill | Kind::Cram => {
                Some(Tally::grade(record.kind, grade, ms, record.before?, record.day))
            }
            // The undo repeats the record it takes back; its `after` is that record's `before`.
            Kind::Undo => {
                Some(Tally::grade(record.undone_kind?, grade, ms, record.after?, record.day).negated())
            }
            _ => None,
        }
    }

    fn grade(kind: Kind, grade: u8, ms: i64, before: CardState, day: NaiveDate) -> Tally {
        let pass = grade >= 3;
        let mut tally = Tally {
            reviews: 1,
            correct: i64::from(pass),
            ms,
            ..Tally::default()
        };
        match kind {
            Kind::Review if before.is_new() => tally.new = 1,
            Kind::Review if before.last_review.is_some_and(|last| last < day) => {
                let counter = match (before.interval >= MATURE_DAYS, pass) {
                    (false, true) => &mut tally.young_pass,
                    (false, false) => &mut tally.young_fail,
                    (true, true) => &mut tally.mature_pass,
                    (true, false) => &mut tally.mature_fail,
                };
                *counter = 1;
            }
            Kind::Redrill => tally.redrills = 1,
            _ => {}
        }
        tally
    }

    fn negated(self) -> Tally {
        let mut out = Tally::default();
        out.subtract(&self);
        out
    }

    pub(crate) fn add(&mut self, other: &Tally) {
        self.combine(other, 1);
    }

    fn subtract(&mut self, other: &Tally) {
        self.combine(other, -1);
    }

    /// Adds (`sign` 1) or subtracts (`sign` -1) `other`, saturating: no history, however
    /// made, can overflow a counter.
    fn combine(&mut self, other: &Tally, sign: i64) {
        let fields = [
            (&mut self.reviews, other.reviews),
            (&mut self.correct, other.correct),
            (&mut self.ms, other.ms),
            (&mut self.new, other.new),
            (&mut self.redrills, other.redrills),
            (&mut self.young_pass, other.young_pass),
            (&mut self.young_fail, other.young_fail),
            (&mut self.mature_pass, other.mature_pass),
            (&mut self.mature_fail, other.mature_fail),
        ];
        for (mine, theirs) in fields {
            *mine = mine.saturating_add(theirs.saturating_mul(sign));
        }
    }
}

/// One day of one deck.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DayEntry {
    #[serde(with = "crate::schedule::day")]
    pub(crate) day: NaiveDate,
    pub(crate) deck: String,
    pub(crate) tally: Tally,
}

/// Adds `pending` tallies into `history`, keeping it sorted by day, then deck.
pub(crate) fn fold(history: &mut Vec<DayEntry>, pending: &HashMap<(NaiveDate, String), Tally>) {
    if pending.is_empty() {
        return;
    }
    let mut at: HashMap<(NaiveDate, &str), usize> = history
        .iter()
        .enumerate()
        .map(|(i, e)| ((e.day, e.deck.as_str()), i))
        .collect();
    let mut added = Vec::new();
    let mut updates = Vec::new();
    for ((day, deck), tally) in pending {
        match at.remove(&(*day, deck.as_str())) {
            Some(i) => updates.push((i, *tally)),
            None => added.push(DayEntry {
                day: *day,
                deck: deck.clone(),
                tally: *tally,
            }),
        }
    }
    drop(at);
    for (i, tally) in updates {
        history[i].tally.add(&tally);
    }
    history.extend(added);
    sort(history);
}

/// Sorts `history` by day, then deck, adding up entries of the same day and deck (two decks
/// that became one).
pub(crate) fn sort(history: &mut Vec<DayEntry>) {
    history.sort_by(|a, b| (a.day, &a.deck).cmp(&(b.day, &b.deck)));
    history.dedup_by(|later, kept| {
        let same = later.day == kept.day && later.deck == kept.deck;
        if same {
            kept.tally.add(&later.tally);
        }
        same
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::sm2::{Grade, review};

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, n).unwrap()
    }

    fn record(kind: Kind, grade: u8, before: CardState, on: u32) -> Record {
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-01T12:00:00+00:00").unwrap();
        Record {
            id: 1,
            grade: Grade::new(grade),
            before: Some(before),
            after: Some(before),
            ms: Some(3000),
            ..Record::new(kind, "c", crate::core::Stamp { at, day: day(on) })
        }
    }

    #[test]
    fn grades_count_by_kind_and_retention_by_interval() {
        let new = CardState::default();
        let young = review(&new, Grade::new(4).unwrap(), day(1));
        let mature = CardState {
            interval: 30,
            ..young
        };
        let first = Tally::of(&record(Kind::Review, 4, new, 2)).unwrap();
        assert_eq!(
            first,
            Tally {
                reviews: 1,
                correct: 1,
                ms: 3000,
                new: 1,
                ..Tally::default()
            }
        );
        assert_eq!(
            Tally::of(&record(Kind::Review, 2, young, 2)).unwrap().young_fail,
            1
        );
        assert_eq!(
            Tally::of(&record(Kind::Review, 3, mature, 2))
                .unwrap()
                .mature_pass,
            1
        );
        let redrill = Tally::of(&record(Kind::Redrill, 2, young, 2)).unwrap();
        assert_eq!((redrill.redrills, redrill.correct, redrill.young_fail), (1, 0, 0));
        // Reviewed earlier the same day: not a retention review.
        assert_eq!(
            Tally::of(&record(Kind::Review, 5, young, 1)).unwrap().young_pass,
            0
        );
        assert_eq!(Tally::of(&record(Kind::Bury, 5, young, 2)), None);
    }

    #[test]
    fn an_undo_subtracts_what_it_takes_back() {
        let young = review(&CardState::default(), Grade::new(4).unwrap(), day(1));
        let graded = record(Kind::Review, 5, young, 3);
        let mut undo = record(Kind::Undo, 5, young, 3);
        undo.undone_kind = Some(Kind::Review);
        undo.before = Some(review(&young, Grade::new(5).unwrap(), day(3)));
        let mut total = Tally::of(&graded).unwrap();
        total.add(&Tally::of(&undo).unwrap());
        assert_eq!(total, Tally::default());
    }

    #[test]
    fn folding_merges_days_and_decks_in_order() {
        let one = Tally {
            reviews: 1,
            ..Tally::default()
        };
        let mut history = vec![DayEntry {
            day: day(2),
            deck: "B".into(),
            tally: one,
        }];
        let pending: HashMap<(NaiveDate, String), Tally> = [
            ((day(2), "B".into()), one),
            ((day(1), "A".into()), one),
            ((day(2), "A".into()), one),
        ]
        .into();
        fold(&mut history, &pending);
        let keys: Vec<_> = history
            .iter()
            .map(|e| (e.day, e.deck.as_str(), e.tally.reviews))
            .collect();
        assert_eq!(keys, [(day(1), "A", 1), (day(2), "A", 1), (day(2), "B", 2)]);
    }
}
