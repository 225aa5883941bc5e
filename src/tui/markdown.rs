//! Markdown card text to styled ratatui lines: bold, italic, strikethrough, inline code, code
//! blocks, lists, block quotes, headings, rules, tables and math (as Unicode where it can be).
//! Wrapping is left to the paragraph, but for tables: their columns are aligned to the width
//! there is, and cells that do not fit are cut with an ellipsis.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};

use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::notes::math;

/// Renders `source` as styled text for a column `width` cells wide.
pub(crate) fn render(source: &str, theme: &Theme, width: usize) -> Text<'static> {
    let options = crate::notes::CARD_MARKDOWN;
    let source = math::dollars_in_markdown(source);
    let mut renderer = Renderer {
        theme: *theme,
        lines: Vec::new(),
        spans: Vec::new(),
        styles: vec![Style::new()],
        lists: Vec::new(),
        quote_depth: 0,
        in_code_block: false,
        images: Vec::new(),
        pending_prefix: None,
        table: None,
        width,
    };
    for event in Parser::new_ext(&source, options) {
        renderer.event(event);
    }
    renderer.flush();
    while renderer
        .lines
        .last()
        .is_some_and(|line: &Line| line.spans.is_empty())
    {
        renderer.lines.pop();
    }
    Text::from(renderer.lines)
}

struct Renderer {
    theme: Theme,
    lines: Vec<Line<'static>>,
    spans: Vec<Span<'static>>,
    /// Inline styles, innermost last.
    styles: Vec<Style>,
    /// Open lists: the next number for ordered ones.
    lists: Vec<Option<u64>>,
    quote_depth: usize,
    in_code_block: bool,
    /// The images being read, innermost last: the file's name, and whether alt text came.
    images: Vec<(String, bool)>,
    /// A list marker waiting for the item's first text.
    pending_prefix: Option<String>,
    /// The table being read, laid out when it ends.
    table: Option<Table>,
    /// The width the text is drawn at.
    width: usize,
}

/// A table's rows of cells as plain text; the first `header` rows are its head.
#[derive(Default)]
struct Table {
    rows: Vec<Vec<String>>,
    header: usize,
}

impl Renderer {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_code_block => {
                for line in text.lines() {
                    self.spans.push(Span::styled("│ ", self.theme.muted()));
                    self.push(line.to_string(), self.theme.code());
                    self.flush();
                }
            }
            Event::Text(text) | Event::Code(text) if self.table.is_some() => {
                self.saw_text();
                self.cell_text(&text)
            }
            Event::InlineMath(latex) | Event::DisplayMath(latex) if self.table.is_some() => {
                self.cell_text(&math::to_unicode(&latex))
            }
            Event::InlineMath(latex) => self.push(math::to_unicode(&latex), self.style()),
            Event::DisplayMath(latex) => {
                // A formula of its own, on lines of its own.
                self.flush();
                for line in math::to_unicode(latex.trim()).lines() {
                    self.push(format!("  {}", line.trim()), self.style());
                    self.flush();
                }
            }
            Event::Text(text) => {
                self.saw_text();
                self.push(text.into_string(), self.style())
            }
            Event::Code(code) => self.push(code.into_string(), self.theme.code()),
            Event::SoftBreak => self.push(" ".to_string(), self.style()),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.lines.push(Line::styled("────────", self.theme.muted()));
                self.blank();
            }
            Event::TaskListMarker(done) => self.push(if done { "[x] " } else { "[ ] " }.into(), self.style()),
            Event::FootnoteReference(label) => self.push(format!("[{label}]"), self.theme.muted()),
            Event::Html(html) | Event::InlineHtml(html) => self.push(html.into_string(), self.theme.muted()),
        }
    }

    fn start(&mut self, tag: Tag) {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush();
                let underline = if level == HeadingLevel::H1 {
                    Modifier::UNDERLINED
                } else {
                    Modifier::empty()
                };
                self.styles
                    .push(self.style().add_modifier(Modifier::BOLD | underline));
            }
            Tag::Strong => self.styles.push(self.style().add_modifier(Modifier::BOLD)),
            Tag::Emphasis => self.styles.push(self.style().add_modifier(Modifier::ITALIC)),
            Tag::Strikethrough => self.styles.push(self.style().add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { .. } => self.styles.push(self.style().add_modifier(Modifier::UNDERLINED)),
            // `[image: alt]` (or the file's name when there is no alt text); `o` opens it.
            Tag::Image { dest_url, .. } => {
                let name = crate::notes::images::file_name(&dest_url);
                self.images.push((name.to_string(), false));
                self.inline("[image: ", self.theme.muted());
                self.styles.push(self.theme.muted());
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
                self.styles.push(self.style().patch(self.theme.quote()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.in_code_block = true;
                // The language is a label on the block's frame, not a line of the code.
                let language = match kind {
                    CodeBlockKind::Fenced(language) => language.into_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                let label = if language.is_empty() {
                    "╭─".to_string()
                } else {
                    format!("╭─ {language}")
                };
                self.lines.push(Line::styled(label, self.theme.muted()));
            }
            Tag::List(start) => {
                self.flush();
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let depth = self.lists.len().saturating_sub(1);
                let marker = match self.lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{}. ", *number - 1)
                    }
                    _ => "• ".to_string(),
                };
                self.pending_prefix = Some(format!("{}{marker}", "  ".repeat(depth)));
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some(Table::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(table) = &mut self.table {
                    table.rows.push(Vec::new());
                }
            }
            Tag::TableCell => {
                if let Some(row) = self.table.as_mut().and_then(|t| t.rows.last_mut()) {
                    row.push(String::new());
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
                self.blank();
            }
            TagEnd::Image => {
                self.styles.pop();
                let (name, alt_given) = self.images.pop().unwrap_or_default();
                let close = if alt_given {
                    "]".to_string()
                } else {
                    format!("{name}]")
                };
                self.inline(&close, self.theme.muted());
            }
            TagEnd::Strong | TagEnd::Emphasis | TagEnd::Strikethrough | TagEnd::Link => {
                self.styles.pop();
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote_depth = self.quote_depth.saturating_sub(1);
                self.styles.pop();
                if self.quote_depth == 0 {
                    self.blank();
                }
            }
            TagEnd::CodeBlock => {
                self.in_code_block = false;
                self.lines.push(Line::styled("╰─", self.theme.muted()));
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::TableHead => {
                if let Some(table) = &mut self.table {
                    table.header = table.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some(table) = self.table.take() {
                    self.lines.extend(table.lines(self.width, &self.theme));
                }
                self.blank();
            }
            _ => {}
        }
    }

    /// Text inside a table cell, kept plain for the layout.
    fn cell_text(&mut self, text: &str) {
        if let Some(cell) = self
            .table
            .as_mut()
            .and_then(|t| t.rows.last_mut())
            .and_then(|row| row.last_mut())
        {
            cell.push_str(text);
        }
    }

    /// Text inside an image is its alt text.
    fn saw_text(&mut self) {
        if let Some(image) = self.images.last_mut() {
            image.1 = true;
        }
    }

    /// Inline text, into the table cell being read if there is one.
    fn inline(&mut self, text: &str, style: Style) {
        if self.table.is_some() {
            self.cell_text(text);
        } else {
            self.push(text.to_string(), style);
        }
    }

    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push(&mut self, text: String, style: Style) {
        if self.spans.is_empty() {
            if self.quote_depth > 0 {
                self.spans
                    .push(Span::styled("│ ".repeat(self.quote_depth), self.theme.muted()));
            }
            if let Some(prefix) = self.pending_prefix.take() {
                self.spans.push(Span::styled(prefix, self.theme.muted()));
            }
        }
        self.spans.push(Span::styled(text, style));
    }

    fn flush(&mut self) {
        if !self.spans.is_empty() {
            self.lines.push(Line::from(std::mem::take(&mut self.spans)));
        }
    }

    /// One empty line between blocks, never two.
    fn blank(&mut self) {
        self.flush();
        if self.lines.last().is_some_and(|line| !line.spans.is_empty()) {
            self.lines.push(Line::default());
        }
    }
}

impl Table {
    /// The table laid out in `width` cells: columns as wide as their widest cell, narrowed
    /// (widest first) until they fit, a rule under the head, cells cut with an ellipsis.
    fn lines(&self, width: usize, theme: &Theme) -> Vec<Line<'static>> {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        if columns == 0 {
            return Vec::new();
        }
        let mut widths: Vec<usize> = (0..columns)
            .map(|column| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.width())
                    .max()
                    .unwrap_or(0)
                    .max(1)
            })
            .collect();
        let separators = 3 * (columns - 1);
        while widths.iter().sum::<usize>() + separators > width {
            let Some(widest) = (0..columns).max_by_key(|&c| widths[c]).filter(|&c| widths[c] > 1) else {
                break;
            };
            widths[widest] -= 1;
        }
        let mut lines = Vec::new();
        for (n, row) in self.rows.iter().enumerate() {
            let style = if n < self.header {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                Style::new()
            };
            let mut spans = Vec::new();
            for (column, &cell_width) in widths.iter().enumerate() {
                if column > 0 {
                    spans.push(Span::styled(" │ ", theme.muted()));
                }
                let cell = row.get(column).map_or("", String::as_str);
                spans.push(Span::styled(crate::text::fit(cell, cell_width), style));
            }
            lines.push(Line::from(spans));
            if n + 1 == self.header {
                let rule: Vec<String> = widths.iter().map(|&w| "─".repeat(w)).collect();
                lines.push(Line::styled(rule.join("─┼─"), theme.muted()));
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &Text) -> Vec<String> {
        text.lines
            .iter()
            .map(|line| line.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn images_are_placeholders_with_their_alt_text_or_file_name() {
        let text = render(
            "See ![the **cell** wall](img/cell.png) and ![](figs/mitosis.jpg \"Mitosis\").\n\n| fig |\n|---|\n| ![a](b.png) |\n",
            &Theme::with_color(false),
            80,
        );
        assert_eq!(
            plain(&text),
            [
                "See [image: the cell wall] and [image: mitosis.jpg].",
                "",
                "fig       ",
                "──────────",
                "[image: a]",
            ]
        );
    }

    #[test]
    fn blocks_become_lines_with_markers() {
        let text = render(
            "# Title\n\nSome **bold** and *it* and `code`.\n\n- one\n- two\n  1. nested\n\n> quoted\n\n```rust\nlet x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &Theme::with_color(true),
            80,
        );
        assert_eq!(
            plain(&text),
            [
                "Title",
                "",
                "Some bold and it and code.",
                "",
                "• one",
                "• two",
                "  1. nested",
                "",
                "│ quoted",
                "",
                "╭─ rust",
                "│ let x = 1;",
                "╰─",
                "",
                "a │ b",
                "──┼──",
                "1 │ 2",
            ]
        );
    }

    #[test]
    fn inline_styles_are_applied() {
        let text = render("**b** *i* `c` ~~s~~", &Theme::with_color(true), 80);
        let spans = &text.lines[0].spans;
        assert!(spans[0].style.add_modifier.contains(Modifier::BOLD));
        assert!(spans[2].style.add_modifier.contains(Modifier::ITALIC));
        assert_eq!(spans[4].style, Theme::with_color(true).code());
        assert!(spans[6].style.add_modifier.contains(Modifier::CROSSED_OUT));
    }

    #[test]
    fn tables_are_aligned_under_a_rule_and_cut_to_the_width() {
        let source =
            "| name | meaning |\n|---|---|\n| ReLU | max(0, x), the usual activation |\n| GELU | smooth |\n";
        let wide = render(source, &Theme::with_color(false), 80);
        assert_eq!(
            plain(&wide),
            [
                "name │ meaning                        ",
                "─────┼────────────────────────────────",
                "ReLU │ max(0, x), the usual activation",
                "GELU │ smooth                         ",
            ]
        );
        assert!(wide.lines[0].spans[0].style.add_modifier.contains(Modifier::BOLD));
        let narrow = render(source, &Theme::with_color(false), 24);
        assert_eq!(
            plain(&narrow),
            [
                "name │ meaning          ",
                "─────┼──────────────────",
                "ReLU │ max(0, x), the u…",
                "GELU │ smooth           ",
            ]
        );
        assert!(plain(&narrow).iter().all(|line| line.chars().count() <= 24));
    }

    #[test]
    fn no_color_keeps_modifiers_only() {
        let text = render("`c`", &Theme::with_color(false), 80);
        assert_eq!(text.lines[0].spans[0].style, Style::new());
    }
}
