//! What FSRS learns from: each card's reviews drawn from the log, as the scheduler counted
//! them (the first grade of a study day, minus what was undone, restarting at a reset), and
//! turned into the `fsrs` crate's training items. Also what the simulator needs to know of
//! the student: how they grade and how long an answer takes.

use std::collections::HashMap;

use ::fsrs::{FSRSItem, FSRSReview};
use chrono::NaiveDate;

use crate::core::{Event, Kind, Record};
use crate::schedule::fsrs::Rating;

/// An answer counts towards the time per answer only when it took less than this (a longer
/// one is a break, not thought).
const LONGEST_ANSWER_MS: u64 = 20 * 60 * 1000;

/// One review that moved a card's schedule.
#[derive(Debug, Clone, Copy)]
struct Review {
    day: NaiveDate,
    rating: Rating,
    /// The record it came from, to find it again when it is undone.
    device: u32,
    id: u64,
    ms: Option<u64>,
    /// Its place in the collection's order, for sorting the items by time.
    order: u64,
}

/// Every card's reviews, built record by record in the collection's order.
#[derive(Debug, Default)]
pub(crate) struct Histories {
    devices: Vec<String>,
    /// Each card's reviews since it was added or last made new.
    open: HashMap<String, Vec<Review>>,
    /// Runs of reviews ended by a reset: the card started again from nothing.
    closed: Vec<Vec<Review>>,
    seen: u64,
}

impl Histories {
    /// Takes in `record`, written by `device`, about the card now called `card` (another
    /// device's twin it was folded into, or its own id).
    pub(crate) fn add(&mut self, device: &str, record: &Record, card: &str) {
        self.seen += 1;
        let Ok(event) = record.event() else {
            return;
        };
        match event {
            Event::Grade {
                kind: Kind::Review,
                grade,
                ..
            } => {
                let device = self.device_number(device);
                let reviews = self.open.entry(card.to_string()).or_default();
                // Another grade on the same study day is a same-day repeat: it moves nothing.
                if reviews.last().is_some_and(|last| last.day == record.day) {
                    return;
                }
                reviews.push(Review {
                    day: record.day,
                    rating: Rating::from_grade(grade.value()),
                    device,
                    id: record.id,
                    ms: record.ms,
                    order: self.seen,
                });
            }
            Event::Undo { .. } if record.undone_kind == Some(Kind::Review) => {
                let (Some(undone), Some(device)) = (record.undoes, self.device_index(device)) else {
                    return;
                };
                if let Some(reviews) = self.open.get_mut(card)
                    && let Some(at) = reviews.iter().rposition(|r| r.id == undone && r.device == device)
                {
                    reviews.remove(at);
                }
            }
            Event::Reset { .. } => self.restart(card),
            Event::CardState { progress, .. } if progress.state.is_new() => self.restart(card),
            _ => {}
        }
    }

    fn restart(&mut self, card: &str) {
        if let Some(reviews) = self.open.remove(card).filter(|r| !r.is_empty()) {
            self.closed.push(reviews);
        }
    }

    fn device_index(&self, device: &str) -> Option<u32> {
        self.devices.iter().position(|d| d == device).map(|i| i as u32)
    }

    fn device_number(&mut self, device: &str) -> u32 {
        self.device_index(device).unwrap_or_else(|| {
            self.devices.push(device.to_string());
            (self.devices.len() - 1) as u32
        })
    }

    /// The training set: an item for every review of a card seen on an earlier day, holding
    /// the card's reviews up to it, oldest item first.
    pub(crate) fn finish(self) -> TrainingSet {
        let mut runs: Vec<Vec<Review>> = self
            .closed
            .into_iter()
            .chain(self.open.into_values())
            .filter(|run| !run.is_empty())
            .collect();
        // Cards numbered in the order they were first reviewed, so the same log always gives
        // the same training set, and training the same parameters.
        runs.sort_by_key(|run| run[0].order);
        let mut set = TrainingSet {
            cards: runs.len(),
            ..TrainingSet::default()
        };
        let mut items: Vec<(u64, i64, FSRSItem)> = Vec::new();
        for (number, run) in runs.iter().enumerate() {
            let mut reviews = Vec::with_capacity(run.len());
            let mut previous: Option<&Review> = None;
            for review in run {
                let delta_t = previous.map_or(0, |p| (review.day - p.day).num_days().max(0) as u32);
                reviews.push(FSRSReview {
                    rating: review.rating as u32,
                    delta_t,
                });
                set.count(previous, review);
                // A review on the same day as the one before (clocks of two devices that
                // disagree) teaches nothing about forgetting.
                if previous.is_some() && delta_t > 0 {
                    items.push((
                        review.order,
                        number as i64,
                        FSRSItem {
                            reviews: reviews.clone(),
                        },
                    ));
                }
                previous = Some(review);
            }
        }
        items.sort_by_key(|(order, _, _)| *order);
        (set.items, set.card_ids) = items.into_iter().map(|(_, card, item)| (item, card)).unzip();
        set
    }
}

/// The reviews FSRS trains on, with what the simulator needs of the student.
#[derive(Debug, Default)]
pub(crate) struct TrainingSet {
    pub(crate) items: Vec<FSRSItem>,
    /// For each item, the number of its card (items of one card share their reviews).
    pub(crate) card_ids: Vec<i64>,
    /// Cards with at least one review.
    pub(crate) cards: usize,
    /// How often each rating (Again to Easy) was a card's first.
    pub(crate) first_ratings: [u64; 4],
    /// How often each rating was given to a card seen before.
    pub(crate) review_ratings: [u64; 4],
    /// Total seconds and answers per (first review, review, review after a lapse) and rating.
    pub(crate) answer_time: [[(f64, u64); 4]; 3],
}

impl TrainingSet {
    /// Reviews of cards seen on an earlier day: what training learns from.
    pub(crate) fn reviews(&self) -> usize {
        self.items.len()
    }

    fn count(&mut self, previous: Option<&Review>, review: &Review) {
        let rating = review.rating as usize - 1;
        let state = match previous {
            None => 0,
            Some(p) if p.rating == Rating::Again => 2,
            Some(_) => 1,
        };
        if state == 0 {
            self.first_ratings[rating] += 1;
        } else {
            self.review_ratings[rating] += 1;
        }
        if let Some(ms) = review.ms.filter(|&ms| ms > 0 && ms < LONGEST_ANSWER_MS) {
            let cell = &mut self.answer_time[state][rating];
            cell.0 += ms as f64 / 1000.0;
            cell.1 += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Stamp;
    use crate::schedule::sm2::{CardState, Grade};

    fn review(id: u64, card: &str, day: &str, grade: u8) -> Record {
        let day: NaiveDate = day.parse().unwrap();
        let at = day.and_hms_opt(12, 0, 0).unwrap().and_utc().fixed_offset();
        let mut record = Record::new(Kind::Review, card, Stamp { at, day });
        record.id = id;
        record.grade = Grade::new(grade);
        record.before = Some(CardState::default());
        record.after = Some(CardState::default());
        record.ms = Some(5000);
        record
    }

    #[test]
    fn items_are_the_reviews_after_the_first_with_their_history_and_day_gaps() {
        let mut histories = Histories::default();
        for record in [
            review(1, "a", "2026-01-01", 4),
            review(2, "a", "2026-01-01", 1), // a same-day repeat: not a review that counts
            review(3, "b", "2026-01-02", 0),
            review(4, "a", "2026-01-03", 5),
            review(5, "b", "2026-01-04", 3),
            review(6, "a", "2026-01-10", 2),
        ] {
            let card = record.card.clone();
            histories.add("laptop", &record, &card);
        }
        let set = histories.finish();
        assert_eq!(set.cards, 2);
        let items: Vec<Vec<(u32, u32)>> = set
            .items
            .iter()
            .map(|item| item.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        assert_eq!(
            items,
            [
                vec![(3, 0), (4, 2)],
                vec![(1, 0), (2, 2)],
                vec![(3, 0), (4, 2), (1, 7)],
            ]
        );
        assert_eq!(set.first_ratings, [1, 0, 1, 0]);
        assert_eq!(set.review_ratings, [1, 1, 0, 1]);
        assert_eq!(set.answer_time[2][1], (5.0, 1), "b's Hard after its lapse");
    }

    #[test]
    fn an_undone_review_and_a_reset_are_left_out() {
        let mut histories = Histories::default();
        let mut undo = review(3, "a", "2026-01-03", 4);
        undo.kind = Kind::Undo;
        undo.undoes = Some(2);
        undo.undone_kind = Some(Kind::Review);
        let mut reset = review(5, "a", "2026-01-05", 4);
        reset.kind = Kind::Reset;
        reset.grade = None;
        for record in [
            review(1, "a", "2026-01-01", 4),
            review(2, "a", "2026-01-03", 1),
            undo,
            // After the undo, the day's first grade that stands is this one.
            review(4, "a", "2026-01-03", 5),
            reset,
            review(6, "a", "2026-01-06", 4),
            review(7, "a", "2026-01-08", 4),
        ] {
            histories.add("laptop", &record, "a");
        }
        let set = histories.finish();
        let items: Vec<Vec<(u32, u32)>> = set
            .items
            .iter()
            .map(|item| item.reviews.iter().map(|r| (r.rating, r.delta_t)).collect())
            .collect();
        assert_eq!(items, [vec![(3, 0), (4, 2)], vec![(3, 0), (3, 2)]]);
        assert_eq!(set.cards, 2, "a reset card starts a history of its own");
    }
}
