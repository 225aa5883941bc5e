//! The Obsidian export: a deck's notes as they are, with the Spaced Repetition plugin's
//! progress comments (`<!--SR:!due,interval,ease-->`) saying what recall's schedule says, so
//! a student can go back to the plugin, or keep both. It is written to a new file, never over
//! the notes.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::core::{Card, Deck, Schedule, Selection, Status};
use crate::error::{Error, Result};
use crate::notes::{self, CardDraft, Notes, lines, progress};
use crate::store::Store;

/// The notes of the one deck `selection` names, read again from its notes file on this device,
/// with the plugin's progress comments set from the deck's cards.
pub(crate) fn deck_notes(store: &Store, selection: &Selection) -> Result<String> {
    let mut matcher = selection.matcher();
    let decks: Vec<(&Deck, &std::path::Path)> = store
        .decks()
        .iter()
        .filter(|deck| matcher.deck(&deck.name))
        .filter_map(|deck| Some((deck, deck.source(store.device())?)))
        .collect();
    let [(deck, file)] = decks[..] else {
        let names: Vec<&str> = decks.iter().map(|(deck, _)| deck.name.as_str()).collect();
        return Err(Error::usage(format!(
            "--format obsidian writes the notes of one deck; name it with --deck ({})",
            if names.is_empty() {
                "no deck has a notes file on this device".to_string()
            } else {
                format!("one of: {}", names.join(", "))
            }
        )));
    };
    let options = notes::Options {
        headings: notes::compile_headings(&deck.headings)?,
        bold_cloze: deck.bold_cloze,
    };
    let (text, read) = notes::read_text(file, &options)?;
    let cards: Vec<&Card> = store
        .cards()
        .iter()
        .filter(|card| card.deck == deck.name)
        .collect();
    Ok(with_progress(&text, &read, &cards, &store.schedule()))
}

/// `text`, the notes `notes` was read from, with a progress comment after each card text in
/// the plugin's forms: one `!due,interval,ease` group per card made from it, in order, from
/// the `cards` of its deck. A comment already there is replaced; a text whose cards are all
/// new and that has none gets none. Lines and their ends stay as they are.
pub(crate) fn with_progress(text: &str, notes: &Notes, cards: &[&Card], schedule: &Schedule) -> String {
    let mut by_text: HashMap<(&str, &str), Vec<&Card>> = HashMap::new();
    for card in cards.iter().filter(|card| card.status != Status::Retired) {
        by_text
            .entry((card.question.as_str(), card.answer.as_str()))
            .or_default()
            .push(card);
    }
    for same in by_text.values_mut() {
        // Taken from the end: the first line first.
        same.sort_by_key(|card| std::cmp::Reverse(card.line));
    }
    let lines: Vec<&str> = lines(text).collect();
    let start_of = |line: &str| line.as_ptr() as usize - text.as_ptr() as usize;
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut drafts = notes.cards.iter().peekable();
    for (at, texts) in notes.card_texts.iter().enumerate() {
        let mut made: Vec<&CardDraft> = Vec::new();
        while let Some(draft) = drafts.next_if(|draft| draft.line <= texts.end) {
            if draft.line > texts.start {
                made.push(draft);
            }
        }
        if made.is_empty() {
            continue;
        }
        let groups: Vec<Option<String>> = made
            .iter()
            .map(|draft| {
                let card = by_text
                    .get_mut(&(draft.question.as_str(), draft.answer.as_str()))?
                    .pop()?;
                let due = schedule.due(card)?;
                Some(group(due, schedule.interval(card), card.state.ease.hundredths()))
            })
            .collect();
        let never_reviewed = format!("!{},1,250", progress::NEVER_REVIEWED);
        let comment = format!(
            "{}{}-->",
            progress::OPENER,
            groups
                .iter()
                .map(|group| group.as_deref().unwrap_or(&never_reviewed))
                .collect::<String>()
        );
        // A comment of the text's own, on its lines or the line after (unless that line
        // starts the next text).
        let next_start = notes.card_texts.get(at + 1).map_or(usize::MAX, |next| next.start);
        let after = (texts.end < lines.len() && texts.end < next_start).then_some(texts.end);
        let existing = (texts.start..texts.end).chain(after).find_map(|at| {
            let line = lines[at];
            let open = line.find(progress::OPENER)?;
            let close = line[open..].find("-->")? + open + 3;
            Some(start_of(line) + open..start_of(line) + close)
        });
        match existing {
            Some(range) => edits.push((range, comment)),
            None if groups.iter().all(Option::is_none) => {}
            None => {
                let last = lines[texts.end - 1];
                let end = start_of(last) + last.len();
                // On a line of its own, ended as the notes end their lines.
                let rest = &text[end..];
                let line_end = ["\r\n", "\n", "\r"]
                    .into_iter()
                    .find(|ending| rest.starts_with(ending))
                    .unwrap_or("\n");
                let separator = if texts.len() == 1 { " " } else { line_end };
                edits.push((end..end, format!("{separator}{comment}")));
            }
        }
    }
    let mut out = String::with_capacity(text.len() + edits.len() * 32);
    let mut copied = 0;
    for (range, replacement) in edits {
        // Two texts with no line between them may see the same comment: the first has it.
        if range.start < copied {
            continue;
        }
        out.push_str(&text[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    out
}

fn group(due: NaiveDate, interval: u32, ease: u16) -> String {
    format!("!{},{interval},{ease}", crate::schedule::day::format(due))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{CardText, Settings};
    use crate::notes::{Options, markdown};
    use crate::schedule::sm2::{self, Grade};

    /// The cards of `notes` as an import makes them, those whose question is in `reviewed`
    /// graded 4 on 2026-11-28.
    fn cards(notes: &Notes, reviewed: &[&str]) -> Vec<Card> {
        let day: NaiveDate = "2026-11-28".parse().unwrap();
        notes
            .cards
            .iter()
            .enumerate()
            .map(|(n, draft)| {
                let text = CardText {
                    section: draft.section.clone(),
                    question: draft.question.clone(),
                    answer: draft.answer.clone(),
                    note: String::new(),
                    line: draft.line,
                    cloze: draft.cloze.clone(),
                };
                let mut card = Card::new(&format!("c{n}"), "Deck", &text, day);
                if reviewed.contains(&draft.question.as_str()) {
                    card.state = sm2::review(&card.state, Grade::new(4).unwrap(), day);
                }
                card
            })
            .collect()
    }

    fn exported(text: &str, reviewed: &[&str]) -> String {
        let notes = markdown::parse(text, "deck", &Options::default());
        let cards = cards(&notes, reviewed);
        let cards: Vec<&Card> = cards.iter().collect();
        with_progress(text, &notes, &cards, &Schedule::new(&Settings::default()))
    }

    #[test]
    fn each_text_gets_its_own_comment_in_place() {
        let text = "#flashcards\r\n\r\n- A :: one\r\n- B :: two <!--SR:!2025-01-01,3,250-->\r\n- C :: three\r\n<!--SR:!2025-01-02,4,250-->\r\n\r\nFront ??\r\n?\r\nBack\r\n";
        assert_eq!(
            exported(text, &["A", "C"]),
            "#flashcards\r\n\r\n- A :: one <!--SR:!2026-11-29,1,250-->\r\n- B :: two <!--SR:!2000-01-01,1,250-->\r\n- C :: three\r\n<!--SR:!2026-11-29,1,250-->\r\n\r\nFront ??\r\n?\r\nBack\r\n"
        );
    }

    #[test]
    fn a_reversed_card_has_a_group_each_way_and_new_texts_stay_bare() {
        let text = "#flashcards\n\nFront\n??\nBack\n\nOther\n?\nSide\n";
        assert_eq!(
            exported(text, &["Back"]),
            "#flashcards\n\nFront\n??\nBack\n<!--SR:!2000-01-01,1,250!2026-11-29,1,250-->\n\nOther\n?\nSide\n"
        );
    }
}
