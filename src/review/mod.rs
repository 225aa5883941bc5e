//! The daily review: today's queue, the session that records every grade, and the plain
//! line-by-line interface (the full screen is in [`crate::tui`]).

pub(crate) mod plain;
pub mod queue;
pub mod session;
pub(crate) mod summary;
pub mod today;
