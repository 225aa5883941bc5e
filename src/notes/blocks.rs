//! The cards that are blocks of lines rather than a question and its answer, found line by
//! line the same way in plain text and Markdown (as the Obsidian Spaced Repetition plugin
//! reads them):
//!
//! - a one-line card, `front :: back` (see [`one_line`](super::one_line));
//! - a card over several lines: a line that is just `?` (or `??`, for the card both ways)
//!   between the front (the lines above it) and the back (the lines below), the card being
//!   the block of lines touching the separator: no blank line, heading or one-line card inside;
//! - a cloze text: in Markdown the block of lines holding a deletion, in plain text the line.
//!
//! Code (fenced, indented in Markdown, `$$` math blocks) and HTML comments are inert: nothing
//! in them is syntax, and a blank line inside a fence does not end a card. The format parsers
//! read everything outside these regions as before, and decide whether a cloze text is one
//! (it is not when it is already a question or part of an answer).

use std::ops::Range;

use super::cloze::{self, Forms};
use super::images;
use super::one_line::{self, OneLine};
use super::spans::{Protected, has_pair};
use super::tags;

/// What kind of notes are scanned.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Syntax {
    pub(crate) markdown: bool,
    /// The notes carry a `#flashcards` tag: written for the plugin.
    pub(crate) tagged: bool,
    /// `**bold**` is a cloze deletion.
    pub(crate) bold_cloze: bool,
}

impl Syntax {
    /// The cloze forms these notes use besides Anki's.
    pub(crate) fn cloze_forms(&self) -> Forms {
        Forms {
            highlight: self.markdown,
            curly: self.tagged,
            bold: self.bold_cloze,
        }
    }
}

/// What a line is, before card syntax is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Blank,
    /// Inside (or opening or closing) a fence, indented code or a `$$` block: kept verbatim.
    Code,
    /// An HTML comment outside any text (Markdown): never part of a card.
    Comment,
    /// A progress comment of its own, `<!--SR:…-->`.
    Progress,
    Text,
}

/// Tells the role of each line in turn, following fences, comments and math blocks.
pub(crate) struct Classifier {
    markdown: bool,
    /// The open fence: its character and length.
    fence: Option<(u8, usize)>,
    comment: bool,
    math: bool,
    indented_code: bool,
    /// Inside an HTML block that runs to a blank line (Markdown): no fence or math opens there.
    html: bool,
    previous_blank: bool,
}

impl Classifier {
    pub(crate) fn new(markdown: bool) -> Classifier {
        Classifier {
            markdown,
            fence: None,
            comment: false,
            math: false,
            indented_code: false,
            html: false,
            previous_blank: true,
        }
    }

    pub(crate) fn role(&mut self, line: &str) -> Role {
        if self.comment {
            self.comment = !line.contains("-->");
            return Role::Comment;
        }
        if let Some((mark, length)) = self.fence {
            let trimmed = line.trim_start();
            let run = trimmed.bytes().take_while(|&b| b == mark).count();
            if run >= length && trimmed[run..].trim().is_empty() {
                self.fence = None;
            }
            return Role::Code;
        }
        let indent = indent(line);
        let trimmed = &line[indent..];
        if trimmed.trim_start().is_empty() {
            self.previous_blank = true;
            self.indented_code = false;
            self.math = false;
            self.html = false;
            return Role::Blank;
        }
        let after_blank = std::mem::replace(&mut self.previous_blank, false);
        if self.math {
            self.math = !line.contains("$$");
            return Role::Code;
        }
        let indented = line.starts_with('\t') || indent >= 4;
        if self.markdown && indented && !self.html && (after_blank || self.indented_code) {
            self.indented_code = true;
            return Role::Code;
        }
        self.indented_code = false;
        // Only a few first characters open anything: the common line is text at once.
        match trimmed.as_bytes()[0] {
            b'`' | b'~' if !self.html => {
                if let Some(fence) = fence_opener(trimmed) {
                    self.fence = Some(fence);
                    return Role::Code;
                }
            }
            b'<' if trimmed.starts_with(super::progress::OPENER) => return Role::Progress,
            b'<' if self.markdown && indent < 4 && trimmed.starts_with("<!--") => {
                self.comment = !trimmed[4..].contains("-->");
                return Role::Comment;
            }
            b'<' if self.markdown && indent < 4 && opens_html_block(trimmed) => self.html = true,
            b'$' if !self.html && trimmed.starts_with("$$") => {
                self.math = !trimmed[2..].contains("$$");
                return Role::Code;
            }
            _ => {}
        }
        Role::Text
    }
}

/// The tag names whose line opens an HTML block that runs to the next blank line, as
/// CommonMark lists them (its sixth kind of HTML block), sorted.
const BLOCK_TAGS: [&str; 62] = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Whether a line (its indent taken off) opens an HTML block that runs to the next blank
/// line: `<` or `</`, a block-level tag name, then a space, `>`, `/>` or the line's end.
/// pulldown-cmark reads the lines of such a block as HTML, so a fence there opens nothing.
fn opens_html_block(trimmed: &str) -> bool {
    let Some(rest) = trimmed.strip_prefix('<') else {
        return false;
    };
    let rest = rest.strip_prefix('/').unwrap_or(rest);
    let name = rest.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, after) = rest.split_at(name);
    let ends = after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    ends && BLOCK_TAGS
        .binary_search(&name.to_ascii_lowercase().as_str())
        .is_ok()
}

/// The length of the spaces and tabs that start `line`.
pub(crate) fn indent(line: &str) -> usize {
    line.bytes().take_while(|&b| b == b' ' || b == b'\t').count()
}

/// A fence opening on a line (` ``` ` or `~~~`, three or more): its character and length. A
/// backtick fence whose rest holds a backtick is inline code (` ```x``` `), not a fence.
fn fence_opener(trimmed: &str) -> Option<(u8, usize)> {
    let mark = *trimmed.as_bytes().first().filter(|&&b| b == b'`' || b == b'~')?;
    let length = trimmed.bytes().take_while(|&b| b == mark).count();
    let rest = &trimmed[length..];
    (length >= 3 && !(mark == b'`' && rest.contains('`'))).then_some((mark, length))
}

/// A region of lines (0-based) that the format parsers read as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Region {
    pub(crate) lines: Range<usize>,
    pub(crate) kind: Kind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A one-line card on the region's first line (the second, if any, is its progress).
    OneLine(OneLine),
    /// A card over several lines: the front is the lines before `separator`, the back after.
    MultiLine { separator: usize, reversed: bool },
    /// A text holding cloze deletions, unless it is a question or an answer.
    Cloze,
    /// A separator line that makes no card.
    Stray(Stray),
    /// A line of tags, which marks what follows and is no text of a card.
    Tags,
}

/// Why a separator line makes no card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stray {
    /// Nothing stands right above it.
    NoFront,
    /// It follows another separator in the same block.
    Second,
}

/// What the scan found: each line's role, the regions in order, the images, and the
/// progress comments that follow no card (0-based lines; Markdown reports them, while plain
/// text, which is not the plugin's format, keeps them as text).
#[derive(Debug, Default)]
pub(crate) struct Scan {
    pub(crate) roles: Vec<Role>,
    pub(crate) regions: Vec<Region>,
    pub(crate) images: Vec<images::Image>,
    pub(crate) stray_progress: Vec<usize>,
}

impl Scan {
    /// The lines of each region that makes cards.
    pub(crate) fn card_lines(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.regions
            .iter()
            .filter(|region| {
                matches!(
                    region.kind,
                    Kind::OneLine(_) | Kind::MultiLine { .. } | Kind::Cloze
                )
            })
            .map(|region| region.lines.clone())
    }

    /// The warnings about progress comments that follow no card.
    pub(crate) fn stray_progress_warnings(&self) -> impl Iterator<Item = super::Warning> + '_ {
        self.stray_progress.iter().map(|&index| super::Warning {
            line: Some(index + 1),
            message: "a progress comment that follows no card is ignored".to_string(),
        })
    }
}

/// Scans `lines` from line `from` (after a front matter). `boundary` tells the lines that end
/// a block and belong to none: headings (and in plain text the title line). In plain text it
/// is asked only where it matters (it may be costly), in Markdown for every line of text.
pub(crate) fn scan(lines: &[&str], from: usize, syntax: Syntax, boundary: &dyn Fn(usize) -> bool) -> Scan {
    let mut scanner = Scanner {
        lines,
        syntax,
        boundary,
        scan: Scan {
            roles: vec![Role::Code; lines.len()],
            ..Scan::default()
        },
        block: None,
        progress_goes_to: None,
    };
    let mut classifier = Classifier::new(syntax.markdown);
    for (index, line) in lines.iter().enumerate().skip(from) {
        let role = classifier.role(line);
        scanner.scan.roles[index] = role;
        scanner.line(index, role);
    }
    scanner.end_block(lines.len());
    scanner.scan
}

/// The lines since the last blank line (or other boundary).
struct Block {
    start: usize,
    /// Set once a separator was seen: where the front starts, the separator, its kind.
    card: Option<(usize, usize, bool)>,
    /// Markdown: the block holds a deletion. Plain text: the lines that do.
    cloze_lines: Vec<usize>,
    /// Its progress comments of their own lines.
    progress_lines: Vec<usize>,
}

struct Scanner<'a, 'b> {
    lines: &'a [&'a str],
    syntax: Syntax,
    boundary: &'b dyn Fn(usize) -> bool,
    scan: Scan,
    block: Option<Block>,
    /// The one-line card whose progress comment may be on the next line.
    progress_goes_to: Option<usize>,
}

impl Scanner<'_, '_> {
    fn line(&mut self, index: usize, role: Role) {
        let progress_goes_to = self.progress_goes_to.take();
        match role {
            Role::Blank => return self.end_block(index),
            Role::Comment => return,
            Role::Progress => {
                match (progress_goes_to, &mut self.block) {
                    (Some(at), _) => self.scan.regions[at].lines.end = index + 1,
                    (None, Some(block)) => block.progress_lines.push(index),
                    (None, None) => self.scan.stray_progress.push(index),
                }
                return;
            }
            Role::Code => return self.content(index),
            Role::Text => {}
        }
        let line = self.lines[index];
        let first = line.as_bytes()[indent(line)];
        let eager = self.syntax.markdown;
        if eager && (self.boundary)(index) {
            return self.end_block(index);
        }
        if first == b'#' && tags::only_tags(line) {
            self.end_block(index);
            return self.push(index..index + 1, Kind::Tags);
        }
        let in_back = self.block.as_ref().is_some_and(|block| block.card.is_some());
        if self.syntax.markdown
            && !in_back
            && matches!(first, b'=' | b'-' | b'*' | b'_')
            && is_underline_or_rule(line)
        {
            // The text above was a setext heading, or this is a thematic break.
            self.block = None;
            return;
        }
        if first == b'?'
            && let Some(reversed) = separator(line)
        {
            return self.separator(index, reversed);
        }
        if in_back {
            if !eager && (self.boundary)(index) {
                return self.end_block(index);
            }
            return self.text(index, line, None);
        }
        let triggers = Triggers::of(line, self.syntax);
        if !triggers.any() {
            return self.content(index);
        }
        if !eager && (self.boundary)(index) {
            return self.end_block(index);
        }
        let spans = Protected::of(line);
        if triggers.colons
            && let Some(split) = one_line::split(line, &spans, self.syntax.tagged)
        {
            self.end_block(index);
            self.progress_goes_to = Some(self.scan.regions.len());
            self.push(index..index + 1, Kind::OneLine(split));
            return self.images(index, line, &spans);
        }
        let cloze = triggers.cloze && !cloze::find(line, &spans, self.syntax.cloze_forms()).is_empty();
        self.text(index, line, Some(&spans));
        if cloze && let Some(block) = &mut self.block {
            block.cloze_lines.push(index);
        }
    }

    /// A line of text in a block: content, and maybe images.
    fn text(&mut self, index: usize, line: &str, spans: Option<&Protected>) {
        self.content(index);
        if has_pair(line.as_bytes(), *b"![") {
            match spans {
                Some(spans) => self.images(index, line, spans),
                None => self.images(index, line, &Protected::of(line)),
            }
        }
    }

    fn images(&mut self, index: usize, line: &str, spans: &Protected) {
        for path in images::in_line(line, spans) {
            self.scan.images.push(images::Image {
                line: index + 1,
                path: path.to_string(),
            });
        }
    }

    fn content(&mut self, index: usize) {
        if self.block.is_none() {
            self.block = Some(Block {
                start: index,
                card: None,
                cloze_lines: Vec::new(),
                progress_lines: Vec::new(),
            });
        }
    }

    fn separator(&mut self, index: usize, reversed: bool) {
        let Some(block) = &mut self.block else {
            return self.push(index..index + 1, Kind::Stray(Stray::NoFront));
        };
        if block.card.is_some() {
            self.end_block(index);
            return self.push(index..index + 1, Kind::Stray(Stray::Second));
        }
        let mut front = block.start;
        if !self.syntax.markdown {
            // Plain text asks about headings lazily: the front starts after the last one.
            if let Some(heading) = (block.start..index).rev().find(|&at| (self.boundary)(at)) {
                front = heading + 1;
            }
        }
        let roles = &self.scan.roles[front..index];
        if !roles.iter().any(|role| matches!(role, Role::Text | Role::Code)) {
            self.end_block(index);
            return self.push(index..index + 1, Kind::Stray(Stray::NoFront));
        }
        let before: Vec<usize> = block
            .cloze_lines
            .iter()
            .copied()
            .filter(|&line| line < front)
            .collect();
        block.card = Some((front, index, reversed));
        block.cloze_lines.clear();
        for line in before {
            self.push_cloze_line(line, front);
        }
    }

    fn end_block(&mut self, end: usize) {
        let Some(block) = self.block.take() else { return };
        let regions_before = self.scan.regions.len();
        if let Some((front, separator, reversed)) = block.card {
            self.push(front..end, Kind::MultiLine { separator, reversed });
        } else if self.syntax.markdown {
            if !block.cloze_lines.is_empty() {
                self.push(block.start..end, Kind::Cloze);
            }
        } else {
            for line in block.cloze_lines {
                self.push_cloze_line(line, end);
            }
        }
        // Both in order: one walk finds the progress lines outside the regions just made.
        let mut made = self.scan.regions[regions_before..].iter().peekable();
        for line in block.progress_lines {
            while made.next_if(|region| region.lines.end <= line).is_some() {}
            if !made.peek().is_some_and(|region| region.lines.contains(&line)) {
                self.scan.stray_progress.push(line);
            }
        }
    }

    /// A plain-text cloze line, with the progress comment on the next line if there is one
    /// before `end`.
    fn push_cloze_line(&mut self, line: usize, end: usize) {
        let with_progress = line + 1 < end && self.scan.roles[line + 1] == Role::Progress;
        self.push(line..line + 1 + usize::from(with_progress), Kind::Cloze);
    }

    fn push(&mut self, lines: Range<usize>, kind: Kind) {
        self.scan.regions.push(Region { lines, kind });
    }
}

/// A separator line: `?` (false) or `??` (true, the card both ways), indented by at most
/// three spaces (more is code in Markdown).
pub(crate) fn separator(line: &str) -> Option<bool> {
    let unindented = line.trim_start_matches(' ');
    if line.len() - unindented.len() > 3 {
        return None;
    }
    match unindented.trim_end() {
        "?" => Some(false),
        "??" => Some(true),
        _ => None,
    }
}

/// A Markdown setext underline (`===`, `---`) or thematic break (`***`, `___`, `- - -`).
fn is_underline_or_rule(line: &str) -> bool {
    let trimmed = line.trim();
    let Some(first) = trimmed.bytes().next() else {
        return false;
    };
    let marks = trimmed.bytes().filter(|&b| b != b' ' && b != b'\t');
    match first {
        b'=' | b'-' => {
            marks.clone().all(|b| b == first)
                && (first == b'=' || !trimmed.contains(' ') || marks.count() >= 3)
        }
        b'*' | b'_' => marks.clone().all(|b| b == first) && marks.count() >= 3,
        _ => false,
    }
}

/// What one quick look over the whole notes finds: whether they mention a `#flashcards` tag,
/// and whether they hold a `::` (also in Anki's `{{c1::`) or a `![`, the marks of every
/// format. Most lecture notes hold none. The search for `::` stops only at the pair itself,
/// not at every `:`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Survey {
    pub(crate) tag: bool,
    colons: bool,
    image: bool,
}

impl Survey {
    pub(crate) fn of(text: &str) -> Survey {
        let bytes = text.as_bytes();
        let mut survey = Survey {
            colons: memchr::memmem::Finder::new(b"::").find(bytes).is_some(),
            ..Survey::default()
        };
        for at in memchr::memchr2_iter(b'#', b'!', bytes) {
            if bytes[at] == b'#' {
                survey.tag |= tags::starts_at(text, at);
            } else {
                survey.image |= bytes.get(at + 1) == Some(&b'[');
            }
            if survey.tag && survey.image {
                break;
            }
        }
        survey
    }

    /// True when the notes may hold a card of this module (but one written around a separator
    /// line), a tag line or an image: they are tagged, hold a `::` or `![`, or a deletion of
    /// another form in use.
    pub(crate) fn holds_marks(&self, text: &str, syntax: Syntax) -> bool {
        let forms = syntax.cloze_forms();
        let found = |pair: &[u8]| memchr::memmem::Finder::new(pair).find(text.as_bytes()).is_some();
        syntax.tagged
            || self.colons
            || self.image
            || (forms.highlight && found(b"=="))
            || (forms.curly && found(b"{{"))
            || (forms.bold && found(b"**"))
    }
}

/// True when `text` holds a separator line.
pub(crate) fn holds_separator(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'?', bytes).any(|at| on_separator_line(bytes, at))
}

/// True when the `?` at `at` is on a separator line: at most three spaces before it on its
/// line, and after it at most one more `?` and white space.
fn on_separator_line(bytes: &[u8], at: usize) -> bool {
    let spaces = bytes[..at].iter().rev().take_while(|&&b| b == b' ').count();
    let start = at - spaces;
    let line_starts = start == 0 || matches!(bytes[start - 1], b'\n' | b'\r');
    if spaces > 3 || !line_starts {
        return false;
    }
    let rest = &bytes[at + 1..];
    let rest = rest.strip_prefix(b"?").unwrap_or(rest);
    let end = rest
        .iter()
        .position(|&b| b == b'\n' || b == b'\r')
        .unwrap_or(rest.len());
    // White space as `separator` trims it (Unicode's, a no-break space too); the slice ends
    // at an ASCII line end, so it is whole characters.
    std::str::from_utf8(&rest[..end]).is_ok_and(|after| after.trim().is_empty())
}

/// Which syntax a line may hold, told by a quick look at its bytes.
struct Triggers {
    colons: bool,
    cloze: bool,
    image: bool,
}

impl Triggers {
    fn of(line: &str, syntax: Syntax) -> Triggers {
        let bytes = line.as_bytes();
        let forms = syntax.cloze_forms();
        // `:` for `::` and Anki's `{{c1::`, `!` for images, and the first bytes of the other
        // deletion forms in use.
        let first_look = match (forms.highlight, forms.curly || forms.bold) {
            (false, false) => memchr::memchr2(b':', b'!', bytes).is_some(),
            (true, false) => memchr::memchr3(b':', b'!', b'=', bytes).is_some(),
            (highlight, true) => {
                memchr::memchr3(b':', b'!', b'{', bytes).is_some()
                    || (highlight && memchr::memchr(b'=', bytes).is_some())
                    || (forms.bold && memchr::memchr(b'*', bytes).is_some())
            }
        };
        if !first_look {
            return Triggers {
                colons: false,
                cloze: false,
                image: false,
            };
        }
        Triggers {
            colons: has_pair(bytes, *b"::"),
            cloze: cloze::may_hold(line, forms),
            image: has_pair(bytes, *b"!["),
        }
    }

    fn any(&self) -> bool {
        self.colons || self.cloze || self.image
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(text: &str, syntax: Syntax) -> Vec<(Range<usize>, Kind)> {
        let lines: Vec<&str> = super::super::lines(text).collect();
        let heading = |at: usize| lines[at].starts_with("# ") || lines[at].starts_with("Lecture");
        let found = scan(&lines, 0, syntax, &heading);
        assert!(
            Survey::of(text).holds_marks(text, syntax) || holds_separator(text) || found.regions.is_empty()
        );
        scan(&lines, 0, syntax, &heading)
            .regions
            .into_iter()
            .map(|region| (region.lines, region.kind))
            .collect()
    }

    const MARKDOWN: Syntax = Syntax {
        markdown: true,
        tagged: false,
        bold_cloze: false,
    };
    const TEXT: Syntax = Syntax {
        markdown: false,
        tagged: false,
        bold_cloze: false,
    };

    fn multi(separator: usize, reversed: bool) -> Kind {
        Kind::MultiLine { separator, reversed }
    }

    #[test]
    fn a_separator_takes_the_lines_touching_it() {
        for syntax in [MARKDOWN, TEXT] {
            let text = "intro\n\nFront\nmore\n?\nBack\nback 2\n\nafter\n";
            assert_eq!(regions(text, syntax), [(2..7, multi(4, false))]);
            assert_eq!(regions("A\n??\nB", syntax), [(0..3, multi(1, true))]);
        }
    }

    #[test]
    fn headings_end_blocks_in_both_formats() {
        assert_eq!(
            regions("# H\nFront\n?\nBack\n# Next\nx", MARKDOWN),
            [(1..4, multi(2, false))]
        );
        assert_eq!(
            regions("Lecture 1\nFront\n?\nBack\nLecture 2\nx", TEXT),
            [(1..4, multi(2, false))]
        );
    }

    #[test]
    fn separators_without_a_front_or_after_another_make_no_card() {
        for syntax in [MARKDOWN, TEXT] {
            assert_eq!(regions("?\nA", syntax), [(0..1, Kind::Stray(Stray::NoFront))]);
            assert_eq!(regions("A\n\n??", syntax), [(2..3, Kind::Stray(Stray::NoFront))]);
            assert_eq!(
                regions("Q\n?\nA\n?\nB", syntax),
                [(0..3, multi(1, false)), (3..4, Kind::Stray(Stray::Second))]
            );
        }
        assert_eq!(
            regions("# H\n?\nA", MARKDOWN),
            [(1..2, Kind::Stray(Stray::NoFront))]
        );
    }

    #[test]
    fn code_and_comments_are_inert_and_fences_keep_blank_lines() {
        let text = "Q\n?\n```cpp\nint a;\n\n?\nstd::x\n```\nIt prints 4.\n\n```\n??\na :: b\n```\n";
        assert_eq!(regions(text, MARKDOWN), [(0..9, multi(1, false))]);
        let comment = "<!--\nQ :: A\n?\n-->\nx\n    ?\n\n    Q :: A\n";
        assert_eq!(regions(comment, MARKDOWN), []);
        assert_eq!(regions("$$\na :: b\n$$\n", MARKDOWN), []);
        assert_eq!(
            regions("```x``` line\n?\nback", MARKDOWN),
            [(0..3, multi(1, false))]
        );
    }

    #[test]
    fn a_fence_in_an_html_block_opens_no_code() {
        let roles = |text: &str| {
            let mut classifier = Classifier::new(true);
            text.lines().map(|line| classifier.role(line)).collect::<Vec<_>>()
        };
        use Role::{Blank, Code, Text};
        // The block runs to the blank line; after it a fence is one again.
        assert_eq!(
            roles("<div>\n```\n$$\n\n```\nx\n```"),
            [Text, Text, Text, Blank, Code, Code, Code]
        );
        assert_eq!(roles("</DIV >\n```"), [Text, Text]);
        assert_eq!(roles("<divx>\n```\n```"), [Text, Code, Code]);
        assert_eq!(roles("<span>\n```\n```"), [Text, Code, Code]);
        // A multi-line card after a fence that an HTML block held (found by the property test).
        let text = "<!-- a :: b\n```\n-->\n<div>\n```\n\n|?\n?\nback\n";
        assert_eq!(regions(text, MARKDOWN), [(6..9, multi(7, false))]);
        assert!(BLOCK_TAGS.is_sorted());
    }

    #[test]
    fn one_line_cards_end_the_block_above_and_take_their_progress() {
        let text = "intro\nA :: B\n<!--SR:!2025-01-01,1,250-->\nC ::: D\nfront\n?\nback";
        let found = regions(text, MARKDOWN);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].0, 1..3);
        assert!(
            matches!(found[1], (ref lines, Kind::OneLine(OneLine { reversed: true, .. })) if *lines == (3..4))
        );
        assert_eq!(found[2], (4..7, multi(5, false)));
    }

    #[test]
    fn a_one_line_card_in_the_back_is_back_text() {
        assert_eq!(regions("Q\n?\nA :: B\n", MARKDOWN), [(0..3, multi(1, false))]);
    }

    #[test]
    fn markdown_cloze_texts_are_blocks_plain_ones_lines() {
        let text = "List:\n- ==FIFO== first\n- ==LRU== least\n<!--SR:!2025-05-11,3,250-->\n\nplain\n";
        assert_eq!(regions(text, MARKDOWN), [(0..4, Kind::Cloze)]);
        let plain = "a\nThe {{c1::x}} is\n<!--SR:!2025-05-11,3,250-->\nb {{c1::y}}\n";
        assert_eq!(regions(plain, TEXT), [(1..3, Kind::Cloze), (3..4, Kind::Cloze)]);
        assert_eq!(regions("a ==b== c", TEXT), []);
        assert_eq!(
            regions("The ==x== thing\n?\nBack", MARKDOWN),
            [(0..3, multi(1, false))]
        );
        assert_eq!(regions("Title ==x==\n=====\n", MARKDOWN), []);
    }

    #[test]
    fn notes_without_the_syntax_need_no_scan() {
        let holds = |text: &str, syntax| Survey::of(text).holds_marks(text, syntax) || holds_separator(text);
        for text in ["What is X?\nIt is: here.\n", "a == b\n", "Why?\n  ? x\n", "    ?"] {
            assert!(!holds(text, TEXT), "{text:?}");
        }
        for text in ["a::b", "![x](y)", "Q\n   ?\n", "Q\r??  \r\n", "?"] {
            assert!(holds(text, TEXT), "{text:?}");
        }
        assert!(holds("a ==b==", MARKDOWN) && !holds("a ==b==", TEXT));
    }

    #[test]
    fn tag_lines_are_regions_of_their_own() {
        assert_eq!(
            regions("#flashcards/a\nQ\n?\nA", TEXT),
            [(0..1, Kind::Tags), (1..4, multi(2, false))]
        );
    }

    #[test]
    fn plain_text_fronts_start_after_the_last_heading() {
        let text = "Lecture 1\nnotes\nLecture 2\nFront\n?\nBack";
        assert_eq!(regions(text, TEXT), [(3..6, multi(4, false))]);
        let clozes = "x {{c1::a}}\nLecture 2\nFront\n?\nBack";
        assert_eq!(
            regions(clozes, TEXT),
            [(0..1, Kind::Cloze), (2..5, multi(3, false))]
        );
    }

    #[test]
    fn images_are_found_in_text_lines_only() {
        let lines = ["![a](x.png)", "```", "![b](y.png)", "```", "Q :: ![c](z.png)"];
        let found = scan(&lines, 0, MARKDOWN, &|_| false).images;
        let paths: Vec<_> = found
            .iter()
            .map(|image| (image.line, image.path.as_str()))
            .collect();
        assert_eq!(paths, [(1, "x.png"), (5, "z.png")]);
    }
}
