//! Notes into the collection, keeping every card's progress through the edits students make
//! over a semester: see [`matching`] for how cards are recognised. One import matches across
//! all its files, so a question moved from one notes file to another keeps its card; a card
//! retired from another deck comes back when its question appears again anywhere.

pub(crate) mod matching;
mod merge;
mod obsidian;
pub(crate) mod similarity;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::core::{Deck, DeckSettings, Stamp};
use crate::error::{Error, Result};
use crate::notes::{self, Notes, Warning};
use crate::store::Store;

/// What to import and how.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub file: PathBuf,
    /// The deck to import into; by default the one this file was imported into before, else
    /// the deck the notes name.
    pub deck: Option<String>,
    /// Extra heading patterns; by default the ones used for this file before.
    pub headings: Vec<String>,
    /// Whether `**bold**` text makes cloze deletions; by default as for this file before.
    pub bold_cloze: Option<bool>,
    /// The notes are the example deck that ships with the program.
    pub example: bool,
    /// Cards already in the collection take the progress their notes' Obsidian comments
    /// give, where it differs (`--progress-from-notes`); by default only new cards take it.
    pub progress_from_notes: bool,
}

/// One card in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub section: String,
    pub question: String,
    pub line: usize,
    /// The question before a rename, or the section before a move within the deck.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
    /// Where a card that changed deck came from (`DECK › SECTION`), or the deck it was
    /// restored from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Where a card went whose question moved to another deck (`DECK › SECTION`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// How many cards fell in each category.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub updated: usize,
    pub renamed: usize,
    pub moved: usize,
    pub retired: usize,
    pub restored: usize,
    pub unchanged: usize,
    /// New cards that started from the progress their Obsidian comments give, and cards
    /// already in the collection that took it again (`--progress-from-notes`).
    pub progress_from_notes: usize,
    /// Cards already in the collection whose Obsidian comments give other progress than
    /// recall's schedule, left alone.
    pub progress_left_alone: usize,
}

/// A deck that followed its notes' new title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeckRenamed {
    pub from: String,
    pub to: String,
}

/// What an import did (or, with `--dry-run`, would do) with one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub file: PathBuf,
    pub deck: String,
    /// False when the import changed nothing at all (nothing needs writing).
    pub changed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deck_renamed: Option<DeckRenamed>,
    pub counts: Counts,
    pub new: Vec<Change>,
    pub updated: Vec<Change>,
    pub renamed: Vec<Change>,
    pub moved: Vec<Change>,
    pub retired: Vec<Change>,
    pub restored: Vec<Change>,
    pub warnings: Vec<Warning>,
    /// Lines with text that belong to no card.
    pub outside: usize,
}

/// One file read and given its deck, ready to merge.
struct Prepared {
    file: PathBuf,
    notes: Notes,
    /// The deck's name, and how it is made from the notes.
    name: String,
    settings: DeckSettings,
    /// The deck's name before it followed a new title.
    renamed_from: Option<String>,
    /// As [`Request::progress_from_notes`].
    progress_from_notes: bool,
}

/// Notes read while the collection opens, with the options the command line gives: a deck's
/// remembered heading patterns and bold clozes are known only once it is open. They are used
/// when the deck's options turn out the same, as they do unless the deck was imported with
/// options this command does not repeat; otherwise the notes are read again.
#[derive(Debug, Default)]
pub struct ReadAhead(Vec<Option<ReadNotes>>);

#[derive(Debug)]
struct ReadNotes {
    headings: Vec<String>,
    bold_cloze: bool,
    notes: Result<Notes>,
}

impl ReadAhead {
    /// Reads the notes of every request.
    pub fn of(requests: &[Request]) -> ReadAhead {
        let read = |request: &Request| {
            let bold_cloze = request.bold_cloze.unwrap_or(false);
            let options = notes::Options {
                headings: notes::compile_headings(&request.headings).ok()?,
                bold_cloze,
            };
            Some(ReadNotes {
                headings: request.headings.clone(),
                bold_cloze,
                notes: notes::read_file(&request.file, &options),
            })
        };
        ReadAhead(requests.iter().map(read).collect())
    }

    /// The notes of request `at`, when they were read with these options.
    fn take(&mut self, at: usize, bold_cloze: bool, headings: &[String]) -> Option<Result<Notes>> {
        let read = self.0.get_mut(at)?.take()?;
        (read.headings == headings && read.bold_cloze == bold_cloze).then_some(read.notes)
    }
}

/// Imports `request.file`: the change is committed to the log (the caller saves the caches).
pub fn import_file(store: &mut Store, request: &Request, stamp: Stamp) -> Result<Report> {
    let read_ahead = ReadAhead::default();
    let mut reports = import_files(store, std::slice::from_ref(request), read_ahead, stamp)?;
    reports
        .pop()
        .ok_or_else(|| Error::internal("an import of one file made no report"))
}

/// Imports every file of `requests` as one change: questions are matched across all the
/// files. Nothing changes unless every file reads and fits its deck; an import that changes
/// nothing writes nothing. Returns one report per file, in order.
pub fn import_files(
    store: &mut Store,
    requests: &[Request],
    read_ahead: ReadAhead,
    stamp: Stamp,
) -> Result<Vec<Report>> {
    let merged = plan(store, requests, read_ahead, stamp)?;
    store.commit(merged.records)?;
    Ok(merged.reports)
}

/// What importing `requests` would do, without doing it.
pub fn preview(
    store: &Store,
    requests: &[Request],
    read_ahead: ReadAhead,
    stamp: Stamp,
) -> Result<Vec<Report>> {
    Ok(plan(store, requests, read_ahead, stamp)?.reports)
}

fn plan(
    store: &Store,
    requests: &[Request],
    mut read_ahead: ReadAhead,
    stamp: Stamp,
) -> Result<merge::Merged> {
    let mut prepared = Vec::with_capacity(requests.len());
    for (at, request) in requests.iter().enumerate() {
        let file = prepare(store, request, |bold_cloze, headings| {
            read_ahead.take(at, bold_cloze, headings)
        })?;
        if let Some(other) = prepared.iter().find(|p: &&Prepared| p.name == file.name) {
            return Err(Error::usage(format!(
                "{} and {} would both feed deck {:?}: give one its own deck with --deck NAME",
                other.file.display(),
                file.file.display(),
                file.name
            )));
        }
        prepared.push(file);
    }
    let device = store.device();
    let orphaned: std::collections::HashSet<String> = store
        .decks()
        .iter()
        .filter(|deck| deck.source(device).is_some_and(|source| !source.exists()))
        .map(|deck| deck.name.clone())
        .collect();
    let merged = merge::merge(store, &mut prepared, &orphaned, stamp);
    drop_elsewhere(prepared);
    Ok(merged)
}

/// Drops `notes` on a thread of its own, where the caller's thread has more to do: freeing the
/// drafts of 100,000 cards took 9 ms of an unchanged import, all of it on the one thread the
/// import was waiting for.
fn drop_elsewhere(notes: Vec<Prepared>) {
    // A thread that cannot start hands the notes back, and they are dropped here.
    let _ = std::thread::Builder::new().spawn(move || drop(notes));
}

/// Reads `request`'s notes and decides their deck: `--deck`, else the deck this file fed
/// before (which follows a new title of the notes when it is named after their title), else
/// the notes' own title or the file's name.
fn prepare(
    store: &Store,
    request: &Request,
    read_ahead: impl FnOnce(bool, &[String]) -> Option<Result<Notes>>,
) -> Result<Prepared> {
    let source = std::fs::canonicalize(&request.file).map_err(|e| Error::io(&request.file, e))?;
    let device = store.device();
    let remembered = store
        .decks()
        .iter()
        .find(|deck| deck.source(device) == Some(source.as_path()));
    let headings = if request.headings.is_empty() {
        remembered.map(|deck| deck.headings.clone()).unwrap_or_default()
    } else {
        request.headings.clone()
    };
    if let Some(name) = &request.deck {
        Deck::check_name(name)?;
    }
    let bold_cloze = request
        .bold_cloze
        .unwrap_or_else(|| remembered.is_some_and(|deck| deck.bold_cloze));
    // Notes read ahead with these options had their heading patterns compiled then.
    let mut notes = match read_ahead(bold_cloze, &headings) {
        Some(notes) => notes?,
        None => {
            let headings = notes::compile_headings(&headings)?;
            notes::read_file(&request.file, &notes::Options { headings, bold_cloze })?
        }
    };
    let title = notes
        .titled
        .then(|| crate::text::clean_name(&notes.deck, "notes"));
    let mut renamed_from = None;
    let (name, follows_title) = match (&request.deck, remembered) {
        (Some(name), _) => (name.clone(), false),
        (None, Some(deck)) => {
            // A deck named after its notes' title follows a new title; one the user named
            // (with --deck, or `recall deck rename`) keeps its name.
            let follows = deck.follows_title || title.as_deref() == Some(deck.name.as_str());
            match &title {
                Some(title) if follows && deck.name != *title => {
                    if store.decks().iter().any(|other| other.name == *title) {
                        notes.warnings.push(Warning {
                            line: None,
                            message: format!(
                                "the notes are now titled {title:?}, which names another deck; \
                                 this deck keeps its name {:?}",
                                deck.name
                            ),
                        });
                        (deck.name.clone(), true)
                    } else {
                        renamed_from = Some(deck.name.clone());
                        (title.clone(), true)
                    }
                }
                _ => (deck.name.clone(), follows),
            }
        }
        (None, None) => match &title {
            Some(title) => (title.clone(), true),
            None => (crate::text::clean_name(&notes.deck, "notes"), false),
        },
    };
    let known_name = renamed_from.as_deref().unwrap_or(&name);
    check_one_file_per_deck(store, &request.file, &source, known_name)?;
    let existing = store.deck(known_name);
    let settings = DeckSettings {
        format: notes.format,
        source: Some(source),
        headings,
        bold_cloze,
        example: request.example || existing.is_some_and(|deck| deck.example),
        follows_title,
    };
    Ok(Prepared {
        file: request.file.clone(),
        notes,
        name,
        settings,
        renamed_from,
        progress_from_notes: request.progress_from_notes,
    })
}

/// A deck holds the cards of one notes file, and a file feeds one deck: merging a second file
/// into a deck would retire every card of the first. A deck whose file is gone (renamed or
/// moved) takes the new file.
fn check_one_file_per_deck(store: &Store, file: &Path, source: &Path, name: &str) -> Result<()> {
    let decks = store.decks();
    let device = store.device();
    if let Some(known) = decks
        .iter()
        .find(|d| d.source(device) == Some(source) && d.name != name)
    {
        return Err(Error::usage(format!(
            "{} feeds deck {:?}; to call that deck {name:?}, run `recall deck rename {:?} {name:?}`",
            file.display(),
            known.name,
            known.name
        )));
    }
    let other = decks
        .iter()
        .find(|d| d.name == name)
        .and_then(|d| d.source(device))
        .filter(|other| *other != source && other.exists());
    if let Some(other) = other {
        return Err(Error::usage(format!(
            "deck {name:?} holds the cards of {}; importing {} into it would retire them \
             (if it is a new copy of those notes, move the old file away and import again: the \
             deck follows it with its progress; otherwise give it its own deck with --deck NAME)",
            other.display(),
            file.display()
        )));
    }
    Ok(())
}
