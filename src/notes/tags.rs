//! `#flashcards` tags, as the Obsidian Spaced Repetition plugin uses them. A tag in the front
//! matter or the text marks notes written for the plugin; `#flashcards/cs/os` names the deck
//! `cs/os` when the notes have no title, and the section `os` for the cards below it that
//! have no heading (the front matter's tag, else the first tag of the file, for cards above
//! every tag). A tag at the start of a card's text is that card's own, and is taken off it.
//! Notes without such a tag are read exactly as before.

use super::blocks::{Classifier, Role};
use super::lines;
use super::spans::Protected;

/// The tag, compared without regard to case.
const TAG: &str = "flashcards";

/// The `#flashcards` tags of one notes file.
#[derive(Debug, Default)]
pub(crate) struct Tags {
    /// The tag of the whole file: the front matter's, else the first in the text.
    file: Option<String>,
    /// Lines holding a tag outside any card, with the first tag's path, in order.
    lines: Vec<(usize, String)>,
}

impl Tags {
    /// Finds the tags of notes `text`: in the front matter (the lines `front_matter`, Markdown
    /// only) and in the lines from `body` on, outside code and comments. The text is read
    /// line by line only when `mentioned` says a `#flashcards` shows somewhere.
    pub(crate) fn read(
        text: &str,
        front_matter: std::ops::Range<usize>,
        body: usize,
        markdown: bool,
        mentioned: bool,
    ) -> Tags {
        let front_matter_lines: Vec<&str> = lines(text)
            .take(front_matter.end)
            .skip(front_matter.start)
            .collect();
        let mut tags = Tags {
            file: front_matter_tag(&front_matter_lines),
            lines: Vec::new(),
        };
        if mentioned {
            let mut classifier = Classifier::new(markdown);
            for (index, line) in lines(text).enumerate().skip(body) {
                if classifier.role(line) != Role::Text || !line.contains('#') {
                    continue;
                }
                let spans = Protected::of(line);
                if let Some((_, path)) = in_line(line).find(|(at, _)| !spans.covers(*at)) {
                    tags.lines.push((index, path));
                }
            }
        }
        if tags.file.is_none() {
            tags.file = tags.lines.first().map(|(_, path)| path.clone());
        }
        tags
    }

    /// True when the notes carry a tag: they were written for the plugin.
    pub(crate) fn any(&self) -> bool {
        self.file.is_some()
    }

    /// The deck the tag names (`cs/os` for `#flashcards/cs/os`), if it names one.
    pub(crate) fn deck(&self) -> Option<&str> {
        self.file.as_deref().filter(|path| !path.is_empty())
    }

    /// Forgets the tags on the lines of `cards` (ranges in order), which turned out to be
    /// cards: a card's tag is its own.
    pub(crate) fn forget(&mut self, cards: impl IntoIterator<Item = std::ops::Range<usize>>) {
        let mut cards = cards.into_iter().peekable();
        self.lines.retain(|(line, _)| {
            while cards.next_if(|card| card.end <= *line).is_some() {}
            !cards.peek().is_some_and(|card| card.contains(line))
        });
    }

    /// The section a card on line `index` (0-based) takes when it stands under no heading:
    /// the last part of the nearest tag above it, else of the file's tag.
    pub(crate) fn section(&self, index: usize) -> Option<&str> {
        let above = self.lines.partition_point(|(line, _)| *line < index);
        let path = match above {
            0 => self.file.as_deref()?,
            n => &self.lines[n - 1].1,
        };
        last_part(path)
    }
}

/// The section a tag path names: its last part (`os` for `cs/os`).
pub(crate) fn last_part(path: &str) -> Option<&str> {
    path.rsplit('/').next().filter(|part| !part.is_empty())
}

/// The flashcards tags of `line`: the offset of each `#` and the tag's path below
/// `flashcards` (empty for the bare tag).
fn in_line(line: &str) -> impl Iterator<Item = (usize, String)> + '_ {
    memchr::memchr_iter(b'#', line.as_bytes()).filter_map(move |at| {
        let starts_word = at == 0 || line[..at].ends_with(char::is_whitespace);
        let (path, _) = tag_at(&line[at + 1..])?;
        starts_word.then_some((at, path))
    })
}

/// True when a flashcards tag may start at the `#` at `at`.
pub(crate) fn starts_at(text: &str, at: usize) -> bool {
    text.get(at + 1..at + 1 + TAG.len())
        .is_some_and(|name| name.eq_ignore_ascii_case(TAG))
}

/// The flashcards tag at the start of `text` (after its `#`): its path and its length.
fn tag_at(text: &str) -> Option<(String, usize)> {
    let name = text.get(..TAG.len())?;
    if !name.eq_ignore_ascii_case(TAG) {
        return None;
    }
    let length = text
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-' | '/')))
        .unwrap_or(text.len());
    let rest = &text[TAG.len()..length];
    if !rest.is_empty() && !rest.starts_with('/') {
        return None;
    }
    let path = rest
        .split('/')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    Some((path, length))
}

/// True when `line` holds nothing but tags, a flashcards tag among them: a line that marks
/// what follows rather than text of a card.
pub(crate) fn only_tags(line: &str) -> bool {
    let mut flashcards = false;
    for word in line.split_whitespace() {
        let Some(name) = word.strip_prefix('#') else {
            return false;
        };
        if name.is_empty() || name.starts_with('#') {
            return false;
        }
        flashcards |= tag_at(name).is_some_and(|(_, length)| length == name.len());
    }
    flashcards
}

/// A flashcards tag opening `text` (after white space), as the card's own: its path and the
/// offset where the text after it starts.
pub(crate) fn leading(text: &str) -> Option<(String, usize)> {
    let start = text.len() - text.trim_start().len();
    let after_hash = text[start..].strip_prefix('#')?;
    let (path, length) = tag_at(after_hash)?;
    let end = start + 1 + length;
    let rest = &text[end..];
    if !rest.is_empty() && !rest.starts_with(char::is_whitespace) {
        return None;
    }
    Some((path, end + (rest.len() - rest.trim_start().len())))
}

/// The first flashcards tag of a YAML front matter's `tags` (or `tag`): a list on the
/// following lines, a `[a, b]` list, or a comma-separated string; with or without `#`.
fn front_matter_tag(lines: &[&str]) -> Option<String> {
    let mut in_list = false;
    let mut values: Vec<&str> = Vec::new();
    for line in lines {
        if in_list {
            match line.trim_start().strip_prefix('-') {
                Some(item) if line.starts_with(char::is_whitespace) || line.starts_with('-') => {
                    values.push(item)
                }
                _ if line.trim().is_empty() => {}
                _ => in_list = false,
            }
            if in_list {
                continue;
            }
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        if !matches!(key.trim(), "tags" | "tag") || line.starts_with(char::is_whitespace) {
            continue;
        }
        let value = value.trim().trim_start_matches('[').trim_end_matches(']');
        if value.is_empty() {
            in_list = true;
        } else {
            values.extend(value.split(','));
        }
    }
    values.iter().find_map(|value| {
        let value = value.trim().trim_matches(['"', '\'']).trim_start_matches('#');
        tag_at(value)
            .filter(|(_, length)| *length == value.len())
            .map(|(path, _)| path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, front_matter: std::ops::Range<usize>) -> Tags {
        let mentioned = text.contains('#');
        Tags::read(text, front_matter.clone(), front_matter.end, true, mentioned)
    }

    #[test]
    fn tags_in_the_text_name_deck_and_sections() {
        let tags = read(
            "# T\n#flashcards/cs/os\nQ::A\n\nSee #FlashCards/cs/os/memory here\n",
            0..0,
        );
        assert!(tags.any());
        assert_eq!(tags.deck(), Some("cs/os"));
        assert_eq!(tags.section(0), Some("os"));
        assert_eq!(tags.section(2), Some("os"));
        assert_eq!(tags.section(5), Some("memory"));
    }

    #[test]
    fn the_bare_tag_marks_notes_without_naming_anything() {
        let tags = read("Q::A #flashcards\n", 0..0);
        assert!(tags.any());
        assert_eq!(tags.deck(), None);
        assert_eq!(tags.section(3), None);
    }

    #[test]
    fn lookalikes_are_not_tags() {
        for text in [
            "#flashcardsX here",
            "a#flashcards",
            "`#flashcards` in code",
            "```\n#flashcards\n```",
            "<!-- #flashcards -->",
            "# flashcards heading",
            "#flash",
        ] {
            assert!(!read(text, 0..0).any(), "{text}");
        }
    }

    #[test]
    fn front_matter_tags_in_every_yaml_spelling() {
        for front_matter in [
            "---\ntitle: x\ntags:\n  - flashcards/math/linear-algebra\n  - lecture-notes\n---",
            "---\ntags: [lecture-notes, \"#flashcards/math/linear-algebra\"]\n---",
            "---\ntags: lecture-notes, flashcards/math/linear-algebra\n---",
            "---\ntag:\n- flashcards/math/linear-algebra\n---",
        ] {
            let count = front_matter.lines().count();
            let tags = read(front_matter, 0..count);
            assert_eq!(tags.deck(), Some("math/linear-algebra"), "{front_matter}");
        }
        assert!(!read("---\ntags:\n  - lecture-notes\nother: flashcards\n---", 0..5).any());
    }

    #[test]
    fn tag_lines_and_leading_tags() {
        assert!(only_tags("#flashcards/a #important"));
        assert!(only_tags("  #flashcards  "));
        assert!(!only_tags("#important"));
        assert!(!only_tags("Tags: #flashcards"));
        assert!(!only_tags("#flashcards, #x"));
        assert_eq!(
            leading("#flashcards/biology/cells Osmosis::water"),
            Some(("biology/cells".to_string(), 26))
        );
        assert_eq!(leading("#todo Q::A"), None);
        assert_eq!(leading("#flashcards"), Some((String::new(), 11)));
        assert_eq!(leading("#flashcards: x"), None);
    }

    #[test]
    fn forgotten_lines_give_no_section() {
        let mut tags = read("#flashcards/a\n#flashcards/b Q::A\nR::B\n", 0..0);
        tags.forget(std::iter::once(1..2));
        assert_eq!(tags.section(2), Some("a"));
    }
}
