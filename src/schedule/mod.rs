//! Scheduling: SM-2 and FSRS on a card's reviews, and study days (the days reviews count for).

pub(crate) mod day;
pub(crate) mod fsrs;
pub mod sm2;
