//! `recall import`: merge notes files into the collection and report what changed.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Context, plural, stdout_error, write_json};
use crate::cli::{ImportArgs, TextOrJson};
use crate::error::Result;
use crate::import::{self, Change, Report, Request};

#[derive(Serialize)]
struct Output<'a> {
    dry_run: bool,
    imports: &'a [Report],
}

pub(super) fn run(context: &Context, args: &ImportArgs, out: &mut impl Write) -> Result<()> {
    crate::notes::compile_headings(&args.headings)?;
    let bold_cloze = match (args.bold_cloze, args.no_bold_cloze) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let mut exports = Vec::new();
    let mut requests = Vec::new();
    for file in notes_files(&args.files)? {
        if crate::export::restore::is_export(&file) {
            if args.dry_run {
                return Err(crate::error::Error::usage(format!(
                    "{}: a recall export is restored as a whole; --dry-run does not apply",
                    file.display()
                )));
            }
            exports.push(file);
            continue;
        }
        requests.push(Request {
            file,
            deck: args.deck.clone(),
            headings: args.headings.clone(),
            bold_cloze,
            example: false,
            progress_from_notes: args.progress_from_notes,
        });
    }
    // The notes are read while the collection opens.
    let (store, read_ahead) = std::thread::scope(|scope| {
        let reading = scope.spawn(|| import::ReadAhead::of(&requests));
        let store = if args.dry_run {
            context.open()
        } else {
            context.open_for_writing()
        };
        let read_ahead = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (store, read_ahead)
    });
    let mut store = store?;
    let stamp = context.stamp(&store);
    for file in &exports {
        let restored = crate::export::restore::restore(&mut store, file, stamp)?;
        super::say(&format!(
            "restored {}, {} and {} from {}",
            super::plural(restored.decks, "deck"),
            super::plural(restored.cards, "card"),
            super::plural(restored.reviews, "review"),
            file.display()
        ));
    }
    // One import for all the notes files, so a question moved between them keeps its card.
    let reports = if requests.is_empty() {
        Vec::new()
    } else if args.dry_run {
        import::preview(&store, &requests, read_ahead, stamp)?
    } else {
        import::import_files(&mut store, &requests, read_ahead, stamp)?
    };
    for report in &reports {
        for warning in &report.warnings {
            let line = warning.line.map(|l| format!(":{l}")).unwrap_or_default();
            super::say(&format!(
                "warning: {}{line}: {}",
                report.file.display(),
                warning.message
            ));
        }
    }
    // An import that changes nothing writes nothing.
    if !args.dry_run {
        store.save()?;
    }
    store.close();
    let written = match args.format {
        TextOrJson::Json => write_json(
            out,
            &Output {
                dry_run: args.dry_run,
                imports: &reports,
            },
        ),
        TextOrJson::Text => reports
            .iter()
            .try_for_each(|report| write_report(report, args.dry_run, out).map_err(stdout_error)),
    };
    // Left to the process's exit, as the store's cards are: a first import's report names
    // every new card, and freeing them one by one came after all the work was done.
    std::mem::forget(reports);
    written
}

/// The files `paths` stand for: a file for itself, a folder for every `.md`, `.markdown` and
/// `.txt` file in it and its sub-folders, sorted by path, leaving out hidden files and folders
/// (`.obsidian`, `.git`, `.trash`) and links to folders. A folder without notes is refused.
fn notes_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let mut found = Vec::new();
        collect_notes(path, &mut found)?;
        if found.is_empty() {
            return Err(crate::error::Error::usage(format!(
                "{} holds no notes files (.md, .markdown, .txt)",
                path.display()
            )));
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

fn collect_notes(folder: &Path, found: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(folder).map_err(|e| crate::error::Error::io(folder, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| crate::error::Error::io(folder, e))?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let kind = entry.file_type().map_err(|e| crate::error::Error::io(&path, e))?;
        if kind.is_dir() {
            collect_notes(&path, found)?;
        } else if path.is_file() && is_notes_file(&path) {
            found.push(path);
        }
    }
    Ok(())
}

fn is_notes_file(path: &Path) -> bool {
    path.extension().and_then(|ext| ext.to_str()).is_some_and(|ext| {
        ["md", "markdown", "txt"]
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known))
    })
}

/// One summary line per file (`unchanged` when nothing changed), the deck's new name if it
/// followed its notes' title, every card that changed, by category, and the lines that belong
/// to no card.
pub(super) fn write_report(report: &Report, dry_run: bool, out: &mut impl Write) -> std::io::Result<()> {
    let c = &report.counts;
    let verb = if dry_run {
        "would import (dry run, nothing changed)"
    } else {
        "imported"
    };
    if !report.changed {
        writeln!(
            out,
            "{} {verb} into \"{}\": unchanged ({})",
            report.file.display(),
            report.deck,
            plural(c.unchanged, "card")
        )?;
    } else {
        writeln!(
            out,
            "{} {verb} into \"{}\": {} new, {} updated, {} renamed, {} moved, {} retired, {} restored, {} unchanged",
            report.file.display(),
            report.deck,
            c.new,
            c.updated,
            c.renamed,
            c.moved,
            c.retired,
            c.restored,
            c.unchanged
        )?;
    }
    if let Some(renamed) = &report.deck_renamed {
        writeln!(out, "  deck renamed: {} -> {}", renamed.from, renamed.to)?;
    }
    let categories: [(&str, &[Change]); 6] = [
        ("new", &report.new),
        ("updated", &report.updated),
        ("renamed", &report.renamed),
        ("moved", &report.moved),
        ("retired", &report.retired),
        ("restored", &report.restored),
    ];
    for (name, changes) in categories {
        for change in changes {
            let was = match (name, &change.was, &change.from, &change.to) {
                (_, _, Some(from), _) => format!("  (from {from})"),
                (_, _, _, Some(to)) => format!("  (to {to})"),
                ("renamed", Some(was), ..) => format!("  (was: {was})"),
                ("moved", Some(was), ..) => format!("  (from: {was})"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  {name:<9} {}  line {:<5} {}{was}",
                change.id, change.line, change.question
            )?;
        }
    }
    if c.progress_from_notes > 0 {
        writeln!(
            out,
            "  {} with progress from Obsidian",
            plural(c.progress_from_notes, "card")
        )?;
    }
    if c.progress_left_alone > 0 {
        writeln!(
            out,
            "  {} {} other progress in {} Obsidian comment than recall's schedule; recall keeps \
             its own (`--progress-from-notes` takes the notes')",
            plural(c.progress_left_alone, "card"),
            if c.progress_left_alone == 1 { "has" } else { "have" },
            if c.progress_left_alone == 1 {
                "its"
            } else {
                "their"
            },
        )?;
    }
    if report.outside > 0 {
        writeln!(
            out,
            "  {} outside any card (`recall parse --skipped {}` lists them)",
            plural(report.outside, "line"),
            report.file.display()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_stands_for_its_notes_files_sorted_without_hidden_ones() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for file in [
            "b.txt",
            "a.md",
            "C.Markdown",
            "d.json",
            ".notes.md",
            "sub/e.md",
            "sub/.trash/g.md",
            ".obsidian/f.md",
            ".git/h.txt",
            "sub/deeper/i.txt",
        ] {
            let path = root.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, "Q?\nA\n").unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.join("sub"), root.join("link")).unwrap();
        let single = root.join("d.json");
        let files = notes_files(&[root.to_path_buf(), single.clone()]).unwrap();
        let names: Vec<_> = files
            .iter()
            .map(|f| f.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            names,
            [
                "C.Markdown",
                "a.md",
                "b.txt",
                "sub/deeper/i.txt",
                "sub/e.md",
                "d.json"
            ]
        );
        let empty = root.join("empty");
        std::fs::create_dir(&empty).unwrap();
        let refused = notes_files(&[empty]).unwrap_err().to_string();
        assert!(
            refused.ends_with("empty holds no notes files (.md, .markdown, .txt)"),
            "{refused}"
        );
    }
}
