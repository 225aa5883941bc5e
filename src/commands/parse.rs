//! `recall parse`: what a notes file turns into.

use std::collections::HashSet;
use std::io::Write;

use super::{plural, stdout_error, write_json};
use crate::cli::{ParseArgs, TextOrJson};
use crate::error::Result;
use crate::notes::compile_headings;
use crate::notes::{self, Notes};

pub(super) fn run(args: &ParseArgs, out: &mut impl Write) -> Result<()> {
    let options = notes::Options {
        headings: compile_headings(&args.headings)?,
        bold_cloze: args.bold_cloze,
    };
    let notes = notes::read_file(&args.file, &options)?;
    match args.format {
        TextOrJson::Json => write_json(out, &notes),
        TextOrJson::Text => write_listing(&notes, args.skipped, out).map_err(stdout_error),
    }
}

/// `N lines outside any card`, when there are such lines.
pub(super) fn outside_cards(notes: &Notes) -> Option<String> {
    let count = notes.skipped.len();
    (count > 0).then(|| format!("{} outside any card", plural(count, "line")))
}

/// The readable listing: cards grouped by section, then a summary line and the warnings.
fn write_listing(notes: &Notes, list_skipped: bool, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{}", notes.deck)?;
    let mut section = None;
    for card in &notes.cards {
        if section != Some(&card.section) {
            section = Some(&card.section);
            let title = if card.section.is_empty() {
                "(no section)"
            } else {
                &card.section
            };
            writeln!(out, "\n{title}")?;
        }
        let note = if card.note.is_empty() {
            String::new()
        } else {
            format!("  {}", card.note)
        };
        let mut question = card.question.lines();
        writeln!(
            out,
            "{:>6}  Q: {}{note}",
            card.line,
            question.next().unwrap_or_default()
        )?;
        for line in question {
            writeln!(out, "           {line}")?;
        }
        for line in card.answer.lines() {
            writeln!(out, "        {line}")?;
        }
    }
    let sections = notes
        .cards
        .iter()
        .map(|c| &c.section)
        .collect::<HashSet<_>>()
        .len();
    writeln!(
        out,
        "\n{} in {}, {}",
        plural(notes.cards.len(), "card"),
        plural(sections, "section"),
        plural(notes.warnings.len(), "warning")
    )?;
    for warning in &notes.warnings {
        match warning.line {
            Some(line) => writeln!(out, "line {line}: {}", warning.message)?,
            None => writeln!(out, "{}", warning.message)?,
        }
    }
    if let Some(outside) = outside_cards(notes) {
        let hint = if list_skipped {
            ":"
        } else {
            " (`recall parse --skipped` lists them)"
        };
        writeln!(out, "{outside}{hint}")?;
        if list_skipped {
            for skipped in &notes.skipped {
                writeln!(out, "{:>6}  {}", skipped.line, skipped.text)?;
            }
        }
    }
    Ok(())
}
