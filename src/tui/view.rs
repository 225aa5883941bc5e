//! Drawing the review screen: header (deck, section, progress), the card, a status line and
//! the keys. Works from 40x12 up; below that it says the terminal is too small.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, NothingDue, Screen};
use super::cloze;
use super::markdown;
use super::theme::Theme;
use crate::notes::math;
use crate::review::queue::EntryKind;
use crate::review::summary::Summary;
use crate::text::duration;
use crate::text::{percent, plural, visible, visible_line};

/// The smallest screen the review is drawn on.
pub(crate) const MIN_WIDTH: u16 = 40;
pub(crate) const MIN_HEIGHT: u16 = 12;

/// The grade labels shown on screen.
pub(crate) const GRADE_LABELS: [&str; 6] =
    ["blackout", "wrong", "wrong but familiar", "hard", "good", "easy"];
/// The labels on a narrow screen, where the grades take three lines of two.
const SHORT_GRADE_LABELS: [&str; 6] = ["blackout", "wrong", "familiar", "hard", "good", "easy"];
/// The narrowest screen with the grades on two lines and their full labels.
const WIDE_FOOTER: u16 = 72;

/// The grade labels that fit a screen `width` columns wide.
fn grade_labels(width: u16) -> [&'static str; 6] {
    if width >= WIDE_FOOTER {
        GRADE_LABELS
    } else {
        SHORT_GRADE_LABELS
    }
}

/// Draws the whole screen.
pub fn draw(frame: &mut Frame, app: &mut App, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return;
    }
    if let Some(screen) = &mut app.stats {
        super::stats_view::draw(frame, screen, theme);
        return;
    }
    match &app.screen {
        Screen::Review => review(frame, app, theme),
        Screen::Summary(summary) => summary_screen(frame, area, summary, app.session.done() > 0, theme),
        Screen::NothingDue(nothing) => nothing_due(frame, area, nothing, theme),
    }
    if app.help {
        help(frame, area, theme);
    }
}

/// Says the terminal is too small, instead of drawing a broken screen.
pub(crate) fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = format!(
        "Terminal too small ({}x{}). recall needs at least {MIN_WIDTH}x{MIN_HEIGHT}. q quits.",
        area.width, area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.title())
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// The widest the review is drawn: longer lines are hard to read, so a wide terminal gets a
/// column of this width in its middle.
const MEASURE: u16 = 100;

/// The part of `area` the review is drawn in: all of it up to [`MEASURE`] columns, centred.
fn readable(area: Rect) -> Rect {
    let width = area.width.min(MEASURE);
    Rect {
        x: area.x + (area.width - width) / 2,
        width,
        ..area
    }
}

fn review(frame: &mut Frame, app: &mut App, theme: &Theme) {
    let area = readable(frame.area());
    let width = area.width;
    // A short screen keeps its rows for the card: no blank row under the progress bar, and a
    // message of one row at most.
    let tall = area.height >= 16;
    let status_width = width.saturating_sub(2);
    // The message about the last key, then the notice that stays for the session; a short
    // screen has room for one row, the message first.
    let mut said: Vec<&String> = app.message.iter().chain(&app.notice).collect();
    if !tall {
        said.truncate(1);
    }
    let status_text = (!said.is_empty()).then(|| {
        let lines: Vec<Line> = said
            .into_iter()
            .map(|text| {
                let text = visible_line(text);
                let text = if tall {
                    text.into_owned()
                } else {
                    crate::text::cut(&text, usize::from(status_width)).into_owned()
                };
                Line::styled(text, theme.muted())
            })
            .collect();
        Paragraph::new(lines).wrap(Wrap { trim: true })
    });
    let status_height = status_text
        .as_ref()
        .map_or(0, |text| text.line_count(status_width).clamp(1, 3));
    let footer_height = if width < WIDE_FOOTER { 3 } else { 2 };
    let [header, progress, _, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(u16::from(tall)),
        Constraint::Min(3),
        Constraint::Length(status_height as u16),
        Constraint::Length(footer_height),
    ])
    .areas(area);
    let Some((entry, card)) = app.session.current() else {
        return;
    };
    let markdown = app.session.is_markdown(card);

    let kind = match entry.kind {
        EntryKind::New => "new",
        EntryKind::Review => "review",
        EntryKind::Redrill => "re-drill",
        EntryKind::Cram => "cram",
    };
    let kind = match app.session.recall_chance() {
        Some(chance) => format!("{kind} · recall {}", percent(chance)),
        None => kind.to_string(),
    };
    let mut title = Line::from(Span::styled(
        format!(" {}", visible_line(&card.deck)),
        theme.title(),
    ));
    if !card.section.is_empty() {
        title.push_span(Span::styled(
            format!(" › {}", visible_line(&card.section)),
            theme.muted(),
        ));
    }
    let [title_area, kind_area] =
        Layout::horizontal([Constraint::Min(10), Constraint::Length(kind.len() as u16 + 2)]).areas(header);
    frame.render_widget(Paragraph::new(title), title_area);
    frame.render_widget(
        Paragraph::new(Span::styled(format!("{kind} "), theme.muted())).right_aligned(),
        kind_area,
    );
    frame.render_widget(
        Paragraph::new(progress_line(app, progress.width, theme)),
        progress,
    );

    // A picture takes the lower part of the card's room, on terminals that can draw one.
    let picture = app
        .pictures
        .can_draw()
        .then(|| app.picture().map(str::to_string))
        .flatten();
    let (body, picture_area) = match &picture {
        Some(_) if body.height >= 8 => {
            let [text, picture] =
                Layout::vertical([Constraint::Min(3), Constraint::Percentage(50)]).areas(body);
            (text, Some(picture))
        }
        _ => (body, None),
    };
    let mut inner = body.inner(ratatui::layout::Margin::new(1, 0));
    let mut text = card_text(&card.question, markdown, theme.question(), theme, inner.width);
    // The row of "── answer ──", below the question and a blank row.
    let answer_row = app.scroll_to_answer.then(|| {
        Paragraph::new(text.clone())
            .wrap(Wrap { trim: false })
            .line_count(inner.width) as u16
            + 1
    });
    if app.revealed {
        text.lines.push(Line::default());
        text.lines.push(Line::styled("── answer ──", theme.muted()));
        let answer = match &card.cloze {
            Some(cloze) => {
                let marked = cloze::mark(&card.answer, &cloze.revealed);
                let mut answer = card_text(&marked, markdown, Style::new(), theme, inner.width);
                cloze::highlight(&mut answer, theme.revealed());
                answer
            }
            None => card_text(&card.answer, markdown, Style::new(), theme, inner.width),
        };
        text.lines.extend(answer.lines);
        // A note may give the answer away, so it comes with the answer, never before.
        if !card.note.is_empty() {
            text.lines.push(Line::styled(
                format!("note: {}", visible_line(&card.note)),
                theme.muted(),
            ));
        }
    }
    let paragraph = Paragraph::new(text).wrap(Wrap { trim: false });
    let height = paragraph.line_count(inner.width) as u16;
    let overflows = height > inner.height;
    if overflows {
        // The last row tells how far down the reader is, under the text rather than over it.
        inner.height -= 1;
    }
    if let Some(row) = answer_row {
        app.scroll_to_answer = false;
        // Unless the answer's heading and first line show, start the view at the heading.
        if row + 2 > inner.height {
            app.scroll = row;
        }
    }
    app.viewport = (height, inner.height);
    app.scroll = app.scroll.min(height.saturating_sub(inner.height));
    frame.render_widget(paragraph.scroll((app.scroll, 0)), inner);
    if overflows {
        let more = format!(" {}/{} j/k ", app.scroll + inner.height, height);
        let at = Rect {
            x: body.right().saturating_sub(more.len() as u16),
            y: inner.bottom(),
            width: (more.len() as u16).min(body.width),
            height: 1,
        };
        frame.render_widget(Paragraph::new(Span::styled(more, theme.muted())), at);
    }

    if let (Some(path), Some(area)) = (&picture, picture_area) {
        app.pictures
            .draw(frame, path, area.inner(ratatui::layout::Margin::new(1, 0)));
    }
    if let Some(text) = status_text {
        frame.render_widget(text, status.inner(ratatui::layout::Margin::new(1, 0)));
    }
    frame.render_widget(Paragraph::new(footer_lines(app, footer.width, theme)), footer);
}

/// Card text longer than this is cut for display: wrapping megabytes on every frame made the
/// screen hang (the notes and the collection keep the whole text).
const DISPLAY_LIMIT: usize = 16 * 1024;

/// Card text: Markdown rendered for Markdown decks, plain text as written.
fn card_text(source: &str, markdown: bool, style: Style, theme: &Theme, width: u16) -> Text<'static> {
    // Cut first: the rest of a long card is never looked at.
    let mut source = std::borrow::Cow::Borrowed(source);
    if source.len() > DISPLAY_LIMIT {
        let mut end = DISPLAY_LIMIT;
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        source = format!("{}… (cut for display)", &source[..end]).into();
    }
    let source = visible(&source);
    let mut text = if markdown {
        markdown::render(&source, theme, usize::from(width))
    } else {
        Text::raw(math::render(&source))
    };
    for line in &mut text.lines {
        for span in &mut line.spans {
            span.style = style.patch(span.style);
        }
    }
    text
}

/// `██████░░░░ 12/40  new 8 · review 15 · re-drill 2`, shortened on narrow screens.
fn progress_line(app: &App, width: u16, theme: &Theme) -> Line<'static> {
    let remaining = app.session.queue().remaining();
    let done = app.session.done();
    let total = done + remaining.total();
    let counts = if remaining.cram > 0 {
        format!("cram {} · re-drill {}", remaining.cram, remaining.redrills)
    } else {
        format!(
            "new {} · review {} · re-drill {}",
            remaining.new, remaining.reviews, remaining.redrills
        )
    };
    let numbers = format!(" {done}/{total} ");
    let spare = usize::from(width).saturating_sub(numbers.len() + 2);
    let (bar_width, counts) = if spare >= counts.chars().count() + 12 {
        (spare - counts.chars().count() - 1, counts)
    } else {
        (spare, String::new())
    };
    let filled = (bar_width * done).checked_div(total).unwrap_or(0);
    Line::from(vec![
        Span::raw(" "),
        Span::styled("█".repeat(filled), theme.bar()),
        Span::styled("░".repeat(bar_width - filled), theme.muted()),
        Span::styled(numbers, theme.title()),
        Span::styled(counts, theme.muted()),
    ])
}

fn footer_lines(app: &App, width: u16, theme: &Theme) -> Text<'static> {
    let key = |k: &str| Span::styled(format!(" {k} "), theme.key());
    let label = |l: &str| Span::raw(format!(" {l}  "));
    let wide = width >= WIDE_FOOTER;
    if !app.revealed {
        let keys = |pairs: &[(&str, &str)]| -> Vec<Span<'static>> {
            pairs.iter().flat_map(|&(k, l)| [key(k), label(l)]).collect()
        };
        let reveal = keys(&[("space", "show the answer")]);
        let card = keys(&[("u", "undo"), ("b", "bury"), ("!", "suspend")]);
        let other = keys(&[("e", "edit"), ("?", "keys"), ("q", "quit")]);
        let lines = if wide {
            vec![reveal, [card, other].concat()]
        } else {
            vec![reveal, card, other]
        };
        return Text::from(lines.into_iter().map(Line::from).collect::<Vec<_>>());
    }
    let intervals = app.session.intervals();
    let labels = grade_labels(width);
    let grade = |g: usize| {
        let when = match intervals {
            Some(days) => format!("{}d", days[g]),
            None if g < 4 => "again".to_string(),
            None => "done".to_string(),
        };
        [
            Span::styled(format!(" {g} "), theme.key()),
            Span::styled(format!(" {} {when}  ", labels[g]), theme.grade(g as u8)),
        ]
    };
    let rows: &[&[usize]] = if wide {
        &[&[0, 1, 2], &[3, 4, 5]]
    } else {
        &[&[0, 1], &[2, 3], &[4, 5]]
    };
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|row| Line::from(row.iter().flat_map(|&g| grade(g)).collect::<Vec<_>>()))
        .collect();
    if let Some(last) = lines.last_mut()
        && usize::from(width) >= last.width() + 10
    {
        last.spans.extend([key("?"), label("keys")]);
    }
    Text::from(lines)
}

fn help(frame: &mut Frame, area: Rect, theme: &Theme) {
    // (key, its short form for a narrow screen, meaning, whether it is a grade)
    let keys: [(&str, &str, &str, bool); 15] = [
        ("space, enter", "space", "show the answer", false),
        ("0", "0", "blackout: no idea", true),
        ("1", "1", "wrong", true),
        ("2", "2", "wrong, answer felt familiar", true),
        ("3", "3", "right, but hard", true),
        ("4", "4", "right after thought (good)", true),
        ("5", "5", "right at once (easy)", true),
        ("u", "u", "undo the last grade (repeats)", false),
        ("b", "b", "bury: hide until tomorrow", false),
        ("!", "!", "suspend: no more reviews", false),
        ("e", "e", "edit the notes, re-import", false),
        ("o", "o", "open the card's image", false),
        ("s", "s", "statistics", false),
        ("j k ↑ ↓ PgUp PgDn", "j k ↑ ↓", "scroll a long answer", false),
        ("q, esc", "q esc", "end the session", false),
    ];
    let wide = area.width >= 64;
    // A short screen leaves out the grades, which the footer shows once the answer is.
    let tall = area.height >= keys.len() as u16 + 5;
    let key_width = if wide { 18 } else { 7 };
    let mut lines: Vec<Line> = keys
        .iter()
        .filter(|&&(.., grade)| tall || !grade)
        .map(|&(key, short, meaning, _)| {
            let key = if wide { key } else { short };
            Line::from(vec![
                Span::styled(format!("{key:>key_width$}  "), theme.title()),
                Span::raw(meaning),
            ])
        })
        .collect();
    if tall {
        lines.push(Line::default());
        lines.push(Line::styled(
            "Grades below 4 bring the card back later in the session.",
            theme.muted(),
        ));
    }
    lines.push(Line::styled("Press any key to close this help.", theme.muted()));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(" keys ", theme.title()));
    let paragraph = Paragraph::new(lines).block(block).wrap(Wrap { trim: false });
    let width = 64.min(area.width);
    // The block's borders are counted by line_count.
    let height = (paragraph.line_count(width) as u16).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, popup);
    frame.render_widget(paragraph, popup);
}

/// `undoable`: a grade of the session can still be taken back (`u` is offered).
fn summary_screen(frame: &mut Frame, area: Rect, summary: &Summary, undoable: bool, theme: &Theme) {
    // A short screen drops the blank rows; the keys always keep the last row.
    let compact = area.height < 20;
    let labels = grade_labels(area.width);
    let label_width = labels.iter().map(|label| label.len()).max().unwrap_or(0);
    let mut lines = vec![
        Line::styled("Session over", theme.title()),
        Line::default(),
        Line::raw(format!(
            "Reviewed {} ({} new, {}) in {}",
            plural(summary.reviewed, "card"),
            summary.new_learnt,
            plural(summary.redrills, "re-drill"),
            duration(summary.seconds)
        )),
        Line::default(),
    ];
    let most = summary.grades.iter().copied().max().unwrap_or(0).max(1);
    let bar_room = usize::from(area.width).saturating_sub(label_width + 16).min(30);
    for (grade, &count) in summary.grades.iter().enumerate() {
        let bar = "█".repeat(count * bar_room / most + usize::from(count > 0 && count * bar_room < most));
        lines.push(Line::from(vec![
            Span::styled(
                format!("{grade} {:<label_width$} ", labels[grade]),
                theme.grade(grade as u8),
            ),
            Span::styled(bar, theme.bar()),
            Span::raw(format!(" {count}")),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::raw(format!(
        "Due tomorrow: {}   in the next 7 days: {}",
        summary.due_tomorrow, summary.due_next_7_days
    )));
    lines.extend(crate::review::summary::held_back(summary).map(Line::raw));
    if compact {
        lines.retain(|line| line.width() > 0);
    }
    let inner = margin().inner(area);
    let paragraph = Paragraph::new(lines).wrap(Wrap { trim: false });
    let gap = u16::from(!compact);
    let room = inner.height.saturating_sub(gap + 1);
    let [body, _, keys, _] = Layout::vertical([
        Constraint::Length((paragraph.line_count(inner.width) as u16).min(room)),
        Constraint::Length(gap),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(paragraph, body);
    let hint = match (undoable, keys.width >= 56) {
        (true, true) => "Press u to undo the last grade, any other key to close.",
        (true, false) => "u: undo · other keys: close",
        (false, _) => "Press any key to close.",
    };
    frame.render_widget(Paragraph::new(Span::styled(hint, theme.muted())), keys);
}

fn nothing_due(frame: &mut Frame, area: Rect, nothing: &NothingDue, theme: &Theme) {
    let mut lines = vec![
        Line::styled("Nothing to review right now.", theme.title()),
        Line::default(),
    ];
    if !nothing.has_cards {
        lines.push(Line::raw("The collection has no cards yet."));
    }
    match nothing.next {
        Some((day, count)) => lines.push(Line::raw(format!(
            "Next: {} due on {day}.",
            plural(count, "card")
        ))),
        None if nothing.has_cards => lines.push(Line::raw("No reviews are scheduled.")),
        None => {}
    }
    if let Some(both) = crate::text::new_and_reviews(nothing.new_held_back, nothing.reviews_held_back) {
        lines.push(Line::raw(format!(
            "Today's limits hold back {both}: `recall review --new N` takes more."
        )));
    }
    lines.push(Line::default());
    lines.push(Line::raw("Add notes:      recall import NOTES.txt"));
    lines.push(Line::raw("Study anyway:   recall review --cram"));
    lines.push(Line::default());
    lines.push(Line::styled("Press q to quit.", theme.muted()));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(margin()),
        area,
    );
}

fn margin() -> Block<'static> {
    Block::default().padding(ratatui::widgets::Padding::new(2, 2, 1, 1))
}
