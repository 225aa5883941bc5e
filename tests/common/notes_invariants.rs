//! What must hold of the cards parsed from any notes, plain text or Markdown, shared by the
//! property tests, the fuzz targets and the regression tests of the fuzz findings: cards come
//! in source order (the cards made from one text share its line), each card's line starts the
//! block that holds its text, no question or answer is empty, and no question or answer holds
//! a separator line (`?`, `??`) outside code (a separator line inside code in the notes may
//! show in an answer: plain text keeps today's rules, for which a fence is text).
#![allow(dead_code)] // each fuzz target checks one format

use recall::notes::{CardDraft, Notes, Options, lines, markdown, text};

/// Parses Markdown `text` and checks its cards; the error says which card broke which rule.
pub fn check_markdown(text: &str, options: &Options) -> Result<(), String> {
    check(text, &markdown::parse(text, "file", options))
}

/// Parses plain-text `text` and checks its cards.
pub fn check_text(text: &str, options: &Options) -> Result<(), String> {
    check(text, &text::parse(text, "file", options))
}

/// Checks the cards `notes` parsed from `text`.
pub fn check(text: &str, notes: &Notes) -> Result<(), String> {
    let source: Vec<&str> = lines(text).collect();
    let in_code = separators_in_code(text);
    for pair in notes.cards.windows(2) {
        if pair[0].line > pair[1].line {
            return Err(format!(
                "cards out of order: lines {} and {}",
                pair[0].line, pair[1].line
            ));
        }
    }
    // The line of the next card further down, for each card (siblings share a line): found in
    // one walk from the end, so that notes of many cards are checked in linear time.
    let mut later = Vec::with_capacity(notes.cards.len());
    let (mut current, mut after) = (None, None);
    for card in notes.cards.iter().rev() {
        if current != Some(card.line) {
            after = current;
            current = Some(card.line);
        }
        later.push(after);
    }
    later.reverse();
    let mut block: Option<(usize, String)> = None;
    for (card, later) in notes.cards.iter().zip(later) {
        if card.line == 0 || card.line > source.len() {
            return Err(format!("line {} is not in the notes", card.line));
        }
        if card.question.trim().is_empty() || card.answer.trim().is_empty() {
            return Err(format!("line {}: an empty side in {card:?}", card.line));
        }
        for side in [&card.question, &card.answer] {
            if let Some(separator) = separator_outside_code(side).filter(|s| !in_code.contains(&s.trim())) {
                return Err(format!("line {}: {separator:?} in {card:?}", card.line));
            }
        }
        // Up to the end of the card's block (a blank line), which holds the start of its text:
        // read once for the cards of one line.
        if block.as_ref().is_none_or(|(line, _)| *line != card.line) {
            let next = later.map_or(source.len(), |line| line - 1);
            let block_end = (card.line..next)
                .find(|&i| source[i].trim().is_empty())
                .unwrap_or(next);
            block = Some((
                card.line,
                source[card.line - 1..block_end.max(card.line)].join("\n"),
            ));
        }
        let block = block.as_ref().map_or("", |(_, text)| text.as_str());
        if !starts_in(card, block) {
            return Err(format!(
                "line {}: neither side of {card:?} is in its block {block:?}",
                card.line
            ));
        }
        check_cloze(card)?;
    }
    Ok(())
}

/// True when the first word of the card's question or answer is in `block`, or, when a side
/// was kept without the markup of its source, the letters of its first word are, in order. A
/// side without ASCII letters or digits (fuzz noise: markup, HTML and NULs dropped or
/// replaced) passes.
fn starts_in(card: &CardDraft, block: &str) -> bool {
    let sides = [card.question.as_str(), card.answer.as_str()];
    let first_word = |side: &str| side.split_whitespace().next().unwrap_or_default().to_string();
    if sides.iter().any(|side| block.contains(&first_word(side))) {
        return true;
    }
    sides.iter().any(|side| {
        let first_text = side
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        let mut block_letters = block.chars().filter(char::is_ascii_alphanumeric);
        first_text.chars().all(|c| block_letters.any(|b| b == c))
    })
}

/// The separator lines (trimmed) that `text` holds inside code.
fn separators_in_code(text: &str) -> Vec<&str> {
    let mut found: Vec<&str> = code_lines(text)
        .into_iter()
        .map(str::trim)
        .filter(|line| matches!(*line, "?" | "??"))
        .collect();
    found.dedup();
    found
}

/// The lines of `text` inside fences and `$$` blocks.
fn code_lines(text: &str) -> Vec<&str> {
    let mut code = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut math = false;
    for line in lines(text) {
        if let Some(open) = fence {
            if closes(line, open) {
                fence = None;
            } else {
                code.push(line);
            }
        } else if math {
            math = !line.contains("$$");
            code.push(line);
        } else if let Some(open) = opens(line) {
            fence = Some(open);
        } else if let Some(rest) = line.trim_start().strip_prefix("$$") {
            math = !rest.contains("$$");
        }
    }
    code
}

/// The fence `line` opens (` ``` ` or `~~~`, three or more; a backtick fence whose rest holds a
/// backtick is inline code): its character and length.
fn opens(line: &str) -> Option<(char, usize)> {
    let trimmed = line.trim_start();
    let mark = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let length = trimmed.chars().take_while(|c| *c == mark).count();
    let rest = &trimmed[length..];
    (length >= 3 && !(mark == '`' && rest.contains('`'))).then_some((mark, length))
}

/// True when `line` closes the fence `open`: its character at least as often, and nothing
/// after but white space (```` ```text ```` opens, never closes).
fn closes(line: &str, (mark, length): (char, usize)) -> bool {
    let trimmed = line.trim_start();
    let run = trimmed.chars().take_while(|c| *c == mark).count();
    run >= length && trimmed[run..].trim().is_empty()
}

/// A line of `side` that is a separator, outside fences and `$$` blocks.
fn separator_outside_code(side: &str) -> Option<&str> {
    let mut fence: Option<(char, usize)> = None;
    let mut math = false;
    for line in lines(side) {
        if let Some(open) = fence {
            if closes(line, open) {
                fence = None;
            }
            continue;
        }
        if math {
            math = !line.contains("$$");
            continue;
        }
        if let Some(open) = opens(line) {
            fence = Some(open);
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix("$$") {
            math = !rest.contains("$$");
            continue;
        }
        let unindented = line.trim_start_matches(' ');
        let indent = line.len() - unindented.len();
        if indent <= 3 && matches!(unindented.trim_end(), "?" | "??") {
            return Some(line);
        }
    }
    None
}

/// A cloze card reveals whole characters of its answer, and its question hides them.
fn check_cloze(card: &CardDraft) -> Result<(), String> {
    let Some(cloze) = &card.cloze else {
        return Ok(());
    };
    if cloze.revealed.is_empty() {
        return Err(format!("line {}: a cloze revealing nothing", card.line));
    }
    for range in &cloze.revealed {
        if card
            .answer
            .get(range.clone())
            .is_none_or(|text| text.trim().is_empty())
        {
            return Err(format!(
                "line {}: {range:?} is no text of the answer {:?}",
                card.line, card.answer
            ));
        }
    }
    if !card.question.contains('[') {
        return Err(format!("line {}: a cloze question hiding nothing", card.line));
    }
    Ok(())
}
