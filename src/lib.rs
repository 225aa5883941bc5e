//! `recall`: spaced-repetition flashcards made from lecture notes.
//!
//! This library is the `recall` program, split so its tests, benchmarks and fuzz targets can
//! reach inside; it promises no stability to anyone else. The binary only parses the command
//! line and calls [`commands::run`].
//!
//! The rooms, top to bottom (each uses only those on its line or below it):
//! - [`commands`], [`cli`] and [`tui`]: the interfaces: parse, call the library, print or draw.
//! - [`review`], [`import`], [`export`], [`stats`], [`sync`], [`manage`], [`optimize`]: the
//!   features.
//! - [`store`]: the data directory's files, and the only module that touches them.
//! - [`core`], [`clock`], [`schedule`], [`notes`]: domain types, the clock, SM-2, FSRS and
//!   study days, notes to cards.
//! - [`text`], [`files`], [`error`]: small helpers every room may use.
#![warn(unreachable_pub)]

pub mod cli;
pub mod clock;
pub mod commands;
pub mod core;
pub(crate) mod cores;
pub(crate) mod error;
pub mod export;
pub(crate) mod files;
pub mod import;
pub(crate) mod manage;
pub mod notes;
pub(crate) mod optimize;
pub mod review;
pub mod schedule;
pub mod stats;
pub mod store;
pub(crate) mod sync;
pub mod text;
pub mod tui;
