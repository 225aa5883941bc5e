//! Merges a parse of a notes file into the collection, keeping every card's progress through
//! the edits students make week by week: see [`matching`] for how cards are recognised.

pub(crate) mod matching;
pub(crate) mod similarity;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use regex::Regex;
use serde::Serialize;

use crate::core::{Card, Deck, Status};
use crate::error::{Error, Result};
use crate::notes::{self, CardDraft, Notes, Warning};
use crate::schedule::sm2::CardState;
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
    /// The notes are the example deck that ships with the program.
    pub example: bool,
}

/// One card in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub section: String,
    pub question: String,
    pub line: usize,
    /// The question before a rename, or the section before a move.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
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
}

/// What an import did (or, with `--dry-run`, would do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    pub file: PathBuf,
    pub deck: String,
    pub counts: Counts,
    pub new: Vec<Change>,
    pub updated: Vec<Change>,
    pub renamed: Vec<Change>,
    pub moved: Vec<Change>,
    pub retired: Vec<Change>,
    pub restored: Vec<Change>,
    pub warnings: Vec<Warning>,
}

/// Parses `request.file` and merges it into `store`'s collection in memory (the caller saves).
pub fn import_file(store: &mut Store, request: &Request, today: NaiveDate) -> Result<Report> {
    let source = std::fs::canonicalize(&request.file).map_err(|e| Error::io(&request.file, e))?;
    let remembered = store
        .collection
        .decks
        .iter()
        .find(|deck| deck.source.as_deref() == Some(&source));
    let headings = if request.headings.is_empty() {
        remembered.map(|deck| deck.headings.clone()).unwrap_or_default()
    } else {
        request.headings.clone()
    };
    if let Some(name) = &request.deck {
        Deck::check_name(name)?;
    }
    let patterns = compile_headings(&headings)?;
    let notes = notes::read_file(&request.file, &patterns)?;
    let name = request
        .deck
        .clone()
        .or_else(|| remembered.map(|deck| deck.name.clone()))
        .unwrap_or_else(|| crate::text::clean_name(&notes.deck, "notes"));
    check_one_file_per_deck(store, &request.file, &source, &name)?;
    let deck = Deck {
        name,
        source: Some(source),
        format: notes.format,
        headings,
        example: request.example || remembered.is_some_and(|deck| deck.example),
        new_per_day: remembered.and_then(|deck| deck.new_per_day),
    };
    Ok(merge(store, deck, &notes, today, &request.file))
}

/// A deck holds the cards of one notes file, and a file feeds one deck: merging a second file
/// into a deck would retire every card of the first. A deck whose file is gone (renamed or
/// moved) takes the new file.
fn check_one_file_per_deck(store: &Store, file: &Path, source: &Path, name: &str) -> Result<()> {
    let decks = &store.collection.decks;
    if let Some(known) = decks
        .iter()
        .find(|d| d.source.as_deref() == Some(source) && d.name != name)
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
        .and_then(|d| d.source.as_deref())
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

/// Compiles `--heading` patterns, naming the one that is not a valid regular expression.
pub(crate) fn compile_headings(patterns: &[String]) -> Result<Vec<Regex>> {
    patterns
        .iter()
        .map(|pattern| {
            Regex::new(pattern).map_err(|e| {
                let reason = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                Error::usage(format!(
                    "--heading {pattern:?} is not a valid regular expression: {reason}"
                ))
            })
        })
        .collect()
}

/// Merges parsed `notes` into `deck` (created or updated), keeping progress of matched cards.
pub(crate) fn merge(store: &mut Store, deck: Deck, notes: &Notes, today: NaiveDate, file: &Path) -> Report {
    let old: Vec<usize> = (0..store.collection.cards.len())
        .filter(|&at| store.collection.cards[at].deck == deck.name)
        .collect();
    let plan = {
        let old_cards: Vec<&Card> = old.iter().map(|&at| &store.collection.cards[at]).collect();
        matching::plan(&old_cards, &notes.cards)
    };
    let mut report = Report {
        file: file.to_path_buf(),
        deck: deck.name.clone(),
        counts: Counts::default(),
        new: Vec::new(),
        updated: Vec::new(),
        renamed: Vec::new(),
        moved: Vec::new(),
        retired: Vec::new(),
        restored: Vec::new(),
        warnings: notes.warnings.clone(),
    };
    for matched in &plan.matched {
        let card = &mut store.collection.cards[old[matched.old]];
        let draft = &notes.cards[matched.draft];
        let (list, was) = if card.status == Status::Retired {
            card.status = if card.retired_while_suspended {
                Status::Suspended
            } else {
                Status::Active
            };
            card.retired_while_suspended = false;
            (&mut report.restored, None)
        } else if matched.edited {
            (&mut report.renamed, Some(card.question.clone()))
        } else if card.section != draft.section {
            (&mut report.moved, Some(card.section.clone()))
        } else if card.answer != draft.answer || card.note != draft.note {
            (&mut report.updated, None)
        } else {
            report.counts.unchanged += 1;
            update(card, draft);
            continue;
        };
        update(card, draft);
        list.push(change(card, was));
    }
    for &at in &plan.unmatched {
        let card = &mut store.collection.cards[old[at]];
        if card.status != Status::Retired {
            card.retired_while_suspended = card.status == Status::Suspended;
            card.status = Status::Retired;
            report.retired.push(change(card, None));
        }
    }
    for &draft_at in &plan.new {
        let draft = &notes.cards[draft_at];
        let card = Card {
            id: store.new_card_id(),
            deck: deck.name.clone(),
            section: draft.section.clone(),
            question: draft.question.clone(),
            answer: draft.answer.clone(),
            note: draft.note.clone(),
            line: draft.line,
            added: today,
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
        };
        report.new.push(change(&card, None));
        store.add_card(card);
    }
    report.counts = Counts {
        new: report.new.len(),
        updated: report.updated.len(),
        renamed: report.renamed.len(),
        moved: report.moved.len(),
        retired: report.retired.len(),
        restored: report.restored.len(),
        unchanged: report.counts.unchanged,
    };
    match store.collection.decks.iter_mut().find(|d| d.name == deck.name) {
        Some(existing) => {
            // The deck's own settings stay with it, whichever file feeds it now.
            let (example, new_per_day) = (existing.example, existing.new_per_day);
            *existing = deck;
            existing.example |= example;
            existing.new_per_day = existing.new_per_day.or(new_per_day);
        }
        None => store.collection.decks.push(deck),
    }
    report
}

fn update(card: &mut Card, draft: &CardDraft) {
    card.section.clone_from(&draft.section);
    card.question.clone_from(&draft.question);
    card.answer.clone_from(&draft.answer);
    card.note.clone_from(&draft.note);
    card.line = draft.line;
}

fn change(card: &Card, was: Option<String>) -> Change {
    Change {
        id: card.id.clone(),
        section: card.section.clone(),
        question: card.question.clone(),
        line: card.line,
        was,
    }
}
