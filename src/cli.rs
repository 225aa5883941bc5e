//! The command line, as clap derive types. Behaviour lives in [`crate::commands`].

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Spaced-repetition flashcards made from your lecture notes.
#[derive(Debug, Parser)]
#[command(name = "recall", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the cards a notes file turns into, without touching the collection.
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The notes file: plain text, or Markdown (.md, .markdown).
    pub file: PathBuf,
    /// A regular expression marking extra section headings in plain text (repeatable).
    #[arg(long = "heading", value_name = "REGEX")]
    pub headings: Vec<String>,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

/// Output for people (`text`) or for programs (`json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}
