//! Where in a line card syntax does not count: inline code, math, URLs and HTML comments.
//! A `::`, `==` or `{{` written there is part of the text, never a marker.

use std::ops::Range;

/// The byte ranges of one line that card syntax leaves alone, in order and apart.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Protected {
    ranges: Vec<Range<usize>>,
    /// The ranges that are HTML comments (`<!-- … -->`), which never reach a card's text.
    comments: Vec<Range<usize>>,
}

impl Protected {
    /// Finds the protected spans of `line`, left to right in one pass: the leftmost construct
    /// wins, so `` `$x$` `` is code and `$`a`$` is math. A comment left open runs to the end
    /// of the line. Every search for a closer starts after the last one, so the time is linear.
    pub(crate) fn of(line: &str) -> Protected {
        let bytes = line.as_bytes();
        let mut spans = Protected::default();
        let code_closers = CodeClosers::of(bytes);
        let mut closers_missing = Missing::default();
        let mut at = 0;
        while at < bytes.len() {
            let end = match bytes[at] {
                b'`' => code_closers.span(bytes, at),
                b'<' if bytes[at..].starts_with(b"<!--") => {
                    let end = memchr::memmem::find(&bytes[at + 4..], b"-->")
                        .map_or(bytes.len(), |found| at + 4 + found + 3);
                    spans.comments.push(at..end);
                    Some(end)
                }
                b'$' if !escaped(bytes, at) => math(bytes, at, &mut closers_missing),
                b'\\' if matches!(bytes.get(at + 1), Some(b'(' | b'[')) && !escaped(bytes, at) => {
                    latex_math(bytes, at, &mut closers_missing)
                }
                b':' if bytes[at..].starts_with(b"://") => {
                    let start = url_start(bytes, at, spans.ranges.last().map_or(0, |last| last.end));
                    (start < at).then(|| {
                        let end = bytes[at..]
                            .iter()
                            .position(|b| b.is_ascii_whitespace())
                            .map_or(bytes.len(), |found| at + found);
                        spans.ranges.push(start..end);
                        end
                    })
                }
                _ => None,
            };
            match end {
                Some(end) => {
                    if spans.ranges.last().is_none_or(|last| last.end <= at) {
                        spans.ranges.push(at..end);
                    }
                    at = end;
                }
                None => at += 1,
            }
        }
        spans
    }

    /// True when byte `at` lies in a protected span.
    pub(crate) fn covers(&self, at: usize) -> bool {
        let after = self.ranges.partition_point(|range| range.end <= at);
        self.ranges.get(after).is_some_and(|range| range.start <= at)
    }

    /// True when any byte of `range` lies in a protected span.
    pub(crate) fn overlaps(&self, range: &Range<usize>) -> bool {
        let after = self.ranges.partition_point(|span| span.end <= range.start);
        self.ranges.get(after).is_some_and(|span| span.start < range.end)
    }

    /// The HTML comments of the line, in order.
    pub(crate) fn comments(&self) -> &[Range<usize>] {
        &self.comments
    }
}

/// True when `bytes` holds the two bytes of `pair` side by side: cheaper than a substring
/// search on a short line, which sets up a searcher first.
pub(crate) fn has_pair(bytes: &[u8], pair: [u8; 2]) -> bool {
    memchr::memchr_iter(pair[0], bytes).any(|at| bytes.get(at + 1) == Some(&pair[1]))
}

/// Searches for closers that were already found missing: once no closer follows some
/// position, none follows a later one either.
#[derive(Default)]
struct Missing {
    display_math: bool,
    latex_paren: bool,
    latex_bracket: bool,
}

/// For each run of backticks, the next run of the same length (its closer), so a code span is
/// found without searching the line again for every opener.
struct CodeClosers {
    /// (start, length, start of the closing run) of every run of backticks.
    runs: Vec<(usize, usize, Option<usize>)>,
}

impl CodeClosers {
    fn of(bytes: &[u8]) -> CodeClosers {
        let mut runs = Vec::new();
        for start in memchr::memchr_iter(b'`', bytes) {
            if start > 0 && bytes[start - 1] == b'`' {
                continue;
            }
            let length = bytes[start..].iter().take_while(|&&b| b == b'`').count();
            runs.push((start, length, None));
        }
        let mut next_of_length: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
        for run in runs.iter_mut().rev() {
            run.2 = next_of_length.insert(run.1, run.0);
        }
        CodeClosers { runs }
    }

    /// The end of the code span opened by the run at `at`, or the end of that run when it is
    /// never closed (a lone run of backticks is text).
    fn span(&self, bytes: &[u8], at: usize) -> Option<usize> {
        let found = self.runs.binary_search_by_key(&at, |run| run.0).ok()?;
        let (start, length, closer) = self.runs[found];
        match closer {
            Some(closer) => Some(closer + length),
            None => {
                debug_assert!(bytes[start..start + length].iter().all(|&b| b == b'`'));
                None
            }
        }
    }
}

/// True when the byte at `at` follows an odd number of backslashes.
fn escaped(bytes: &[u8], at: usize) -> bool {
    bytes[..at].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

/// The end of `$…$` or `$$…$$` opened at `at`, by Pandoc's rule: the opener is not followed
/// by white space, the closer is the next unescaped `$`, not preceded by white space nor
/// followed by a digit, so `$5 and $10` is no math. A `$` that opens nothing is text.
fn math(bytes: &[u8], at: usize, missing: &mut Missing) -> Option<usize> {
    if bytes.get(at + 1) == Some(&b'$') {
        if missing.display_math {
            return None;
        }
        let found = memchr::memmem::find(&bytes[at + 2..], b"$$").map(|found| at + 2 + found);
        if found.is_none() {
            missing.display_math = true;
        }
        return found.filter(|&close| close > at + 2).map(|close| close + 2);
    }
    let first = *bytes.get(at + 1)?;
    if first.is_ascii_whitespace() {
        return None;
    }
    let mut from = at + 1;
    let close = loop {
        let found = from + memchr::memchr(b'$', &bytes[from..])?;
        if !escaped(bytes, found) {
            break found;
        }
        from = found + 1;
    };
    let before_close_is_space = bytes[close - 1].is_ascii_whitespace();
    let digit_follows = bytes.get(close + 1).is_some_and(u8::is_ascii_digit);
    (!before_close_is_space && !digit_follows).then_some(close + 1)
}

/// The end of LaTeX's `\(…\)` or `\[…\]` opened at `at`.
fn latex_math(bytes: &[u8], at: usize, missing: &mut Missing) -> Option<usize> {
    let (closer, gone): (&[u8], &mut bool) = if bytes[at + 1] == b'(' {
        (b"\\)", &mut missing.latex_paren)
    } else {
        (b"\\]", &mut missing.latex_bracket)
    };
    if *gone {
        return None;
    }
    let found = memchr::memmem::find(&bytes[at + 2..], closer).map(|found| at + 2 + found + 2);
    if found.is_none() {
        *gone = true;
    }
    found
}

/// Where the scheme of a URL whose `://` is at `colon` starts (`colon` itself when the
/// letters before it are no scheme); never before `floor`.
fn url_start(bytes: &[u8], colon: usize, floor: usize) -> usize {
    let mut start = colon;
    while start > floor
        && matches!(bytes[start - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'+' | b'-' | b'.')
    {
        start -= 1;
    }
    while start < colon && !bytes[start].is_ascii_alphabetic() {
        start += 1;
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protected(line: &str) -> Vec<&str> {
        Protected::of(line)
            .ranges
            .iter()
            .map(|range| &line[range.clone()])
            .collect()
    }

    #[test]
    fn code_spans_need_a_closing_run_of_the_same_length() {
        assert_eq!(protected("a `std::x` b"), ["`std::x`"]);
        assert_eq!(protected("``a ` b`` and `c`"), ["``a ` b``", "`c`"]);
        assert_eq!(protected("a ` lone and ``also``"), ["``also``"]);
        assert_eq!(protected("`` ` ``` `"), ["` ``` `"]);
    }

    #[test]
    fn math_follows_pandocs_dollar_rule() {
        assert_eq!(protected("$x::y$ and $$a == b$$"), ["$x::y$", "$$a == b$$"]);
        assert!(protected("It costs $5 and $10").is_empty());
        assert!(protected("$20,000 and $30,000").is_empty());
        assert!(protected("US$5 or US$10").is_empty());
        assert!(protected("$x$5").is_empty());
        assert!(protected("\\$5 and \\$10").is_empty());
        assert!(protected("$ x $").is_empty());
        assert_eq!(protected("the $n$th term"), ["$n$"]);
        assert_eq!(protected("$\\$5$"), ["$\\$5$"]);
        assert_eq!(protected("\\(a::b\\) and \\[c\\]"), ["\\(a::b\\)", "\\[c\\]"]);
        assert!(protected("\\( open \\( twice").is_empty());
    }

    #[test]
    fn code_wins_over_math_that_starts_inside_it() {
        assert_eq!(protected("`$x` and $y$"), ["`$x`", "$y$"]);
    }

    #[test]
    fn urls_run_to_white_space() {
        assert_eq!(
            protected("see http://x::y and ftp://a b"),
            ["http://x::y", "ftp://a"]
        );
        assert_eq!(protected("<https://e.org/a==b>"), ["https://e.org/a==b>"]);
        assert!(protected("a :// b").is_empty());
    }

    #[test]
    fn comments_are_protected_and_listed() {
        let line = "a <!-- x::y --> b <!-- open";
        let spans = Protected::of(line);
        let comments: Vec<_> = spans.comments().iter().map(|r| &line[r.clone()]).collect();
        assert_eq!(comments, ["<!-- x::y -->", "<!-- open"]);
        assert_eq!(protected(line), comments);
        assert!(spans.covers(8) && !spans.covers(0));
        assert!(spans.overlaps(&(0..3)) && !spans.overlaps(&(0..2)));
    }

    #[test]
    fn many_openers_take_linear_time() {
        let line = "$$ \\( ` ``".repeat(50_000);
        let started = std::time::Instant::now();
        let _ = Protected::of(&line);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
