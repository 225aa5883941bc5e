//! `recall card ...`: show, suspend, unsuspend and reset cards by id.

use std::io::Write;

use super::{Context, confirm, plural, print_warnings_list, stdout_error};
use crate::cli::CardCommand;
use crate::core::Kind;
use crate::error::{Error, Result};
use crate::export::card::status_name;
use crate::manage;
use crate::store::Store;
use crate::text::{duration, percent};

pub(super) fn run(context: &Context, command: CardCommand, out: &mut impl Write) -> Result<()> {
    let (ids, line) = match command {
        CardCommand::Show { id } => {
            let store = context.open_existing()?;
            let today = context.today(&store);
            return show(&store, &id, today, out);
        }
        CardCommand::Suspend { ids } => suspend(context, ids, true)?,
        CardCommand::Unsuspend { ids } => suspend(context, ids, false)?,
        CardCommand::Reset { ids, yes } => {
            let mut store = context.open_existing_for_writing()?;
            let found = manage::find_cards(&store, &ids)?;
            let question = format!(
                "reset {} to new (their review history is kept)",
                plural(found.len(), "card")
            );
            if !yes && !confirm(&question)? {
                return writeln!(out, "nothing reset").map_err(stdout_error);
            }
            let stamp = context.stamp(&store);
            let changed = manage::reset_cards(&mut store, &found, stamp)?;
            store.save()?;
            (
                ids,
                format!(
                    "reset {} to new; their review history is kept",
                    plural(changed, "card")
                ),
            )
        }
    };
    writeln!(out, "{line}: {}", ids.join(" ")).map_err(stdout_error)
}

/// Suspends or unsuspends the cards `ids`; returns them and the line to print.
fn suspend(context: &Context, ids: Vec<String>, suspended: bool) -> Result<(Vec<String>, String)> {
    let mut store = context.open_existing_for_writing()?;
    let found = manage::find_cards(&store, &ids)?;
    let stamp = context.stamp(&store);
    let changed = manage::set_cards_suspended(&mut store, &found, suspended, stamp)?;
    store.save()?;
    let verb = if suspended { "suspended" } else { "unsuspended" };
    Ok((ids, format!("{verb} {}", plural(changed, "card"))))
}

/// A kind of record as the card's history shows it: `card_moved` as `moved`.
fn record_kind_name(kind: Kind) -> String {
    let name = kind.name();
    name.strip_prefix("card_").unwrap_or(&name).replace('_', " ")
}

fn show(store: &Store, id: &str, today: chrono::NaiveDate, out: &mut impl Write) -> Result<()> {
    let card = store
        .card(id)
        .ok_or_else(|| Error::usage(format!("no card has the id {id}; `recall cards` lists them")))?;
    let (records, warnings) = store.records_of(id)?;
    print_warnings_list(warnings);
    let source = store
        .deck(&card.deck)
        .and_then(|d| d.source(store.device()))
        .map_or("(no source file)".to_string(), |p| p.display().to_string());
    let s = &card.state;
    let day = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    let io = stdout_error;
    let place = if card.section.is_empty() {
        card.deck.clone()
    } else {
        format!("{} › {}", card.deck, card.section)
    };
    writeln!(out, "Card {}  {place}", card.id).map_err(io)?;
    writeln!(out, "Source: {source}, line {}", card.line).map_err(io)?;
    writeln!(out, "Q: {}", card.question).map_err(io)?;
    writeln!(out, "A: {}", card.answer).map_err(io)?;
    if !card.note.is_empty() {
        writeln!(out, "Note: {}", card.note).map_err(io)?;
    }
    writeln!(
        out,
        "State: {} · repetitions {} · ease {} · interval {} · due {} · lapses {} · last review {}",
        status_name(card),
        s.repetitions,
        s.ease,
        plural(s.interval as usize, "day"),
        day(s.due),
        s.lapses,
        day(s.last_review)
    )
    .map_err(io)?;
    let schedule = store.schedule();
    let fsrs = match card.fsrs {
        Some(memory) => format!(
            "stability {:.1} days · difficulty {:.2} · recall today {} · interval {} · due {}",
            memory.stability,
            memory.difficulty,
            percent(schedule.retrievability(card, today).unwrap_or(0.0)),
            plural(schedule.fsrs_view().interval(card) as usize, "day"),
            day(schedule.fsrs_view().due(card))
        ),
        None => "not reviewed yet".to_string(),
    };
    writeln!(out, "FSRS: {fsrs}").map_err(io)?;
    writeln!(out, "Scheduler: {}", schedule.kind.name()).map_err(io)?;
    writeln!(
        out,
        "Added {}; {} in the log",
        card.added,
        plural(records.len(), "record")
    )
    .map_err(io)?;
    if records.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "\n  {:<10}  {:<8}  {:>5}  {:>8}  {:>5}  {:>6}",
        "DAY", "KIND", "GRADE", "INTERVAL", "EASE", "TIME"
    )
    .map_err(io)?;
    for record in &records {
        let kind = match record.kind {
            Kind::Review => "review".to_string(),
            Kind::Redrill => "re-drill".to_string(),
            other => record_kind_name(other),
        };
        let grade = record.grade.map_or("-".to_string(), |g| g.value().to_string());
        let (interval, ease) = record.after.map_or(("-".to_string(), "-".to_string()), |a| {
            (format!("{}d", a.interval), a.ease.to_string())
        });
        let time = record.ms.map_or("-".to_string(), |ms| duration(ms / 1000));
        writeln!(
            out,
            "  {:<10}  {kind:<8}  {grade:>5}  {interval:>8}  {ease:>5}  {time:>6}",
            record.day.to_string()
        )
        .map_err(io)?;
    }
    Ok(())
}
