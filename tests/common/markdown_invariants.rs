//! What must hold of the cards parsed from any Markdown notes, shared by the property tests,
//! the fuzz target and the regression test of the fuzz findings: cards come in source order,
//! each question is found from its line on, and no answer is empty.

use recall::notes::{lines, markdown};

/// Parses `text` and checks its cards; the error says which card broke which rule.
pub fn check(text: &str) -> Result<(), String> {
    let notes = markdown::parse(text, "file");
    let source: Vec<&str> = lines(text).collect();
    for pair in notes.cards.windows(2) {
        if pair[0].line >= pair[1].line {
            return Err(format!(
                "cards out of order: lines {} and {}",
                pair[0].line, pair[1].line
            ));
        }
    }
    for (at, card) in notes.cards.iter().enumerate() {
        // The question is read from its line on (inline code may run over a line break) within
        // its block: its first word is there, or, when it was kept as text without the markup of
        // its source, the letters of its first word are, in order. A question without ASCII
        // letters or digits (fuzz noise: markup, HTML and NULs dropped or replaced) passes.
        let next = notes.cards.get(at + 1).map_or(source.len(), |next| next.line - 1);
        // Up to the end of the question's block (a blank line), which holds no answer text.
        let block_end = (card.line..next)
            .find(|&i| source[i].trim().is_empty())
            .unwrap_or(next);
        let block = source[card.line - 1..block_end].join("\n");
        let first_word = card.question.split_whitespace().next().unwrap_or_default();
        let first_text = card
            .question
            .split(|c: char| !c.is_ascii_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        let block_text: String = block.chars().filter(char::is_ascii_alphanumeric).collect();
        let mut block_letters = block_text.chars();
        let letters_match = first_text.chars().all(|c| block_letters.any(|b| b == c));
        if !(block.contains(first_word) || letters_match) {
            return Err(format!(
                "line {}: the question {:?} is not in its block {block:?}",
                card.line, card.question
            ));
        }
        if card.answer.trim().is_empty() {
            return Err(format!("line {}: an empty answer", card.line));
        }
    }
    Ok(())
}
