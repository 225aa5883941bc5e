//! `recall`: spaced-repetition flashcards made from lecture notes.
//!
//! The library holds everything; the `recall` binary only parses the command line and calls
//! [`commands::run`]. Module boundaries follow the design notes: `notes` turns files into card
//! drafts and depends on nothing else of ours.

pub mod cli;
pub mod commands;
pub mod error;
pub mod notes;

pub use error::{Error, Result};
pub mod clock;
pub mod queue;
pub mod sm2;
pub mod store;
pub mod import;
pub mod views;
pub mod bundled;
