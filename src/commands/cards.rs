//! `recall cards`: list cards with their progress, filtered, by deck and notes line.

use std::collections::HashMap;
use std::io::Write;

use super::{Context, plural, selection, stdout_error, write_json};
use crate::cli::{CardsArgs, TextOrJson};
use crate::core::{Card, Schedule, Status};
use crate::error::Result;
use crate::export::card::{ExportedCard, status_name};
use crate::text::{cut, fit, visible_line};

pub(super) fn run(context: &Context, args: &CardsArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_existing()?;
    let today = context.today(&store);
    let schedule = store.schedule();
    let mut selected = selection(&store, &args.deck, &args.section)?.matcher();
    let search = args.search.as_deref().map(str::to_lowercase);
    let found = |text: &str, wanted: &str| text.to_lowercase().contains(wanted);
    let wanted = |card: &&Card| {
        (args.all || card.status != Status::Retired)
            && selected.card(card)
            && (!args.due
                || (card.status == Status::Active && schedule.due(card).is_some_and(|d| d <= today)))
            && search
                .as_deref()
                .is_none_or(|s| found(&card.question, s) || found(&card.answer, s))
    };
    let mut cards: Vec<&Card> = store.cards().iter().filter(wanted).collect();
    // By deck, in the order of `recall decks`, then as in the notes.
    let deck_order: HashMap<&str, usize> = store
        .decks()
        .iter()
        .enumerate()
        .map(|(at, deck)| (deck.name.as_str(), at))
        .collect();
    cards.sort_by_key(|card| (deck_order.get(card.deck.as_str()).copied(), card.line));
    match args.format {
        TextOrJson::Json => {
            let threshold = store.settings.leech_threshold;
            let views: Vec<ExportedCard> = cards
                .iter()
                .map(|card| ExportedCard::new(card, threshold).scheduled(card, &schedule, today))
                .collect();
            write_json(out, &views)
        }
        TextOrJson::Text => {
            write_table(&cards, &schedule, super::terminal_width(), out).map_err(stdout_error)
        }
    }
}

/// The widest a deck or section name is shown in the table.
const NAME_WIDTH: usize = 24;

/// One card a line; on a terminal `width` wide, each line is cut to fit.
fn write_table(
    cards: &[&Card],
    schedule: &Schedule,
    width: Option<usize>,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let column = |names: &mut dyn Iterator<Item = &str>| {
        names
            .map(|name| name.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(4, NAME_WIDTH)
    };
    let deck_width = column(&mut cards.iter().map(|c| c.deck.as_str()).chain(["DECK"]));
    let section_width = column(&mut cards.iter().map(|c| c.section.as_str()).chain(["SECTION"]));
    let line = |row: String| match width {
        Some(width) => cut(&row, width).into_owned(),
        None => row,
    };
    let header = format!(
        "{:<8}  {:<9}  {:<10}  {}  {}  {:>5}  QUESTION",
        "ID",
        "STATUS",
        "DUE",
        fit("DECK", deck_width),
        fit("SECTION", section_width),
        "LINE"
    );
    writeln!(out, "{}", line(header))?;
    for card in cards {
        let due = schedule
            .due(card)
            .map_or_else(|| "-".to_string(), |d| d.to_string());
        let row = format!(
            "{:<8}  {:<9}  {:<10}  {}  {}  {:>5}  {}",
            card.id,
            status_name(card),
            due,
            fit(&visible_line(&card.deck), deck_width),
            fit(&visible_line(&card.section), section_width),
            card.line,
            visible_line(&card.question)
        );
        writeln!(out, "{}", line(row))?;
    }
    writeln!(out, "{}", plural(cards.len(), "card"))
}
