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
pub mod bundled;
pub mod clock;
pub mod day;
pub mod export;
pub mod files;
pub mod import;
pub mod manage;
pub mod plain;
pub mod queue;
pub mod session;
pub mod sm2;
pub mod stats;
pub mod store;
pub mod tui;
pub mod views;
pub mod words;
