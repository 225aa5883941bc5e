//! Card drafts from the regions [`blocks`](super::blocks) finds: each side's text without
//! comments, list marker and the card's own tag, the siblings of a reversed card or a cloze,
//! and the progress saved with them.
//!
//! Markdown keeps each side as written, so its formatting renders (`**What is X?**`); plain
//! text is shown as it is, so a one-line card there also loses one pair of `**` or `__`
//! around a side.

use std::borrow::Cow;
use std::ops::Range;

use super::blocks::{Role, Stray, Syntax};
use super::cloze;
use super::one_line::OneLine;
use super::progress;
use super::spans::Protected;
use super::tags;
use super::{CardDraft, Warning};

/// The notes the regions are in.
#[derive(Default)]
pub(crate) struct Source<'a> {
    pub(crate) lines: &'a [&'a str],
    pub(crate) roles: &'a [Role],
    pub(crate) syntax: Syntax,
}

/// The cards of one region, their section still to be set, and the tag the text opened with
/// (the path below `flashcards`), which is the cards' own.
#[derive(Debug, Default)]
pub(crate) struct Made {
    pub(crate) cards: Vec<CardDraft>,
    pub(crate) tag: Option<String>,
}

/// The card (or the two) of a one-line card on `lines.start`, its progress on the same line
/// or the next.
pub(crate) fn one_line(
    source: &Source,
    lines: Range<usize>,
    split: &OneLine,
    warnings: &mut Vec<Warning>,
) -> Made {
    let index = lines.start;
    let line = source.lines[index];
    let markdown = source.syntax.markdown;
    let spans = Protected::of(line);
    let mut progress = Comments::default();
    let front = without_comments(
        line,
        split.front.clone(),
        &spans,
        markdown,
        index,
        &mut progress,
        warnings,
    );
    let back = without_comments(
        line,
        split.back.clone(),
        &spans,
        markdown,
        index,
        &mut progress,
        warnings,
    );
    for below in lines.start + 1..lines.end {
        let below_line = source.lines[below];
        let spans = Protected::of(below_line);
        without_comments(
            below_line,
            0..below_line.len(),
            &spans,
            markdown,
            below,
            &mut progress,
            warnings,
        );
    }
    let front = list_item_text(&front);
    let (tag, front) = match tags::leading(front) {
        Some((path, rest)) => (Some(path), &front[rest..]),
        None => (None, front),
    };
    let front = side(front, markdown);
    let back = side(list_item_text(&back), markdown);
    // Its comments and its own tag gone, a side may be left with nothing to show.
    let empty = match (front.is_empty(), back.is_empty()) {
        (true, _) => Some(format!(
            "`{}` has no front text before it",
            if split.reversed { ":::" } else { "::" }
        )),
        (false, true) => Some("question has no answer".to_string()),
        (false, false) => None,
    };
    if let Some(message) = empty {
        warnings.push(Warning {
            line: Some(index + 1),
            message,
        });
        return Made {
            cards: Vec::new(),
            tag,
        };
    }
    let cards = sides(front, back, split.reversed, index + 1, &progress, warnings);
    Made { cards, tag }
}

/// The card from `front` to `back` written on `line` (1-based), and the reversed one when
/// asked, each with its progress group in order.
fn sides(
    front: &str,
    back: &str,
    reversed: bool,
    line: usize,
    progress: &Comments,
    warnings: &mut Vec<Warning>,
) -> Vec<CardDraft> {
    let sides = if reversed {
        vec![(front, back), (back, front)]
    } else {
        vec![(front, back)]
    };
    let read = progress.read(sides.len(), warnings);
    sides
        .into_iter()
        .zip(read)
        .map(|((question, answer), progress)| CardDraft {
            question: question.to_string(),
            answer: answer.to_string(),
            line,
            progress,
            ..CardDraft::default()
        })
        .collect()
}

/// The card (or the two) written over `lines` around the separator line `separator`.
pub(crate) fn multi_line(
    source: &Source,
    lines: Range<usize>,
    separator: usize,
    reversed: bool,
    warnings: &mut Vec<Warning>,
) -> Made {
    let mut progress = Comments::default();
    let mut front = Text::read(source, lines.start..separator, &mut progress, warnings);
    let back = Text::read(source, separator + 1..lines.end, &mut progress, warnings);
    let tag = front.take_leading_tag();
    let (Some(line), front, back) = (front.first_line(), front.joined(), back.joined()) else {
        warnings.push(Warning {
            line: Some(separator + 1),
            message: format!("`{}` has no front text above it", source.lines[separator].trim()),
        });
        return Made::default();
    };
    if back.is_empty() {
        warnings.push(Warning {
            line: Some(line + 1),
            message: "question has no answer".to_string(),
        });
        return Made::default();
    }
    let cards = sides(&front, &back, reversed, line + 1, &progress, warnings);
    Made { cards, tag }
}

/// The cards of the cloze text on `lines`, one per deletion number; none when it holds no
/// deletion after all.
pub(crate) fn cloze(source: &Source, lines: Range<usize>, warnings: &mut Vec<Warning>) -> Made {
    let mut progress = Comments::default();
    let mut text = Text::read(source, lines, &mut progress, warnings);
    let tag = text.take_leading_tag();
    let Some(line) = text.first_line() else {
        return Made::default();
    };
    let (joined, deletions) = text.with_deletions(source.syntax.cloze_forms());
    if deletions.is_empty() {
        return Made::default();
    }
    let expanded = cloze::expand(&joined, &deletions);
    if expanded.left_out > 0 {
        warnings.push(Warning {
            line: Some(line + 1),
            message: format!(
                "a cloze text makes at most {} cards: its last {} {} shown, not asked",
                cloze::MAX_CARDS,
                crate::text::plural(expanded.left_out, "deletion"),
                if expanded.left_out == 1 { "is" } else { "are" }
            ),
        });
    }
    let read = progress.read(expanded.cards.len(), warnings);
    let cards = expanded
        .cards
        .into_iter()
        .zip(read)
        .map(|((question, cloze), progress)| CardDraft {
            question,
            answer: expanded.answer.clone(),
            line: line + 1,
            cloze: Some(Box::new(cloze)),
            progress,
            ..CardDraft::default()
        })
        .collect();
    Made { cards, tag }
}

/// What the author is told about a separator line that makes no card.
pub(crate) fn stray(line: &str, index: usize, why: Stray) -> Warning {
    let separator = line.trim();
    let message = match why {
        Stray::NoFront => format!(
            "`{separator}` makes no card: write the front on the lines right above it (no blank line or heading between)"
        ),
        Stray::Second => {
            format!("a second `{separator}` in one card is left out: put a blank line between two cards")
        }
    };
    Warning {
        line: Some(index + 1),
        message,
    }
}

/// The lines of one side of a card (or of a cloze text), cleaned, with their roles and
/// 0-based numbers.
struct Text<'a> {
    lines: Vec<(Cow<'a, str>, Role, usize)>,
}

impl<'a> Text<'a> {
    /// Reads `lines` of `source`: comments dropped (progress comments collected), code kept
    /// verbatim, blank lines at either end left out.
    fn read(
        source: &Source<'a>,
        lines: Range<usize>,
        progress: &mut Comments<'a>,
        warnings: &mut Vec<Warning>,
    ) -> Self {
        let mut text = Text { lines: Vec::new() };
        for index in lines {
            let line = source.lines[index];
            let role = source.roles[index];
            let kept: Cow<str> = match role {
                Role::Comment => continue,
                Role::Code | Role::Blank => Cow::Borrowed(line),
                Role::Text | Role::Progress => {
                    let spans = Protected::of(line);
                    let cleaned = without_comments(
                        line,
                        0..line.len(),
                        &spans,
                        source.syntax.markdown,
                        index,
                        progress,
                        warnings,
                    );
                    if cleaned.trim().is_empty() && !line.trim().is_empty() {
                        continue;
                    }
                    cleaned
                }
            };
            text.lines.push((kept, role, index));
        }
        text.trim_blank_lines();
        text
    }

    fn trim_blank_lines(&mut self) {
        let blank = |line: &(Cow<str>, Role, usize)| line.0.trim().is_empty();
        let leading = self.lines.iter().take_while(|line| blank(line)).count();
        self.lines.drain(..leading);
        while self.lines.last().is_some_and(blank) {
            self.lines.pop();
        }
    }

    /// The 0-based line the text starts on.
    fn first_line(&self) -> Option<usize> {
        self.lines.first().map(|line| line.2)
    }

    /// Takes a flashcards tag off the start of the first line, as the card's own.
    fn take_leading_tag(&mut self) -> Option<String> {
        let (first, _, _) = self.lines.first_mut()?;
        let (path, rest) = tags::leading(first)?;
        *first = Cow::Owned(first[rest..].to_string());
        self.trim_blank_lines();
        Some(path)
    }

    /// The lines joined, trimmed at both ends.
    fn joined(&self) -> String {
        let joined = self
            .lines
            .iter()
            .map(|line| line.0.as_ref())
            .collect::<Vec<_>>()
            .join("\n");
        match joined.trim() {
            trimmed if trimmed.len() == joined.len() => joined,
            trimmed => trimmed.to_string(),
        }
    }

    /// The lines joined (the first without its indentation) and the deletions of its lines
    /// of text, as byte ranges into it.
    fn with_deletions(&self, forms: cloze::Forms) -> (String, Vec<cloze::Deletion>) {
        let mut joined = String::new();
        let mut deletions = Vec::new();
        for (at, (line, role, _)) in self.lines.iter().enumerate() {
            let line = if at == 0 {
                line.trim_start()
            } else {
                joined.push('\n');
                line.as_ref()
            };
            let offset = joined.len();
            joined.push_str(line);
            if *role == Role::Text {
                let spans = Protected::of(line);
                deletions.extend(
                    cloze::find(line, &spans, forms)
                        .into_iter()
                        .map(|d| cloze::Deletion {
                            whole: d.whole.start + offset..d.whole.end + offset,
                            text: d.text.start + offset..d.text.end + offset,
                            hint: d.hint.map(|hint| hint.start + offset..hint.end + offset),
                            number: d.number,
                        }),
                );
            }
        }
        (joined, deletions)
    }
}

/// The progress comments of one card's text: the first is its progress.
#[derive(Default)]
struct Comments<'a> {
    first: Option<(&'a str, usize)>,
}

impl<'a> Comments<'a> {
    fn add(&mut self, inside: &'a str, index: usize, warnings: &mut Vec<Warning>) {
        if self.first.is_some() {
            warnings.push(Warning {
                line: Some(index + 1),
                message: "a second progress comment for one card is ignored; the first one counts"
                    .to_string(),
            });
        } else {
            self.first = Some((inside, index));
        }
    }

    /// One progress per card, in order (`None` for a card without).
    fn read(&self, cards: usize, warnings: &mut Vec<Warning>) -> Vec<Option<Box<super::Progress>>> {
        match self.first {
            Some((inside, index)) => progress::read(inside, cards, index + 1, warnings)
                .into_iter()
                .map(|progress| progress.map(Box::new))
                .collect(),
            None => vec![None; cards],
        }
    }
}

/// `part` of `line` without its progress comments (collected in `progress`) and, in
/// Markdown, without its other HTML comments.
fn without_comments<'a>(
    line: &'a str,
    part: Range<usize>,
    spans: &Protected,
    markdown: bool,
    index: usize,
    progress: &mut Comments<'a>,
    warnings: &mut Vec<Warning>,
) -> Cow<'a, str> {
    let mut kept = String::new();
    let mut copied = part.start;
    for comment in spans
        .comments()
        .iter()
        .filter(|c| part.start <= c.start && c.end <= part.end)
    {
        let text = &line[comment.clone()];
        match progress::inside(text) {
            Some(inside) => progress.add(inside, index, warnings),
            None if markdown => {}
            None => continue,
        }
        kept.push_str(&line[copied..comment.start]);
        copied = comment.end;
    }
    if copied == part.start {
        return Cow::Borrowed(&line[part]);
    }
    kept.push_str(&line[copied..part.end]);
    Cow::Owned(kept.trim_end().to_string())
}

/// A one-line card's side without the list marker (and task box) before it.
fn list_item_text(side: &str) -> &str {
    let side = side.trim();
    let after_marker = side
        .strip_prefix(['-', '*', '+'])
        .or_else(|| {
            let digits = side.bytes().take_while(u8::is_ascii_digit).count();
            (1..=9)
                .contains(&digits)
                .then(|| side[digits..].strip_prefix(['.', ')']))
                .flatten()
        })
        .filter(|rest| rest.starts_with(char::is_whitespace));
    let Some(rest) = after_marker else { return side };
    let rest = rest.trim_start();
    for task in ["[ ] ", "[x] ", "[X] "] {
        if let Some(rest) = rest.strip_prefix(task) {
            return rest.trim_start();
        }
    }
    rest
}

/// A side as the card shows it: trimmed, and in plain text without one pair of `**` or `__`
/// around it.
fn side(text: &str, markdown: bool) -> &str {
    let text = text.trim();
    if markdown {
        return text;
    }
    for pair in ["**", "__"] {
        if let Some(inner) = text.strip_prefix(pair).and_then(|rest| rest.strip_suffix(pair))
            && !inner.trim().is_empty()
            && !inner.contains(pair)
        {
            return inner.trim();
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::blocks::{self, Kind};

    type Card = (usize, String, String);

    /// Every card of `text` as (line, question, answer), the warnings, and each region's tag.
    fn made(text: &str, syntax: Syntax) -> (Vec<Card>, Vec<Warning>, Vec<Option<String>>) {
        let lines: Vec<&str> = crate::notes::lines(text).collect();
        let scan = blocks::scan(&lines, 0, syntax, &|_| false);
        let source = Source {
            lines: &lines,
            roles: &scan.roles,
            syntax,
        };
        let mut warnings = Vec::new();
        let mut cards = Vec::new();
        let mut tags = Vec::new();
        for region in &scan.regions {
            let made = match &region.kind {
                Kind::OneLine(split) => one_line(&source, region.lines.clone(), split, &mut warnings),
                Kind::MultiLine { separator, reversed } => multi_line(
                    &source,
                    region.lines.clone(),
                    *separator,
                    *reversed,
                    &mut warnings,
                ),
                Kind::Cloze => cloze(&source, region.lines.clone(), &mut warnings),
                Kind::Stray(why) => {
                    warnings.push(stray(lines[region.lines.start], region.lines.start, *why));
                    continue;
                }
                Kind::Tags => continue,
            };
            tags.push(made.tag);
            cards.extend(made.cards.into_iter().map(|c| (c.line, c.question, c.answer)));
        }
        (cards, warnings, tags)
    }

    const MARKDOWN: Syntax = Syntax {
        markdown: true,
        tagged: true,
        bold_cloze: false,
    };
    const TEXT: Syntax = Syntax {
        markdown: false,
        tagged: true,
        bold_cloze: false,
    };

    fn card(line: usize, question: &str, answer: &str) -> Card {
        (line, question.into(), answer.into())
    }

    #[test]
    fn list_markers_go_and_markdown_keeps_its_formatting() {
        let text = "- **What is X?** :: Y\n1. [ ] Term::def <!-- a note -->";
        assert_eq!(
            made(text, MARKDOWN).0,
            [card(1, "**What is X?**", "Y"), card(2, "Term", "def")]
        );
        assert_eq!(
            made(text, TEXT).0,
            [card(1, "What is X?", "Y"), card(2, "Term", "def <!-- a note -->")]
        );
    }

    #[test]
    fn a_card_of_its_own_tag_loses_it() {
        let (cards, _, tags) = made("#flashcards/biology/cells Osmosis::diffusion of water", MARKDOWN);
        assert_eq!(cards, [card(1, "Osmosis", "diffusion of water")]);
        assert_eq!(tags, [Some("biology/cells".to_string())]);
    }

    /// Found by the fuzzer: a front that is only the card's own tag and a comment.
    #[test]
    fn a_side_left_empty_by_its_comments_and_tag_makes_no_card() {
        let (cards, warnings, _) = made(
            "#flashcards/cs/o<!-- a note --> :: A\n\nQ ::: <!-- nothing -->\n",
            MARKDOWN,
        );
        assert!(cards.is_empty());
        let got: Vec<_> = warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(1), "`::` has no front text before it"),
                (Some(3), "question has no answer")
            ]
        );
    }

    #[test]
    fn reversed_cards_ask_both_ways() {
        assert_eq!(
            made("Process:::a program\n\nFront\n??\nBack\nmore", MARKDOWN).0,
            [
                card(1, "Process", "a program"),
                card(1, "a program", "Process"),
                card(3, "Front", "Back\nmore"),
                card(3, "Back\nmore", "Front"),
            ]
        );
    }

    #[test]
    fn comments_never_reach_a_side() {
        let text = "Q <!-- hidden -->\n<!-- a\n? -->\n?\nA\n<!--\nmore\n-->\nB <!--SR:!2025-01-02,3,250-->";
        assert_eq!(made(text, MARKDOWN).0, [card(1, "Q", "A\nB")]);
    }

    #[test]
    fn a_separator_at_either_end_of_the_notes() {
        let (cards, warnings, _) = made("?\nA\n\nQ\n?", MARKDOWN);
        assert!(cards.is_empty());
        let got: Vec<_> = warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (
                    Some(1),
                    "`?` makes no card: write the front on the lines right above it (no blank line or heading between)"
                ),
                (Some(4), "question has no answer"),
            ]
        );
    }

    #[test]
    fn progress_goes_to_the_cards_in_order_and_the_first_comment_counts() {
        let text = "Q:::A <!--SR:!2025-04-02,21,270!2025-03-20,6,230-->\n<!--SR:!2026-01-01,1,250-->";
        let lines: Vec<&str> = text.lines().collect();
        let scan = blocks::scan(&lines, 0, MARKDOWN, &|_| false);
        let source = Source {
            lines: &lines,
            roles: &scan.roles,
            syntax: MARKDOWN,
        };
        let Kind::OneLine(split) = &scan.regions[0].kind else {
            panic!("{:?}", scan.regions)
        };
        let mut warnings = Vec::new();
        let made = one_line(&source, scan.regions[0].lines.clone(), split, &mut warnings);
        let progress: Vec<_> = made
            .cards
            .iter()
            .map(|c| {
                c.progress
                    .as_ref()
                    .map(|p| (p.due.to_string(), p.interval, p.ease))
            })
            .collect();
        assert_eq!(
            progress,
            [
                Some(("2025-04-02".into(), 21, 270)),
                Some(("2025-03-20".into(), 6, 230))
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].line, Some(2));
    }

    #[test]
    fn cloze_cards_keep_the_whole_text() {
        let text = "The classic policies:\n- ==FIFO== first\n- ==LRU== least\n```\n==code==\n```\n<!--SR:!2025-05-11,3,250-->";
        let (cards, warnings, _) = made(text, MARKDOWN);
        assert!(warnings.is_empty());
        let answer = "The classic policies:\n- FIFO first\n- LRU least\n```\n==code==\n```";
        assert_eq!(
            cards,
            [
                card(
                    1,
                    "The classic policies:\n- [...] first\n- LRU least\n```\n==code==\n```",
                    answer
                ),
                card(
                    1,
                    "The classic policies:\n- FIFO first\n- [...] least\n```\n==code==\n```",
                    answer
                ),
            ]
        );
    }

    #[test]
    fn side_cleaning() {
        assert_eq!(list_item_text("- [x] done"), "done");
        assert_eq!(list_item_text("12) item"), "item");
        assert_eq!(list_item_text("-not a marker"), "-not a marker");
        assert_eq!(side("**bold**", false), "bold");
        assert_eq!(side("**a** and **b**", false), "**a** and **b**");
        assert_eq!(side("**bold**", true), "**bold**");
    }
}
