//! The revealed part of a cloze card's answer, highlighted: the answer is the whole text, and
//! the student's eye should land on what the question hid.
//!
//! The revealed ranges are marked in the source with two private-use characters before it is
//! rendered (as plain text or Markdown, which move text around), and the rendered spans are
//! then split at the marks and styled between them.

use std::ops::Range;

use ratatui::style::Style;
use ratatui::text::{Span, Text};

const START: char = '\u{E000}';
const END: char = '\u{E001}';

/// `answer` with each of `revealed` (byte ranges, in order) between the two marks. Ranges
/// that do not fall on the text's characters are left out.
pub(crate) fn mark(answer: &str, revealed: &[Range<usize>]) -> String {
    let mut marked = String::with_capacity(answer.len() + revealed.len() * 6);
    let mut at = 0;
    for range in revealed {
        let fits = at <= range.start
            && range.start <= range.end
            && answer.is_char_boundary(range.start)
            && answer.is_char_boundary(range.end)
            && range.end <= answer.len();
        if !fits {
            continue;
        }
        push_unmarked(&mut marked, &answer[at..range.start]);
        marked.push(START);
        push_unmarked(&mut marked, &answer[range.clone()]);
        marked.push(END);
        at = range.end;
    }
    push_unmarked(&mut marked, &answer[at..]);
    marked
}

/// The marks' own characters never come from the notes.
fn push_unmarked(marked: &mut String, text: &str) {
    marked.extend(text.chars().filter(|&c| c != START && c != END));
}

/// Styles the text between the marks in `text` with `style`, dropping the marks.
pub(crate) fn highlight(text: &mut Text<'static>, style: Style) {
    let mut inside = false;
    for line in &mut text.lines {
        if !inside && !line.spans.iter().any(|span| span.content.contains([START, END])) {
            continue;
        }
        let mut spans = Vec::with_capacity(line.spans.len() + 2);
        for span in line.spans.drain(..) {
            let mut piece = String::new();
            for c in span.content.chars() {
                if c == START || c == END {
                    push_piece(&mut spans, &mut piece, span.style, inside, style);
                    inside = c == START;
                } else {
                    piece.push(c);
                }
            }
            push_piece(&mut spans, &mut piece, span.style, inside, style);
        }
        line.spans = spans;
    }
}

fn push_piece(spans: &mut Vec<Span<'static>>, piece: &mut String, base: Style, inside: bool, style: Style) {
    if piece.is_empty() {
        return;
    }
    let style = if inside { base.patch(style) } else { base };
    spans.push(Span::styled(std::mem::take(piece), style));
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn shown(text: &Text) -> Vec<(String, bool)> {
        text.lines
            .iter()
            .flat_map(|line| &line.spans)
            .map(|span| {
                let lit = span.style.add_modifier.contains(Modifier::UNDERLINED);
                (span.content.to_string(), lit)
            })
            .collect()
    }

    #[test]
    fn the_revealed_ranges_and_only_they_are_highlighted() {
        let answer = "Paris is the capital of France.";
        let marked = mark(answer, &[0..5, 24..30]);
        let mut text = Text::raw(marked);
        highlight(&mut text, Style::new().add_modifier(Modifier::UNDERLINED));
        assert_eq!(
            shown(&text),
            [
                ("Paris".to_string(), true),
                (" is the capital of ".to_string(), false),
                ("France".to_string(), true),
                (".".to_string(), false)
            ]
        );
    }

    #[test]
    fn a_highlight_goes_on_across_lines_and_bad_ranges_are_left_out() {
        let answer = "one\ntwo é three";
        // 9..10 cuts "é" in two; 20..22 is past the end.
        let marked = mark(answer, &[2..6, 9..10, 20..22]);
        let mut text = Text::raw(marked);
        highlight(&mut text, Style::new().add_modifier(Modifier::UNDERLINED));
        assert_eq!(
            shown(&text),
            [
                ("on".to_string(), false),
                ("e".to_string(), true),
                ("tw".to_string(), true),
                ("o é three".to_string(), false)
            ]
        );
        // Marks written in the notes themselves are not taken for marks.
        assert_eq!(mark("a\u{E000}b", &[]), "ab");
    }
}
