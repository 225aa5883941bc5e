//! When a card is due, and after how long, under the scheduler the settings choose. Every card
//! keeps both memories (SM-2's state and FSRS's stability and difficulty), so this only picks
//! which one answers; a card FSRS has never seen reviewed is scheduled as SM-2 has it.

use chrono::NaiveDate;

use super::card::Card;
use super::settings::{Scheduler, Settings};
use crate::schedule::day;
use crate::schedule::fsrs::{self, Rating};
use crate::schedule::sm2::{self, Grade};

/// The chosen scheduler with its settings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schedule {
    pub(crate) kind: Scheduler,
    fsrs: fsrs::Scheduler,
    fuzz: bool,
}

impl Schedule {
    pub(crate) fn new(settings: &Settings) -> Schedule {
        Schedule {
            kind: settings.scheduler,
            fsrs: settings.fsrs(),
            fuzz: settings.fsrs_fuzz,
        }
    }

    /// The same settings with FSRS chosen: what FSRS would do.
    pub(crate) fn fsrs_view(&self) -> Schedule {
        Schedule {
            kind: Scheduler::Fsrs,
            ..self.clone()
        }
    }

    /// Days from the card's last review to its due day (0 for a new card).
    pub(crate) fn interval(&self, card: &Card) -> u32 {
        match (self.kind, card.fsrs, card.state.last_review) {
            (Scheduler::Fsrs, Some(memory), Some(last)) => self.fsrs_interval(card, memory.stability, last),
            _ => card.state.interval,
        }
    }

    /// The study day the card is due (none for a new card).
    pub(crate) fn due(&self, card: &Card) -> Option<NaiveDate> {
        match (self.kind, card.fsrs, card.state.last_review) {
            (Scheduler::Fsrs, Some(memory), Some(last)) => Some(day::add(
                last,
                u64::from(self.fsrs_interval(card, memory.stability, last)),
            )),
            _ => card.state.due,
        }
    }

    /// FSRS's probability that the card is recalled on `today` (none before its first review).
    pub(crate) fn retrievability(&self, card: &Card, today: NaiveDate) -> Option<f64> {
        let (memory, last) = (card.fsrs?, card.state.last_review?);
        let elapsed = (today - last).num_days().max(0) as f64;
        Some(self.fsrs.retrievability(memory.stability, elapsed))
    }

    /// The interval each grade (0 to 5) would give the card as its first grade of `today`.
    pub(crate) fn preview(&self, card: &Card, today: NaiveDate) -> [u32; 6] {
        match self.kind {
            Scheduler::Sm2 => Grade::ALL.map(|grade| sm2::review(&card.state, grade, today).interval),
            Scheduler::Fsrs => Grade::ALL.map(|grade| {
                let rating = Rating::from_grade(grade.value());
                let memory = match (card.fsrs, card.state.last_review) {
                    (Some(memory), Some(last)) => {
                        let elapsed = (today - last).num_days().clamp(0, i64::from(u32::MAX)) as u32;
                        self.fsrs.next_memory(memory, elapsed, rating)
                    }
                    _ => self.fsrs.first_memory(rating),
                };
                self.fsrs_interval(card, memory.stability, today)
            }),
        }
    }

    /// FSRS's interval for `stability`, fuzzed (when asked for) by the card and the day of
    /// its review, so the same review always gives the same interval.
    fn fsrs_interval(&self, card: &Card, stability: f64, reviewed: NaiveDate) -> u32 {
        let interval = self.fsrs.interval(stability);
        if !self.fuzz {
            return interval;
        }
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut seed = DefaultHasher::new();
        (card.id.as_str(), reviewed).hash(&mut seed);
        self.fsrs.fuzzed_interval(interval, seed.finish())
    }
}
