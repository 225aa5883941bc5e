//! The command line, as clap derive types, and what the shells complete. Behaviour lives in
//! [`crate::commands`].

pub(crate) mod complete;

pub use complete::VARIABLE as COMPLETE_VARIABLE;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::ArgValueCompleter;

/// Spaced-repetition flashcards made from your lecture notes.
#[derive(Debug, Parser)]
#[command(name = "recall", version, about)]
pub struct Cli {
    /// Where the collection lives [default: $RECALL_DIR, else $XDG_DATA_HOME/recall, else
    /// ~/.local/share/recall]
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// What to do; without a command, `review`.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Review today's cards (the default command).
    Review(ReviewArgs),
    /// Add or update the cards of notes files, keeping progress across edits.
    Import(ImportArgs),
    /// Show the cards a notes file turns into, without touching the collection.
    Parse(ParseArgs),
    /// How many cards are due today (quick enough for a shell prompt).
    Due(FormatArgs),
    /// Card counts per deck.
    Decks(FormatArgs),
    /// List cards with their progress.
    Cards(CardsArgs),
    /// Progress statistics: today, retention, streaks, forecast, sections, hardest cards.
    Stats(StatsArgs),
    /// Write the collection out as JSON (everything), CSV (cards) or for Anki.
    Export(ExportArgs),
    /// Manage decks: list, rename, remove, suspend, unsuspend.
    #[command(subcommand)]
    Deck(DeckCommand),
    /// Show, suspend, unsuspend or reset cards by id.
    #[command(subcommand)]
    Card(CardCommand),
    /// Show the settings, or change one.
    Config(ConfigArgs),
    /// Sync with the other devices through a git remote: send this device's records, take
    /// theirs. `--init URL` sets it up (or clones a collection into an empty directory).
    Sync(SyncArgs),
    /// The devices whose records the collection holds.
    Devices(FormatArgs),
    /// Train FSRS's parameters on your reviews; shows how well they predict them, next to the
    /// defaults, and suggests a desired retention. `--apply` stores them.
    Optimize(OptimizeArgs),
    /// Print the shell code that completes recall's commands, deck and section names and card
    /// ids (bash, zsh, fish, elvish or powershell); e.g. `source <(recall completions bash)`.
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DeckCommand {
    /// Card counts per deck (the same table as `recall decks`).
    List(FormatArgs),
    /// Give a deck a new name (its cards and history follow).
    Rename {
        #[arg(add = ArgValueCompleter::new(complete::decks))]
        old: String,
        new: String,
    },
    /// Remove a deck: its cards are retired with their progress (importing its notes again
    /// brings them back).
    Remove {
        #[arg(add = ArgValueCompleter::new(complete::decks))]
        name: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Take a deck (or one section of it) out of reviews, keeping its progress.
    Suspend {
        #[arg(add = ArgValueCompleter::new(complete::decks))]
        name: String,
        #[arg(long, add = ArgValueCompleter::new(complete::sections))]
        section: Option<String>,
    },
    /// Bring a suspended deck (or section) back into reviews.
    Unsuspend {
        #[arg(add = ArgValueCompleter::new(complete::decks))]
        name: String,
        #[arg(long, add = ArgValueCompleter::new(complete::sections))]
        section: Option<String>,
    },
    /// Change a deck's own setting, e.g. `recall deck set Biology new-per-day 5`.
    Set {
        #[arg(add = ArgValueCompleter::new(complete::decks))]
        name: String,
        #[arg(value_enum)]
        setting: DeckSetting,
        /// A whole number, or `default` to follow the global limit again.
        #[arg(allow_negative_numbers = true)]
        value: String,
    },
}

/// What `recall deck set` changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DeckSetting {
    /// At most this many of the deck's new cards a day, within `new_cards_per_day`.
    NewPerDay,
}

#[derive(Debug, Subcommand)]
pub(crate) enum CardCommand {
    /// A card's question, answer, source, state and review history.
    Show {
        #[arg(add = ArgValueCompleter::new(complete::cards))]
        id: String,
    },
    /// Take cards out of reviews, keeping their progress.
    Suspend {
        #[arg(required = true, add = ArgValueCompleter::new(complete::cards))]
        ids: Vec<String>,
    },
    /// Bring suspended cards back into reviews.
    Unsuspend {
        #[arg(required = true, add = ArgValueCompleter::new(complete::cards))]
        ids: Vec<String>,
    },
    /// Make cards new again; their review history is kept.
    Reset {
        #[arg(required = true, add = ArgValueCompleter::new(complete::cards))]
        ids: Vec<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, clap::Args)]
pub(crate) struct ConfigArgs {
    #[command(subcommand)]
    pub(crate) action: Option<ConfigCommand>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Change a setting, e.g. `recall config set new_cards_per_day 30`.
    Set {
        key: String,
        /// Taken as written, so a negative number reaches the range check.
        #[arg(allow_negative_numbers = true)]
        value: String,
    },
    /// Put a setting back to its default.
    Reset { key: String },
}

#[derive(Debug, Default, clap::Args)]
pub(crate) struct ReviewArgs {
    /// Only cards of decks whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::decks))]
    pub(crate) deck: Option<String>,
    /// Only cards of sections whose name contains this (case-insensitive), e.g. "lecture 7".
    #[arg(long, add = ArgValueCompleter::new(complete::sections))]
    pub(crate) section: Option<String>,
    /// Take up to N new cards this session, instead of what is left of the daily limit.
    #[arg(long, value_name = "N")]
    pub(crate) new: Option<usize>,
    /// Show at most N cards this session.
    #[arg(long, value_name = "N")]
    pub(crate) limit: Option<usize>,
    /// Go through every selected card regardless of due dates; grades change nothing.
    #[arg(long)]
    pub(crate) cram: bool,
    /// With --cram: shuffle the cards instead of following the notes' order.
    #[arg(long, requires = "cram")]
    pub(crate) shuffle: bool,
    /// A line-by-line review on stdin/stdout, for scripts, screen readers and pipes.
    #[arg(long)]
    pub(crate) plain: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ImportArgs {
    /// Notes files: plain text, or Markdown (.md, .markdown); a folder stands for every
    /// .md, .markdown and .txt file in it and its sub-folders (hidden ones left out).
    #[arg(required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Import into this deck instead of the one the notes name.
    #[arg(long, add = ArgValueCompleter::new(complete::decks))]
    pub(crate) deck: Option<String>,
    /// A regular expression marking extra section headings in plain text (repeatable;
    /// remembered for later imports of the same file).
    #[arg(long = "heading", value_name = "REGEX")]
    pub(crate) headings: Vec<String>,
    /// `**bold**` text outside questions and answers is a cloze deletion (remembered for later
    /// imports of the same file).
    #[arg(long, overrides_with = "no_bold_cloze")]
    pub(crate) bold_cloze: bool,
    /// Bold text is text again, for a file imported with --bold-cloze before.
    #[arg(long, overrides_with = "bold_cloze")]
    pub(crate) no_bold_cloze: bool,
    /// Cards already here take the progress in their notes' Obsidian `<!--SR:...-->` comments
    /// again (by default only new cards take it, and recall keeps the schedule after that).
    #[arg(long)]
    pub(crate) progress_from_notes: bool,
    /// Show what would change without changing anything.
    #[arg(long)]
    pub(crate) dry_run: bool,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub(crate) format: TextOrJson,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {
    /// The notes file: plain text, or Markdown (.md, .markdown).
    pub(crate) file: PathBuf,
    /// A regular expression marking extra section headings in plain text (repeatable).
    #[arg(long = "heading", value_name = "REGEX")]
    pub(crate) headings: Vec<String>,
    /// `**bold**` text outside questions and answers is a cloze deletion.
    #[arg(long)]
    pub(crate) bold_cloze: bool,
    /// List the lines that belong to no card, with their line numbers.
    #[arg(long)]
    pub(crate) skipped: bool,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub(crate) format: TextOrJson,
}

#[derive(Debug, clap::Args)]
pub(crate) struct SyncArgs {
    /// The git remote to sync with (a URL, an SSH address, or a path to a bare repository).
    #[arg(long, value_name = "URL")]
    pub(crate) init: Option<String>,
}

#[derive(Debug, clap::Args)]
pub(crate) struct OptimizeArgs {
    /// Store the trained parameters (when they predict your reviews better than those in use).
    #[arg(long)]
    pub(crate) apply: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct FormatArgs {
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub(crate) format: TextOrJson,
}

#[derive(Debug, clap::Args)]
pub(crate) struct CardsArgs {
    /// Only cards of decks whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::decks))]
    pub(crate) deck: Option<String>,
    /// Only cards of sections whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::sections))]
    pub(crate) section: Option<String>,
    /// Only cards due for review today.
    #[arg(long)]
    pub(crate) due: bool,
    /// Only cards whose question or answer contains this (case-insensitive).
    #[arg(long)]
    pub(crate) search: Option<String>,
    /// Retired cards too (questions no longer in the notes).
    #[arg(long)]
    pub(crate) all: bool,
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub(crate) format: TextOrJson,
}

#[derive(Debug, clap::Args)]
pub(crate) struct StatsArgs {
    /// Only decks whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::decks))]
    pub(crate) deck: Option<String>,
    /// Only sections whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::sections))]
    pub(crate) section: Option<String>,
    #[arg(long, value_enum, default_value_t = StatsFormat::Text)]
    pub(crate) format: StatsFormat,
    /// Open the statistics screen.
    #[arg(long, conflicts_with = "format")]
    pub(crate) tui: bool,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ExportArgs {
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub(crate) format: ExportFormat,
    /// Only decks whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::decks))]
    pub(crate) deck: Option<String>,
    /// Only sections whose name contains this (case-insensitive).
    #[arg(long, add = ArgValueCompleter::new(complete::sections))]
    pub(crate) section: Option<String>,
    /// Write to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// What `recall export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    /// Decks, cards with their state, and every review: enough to rebuild the collection.
    Json,
    /// One row per card with its state.
    Csv,
    /// Tab-separated notes that Anki 2.1.54+ imports, updating on a second import.
    Anki,
    /// One deck's notes with the Obsidian Spaced Repetition plugin's progress comments set
    /// from recall's schedule (to a new file: never over the notes).
    Obsidian,
}

/// `text` for people, `json` for programs, `csv` (the daily rows) for spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatsFormat {
    Text,
    Json,
    Csv,
}

/// Output for people (`text`) or for programs (`json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TextOrJson {
    Text,
    Json,
}
