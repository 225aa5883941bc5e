//! Scheduling: SM-2 on a card's state, and study days (the days reviews count for).

pub(crate) mod day;
pub(crate) mod fsrs;
pub mod sm2;
