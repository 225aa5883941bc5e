//! Markdown card text to styled ratatui lines: bold, italic, strikethrough, inline code, code
//! blocks, lists, block quotes, headings, rules and tables. Wrapping is left to the paragraph.

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};

use super::theme::Theme;

/// Renders `source` as styled text.
pub(crate) fn render(source: &str, theme: &Theme) -> Text<'static> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH;
    let mut renderer = Renderer {
        theme: *theme,
        lines: Vec::new(),
        spans: Vec::new(),
        styles: vec![Style::new()],
        lists: Vec::new(),
        quote_depth: 0,
        in_code_block: false,
        pending_prefix: None,
    };
    for event in Parser::new_ext(source, options) {
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
    /// A list marker waiting for the item's first text.
    pending_prefix: Option<String>,
}

impl Renderer {
    fn event(&mut self, event: Event) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) if self.in_code_block => {
                for line in text.lines() {
                    self.push(line.to_string(), self.theme.code());
                    self.flush();
                }
            }
            Event::Text(text) => self.push(text.into_string(), self.style()),
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
            _ => {}
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
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote_depth += 1;
                self.styles.push(self.style().patch(self.theme.quote()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.in_code_block = true;
                if let CodeBlockKind::Fenced(language) = kind
                    && !language.is_empty()
                {
                    self.lines
                        .push(Line::styled(language.into_string(), self.theme.muted()));
                }
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
            Tag::TableCell if !self.spans.is_empty() => self.push(" │ ".into(), self.theme.muted()),
            Tag::TableHead => self.styles.push(self.style().add_modifier(Modifier::BOLD)),
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
                self.styles.pop();
                self.flush();
            }
            TagEnd::TableRow => self.flush(),
            TagEnd::Table => self.blank(),
            _ => {}
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
    fn blocks_become_lines_with_markers() {
        let text = render(
            "# Title\n\nSome **bold** and *it* and `code`.\n\n- one\n- two\n  1. nested\n\n> quoted\n\n```rust\nlet x = 1;\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
            &Theme::with_color(true),
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
                "rust",
                "let x = 1;",
                "",
                "a │ b",
                "1 │ 2",
            ]
        );
    }

    #[test]
    fn inline_styles_are_applied() {
        let text = render("**b** *i* `c` ~~s~~", &Theme::with_color(true));
        let spans = &text.lines[0].spans;
        assert!(spans[0].style.add_modifier.contains(Modifier::BOLD));
        assert!(spans[2].style.add_modifier.contains(Modifier::ITALIC));
        assert_eq!(spans[4].style, Theme::with_color(true).code());
        assert!(spans[6].style.add_modifier.contains(Modifier::CROSSED_OUT));
    }

    #[test]
    fn no_color_keeps_modifiers_only() {
        let text = render("`c`", &Theme::with_color(false));
        assert_eq!(text.lines[0].spans[0].style, Style::new());
    }
}
