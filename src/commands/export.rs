//! `recall export`: JSON, CSV, Anki or Obsidian notes, to stdout or a file.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::output::{Mode, Safe};
use super::{Context, selection};
use crate::cli::{ExportArgs, ExportFormat};
use crate::error::{Error, Result};
use crate::export;
use crate::store::{Store, atomic};

pub(super) fn run(context: &Context, args: &ExportArgs, stdout: &mut impl Write) -> Result<()> {
    let store = context.open_existing()?;
    let now = context.now;
    let selection = selection(&store, &args.deck, &args.section)?;
    let notes = match args.format {
        ExportFormat::Obsidian => Some(export::obsidian::deck_notes(&store, &selection)?),
        _ => None,
    };
    // The image files the Anki cards need, said once the export is in place.
    let mut media = Vec::new();
    let mut write = |out: &mut dyn Write, io: &dyn Fn(std::io::Error) -> Error| -> Result<()> {
        match args.format {
            ExportFormat::Obsidian => out
                .write_all(notes.as_deref().unwrap_or_default().as_bytes())
                .map_err(io)?,
            ExportFormat::Json => {
                super::print_warnings_list(export::json(&store, &selection, now, out, io)?);
            }
            ExportFormat::Csv => export::csv(&store, &selection, out).map_err(io)?,
            ExportFormat::Anki => media = export::anki(&store, &selection, out).map_err(io)?,
        }
        out.flush().map_err(io)
    };
    match &args.output {
        None => write(stdout, &super::stdout_error)?,
        Some(path) => {
            check_output(&store, path)?;
            // Written beside the file and renamed over it: a full disk leaves the old file.
            let io = |e| Error::io(path, e);
            let mode = output_mode(args.format);
            atomic::replace_with(path, |out| write(&mut Safe::new(out, mode), &io), || Ok(()))?;
        }
    }
    media_summary(&media);
    Ok(())
}

/// How the export's control characters are made harmless: JSON escapes them, the notes keep
/// their carriage returns, the rest shows them as symbols.
pub(super) fn output_mode(format: ExportFormat) -> Mode {
    match format {
        ExportFormat::Json => Mode::Json,
        ExportFormat::Obsidian => Mode::Notes,
        ExportFormat::Csv | ExportFormat::Anki => Mode::Text,
    }
}

/// Which files the cards' images need in Anki's media folder: an export is one file, and
/// Anki shows an `<img>` only when its file is there.
fn media_summary(files: &[PathBuf]) {
    if files.is_empty() {
        return;
    }
    super::say(&format!(
        "the cards show {}; copy {} into Anki's media folder (collection.media) before importing:",
        super::plural(files.len(), "image"),
        if files.len() == 1 { "it" } else { "them" }
    ));
    for file in files {
        let missing = if file.exists() { "" } else { " (not found)" };
        eprintln!(
            "  {}{missing}",
            crate::text::visible_line(&file.display().to_string())
        );
    }
}

/// Refuses an output that would overwrite what the collection is made of: anything inside the
/// data directory (its log, snapshot, settings, backups) or a deck's notes file, after
/// following symbolic links; and anything that is not a regular file. Nothing is opened yet.
fn check_output(store: &Store, path: &Path) -> Result<()> {
    crate::files::check_output(path).map_err(|e| Error::io(path, e))?;
    let resolved = resolve(path);
    let data_dir = std::fs::canonicalize(&store.paths().dir).unwrap_or_else(|_| store.paths().dir.clone());
    if resolved.starts_with(&data_dir) {
        return Err(Error::usage(format!(
            "{} is inside the data directory {}; export to a file elsewhere",
            path.display(),
            data_dir.display()
        )));
    }
    if let Some(deck) = store.decks().iter().find(|deck| {
        deck.source(store.device())
            .is_some_and(|source| resolve(source) == resolved)
    }) {
        return Err(Error::usage(format!(
            "{} holds the notes of deck {:?}; export to another file",
            path.display(),
            deck.name
        )));
    }
    Ok(())
}

/// `path` made absolute with every symbolic link followed, the last part included, even when
/// the file does not exist yet (its directory is resolved then).
fn resolve(path: &Path) -> PathBuf {
    if let Ok(real) = std::fs::canonicalize(path) {
        return real;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => resolve(parent).join(name),
        _ => absolute,
    }
}
