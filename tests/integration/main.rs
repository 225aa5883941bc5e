//! The integration tests, one binary: the real `recall` binary on files in temporary
//! directories, the review screen on ratatui's TestBackend and in a pseudo-terminal, and the
//! collection on disk under faults and kills.

mod common;
#[path = "../common/notes_invariants.rs"]
mod notes_invariants;
#[path = "../common/pty.rs"]
mod pty;

mod card_syntax;
mod cloze;
mod crash;
mod daily_loop;
mod devices;
mod fsrs;
mod hardening;
mod identity;
mod import_cli;
mod import_edits;
mod manage;
mod migration;
mod obsidian_vault;
mod optimize;
mod parse;
mod parser_properties;
mod read_commands;
mod review_plain;
mod stats_export;
mod store_faults;
mod syntax_properties;
mod terminal;
mod text_output;
mod tui;
