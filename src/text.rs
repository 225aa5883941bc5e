//! Small pieces of English for messages, and text made safe to show on a terminal.

use std::borrow::Cow;

/// `1 card`, `2 cards`.
/// Every message with a count says it through this, so `1 re-drill` and `2 leeches` read
/// right everywhere.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else if noun.ends_with("ch") || noun.ends_with("sh") || noun.ends_with('s') || noun.ends_with('x') {
        format!("{count} {noun}es")
    } else {
        format!("{count} {noun}s")
    }
}

/// `10 new cards and 2 review cards`, leaving out a kind there are none of; `None` when
/// there are none at all.
pub(crate) fn new_and_reviews(new: usize, reviews: usize) -> Option<String> {
    let parts: Vec<String> = [(new, "new card"), (reviews, "review card")]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, noun)| plural(count, noun))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" and "))
}

/// `path` as a shell word: as it is when that is safe, else in single quotes.
pub(crate) fn quoted_path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let safe = |c: char| c.is_ascii_alphanumeric() || "/._-+:=@,~".contains(c);
    if !text.is_empty() && text.chars().all(safe) {
        text
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// `"a", "b", "c"`: names as a user would type them, for messages.
pub(crate) fn quoted_list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names
        .into_iter()
        .map(|name| format!("{name:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `text` with every control character shown as a visible symbol (ESC as `␛`, U+241B), so
/// text from notes or files can never move the cursor, retitle the terminal or worse. Line
/// breaks and tabs are kept; a carriage return is shown as `␍`.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    visible_keeping(text, &['\n', '\t'])
}

/// [`visible`] for text that must stay on one line: line breaks and tabs are shown too.
pub fn visible_line(text: &str) -> Cow<'_, str> {
    visible_keeping(text, &[])
}

fn visible_keeping<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    let shown = |c: char| !c.is_control() || keep.contains(&c);
    if text.chars().all(shown) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| match c {
                c if shown(c) => c,
                // U+2400..U+241F picture the C0 controls, U+2421 DEL.
                '\0'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
                '\u{7f}' => '\u{2421}',
                _ => '\u{fffd}',
            })
            .collect(),
    )
}

/// True when `name` has a character that shows: not only white space, control or zero-width
/// characters.
pub(crate) fn has_visible_text(name: &str) -> bool {
    name.chars().any(|c| {
        !c.is_whitespace()
            && !c.is_control()
            && !matches!(c, '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
    })
}

/// A name taken from notes or a file name, made fit to name a deck: control characters become
/// spaces; a name with nothing visible is `fallback`.
pub(crate) fn clean_name(name: &str, fallback: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    if has_visible_text(cleaned) {
        cleaned.to_string()
    } else {
        fallback.to_string()
    }
}

/// Why `name` cannot name a deck (control characters, or nothing that shows), if it cannot.
pub(crate) fn bad_name(name: &str) -> Option<&'static str> {
    if name.chars().any(char::is_control) {
        Some("has control characters (a line break, a tab or an escape)")
    } else if !has_visible_text(name) {
        Some("has no visible text")
    } else {
        None
    }
}

/// A probability as a whole percentage: `0.874` is `87%`.
pub(crate) fn percent(probability: f64) -> String {
    format!("{:.0}%", probability * 100.0)
}

/// `45s`, `3m 05s`, `1h 02m`.
pub(crate) fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}

/// `text` in at most `width` terminal cells, cut with an ellipsis when it does not fit.
pub(crate) fn cut(text: &str, width: usize) -> Cow<'_, str> {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if text.width() <= width {
        return Cow::Borrowed(text);
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in text.chars() {
        let cell = c.width().unwrap_or(0);
        if used + cell + 1 > width {
            break;
        }
        kept.push(c);
        used += cell;
    }
    Cow::Owned(format!("{}…", kept.trim_end()))
}

/// `text` cut to `width` cells and padded to exactly `width`.
pub(crate) fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    let cut = cut(text, width);
    let pad = width.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(pad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_sent() {
        assert_eq!(visible("plain\ttext\nline"), "plain\ttext\nline");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("a\u{1b}]0;evil\u{7}b"), "a\u{241b}]0;evil\u{2407}b");
        assert_eq!(visible("\u{9b}2J\u{7f}\r"), "\u{fffd}2J\u{2421}\u{240d}");
        assert_eq!(visible_line("a\nb\tc"), "a\u{240a}b\u{2409}c");
    }

    #[test]
    fn names_need_visible_text_and_no_controls() {
        assert_eq!(bad_name("Biology"), None);
        assert!(bad_name("Bio\nlogy").is_some());
        assert!(bad_name("   ").is_some());
        assert!(bad_name("\u{200b}\u{feff}").is_some());
        assert!(bad_name("").is_some());
        assert_eq!(bad_name("é"), None);
        assert_eq!(clean_name("Bio\u{1b}[31mlogy", "x"), "Bio [31mlogy");
        assert_eq!(clean_name(" \u{200b} ", "notes"), "notes");
    }

    #[test]
    fn text_is_cut_with_an_ellipsis_by_cells() {
        assert_eq!(cut("Lecture 1 - Introduction", 10), "Lecture 1…");
        assert_eq!(cut("short", 10), "short");
        assert_eq!(cut("日本語のノート", 7), "日本語…");
        assert_eq!(fit("ab", 4), "ab  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(cut("x", 0), "…");
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(plural(1, "day"), "1 day");
        assert_eq!(plural(0, "day"), "0 days");
        assert_eq!(plural(12, "card"), "12 cards");
        assert_eq!(plural(1, "re-drill"), "1 re-drill");
        assert_eq!(plural(2, "leech"), "2 leeches");
        assert_eq!(plural(3, "lapse"), "3 lapses");
        assert_eq!(new_and_reviews(10, 0).as_deref(), Some("10 new cards"));
        assert_eq!(
            new_and_reviews(1, 1).as_deref(),
            Some("1 new card and 1 review card")
        );
        assert_eq!(new_and_reviews(0, 0), None);
    }
}
