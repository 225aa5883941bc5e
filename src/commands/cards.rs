//! `recall cards`: list cards with their progress, filtered.

use std::io::Write;

use super::{Context, selection, stdout_error, write_json};
use crate::cli::{CardsArgs, TextOrJson};
use crate::core::{Card, Status};
use crate::error::Result;
use crate::export::card::{ExportedCard, status_name};

pub(super) fn run(context: &Context, args: &CardsArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_existing()?;
    let today = context.today(&store);
    let mut selected = selection(&store, &args.deck, &args.section)?.matcher();
    let search = args.search.as_deref().map(str::to_lowercase);
    let found = |text: &str, wanted: &str| text.to_lowercase().contains(wanted);
    let wanted = |card: &&Card| {
        selected.card(card)
            && (!args.due || (card.status == Status::Active && card.state.due.is_some_and(|d| d <= today)))
            && search
                .as_deref()
                .is_none_or(|s| found(&card.question, s) || found(&card.answer, s))
    };
    let cards: Vec<&Card> = store.collection.cards.iter().filter(wanted).collect();
    match args.format {
        TextOrJson::Json => {
            let threshold = store.settings.leech_threshold;
            let views: Vec<ExportedCard> = cards
                .iter()
                .map(|card| ExportedCard::new(card, threshold))
                .collect();
            write_json(out, &views)
        }
        TextOrJson::Text => write_table(&cards, out).map_err(stdout_error),
    }
}

fn write_table(cards: &[&Card], out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<8}  {:<9}  {:<10}  {:>5}  QUESTION",
        "ID", "STATUS", "DUE", "LINE"
    )?;
    for card in cards {
        let due = card
            .state
            .due
            .map(|d| d.to_string())
            .unwrap_or_else(|| "-".into());
        writeln!(
            out,
            "{:<8}  {:<9}  {:<10}  {:>5}  {}",
            card.id,
            status_name(card),
            due,
            card.line,
            card.question
        )?;
    }
    writeln!(out, "{} cards", cards.len())
}
