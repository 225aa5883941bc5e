//! One module per command. The rule: a command parses its arguments, calls the library, and
//! prints; the library decides. No domain logic lives here: what to count, what to change and
//! what is allowed are the library's. Warnings go to stderr; stdout carries the output, made
//! safe for a terminal by [`output`].

mod card;
mod cards;
mod config;
mod deck;
mod decks;
mod devices;
mod due;
mod export;
mod first_run;
mod import;
mod optimize;
pub(crate) mod output;
mod parse;
mod review;
mod stats;
mod sync;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::{Cli, Command};
use crate::clock::{self, Timestamp};
use crate::core::Selection;
use crate::error::{Error, Result};
use crate::manage;
use crate::schedule::day::study_day;
use crate::store::{Store, paths};
pub(crate) use crate::text::plural;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<()> {
    // The clock is read once: a malformed RECALL_NOW stops every command before anything is
    // read or written, and the whole command sees one moment.
    let context = Context {
        data_dir: cli.data_dir,
        now: clock::now()?,
    };
    let command = cli.command.unwrap_or_else(|| Command::Review(Default::default()));
    let stdout = std::io::stdout();
    // Buffered before the filter too: serde and `write!` write a value in many small pieces.
    let mut out = std::io::BufWriter::with_capacity(
        1 << 16,
        output::Safe::new(std::io::BufWriter::new(stdout.lock()), output_mode(&command)),
    );
    match command {
        Command::Review(args) => review::run(&context, &args, &mut out)?,
        Command::Parse(args) => parse::run(&args, &mut out)?,
        Command::Import(args) => import::run(&context, &args, &mut out)?,
        Command::Due(args) => due::run(&context, &args, &mut out)?,
        Command::Decks(args) => decks::run(&context, &args, &mut out)?,
        Command::Cards(args) => cards::run(&context, &args, &mut out)?,
        Command::Stats(args) => stats::run(&context, &args, &mut out)?,
        Command::Export(args) => export::run(&context, &args, &mut out)?,
        Command::Deck(command) => deck::run(&context, command, &mut out)?,
        Command::Card(command) => card::run(&context, command, &mut out)?,
        Command::Config(args) => config::run(&context, args, &mut out)?,
        Command::Sync(args) => sync::run(&context, &args, &mut out)?,
        Command::Devices(args) => devices::run(&context, &args, &mut out)?,
        Command::Optimize(args) => optimize::run(&context, &args, &mut out)?,
        Command::Completions { shell } => completions(shell, &mut out)?,
    }
    out.flush().map_err(stdout_error)
}

/// The shell code that asks `recall` itself for completions as the user types (so deck
/// names, sections and card ids come from the collection), as `COMPLETE=SHELL recall` prints.
fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> Result<()> {
    let shells = clap_complete::env::Shells::builtins();
    let name = shell.to_string();
    let completer = shells
        .completer(&name)
        .ok_or_else(|| Error::usage(format!("no completions for {name}")))?;
    // The program is found the way the shell found it now.
    let program = std::env::args_os()
        .next()
        .map_or_else(|| "recall".to_string(), |arg| arg.to_string_lossy().into_owned());
    let mut script = Vec::new();
    completer
        .write_registration(
            crate::cli::COMPLETE_VARIABLE,
            "recall",
            "recall",
            &program,
            &mut script,
        )
        .map_err(stdout_error)?;
    out.write_all(&script).map_err(stdout_error)
}

/// JSON escapes for output in JSON, visible symbols for everything else.
fn output_mode(command: &Command) -> output::Mode {
    use crate::cli::{DeckCommand, StatsFormat, TextOrJson};
    let json = match command {
        Command::Parse(args) => args.format == TextOrJson::Json,
        Command::Import(args) => args.format == TextOrJson::Json,
        Command::Due(args)
        | Command::Decks(args)
        | Command::Devices(args)
        | Command::Deck(DeckCommand::List(args)) => args.format == TextOrJson::Json,
        Command::Cards(args) => args.format == TextOrJson::Json,
        Command::Stats(args) => args.format == StatsFormat::Json,
        Command::Export(args) => {
            use std::io::IsTerminal;
            return export::output_mode(args.format).on_stdout(std::io::stdout().is_terminal());
        }
        _ => false,
    };
    if json {
        output::Mode::Json
    } else {
        output::Mode::Text
    }
}

/// The width of the terminal standard output is, if it is one (a listing for a pipe is
/// never cut).
fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(columns, _)| usize::from(columns))
}

/// Says `line` on standard error as `recall: LINE`, with control characters made visible.
pub(crate) fn say(line: &str) {
    eprintln!("recall: {}", crate::text::visible_line(line));
}

/// What every command that uses the collection needs: where it lives, and the moment the
/// command runs at.
pub(crate) struct Context {
    data_dir: Option<PathBuf>,
    now: Timestamp,
}

impl Context {
    fn dir(&self) -> Result<PathBuf> {
        paths::data_dir(self.data_dir.as_deref())
    }

    /// The study day this command runs on, by `store`'s rollover hour.
    fn today(&self, store: &Store) -> NaiveDate {
        study_day(self.now, store.settings.rollover_hour)
    }

    /// The time and study day of a change this command makes.
    fn stamp(&self, store: &Store) -> crate::core::Stamp {
        crate::core::Stamp {
            at: self.now,
            day: self.today(store),
        }
    }

    /// Opens the collection to read it.
    fn open(&self) -> Result<Store> {
        let mut store = Store::open(&self.dir()?)?;
        print_warnings(&mut store);
        Ok(store)
    }

    /// Opens the collection to read the cards' places, statuses and progress (not their text);
    /// there must be one.
    fn open_progress(&self) -> Result<Store> {
        let mut store = Store::open_progress(&self.dir()?)?;
        print_warnings(&mut store);
        store.check_exists()?;
        Ok(store)
    }

    /// Opens the collection to read it; there must be one (a read never creates it).
    fn open_existing(&self) -> Result<Store> {
        let store = self.open()?;
        store.check_exists()?;
        Ok(store)
    }

    /// Opens the collection to change it; there must be one (managing decks and cards never
    /// creates it).
    fn open_existing_for_writing(&self) -> Result<Store> {
        let dir = self.dir()?;
        if !crate::store::holds_collection(&dir) {
            Store::open(&dir)?.check_exists()?;
        }
        self.open_for_writing()
    }

    /// Opens the collection to change it (taking the lock), telling the user where it lives
    /// when this creates it.
    fn open_for_writing(&self) -> Result<Store> {
        let dir = self.dir()?;
        let mut store = Store::open_for_writing(&dir)?;
        if store.created_dir() {
            say(&format!("your collection lives in {}", dir.display()));
        }
        print_warnings(&mut store);
        Ok(store)
    }
}

/// The cards a command works on. A `--deck` or `--section` that no name contains is refused
/// with the names there are, rather than quietly giving nothing.
fn selection(store: &Store, deck: &Option<String>, section: &Option<String>) -> Result<Selection> {
    let selection = Selection {
        deck: deck.clone(),
        section: section.clone(),
    };
    let mut matcher = selection.matcher();
    let decks: BTreeSet<&str> = store.decks().iter().map(|d| d.name.as_str()).collect();
    if let Some(typed) = deck
        && !decks.iter().any(|name| matcher.deck(name))
    {
        return Err(manage::no_match("deck", typed, &decks));
    }
    if let Some(typed) = section {
        let sections: BTreeSet<&str> = store
            .cards()
            .iter()
            .filter(|card| matcher.deck(&card.deck))
            .map(|card| card.section.as_str())
            .collect();
        if !sections.iter().any(|name| matcher.section(name)) {
            return Err(manage::no_match("section", typed, &sections));
        }
    }
    Ok(selection)
}

/// Asks `question` on the terminal; without one, says to add `--yes` instead of guessing.
fn confirm(question: &str) -> Result<bool> {
    use std::io::IsTerminal;
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(Error::usage(format!(
            "{question}: not confirmed (no terminal to ask on); add --yes to go ahead"
        )));
    }
    eprint!("{} [y/N] ", crate::text::visible_line(question));
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Error::output("standard input", e))?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

fn print_warnings(store: &mut Store) {
    for notice in store.take_notices() {
        say(&notice);
    }
    print_warnings_list(store.take_warnings());
}

fn print_warnings_list(warnings: Vec<String>) {
    for warning in warnings {
        say(&format!("warning: {warning}"));
    }
}

/// Writing to standard output failed (a closed pipe is handled quietly by `main`).
fn stdout_error(error: std::io::Error) -> Error {
    Error::output("standard output", error)
}

/// Writes `value` as one line of JSON.
fn write_json(out: &mut impl Write, value: &impl serde::Serialize) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| stdout_error(e.into()))?;
    writeln!(out).map_err(stdout_error)
}
