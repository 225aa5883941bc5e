//! Plain-text notes, as exported from note-taking apps: a deck name on the first line, section
//! headings such as `Lecture 7 - CNNs`, and questions each followed by their answer lines.

use regex::Regex;

use super::blocks::{self, Kind, Region, Survey, Syntax};
use super::drafts::{self, Made, Source};
use super::spans::Protected;
use super::tags::{self, Tags};
use super::{CardDraft, Format, Notes, Options, Skipped, Warning, cloze, lines, one_line, question};

/// Words that start a section heading.
const HEADING_WORDS: [&str; 10] = [
    "readings", "reading", "lecture", "chapter", "week", "part", "module", "unit", "section", "topic",
];

/// Parses plain-text notes. `fallback_deck` names the deck when neither the first line nor a
/// `#flashcards` tag does; every pattern in `options.headings` marks further section headings.
pub fn parse(text: &str, fallback_deck: &str, options: &Options) -> Notes {
    let survey = Survey::of(text);
    let tags = Tags::read(text, 0..0, 0, false, survey.tag);
    let syntax = Syntax {
        markdown: false,
        tagged: tags.any(),
        bold_cloze: options.bold_cloze,
    };
    if !survey.holds_marks(text, syntax)
        && let Some(notes) = parse_without_blocks(text, fallback_deck, options)
    {
        return notes;
    }
    parse_with_blocks(text, fallback_deck, options, tags, syntax)
}

/// Notes without cards written as blocks (most lecture notes), read in one pass as they
/// stream; `None` when a separator line turns up after all.
fn parse_without_blocks(text: &str, fallback_deck: &str, options: &Options) -> Option<Notes> {
    let tags = Tags::default();
    let mut parser = Parser::new(&options.headings, &tags, Source::default(), fallback_deck);
    parser.notes.cards.reserve(super::room_for_cards(text));
    let mut title_seen = false;
    for (index, line) in lines(text).enumerate() {
        if line.len() <= 8 && blocks::separator(line).is_some() {
            return None;
        }
        if !title_seen && !line.trim().is_empty() {
            title_seen = true;
            if is_title(line, &options.headings) {
                parser.name_deck(line.trim());
                continue;
            }
        }
        parser.line(index + 1, line);
    }
    parser.close_card();
    Some(parser.notes)
}

/// Notes that may hold cards written as blocks: found first, then read with the other lines.
fn parse_with_blocks(
    text: &str,
    fallback_deck: &str,
    options: &Options,
    mut tags: Tags,
    syntax: Syntax,
) -> Notes {
    let lines: Vec<&str> = lines(text).collect();
    let headings = &options.headings[..];
    let title = title_line(&lines, syntax, headings);
    let scan = blocks::scan(&lines, 0, syntax, &|at| {
        Some(at) == title || is_heading(lines[at], headings)
    });
    let card_texts: Vec<_> = scan.card_lines().collect();
    tags.forget(card_texts.iter().cloned());
    let source = Source {
        lines: &lines,
        roles: &scan.roles,
        syntax,
    };
    let mut parser = Parser::new(headings, &tags, source, fallback_deck);
    parser.notes.cards.reserve(super::room_for_cards(text));
    if let Some(title) = title {
        parser.name_deck(lines[title].trim());
    } else if let Some(deck) = tags.deck() {
        parser.name_deck(deck);
    }
    let mut regions = scan.regions.iter().peekable();
    let mut index = 0;
    while index < lines.len() {
        if let Some(region) = regions.next_if(|region| region.lines.start == index) {
            parser.region(region);
            index = region.lines.end;
            continue;
        }
        if Some(index) != title {
            parser.line(index + 1, lines[index]);
        }
        index += 1;
    }
    parser.close_card();
    parser.notes.images = scan.images;
    parser.notes.card_texts = card_texts;
    parser.notes
}

/// The line naming the deck: the first non-empty one (tag lines aside), when it is a title
/// and no card.
fn title_line(lines: &[&str], syntax: Syntax, headings: &[Regex]) -> Option<usize> {
    let index = lines
        .iter()
        .position(|line| !(line.trim().is_empty() || (syntax.tagged && tags::only_tags(line))))?;
    let line = lines[index];
    let spans = Protected::of(line);
    let is_card = one_line::split(line, &spans, syntax.tagged).is_some()
        || !cloze::find(line, &spans, syntax.cloze_forms()).is_empty()
        || lines
            .get(index + 1)
            .is_some_and(|next| blocks::separator(next).is_some());
    (is_title(line, headings) && !is_card).then_some(index)
}

/// A first line that names the deck: at most 80 characters, and no heading or question.
fn is_title(line: &str, headings: &[Regex]) -> bool {
    line.trim().chars().count() <= 80 && !is_heading(line, headings) && question::split(line).is_none()
}

/// A question whose answer lines are still being collected.
struct OpenCard<'a> {
    question: question::Question<'a>,
    line: usize,
    answer: Vec<&'a str>,
}

struct Parser<'a> {
    headings: &'a [Regex],
    tags: &'a Tags,
    source: Source<'a>,
    section: String,
    open: Option<OpenCard<'a>>,
    notes: Notes,
}

impl<'a> Parser<'a> {
    fn new(headings: &'a [Regex], tags: &'a Tags, source: Source<'a>, fallback_deck: &str) -> Self {
        Parser {
            headings,
            tags,
            source,
            section: String::new(),
            open: None,
            notes: Notes::new(fallback_deck, Format::Text),
        }
    }

    /// The notes name their deck themselves (a title line, a tag).
    fn name_deck(&mut self, name: &str) {
        self.notes.deck = name.to_string();
        self.notes.titled = true;
    }

    fn line(&mut self, number: usize, line: &'a str) {
        if is_heading(line, self.headings) {
            self.close_card();
            self.section = line.trim().to_string();
        } else if let Some(question) = question::split(line) {
            self.close_card();
            self.open = Some(OpenCard {
                question,
                line: number,
                answer: Vec::new(),
            });
        } else if let Some(card) = &mut self.open {
            card.answer.push(line);
        } else if !line.trim().is_empty() {
            // Between a heading and its first question: section notes, or a lost question.
            self.notes.skipped.push(Skipped {
                line: number,
                text: line.trim().to_string(),
            });
        }
    }

    /// A region of card syntax: its cards, or (a cloze line that is a question or part of an
    /// answer) its lines as usual.
    fn region(&mut self, region: &Region) {
        let lines = region.lines.clone();
        let warnings = &mut self.notes.warnings;
        let made = match &region.kind {
            Kind::OneLine(split) => drafts::one_line(&self.source, lines.clone(), split, warnings),
            Kind::MultiLine { separator, reversed } => {
                drafts::multi_line(&self.source, lines.clone(), *separator, *reversed, warnings)
            }
            Kind::Cloze => {
                let first = self.source.lines[lines.start];
                let made = if self.open.is_some() || question::split(first).is_some() {
                    Made::default()
                } else {
                    drafts::cloze(&self.source, lines.clone(), warnings)
                };
                if made.cards.is_empty() {
                    for at in lines {
                        self.line(at + 1, self.source.lines[at]);
                    }
                    return;
                }
                made
            }
            Kind::Stray(why) => {
                let line = self.source.lines[lines.start];
                return self.notes.warnings.push(drafts::stray(line, lines.start, *why));
            }
            Kind::Tags => return,
        };
        self.close_card();
        for mut card in made.cards {
            card.section = self.section_of(card.line, made.tag.as_deref());
            self.notes.cards.push(card);
        }
    }

    fn close_card(&mut self) {
        let Some(card) = self.open.take() else { return };
        let answer = &card.answer;
        let first = answer.iter().position(|line| !line.trim().is_empty());
        let last = answer.iter().rposition(|line| !line.trim().is_empty());
        match first.zip(last) {
            Some((first, last)) => {
                let section = self.section_of(card.line, None);
                self.notes.cards.push(CardDraft {
                    section,
                    question: card.question.text.to_string(),
                    answer: answer[first..=last].join("\n"),
                    note: card.question.remark.to_string(),
                    line: card.line,
                    ..CardDraft::default()
                })
            }
            None => self.notes.warnings.push(Warning {
                line: Some(card.line),
                message: "question has no answer".to_string(),
            }),
        }
    }

    /// The section of a card on `line` (1-based): the heading above it, else the section its
    /// own tag or the tag above it names.
    fn section_of(&self, line: usize, own_tag: Option<&str>) -> String {
        if !self.section.is_empty() {
            return self.section.clone();
        }
        own_tag
            .and_then(tags::last_part)
            .or_else(|| self.tags.section(line - 1))
            .unwrap_or_default()
            .to_string()
    }
}

fn is_heading(line: &str, headings: &[Regex]) -> bool {
    is_builtin_heading(line) || headings.iter().any(|pattern| pattern.is_match(line))
}

/// `Lecture 7 - CNNs`, `Readings`, `Week 3: Memory`, `Additional Lecture - ...`: a heading word,
/// then the end of the line, white space and a digit, or a dash or colon.
pub(crate) fn is_builtin_heading(line: &str) -> bool {
    let line = line.trim();
    // The first letters of `additional` and the heading words: most lines start otherwise.
    if !line
        .bytes()
        .next()
        .is_some_and(|first| b"aclmprstuw".contains(&first.to_ascii_lowercase()))
    {
        return false;
    }
    let line = strip_word(line, "additional")
        .filter(|rest| rest.starts_with(char::is_whitespace))
        .map_or(line, str::trim_start);
    HEADING_WORDS.iter().any(|word| {
        strip_word(line, word).is_some_and(|rest| {
            let after_space = rest.trim_start();
            rest.is_empty()
                || (rest.len() != after_space.len() && after_space.starts_with(|c: char| c.is_ascii_digit()))
                || after_space.starts_with(['-', '–', '—', ':'])
        })
    })
}

/// `line` without its leading `word` (compared case-insensitively).
fn strip_word<'l>(line: &'l str, word: &str) -> Option<&'l str> {
    let head = line.get(..word.len())?;
    head.eq_ignore_ascii_case(word).then(|| &line[word.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, fallback: &str, headings: &[Regex]) -> Notes {
        let options = Options {
            headings: headings.to_vec(),
            bold_cloze: false,
        };
        super::parse(text, fallback, &options)
    }

    fn cards(text: &str) -> Vec<(String, String, String, String, usize)> {
        parse(text, "file", &[])
            .cards
            .into_iter()
            .map(|c| (c.section, c.question, c.answer, c.note, c.line))
            .collect()
    }

    #[test]
    fn headings_follow_the_keyword_rule() {
        for heading in [
            "Lecture 7 - Convolutional Neural Networks",
            "Readings",
            "Reading - CS231n Optimization",
            "Week 3: Memory",
            "lecture 12",
            "CHAPTER—One",
            "Topic:",
            "Additional Lecture - Lecture 21 from 2019 - Reinforcement Learning",
            "Section 4",
            "Unit – Two",
            "Module:x",
            "Part 2",
        ] {
            assert!(is_builtin_heading(heading), "{heading}");
        }
        for line in [
            "Lecture halls were full.",
            "Part of the problem is ...",
            "Lectures 1-3",
            "Weekly: no",
            "Additional notes",
            "Additional",
            "Lecture7 - x",
            "CS231n - Neural Networks",
            "Partly cloudy",
        ] {
            assert!(!is_builtin_heading(line), "{line}");
        }
    }

    #[test]
    fn the_first_line_names_the_deck_unless_it_is_a_heading_or_question_or_too_long() {
        assert_eq!(parse("\n\nMy Course\nQ?\nA", "f", &[]).deck, "My Course");
        assert_eq!(parse("Lecture 1\nQ?\nA", "f", &[]).deck, "f");
        assert_eq!(parse("What?\nA", "f", &[]).deck, "f");
        let long = "x".repeat(81);
        assert_eq!(parse(&format!("{long}\nQ?\nA"), "f", &[]).deck, "f");
        assert_eq!(
            parse(&format!("{}\nQ?\nA", "é".repeat(80)), "f", &[]).deck,
            "é".repeat(80)
        );
    }

    #[test]
    fn answers_run_to_the_next_question_or_heading_keeping_inner_lines() {
        let text = "Deck\nLecture 1 - Intro\nsection notes here\nWhat is A?\n\n- one\n\n  * indented\n\nWhat is B? (important)\nb\nLecture 2\nWhat is C?\nc1\r\nc2\r";
        assert_eq!(
            cards(text),
            [
                (
                    "Lecture 1 - Intro".into(),
                    "What is A?".into(),
                    "- one\n\n  * indented".into(),
                    "".into(),
                    4
                ),
                (
                    "Lecture 1 - Intro".into(),
                    "What is B?".into(),
                    "b".into(),
                    "(important)".into(),
                    10
                ),
                (
                    "Lecture 2".into(),
                    "What is C?".into(),
                    "c1\nc2".into(),
                    "".into(),
                    13
                ),
            ]
        );
    }

    #[test]
    fn a_question_without_answer_is_a_warning() {
        let notes = parse("Deck\nWhat?\n\nWhy?\nBecause.\nHow?\nLecture 2\n", "f", &[]);
        assert_eq!(notes.cards.len(), 1);
        let lines: Vec<_> = notes
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (Some(2), "question has no answer"),
                (Some(6), "question has no answer")
            ]
        );
    }

    #[test]
    fn cards_before_the_first_heading_have_no_section() {
        assert_eq!(
            cards("Deck\nQ?\nA"),
            [("".into(), "Q?".into(), "A".into(), "".into(), 2)]
        );
    }

    #[test]
    fn extra_heading_patterns_start_sections() {
        let patterns = [Regex::new("^Session \\d+").unwrap()];
        let notes = parse("Deck\nSession 1\nQ?\nA\nSession 2 extra\nR?\nB", "f", &patterns);
        let sections: Vec<_> = notes.cards.iter().map(|c| c.section.as_str()).collect();
        assert_eq!(sections, ["Session 1", "Session 2 extra"]);
    }

    #[test]
    fn bullets_ending_in_question_marks_stay_in_the_answer() {
        assert_eq!(
            cards(
                "D\nQ?\n- Why does this matter?\nSo is X possible? Yes, on a single core via time slicing."
            ),
            [(
                "".into(),
                "Q?".into(),
                "- Why does this matter?\nSo is X possible? Yes, on a single core via time slicing.".into(),
                "".into(),
                2
            )]
        );
    }
}
