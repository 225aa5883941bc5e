//! The form a question is recognised by across edits, files and devices: Unicode NFKC, case
//! folded, white space collapsed, apostrophes inside words dropped and negative contractions
//! spelled out, so `doesn't`, `doesnt` and `does not` read alike.

use unicode_normalization::UnicodeNormalization;

/// The form two questions are compared in: NFKC, lower case, single spaces.
pub(crate) fn normalise(text: &str) -> String {
    normalised(text).collect()
}

/// The characters of [`normalise`]d text, without building it.
fn normalised(text: &str) -> Normalised<Box<dyn Iterator<Item = char> + '_>> {
    // ASCII is already in NFKC: most notes skip the Unicode tables entirely.
    let folded: Box<dyn Iterator<Item = char>> = if text.is_ascii() {
        Box::new(text.chars().map(|c| c.to_ascii_lowercase()))
    } else {
        Box::new(text.nfkc().flat_map(char::to_lowercase))
    };
    Normalised {
        chars: folded,
        pending: None,
        started: false,
    }
}

/// Folded characters with runs of white space made one space, none at either end.
struct Normalised<I> {
    chars: I,
    /// A character held back while the space before it is handed out.
    pending: Option<char>,
    started: bool,
}

impl<I: Iterator<Item = char>> Iterator for Normalised<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        if let Some(c) = self.pending.take() {
            return Some(c);
        }
        let mut space = false;
        loop {
            let c = self.chars.next()?;
            if c.is_whitespace() {
                space = true;
            } else if space && self.started {
                self.pending = Some(c);
                return Some(' ');
            } else {
                self.started = true;
                return Some(c);
            }
        }
    }
}

/// The form a question is recognised by: [`normalise`]d, with apostrophes inside words
/// dropped (`doesn't` is `doesnt`, `what's` is `whats`) and negative contractions spelled out
/// (`doesnt`, `cannot` and `can't` are `does not` and `can not`). Other punctuation stays.
pub(crate) fn canonical(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut word = String::new();
    let mut chars = normalised(text).peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            word.push(c);
        } else if is_apostrophe(c) && !word.is_empty() {
            // Apostrophes inside a word are part of it, and it is spelled the same without.
            let mut run = String::from(c);
            while let Some(next) = chars.next_if(|&next| is_apostrophe(next)) {
                run.push(next);
            }
            if !chars.peek().is_some_and(|next| next.is_alphanumeric()) {
                end_word(&mut word, &mut out);
                out.push_str(&run);
            }
        } else {
            end_word(&mut word, &mut out);
            out.push(c);
        }
    }
    end_word(&mut word, &mut out);
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02bc}' | '\u{2018}' | '`')
}

/// Verbs whose `n't` form is spelled out as `VERB not`.
const NEGATABLE: [&str; 17] = [
    "do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "could", "would", "should",
    "must", "need", "might", "dare",
];

/// Writes `word` to `out`, a negative contraction spelled out, and empties it.
fn end_word(word: &mut String, out: &mut String) {
    if word.is_empty() {
        return;
    }
    let spelled = match word.as_str() {
        "cannot" | "cant" => Some("can"),
        "wont" => Some("will"),
        "shant" => Some("shall"),
        "aint" => Some("is"),
        other => other.strip_suffix("nt").filter(|verb| NEGATABLE.contains(verb)),
    };
    match spelled {
        Some(verb) => {
            out.push_str(verb);
            out.push_str(" not");
        }
        None => out.push_str(word),
    }
    word.clear();
}

/// True when two texts are equal once normalised.
pub(crate) fn same_normalised(a: &str, b: &str) -> bool {
    normalised(a).eq(normalised(b))
}
