//! One-line cards: `front :: back` makes a card, `front ::: back` two (one each way).
//!
//! `::` is also how code writes paths and types, so a separator counts only outside inline
//! code, math, URLs and comments, and not in a line that is already a question. In notes
//! tagged `#flashcards` (written for the Obsidian Spaced Repetition plugin) any other `::`
//! counts, as the plugin reads it (`Codon::three nucleotides`), except in IPv6 addresses,
//! Dataview's `[key:: value]`, and words that are code (`std::vector<int>`, `Foo::bar()`,
//! `a::b::c`). In other notes the separator needs white space on both sides, so `std::vector`,
//! `a::b`, `fe80::1` and Dataview's `key:: value` stay text. Haskell's `x :: Int` never counts.

use std::ops::Range;

use super::question;
use super::spans::Protected;

/// Where a one-line card's sides are in its line (the separator between them excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OneLine {
    pub(crate) front: Range<usize>,
    pub(crate) back: Range<usize>,
    /// `:::`: the card is asked both ways.
    pub(crate) reversed: bool,
}

/// The one-line card `line` holds, if any. `spans` are the line's protected spans; `tagged`
/// says the notes carry a `#flashcards` tag. A `:::` anywhere wins over an earlier `::`, as in
/// the plugin (`a::b:::c` asks `a::b` and `c`).
pub(crate) fn split(line: &str, spans: &Protected, tagged: bool) -> Option<OneLine> {
    if question::split(line).is_some() {
        return None;
    }
    let runs = colon_runs(line, spans);
    let mut word = None;
    let chosen = runs
        .iter()
        .find(|run| run.len() == 3 && spaced_enough(line, run, tagged))
        .or_else(|| {
            runs.iter().find(|run| {
                run.len() == 2 && spaced_enough(line, run, tagged) && !is_code(line, run, &mut word)
            })
        })?;
    let (front, back) = (&line[..chosen.start], &line[chosen.end..]);
    if !has_words(front) || !has_words(back) || is_type_signature(front, back) {
        return None;
    }
    Some(OneLine {
        front: 0..chosen.start,
        back: chosen.end..line.len(),
        reversed: chosen.len() == 3,
    })
}

/// The runs of colons outside protected spans.
fn colon_runs(line: &str, spans: &Protected) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut runs: Vec<Range<usize>> = Vec::new();
    for at in memchr::memchr_iter(b':', bytes) {
        match runs.last_mut() {
            Some(run) if run.end == at => run.end += 1,
            _ => runs.push(at..at + 1),
        }
    }
    runs.retain(|run| run.len() >= 2 && !spans.overlaps(run));
    runs
}

/// Outside tagged notes a separator has white space on both sides.
fn spaced_enough(line: &str, run: &Range<usize>, tagged: bool) -> bool {
    if tagged {
        return true;
    }
    let before = line[..run.start].chars().next_back();
    let after = line[run.end..].chars().next();
    before.is_some_and(char::is_whitespace) && after.is_some_and(char::is_whitespace)
}

/// The white-space-delimited word around a `::`, and what is true of it as a whole.
#[derive(Clone)]
struct Word {
    range: Range<usize>,
    /// It holds another `::` or code punctuation (`std::vector<int>`, `Foo::bar()`).
    code: bool,
    address: bool,
}

impl Word {
    /// The word around `run`: `cached` when the run is in it, else measured (and cached), so
    /// a word holding many runs is read once.
    fn around(line: &str, run: &Range<usize>, cached: &mut Option<Word>) -> Word {
        if let Some(word) = cached
            && word.range.contains(&run.start)
        {
            return word.clone();
        }
        let start = line[..run.start]
            .char_indices()
            .rfind(|&(_, c)| c.is_whitespace())
            .map_or(0, |(at, space)| at + space.len_utf8());
        let end = line[run.end..]
            .find(char::is_whitespace)
            .map_or(line.len(), |at| run.end + at);
        let text = &line[start..end];
        cached
            .insert(Word {
                range: start..end,
                code: text.matches("::").count() > 1
                    || text.contains(['(', ')', '<', '>', ';', '{', '}', '=']),
                address: is_ipv6(text),
            })
            .clone()
    }
}

/// A `::` that belongs to code or an address rather than separating two sides.
fn is_code(line: &str, run: &Range<usize>, cached: &mut Option<Word>) -> bool {
    let word = Word::around(line, run, cached);
    let identifier = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let tight =
        identifier(line[..run.start].chars().next_back()) && identifier(line[run.end..].chars().next());
    let key = &line[word.range.start..run.start];
    let dataview = key.starts_with(['[', '('])
        && key.len() > 1
        && key[1..]
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    dataview || (tight && word.code) || word.address
}

/// `fe80::1`, `::1`, `2001:db8::ff00:42:8329`, `fe80::1%eth0`, `2001:db8::/32`.
fn is_ipv6(word: &str) -> bool {
    let word = word
        .trim_end_matches(['.', ',', ';', ')', ']'])
        .trim_start_matches(['(', '[']);
    word.contains("::")
        && word.bytes().any(|b| b.is_ascii_digit())
        && word
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || matches!(b, b':' | b'.' | b'%' | b'/'))
}

/// True when `side` holds a letter or digit, not only markup or a list marker.
fn has_words(side: &str) -> bool {
    side.chars().any(char::is_alphanumeric)
}

/// Haskell's `name :: Type`: the front is one or more lower-case names (or an operator in
/// parentheses), the back a type (capitalised names, one-letter type variables, arrows,
/// brackets; any names once an arrow shows it is a function type).
fn is_type_signature(front: &str, back: &str) -> bool {
    let front = front.trim();
    let front = front
        .strip_prefix(['-', '*', '+'])
        .filter(|rest| rest.starts_with(' '))
        .map_or(front, str::trim_start);
    let value_name = |name: &str| {
        let name = name.trim();
        let operator = name.len() > 2
            && name.starts_with('(')
            && name.ends_with(')')
            && name[1..name.len() - 1]
                .chars()
                .all(|c| "!#$%&*+./<=>?@\\^|-~:".contains(c));
        let mut chars = name.chars();
        let lower = chars.next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '\'');
        operator || lower
    };
    if front.is_empty() || !front.split(',').all(value_name) {
        return false;
    }
    let function = back.contains("->") || back.contains("=>");
    let mut tokens = back
        .split(|c: char| c.is_whitespace() || "()[],".contains(c))
        .filter(|token| !token.is_empty())
        .peekable();
    tokens.peek().is_some()
        && tokens.all(|token| {
            let mut chars = token.chars();
            let first = chars.next().unwrap_or(' ');
            let rest_ok = token
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_'.".contains(c));
            token == "->"
                || token == "=>"
                || (first.is_ascii_uppercase() && rest_ok)
                || (first.is_ascii_lowercase()
                    && rest_ok
                    && (function || chars.all(|c| c.is_ascii_digit() || c == '\'')))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(line: &str, tagged: bool) -> Option<(&str, &str, bool)> {
        let spans = Protected::of(line);
        split(line, &spans, tagged).map(|found| (&line[found.front], &line[found.back], found.reversed))
    }

    #[test]
    fn spaced_separators_make_cards_everywhere() {
        for tagged in [false, true] {
            assert_eq!(
                sides("TLB :: a cache of translations", tagged),
                Some(("TLB ", " a cache of translations", false))
            );
            assert_eq!(
                sides("- **What is X?** :: Y", tagged),
                Some(("- **What is X?** ", " Y", false))
            );
            assert_eq!(
                sides("Process ::: a program in execution", tagged),
                Some(("Process ", " a program in execution", true))
            );
        }
    }

    #[test]
    fn a_wide_space_before_a_separator_is_no_trouble() {
        // A no-break space is two bytes: the word after it starts past both.
        assert_eq!(sides("Tor\u{a0}Y.x::z", true), Some(("Tor\u{a0}Y.x", "z", false)));
        for tagged in [false, true] {
            assert_eq!(
                sides("Über\u{a0}Zeit :: Zeit", tagged),
                Some(("Über\u{a0}Zeit ", " Zeit", false))
            );
        }
        assert_eq!(
            sides("\u{3000}Term::meaning", true),
            Some(("\u{3000}Term", "meaning", false))
        );
    }

    #[test]
    fn tight_separators_count_only_in_tagged_notes() {
        for line in [
            "Codon::three nucleotides",
            "- **Context switch**::saving the registers",
            "status:: done",
        ] {
            assert_eq!(sides(line, false), None, "{line}");
            assert!(sides(line, true).is_some(), "{line}");
        }
        assert_eq!(
            sides("DNA base pairing:::adenine with thymine", true),
            Some(("DNA base pairing", "adenine with thymine", true))
        );
        assert_eq!(sides("a::b:::c", true), Some(("a::b", "c", true)));
    }

    #[test]
    fn code_addresses_and_types_are_never_cards() {
        for tagged in [false, true] {
            for line in [
                "We use std::vector<int> for it.",
                "Call Foo::bar() first",
                "std::collections::HashMap is a map",
                "Ping fe80::1 or ::1 now",
                "x :: Int",
                "map :: (a -> b) -> [a] -> [b]",
                "lookup :: Eq k => k -> [(k, v)] -> Maybe v",
                "(+) :: Num a => a -> a -> a",
                "The field [rating:: 5] is Dataview",
                "Use `a :: b` here",
                "See http://x::y and more",
                "Math $a :: b$ stays",
                "An html <!-- a :: b --> comment",
                "What does a :: b mean?",
                "::before is a CSS pseudo-element",
                "Ends with a separator ::",
                "- :: nothing before",
                "Four colons a :::: b",
            ] {
                assert_eq!(sides(line, tagged), None, "{line} (tagged: {tagged})");
            }
        }
    }

    #[test]
    fn a_type_needs_a_lower_case_name_before_it() {
        assert!(sides("Cell :: Unit of life", false).is_some());
        assert!(sides("cell :: the unit of life", false).is_some());
        assert_eq!(sides("cell :: Unit", false), None);
        assert!(sides("f, g :: the two functions", false).is_some());
    }

    #[test]
    fn a_question_line_keeps_todays_rule() {
        assert_eq!(sides("What is a :: b?", false), None);
        assert!(sides("What is X?::Y", true).is_some());
        assert!(sides("What is X? :: Y", false).is_some());
    }
}
