//! Cloze deletions: Anki's `{{c1::text}}` and `{{c1::text::hint}}` in any notes; in Markdown
//! `==text==`; in notes tagged `#flashcards`, `{{text}}`; and `**text**` when asked for
//! (`--bold-cloze`). The last three take a hint after `;;` and, as the Obsidian Spaced
//! Repetition plugin writes them, a number before it (`==2;;text==`).
//!
//! A deletion opens and closes on one line, outside code, math, URLs and comments. Anything
//! that does not read as a whole deletion (`{{c1::` never closed, `{{c0::x}}`, `{{cX::y}}`,
//! `== spaced ==`, the outer one of nested braces) stays in the text as written.

use std::ops::Range;

use super::Cloze;
use super::spans::{Protected, has_pair};

/// The largest deletion number read; a larger one is text, so numbering never overflows.
const MAX_NUMBER: u32 = 9999;

/// The most cards one cloze text makes. Each card holds the whole text, so without a limit a
/// long text full of deletions would make output growing with the square of its length.
pub(crate) const MAX_CARDS: usize = 50;

/// Which deletion forms count, besides Anki's, which always does.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Forms {
    pub(crate) highlight: bool,
    pub(crate) curly: bool,
    pub(crate) bold: bool,
}

/// One deletion in a line: byte ranges into the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deletion {
    /// The whole marker, from `{{` to `}}`.
    pub(crate) whole: Range<usize>,
    /// The text the card hides.
    pub(crate) text: Range<usize>,
    pub(crate) hint: Option<Range<usize>>,
    /// The number written in the marker, if any.
    pub(crate) number: Option<u32>,
}

/// The bytes that can start a deletion of `forms`, for a quick test before [`find`].
pub(crate) fn may_hold(line: &str, forms: Forms) -> bool {
    let bytes = line.as_bytes();
    has_pair(bytes, *b"{{")
        || (forms.highlight && has_pair(bytes, *b"=="))
        || (forms.bold && has_pair(bytes, *b"**"))
}

/// The deletions of `line`, left to right. `spans` are the line's protected spans.
pub(crate) fn find(line: &str, spans: &Protected, forms: Forms) -> Vec<Deletion> {
    let bytes = line.as_bytes();
    // Overlapping, so that in `{{{c1::x}}}` the inner `{{` is found too.
    let doubled = |brace: u8| -> Vec<usize> {
        memchr::memchr_iter(brace, bytes)
            .filter(|&at| bytes.get(at + 1) == Some(&brace) && !spans.overlaps(&(at..at + 2)))
            .collect()
    };
    let braces = Braces {
        opens: doubled(b'{'),
        closes: doubled(b'}'),
    };
    let highlights = if forms.highlight {
        exact_pairs(bytes, b'=', spans)
    } else {
        Vec::new()
    };
    let bolds = if forms.bold {
        exact_pairs(bytes, b'*', spans)
    } else {
        Vec::new()
    };
    let mut cursor = Cursor::default();
    let mut found = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let next = [
            braces.opens.get(cursor.open).copied(),
            highlights.get(cursor.highlight).copied(),
            bolds.get(cursor.bold).copied(),
        ];
        let Some(start) = next.iter().flatten().copied().filter(|&start| start >= at).min() else {
            break;
        };
        let deletion = if next[0] == Some(start) {
            braces.deletion(line, start, &mut cursor, forms.curly)
        } else {
            let pairs = if next[1] == Some(start) {
                &highlights
            } else {
                &bolds
            };
            delimited(line, pairs, start)
        };
        match deletion {
            Some(deletion) => {
                at = deletion.whole.end;
                found.push(deletion);
            }
            None => at = start + 1,
        }
        cursor.skip_before(at, &braces, &highlights, &bolds);
    }
    found
}

/// Positions in the candidate lists that lie before the scan.
#[derive(Default)]
struct Cursor {
    open: usize,
    close: usize,
    highlight: usize,
    bold: usize,
}

impl Cursor {
    fn skip_before(&mut self, at: usize, braces: &Braces, highlights: &[usize], bolds: &[usize]) {
        while braces.opens.get(self.open).is_some_and(|&open| open < at) {
            self.open += 1;
        }
        while highlights.get(self.highlight).is_some_and(|&open| open < at) {
            self.highlight += 1;
        }
        while bolds.get(self.bold).is_some_and(|&open| open < at) {
            self.bold += 1;
        }
    }
}

/// The unprotected `{{` and `}}` of a line.
struct Braces {
    opens: Vec<usize>,
    closes: Vec<usize>,
}

impl Braces {
    /// The deletion opened by the `{{` at `start`: Anki's when it holds `::`, else a curly one.
    fn deletion(&self, line: &str, start: usize, cursor: &mut Cursor, curly: bool) -> Option<Deletion> {
        while self
            .closes
            .get(cursor.close)
            .is_some_and(|&close| close < start + 2)
        {
            cursor.close += 1;
        }
        let close = *self.closes.get(cursor.close)?;
        let nested = self.opens.get(cursor.open + 1).is_some_and(|&open| open < close);
        if nested {
            return None;
        }
        let inside = start + 2..close;
        let whole = start..close + 2;
        if line[inside.clone()].contains("::") {
            anki(line, inside, whole)
        } else if curly {
            with_hint(line, inside, whole)
        } else {
            None
        }
    }
}

/// `c<number>::text` or `c<number>::text::hint`, the inside of an Anki deletion.
fn anki(line: &str, inside: Range<usize>, whole: Range<usize>) -> Option<Deletion> {
    let body = &line[inside.clone()];
    let (number, rest) = body.strip_prefix('c')?.split_once("::")?;
    let number = read_number(number)?;
    let text_start = inside.start + body.len() - rest.len();
    let (text, hint) = match rest.split_once("::") {
        Some((text, hint)) => (
            text_start..text_start + text.len(),
            (!hint.trim().is_empty()).then(|| inside.end - hint.len()..inside.end),
        ),
        None => (text_start..inside.end, None),
    };
    (!line[text.clone()].trim().is_empty()).then_some(Deletion {
        whole,
        text,
        hint,
        number: Some(number),
    })
}

/// `text`, `text;;hint` or `number;;text;;hint`, the inside of the plugin's deletions.
fn with_hint(line: &str, inside: Range<usize>, whole: Range<usize>) -> Option<Deletion> {
    let body = &line[inside.clone()];
    let mut parts = body.split(";;");
    let first = parts.next().unwrap_or_default();
    let (number, text) = match read_number(first) {
        Some(number) if body.len() > first.len() => (Some(number), parts.next().unwrap_or_default()),
        _ => (None, first),
    };
    let text_start = inside.start + (text.as_ptr() as usize - body.as_ptr() as usize);
    let text_range = text_start..text_start + text.len();
    let hint_start = text_range.end + 2;
    let hint = (hint_start < inside.end && !line[hint_start..inside.end].trim().is_empty())
        .then_some(hint_start..inside.end);
    (!text.trim().is_empty()).then_some(Deletion {
        whole,
        text: text_range,
        hint,
        number,
    })
}

fn read_number(digits: &str) -> Option<u32> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4 {
        return None;
    }
    digits.parse().ok().filter(|&n| (1..=MAX_NUMBER).contains(&n))
}

/// The unprotected runs of exactly two `mark` bytes (`==`, `**`), where a deletion may open
/// or close.
fn exact_pairs(bytes: &[u8], mark: u8, spans: &Protected) -> Vec<usize> {
    let mut pairs = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr(mark, &bytes[at..]) {
        let start = at + found;
        let length = bytes[start..].iter().take_while(|&&b| b == mark).count();
        if length == 2 && !spans.overlaps(&(start..start + 2)) {
            pairs.push(start);
        }
        at = start + length;
    }
    pairs
}

/// The deletion `==…==` (or `**…**`) opened at `start`, one of `pairs`: the opener is
/// followed and the closer preceded by something other than white space, so `a == b == c`
/// holds none.
fn delimited(line: &str, pairs: &[usize], start: usize) -> Option<Deletion> {
    let at = pairs.binary_search(&start).ok()?;
    let close = *pairs.get(at + 1)?;
    let bytes = line.as_bytes();
    if close == start + 2 || bytes[start + 2].is_ascii_whitespace() || bytes[close - 1].is_ascii_whitespace()
    {
        return None;
    }
    with_hint(line, start + 2..close, start..close + 2)
}

/// The cards of a cloze text: its answer (every deletion shown) and, per deletion number in
/// order, the question (that number's deletions hidden) with what the answer reveals.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Expanded {
    pub(crate) answer: String,
    pub(crate) cards: Vec<(String, Cloze)>,
    /// Deletion numbers beyond [`MAX_CARDS`]: shown as text, not asked.
    pub(crate) left_out: usize,
}

/// Expands `text` and its `deletions` (byte ranges into `text`, in order) into cards. A
/// deletion without a number takes the next one after the highest written.
pub(crate) fn expand(text: &str, deletions: &[Deletion]) -> Expanded {
    let highest = deletions.iter().filter_map(|d| d.number).max().unwrap_or(0);
    let mut next = highest;
    let numbers: Vec<u32> = deletions
        .iter()
        .map(|deletion| {
            deletion.number.unwrap_or_else(|| {
                next += 1;
                next
            })
        })
        .collect();
    let mut answer = String::with_capacity(text.len());
    let mut revealed = Vec::with_capacity(deletions.len());
    let mut copied = 0;
    for deletion in deletions {
        answer.push_str(&text[copied..deletion.whole.start]);
        let start = answer.len();
        answer.push_str(&text[deletion.text.clone()]);
        revealed.push(start..answer.len());
        copied = deletion.whole.end;
    }
    answer.push_str(&text[copied..]);
    let mut asked = numbers.clone();
    asked.sort_unstable();
    asked.dedup();
    let left_out = asked.len().saturating_sub(MAX_CARDS);
    asked.truncate(MAX_CARDS);
    let cards = asked
        .into_iter()
        .map(|number| {
            let mut question = String::with_capacity(text.len());
            let mut copied = 0;
            let mut shown = Vec::new();
            for (deletion, (&own, range)) in deletions.iter().zip(numbers.iter().zip(&revealed)) {
                question.push_str(&text[copied..deletion.whole.start]);
                if own == number {
                    let hint = deletion.hint.clone().map_or("...", |hint| &text[hint]);
                    question.push('[');
                    question.push_str(hint);
                    question.push(']');
                    shown.push(range.clone());
                } else {
                    question.push_str(&text[deletion.text.clone()]);
                }
                copied = deletion.whole.end;
            }
            question.push_str(&text[copied..]);
            (
                question,
                Cloze {
                    number,
                    revealed: shown,
                },
            )
        })
        .collect();
    Expanded {
        answer,
        cards,
        left_out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Forms = Forms {
        highlight: true,
        curly: true,
        bold: true,
    };

    fn texts(line: &str, forms: Forms) -> Vec<(&str, Option<&str>, Option<u32>)> {
        find(line, &Protected::of(line), forms)
            .into_iter()
            .map(|d| (&line[d.text], d.hint.map(|h| &line[h]), d.number))
            .collect()
    }

    fn cards(line: &str, forms: Forms) -> (String, Vec<(String, u32, Vec<String>)>) {
        let deletions = find(line, &Protected::of(line), forms);
        let expanded = expand(line, &deletions);
        let cards = expanded
            .cards
            .iter()
            .map(|(q, c)| {
                let shown = c
                    .revealed
                    .iter()
                    .map(|r| expanded.answer[r.clone()].to_string())
                    .collect();
                (q.clone(), c.number, shown)
            })
            .collect();
        (expanded.answer, cards)
    }

    #[test]
    fn anki_deletions_with_numbers_and_hints() {
        assert_eq!(
            texts(
                "The {{c1::mitochondrion}} makes {{c2::ATP::a molecule}}.",
                Forms::default()
            ),
            [
                ("mitochondrion", None, Some(1)),
                ("ATP", Some("a molecule"), Some(2))
            ]
        );
        assert_eq!(
            texts("{{c1::a::b::c}} {{c1::x::}}", Forms::default()),
            [("a", Some("b::c"), Some(1)), ("x", None, Some(1))]
        );
    }

    #[test]
    fn malformed_anki_markers_stay_text() {
        for line in [
            "{{c1::never closed",
            "{{c0::x}}",
            "{{cX::y}}",
            "{{c1::}}",
            "{{c::x}}",
            "{{c-1::x}}",
            "{{c99999::x}}",
            "{{1::x}}",
            "`{{c1::code}}`",
            "$e^{{c1::x}}$",
        ] {
            assert_eq!(texts(line, ALL), [], "{line}");
        }
    }

    #[test]
    fn only_the_innermost_of_nested_braces_is_read() {
        assert_eq!(
            texts("{{c1::a {{c2::b}} c}}", Forms::default()),
            [("b", None, Some(2))]
        );
        assert_eq!(texts("{{{c1::x}}}", Forms::default()), [("x", None, Some(1))]);
    }

    #[test]
    fn plugin_forms_count_only_when_asked() {
        let line = "A ==b== and {{c}} and **d**";
        assert_eq!(texts(line, Forms::default()), []);
        assert_eq!(
            texts(line, ALL),
            [("b", None, None), ("c", None, None), ("d", None, None)]
        );
        assert_eq!(
            texts("==2;;x;;hint== and ==y;;h==", ALL),
            [("x", Some("hint"), Some(2)), ("y", Some("h"), None)]
        );
    }

    #[test]
    fn highlights_need_text_against_their_markers() {
        for line in [
            "a == b == c",
            "a ==b == c",
            "=== x ===",
            "== x==",
            "====",
            "`a == b` and `c == d`",
            "$a==b$ and $c==d$",
        ] {
            assert_eq!(texts(line, ALL), [], "{line}");
        }
        assert_eq!(texts("==`x`== and ***y***", ALL), [("`x`", None, None)]);
    }

    #[test]
    fn each_number_is_a_card_hiding_its_deletions() {
        let (answer, cards) = cards("{{c1::A}} and {{c2::B::hint}} and {{c1::C}}", Forms::default());
        assert_eq!(answer, "A and B and C");
        assert_eq!(
            cards,
            [
                ("[...] and B and [...]".into(), 1, vec!["A".into(), "C".into()]),
                ("A and [hint] and C".into(), 2, vec!["B".into()]),
            ]
        );
    }

    #[test]
    fn unnumbered_deletions_follow_the_highest_number() {
        let (answer, cards) = cards("==x== {{c2::y}} ==z==", ALL);
        assert_eq!(answer, "x y z");
        let numbers: Vec<_> = cards.iter().map(|c| (c.0.as_str(), c.1)).collect();
        assert_eq!(numbers, [("x [...] z", 2), ("[...] y z", 3), ("x y [...]", 4)]);
    }

    #[test]
    fn a_text_makes_at_most_fifty_cards() {
        let line = (1..=60)
            .map(|n| format!("{{{{c{n}::w{n}}}}}"))
            .collect::<Vec<_>>()
            .join(" ");
        let expanded = expand(&line, &find(&line, &Protected::of(&line), Forms::default()));
        assert_eq!(expanded.cards.len(), MAX_CARDS);
        assert_eq!(expanded.left_out, 10);
        assert!(
            expanded.cards[49]
                .0
                .ends_with("[...] w51 w52 w53 w54 w55 w56 w57 w58 w59 w60")
        );
    }

    #[test]
    fn linear_on_many_unclosed_openers() {
        let line = "{{c1:: == ** ".repeat(30_000);
        let started = std::time::Instant::now();
        let _ = find(&line, &Protected::of(&line), ALL);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
