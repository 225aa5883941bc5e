//! `recall stats`: progress statistics as text, JSON, CSV, or the statistics screen.

use std::io::{IsTerminal, Write};

use super::{Context, plural, selection, stdout_error, write_json};
use crate::cli::{StatsArgs, StatsFormat};
use crate::error::{Error, Result};
use crate::stats::{self, RetentionWindow, Stats};
use crate::text::duration;

pub(super) fn run(context: &Context, args: &StatsArgs, out: &mut impl Write) -> Result<()> {
    if args.tui && !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        return Err(Error::usage(
            "the statistics screen needs a terminal; use `recall stats` for text",
        ));
    }
    let store = context.open_existing()?;
    let (now, today) = (context.now, context.today(&store));
    let selection = selection(&store, &args.deck, &args.section)?;
    let input = stats::gather(&store, &selection, today, now)?;
    super::print_warnings_list(input.warnings.clone());
    let stats = stats::compute(&input);
    if args.tui {
        return crate::tui::run_stats(&stats);
    }
    match args.format {
        StatsFormat::Json => write_json(out, &stats),
        StatsFormat::Csv => write_csv(&stats, out).map_err(stdout_error),
        StatsFormat::Text => write_text(&stats, out).map_err(stdout_error),
    }
}

fn write_csv(stats: &Stats, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "date,reviews,correct,seconds,new")?;
    for day in &stats.daily {
        writeln!(
            out,
            "{},{},{},{},{}",
            day.date, day.reviews, day.correct, day.seconds, day.new
        )?;
    }
    Ok(())
}

/// One line per row: its label, a bar scaled to the largest value, the value; `first_note`
/// follows the first line.
fn write_bars(
    rows: impl Iterator<Item = (String, i64)>,
    first_note: &str,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let rows: Vec<_> = rows.collect();
    let most = rows.iter().map(|(_, value)| *value).max().unwrap_or(0) as f64;
    let label_width = rows
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    for (n, (label, value)) in rows.iter().enumerate() {
        let note = if n == 0 { first_note } else { "" };
        let bar = bar(*value as f64, most, 30);
        writeln!(out, "  {label:<label_width$} {bar:<30} {value}{note}")?;
    }
    Ok(())
}

fn day_label(date: chrono::NaiveDate) -> String {
    date.format("%a %m-%d").to_string()
}

/// Distribution buckets as bar rows: label and number of cards.
fn bucket_rows(buckets: &[stats::Bucket]) -> impl Iterator<Item = (String, i64)> + '_ {
    buckets.iter().map(|b| (b.label.to_string(), b.cards as i64))
}

/// A bar of `width` at most, proportional to `value / max`.
pub(super) fn bar(value: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || value <= 0.0 {
        return String::new();
    }
    let cells = (value / max * width as f64).round().max(1.0) as usize;
    "█".repeat(cells.min(width))
}

fn rate(window: &RetentionWindow) -> [String; 3] {
    [&window.young, &window.mature, &window.total].map(|rate| match rate.rate {
        Some(percent) => format!("{percent:.1}% ({}/{})", rate.passed, rate.passed + rate.failed),
        None => "-".to_string(),
    })
}

fn write_text(stats: &Stats, out: &mut impl Write) -> std::io::Result<()> {
    let t = &stats.today;
    let correct = t.percent_correct.map_or("-".to_string(), |p| format!("{p:.0}%"));
    writeln!(
        out,
        "Today ({}): {} of {} in {}, {} new, {}, {correct} correct",
        t.date,
        plural(t.reviews.max(0) as usize, "review"),
        plural(t.cards_reviewed, "card"),
        duration(t.seconds.max(0) as u64),
        t.new_learnt,
        plural(t.redrills.max(0) as usize, "re-drill")
    )?;
    let c = &stats.counts;
    writeln!(
        out,
        "Cards: {} in use: {} new, {} learning, {} young, {} mature, {} suspended; {}",
        c.total,
        c.new,
        c.learning,
        c.young,
        c.mature,
        c.suspended,
        plural(c.leeches, "leech")
    )?;
    let streak = &stats.streak;
    writeln!(
        out,
        "Streak: {} (longest {})",
        plural(streak.current as usize, "day"),
        streak.longest
    )?;

    writeln!(out, "\nTrue retention   {:<22} {:<22} all", "young", "mature")?;
    let r = &stats.retention;
    for (label, window) in [
        ("today", &r.today),
        ("yesterday", &r.yesterday),
        ("last 7 days", &r.last_7_days),
        ("last 30 days", &r.last_30_days),
        ("last 365 days", &r.last_365_days),
        ("all time", &r.all_time),
    ] {
        let [young, mature, total] = rate(window);
        writeln!(out, "  {label:<14} {young:<22} {mature:<22} {total}")?;
    }
    if let Some(predicted) = r.predicted_today {
        writeln!(
            out,
            "  predicted today by FSRS: {predicted}% (the cards in review, on average)"
        )?;
    }

    writeln!(out, "\nDue in the next 7 days")?;
    let week = stats
        .forecast
        .iter()
        .take(7)
        .map(|f| (day_label(f.date), f.due as i64));
    write_bars(week, "  (overdue included)", out)?;
    writeln!(out, "\nReviews in the last 14 days")?;
    let fortnight = stats
        .daily
        .iter()
        .skip(stats.daily.len().saturating_sub(14))
        .map(|d| (day_label(d.date), d.reviews));
    write_bars(fortnight, "", out)?;
    if stats.ease.iter().any(|b| b.cards > 0) {
        writeln!(out, "\nCards in review by ease")?;
        write_bars(bucket_rows(&stats.ease), "", out)?;
        writeln!(out, "\nCards in review by interval")?;
        write_bars(bucket_rows(&stats.intervals), "", out)?;
    }

    let mut weakest: Vec<&stats::Section> = stats
        .sections
        .iter()
        .filter(|s| s.average_ease.is_some())
        .collect();
    weakest.sort_by(|a, b| {
        a.mature_percent
            .total_cmp(&b.mature_percent)
            .then(b.lapses.cmp(&a.lapses))
    });
    if !weakest.is_empty() {
        writeln!(
            out,
            "\nWeakest sections                          cards  mature  ease  lapses"
        )?;
        for section in weakest.iter().take(10) {
            let name: String = section.section.chars().take(40).collect();
            let ease = section
                .average_ease
                .map_or("-".to_string(), |e| format!("{e:.2}"));
            writeln!(
                out,
                "  {name:<40} {:>5}  {:>5.1}%  {ease:>4}  {:>6}",
                section.cards, section.mature_percent, section.lapses
            )?;
        }
    }
    let hard: Vec<_> = stats.hardest.iter().filter(|h| h.lapses > 0).collect();
    if !hard.is_empty() {
        writeln!(out, "\nHardest cards")?;
        for card in hard {
            writeln!(
                out,
                "  {}  {}  ease {:.2}  {}",
                card.id,
                plural(card.lapses as usize, "lapse"),
                card.ease,
                card.question
            )?;
        }
    }
    Ok(())
}
