//! Cloze deletions in both formats, tagged or not, with and without --bold-cloze (chosen by
//! the input's length): a cloze
//! card's answer invents nothing (it is the notes from its line on with characters left out:
//! markers, hints, comments), its question keeps the answer's text before the first and after
//! the last revealed part, the revealed parts are in order, and one text makes at most 50
//! cards. Inputs that start with a digit are expanded (the rest repeated that many hundred
//! times), so the time limit catches work that grows faster than the input.
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use recall::notes::{Notes, Options, lines, markdown, text};

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else {
        return;
    };
    let expanded;
    let input = match input.as_bytes().first() {
        Some(&digit @ b'0'..=b'9') => {
            expanded = input[1..].repeat(usize::from(digit - b'0') * 100);
            expanded.as_str()
        }
        _ => input,
    };
    let tag = if data.len() % 2 == 0 { "" } else { "#flashcards\n" };
    let notes = format!("{tag}{input}");
    let options = Options {
        headings: Vec::new(),
        bold_cloze: data.len() % 4 >= 2,
    };
    check(&notes, &markdown::parse(&notes, "fuzz", &options));
    check(&notes, &text::parse(&notes, "fuzz", &options));
});

fn check(notes: &str, parsed: &Notes) {
    // Where each line starts, with every line end read as `\n` (as the answer joins lines).
    let source = lines(notes).collect::<Vec<_>>().join("\n");
    let starts: Vec<usize> = std::iter::once(0)
        .chain(source.match_indices('\n').map(|(at, _)| at + 1))
        .collect();
    let mut per_text: HashMap<(usize, &str), usize> = HashMap::new();
    for card in &parsed.cards {
        let Some(cloze) = &card.cloze else { continue };
        *per_text.entry((card.line, card.answer.as_str())).or_default() += 1;
        let from = &source[starts[card.line - 1]..];
        let mut rest = from.chars();
        assert!(
            card.answer.chars().all(|c| rest.any(|s| s == c)),
            "line {}: the answer {:?} is not the notes with characters left out",
            card.line,
            card.answer
        );
        let mut previous_end = 0;
        for range in &cloze.revealed {
            assert!(
                range.start >= previous_end && range.start < range.end,
                "{:?}",
                cloze.revealed
            );
            previous_end = range.end;
        }
        let (first, last) = (&cloze.revealed[0], &cloze.revealed[cloze.revealed.len() - 1]);
        assert!(card.question.starts_with(&card.answer[..first.start]), "{card:?}");
        assert!(card.question.ends_with(&card.answer[last.end..]), "{card:?}");
    }
    assert!(per_text.values().all(|&cards| cards <= 50), "{per_text:?}");
}
