//! The question rule shared by both note flavours: a line is a question when it ends in `?`,
//! or when all that follows its last `?` is a short remark (kept as the card's note). A line
//! of question marks alone is a separator of a card written over several lines, never a
//! question.

/// A question found on a line: the text up to and including the `?`, and the remark after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Question<'a> {
    pub(crate) text: &'a str,
    pub(crate) remark: &'a str,
}

/// Characters that start a bullet or a footnote; such lines are answer content, never questions.
const MARKERS: [char; 4] = ['-', '*', '•', '+'];
const DASHES: [char; 3] = ['-', '–', '—'];

/// Splits `line` into question and remark, or `None` when the line is not a question.
/// `(?)` (an author's "not sure") never ends a question, and `What?::Yes` is a one-line card
/// rather than a question with the remark `::Yes`.
pub(crate) fn split(line: &str) -> Option<Question<'_>> {
    let line = line.trim();
    if line.starts_with(MARKERS) {
        return None;
    }
    let end = last_question_mark(line)? + 1;
    if line[..end].bytes().all(|b| b == b'?') {
        return None;
    }
    let remark = line[end..].trim();
    if remark.starts_with("::") {
        return None;
    }
    if remark.is_empty() || is_remark(remark) {
        Some(Question {
            text: &line[..end],
            remark,
        })
    } else {
        None
    }
}

/// Byte offset of the last `?` that is not part of a `(?)`.
fn last_question_mark(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut search_end = bytes.len();
    while let Some(at) = bytes[..search_end].iter().rposition(|&b| b == b'?') {
        let in_unsure_mark = at > 0 && bytes[at - 1] == b'(' && bytes.get(at + 1) == Some(&b')');
        if !in_unsure_mark {
            return Some(at);
        }
        search_end = at;
    }
    None
}

/// A remark is one parenthesised group, a dash and at most four words, or one single word.
fn is_remark(text: &str) -> bool {
    if let Some(rest) = text.strip_prefix(DASHES) {
        let words = rest.split_whitespace().count();
        return (1..=4).contains(&words);
    }
    if text.starts_with('(') {
        return closes_at_end(text);
    }
    !text.contains(char::is_whitespace)
}

/// True when the `(` that opens `text` is closed by its last character.
fn closes_at_end(text: &str) -> bool {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return at + 1 == text.len();
                }
            }
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(line: &str) -> Option<(&str, &str)> {
        split(line).map(|q| (q.text, q.remark))
    }

    #[test]
    fn a_line_ending_in_a_question_mark_is_a_question() {
        assert_eq!(
            question("What is a deep network?"),
            Some(("What is a deep network?", ""))
        );
        assert_eq!(question("  Why? "), Some(("Why?", "")));
    }

    #[test]
    fn remarks_after_the_question_go_to_the_note() {
        assert_eq!(
            question("What are neural Turing machines? (INTERESTING)"),
            Some(("What are neural Turing machines?", "(INTERESTING)"))
        );
        assert_eq!(
            question("What is a linear model? Me"),
            Some(("What is a linear model?", "Me"))
        );
        assert_eq!(
            question("What is X? - Nonlocal Block"),
            Some(("What is X?", "- Nonlocal Block"))
        );
        assert_eq!(
            question("What is X? – one two three four"),
            Some(("What is X?", "– one two three four"))
        );
        assert_eq!(
            question("What? (a (nested) remark)"),
            Some(("What?", "(a (nested) remark)"))
        );
    }

    #[test]
    fn long_text_after_the_question_mark_is_not_a_remark() {
        assert_eq!(
            question("So is X possible? Yes, on a single core via time slicing."),
            None
        );
        assert_eq!(question("What is X? - one two three four five"), None);
        assert_eq!(question("What? (a) and (b)"), None);
        assert_eq!(question("What? (unclosed"), None);
        assert_eq!(question("What? -"), None);
    }

    #[test]
    fn bullets_and_footnotes_are_never_questions() {
        for line in [
            "- Why does this matter?",
            "* Why?",
            "• Why?",
            "+ Why?",
            "  - Why?",
        ] {
            assert_eq!(question(line), None, "{line}");
        }
    }

    #[test]
    fn unsure_marks_are_ignored() {
        assert_eq!(question("It's late (?) - hard to say."), None);
        assert_eq!(question("Does not capture temporal order (?) No idea tbh."), None);
        assert_eq!(question("is the temperature (?)"), None);
        assert_eq!(question("Why (?) is it so?"), Some(("Why (?) is it so?", "")));
        assert_eq!(question("Is it? (?)"), Some(("Is it?", "(?)")));
    }

    #[test]
    fn lines_without_a_question_mark_are_not_questions() {
        assert_eq!(question("Better data + storage."), None);
        assert_eq!(question(""), None);
    }

    #[test]
    fn question_marks_alone_are_separators_not_questions() {
        for line in ["?", "??", "  ? ", "???", "?? (note)"] {
            assert_eq!(question(line), None, "{line}");
        }
        assert_eq!(question("Why??"), Some(("Why??", "")));
    }

    #[test]
    fn a_separator_after_the_question_mark_is_no_remark() {
        assert_eq!(question("What is X?::Y"), None);
        assert_eq!(question("What is X?:::Y"), None);
        assert_eq!(question("What is a::b?"), Some(("What is a::b?", "")));
    }
}
