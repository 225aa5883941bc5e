//! LaTeX math in card text: finds `$…$`, `$$…$$`, `\(…\)` and `\[…\]`, and shows the LaTeX as
//! Unicode in the terminal wherever Unicode can say the same thing, leaving the rest as source.
//!
//! The conversion rules (the tests at the bottom show each one):
//! - **Spacing.** Source whitespace collapses to one space and is otherwise kept as written,
//!   except the whitespace after a command name, which is LaTeX syntax rather than text. After a
//!   symbol or a prefix operator it goes when an operand follows (`\alpha x` → `αx`,
//!   `\forall x` → `∀x`); after an operator or relation it mirrors the space on the left
//!   (`a \le b` → `a ≤ b`, `x = \pm 1` → `x = ±1`); after a function name there is exactly one
//!   space before an operand and none before a bracket (`\sin\theta` → `sin θ`, `\max (a, b)` →
//!   `max(a, b)`). Spacing commands (`\,` `\;` `\quad` …) are one space and `\!` is none.
//! - **Scripts.** A superscript or subscript is written in Unicode script characters when every
//!   character of it has one (`x_{ij}` → `xᵢⱼ`, `e^{-x}` → `e⁻ˣ`). Otherwise it stays in TeX form
//!   with its inside converted and its source braces kept (`a_{\theta}` → `a_{θ}`), and so do the
//!   other scripts on the same base, so `I_y^2` never reads as `I_y²`.
//! - **Fractions** are `a/b`. The numerator gets parentheses when it shows an operator outside
//!   brackets, the denominator unless it is one unit (a number, a symbol with its scripts, a
//!   bracketed group, `f(x)`, a root, or a differential such as `dx`), and the whole fraction
//!   when it carries a script or touches an operand: `\frac{a+b}{2c}x` → `((a+b)/(2c))x`.
//! - **Roots** are `√x`, with parentheses unless the radicand is a number, a symbol without a
//!   superscript, or a bracketed group; `\sqrt[3]` and `\sqrt[4]` are `∛` and `∜`.
//! - **Accents** are combining marks on a single character (`\hat{y}` → `y` + U+0302); the text
//!   is not NFC-composed. `\mathbb`, `\mathcal`, `\mathfrak`, `\mathbf` and `\boldsymbol` use
//!   the Unicode mathematical letters (`ℝ`, `ℒ`, `𝔤`, `𝐱`, `𝛍`); `\mathrm`, `\operatorname` and
//!   `\text` show their letters as they are.
//! - **Everything else stays as written**: unknown commands with their arguments and scripts,
//!   environments, and accents or alphabets Unicode has no character for. Input that does not
//!   parse (an unclosed group, a missing argument, a stray `}`) comes back unchanged.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Options, Tag};

/// A formula found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MathSpan {
    /// The formula with its delimiters.
    pub outer: Range<usize>,
    /// The LaTeX between the delimiters.
    pub latex: Range<usize>,
    /// `$$…$$` or `\[…\]`, as opposed to `$…$` or `\(…\)`.
    pub display: bool,
}

/// The two-byte closers. Where the search for one stops does not depend on where it started,
/// so one failed search answers for every later opener of the same kind before its end.
#[derive(Clone, Copy)]
enum Closer {
    Dollars,
    Paren,
    Bracket,
}

/// The formulas in `text`, in order. Delimiters follow Pandoc's `tex_math_dollars`: an opening
/// `$` has a non-space character after it, a closing `$` has one before it and no digit after
/// it (so `$5 and $10` is no formula), `\$` is a literal dollar, a `$` inside a `{…}` group of
/// the formula does not close it, and a formula does not run past the `}` of a group it began
/// in. No formula crosses a blank line (display math may span single newlines), and an
/// unclosed one is plain text. Linear in the length of `text`.
pub fn spans(text: &str) -> Vec<MathSpan> {
    let bytes = text.as_bytes();
    let braces = brace_pairs(bytes);
    let mut found = Vec::new();
    // For each closer, the position before which a search already found none.
    let mut none_before = [0usize; 3];
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let (closer, display) = match (byte, bytes.get(at + 1)) {
            (b'\\', Some(b'(')) => (Closer::Paren, false),
            (b'\\', Some(b'[')) => (Closer::Bracket, true),
            (b'$', Some(b'$')) => (Closer::Dollars, true),
            (b'\\', _) => {
                at += 2;
                continue;
            }
            (b'$', _) => {
                match single_dollar(text, at, &braces) {
                    Some(span) => {
                        at = span.outer.end;
                        found.push(span);
                    }
                    None => at += 1,
                }
                continue;
            }
            _ => {
                at += 1;
                continue;
            }
        };
        let start = at + 2;
        let searched = &mut none_before[closer as usize];
        if start < *searched {
            at = start;
            continue;
        }
        match find_closer(bytes, start, closer) {
            Ok(close) => {
                let latex = start..close;
                if text
                    .get(latex.clone())
                    .is_some_and(|inside| !inside.trim().is_empty())
                {
                    found.push(MathSpan {
                        outer: at..close + 2,
                        latex,
                        display,
                    });
                }
                at = close + 2;
            }
            Err(limit) => {
                *searched = limit;
                at = start;
            }
        }
    }
    found
}

/// The `$…$` formula opened at `open`, if it closes.
fn single_dollar(text: &str, open: usize, braces: &HashMap<usize, usize>) -> Option<MathSpan> {
    let bytes = text.as_bytes();
    if text.get(open + 1..)?.chars().next()?.is_whitespace() {
        return None;
    }
    let mut at = open + 1;
    loop {
        match *bytes.get(at)? {
            b'\\' => at += 2,
            b'{' => at = braces.get(&at).map_or(at + 1, |close| close + 1),
            // The end of a group opened before the formula.
            b'}' if braces.contains_key(&at) => return None,
            b'\n' if blank_line_at(bytes, at) => return None,
            b'$' => {
                let before = text.get(..at)?.chars().next_back()?;
                if before.is_whitespace() || bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
                    return None;
                }
                return Some(MathSpan {
                    outer: open..at + 1,
                    latex: open + 1..at,
                    display: false,
                });
            }
            _ => at += 1,
        }
    }
}

/// Where `closer` first occurs from `from`, or else where the search stopped: at a blank line
/// or at the end of the text.
fn find_closer(bytes: &[u8], from: usize, closer: Closer) -> Result<usize, usize> {
    let mut at = from;
    while let Some(&byte) = bytes.get(at) {
        let next = bytes.get(at + 1).copied();
        match (byte, closer, next) {
            (b'\\', Closer::Paren, Some(b')')) | (b'\\', Closer::Bracket, Some(b']')) => return Ok(at),
            (b'$', Closer::Dollars, Some(b'$')) => return Ok(at),
            (b'\\', _, _) => at += 2,
            (b'\n', _, _) if blank_line_at(bytes, at) => return Err(at),
            _ => at += 1,
        }
    }
    Err(bytes.len())
}

/// Whether the newline at `at` ends a paragraph: only spaces lie between it and the next one.
fn blank_line_at(bytes: &[u8], at: usize) -> bool {
    let after = bytes.get(at + 1..).unwrap_or_default();
    after.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\r')) == Some(&b'\n')
}

/// Each `{` mapped to its `}` and each `}` to its `{`, within a paragraph; `\{` and `\}` are
/// not braces. Lets the `$…$` search jump over a group in one step.
fn brace_pairs(bytes: &[u8]) -> HashMap<usize, usize> {
    let mut pairs = HashMap::new();
    let mut open = Vec::new();
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\\' => at += 1,
            b'{' => open.push(at),
            b'}' => {
                if let Some(start) = open.pop() {
                    pairs.insert(start, at);
                    pairs.insert(at, start);
                }
            }
            b'\n' if blank_line_at(bytes, at) => open.clear(),
            _ => {}
        }
        at += 1;
    }
    pairs
}

/// The LaTeX of one formula (without delimiters) as Unicode; see the module documentation for
/// the rules. Never fails: what cannot be shown faithfully stays as source.
pub fn to_unicode(latex: &str) -> String {
    convert(latex).unwrap_or_else(|| latex.to_string())
}

/// `source` (Markdown) with `\(…\)` and `\[…\]` written as `$…$` and `$$…$$`, outside code:
/// CommonMark reads `\(` as an escaped parenthesis, so a Markdown parser finds only the dollar
/// forms.
pub fn dollars_in_markdown(source: &str) -> Cow<'_, str> {
    if !source.contains("\\(") && !source.contains("\\[") {
        return Cow::Borrowed(source);
    }
    // Both lists are in order of their starts, so one pass over each finds the overlaps.
    let mut code = pulldown_cmark::Parser::new_ext(source, Options::ENABLE_MATH)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .peekable();
    let mut out = String::with_capacity(source.len());
    let mut copied = 0;
    for span in spans(source) {
        while code.next_if(|c| c.end <= span.outer.start).is_some() {}
        let in_code = code.peek().is_some_and(|c| c.start < span.outer.end);
        if source.as_bytes()[span.outer.start] == b'$' || in_code {
            continue;
        }
        let dollars = if span.display { "$$" } else { "$" };
        out.push_str(&source[copied..span.outer.start]);
        out.push_str(dollars);
        out.push_str(&source[span.latex.clone()]);
        out.push_str(dollars);
        copied = span.outer.end;
    }
    out.push_str(&source[copied..]);
    Cow::Owned(out)
}

/// `text` with every formula replaced by its Unicode form, without delimiters; a formula that
/// does not parse stays as written, delimiters and all.
pub fn render(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for span in spans(text) {
        out.push_str(text.get(copied..span.outer.start).unwrap_or_default());
        let latex = text.get(span.latex).unwrap_or_default();
        match convert(latex) {
            Some(unicode) => out.push_str(&unicode),
            None => out.push_str(text.get(span.outer.clone()).unwrap_or_default()),
        }
        copied = span.outer.end;
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    out
}

/// `None` when `latex` does not parse.
fn convert(latex: &str) -> Option<String> {
    let mut parser = Parser {
        src: latex,
        at: 0,
        nesting: 0,
    };
    let pieces = parser.sequence(Until::End).ok()?;
    Some(join(&pieces))
}

/// How a piece of output behaves next to others: decides spaces and parentheses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Source whitespace or a spacing command.
    Space,
    /// An operand: a letter, digit, symbol, group, root, or lettered or accented symbol.
    Ord,
    /// An operator written against its operand: `∂ ∇ ¬ ∀ ∃`.
    Prefix,
    Bin,
    Rel,
    /// `,` and `;`.
    Punct,
    /// `∑ ∫ ⋃ …`, which reach over what follows them.
    LargeOp,
    /// `log`, `sin`, `max`, `\operatorname{…}`.
    Function,
    Open,
    Close,
    /// `|` and `‖`, which open or close depending on where they stand.
    Fence,
    /// `… ⋯ ⋮ ⋱`.
    Dots,
    Frac,
    /// Words from `\text{…}`.
    Text,
    /// LaTeX kept as source.
    Verbatim,
}

/// One unit of output.
#[derive(Debug)]
struct Piece {
    kind: Kind,
    body: String,
    /// Its scripts and primes, already written; kept apart so a fraction can be parenthesised
    /// before them.
    scripts: String,
    /// Carries a superscript, which a root sign in front would seem to cover.
    raised: bool,
    /// Reads as one unit after `/`.
    unit: bool,
    /// Shows an operator outside brackets, so it needs parentheses before `/`.
    loose: bool,
    /// A command name that whitespace followed: that whitespace was LaTeX syntax.
    name_then_space: bool,
}

impl Piece {
    fn new(kind: Kind, body: impl Into<String>) -> Self {
        Piece {
            kind,
            body: body.into(),
            scripts: String::new(),
            raised: false,
            unit: true,
            loose: false,
            name_then_space: false,
        }
    }

    fn space() -> Self {
        Piece::new(Kind::Space, "")
    }

    fn empty() -> Self {
        Piece::new(Kind::Ord, "")
    }

    /// A braced group, or the argument of `\mathrm` and the like (`lettered`), as one piece:
    /// a single piece stands for itself, several become one operand.
    fn group(inner: Vec<Piece>, lettered: bool) -> Self {
        if inner.iter().filter(|piece| piece.kind != Kind::Space).count() <= 1 {
            let only = inner.into_iter().find(|piece| piece.kind != Kind::Space);
            return only.map_or_else(Piece::empty, |only| Piece {
                name_then_space: false,
                ..only
            });
        }
        // `\mathrm{Var}` is one word, where `{ab}` is a product.
        let word = lettered
            && inner.iter().all(|piece| {
                piece.kind == Kind::Ord
                    && piece.scripts.is_empty()
                    && piece.body.chars().all(char::is_alphanumeric)
            });
        Piece {
            raised: inner.iter().any(|piece| piece.raised),
            unit: word || reads_as_unit(&inner),
            loose: !word && shows_operator(&inner),
            ..Piece::new(Kind::Ord, join(&inner))
        }
    }
}

/// The pieces as text: decides the spaces between them and the parentheses around fractions.
fn join(pieces: &[Piece]) -> String {
    // The pieces that show something, each with whether whitespace stood before it.
    let mut shown: Vec<(&Piece, bool)> = Vec::with_capacity(pieces.len());
    let mut spaced = false;
    for piece in pieces {
        if piece.kind == Kind::Space {
            spaced = true;
        } else if !piece.body.is_empty() || !piece.scripts.is_empty() {
            shown.push((piece, spaced));
            spaced = false;
        }
    }
    let mut gaps = Vec::with_capacity(shown.len());
    let mut previous: Option<&Piece> = None;
    // Whether the previous piece had a space before it and is not a sign (`= -x`).
    let mut previous_spaced_operator = false;
    for &(piece, spaced) in &shown {
        let gap = previous.is_some_and(|prev| gap_between(prev, piece, spaced, previous_spaced_operator));
        let sign = piece.kind == Kind::Bin
            && previous.is_none_or(|prev| {
                matches!(
                    prev.kind,
                    Kind::Open | Kind::Bin | Kind::Rel | Kind::Punct | Kind::LargeOp
                )
            });
        previous_spaced_operator = gap && !sign;
        gaps.push(gap);
        previous = Some(piece);
    }
    let mut out = String::new();
    for (index, (&(piece, _), &gap)) in shown.iter().zip(&gaps).enumerate() {
        let prev = index.checked_sub(1).and_then(|before| shown.get(before));
        let next = shown.get(index + 1);
        let gap_after = gaps.get(index + 1).copied().unwrap_or(true);
        let wrap = piece.kind == Kind::Frac
            && (!piece.scripts.is_empty()
                || prev.is_some_and(|&(prev, _)| !gap && ends_operand(prev))
                || next.is_some_and(|&(next, _)| !gap_after && starts_operand(next)));
        if gap {
            out.push(' ');
        }
        if wrap {
            out.push('(');
            out.push_str(&piece.body);
            out.push(')');
        } else {
            out.push_str(&piece.body);
        }
        out.push_str(&piece.scripts);
    }
    out
}

/// Whether a space goes between two neighbouring pieces; `spaced` says whether the source had
/// whitespace there, `spaced_before_prev` whether an operator `prev` had a space on its left.
fn gap_between(prev: &Piece, next: &Piece, spaced: bool, spaced_before_prev: bool) -> bool {
    use Kind::{Bin, Fence, Frac, Function, Open, Ord, Prefix, Rel, Text};
    let is_word_operator =
        |piece: &Piece| piece.kind == Bin && piece.body.starts_with(|c: char| c.is_alphabetic());
    if prev.kind == Function {
        return match next.kind {
            Ord | Prefix | Fence | Frac | Function | Text => true,
            Open => spaced,
            _ => spaced || prev.name_then_space,
        };
    }
    if is_word_operator(prev) || is_word_operator(next) {
        return true;
    }
    if !prev.name_then_space {
        return spaced;
    }
    match prev.kind {
        Ord | Prefix => spaced || !matches!(next.kind, Ord | Prefix | Open | Fence),
        Bin | Rel => spaced || spaced_before_prev,
        _ => true,
    }
}

/// Whether a fraction right after this piece would read as multiplied by it.
fn ends_operand(piece: &Piece) -> bool {
    matches!(
        piece.kind,
        Kind::Ord | Kind::Close | Kind::Frac | Kind::Text | Kind::Verbatim | Kind::Prefix
    )
}

/// Whether a fraction right before this piece would read as multiplied by it.
fn starts_operand(piece: &Piece) -> bool {
    matches!(
        piece.kind,
        Kind::Ord
            | Kind::Open
            | Kind::Prefix
            | Kind::Frac
            | Kind::Function
            | Kind::Text
            | Kind::Verbatim
            | Kind::LargeOp
    )
}

/// Whether a numerator shows an operator outside brackets (`a+b`, `\sin x`, `x, y`), so that
/// `N/D` would bind wrongly without parentheses. A leading sign does not count.
fn shows_operator(pieces: &[Piece]) -> bool {
    let mut depth = 0usize;
    let mut fence: Option<&str> = None;
    let mut shown = pieces
        .iter()
        .filter(|piece| piece.kind != Kind::Space)
        .enumerate()
        .peekable();
    while let Some((index, piece)) = shown.next() {
        match piece.kind {
            Kind::Open => depth += 1,
            Kind::Close => depth = depth.saturating_sub(1),
            Kind::Fence if depth == 0 => {
                fence = match fence {
                    Some(open) if open == piece.body => None,
                    None => Some(piece.body.as_str()),
                    other => other,
                };
            }
            _ if depth > 0 || fence.is_some() => {}
            Kind::Bin if index == 0 => {}
            Kind::Bin | Kind::Rel | Kind::Punct | Kind::LargeOp | Kind::Frac | Kind::Dots => return true,
            Kind::Function if !shown.peek().is_some_and(|(_, next)| next.kind == Kind::Open) => return true,
            _ if piece.loose || piece.body == "/" => return true,
            _ => {}
        }
    }
    false
}

/// Whether a denominator reads as one unit: a number, a symbol with its scripts, a bracketed
/// group, a function applied to one (`f(x)`), each maybe with a factorial, or a differential
/// (`d` or `∂` before one of those).
fn reads_as_unit(pieces: &[Piece]) -> bool {
    let shown: Vec<&Piece> = pieces.iter().filter(|piece| piece.kind != Kind::Space).collect();
    match shown.as_slice() {
        [] => true,
        [first, rest @ ..] if !rest.is_empty() && is_differential(first) => is_simple_unit(rest),
        all => is_simple_unit(all),
    }
}

fn is_simple_unit(shown: &[&Piece]) -> bool {
    let factor = match shown.split_last() {
        Some((last, rest)) if !rest.is_empty() && last.kind == Kind::Ord && last.body == "!" => rest,
        _ => shown,
    };
    match factor {
        [one] => is_symbol(one),
        [head, tail @ ..] if (is_symbol(head) || head.kind == Kind::Function) && is_bracketed(tail) => true,
        all => is_number(all) || is_bracketed(all),
    }
}

fn is_symbol(piece: &Piece) -> bool {
    matches!(piece.kind, Kind::Ord | Kind::Text | Kind::Verbatim) && piece.unit
}

fn is_differential(piece: &Piece) -> bool {
    (piece.kind == Kind::Ord && piece.body == "d") || (piece.kind == Kind::Prefix && piece.body == "∂")
}

/// Digits, maybe with a decimal point; only the last may carry scripts.
fn is_number(shown: &[&Piece]) -> bool {
    !shown.is_empty()
        && shown.iter().enumerate().all(|(index, piece)| {
            piece.kind == Kind::Ord
                && !piece.body.is_empty()
                && piece.body.chars().all(|c| c.is_ascii_digit() || c == '.')
                && (piece.scripts.is_empty() || index + 1 == shown.len())
        })
}

/// Whether the bracket (or fence) that opens the pieces is the one that closes them.
fn is_bracketed(shown: &[&Piece]) -> bool {
    let (Some(first), Some(last)) = (shown.first(), shown.last()) else {
        return false;
    };
    if shown.len() < 2 {
        return false;
    }
    if first.kind == Kind::Fence {
        let inside = shown.get(1..shown.len() - 1).unwrap_or_default();
        return last.kind == Kind::Fence
            && last.body == first.body
            && !inside
                .iter()
                .any(|piece| piece.kind == Kind::Fence && piece.body == first.body);
    }
    if first.kind != Kind::Open {
        return false;
    }
    let mut depth = 0usize;
    for (index, piece) in shown.iter().enumerate() {
        match piece.kind {
            Kind::Open => depth += 1,
            Kind::Close => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return index + 1 == shown.len();
                }
            }
            _ => {}
        }
    }
    false
}

/// Whether a radicand needs no parentheses after `√`: a number, a symbol or a bracketed group,
/// without a superscript (`√x²` could be read either way).
fn bare_radicand(pieces: &[Piece]) -> bool {
    let shown: Vec<&Piece> = pieces.iter().filter(|piece| piece.kind != Kind::Space).collect();
    let raised = shown.last().is_some_and(|piece| piece.raised);
    !raised
        && match shown.as_slice() {
            [one] => is_symbol(one),
            all => is_number(all) || is_bracketed(all),
        }
}

fn parenthesised(text: String, needed: bool) -> String {
    if needed { format!("({text})") } else { text }
}

/// The source does not parse; the whole formula stays as written.
struct Malformed;

/// Where a sequence of items ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Until {
    End,
    Brace,
    Bracket,
}

/// Deeper nesting than any real formula has; a guard against stack exhaustion.
const MAX_NESTING: usize = 32;

/// A recursive-descent reader of LaTeX math that builds pieces as it goes.
struct Parser<'a> {
    src: &'a str,
    at: usize,
    nesting: usize,
}

/// A script on a base.
enum Script {
    /// Primes, `^\circ` and `^\prime`, which have the same form whatever the other scripts do.
    Fixed(String),
    Shifted {
        raised: bool,
        text: String,
        braced: bool,
    },
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.src.get(self.at..).unwrap_or_default()
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += c.len_utf8();
        Some(c)
    }

    /// Skips whitespace; says whether there was any.
    fn skip_whitespace(&mut self) -> bool {
        let rest = self.rest();
        let skipped = rest.len() - rest.trim_start().len();
        self.at += skipped;
        skipped > 0
    }

    fn source_from(&self, start: usize) -> String {
        self.src.get(start..self.at).unwrap_or_default().to_string()
    }

    fn take_letters(&mut self) -> &'a str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        self.at += len;
        rest.get(..len).unwrap_or_default()
    }

    /// One token as written: a command name, a control symbol, or a character.
    fn raw_token(&mut self) -> Option<&'a str> {
        let start = self.at;
        if self.bump()? == '\\' && self.take_letters().is_empty() {
            self.bump();
        }
        self.src.get(start..self.at)
    }

    fn enter(&mut self) -> Result<(), Malformed> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            Err(Malformed)
        } else {
            Ok(())
        }
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    fn sequence(&mut self, until: Until) -> Result<Vec<Piece>, Malformed> {
        self.enter()?;
        let mut pieces = Vec::new();
        loop {
            match (self.peek(), until) {
                (None, Until::End) => break,
                (None, _) | (Some('}'), Until::End | Until::Bracket) => return Err(Malformed),
                (Some('}'), Until::Brace) | (Some(']'), Until::Bracket) => {
                    self.bump();
                    break;
                }
                (Some(c), _) if c.is_whitespace() => {
                    self.skip_whitespace();
                    pieces.push(Piece::space());
                }
                _ => self.item_with_scripts(&mut pieces)?,
            }
        }
        self.leave();
        Ok(pieces)
    }

    /// One item and the scripts on it.
    fn item_with_scripts(&mut self, pieces: &mut Vec<Piece>) -> Result<(), Malformed> {
        let before = pieces.len();
        let ended_on_name = if matches!(self.peek(), Some('^' | '_' | '\'')) {
            false
        } else {
            self.item(pieces)?
        };
        if self.scripts_follow() {
            let has_base =
                pieces.len() > before && pieces.last().is_some_and(|piece| piece.kind != Kind::Space);
            let base = if has_base { pieces.pop() } else { None };
            let scripted = self.scripts(base.unwrap_or_else(Piece::empty))?;
            pieces.push(scripted);
        } else if ended_on_name
            && self.skip_whitespace()
            && pieces.len() > before
            && let Some(last) = pieces.last_mut()
        {
            last.name_then_space = true;
        }
        Ok(())
    }

    /// Whether `^`, `_` or `'` comes next, maybe after whitespace and `\limits`.
    fn scripts_follow(&self) -> bool {
        let rest = self.rest().trim_start();
        let rest = ["\\limits", "\\nolimits"]
            .iter()
            .find_map(|word| {
                rest.strip_prefix(word)
                    .filter(|after| !after.starts_with(|c: char| c.is_ascii_alphabetic()))
            })
            .map_or(rest, str::trim_start);
        rest.starts_with(['^', '_', '\''])
    }

    fn skip_limits(&mut self) {
        for word in ["\\limits", "\\nolimits"] {
            if let Some(after) = self.rest().strip_prefix(word)
                && !after.starts_with(|c: char| c.is_ascii_alphabetic())
            {
                self.at += word.len();
                self.skip_whitespace();
                return;
            }
        }
    }

    /// Reads the scripts after `base` and writes them onto it: all in Unicode script characters
    /// if every one can be, else all in TeX form.
    fn scripts(&mut self, mut base: Piece) -> Result<Piece, Malformed> {
        let mut found = Vec::new();
        loop {
            let save = self.at;
            self.skip_whitespace();
            self.skip_limits();
            match self.peek() {
                Some('\'') => {
                    let mut count = 0;
                    while self.peek() == Some('\'') {
                        self.bump();
                        count += 1;
                    }
                    found.push(Script::Fixed(primes(count)));
                }
                Some(mark @ ('^' | '_')) => {
                    self.bump();
                    let (inner, braced) = self.argument()?;
                    let text = join(&inner);
                    let raised = mark == '^';
                    found.push(if raised && text == "∘" {
                        Script::Fixed("°".to_string())
                    } else if raised && !text.is_empty() && text.chars().all(|c| c == '′') {
                        Script::Fixed(text)
                    } else {
                        Script::Shifted { raised, text, braced }
                    });
                }
                _ => {
                    self.at = save;
                    break;
                }
            }
        }
        // Scripts on a group that already had some (`{x^2}^3`) would run together.
        let shifted: Option<Vec<String>> = if base.scripts.is_empty() {
            found
                .iter()
                .map(|script| match script {
                    Script::Fixed(text) => Some(text.clone()),
                    Script::Shifted {
                        raised: true, text, ..
                    } => in_script(text, superscript),
                    Script::Shifted {
                        raised: false, text, ..
                    } => in_script(text, subscript),
                })
                .collect()
        } else {
            None
        };
        match shifted {
            Some(forms) => forms.iter().for_each(|form| base.scripts.push_str(form)),
            None => {
                for script in &found {
                    match script {
                        Script::Fixed(text) => base.scripts.push_str(text),
                        Script::Shifted { raised, text, braced } => {
                            base.scripts.push(if *raised { '^' } else { '_' });
                            if *braced || text.chars().count() != 1 {
                                base.scripts.push('{');
                                base.scripts.push_str(text);
                                base.scripts.push('}');
                            } else {
                                base.scripts.push_str(text);
                            }
                        }
                    }
                }
            }
        }
        base.raised |= found
            .iter()
            .any(|script| matches!(script, Script::Shifted { raised: true, .. }));
        Ok(base)
    }

    /// A command's argument or a script: a braced group, or else one token. Says whether it
    /// was braced.
    fn argument(&mut self) -> Result<(Vec<Piece>, bool), Malformed> {
        self.skip_whitespace();
        match self.peek() {
            None | Some('}' | '^' | '_') => Err(Malformed),
            Some('{') => {
                self.bump();
                Ok((self.sequence(Until::Brace)?, true))
            }
            Some(_) => {
                self.enter()?;
                let mut pieces = Vec::new();
                self.item(&mut pieces)?;
                self.leave();
                Ok((pieces, false))
            }
        }
    }

    /// One item, without scripts. Says whether it ended on a command name, so that whitespace
    /// after it is LaTeX syntax.
    fn item(&mut self, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        let start = self.at;
        let Some(c) = self.bump() else {
            return Err(Malformed);
        };
        match c {
            '{' => {
                let inner = self.sequence(Until::Brace)?;
                pieces.push(Piece::group(inner, false));
                Ok(false)
            }
            '\\' => self.command(start, pieces),
            '}' | '^' | '_' => Err(Malformed),
            '~' => {
                pieces.push(Piece::space());
                Ok(false)
            }
            '\'' => {
                pieces.push(Piece::new(Kind::Ord, "′"));
                Ok(false)
            }
            c => {
                pieces.push(Piece::new(char_kind(c), c));
                Ok(false)
            }
        }
    }

    fn command(&mut self, start: usize, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        let name = self.take_letters();
        if !name.is_empty() {
            return self.control_word(name, start, pieces);
        }
        let symbol = self.bump().ok_or(Malformed)?;
        let piece = match symbol {
            '!' => return Ok(false),
            '{' => Piece::new(Kind::Open, "{"),
            '}' => Piece::new(Kind::Close, "}"),
            '|' => Piece::new(Kind::Fence, "‖"),
            '$' | '%' | '&' | '#' | '_' => Piece::new(Kind::Ord, symbol),
            ',' | ':' | ';' | '>' => Piece::space(),
            c if c.is_whitespace() => Piece::space(),
            _ => Piece::new(Kind::Verbatim, self.source_from(start)),
        };
        pieces.push(piece);
        Ok(false)
    }

    fn control_word(&mut self, name: &str, start: usize, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        if let Some((text, kind)) = symbol(name) {
            pieces.push(Piece::new(kind, text));
            return Ok(true);
        }
        if FUNCTION_NAMES.contains(&name) {
            pieces.push(Piece::new(Kind::Function, name));
            return Ok(true);
        }
        if let Some(mark) = accent_mark(name) {
            let piece = self.accent(name, mark)?;
            pieces.push(piece);
            return Ok(false);
        }
        if let Some(alphabet) = Alphabet::of(name) {
            let (inner, _) = self.argument()?;
            let text = join(&inner);
            let lettered: Option<String> = text.chars().map(|c| alphabet.letter(c)).collect();
            pieces.push(match lettered {
                Some(letters) if !letters.is_empty() => Piece::new(Kind::Ord, letters),
                _ => Piece::new(Kind::Ord, format!("\\{name}{{{text}}}")),
            });
            return Ok(false);
        }
        match name {
            "quad" | "qquad" | "enspace" | "enskip" | "thinspace" | "medspace" | "thickspace" => {
                pieces.push(Piece::space());
            }
            "negthinspace" | "negmedspace" | "negthickspace" | "displaystyle" | "textstyle"
            | "scriptstyle" | "scriptscriptstyle" | "limits" | "nolimits" | "nonumber" | "notag" => {}
            "left" | "right" | "middle" | "big" | "Big" | "bigg" | "Bigg" | "bigl" | "Bigl" | "biggl"
            | "Biggl" | "bigr" | "Bigr" | "biggr" | "Biggr" | "bigm" | "Bigm" | "biggm" | "Biggm" => {
                return self.delimiter(name, pieces);
            }
            "frac" | "dfrac" | "tfrac" | "cfrac" => {
                let piece = self.fraction()?;
                pieces.push(piece);
                return Ok(false);
            }
            "sqrt" => {
                let piece = self.root()?;
                pieces.push(piece);
                return Ok(false);
            }
            "mathrm" | "mathit" | "mathsf" | "mathtt" | "mathnormal" | "mathup" => {
                let (inner, _) = self.argument()?;
                pieces.push(Piece::group(inner, true));
                return Ok(false);
            }
            "operatorname" => {
                if self.peek() == Some('*') {
                    self.bump();
                }
                let (inner, _) = self.argument()?;
                pieces.push(Piece::new(Kind::Function, join(&inner)));
                return Ok(false);
            }
            "text" | "textrm" | "textnormal" | "textup" | "textit" | "textsf" | "texttt" | "textmd"
            | "mbox" => {
                self.text(start, pieces)?;
                return Ok(false);
            }
            "pmod" | "pod" | "mod" => {
                let (inner, _) = self.argument()?;
                let inner = join(&inner);
                pieces.push(Piece::space());
                pieces.push(Piece::new(
                    Kind::Ord,
                    match name {
                        "pmod" => format!("(mod {inner})"),
                        "pod" => format!("({inner})"),
                        _ => format!("mod {inner}"),
                    },
                ));
                return Ok(false);
            }
            "bmod" => pieces.push(Piece::new(Kind::Bin, "mod")),
            "not" => return self.negation(start, pieces),
            "begin" => {
                self.environment()?;
                pieces.push(Piece::new(Kind::Verbatim, self.source_from(start)));
                return Ok(false);
            }
            "hspace" | "phantom" | "hphantom" | "vphantom" => {
                if self.peek() == Some('*') {
                    self.bump();
                }
                self.argument()?;
                if name != "vphantom" {
                    pieces.push(Piece::space());
                }
                return Ok(false);
            }
            _ => return self.unknown(start, pieces),
        }
        Ok(true)
    }

    /// `\left`, `\right`, `\big` and the like: the size goes, the delimiter stays.
    fn delimiter(&mut self, size: &str, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        let side = match size {
            "left" | "bigl" | "Bigl" | "biggl" | "Biggl" => Some(Kind::Open),
            "right" | "bigr" | "Bigr" | "biggr" | "Biggr" => Some(Kind::Close),
            "middle" | "bigm" | "Bigm" | "biggm" | "Biggm" => Some(Kind::Rel),
            _ => None,
        };
        self.skip_whitespace();
        let token = self.raw_token().ok_or(Malformed)?;
        let (text, kind) = match token {
            "." => return Ok(false),
            "(" | "[" => (token, Kind::Open),
            ")" | "]" => (token, Kind::Close),
            "|" => ("|", Kind::Fence),
            "/" => ("/", Kind::Ord),
            "<" => ("⟨", Kind::Open),
            ">" => ("⟩", Kind::Close),
            "\\{" => ("{", Kind::Open),
            "\\}" => ("}", Kind::Close),
            "\\|" => ("‖", Kind::Fence),
            _ => match token.strip_prefix('\\').and_then(symbol) {
                Some((text, kind @ (Kind::Open | Kind::Close | Kind::Fence))) => (text, kind),
                _ => return Err(Malformed),
            },
        };
        pieces.push(Piece::new(side.unwrap_or(kind), text));
        Ok(is_command_name(token))
    }

    fn fraction(&mut self) -> Result<Piece, Malformed> {
        let (numerator, _) = self.argument()?;
        let (denominator, _) = self.argument()?;
        let top = parenthesised(join(&numerator), shows_operator(&numerator));
        let bottom = parenthesised(join(&denominator), !reads_as_unit(&denominator));
        Ok(Piece {
            unit: false,
            loose: true,
            ..Piece::new(Kind::Frac, format!("{top}/{bottom}"))
        })
    }

    fn root(&mut self) -> Result<Piece, Malformed> {
        let save = self.at;
        self.skip_whitespace();
        let index = if self.peek() == Some('[') {
            self.bump();
            Some(join(&self.sequence(Until::Bracket)?))
        } else {
            self.at = save;
            None
        };
        let (radicand, _) = self.argument()?;
        let inside = join(&radicand);
        let sign = match index.as_deref() {
            None | Some("" | "2") => Some("√".to_string()),
            Some("3") => Some("∛".to_string()),
            Some("4") => Some("∜".to_string()),
            Some(other) => in_script(other, superscript).map(|index| index + "√"),
        };
        Ok(Piece::new(
            Kind::Ord,
            match sign {
                Some(sign) => sign + &parenthesised(inside, !bare_radicand(&radicand)),
                None => format!("\\sqrt[{}]{{{inside}}}", index.unwrap_or_default()),
            },
        ))
    }

    /// An accent as a combining mark on a single character, else the command as written around
    /// its converted argument (`\bar{xy}`).
    fn accent(&mut self, name: &str, mark: char) -> Result<Piece, Malformed> {
        let (inner, _) = self.argument()?;
        let text = join(&inner);
        let mut chars = text.chars();
        let one_character = chars.next().is_some_and(|first| !is_combining(first)) && chars.all(is_combining);
        Ok(Piece::new(
            Kind::Ord,
            if one_character {
                format!("{text}{mark}")
            } else {
                format!("\\{name}{{{text}}}")
            },
        ))
    }

    /// `\text{…}`: its words as written, with whitespace at either end kept as a space. Commands
    /// inside other than escapes keep the whole command as source.
    fn text(&mut self, start: usize, pieces: &mut Vec<Piece>) -> Result<(), Malformed> {
        self.skip_whitespace();
        if self.peek() != Some('{') {
            let (inner, _) = self.argument()?;
            pieces.push(Piece::new(Kind::Text, join(&inner)));
            return Ok(());
        }
        self.bump();
        let content_start = self.at;
        self.skip_raw_group()?;
        let raw = self.src.get(content_start..self.at - 1).unwrap_or_default();
        let Some(words) = plain_text(raw) else {
            pieces.push(Piece::new(Kind::Verbatim, self.source_from(start)));
            return Ok(());
        };
        if words.starts_with(' ') {
            pieces.push(Piece::space());
        }
        let trimmed = words.trim();
        if !trimmed.is_empty() {
            let one_word = !trimmed.contains(' ');
            pieces.push(Piece {
                unit: one_word,
                loose: !one_word,
                ..Piece::new(Kind::Text, trimmed)
            });
        }
        if words.len() > 1 && words.ends_with(' ') {
            pieces.push(Piece::space());
        }
        Ok(())
    }

    /// Skips to the `}` that closes a group whose `{` was just read.
    fn skip_raw_group(&mut self) -> Result<(), Malformed> {
        let mut depth = 1usize;
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    self.bump();
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(Malformed)
    }

    /// `\not` before a relation Unicode has a negated form of; otherwise `\not` and its operand
    /// stay as written.
    fn negation(&mut self, start: usize, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        let after_not = self.at;
        self.skip_whitespace();
        let token = self.raw_token().unwrap_or_default();
        if let Some((text, kind)) = negated(token) {
            pieces.push(Piece::new(kind, text));
            return Ok(is_command_name(token));
        }
        if token.trim().is_empty() || matches!(token, "{" | "}" | "^" | "_") {
            self.at = after_not;
        }
        pieces.push(Piece::new(Kind::Verbatim, self.source_from(start)));
        Ok(false)
    }

    /// Skips `\begin{name}…\end{name}`, nested ones included; `\begin` was just read.
    fn environment(&mut self) -> Result<(), Malformed> {
        self.skip_whitespace();
        if self.bump() != Some('{') {
            return Err(Malformed);
        }
        let name = self.rest().split('}').next().unwrap_or_default();
        if name.is_empty() || name.len() > 40 || !name.chars().all(|c| c.is_ascii_alphabetic() || c == '*') {
            return Err(Malformed);
        }
        let (begin, end) = (format!("\\begin{{{name}}}"), format!("\\end{{{name}}}"));
        self.at += name.len() + 1;
        let mut depth = 1usize;
        loop {
            let offset = self.rest().find('\\').ok_or(Malformed)?;
            self.at += offset;
            if self.rest().starts_with(&end) {
                self.at += end.len();
                depth -= 1;
                if depth == 0 {
                    return Ok(());
                }
            } else if self.rest().starts_with(&begin) {
                self.at += begin.len();
                depth += 1;
            } else {
                self.bump();
                self.bump();
            }
        }
    }

    /// An unknown command: kept as written with the `[…]` and `{…}` arguments right after it
    /// and any scripts on it, nothing inside converted.
    fn unknown(&mut self, start: usize, pieces: &mut Vec<Piece>) -> Result<bool, Malformed> {
        let after_name = self.at;
        loop {
            if self.peek() == Some('[') {
                self.bump();
                self.skip_raw_until(']')?;
                continue;
            }
            let save = self.at;
            self.skip_whitespace();
            if self.peek() == Some('{') {
                self.bump();
                self.skip_raw_group()?;
            } else {
                self.at = save;
                break;
            }
        }
        loop {
            let save = self.at;
            self.skip_whitespace();
            match self.peek() {
                Some('\'') => {
                    self.bump();
                }
                Some('^' | '_') => {
                    self.bump();
                    self.skip_whitespace();
                    match self.raw_token() {
                        Some("{") => self.skip_raw_group()?,
                        Some("}" | "^" | "_") | None => return Err(Malformed),
                        Some(_) => {}
                    }
                }
                _ => {
                    self.at = save;
                    break;
                }
            }
        }
        pieces.push(Piece::new(Kind::Verbatim, self.source_from(start)));
        Ok(self.at == after_name)
    }

    fn skip_raw_until(&mut self, end: char) -> Result<(), Malformed> {
        while let Some(c) = self.bump() {
            if c == end {
                return Ok(());
            }
            if c == '\\' {
                self.bump();
            }
        }
        Err(Malformed)
    }
}

/// The text of `\text{…}` with escapes undone, braces dropped and whitespace collapsed; `None`
/// if it holds other commands.
fn plain_text(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        let shown = match c {
            '\\' => match chars.next()? {
                escaped @ ('$' | '%' | '&' | '#' | '_' | '{' | '}') => escaped,
                ',' | ';' | ' ' => ' ',
                _ => return None,
            },
            '{' | '}' => continue,
            '~' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if !(shown == ' ' && out.ends_with(' ')) {
            out.push(shown);
        }
    }
    Some(out)
}

fn is_command_name(token: &str) -> bool {
    token
        .strip_prefix('\\')
        .is_some_and(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_alphabetic()))
}

fn char_kind(c: char) -> Kind {
    match c {
        '+' | '-' | '*' => Kind::Bin,
        '=' | '<' | '>' | ':' => Kind::Rel,
        ',' | ';' => Kind::Punct,
        '(' | '[' => Kind::Open,
        ')' | ']' => Kind::Close,
        '|' => Kind::Fence,
        _ => Kind::Ord,
    }
}

fn primes(count: usize) -> String {
    match count {
        1 => "′".to_string(),
        2 => "″".to_string(),
        3 => "‴".to_string(),
        4 => "⁗".to_string(),
        _ => "′".repeat(count),
    }
}

/// `text` in script characters, whitespace dropped; `None` if one character has no form.
fn in_script(text: &str, form: fn(char) -> Option<char>) -> Option<String> {
    text.chars().filter(|c| !c.is_whitespace()).map(form).collect()
}

/// The superscript form of a character; only those whose compatibility decomposition is that
/// very character (so not ᵅ or ᵋ, which are Latin letters).
fn superscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'a' => 'ᵃ',
        'b' => 'ᵇ',
        'c' => 'ᶜ',
        'd' => 'ᵈ',
        'e' => 'ᵉ',
        'f' => 'ᶠ',
        'g' => 'ᵍ',
        'h' => 'ʰ',
        'i' => 'ⁱ',
        'j' => 'ʲ',
        'k' => 'ᵏ',
        'l' => 'ˡ',
        'm' => 'ᵐ',
        'n' => 'ⁿ',
        'o' => 'ᵒ',
        'p' => 'ᵖ',
        'r' => 'ʳ',
        's' => 'ˢ',
        't' => 'ᵗ',
        'u' => 'ᵘ',
        'v' => 'ᵛ',
        'w' => 'ʷ',
        'x' => 'ˣ',
        'y' => 'ʸ',
        'z' => 'ᶻ',
        'A' => 'ᴬ',
        'B' => 'ᴮ',
        'D' => 'ᴰ',
        'E' => 'ᴱ',
        'G' => 'ᴳ',
        'H' => 'ᴴ',
        'I' => 'ᴵ',
        'J' => 'ᴶ',
        'K' => 'ᴷ',
        'L' => 'ᴸ',
        'M' => 'ᴹ',
        'N' => 'ᴺ',
        'O' => 'ᴼ',
        'P' => 'ᴾ',
        'R' => 'ᴿ',
        'T' => 'ᵀ',
        'U' => 'ᵁ',
        'V' => 'ⱽ',
        'W' => 'ᵂ',
        'β' => 'ᵝ',
        'γ' => 'ᵞ',
        'δ' => 'ᵟ',
        'θ' => 'ᶿ',
        'φ' => 'ᵠ',
        'χ' => 'ᵡ',
        _ => return None,
    })
}

/// The subscript form of a character, on the same terms as [`superscript`].
fn subscript(c: char) -> Option<char> {
    Some(match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        'β' => 'ᵦ',
        'γ' => 'ᵧ',
        'ρ' => 'ᵨ',
        'φ' => 'ᵩ',
        'χ' => 'ᵪ',
        _ => return None,
    })
}

/// The marks accents are made of, and any other combining mark already in a formula.
fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c) || ('\u{20D0}'..='\u{20FF}').contains(&c)
}

fn accent_mark(command: &str) -> Option<char> {
    Some(match command {
        "hat" | "widehat" => '\u{302}',
        "check" | "widecheck" => '\u{30C}',
        "tilde" | "widetilde" => '\u{303}',
        "acute" => '\u{301}',
        "grave" => '\u{300}',
        "dot" => '\u{307}',
        "ddot" => '\u{308}',
        "dddot" => '\u{20DB}',
        "breve" => '\u{306}',
        "bar" => '\u{304}',
        "overline" => '\u{305}',
        "underline" => '\u{332}',
        "vec" | "overrightarrow" => '\u{20D7}',
        "overleftarrow" => '\u{20D6}',
        "mathring" => '\u{30A}',
        _ => return None,
    })
}

/// The Unicode mathematical alphabets that have a LaTeX command.
#[derive(Clone, Copy)]
enum Alphabet {
    DoubleStruck,
    Script,
    Fraktur,
    Bold,
}

impl Alphabet {
    fn of(command: &str) -> Option<Self> {
        Some(match command {
            "mathbb" => Alphabet::DoubleStruck,
            "mathcal" | "mathscr" => Alphabet::Script,
            "mathfrak" => Alphabet::Fraktur,
            "mathbf" | "boldsymbol" | "bm" => Alphabet::Bold,
            _ => return None,
        })
    }

    /// `c` in this alphabet. Combining marks pass through, so accents survive.
    fn letter(self, c: char) -> Option<char> {
        if is_combining(c) {
            return Some(c);
        }
        // The letters encoded before the mathematical block, which leaves holes for them.
        let older = match (self, c) {
            (Alphabet::DoubleStruck, 'C') => Some('ℂ'),
            (Alphabet::DoubleStruck, 'H') => Some('ℍ'),
            (Alphabet::DoubleStruck, 'N') => Some('ℕ'),
            (Alphabet::DoubleStruck, 'P') => Some('ℙ'),
            (Alphabet::DoubleStruck, 'Q') => Some('ℚ'),
            (Alphabet::DoubleStruck, 'R') => Some('ℝ'),
            (Alphabet::DoubleStruck, 'Z') => Some('ℤ'),
            (Alphabet::Script, 'B') => Some('ℬ'),
            (Alphabet::Script, 'E') => Some('ℰ'),
            (Alphabet::Script, 'F') => Some('ℱ'),
            (Alphabet::Script, 'H') => Some('ℋ'),
            (Alphabet::Script, 'I') => Some('ℐ'),
            (Alphabet::Script, 'L') => Some('ℒ'),
            (Alphabet::Script, 'M') => Some('ℳ'),
            (Alphabet::Script, 'R') => Some('ℛ'),
            (Alphabet::Fraktur, 'C') => Some('ℭ'),
            (Alphabet::Fraktur, 'H') => Some('ℌ'),
            (Alphabet::Fraktur, 'I') => Some('ℑ'),
            (Alphabet::Fraktur, 'R') => Some('ℜ'),
            (Alphabet::Fraktur, 'Z') => Some('ℨ'),
            _ => None,
        };
        if older.is_some() {
            return older;
        }
        // First capital, first small letter and first digit of each alphabet. `\mathcal` has
        // no lower case in LaTeX, so none is made up here.
        let (capitals, smalls, digits) = match self {
            Alphabet::DoubleStruck => (0x1D538, Some(0x1D552), Some(0x1D7D8)),
            Alphabet::Script => (0x1D49C, None, None),
            Alphabet::Fraktur => (0x1D504, Some(0x1D51E), None),
            Alphabet::Bold => (0x1D400, Some(0x1D41A), Some(0x1D7CE)),
        };
        let code = u32::from(c);
        let mapped = match c {
            'A'..='Z' => capitals + code - u32::from('A'),
            'a'..='z' => smalls? + code - u32::from('a'),
            '0'..='9' => digits? + code - u32::from('0'),
            _ if matches!(self, Alphabet::Bold) => bold_greek(c)?,
            _ => return None,
        };
        char::from_u32(mapped)
    }
}

/// Bold Greek: the block follows the order of the Greek one, then the variant letters.
fn bold_greek(c: char) -> Option<u32> {
    let code = u32::from(c);
    Some(match c {
        'Α'..='Ω' => 0x1D6A8 + code - u32::from('Α'),
        'α'..='ω' => 0x1D6C2 + code - u32::from('α'),
        '∇' => 0x1D6C1,
        '∂' => 0x1D6DB,
        'ϵ' => 0x1D6DC,
        'ϑ' => 0x1D6DD,
        'ϰ' => 0x1D6DE,
        'ϕ' => 0x1D6DF,
        'ϱ' => 0x1D6E0,
        'ϖ' => 0x1D6E1,
        _ => return None,
    })
}

/// Commands set upright as a word, like `\log`.
const FUNCTION_NAMES: &[&str] = &[
    "arccos", "arcsin", "arctan", "arg", "cos", "cosh", "cot", "coth", "csc", "deg", "det", "dim", "exp",
    "gcd", "hom", "inf", "ker", "lg", "lim", "liminf", "limsup", "ln", "log", "max", "min", "Pr", "sec",
    "sin", "sinh", "sup", "tan", "tanh",
];

/// `\not` before these.
fn negated(token: &str) -> Option<(&'static str, Kind)> {
    Some(match token {
        "=" => ("≠", Kind::Rel),
        "<" => ("≮", Kind::Rel),
        ">" => ("≯", Kind::Rel),
        "\\in" => ("∉", Kind::Rel),
        "\\ni" => ("∌", Kind::Rel),
        "\\subset" => ("⊄", Kind::Rel),
        "\\supset" => ("⊅", Kind::Rel),
        "\\subseteq" => ("⊈", Kind::Rel),
        "\\supseteq" => ("⊉", Kind::Rel),
        "\\equiv" => ("≢", Kind::Rel),
        "\\le" | "\\leq" => ("≰", Kind::Rel),
        "\\ge" | "\\geq" => ("≱", Kind::Rel),
        "\\sim" => ("≁", Kind::Rel),
        "\\simeq" => ("≄", Kind::Rel),
        "\\approx" => ("≉", Kind::Rel),
        "\\cong" => ("≇", Kind::Rel),
        "\\mid" => ("∤", Kind::Rel),
        "\\parallel" => ("∦", Kind::Rel),
        "\\vdash" => ("⊬", Kind::Rel),
        "\\models" => ("⊭", Kind::Rel),
        "\\exists" => ("∄", Kind::Prefix),
        _ => return None,
    })
}

/// The symbol a command stands for, and how it behaves.
fn symbol(name: &str) -> Option<(&'static str, Kind)> {
    use Kind::{Bin, Close, Dots, Fence, LargeOp, Open, Ord, Prefix, Punct, Rel};
    Some(match name {
        "alpha" => ("α", Ord),
        "beta" => ("β", Ord),
        "gamma" => ("γ", Ord),
        "delta" => ("δ", Ord),
        "epsilon" => ("ϵ", Ord),
        "varepsilon" => ("ε", Ord),
        "zeta" => ("ζ", Ord),
        "eta" => ("η", Ord),
        "theta" => ("θ", Ord),
        "vartheta" => ("ϑ", Ord),
        "iota" => ("ι", Ord),
        "kappa" => ("κ", Ord),
        "varkappa" => ("ϰ", Ord),
        "lambda" => ("λ", Ord),
        "mu" => ("μ", Ord),
        "nu" => ("ν", Ord),
        "xi" => ("ξ", Ord),
        "pi" => ("π", Ord),
        "varpi" => ("ϖ", Ord),
        "rho" => ("ρ", Ord),
        "varrho" => ("ϱ", Ord),
        "sigma" => ("σ", Ord),
        "varsigma" => ("ς", Ord),
        "tau" => ("τ", Ord),
        "upsilon" => ("υ", Ord),
        "phi" => ("ϕ", Ord),
        "varphi" => ("φ", Ord),
        "chi" => ("χ", Ord),
        "psi" => ("ψ", Ord),
        "omega" => ("ω", Ord),
        "digamma" => ("ϝ", Ord),
        "Gamma" => ("Γ", Ord),
        "Delta" => ("Δ", Ord),
        "Theta" => ("Θ", Ord),
        "Lambda" => ("Λ", Ord),
        "Xi" => ("Ξ", Ord),
        "Pi" => ("Π", Ord),
        "Sigma" => ("Σ", Ord),
        "Upsilon" => ("Υ", Ord),
        "Phi" => ("Φ", Ord),
        "Psi" => ("Ψ", Ord),
        "Omega" => ("Ω", Ord),
        "infty" => ("∞", Ord),
        "emptyset" | "varnothing" => ("∅", Ord),
        "ell" => ("ℓ", Ord),
        "hbar" | "hslash" => ("ℏ", Ord),
        "aleph" => ("ℵ", Ord),
        "beth" => ("ℶ", Ord),
        "Re" => ("ℜ", Ord),
        "Im" => ("ℑ", Ord),
        "wp" => ("℘", Ord),
        "top" => ("⊤", Ord),
        "bot" => ("⊥", Ord),
        "angle" => ("∠", Ord),
        "triangle" => ("△", Ord),
        "prime" => ("′", Ord),
        "dagger" => ("†", Ord),
        "ddagger" => ("‡", Ord),
        "checkmark" => ("✓", Ord),
        "square" | "Box" => ("□", Ord),
        "blacksquare" => ("■", Ord),
        "imath" => ("ı", Ord),
        "jmath" => ("ȷ", Ord),
        "surd" => ("√", Ord),
        "flat" => ("♭", Ord),
        "natural" => ("♮", Ord),
        "sharp" => ("♯", Ord),
        "partial" => ("∂", Prefix),
        "nabla" => ("∇", Prefix),
        "forall" => ("∀", Prefix),
        "exists" => ("∃", Prefix),
        "nexists" => ("∄", Prefix),
        "neg" | "lnot" => ("¬", Prefix),
        "times" => ("×", Bin),
        "cdot" => ("·", Bin),
        "div" => ("÷", Bin),
        "pm" => ("±", Bin),
        "mp" => ("∓", Bin),
        "circ" => ("∘", Bin),
        "ast" => ("∗", Bin),
        "star" => ("⋆", Bin),
        "bullet" => ("∙", Bin),
        "oplus" => ("⊕", Bin),
        "ominus" => ("⊖", Bin),
        "otimes" => ("⊗", Bin),
        "odot" => ("⊙", Bin),
        "oslash" => ("⊘", Bin),
        "wedge" | "land" => ("∧", Bin),
        "vee" | "lor" => ("∨", Bin),
        "cap" => ("∩", Bin),
        "cup" => ("∪", Bin),
        "setminus" | "smallsetminus" => ("∖", Bin),
        "sqcup" => ("⊔", Bin),
        "sqcap" => ("⊓", Bin),
        "uplus" => ("⊎", Bin),
        "diamond" => ("⋄", Bin),
        "amalg" => ("⨿", Bin),
        "wr" => ("≀", Bin),
        "ltimes" => ("⋉", Bin),
        "rtimes" => ("⋊", Bin),
        "boxplus" => ("⊞", Bin),
        "boxtimes" => ("⊠", Bin),
        "leq" | "le" => ("≤", Rel),
        "geq" | "ge" => ("≥", Rel),
        "leqslant" => ("⩽", Rel),
        "geqslant" => ("⩾", Rel),
        "neq" | "ne" => ("≠", Rel),
        "approx" => ("≈", Rel),
        "approxeq" => ("≊", Rel),
        "equiv" => ("≡", Rel),
        "sim" => ("∼", Rel),
        "simeq" => ("≃", Rel),
        "cong" => ("≅", Rel),
        "propto" => ("∝", Rel),
        "ll" => ("≪", Rel),
        "gg" => ("≫", Rel),
        "lll" => ("⋘", Rel),
        "ggg" => ("⋙", Rel),
        "in" => ("∈", Rel),
        "notin" => ("∉", Rel),
        "ni" | "owns" => ("∋", Rel),
        "subset" => ("⊂", Rel),
        "subseteq" => ("⊆", Rel),
        "subsetneq" => ("⊊", Rel),
        "supset" => ("⊃", Rel),
        "supseteq" => ("⊇", Rel),
        "supsetneq" => ("⊋", Rel),
        "sqsubseteq" => ("⊑", Rel),
        "sqsupseteq" => ("⊒", Rel),
        "nsubseteq" => ("⊈", Rel),
        "nsupseteq" => ("⊉", Rel),
        "perp" => ("⊥", Rel),
        "parallel" => ("∥", Rel),
        "nparallel" => ("∦", Rel),
        "mid" => ("∣", Rel),
        "nmid" => ("∤", Rel),
        "models" | "vDash" => ("⊨", Rel),
        "vdash" => ("⊢", Rel),
        "dashv" => ("⊣", Rel),
        "Vdash" => ("⊩", Rel),
        "coloneqq" => ("≔", Rel),
        "eqqcolon" => ("≕", Rel),
        "triangleq" => ("≜", Rel),
        "doteq" => ("≐", Rel),
        "asymp" => ("≍", Rel),
        "prec" => ("≺", Rel),
        "succ" => ("≻", Rel),
        "preceq" => ("⪯", Rel),
        "succeq" => ("⪰", Rel),
        "lesssim" => ("≲", Rel),
        "gtrsim" => ("≳", Rel),
        "nleq" => ("≰", Rel),
        "ngeq" => ("≱", Rel),
        "nless" => ("≮", Rel),
        "ngtr" => ("≯", Rel),
        "nsim" => ("≁", Rel),
        "ncong" => ("≇", Rel),
        "bowtie" => ("⋈", Rel),
        "to" | "rightarrow" => ("→", Rel),
        "gets" | "leftarrow" => ("←", Rel),
        "leftrightarrow" => ("↔", Rel),
        "Rightarrow" => ("⇒", Rel),
        "Leftarrow" => ("⇐", Rel),
        "Leftrightarrow" => ("⇔", Rel),
        "implies" | "Longrightarrow" => ("⟹", Rel),
        "impliedby" | "Longleftarrow" => ("⟸", Rel),
        "iff" | "Longleftrightarrow" => ("⟺", Rel),
        "mapsto" => ("↦", Rel),
        "longmapsto" => ("⟼", Rel),
        "longrightarrow" => ("⟶", Rel),
        "longleftarrow" => ("⟵", Rel),
        "longleftrightarrow" => ("⟷", Rel),
        "uparrow" => ("↑", Rel),
        "downarrow" => ("↓", Rel),
        "updownarrow" => ("↕", Rel),
        "Uparrow" => ("⇑", Rel),
        "Downarrow" => ("⇓", Rel),
        "Updownarrow" => ("⇕", Rel),
        "hookrightarrow" => ("↪", Rel),
        "hookleftarrow" => ("↩", Rel),
        "rightharpoonup" => ("⇀", Rel),
        "rightharpoondown" => ("⇁", Rel),
        "leftharpoonup" => ("↼", Rel),
        "leftharpoondown" => ("↽", Rel),
        "rightleftharpoons" => ("⇌", Rel),
        "nearrow" => ("↗", Rel),
        "searrow" => ("↘", Rel),
        "swarrow" => ("↙", Rel),
        "nwarrow" => ("↖", Rel),
        "leadsto" | "rightsquigarrow" => ("⇝", Rel),
        "twoheadrightarrow" => ("↠", Rel),
        "nrightarrow" => ("↛", Rel),
        "nRightarrow" => ("⇏", Rel),
        "nLeftrightarrow" => ("⇎", Rel),
        "sum" => ("∑", LargeOp),
        "prod" => ("∏", LargeOp),
        "coprod" => ("∐", LargeOp),
        "int" => ("∫", LargeOp),
        "iint" => ("∬", LargeOp),
        "iiint" => ("∭", LargeOp),
        "oint" => ("∮", LargeOp),
        "oiint" => ("∯", LargeOp),
        "bigcup" => ("⋃", LargeOp),
        "bigcap" => ("⋂", LargeOp),
        "bigoplus" => ("⨁", LargeOp),
        "bigotimes" => ("⨂", LargeOp),
        "bigodot" => ("⨀", LargeOp),
        "bigvee" => ("⋁", LargeOp),
        "bigwedge" => ("⋀", LargeOp),
        "bigsqcup" => ("⨆", LargeOp),
        "biguplus" => ("⨄", LargeOp),
        "ldots" | "dots" | "dotsc" | "dotso" => ("…", Dots),
        "cdots" | "dotsb" | "dotsm" | "dotsi" => ("⋯", Dots),
        "vdots" => ("⋮", Dots),
        "ddots" => ("⋱", Dots),
        "langle" => ("⟨", Open),
        "rangle" => ("⟩", Close),
        "lfloor" => ("⌊", Open),
        "rfloor" => ("⌋", Close),
        "lceil" => ("⌈", Open),
        "rceil" => ("⌉", Close),
        "lbrace" => ("{", Open),
        "rbrace" => ("}", Close),
        "lbrack" => ("[", Open),
        "rbrack" => ("]", Close),
        "lvert" => ("|", Open),
        "rvert" => ("|", Close),
        "lVert" => ("‖", Open),
        "rVert" => ("‖", Close),
        "llbracket" => ("⟦", Open),
        "rrbracket" => ("⟧", Close),
        "vert" => ("|", Fence),
        "Vert" => ("‖", Fence),
        "colon" => (":", Punct),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Formulas as they appear in maths, physics, machine-learning and computer-vision notes.
    const COURSE_NOTES: &[(&str, &str)] = &[
        // Probability and statistics
        (
            r"P(A \mid B) = \frac{P(B \mid A) P(A)}{P(B)}",
            "P(A ∣ B) = P(B ∣ A) P(A)/P(B)",
        ),
        (r"\mathbb{E}[X] = \sum_{x} x \, p(x)", "𝔼[X] = ∑ₓ x p(x)"),
        (r"X \sim \mathcal{N}(\mu, \sigma^2)", "X ∼ 𝒩(μ, σ²)"),
        (
            r"p(x) = \frac{1}{\sqrt{2\pi\sigma^2}} e^{-\frac{(x-\mu)^2}{2\sigma^2}}",
            "p(x) = 1/√(2πσ²) e^{-(x-μ)²/(2σ²)}",
        ),
        (
            r"P(A \cup B) = P(A) + P(B) - P(A \cap B)",
            "P(A ∪ B) = P(A) + P(B) - P(A ∩ B)",
        ),
        (r"\binom{n}{k} p^k (1-p)^{n-k}", r"\binom{n}{k} pᵏ (1-p)ⁿ⁻ᵏ"),
        (
            r"\hat{\theta}_{\text{MLE}} = \arg\max_{\theta} \prod_{i=1}^{n} p(x_i \mid \theta)",
            "θ\u{302}_{MLE} = arg max_{θ} ∏ᵢ₌₁ⁿ p(xᵢ ∣ θ)",
        ),
        (
            r"\operatorname{Cov}(X, Y) = \mathbb{E}[(X - \mu_X)(Y - \mu_Y)]",
            "Cov(X, Y) = 𝔼[(X - μ_X)(Y - μ_Y)]",
        ),
        (
            r"\operatorname{Var}(X) = \mathbb{E}[X^2] - \mathbb{E}[X]^2",
            "Var(X) = 𝔼[X²] - 𝔼[X]²",
        ),
        (
            r"\bar{x} = \frac{1}{n} \sum_{i=1}^{n} x_i",
            "x\u{304} = 1/n ∑ᵢ₌₁ⁿ xᵢ",
        ),
        (
            r"D_{KL}(P \| Q) = \sum_x P(x) \log \frac{P(x)}{Q(x)}",
            "D_{KL}(P ‖ Q) = ∑ₓ P(x) log P(x)/Q(x)",
        ),
        (r"H(X) = -\sum_{x} p(x) \log_2 p(x)", "H(X) = -∑ₓ p(x) log₂ p(x)"),
        (
            r"P(X = k) = \frac{\lambda^k e^{-\lambda}}{k!}",
            "P(X = k) = λᵏ e^{-λ}/k!",
        ),
        (r"\Pr[X \ge a] \le \frac{\mathbb{E}[X]}{a}", "Pr[X ≥ a] ≤ 𝔼[X]/a"),
        (
            r"\binom{n}{k} = \frac{n!}{k!(n-k)!}",
            r"\binom{n}{k} = n!/(k!(n-k)!)",
        ),
        // Linear algebra
        (r"A = U \Sigma V^T", "A = U ΣVᵀ"),
        (r"\det(A - \lambda I) = 0", "det(A - λI) = 0"),
        (r"A\mathbf{x} = \lambda \mathbf{x}", "A𝐱 = λ𝐱"),
        (r"\|x\|_2 = \sqrt{\sum_{i} x_i^2}", "‖x‖₂ = √(∑ᵢ xᵢ²)"),
        (r"\langle u, v \rangle = u^T v", "⟨ u, v ⟩ = uᵀ v"),
        (r"(AB)^{-1} = B^{-1} A^{-1}", "(AB)⁻¹ = B⁻¹ A⁻¹"),
        (
            r"\operatorname{rank}(A) + \dim \ker A = n",
            "rank(A) + dim ker A = n",
        ),
        (r"\mathbf{W} \in \mathbb{R}^{m \times n}", "𝐖 ∈ ℝ^{m × n}"),
        (r"u \perp v \iff u \cdot v = 0", "u ⊥ v ⟺ u · v = 0"),
        (
            r"\operatorname{tr}(AB) = \operatorname{tr}(BA)",
            "tr(AB) = tr(BA)",
        ),
        (r"\|w\|_2^2 = w^\top w", "‖w‖₂² = w^⊤ w"),
        (
            r"\boldsymbol{\Sigma}^{-1} (\mathbf{x} - \boldsymbol{\mu})",
            "𝚺⁻¹ (𝐱 - 𝛍)",
        ),
        (r"\hat{\mathbf{n}} \cdot \vec{v}", "𝐧\u{302} · v\u{20D7}"),
        // Calculus
        (r"\frac{d}{dx} \sin x = \cos x", "d/dx sin x = cos x"),
        (
            r"\int_a^b f'(x) \, dx = f(b) - f(a)",
            "∫ₐᵇ f′(x) dx = f(b) - f(a)",
        ),
        (
            r"\lim_{h \to 0} \frac{f(x+h) - f(x)}{h}",
            "lim_{h → 0} (f(x+h) - f(x))/h",
        ),
        (
            r"\frac{\partial^2 u}{\partial t^2} = c^2 \nabla^2 u",
            "∂² u/∂t² = c² ∇² u",
        ),
        (
            r"e^x = \sum_{k=0}^{\infty} \frac{x^k}{k!}",
            "eˣ = ∑_{k=0}^{∞} xᵏ/k!",
        ),
        (
            r"\int_{-\infty}^{\infty} e^{-x^2} \, dx = \sqrt{\pi}",
            "∫_{-∞}^{∞} e^{-x²} dx = √π",
        ),
        (r"f(x) \approx f(a) + f'(a)(x - a)", "f(x) ≈ f(a) + f′(a)(x - a)"),
        (
            r"\frac{dy}{dx} = \frac{dy}{du} \cdot \frac{du}{dx}",
            "dy/dx = dy/du · du/dx",
        ),
        (
            r"\nabla f(x, y) = \left( \frac{\partial f}{\partial x}, \frac{\partial f}{\partial y} \right)",
            "∇f(x, y) = ( ∂f/∂x, ∂f/∂y )",
        ),
        (
            r"\oint_C \vec{F} \cdot d\vec{r} = \iint_S (\nabla \times \vec{F}) \cdot d\vec{S}",
            "∮_C F\u{20D7} · dr\u{20D7} = ∬_S (∇ × F\u{20D7}) · dS\u{20D7}",
        ),
        (
            r"\lim_{n\to\infty} \left(1 + \frac{1}{n}\right)^n = e",
            "lim_{n→∞} (1 + 1/n)ⁿ = e",
        ),
        (
            r"\lim_{x \to 0} \frac{\sin x}{x} = 1",
            "lim_{x → 0} (sin x)/x = 1",
        ),
        // Gradient descent and machine learning
        (
            r"\theta_{t+1} = \theta_t - \eta \nabla_\theta J(\theta_t)",
            "θₜ₊₁ = θₜ - η∇_θ J(θₜ)",
        ),
        (
            r"w \gets w - \alpha \frac{\partial L}{\partial w}",
            "w ← w - α ∂L/∂w",
        ),
        (r"\sigma(z) = \frac{1}{1 + e^{-z}}", "σ(z) = 1/(1 + e⁻ᶻ)"),
        (
            r"\operatorname{softmax}(z)_i = \frac{e^{z_i}}{\sum_{j=1}^{K} e^{z_j}}",
            "softmax(z)ᵢ = e^{zᵢ}/(∑ⱼ₌₁ᴷ e^{zⱼ})",
        ),
        (
            r"\mathcal{L}(\theta) = -\frac{1}{N} \sum_{i=1}^{N} \log p(y^{(i)} \mid x^{(i)}; \theta)",
            "ℒ(θ) = -1/N ∑ᵢ₌₁ᴺ log p(y⁽ⁱ⁾ ∣ x⁽ⁱ⁾; θ)",
        ),
        (
            r"\operatorname{Attention}(Q, K, V) = \operatorname{softmax}\left(\frac{QK^T}{\sqrt{d_k}}\right)V",
            "Attention(Q, K, V) = softmax(QKᵀ/√dₖ)V",
        ),
        (
            r"L = -\sum_{c=1}^{C} y_c \log \hat{y}_c",
            "L = -∑_{c=1}^{C} y_c log y\u{302}_c",
        ),
        (
            r"\hat{y} = \sigma(\mathbf{w}^T \mathbf{x} + b)",
            "y\u{302} = σ(𝐰ᵀ 𝐱 + b)",
        ),
        (
            r"h_t = \tanh(W_{hh} h_{t-1} + W_{xh} x_t)",
            "hₜ = tanh(Wₕₕ hₜ₋₁ + Wₓₕ xₜ)",
        ),
        (
            r"J(w) = \frac{1}{2m} \sum_{i=1}^{m} (h_w(x^{(i)}) - y^{(i)})^2 + \frac{\lambda}{2} \|w\|^2",
            "J(w) = 1/(2m) ∑ᵢ₌₁ᵐ (h_w(x⁽ⁱ⁾) - y⁽ⁱ⁾)² + λ/2 ‖w‖²",
        ),
        (
            r"\mathbf{x}_{t+1} = \mathbf{x}_t - \eta \nabla f(\mathbf{x}_t)",
            "𝐱ₜ₊₁ = 𝐱ₜ - η∇f(𝐱ₜ)",
        ),
        (
            r"\text{precision} = \frac{TP}{TP + FP}",
            "precision = TP/(TP + FP)",
        ),
        (
            r"m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t",
            "mₜ = β₁ mₜ₋₁ + (1 - β₁) gₜ",
        ),
        (
            r"\hat{m}_t = \frac{m_t}{1 - \beta_1^t}",
            "m\u{302}ₜ = mₜ/(1 - β₁ᵗ)",
        ),
        (
            r"\frac{1}{n} \sum_{i=1}^{n} (y_i - \hat{y}_i)^2",
            "1/n ∑ᵢ₌₁ⁿ (yᵢ - y\u{302}ᵢ)²",
        ),
        (r"\operatorname{ReLU}(x) = \max(0, x)", "ReLU(x) = max(0, x)"),
        (r"y = \alpha x + \beta", "y = αx + β"),
        // Convolution and computer vision
        (
            r"(f * g)(t) = \int f(\tau) g(t - \tau) \, d\tau",
            "(f * g)(t) = ∫ f(τ) g(t - τ) dτ",
        ),
        (
            r"(I * K)(i, j) = \sum_{m} \sum_{n} I(i+m, j+n) K(m, n)",
            "(I * K)(i, j) = ∑ₘ ∑ₙ I(i+m, j+n) K(m, n)",
        ),
        (r"\|\nabla I\| = \sqrt{I_x^2 + I_y^2}", "‖∇I‖ = √(Iₓ² + I_y^2)"),
        (r"\mathbf{x}' = H \mathbf{x}", "𝐱′ = H 𝐱"),
        (
            r"\lambda \begin{bmatrix} u \\ v \\ 1 \end{bmatrix} = K [R \mid t] \mathbf{X}",
            r"λ \begin{bmatrix} u \\ v \\ 1 \end{bmatrix} = K [R ∣ t] 𝐗",
        ),
        (
            r"G(x, y) = \frac{1}{2\pi\sigma^2} e^{-\frac{x^2 + y^2}{2\sigma^2}}",
            "G(x, y) = 1/(2πσ²) e^{-(x² + y²)/(2σ²)}",
        ),
        (
            r"\theta = \arctan\left(\frac{G_y}{G_x}\right)",
            "θ = arctan(G_y/Gₓ)",
        ),
        (
            r"\text{IoU} = \frac{|A \cap B|}{|A \cup B|}",
            "IoU = |A ∩ B|/|A ∪ B|",
        ),
        // Algorithms and big-O
        (
            r"T(n) = 2T(n/2) + O(n) = O(n \log n)",
            "T(n) = 2T(n/2) + O(n) = O(n log n)",
        ),
        (r"\mathcal{O}(n^2)", "𝒪(n²)"),
        (
            r"f(n) = \Theta(g(n)) \iff f \in O(g) \land f \in \Omega(g)",
            "f(n) = Θ(g(n)) ⟺ f ∈ O(g) ∧ f ∈ Ω(g)",
        ),
        (r"\sum_{i=1}^{n} i = \frac{n(n+1)}{2}", "∑ᵢ₌₁ⁿ i = n(n+1)/2"),
        (r"\lfloor \log_2 n \rfloor + 1", "⌊ log₂ n ⌋ + 1"),
        (r"a \equiv b \pmod{m}", "a ≡ b (mod m)"),
        (r"\gcd(a, b) = \gcd(b, a \bmod b)", "gcd(a, b) = gcd(b, a mod b)"),
        (r"a_{n} = a_{n-1} + a_{n-2}", "aₙ = aₙ₋₁ + aₙ₋₂"),
        // Sets and logic
        (
            r"A \subseteq B \iff \forall x \in A, x \in B",
            "A ⊆ B ⟺ ∀x ∈ A, x ∈ B",
        ),
        (r"\{x \in \mathbb{R} : x^2 < 2\}", "{x ∈ ℝ : x² < 2}"),
        (
            r"\neg (p \land q) \equiv \neg p \lor \neg q",
            "¬(p ∧ q) ≡ ¬p ∨ ¬q",
        ),
        (
            r"\mathbb{N} \subset \mathbb{Z} \subset \mathbb{Q} \subset \mathbb{R} \subset \mathbb{C}",
            "ℕ ⊂ ℤ ⊂ ℚ ⊂ ℝ ⊂ ℂ",
        ),
        (
            r"A \setminus B = \{x \mid x \in A \land x \notin B\}",
            "A ∖ B = {x ∣ x ∈ A ∧ x ∉ B}",
        ),
        (r"|A \times B| = |A| \cdot |B|", "|A × B| = |A| · |B|"),
        (
            r"\forall \epsilon > 0 \, \exists \delta > 0 : |x - a| < \delta \implies |f(x) - f(a)| < \epsilon",
            "∀ϵ > 0 ∃δ > 0 : |x - a| < δ ⟹ |f(x) - f(a)| < ϵ",
        ),
        (r"2^{\aleph_0} = |\mathcal{P}(\mathbb{N})|", "2^{ℵ₀} = |𝒫(ℕ)|"),
        (r"f: X \to Y, \; x \mapsto x^2", "f: X → Y, x ↦ x²"),
        (r"\exists x \notin S", "∃x ∉ S"),
        // Physics
        (r"E = mc^2", "E = mc²"),
        (r"F = G \frac{m_1 m_2}{r^2}", "F = G m₁ m₂/r²"),
        (
            r"i\hbar \frac{\partial}{\partial t} \Psi = \hat{H} \Psi",
            "iℏ ∂/∂t Ψ = H\u{302} Ψ",
        ),
        (
            r"\nabla \cdot \vec{E} = \frac{\rho}{\epsilon_0}",
            "∇ · E\u{20D7} = ρ/ϵ₀",
        ),
        (r"\Delta x \, \Delta p \geq \frac{\hbar}{2}", "Δx Δp ≥ ℏ/2"),
        (
            r"v = v_0 + at, \quad x = x_0 + v_0 t + \tfrac{1}{2} a t^2",
            "v = v₀ + at, x = x₀ + v₀ t + 1/2 a t²",
        ),
        (r"T = 2\pi \sqrt{\frac{L}{g}}", "T = 2π√(L/g)"),
        (r"\omega = 2\pi f", "ω = 2πf"),
        (r"\theta = 45^{\circ}", "θ = 45°"),
        (r"\vec{F} = m\vec{a}", "F\u{20D7} = ma\u{20D7}"),
        (r"x(t) = A \cos(\omega t + \varphi)", "x(t) = A cos(ωt + φ)"),
    ];

    /// One feature each.
    const FEATURES: &[(&str, &str)] = &[
        // Greek letters
        (r"\alpha + \beta = \gamma", "α + β = γ"),
        (r"\epsilon > 0, \varepsilon < \delta", "ϵ > 0, ε < δ"),
        (r"\phi \ne \varphi", "ϕ ≠ φ"),
        (
            r"\Gamma, \Delta, \Theta, \Lambda, \Xi, \Pi, \Sigma, \Upsilon, \Phi, \Psi, \Omega",
            "Γ, Δ, Θ, Λ, Ξ, Π, Σ, Υ, Φ, Ψ, Ω",
        ),
        (r"\vartheta, \varrho, \varsigma, \varpi", "ϑ, ϱ, ς, ϖ"),
        // Whitespace: a command name ends at the first non-letter, the space after it is syntax
        (r"\alpha\beta", "αβ"),
        (r"\alpha x", "αx"),
        (r"a + b", "a + b"),
        (r"a+b", "a+b"),
        (r"x = \pm 1", "x = ±1"),
        ("a  +\n  b", "a + b"),
        // Alphabets
        (r"\mathbb{E}[X]", "𝔼[X]"),
        (r"\mathbb{1}_{y=k}", "𝟙_{y=k}"),
        (r"\mathbb{R}^d", "ℝᵈ"),
        (r"\mathcal{L} + \mathcal{h}", r"ℒ + \mathcal{h}"),
        (r"\mathfrak{g} \oplus \mathfrak{h}", "𝔤 ⊕ 𝔥"),
        (r"\mathbf{v} + \boldsymbol{\mu}", "𝐯 + 𝛍"),
        (r"\mathbb{R}^{\mathcal{X}}", "ℝ^{𝒳}"),
        // Operators and relations
        (r"a \leq b \geq c \neq d", "a ≤ b ≥ c ≠ d"),
        (r"x \approx y \equiv z", "x ≈ y ≡ z"),
        (r"a \times b \cdot c \div d \pm e \mp f", "a × b · c ÷ d ± e ∓ f"),
        (r"\infty, \partial, \nabla, \ell, \hbar", "∞, ∂, ∇, ℓ, ℏ"),
        (
            r"x \in A \notin B \subset C \subseteq D \supset E \supseteq F",
            "x ∈ A ∉ B ⊂ C ⊆ D ⊃ E ⊇ F",
        ),
        (r"\forall x \exists y \nexists z", "∀x ∃y ∄z"),
        (r"A \oplus B \otimes C \circ D", "A ⊕ B ⊗ C ∘ D"),
        (r"a \sim b \simeq c \cong d \propto e", "a ∼ b ≃ c ≅ d ∝ e"),
        (r"u \perp v \parallel w", "u ⊥ v ∥ w"),
        (r"\sum \prod \int \oint", "∑ ∏ ∫ ∮"),
        (r"x \not\in S", "x ∉ S"),
        (r"a \not= b", "a ≠ b"),
        (r"A \not\subset B", "A ⊄ B"),
        // Arrows
        (r"a \to b \gets c", "a → b ← c"),
        (r"p \implies q \iff r", "p ⟹ q ⟺ r"),
        (r"A \Rightarrow B \Leftarrow C \Leftrightarrow D", "A ⇒ B ⇐ C ⇔ D"),
        (r"a \rightarrow b \leftarrow c \leftrightarrow d", "a → b ← c ↔ d"),
        (r"x \mapsto y, \uparrow \downarrow", "x ↦ y, ↑ ↓"),
        // Dots and spacing
        (r"x_1, \ldots, x_n", "x₁, …, xₙ"),
        (r"a_1 + \cdots + a_n", "a₁ + ⋯ + aₙ"),
        (r"1, 2, \dots, n", "1, 2, …, n"),
        (r"a \, b \; c \quad d \qquad e", "a b c d e"),
        (r"a\!b", "ab"),
        (r"f(x)\,dx", "f(x) dx"),
        // Delimiters
        (r"\left( x \right)", "( x )"),
        (r"\left\{ x \right\}", "{ x }"),
        (r"\bigl[ a \bigr]", "[ a ]"),
        (r"\langle x, y \rangle", "⟨ x, y ⟩"),
        (r"\lfloor x \rfloor + \lceil y \rceil", "⌊ x ⌋ + ⌈ y ⌉"),
        (r"\left. \frac{df}{dx} \right|_{x=0}", "df/dx |ₓ₌₀"),
        (r"\{x \mid x > 0\}", "{x ∣ x > 0}"),
        (r"\|x\|", "‖x‖"),
        // Scripts
        (r"x^2", "x²"),
        (r"a_i", "aᵢ"),
        (r"x_{ij}", "xᵢⱼ"),
        (r"e^{-x}", "e⁻ˣ"),
        (r"x^{n+1}", "xⁿ⁺¹"),
        (r"x^{n - 1}", "xⁿ⁻¹"),
        (r"e^{i\theta}", "eⁱᶿ"),
        (r"e^{\phi} + e^{\varphi}", "e^{ϕ} + eᵠ"),
        (r"a_{\theta} + a_\theta", "a_{θ} + a_θ"),
        (r"x_{i,j}", "x_{i,j}"),
        (r"I_y^2", "I_y^2"),
        (r"e^{x^2}", "e^{x²}"),
        (r"x^{0.5}", "x^{0.5}"),
        (r"\theta^*", "θ^*"),
        (r"x^\top y", "x^⊤ y"),
        (r"{(a+b)}^{2}", "(a+b)²"),
        (r"{}^{14}C", "¹⁴C"),
        (r"90^\circ", "90°"),
        (r"f'(x) + f''(x)", "f′(x) + f″(x)"),
        (r"y^{\prime}", "y′"),
        (r"\sum\limits_{i=1}^n i", "∑ᵢ₌₁ⁿ i"),
        (
            r"T_{\text{total}} + L_{\text{CE}} + k^{\text{th}}",
            "Tₜₒₜₐₗ + L_{CE} + kᵗʰ",
        ),
        (r"x_{\max}", "xₘₐₓ"),
        // Fractions
        (r"\frac{1}{2}", "1/2"),
        (r"\frac{a+b}{c}", "(a+b)/c"),
        (r"\frac{a}{b+c}", "a/(b+c)"),
        (r"\frac12", "1/2"),
        (r"\frac{1}{2\pi}", "1/(2π)"),
        (r"\frac{\frac{1}{2}}{3}", "(1/2)/3"),
        (r"\frac{1}{2}x^2", "(1/2)x²"),
        (r"\frac{1}{2}\frac{3}{4}", "(1/2)(3/4)"),
        (r"\frac{a}{b}^2", "(a/b)²"),
        (r"\frac{a+b}{2c}x", "((a+b)/(2c))x"),
        (r"\left(\frac{a}{b}\right)^2", "(a/b)²"),
        (r"\dfrac{a}{b} + \tfrac{1}{4}", "a/b + 1/4"),
        (r"\frac{-b \pm \sqrt{b^2 - 4ac}}{2a}", "(-b ± √(b² - 4ac))/(2a)"),
        (r"e^{-\frac{x^2}{2}}", "e^{-x²/2}"),
        // Roots
        (r"\sqrt{x}", "√x"),
        (r"\sqrt{x+1}", "√(x+1)"),
        (r"\sqrt{x^2}", "√(x²)"),
        (r"\sqrt{d_k}", "√dₖ"),
        (r"\sqrt[3]{8} = 2", "∛8 = 2"),
        (r"\sqrt[4]{x}", "∜x"),
        (r"\sqrt[n]{x} + \sqrt[q]{x}", r"ⁿ√x + \sqrt[q]{x}"),
        // Accents
        (r"\hat{x}", "x\u{302}"),
        (r"\bar{x}", "x\u{304}"),
        (r"\tilde{x}", "x\u{303}"),
        (r"\vec{v}", "v\u{20D7}"),
        (r"\dot{x} + \ddot{x}", "x\u{307} + x\u{308}"),
        (r"\hat{\theta}", "θ\u{302}"),
        (r"\hat{\sigma}^2", "σ\u{302}²"),
        (r"\bar{xy}", r"\bar{xy}"),
        (r"\overline{z} + \overline{AB}", "z\u{305} + \\overline{AB}"),
        // Text and function names
        (r"\text{if } x > 0", "if x > 0"),
        (r"f(x) = 0 \quad \text{otherwise}", "f(x) = 0 otherwise"),
        (r"\mathrm{d}x", "dx"),
        (r"\operatorname*{argmin}_{w}", "argmin_{w}"),
        (r"\log x + \ln(1 + x) + \exp(-x)", "log x + ln(1 + x) + exp(-x)"),
        (r"\sin^2\theta + \cos^2\theta = 1", "sin² θ + cos² θ = 1"),
        (r"\max_x f(x) + \min(a, b)", "maxₓ f(x) + min(a, b)"),
        (r"\arg\max", "arg max"),
        (r"\det A", "det A"),
        // Escapes
        (r"\text{cost} = \$5", "cost = $5"),
        (r"100\% \text{ of } \#S", "100% of #S"),
        // Unknown commands and environments stay as written
        (r"\Alpha", r"\Alpha"),
        (r"\alphabet + \alpha", r"\alphabet + α"),
        (r"\boxed{\alpha}", r"\boxed{\alpha}"),
        (r"\overbrace{a + b}^{n}", r"\overbrace{a + b}^{n}"),
        (r"\color{red}{x}", r"\color{red}{x}"),
        (r"\argmax_x f(x)", r"\argmax_x f(x)"),
        (r"A \not\prec B", r"A \not\prec B"),
        (r"\text{\alpha}", r"\text{\alpha}"),
        (
            r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
            r"\begin{pmatrix} 1 & 0 \\ 0 & 1 \end{pmatrix}",
        ),
    ];

    fn check(table: &[(&str, &str)]) {
        let wrong: Vec<String> = table
            .iter()
            .filter_map(|&(latex, expected)| {
                let got = to_unicode(latex);
                (got != expected).then(|| format!("{latex}\n   expected {expected:?}\n   got      {got:?}"))
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{} of {} wrong:\n{}",
            wrong.len(),
            table.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn converts_course_notes() {
        check(COURSE_NOTES);
    }

    #[test]
    fn converts_each_feature() {
        check(FEATURES);
    }

    /// The LaTeX of each formula found, and whether it is display math; also checks that every
    /// range lies on character boundaries, in order, inside the text.
    fn found(text: &str) -> Vec<(&str, bool)> {
        let mut end = 0;
        spans(text)
            .into_iter()
            .map(|span| {
                for at in [span.outer.start, span.outer.end, span.latex.start, span.latex.end] {
                    assert!(text.is_char_boundary(at), "{at} in {text:?}");
                }
                assert!(end <= span.outer.start && span.outer.start < span.latex.start);
                assert!(span.latex.start <= span.latex.end && span.latex.end < span.outer.end);
                end = span.outer.end;
                (&text[span.latex], span.display)
            })
            .collect()
    }

    #[test]
    fn dollars_of_currency_are_not_math() {
        for text in [
            "It costs $5 and $10",
            "$5-$10",
            "$20,000 and $30,000",
            "US$5 or US$10",
            "$1,000–$2,000",
            "$x$5",
            "5$ per item, 10$ per box",
            "a lone $ sign",
            "$ x $",
            "$x $",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
        assert_eq!(found("between $10 and 30$ a day"), [("10 and 30", false)]);
        assert_eq!(found("$5$"), [("5", false)]);
    }

    #[test]
    fn escaped_dollars_are_literal() {
        assert_eq!(found(r"\$5 and \$10"), []);
        assert_eq!(found(r"$\$5$"), [(r"\$5", false)]);
        assert_eq!(found(r"\$x$ y$"), []);
        assert_eq!(found(r"pay \\$x$"), [("x", false)]);
    }

    #[test]
    fn unclosed_delimiters_are_text() {
        for text in [
            "$x",
            "echo $HOME",
            "$$x",
            "$$x$",
            r"\(x",
            r"\[x",
            r"\(x\]",
            "$",
            "$$",
            "x$",
            "$$$$",
            r"\(\)",
        ] {
            assert_eq!(found(text), [], "{text}");
        }
    }

    #[test]
    fn finds_display_math() {
        assert_eq!(found(r"$$ \sum_i x_i $$"), [(r" \sum_i x_i ", true)]);
        assert_eq!(found("$$x^2$$"), [("x^2", true)]);
        assert_eq!(found("so\n$$\na = b\n$$\nthen"), [("\na = b\n", true)]);
        assert_eq!(found(r"\[ x \]"), [(" x ", true)]);
        assert_eq!(found("\\[\n\\frac{a}{b}\n\\]"), [("\n\\frac{a}{b}\n", true)]);
        assert_eq!(found(r"\( x \) and \(y\)"), [(" x ", false), ("y", false)]);
        let text = "a $$b$$ c";
        assert_eq!(
            spans(text),
            [MathSpan {
                outer: 2..7,
                latex: 4..5,
                display: true
            }]
        );
    }

    #[test]
    fn blank_lines_end_math() {
        assert_eq!(found("$a\nb$"), [("a\nb", false)]);
        assert_eq!(found("$a\n\nb$"), []);
        assert_eq!(found("$a\n  \t\nb$"), []);
        assert_eq!(found("$$a\n\nb$$"), []);
        assert_eq!(found("\\(a\n\nb\\)"), []);
        assert_eq!(found("$a$\n\n$b$"), [("a", false), ("b", false)]);
    }

    #[test]
    fn adjacent_spans_and_punctuation() {
        assert_eq!(found("$x$ and $y$"), [("x", false), ("y", false)]);
        assert_eq!(found("$a$$b$"), [("a", false), ("b", false)]);
        assert_eq!(found("$x$,$y$"), [("x", false), ("y", false)]);
        assert_eq!(
            found(r"\(a\)\(b\)$c$"),
            [("a", false), ("b", false), ("c", false)]
        );
        assert_eq!(found("($x$)"), [("x", false)]);
        assert_eq!(found("\"$x$\"."), [("x", false)]);
        assert_eq!(
            found("the $n$th term, the $x$-axis"),
            [("n", false), ("x", false)]
        );
        assert_eq!(found("foo$x$bar"), [("x", false)]);
        assert_eq!(found("$x$ and 3$"), [("x", false)]);
    }

    #[test]
    fn math_at_the_edges_of_the_text() {
        assert_eq!(
            spans("$x$"),
            [MathSpan {
                outer: 0..3,
                latex: 1..2,
                display: false
            }]
        );
        assert_eq!(found("$x$ starts"), [("x", false)]);
        assert_eq!(found("ends $x$"), [("x", false)]);
        assert_eq!(found("ends with $"), []);
        assert_eq!(found("$ starts"), []);
    }

    #[test]
    fn braces_hide_dollars() {
        assert_eq!(found(r"$\text{a $b$ c}$"), [(r"\text{a $b$ c}", false)]);
        assert_eq!(found("{cost $5} and $x$"), [("x", false)]);
        assert_eq!(found("${a$"), [("{a", false)]);
    }

    #[test]
    fn multibyte_text_around_math() {
        let text = "é $x$ 漢字 $\\alpha$é 🎉$y$🎉 $漢$ $é $";
        assert_eq!(
            found(text),
            [("x", false), ("\\alpha", false), ("y", false), ("漢", false)]
        );
        assert_eq!(render(text), "é x 漢字 αé 🎉y🎉 漢 $é $");
        assert_eq!(found("🎉$$ä$$🎉\\(ü\\)"), [("ä", true), ("ü", false)]);
    }

    #[test]
    fn renders_text_with_math() {
        assert_eq!(render("It costs $5 and $10"), "It costs $5 and $10");
        assert_eq!(
            render(r"Let $x \in \mathbb{R}$ and $$\sum_i x_i$$."),
            "Let x ∈ ℝ and ∑ᵢ xᵢ."
        );
        assert_eq!(render(r"\(\alpha\) and \[\beta\]"), "α and β");
        assert_eq!(render(r"see $\frac{a}{$ here"), r"see $\frac{a}{$ here");
        assert_eq!(render(r"\$5, $x^2$, \$6"), r"\$5, x², \$6");
        assert_eq!(render(""), "");
    }

    /// Input that does not parse: each comes back exactly as written.
    const MALFORMED: &[&str] = &[
        r"\frac{a}{",
        r"x^{",
        r"\sqrt",
        "}",
        "a}b",
        "{",
        "x^",
        "x_",
        "a^^b",
        "\\",
        r"\frac",
        r"\frac{a}",
        r"\left",
        r"\left\alpha",
        r"\hat",
        r"\mathbb",
        r"\operatorname",
        r"\sqrt[3",
        r"\text{abc",
        r"\begin{matrix} a",
        r"\begin",
        r"\foo{",
        r"\foo[",
        r"\foo^",
        r"a_{b}}",
        r"\frac{\alpha}{\beta",
        "é^{漢",
    ];

    #[test]
    fn malformed_input_is_kept_whole() {
        for &latex in MALFORMED {
            assert_eq!(to_unicode(latex), latex);
            let text = format!("before ${latex}$ after");
            assert_eq!(render(&text), text);
        }
    }

    /// Whether every non-space character of `kept` occurs in `output` at least as often.
    fn keeps_characters(kept: &str, output: &str) -> bool {
        let mut remaining: Vec<char> = output.chars().collect();
        kept.chars()
            .filter(|c| !c.is_whitespace())
            .all(|c| match remaining.iter().position(|&r| r == c) {
                Some(at) => {
                    remaining.swap_remove(at);
                    true
                }
                None => false,
            })
    }

    #[test]
    fn unknown_commands_survive_verbatim() {
        for (latex, unknown) in [
            (r"\foo{a}{b} + \alpha", r"\foo{a}{b}"),
            (r"x = \mathscr{A} + \boxed{\frac{1}{2}}", r"\boxed{\frac{1}{2}}"),
            (r"\cancel{x} \cdot y", r"\cancel{x}"),
            (r"\xrightarrow[a]{b} c", r"\xrightarrow[a]{b}"),
            (r"\underbrace{a+b}_{2} = c", r"\underbrace{a+b}_{2}"),
            (r"a \\ b", r"\\"),
            (r"\foo x", r"\foo x"),
        ] {
            let output = to_unicode(latex);
            assert!(output.contains(unknown), "{latex} gave {output}");
            assert!(keeps_characters(unknown, &output));
        }
    }

    /// A small deterministic fuzzer: fragments of LaTeX glued at random.
    fn fuzz_inputs() -> Vec<String> {
        let fragments: Vec<&str> = concat!(
            r"\frac { } ^ _ \left( \right) \left \sqrt [ ] x \alpha \text{ \begin{a} \end{a} ' $ $$ \ é 漢 🎉",
            r" \hat \mathbb \not \foo & \\ \, \operatorname* 1 + = \pmod | \| \{ \} \( \) \[ \]",
            r" \limits ~ \sum \log - ( )"
        )
        .split(' ')
            .chain([" ", "\n"])
            .collect();
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..20_000)
            .map(|_| {
                let len = next() % 12;
                (0..len)
                    .map(|_| {
                        fragments
                            .get((next() % fragments.len() as u64) as usize)
                            .copied()
                            .unwrap_or_default()
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn random_input_never_panics_or_loses_text() {
        for input in fuzz_inputs() {
            let output = to_unicode(&input);
            if convert(&input).is_none() {
                assert_eq!(output, input);
            }
            found(&input);
            render(&input);
        }
    }

    #[test]
    fn deep_nesting_is_kept_as_source() {
        for latex in [
            "{".repeat(100_000) + &"}".repeat(100_000),
            r"\hat".repeat(10_000) + "x",
            r"\sqrt".repeat(10_000) + "x",
        ] {
            assert_eq!(to_unicode(&latex), latex);
        }
        let nested = r"\frac{".repeat(5) + "x" + &"}{y}".repeat(5);
        assert_eq!(to_unicode(&nested), "((((x/y)/y)/y)/y)/y");
    }

    /// About a megabyte of `pattern`.
    fn megabyte(pattern: &str) -> String {
        pattern.repeat(1_000_000 / pattern.len())
    }

    /// These finish only because the search is linear: each would take hours if every failed
    /// opener rescanned the rest of the text.
    #[test]
    fn adversarial_megabytes_take_linear_time() {
        assert!(spans(&megabyte("$a ")).is_empty());
        for pattern in [
            "\\(", "\\[", "$$x", "{$a}", "${", "$a{", "\\($", "$\\{", "{{$", "}$a",
        ] {
            let text = megabyte(pattern);
            found(&text);
            render(&text);
        }
        assert_eq!(spans(&megabyte("$a$ ")).len(), 250_000);
        for pattern in [
            r"\frac{",
            "x^{",
            r"\alpha ",
            r"\left( ",
            r"\begin{a}",
            r"\text{",
            r"\foo[",
            r"\not",
            "'",
            "x^2_3 ",
            "} ",
        ] {
            to_unicode(&megabyte(pattern));
        }
    }
}
