//! Plain-text notes, as exported from note-taking apps: a deck name on the first line, section
//! headings such as `Lecture 7 - CNNs`, and questions each followed by their answer lines.

use regex::Regex;

use super::{CardDraft, Format, Notes, Skipped, Warning, lines, question};

/// Words that start a section heading.
const HEADING_WORDS: [&str; 10] = [
    "readings", "reading", "lecture", "chapter", "week", "part", "module", "unit", "section", "topic",
];

/// Parses plain-text notes. `fallback_deck` names the deck when the first line does not;
/// every pattern in `headings` marks further section headings.
pub fn parse(text: &str, fallback_deck: &str, headings: &[Regex]) -> Notes {
    let mut parser = Parser {
        headings,
        section: String::new(),
        open: None,
        notes: Notes {
            deck: fallback_deck.to_string(),
            titled: false,
            format: Format::Text,
            cards: Vec::new(),
            warnings: Vec::new(),
            skipped: Vec::new(),
        },
    };
    let mut deck_line_seen = false;
    for (index, line) in lines(text).enumerate() {
        if !deck_line_seen && !line.trim().is_empty() {
            deck_line_seen = true;
            let name = line.trim();
            if name.chars().count() <= 80 && !parser.is_heading(line) && question::split(line).is_none() {
                parser.notes.deck = name.to_string();
                parser.notes.titled = true;
                continue;
            }
        }
        parser.line(index + 1, line);
    }
    parser.close_card();
    parser.notes
}

/// A question whose answer lines are still being collected.
struct OpenCard<'a> {
    question: question::Question<'a>,
    line: usize,
    answer: Vec<&'a str>,
}

struct Parser<'a, 'r> {
    headings: &'r [Regex],
    section: String,
    open: Option<OpenCard<'a>>,
    notes: Notes,
}

impl<'a> Parser<'a, '_> {
    fn line(&mut self, number: usize, line: &'a str) {
        if self.is_heading(line) {
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

    fn close_card(&mut self) {
        let Some(card) = self.open.take() else { return };
        let answer = &card.answer;
        let first = answer.iter().position(|line| !line.trim().is_empty());
        let last = answer.iter().rposition(|line| !line.trim().is_empty());
        match first.zip(last) {
            Some((first, last)) => self.notes.cards.push(CardDraft {
                section: self.section.clone(),
                question: card.question.text.to_string(),
                answer: answer[first..=last].join("\n"),
                note: card.question.remark.to_string(),
                line: card.line,
            }),
            None => self.notes.warnings.push(Warning {
                line: Some(card.line),
                message: "question has no answer".to_string(),
            }),
        }
    }

    fn is_heading(&self, line: &str) -> bool {
        is_builtin_heading(line) || self.headings.iter().any(|pattern| pattern.is_match(line))
    }
}

/// `Lecture 7 - CNNs`, `Readings`, `Week 3: Memory`, `Additional Lecture - ...`: a heading word,
/// then the end of the line, white space and a digit, or a dash or colon.
pub(crate) fn is_builtin_heading(line: &str) -> bool {
    let line = line.trim();
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
