//! Markdown notes, read with pulldown-cmark: headings make (nested) sections, a heading or a
//! top-level paragraph whose first line is a question starts a card, and the answer is the
//! exact source of the blocks that follow, so its formatting survives for the review screen.
//! Cards written as blocks ([`blocks`](super::blocks)) are cut out first; pulldown-cmark
//! reads the stretches between them. HTML comments never reach a question or an answer.

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Options as Extensions, Parser, Tag};

use super::blocks::{self, Kind, Region, Role, Survey, Syntax};
use super::drafts::{self, Made, Source};
use super::tags::{self, Tags};
use super::{CardDraft, Format, Notes, Options, Skipped, Warning, lines, question};

/// `text` with each carriage return that ends a line on its own made a line feed: the same
/// lines, at the same offsets. pulldown-cmark does not always end a line at a bare `\r` (an
/// HTML comment line ended so ran on into the next), while the rest of the parser does.
fn bare_carriage_returns_as_line_feeds(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let bare = |at: usize| bytes.get(at + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(bare) {
        return Cow::Borrowed(text);
    }
    let mut normal = bytes.to_vec();
    for at in memchr::memchr_iter(b'\r', bytes).filter(|&at| bare(at)) {
        normal[at] = b'\n';
    }
    // Only ASCII bytes were changed, for ASCII bytes.
    Cow::Owned(String::from_utf8(normal).unwrap_or_else(|_| text.to_string()))
}

/// Parses Markdown notes; `fallback_deck` names the deck when neither a level-1 heading nor a
/// `#flashcards` tag does.
pub fn parse(text: &str, fallback_deck: &str, options: &Options) -> Notes {
    let text = &*bare_carriage_returns_as_line_feeds(text);
    let line_starts = line_starts(text);
    let line_at = |offset: usize| line_starts.partition_point(|&start| start < offset);
    let (front_matter, body) = front_matter(text).map_or((0..0, 0), |(inside, body)| {
        (line_at(inside.start)..line_at(inside.end), line_at(body))
    });
    let survey = Survey::of(text);
    let mut tags = Tags::read(text, front_matter, body, true, survey.tag);
    let syntax = Syntax {
        markdown: true,
        tagged: tags.any(),
        bold_cloze: options.bold_cloze,
    };
    // Only notes that hold card syntax are split into lines (and scanned).
    let lines: Vec<&str> = if survey.holds_marks(text, syntax) || blocks::holds_separator(text) {
        lines(text).collect()
    } else {
        Vec::new()
    };
    let scan = blocks::scan(&lines, body, syntax, &|at| is_atx_heading(lines[at]));
    let card_texts: Vec<_> = scan.card_lines().collect();
    tags.forget(card_texts.iter().cloned());
    let offset = |line: usize| line_starts.get(line).copied().unwrap_or(text.len());
    // The comments the scan saw are cut whatever pulldown-cmark makes of them, so no card
    // shows one.
    let comment_lines = scan
        .roles
        .iter()
        .enumerate()
        .filter(|(_, role)| matches!(role, Role::Comment | Role::Progress))
        .map(|(line, _)| offset(line)..offset(line + 1))
        .fold(Vec::new(), |mut cuts: Vec<Range<usize>>, line| {
            match cuts.last_mut() {
                Some(last) if last.end == line.start => last.end = line.end,
                _ => cuts.push(line),
            }
            cuts
        });
    let mut builder = Builder {
        text,
        line_starts: &line_starts,
        tags: &tags,
        source: Source {
            lines: &lines,
            roles: &scan.roles,
            syntax,
        },
        deck: None,
        sections: Vec::new(),
        open: None,
        cards: Vec::with_capacity(super::room_for_cards(text)),
        warnings: Vec::new(),
        skipped: Vec::new(),
        cuts: Vec::new(),
        comment_lines,
    };
    let mut from = 0;
    for region in &scan.regions {
        let bytes = offset(region.lines.start)..offset(region.lines.end);
        builder.segment(from..bytes.start);
        builder.region(region, bytes.clone());
        from = bytes.end;
    }
    builder.segment(from..text.len());
    builder.close_card();
    builder.warnings.extend(scan.stray_progress_warnings());
    let titled = builder.deck.is_some();
    let deck = builder
        .deck
        .or_else(|| tags.deck().map(str::to_string))
        .unwrap_or_else(|| fallback_deck.to_string());
    Notes {
        titled: titled || tags.deck().is_some(),
        deck,
        format: Format::Markdown,
        cards: builder.cards,
        warnings: builder.warnings,
        skipped: builder.skipped,
        images: scan.images,
        card_texts,
    }
}

/// A YAML front matter, read exactly as pulldown-cmark reads it, so that both leave the same
/// lines alone: `---` alone on the first line, a first line inside that is neither blank nor
/// the end, and a line of exactly `---` or `...` (here lines end at `\n` only). The byte range
/// inside and where the notes go on.
fn front_matter(text: &str) -> Option<(Range<usize>, usize)> {
    let bytes = text.as_bytes();
    let next_line = |at: usize| memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |end| at + end + 1);
    let opened = next_line(0);
    let opening = &bytes[..opened];
    if !opening.starts_with(b"---")
        || opening.get(3) == Some(&b'-')
        || !opening[3..].iter().all(u8::is_ascii_whitespace)
    {
        return None;
    }
    let mut at = opened;
    while at < bytes.len() {
        let closing = closing_line(&bytes[at..]);
        if at == opened && (closing.is_some() || is_blank(&bytes[at..])) {
            return None;
        }
        if let Some(length) = closing {
            return Some((opened..at, at + length));
        }
        at = next_line(at);
    }
    None
}

/// The length of a line closing a front matter (`---` or `...`, spaces, its end), if `line`
/// starts with one.
fn closing_line(line: &[u8]) -> Option<usize> {
    let mark = *line.first().filter(|&&b| b == b'-' || b == b'.')?;
    if line.iter().take_while(|&&b| b == mark).count() != 3 {
        return None;
    }
    let spaces = line[3..].iter().take_while(|&&b| b == b' ').count();
    line_end(&line[3 + spaces..]).map(|end| 3 + spaces + end)
}

/// True when `line` holds only white space before its end.
fn is_blank(line: &[u8]) -> bool {
    let spaces = line
        .iter()
        .take_while(|&&b| matches!(b, b' ' | b'\t' | 0x0b | 0x0c))
        .count();
    line_end(&line[spaces..]).is_some()
}

/// The length of the line end `bytes` start with (`\r\n`, `\n` or `\r`; 0 at the end of
/// the text), `None` when they start with text.
fn line_end(bytes: &[u8]) -> Option<usize> {
    match bytes {
        [] => Some(0),
        [b'\r', b'\n', ..] => Some(2),
        [b'\n' | b'\r', ..] => Some(1),
        _ => None,
    }
}

/// `# Title` to `###### Title`, indented by at most three spaces.
fn is_atx_heading(line: &str) -> bool {
    let spaces = line.bytes().take_while(|&b| b == b' ').count();
    let unindented = &line[spaces..];
    if spaces > 3 || !unindented.starts_with('#') {
        return false;
    }
    let hashes = unindented.bytes().take_while(|&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && unindented[hashes..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

/// A heading, or the first line of a top-level paragraph, being read: its text without
/// markup (which decides whether it is a question, so `**What is X?**` is one) and the source
/// range it spans (which is kept as the card's question, so its formatting survives).
struct Lead {
    /// The heading's level; `None` for a paragraph.
    level: Option<HeadingLevel>,
    /// The whole block in the source.
    block: Range<usize>,
    text: String,
    source: Option<Range<usize>>,
    /// Where a paragraph's first line has ended (after its line break, which may be lines
    /// below the block's start when inline code runs over a line break): the answer starts here.
    rest_start: Option<usize>,
}

impl Lead {
    fn new(level: Option<HeadingLevel>, block: Range<usize>) -> Self {
        Lead {
            level,
            block,
            text: String::new(),
            source: None,
            rest_start: None,
        }
    }

    /// Takes in an inline event of the heading or the paragraph.
    fn add(&mut self, event: Event, range: Range<usize>) {
        if self.rest_start.is_some() {
            return;
        }
        match event {
            Event::Text(content) | Event::Code(content) => self.text.push_str(&content),
            Event::SoftBreak | Event::HardBreak if self.level.is_none() => {
                self.rest_start = Some(range.end);
                return;
            }
            Event::SoftBreak | Event::HardBreak => self.text.push(' '),
            _ => {}
        }
        self.cover(range);
    }

    fn cover(&mut self, range: Range<usize>) {
        if self.rest_start.is_some() {
            return;
        }
        self.source = Some(match self.source.take() {
            Some(seen) => seen.start.min(range.start)..seen.end.max(range.end),
            None => range,
        });
    }
}

/// A card whose answer blocks are still being collected.
struct OpenCard {
    question: String,
    note: String,
    line: usize,
    answer: Option<Range<usize>>,
}

struct Builder<'a> {
    text: &'a str,
    line_starts: &'a [usize],
    tags: &'a Tags,
    source: Source<'a>,
    deck: Option<String>,
    /// The open sections as (level, title), outermost first.
    sections: Vec<(HeadingLevel, String)>,
    open: Option<OpenCard>,
    cards: Vec<CardDraft>,
    warnings: Vec<Warning>,
    skipped: Vec<Skipped>,
    /// Source that never reaches a card (HTML comments, tag lines, separators that make no
    /// card), in order.
    cuts: Vec<Range<usize>>,
    /// The lines of comments the scan found, in order: cut too.
    comment_lines: Vec<Range<usize>>,
}

impl Builder<'_> {
    /// Reads the Markdown of `range` (between regions of card syntax) with pulldown-cmark.
    fn segment(&mut self, range: Range<usize>) {
        if self.text[range.clone()].trim().is_empty() {
            return;
        }
        let mut extensions = Extensions::ENABLE_TABLES
            | Extensions::ENABLE_FOOTNOTES
            | Extensions::ENABLE_STRIKETHROUGH
            | Extensions::ENABLE_TASKLISTS;
        if range.start == 0 {
            extensions |= Extensions::ENABLE_YAML_STYLE_METADATA_BLOCKS;
        }
        let shift = range.start;
        let mut depth = 0usize;
        let mut lead: Option<Lead> = None;
        for (event, local) in Parser::new_ext(&self.text[range], extensions).into_offset_iter() {
            let range = local.start + shift..local.end + shift;
            match event {
                Event::Start(tag) => {
                    if matches!(tag, Tag::HtmlBlock) {
                        self.cut_comments(range.clone());
                    }
                    if depth == 0 {
                        match tag {
                            Tag::Heading { level, .. } => lead = Some(Lead::new(Some(level), range)),
                            Tag::Paragraph => lead = Some(Lead::new(None, range)),
                            Tag::MetadataBlock(_) => {}
                            _ => self.answer_block(range),
                        }
                    } else if let Some(lead) = &mut lead {
                        lead.cover(range);
                    }
                    depth += 1;
                }
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    match &mut lead {
                        Some(_) if depth == 0 => self.lead(lead.take()),
                        Some(lead) => lead.cover(range),
                        None => {}
                    }
                }
                inline => {
                    if let Event::InlineHtml(html) = &inline
                        && html.starts_with("<!--")
                    {
                        let end = self.text[range.start..]
                            .find("-->")
                            .map_or(range.end, |at| range.start + at + 3);
                        self.cut_comments(range.start..end);
                    }
                    match &mut lead {
                        Some(lead) => lead.add(inline, range),
                        // A top-level rule is an event of its own, not a block tag.
                        None if depth == 0 => self.answer_block(range),
                        None => {}
                    }
                }
            }
        }
    }

    /// A region of card syntax: its cards, or (a cloze text that is a question or part of an
    /// answer) its Markdown as usual.
    fn region(&mut self, region: &Region, bytes: Range<usize>) {
        let lines = region.lines.clone();
        let made = match &region.kind {
            Kind::OneLine(split) => drafts::one_line(&self.source, lines, split, &mut self.warnings),
            Kind::MultiLine { separator, reversed } => {
                drafts::multi_line(&self.source, lines, *separator, *reversed, &mut self.warnings)
            }
            Kind::Cloze => {
                let first = self.source.lines[lines.start];
                let made = if self.open.is_some() || question::split(first).is_some() {
                    Made::default()
                } else {
                    drafts::cloze(&self.source, lines, &mut self.warnings)
                };
                if made.cards.is_empty() {
                    return self.segment(bytes);
                }
                made
            }
            Kind::Stray(why) => {
                let line = self.source.lines[lines.start];
                self.warnings.push(drafts::stray(line, lines.start, *why));
                return self.cut(bytes);
            }
            Kind::Tags => return self.cut(bytes),
        };
        self.close_card();
        for mut card in made.cards {
            card.section = self.section_of(card.line, made.tag.as_deref());
            self.cards.push(card);
        }
    }

    fn lead(&mut self, lead: Option<Lead>) {
        let Some(lead) = lead else { return };
        if self.without_cuts(lead.block.clone()).trim().is_empty() {
            return;
        }
        let plain = || lead.text.split_whitespace().collect::<Vec<_>>().join(" ");
        // Most blocks hold no `?`: only questions need their text joined and their source.
        let question_text = if lead.text.contains('?') {
            plain()
        } else {
            String::new()
        };
        let found = question::split(&question_text).map(|found| {
            let source = lead
                .source
                .clone()
                .map_or(Cow::Borrowed(""), |range| self.without_cuts(range));
            let source = source.split_whitespace().collect::<Vec<_>>().join(" ");
            (question_source(&source, &found), found.remark.to_string())
        });
        match (lead.level, found) {
            (Some(level), Some((question, remark))) => {
                self.close_card();
                self.sections.retain(|(open, _)| *open < level);
                self.open_card(&question, &remark, lead.block.start, None);
            }
            (Some(level), None) => self.section(level, plain()),
            (None, Some((question, remark))) => {
                let rest = lead
                    .rest_start
                    .filter(|&start| !self.without_cuts(start..lead.block.end).trim().is_empty())
                    .map(|start| start..lead.block.end);
                self.close_card();
                self.open_card(&question, &remark, lead.block.start, rest);
            }
            (None, None) => self.answer_block(lead.block),
        }
    }

    fn section(&mut self, level: HeadingLevel, title: String) {
        let first_question_seen = !self.cards.is_empty() || self.open.is_some() || !self.warnings.is_empty();
        if level == HeadingLevel::H1 && self.deck.is_none() && !first_question_seen {
            self.deck = Some(title);
            return;
        }
        self.close_card();
        self.sections.retain(|(open, _)| *open < level);
        self.sections.push((level, title));
    }

    fn answer_block(&mut self, range: Range<usize>) {
        if let Some(card) = &mut self.open {
            card.answer = Some(match card.answer.take() {
                Some(seen) => seen.start..range.end.max(seen.end),
                None => range,
            });
            return;
        }
        // A block before any question: its lines belong to no card.
        let first = self.line_at(range.start);
        let last = self.line_at(range.end.saturating_sub(1).max(range.start));
        for line in first..=last {
            let start = self.line_starts[line - 1].max(range.start);
            let end = self
                .line_starts
                .get(line)
                .map_or(range.end, |&next| next.min(range.end));
            let text = self.without_cuts(start..end.max(start));
            if !text.trim().is_empty() {
                self.skipped.push(Skipped {
                    line,
                    text: text.trim().to_string(),
                });
            }
        }
    }

    fn open_card(&mut self, question: &str, remark: &str, offset: usize, answer: Option<Range<usize>>) {
        self.open = Some(OpenCard {
            question: question.to_string(),
            note: remark.to_string(),
            line: self.line_at(offset),
            answer,
        });
    }

    fn close_card(&mut self) {
        let Some(card) = self.open.take() else { return };
        let answer = card
            .answer
            .map_or(Cow::Borrowed(""), |range| self.without_cuts(range));
        let answer = answer.trim();
        if answer.is_empty() {
            self.warnings.push(Warning {
                line: Some(card.line),
                message: "question has no answer".to_string(),
            });
            return;
        }
        let section = self.section_of(card.line, None);
        self.cards.push(CardDraft {
            section,
            question: card.question,
            answer: answer.to_string(),
            note: card.note,
            line: card.line,
            ..CardDraft::default()
        });
    }

    /// The section of a card on `line` (1-based): the headings above it, else the section its
    /// own tag or the tag above it names.
    fn section_of(&self, line: usize, own_tag: Option<&str>) -> String {
        if !self.sections.is_empty() {
            return self
                .sections
                .iter()
                .map(|(_, title)| title.as_str())
                .collect::<Vec<_>>()
                .join(" / ");
        }
        own_tag
            .and_then(tags::last_part)
            .or_else(|| self.tags.section(line - 1))
            .unwrap_or_default()
            .to_string()
    }

    /// Cuts the HTML comments of `range` (an HTML block, or one inline comment).
    fn cut_comments(&mut self, range: Range<usize>) {
        let mut at = range.start;
        while let Some(found) = memchr::memmem::find(&self.text.as_bytes()[at..range.end], b"<!--") {
            let start = at + found;
            let end = memchr::memmem::find(&self.text.as_bytes()[start + 4..range.end], b"-->")
                .map_or(range.end, |close| start + 4 + close + 3);
            self.cut(start..end);
            at = end;
        }
    }

    /// Keeps `range` out of every card, with the whole line when nothing else is on it.
    fn cut(&mut self, range: Range<usize>) {
        // Only white space is looked at around the cut, so many cuts on one line stay quick.
        let bytes = self.text.as_bytes();
        let blank = |b: &&u8| matches!(**b, b' ' | b'\t');
        let line_start = range.start - bytes[..range.start].iter().rev().take_while(blank).count();
        let line_end = range.end + bytes[range.end..].iter().take_while(blank).count();
        let starts_line = line_start == 0 || matches!(bytes[line_start - 1], b'\n' | b'\r');
        let ends_line = matches!(bytes.get(line_end), None | Some(b'\n' | b'\r'));
        let alone = starts_line && ends_line;
        let range = if alone {
            let newline = match &self.text.as_bytes()[line_end..] {
                [b'\r', b'\n', ..] => 2,
                [] => 0,
                _ => 1,
            };
            line_start..line_end + newline
        } else {
            range
        };
        match self.cuts.last_mut() {
            Some(last) if last.end >= range.start => last.end = last.end.max(range.end),
            _ => self.cuts.push(range),
        }
    }

    /// The source of `range` without the cuts in it. Where text was cut, the white space
    /// left before it goes, and so do blank lines that would follow a blank line.
    fn without_cuts(&self, range: Range<usize>) -> Cow<'_, str> {
        let within = |cuts: &'_ [Range<usize>]| {
            let first = cuts.partition_point(|cut| cut.end <= range.start);
            let count = cuts[first..]
                .iter()
                .take_while(|cut| cut.start < range.end)
                .count();
            first..first + count
        };
        let (cuts, lines) = (within(&self.cuts), within(&self.comment_lines));
        if cuts.is_empty() && lines.is_empty() {
            return Cow::Borrowed(&self.text[range]);
        }
        let mut inside: Vec<&Range<usize>> =
            self.cuts[cuts].iter().chain(&self.comment_lines[lines]).collect();
        inside.sort_by_key(|cut| cut.start);
        let mut kept = String::new();
        let mut copied = range.start;
        let mut cut_any = false;
        for cut in inside {
            push_after_cut(&mut kept, &self.text[copied..cut.start.max(copied)], cut_any);
            let trimmed = kept.trim_end_matches([' ', '\t']).len();
            kept.truncate(trimmed);
            copied = copied.max(cut.end.min(range.end));
            cut_any = true;
        }
        if !cut_any {
            return Cow::Borrowed(&self.text[range]);
        }
        push_after_cut(&mut kept, &self.text[copied..range.end.max(copied)], true);
        Cow::Owned(kept)
    }

    fn line_at(&self, offset: usize) -> usize {
        self.line_starts.partition_point(|&start| start <= offset)
    }
}

/// Appends `piece` to `kept`; after a cut, without the blank lines it starts with when `kept`
/// already ends a paragraph.
fn push_after_cut(kept: &mut String, piece: &str, after_cut: bool) {
    let ends_paragraph = kept.is_empty() || kept.ends_with("\n\n") || kept.ends_with("\n\r\n");
    if !after_cut || !ends_paragraph {
        kept.push_str(piece);
        return;
    }
    let mut rest = piece;
    while let Some(end) = rest.find('\n').filter(|&end| rest[..end].trim().is_empty()) {
        rest = &rest[end + 1..];
    }
    kept.push_str(rest);
}

/// The question as written in the source: the line without its remark when the remark reads
/// the same in the source, else the question's text without markup.
fn question_source(source: &str, found: &question::Question) -> String {
    if found.remark.is_empty() {
        return source.to_string();
    }
    match source.strip_suffix(found.remark) {
        Some(question) => question.trim_end().to_string(),
        // The remark has markup of its own: keeping the source would repeat it in the note.
        None => found.text.to_string(),
    }
}

/// Byte offsets where lines start (`\r\n`, `\r` and `\n` all end lines).
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (at, &byte) in bytes.iter().enumerate() {
        let ends_line = byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(at + 1);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, fallback: &str) -> Notes {
        super::parse(text, fallback, &Options::default())
    }

    fn cards(text: &str) -> Vec<(String, String, String, String, usize)> {
        parse(text, "file")
            .cards
            .into_iter()
            .map(|c| (c.section, c.question, c.answer, c.note, c.line))
            .collect()
    }

    fn card(
        section: &str,
        question: &str,
        answer: &str,
        note: &str,
        line: usize,
    ) -> (String, String, String, String, usize) {
        (section.into(), question.into(), answer.into(), note.into(), line)
    }

    #[test]
    fn a_line_ended_by_a_bare_carriage_return_ends_there() {
        // The comment of line 2 holds the first fence; the second opens code to the end.
        let text = "<!-- x -->\r<!-- a :: b\n```\n-->\n```\n### What is Y?\n?\n";
        assert_eq!(cards(text), Vec::new());
        assert_eq!(cards(&text.replace('\r', "\n")), Vec::new());
        // A bare `\r` ends a line in a card's text too, at the same line numbers.
        assert_eq!(
            cards("# D\r\rWhat is X?\rIt is Y.\r"),
            [card("", "What is X?", "It is Y.", "", 3)]
        );
    }

    #[test]
    fn front_matter_is_skipped_and_the_first_h1_names_the_deck() {
        let notes = parse(
            "---\ntitle: x?\n---\n# Databases\n\n## Lecture 1\n\nWhat is SQL?\nA language.\n",
            "file",
        );
        assert_eq!(notes.deck, "Databases");
        assert_eq!(notes.cards.len(), 1);
        assert_eq!(notes.cards[0].section, "Lecture 1");
        assert_eq!(notes.cards[0].line, 8);
    }

    #[test]
    fn front_matter_is_found_exactly_where_pulldown_cmark_finds_it() {
        let cases = [
            "---\ntitle: x\n---\nbody",
            "---  \r\ntitle: x\r\n...  \r\nbody",
            "---\n\n---\n",
            "---\n---\n",
            "----\nx\n---\n",
            "---\nx\n----\n",
            "---\nx\n?\r---\n",
            "---\rx\n---\n",
            "---\nx\n---\t\n",
            "---\nx\n--- \ry",
            "---\nx",
            " ---\nx\n---\n",
        ];
        for text in cases {
            let ours = front_matter(text);
            let theirs = Parser::new_ext(text, Extensions::ENABLE_YAML_STYLE_METADATA_BLOCKS)
                .into_offset_iter()
                .next()
                .filter(|(event, _)| matches!(event, Event::Start(Tag::MetadataBlock(_))));
            assert_eq!(ours.is_some(), theirs.is_some(), "{text:?}");
            if let (Some((_, body)), Some((_, range))) = (ours, theirs) {
                // pulldown-cmark's block ends before the closing line's end.
                assert!(
                    body >= range.end && text[range.end..body].trim().is_empty(),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn the_deck_falls_back_to_the_file_name() {
        assert_eq!(parse("What?\nYes.\n\n# Late title\n", "file").deck, "file");
        assert_eq!(parse("## Only h2\n", "file").deck, "file");
    }

    #[test]
    fn sections_nest_by_level() {
        let text = "# Deck\n## Lecture 2 - SQL\n### Keys and joins\nWhat is a key?\nIt identifies a row.\n## Lecture 3\nWhat is an index?\nA lookup structure.\n### Sub\n#### Deeper\n### Sibling\nQ?\nA\n";
        assert_eq!(
            cards(text),
            [
                card(
                    "Lecture 2 - SQL / Keys and joins",
                    "What is a key?",
                    "It identifies a row.",
                    "",
                    4
                ),
                card("Lecture 3", "What is an index?", "A lookup structure.", "", 7),
                card("Lecture 3 / Sibling", "Q?", "A", "", 12),
            ]
        );
    }

    #[test]
    fn question_headings_close_deeper_sections_and_collect_blocks() {
        let text = "# Deck\n# Part A\n### Detail\n## What is **bold**? (important)\n\nSome *text*.\n\n- item?\n- two\n\n```\ncode?\n```\n\n> quote?\n\n| a | b? |\n|---|---|\n| 1 | 2 |\n\n### Next\n";
        assert_eq!(
            cards(text),
            [card(
                "Part A",
                "What is **bold**?",
                "Some *text*.\n\n- item?\n- two\n\n```\ncode?\n```\n\n> quote?\n\n| a | b? |\n|---|---|\n| 1 | 2 |",
                "(important)",
                4
            )]
        );
    }

    #[test]
    fn the_rest_of_a_question_paragraph_begins_the_answer() {
        let text = "Why is the sky blue? Me\nRayleigh scattering.\n\nShorter wavelengths scatter more.\n";
        assert_eq!(
            cards(text),
            [card(
                "",
                "Why is the sky blue?",
                "Rayleigh scattering.\n\nShorter wavelengths scatter more.",
                "Me",
                1
            )]
        );
    }

    #[test]
    fn setext_headings_count() {
        let text = "Deck Name\n=========\n\nLecture 1\n=========\n\nWhat is it?\n-----------\n\nThis.\n";
        let notes = parse(text, "file");
        assert_eq!(notes.deck, "Deck Name");
        assert_eq!(
            notes.cards,
            [CardDraft {
                section: "Lecture 1".into(),
                question: "What is it?".into(),
                answer: "This.".into(),
                note: String::new(),
                line: 7,
                ..CardDraft::default()
            }]
        );
    }

    #[test]
    fn questions_inside_lists_quotes_and_code_do_not_start_cards() {
        let text = "- What?\n\n> Why?\n\n    How?\n\n<div>\nWho?\n</div>\n";
        let notes = parse(text, "file");
        assert!(notes.cards.is_empty());
        assert!(notes.warnings.is_empty());
    }

    #[test]
    fn a_question_without_answer_warns_with_its_line() {
        let notes = parse("# D\n\nFirst?\n\nSecond?\nYes.\n\n## Next?\n", "file");
        assert_eq!(notes.cards.len(), 1);
        let lines: Vec<_> = notes.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(3), Some(8)]);
    }

    #[test]
    fn footnotes_and_rules_are_answer_content() {
        let text = "What is it?\n\nSee below.[^1]\n\n---\n\n[^1]: A footnote.\n";
        assert_eq!(
            cards(text),
            [card(
                "",
                "What is it?",
                "See below.[^1]\n\n---\n\n[^1]: A footnote.",
                "",
                1
            )]
        );
    }

    #[test]
    fn markup_around_a_question_does_not_hide_it() {
        // These were answer text, a note of "_" and a section.
        let text = "**What is X?**\nThe answer.\n\n_Why?_\nBecause.\n\n## **What is Y?** (important)\n\nY.\n\n`f()`? Me\nCalls f.\n";
        assert_eq!(
            cards(text),
            [
                card("", "**What is X?**", "The answer.", "", 1),
                card("", "_Why?_", "Because.", "", 4),
                card("", "**What is Y?**", "Y.", "(important)", 7),
                card("", "`f()`?", "Calls f.", "Me", 11),
            ]
        );
        // A remark with markup of its own was kept in the question too.
        assert_eq!(
            cards("What is *X*? (*important*)\nX.\n"),
            [card("", "What is X?", "X.", "(important)", 1)]
        );
    }

    #[test]
    fn crlf_line_numbers() {
        let notes = parse("# D\r\n\r\nQ1?\r\nA1\r\n\r\nQ2?\r\nA2\r\n", "file");
        let lines: Vec<_> = notes.cards.iter().map(|c| c.line).collect();
        assert_eq!(lines, [3, 6]);
    }

    /// Found by the fuzzer: emphasis that opens in the question and closes in the remark
    /// leaves a question without markup that no longer reads as in the source.
    #[test]
    fn emphasis_shared_by_question_and_remark_keeps_the_card_on_its_line() {
        assert_eq!(
            cards("Intro.\n\nWhat is L*key**Da? ta.t*t|\nAnswer.\n"),
            vec![card("", "What is Lkey**Da?", "Answer.", "ta.tt|", 3)]
        );
    }

    /// Found by the fuzzer: inline code that runs over a line break belongs to the question's
    /// first line, so the answer begins after it rather than at the first line break.
    #[test]
    fn a_question_running_over_a_line_break_is_not_repeated_in_the_answer() {
        assert_eq!(
            cards("What does `a\nb` do?\nIt swaps.\n\nWhat is `x\ny`?\n\n> A pair.\n"),
            vec![
                card("", "What does `a b` do?", "It swaps.", "", 1),
                card("", "What is `x y`?", "> A pair.", "", 5),
            ]
        );
        // A hard line break (trailing spaces or a backslash) ends the question's line too.
        assert_eq!(
            cards("Why?  \nBecause.\n\nHow?\\\nLike so.\n"),
            vec![
                card("", "Why?", "Because.", "", 1),
                card("", "How?", "Like so.", "", 4)
            ]
        );
    }
}
