//! Lecture notes to card drafts. Two flavours: plain-text exports ([`text`]) and Markdown
//! ([`markdown`]), which share the cards written as blocks ([`blocks`]: one-line cards, cards
//! over several lines, clozes) and the Obsidian Spaced Repetition plugin's tags and progress
//! comments. Nothing here touches the collection: the result is a [`Notes`] value that
//! `recall parse` prints and `recall import` merges.

pub mod anki;
pub(crate) mod blocks;
pub(crate) mod cloze;
pub(crate) mod drafts;
pub(crate) mod images;
pub mod markdown;
pub mod math;
pub(crate) mod one_line;
pub(crate) mod progress;
pub(crate) mod question;
pub(crate) mod spans;
pub(crate) mod tags;
pub mod text;

use std::ops::Range;
use std::path::Path;

use chrono::NaiveDate;
use regex::Regex;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::error::{Error, Result};

/// One card found in the notes: a question and its answer, or one deletion of a cloze.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardDraft {
    /// The heading (or path of headings) the question stands under; empty before the first one.
    pub section: String,
    pub question: String,
    pub answer: String,
    /// A remark written after the question mark, such as `(important)`.
    pub(crate) note: String,
    /// 1-based line of the question in the file (the first line of a card written over
    /// several lines; the cards made from one text, such as a reversed pair, share it).
    pub line: usize,
    /// Set for a cloze card, whose question is the text with deletions hidden.
    pub cloze: Option<Box<Cloze>>,
    /// Progress saved in the notes by the Obsidian Spaced Repetition plugin, for the import
    /// to start the card from.
    ///
    /// (Both are boxed: most cards have neither, and a small draft keeps large notes quick.)
    pub progress: Option<Box<Progress>>,
}

/// What a cloze card asks. Its answer is the whole text with every deletion shown, so the
/// review screen highlights `revealed` there to show what was hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Cloze {
    /// The deletion number this card hides (`2` for `{{c2::…}}`); deletions written without
    /// a number are numbered in order after the highest written one.
    pub number: u32,
    /// Byte ranges of the answer holding the text of this card's deletions, in order.
    pub revealed: Vec<Range<usize>>,
}

/// A card's review state as the Obsidian Spaced Repetition plugin saved it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The day the card is next due.
    pub due: NaiveDate,
    /// Days between the last review and `due`.
    pub interval: u32,
    /// The plugin's ease in percent (250 is SM-2's E-Factor 2.5).
    pub ease: u32,
}

/// In JSON a card says its `kind` (`basic` or `cloze`); `cloze` and `progress` appear only
/// when set.
impl Serialize for CardDraft {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let fields = 6 + usize::from(self.cloze.is_some()) + usize::from(self.progress.is_some());
        let mut card = serializer.serialize_struct("CardDraft", fields)?;
        let kind = if self.cloze.is_some() { "cloze" } else { "basic" };
        card.serialize_field("kind", kind)?;
        card.serialize_field("section", &self.section)?;
        card.serialize_field("question", &self.question)?;
        card.serialize_field("answer", &self.answer)?;
        card.serialize_field("note", &self.note)?;
        card.serialize_field("line", &self.line)?;
        if let Some(cloze) = &self.cloze {
            card.serialize_field("cloze", cloze)?;
        }
        if let Some(progress) = &self.progress {
            card.serialize_field("progress", progress)?;
        }
        card.end()
    }
}

/// How to read notes beyond what they say themselves.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Extra section-heading patterns for plain text (`--heading`).
    pub headings: Vec<Regex>,
    /// `**bold**` text outside questions and answers is a cloze deletion (`--bold-cloze`).
    pub bold_cloze: bool,
}

/// Something in the notes that did not become a card but that the author should know about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub(crate) message: String,
}

/// How the card text is written, so the review screen knows whether to render Markdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Format {
    Text,
    Markdown,
}

/// The outcome of parsing one notes file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notes {
    /// The title the notes give themselves, else the file's name.
    pub(crate) deck: String,
    /// Whether `deck` is the notes' own title (a first line, a `# heading`), which a deck
    /// named after it follows when it changes.
    #[serde(skip)]
    pub(crate) titled: bool,
    pub(crate) format: Format,
    pub cards: Vec<CardDraft>,
    pub warnings: Vec<Warning>,
    /// Lines with text that belong to no card (not a title, heading, question or answer), so
    /// a question that lost its `?` is noticed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<Skipped>,
    /// The images the notes show, checked when they are read from a file.
    #[serde(skip)]
    pub(crate) images: Vec<images::Image>,
    /// The lines (0-based, the end left out) of each text that makes cards in the flashcard
    /// plugin's forms (on one line, over several lines, a cloze): where its progress comment
    /// belongs.
    #[serde(skip)]
    pub(crate) card_texts: Vec<Range<usize>>,
}

/// Room for about as many cards as `text` makes, made at once: most questions end with `?`
/// (at most one card per 16 bytes is counted, so odd notes ask for no more than they could
/// fill). A list grown a step at a time copied every card it held at each step.
pub(crate) fn room_for_cards(text: &str) -> usize {
    memchr::memchr_iter(b'?', text.as_bytes())
        .count()
        .min(text.len() / 16)
}

impl Notes {
    /// Notes of `format` with no card yet, named `deck` until they name themselves.
    pub(crate) fn new(deck: &str, format: Format) -> Notes {
        Notes {
            deck: deck.to_string(),
            titled: false,
            format,
            cards: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
            images: Vec::new(),
            card_texts: Vec::new(),
        }
    }
}

/// A line of the notes outside any card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    pub line: usize,
    pub text: String,
}

/// Which parser a file goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavour {
    Text,
    Markdown,
    /// Anki's "Notes in Plain Text" export (a file starting with `#separator:`).
    Anki,
}

impl Flavour {
    /// Markdown by extension, Anki by its header line, plain text otherwise.
    pub(crate) fn detect(path: &Path, text: &str) -> Flavour {
        let markdown = path
            .extension()
            .and_then(|ext| ext.to_str())
            .is_some_and(|ext| ext.eq_ignore_ascii_case("md") || ext.eq_ignore_ascii_case("markdown"));
        if markdown {
            Flavour::Markdown
        } else if anki::is_anki_export(text) {
            Flavour::Anki
        } else {
            Flavour::Text
        }
    }
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

/// The Markdown extensions a card's text is read with, wherever it is: drawn on the review
/// screen, exported to Anki, searched for images.
pub(crate) const CARD_MARKDOWN: pulldown_cmark::Options = pulldown_cmark::Options::ENABLE_TABLES
    .union(pulldown_cmark::Options::ENABLE_FOOTNOTES)
    .union(pulldown_cmark::Options::ENABLE_STRIKETHROUGH)
    .union(pulldown_cmark::Options::ENABLE_MATH);

/// Reads and parses a notes file.
pub(crate) fn read_file(path: &Path, options: &Options) -> Result<Notes> {
    let bytes = read_bytes(path)?;
    parse_file(path, decode(path, &bytes)?, options)
}

/// Reads a notes file: its text (without a byte-order mark), and what it parses into.
pub(crate) fn read_text(path: &Path, options: &Options) -> Result<(String, Notes)> {
    let bytes = read_bytes(path)?;
    let text = decode(path, &bytes)?;
    Ok((text.to_string(), parse_file(path, text, options)?))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(Error::bad_file(path, None, "is a directory, not a notes file"));
    }
    crate::files::read(path, crate::files::Links::Follow).map_err(|e| Error::io(path, e))
}

/// The notes of the file at `path`, whose text is `text`: parsed, their images looked for
/// beside it, their warnings in line order.
fn parse_file(path: &Path, text: &str, options: &Options) -> Result<Notes> {
    let mut notes = parse(path, text, options)?;
    images::check(&notes.images, path, &mut notes.warnings);
    sort_by_line(&mut notes.warnings);
    Ok(notes)
}

/// Parses notes already in memory; `path` names the deck when the notes do not.
pub(crate) fn parse(path: &Path, text: &str, options: &Options) -> Result<Notes> {
    let fallback = deck_from_file_name(path);
    let mut notes = match Flavour::detect(path, text) {
        Flavour::Text => text::parse(text, &fallback, options),
        Flavour::Markdown => markdown::parse(text, &fallback, options),
        Flavour::Anki => anki::parse(text, &fallback),
    };
    if notes.cards.is_empty() && notes.warnings.iter().all(|w| w.line.is_some()) {
        notes.warnings.push(Warning {
            line: None,
            message: "no questions found".to_string(),
        });
    }
    sort_by_line(&mut notes.warnings);
    Ok(notes)
}

/// Warnings in the order of their lines (those about the whole notes last), as the author
/// reads the notes.
fn sort_by_line(warnings: &mut [Warning]) {
    warnings.sort_by_key(|warning| warning.line.unwrap_or(usize::MAX));
}

/// Turns file bytes into text: drops a UTF-8 BOM, refuses binary files and invalid UTF-8.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str> {
    if memchr::memchr(0, bytes).is_some() {
        return Err(Error::bad_file(
            path,
            None,
            "not a text file (it contains NUL bytes)",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let line = line_of_offset(bytes, e.valid_up_to());
        Error::bad_file(path, Some(line), "invalid UTF-8 (save the notes as UTF-8 text)")
    })
}

/// The deck name used when the notes do not name one: the file name without extension.
pub(crate) fn deck_from_file_name(path: &Path) -> String {
    path.file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_else(|| "notes".to_string())
}

/// 1-based line holding byte `offset`; `\r\n`, `\r` and `\n` all end lines.
fn line_of_offset(bytes: &[u8], offset: usize) -> usize {
    let before = &bytes[..offset.min(bytes.len())];
    let mut line = 1;
    let mut i = 0;
    while i < before.len() {
        match before[i] {
            b'\n' => line += 1,
            b'\r' if before.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
        i += 1;
    }
    line
}

/// Splits text into lines ended by `\r\n`, `\r` or `\n`, with trailing white space trimmed.
pub fn lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let rest = &bytes[start..];
        match memchr::memchr2(b'\n', b'\r', rest) {
            Some(end) => {
                let line = &text[start..start + end];
                let newline = if rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start += end + newline;
                if start == bytes.len() {
                    done = true;
                }
                Some(line.trim_end())
            }
            None => {
                done = true;
                if rest.is_empty() {
                    None
                } else {
                    Some(text[start..].trim_end())
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_end_at_every_kind_of_newline() {
        let got: Vec<_> = lines("a\r\nb\rc\nd  \n\ne").collect();
        assert_eq!(got, ["a", "b", "c", "d", "", "e"]);
        assert_eq!(lines("x\n").collect::<Vec<_>>(), ["x"]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\n\n").collect::<Vec<_>>(), ["", ""]);
    }

    #[test]
    fn room_is_made_for_a_card_per_question_mark_and_no_more_than_notes_could_fill() {
        assert_eq!(room_for_cards(&"What is X?\nIt is Y.\n".repeat(100)), 100);
        assert_eq!(room_for_cards(&"?".repeat(1600)), 100);
        assert_eq!(room_for_cards(""), 0);
    }

    #[test]
    fn decode_drops_bom_and_refuses_binary_and_bad_utf8() {
        let path = Path::new("n.txt");
        assert_eq!(decode(path, b"\xEF\xBB\xBFhi").unwrap(), "hi");
        let err = decode(path, b"a\0b").unwrap_err().to_string();
        assert_eq!(err, "n.txt: not a text file (it contains NUL bytes)");
        let err = decode(path, b"one\r\ntwo\rthree\n\xFF").unwrap_err().to_string();
        assert_eq!(err, "n.txt:4: invalid UTF-8 (save the notes as UTF-8 text)");
    }

    #[test]
    fn flavour_follows_extension() {
        assert_eq!(Flavour::detect(Path::new("a.MD"), ""), Flavour::Markdown);
        assert_eq!(Flavour::detect(Path::new("a.markdown"), ""), Flavour::Markdown);
        assert_eq!(Flavour::detect(Path::new("a.txt"), "x"), Flavour::Text);
        assert_eq!(
            Flavour::detect(Path::new("a.txt"), "#separator:tab\n"),
            Flavour::Anki
        );
    }

    #[test]
    fn empty_notes_warn_without_a_line() {
        let notes = parse(Path::new("empty.txt"), "", &Options::default()).unwrap();
        assert_eq!(notes.deck, "empty");
        assert!(notes.cards.is_empty());
        assert_eq!(
            notes.warnings,
            [Warning {
                line: None,
                message: "no questions found".into()
            }]
        );
    }
}
