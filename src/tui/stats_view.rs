//! The statistics screen: a calendar heatmap of reviews, the 30-day forecast, retention, card
//! counts and a table of sections with mastery bars. On narrow screens the same facts are
//! shown as one scrolling column.

use chrono::{Datelike, NaiveDate};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Sparkline};

use super::theme::Theme;
use crate::stats::{RetentionWindow, Stats};
use crate::text::{plural, visible_line};

/// The statistics screen's state.
#[derive(Debug, Clone)]
pub struct StatsScreen {
    pub(crate) stats: Stats,
    /// Lines scrolled in the sections table (or the narrow column).
    pub(crate) scroll: u16,
}

impl StatsScreen {
    pub fn new(stats: Stats) -> StatsScreen {
        StatsScreen { stats, scroll: 0 }
    }

    /// Handles a key; true when the screen should close.
    pub(crate) fn key(&mut self, key: KeyEvent) -> bool {
        match key.code {
            KeyCode::Char('j') | KeyCode::Down => self.scroll = self.scroll.saturating_add(1),
            KeyCode::Char('k') | KeyCode::Up => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::PageDown => self.scroll = self.scroll.saturating_add(10),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            _ => return true,
        }
        false
    }
}

/// Draws the statistics screen over the whole frame.
pub(crate) fn draw(frame: &mut Frame, screen: &mut StatsScreen, theme: &Theme) {
    let area = frame.area();
    let [title, body, footer] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(5), Constraint::Length(1)]).areas(area);
    let s = &screen.stats;
    // A narrow screen drops whole parts of the heading, never cuts a number.
    let parts = [
        " Statistics".to_string(),
        format!("today {}", plural(s.today.reviews.max(0) as usize, "review")),
        format!("streak {}", plural(s.streak.current as usize, "day")),
        format!("(longest {})", s.streak.longest),
    ];
    let mut heading = String::new();
    for (n, part) in parts.iter().enumerate() {
        let joined = match n {
            0 => part.clone(),
            3 => format!("{heading} {part}"),
            _ => format!("{heading} · {part}"),
        };
        if joined.chars().count() > usize::from(title.width) {
            break;
        }
        heading = joined;
    }
    frame.render_widget(Paragraph::new(Span::styled(heading, theme.title())), title);
    let keys = " j k scroll · any other key closes";
    frame.render_widget(Paragraph::new(Span::styled(keys, theme.muted())), footer);
    if body.width >= 76 && body.height >= 22 {
        wide(frame, body, screen, theme);
    } else {
        narrow(frame, body, screen, theme);
    }
}

fn boxed(title: &str, theme: &Theme) -> Block<'static> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!(" {title} "), theme.title()))
}

fn wide(frame: &mut Frame, area: Rect, screen: &mut StatsScreen, theme: &Theme) {
    let [top, middle, bottom] =
        Layout::vertical([Constraint::Length(9), Constraint::Length(7), Constraint::Min(4)]).areas(area);
    let [heatmap_area, retention_area] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(44)]).areas(top);
    let [forecast_area, counts_area] =
        Layout::horizontal([Constraint::Min(30), Constraint::Length(44)]).areas(middle);
    let stats = &screen.stats;

    let weeks = usize::from(heatmap_area.width.saturating_sub(7));
    let block = boxed(&format!("Reviews, last {weeks} weeks"), theme);
    frame.render_widget(
        Paragraph::new(heatmap(stats, weeks, theme)).block(block),
        heatmap_area,
    );
    frame.render_widget(
        Paragraph::new(retention_lines(stats, theme)).block(boxed("True retention", theme)),
        retention_area,
    );

    let due: Vec<u64> = stats.forecast.iter().map(|f| f.due as u64).collect();
    let most = due.iter().max().copied().unwrap_or(0);
    let block = boxed(&format!("Due, next 30 days (most {most} a day)"), theme);
    let inner = block.inner(forecast_area);
    frame.render_widget(block, forecast_area);
    let [chart, axis] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    frame.render_widget(Sparkline::default().data(&due).style(theme.bar()), chart);
    let first = stats
        .forecast
        .first()
        .map(|f| f.date.format("%m-%d").to_string())
        .unwrap_or_default();
    let last = stats
        .forecast
        .last()
        .map(|f| f.date.format("%m-%d").to_string())
        .unwrap_or_default();
    let gap = due.len().saturating_sub(first.len() + last.len());
    let axis_text = format!("{first}{}{last}", " ".repeat(gap));
    frame.render_widget(Paragraph::new(Span::styled(axis_text, theme.muted())), axis);
    frame.render_widget(
        Paragraph::new(count_lines(stats)).block(boxed("Cards", theme)),
        counts_area,
    );

    let block = boxed("Sections: mastery is the share of mature cards", theme);
    let inner = block.inner(bottom);
    frame.render_widget(block, bottom);
    let lines = section_lines(stats, inner.width, theme);
    let max = (lines.len() as u16).saturating_sub(inner.height);
    screen.scroll = screen.scroll.min(max);
    frame.render_widget(Paragraph::new(lines).scroll((screen.scroll, 0)), inner);
}

fn narrow(frame: &mut Frame, area: Rect, screen: &mut StatsScreen, theme: &Theme) {
    let stats = &screen.stats;
    let mut lines = count_lines(stats);
    lines.push(Line::default());
    lines.extend(retention_lines(stats, theme));
    lines.push(Line::default());
    let due: String = stats
        .forecast
        .iter()
        .map(|f| spark(f.due, stats.forecast.iter().map(|f| f.due).max()))
        .collect();
    lines.push(Line::styled("Due, next 30 days", theme.title()));
    lines.push(Line::styled(due, theme.bar()));
    lines.push(Line::default());
    lines.extend(section_lines(stats, area.width, theme));
    let max = (lines.len() as u16).saturating_sub(area.height);
    screen.scroll = screen.scroll.min(max);
    frame.render_widget(Paragraph::new(lines).scroll((screen.scroll, 0)), area);
}

/// One of eight bar heights for `value` out of `max`.
fn spark(value: usize, max: Option<usize>) -> char {
    const BARS: [char; 9] = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    match max {
        Some(max) if max > 0 && value > 0 => BARS[(value * 8).div_ceil(max).clamp(1, 8)],
        _ => BARS[0],
    }
}

/// Weeks as columns, Monday to Sunday as rows, the latest week on the right.
fn heatmap(stats: &Stats, weeks: usize, theme: &Theme) -> Vec<Line<'static>> {
    let Some(today) = stats.daily.last().map(|d| d.date) else {
        return Vec::new();
    };
    let reviews: std::collections::HashMap<NaiveDate, i64> =
        stats.daily.iter().map(|d| (d.date, d.reviews)).collect();
    let most = stats.daily.iter().map(|d| d.reviews).max().unwrap_or(0).max(1);
    let this_monday = crate::schedule::day::sub(today, u64::from(today.weekday().num_days_from_monday()));
    let first_monday = crate::schedule::day::sub(this_monday, 7 * weeks.saturating_sub(1) as u64);
    ["Mon", "", "Wed", "", "Fri", "", "Sun"]
        .iter()
        .enumerate()
        .map(|(weekday, label)| {
            let mut spans = vec![Span::styled(format!("{label:<4}"), theme.muted())];
            for week in 0..weeks {
                let day = crate::schedule::day::add(first_monday, (week * 7 + weekday) as u64);
                let (symbol, style) = match reviews.get(&day) {
                    _ if day > today => (" ", Style::new()),
                    Some(&n) if n > 0 => {
                        let level = ((n * 4 + most - 1) / most).clamp(1, 4) as usize;
                        (["", "░", "▒", "▓", "█"][level], theme.bar())
                    }
                    _ => ("·", theme.muted()),
                };
                spans.push(Span::styled(symbol, style));
            }
            Line::from(spans)
        })
        .collect()
}

fn retention_lines(stats: &Stats, theme: &Theme) -> Vec<Line<'static>> {
    let cell = |window: &RetentionWindow| {
        [&window.young, &window.mature, &window.total]
            .map(|r| r.rate.map_or("-".to_string(), |p| format!("{p:.1}%")))
    };
    let r = &stats.retention;
    let mut lines = vec![Line::styled(
        format!("{:<14}{:>8}{:>9}{:>9}", "", "young", "mature", "all"),
        theme.muted(),
    )];
    for (label, window) in [
        ("today", &r.today),
        ("yesterday", &r.yesterday),
        ("7 days", &r.last_7_days),
        ("30 days", &r.last_30_days),
        ("365 days", &r.last_365_days),
        ("all time", &r.all_time),
    ] {
        let [young, mature, all] = cell(window);
        lines.push(Line::raw(format!("{label:<14}{young:>8}{mature:>9}{all:>9}")));
    }
    lines
}

fn count_lines(stats: &Stats) -> Vec<Line<'static>> {
    let c = &stats.counts;
    vec![
        Line::raw(format!(
            "{} in use · {}",
            plural(c.total, "card"),
            plural(c.leeches, "leech")
        )),
        Line::raw(format!(
            "new {} · learning {} · young {}",
            c.new, c.learning, c.young
        )),
        Line::raw(format!("mature {} · suspended {}", c.mature, c.suspended)),
        Line::raw(format!(
            "today: {} of {}, {} new",
            plural(stats.today.reviews.max(0) as usize, "review"),
            plural(stats.today.cards_reviewed, "card"),
            stats.today.new_learnt
        )),
    ]
}

fn section_lines(stats: &Stats, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    // Narrow screens drop the ease and lapse columns and shorten the bar. With sections of
    // several decks, a deck column tells two "Lecture 1" apart.
    let wide = width >= 60;
    let bar_width = if wide { 20 } else { 8 };
    // What the columns after the names take: cards, the bar, and the figures after it.
    let fixed = if wide { 48 } else { 22 };
    let names = usize::from(width).saturating_sub(fixed).max(8);
    let several_decks = stats.sections.windows(2).any(|pair| pair[0].deck != pair[1].deck);
    let deck_width = if several_decks {
        let longest = stats
            .sections
            .iter()
            .map(|s| s.deck.chars().count())
            .max()
            .unwrap_or(4);
        longest.min(names / 3).max(4)
    } else {
        0
    };
    let section_width = names
        .saturating_sub(deck_width + usize::from(several_decks))
        .max(4);
    let name = |deck: &str, section: &str| {
        let section = crate::text::fit(section, section_width);
        if several_decks {
            format!("{} {section}", crate::text::fit(deck, deck_width))
        } else {
            section
        }
    };
    let header = if wide {
        format!(
            "{} {:>5} {:<bar_width$} {:>7} {:>5} {:>6}",
            name("deck", "section"),
            "cards",
            "mastery",
            "mature",
            "ease",
            "lapses"
        )
    } else {
        format!(
            "{} {:>5} {:<bar_width$} {:>6}",
            name("deck", "section"),
            "cards",
            "mastery",
            "mature"
        )
    };
    let mut lines = vec![Line::styled(header, theme.muted())];
    for section in &stats.sections {
        let title: String = if section.section.is_empty() {
            "(no section)".into()
        } else {
            visible_line(&section.section).into_owned()
        };
        let filled = (section.mature_percent / 100.0 * bar_width as f64).round() as usize;
        let ease = section
            .average_ease
            .map_or("-".to_string(), |e| format!("{e:.2}"));
        let (cards, tail) = if wide {
            (
                format!("{:>5}", section.cards),
                format!(
                    " {:>6.1}% {ease:>5} {:>6}",
                    section.mature_percent, section.lapses
                ),
            )
        } else {
            (
                format!("{:>5}", section.cards),
                format!(" {:>5.0}%", section.mature_percent),
            )
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} {cards} ", name(&visible_line(&section.deck), &title))),
            Span::styled("█".repeat(filled), theme.bar()),
            Span::styled("░".repeat(bar_width - filled), theme.muted()),
            Span::raw(tail),
        ]));
    }
    lines
}
