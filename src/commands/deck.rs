//! `recall deck ...`: list, rename, remove, suspend and unsuspend decks, and their settings.

use std::io::Write;

use super::{Context, confirm, plural, stdout_error};
use crate::cli::{DeckCommand, DeckSetting};
use crate::error::{Error, Result};
use crate::manage;

pub(super) fn run(context: &Context, command: DeckCommand, out: &mut impl Write) -> Result<()> {
    if let DeckCommand::List(args) = &command {
        return super::decks::run(context, args, out);
    }
    let mut store = context.open_existing_for_writing()?;
    let line = match command {
        DeckCommand::List(_) => return Ok(()),
        DeckCommand::Rename { old, new } => {
            let old = manage::resolve_deck(&store, &old)?;
            let stamp = context.stamp(&store);
            let cards = manage::rename_deck(&mut store, &old, &new, stamp)?;
            store.save()?;
            format!(
                "renamed deck {old:?} to {:?} ({}); to undo, `recall deck rename {:?} {old:?}`",
                new.trim(),
                plural(cards, "card"),
                new.trim()
            )
        }
        DeckCommand::Remove { name, yes } => {
            let name = manage::resolve_deck(&store, &name)?;
            let count = store.cards().iter().filter(|c| c.deck == name).count();
            let question = format!("remove deck {name:?} and its {}", plural(count, "card"));
            if !yes && !confirm(&question)? {
                return writeln!(out, "nothing removed").map_err(stdout_error);
            }
            let source = store
                .deck(&name)
                .and_then(|deck| deck.source(store.device()))
                .map(std::path::Path::to_path_buf);
            let stamp = context.stamp(&store);
            manage::remove_deck(&mut store, &name, stamp)?;
            store.save()?;
            let undo = match source {
                Some(source) => format!(
                    "; to undo, `recall import {}` brings them back with their progress",
                    crate::text::quoted_path(&source)
                ),
                None => "; importing its notes again brings them back with their progress".to_string(),
            };
            format!(
                "removed deck {name:?} and its {} (their progress and reviews stay in the log){undo}",
                plural(count, "card")
            )
        }
        DeckCommand::Suspend { name, section } => {
            suspend(context, &mut store, &name, section.as_deref(), true)?
        }
        DeckCommand::Unsuspend { name, section } => {
            suspend(context, &mut store, &name, section.as_deref(), false)?
        }
        DeckCommand::Set {
            name,
            setting: DeckSetting::NewPerDay,
            value,
        } => {
            let deck = manage::resolve_deck(&store, &name)?;
            let limit = match value.trim() {
                "default" => None,
                number => Some(number.parse::<u32>().ok().filter(|n| *n <= 10_000).ok_or_else(|| {
                    Error::usage(format!(
                        "new-per-day must be a whole number from 0 to 10000, or `default`, not {number:?}"
                    ))
                })?),
            };
            let stamp = context.stamp(&store);
            manage::set_new_per_day(&mut store, &deck, limit, stamp)?;
            store.save()?;
            match limit {
                Some(n) => format!(
                    "deck {deck:?} now takes at most {} a day (within new_cards_per_day, {})",
                    plural(n as usize, "new card"),
                    store.settings.new_cards_per_day
                ),
                None => format!("deck {deck:?} now follows new_cards_per_day alone"),
            }
        }
    };
    writeln!(out, "{line}").map_err(stdout_error)
}

fn suspend(
    context: &Context,
    store: &mut crate::store::Store,
    name: &str,
    section: Option<&str>,
    suspended: bool,
) -> Result<String> {
    let deck = manage::resolve_deck(store, name)?;
    let section = section
        .map(|s| manage::resolve_section(store, &deck, s))
        .transpose()?;
    let stamp = context.stamp(store);
    let result = manage::set_suspended(store, &deck, section.as_deref(), suspended, stamp)?;
    store.save()?;
    let what = match &section {
        Some(section) => format!("section {section:?} of deck {deck:?}"),
        None => format!("deck {deck:?}"),
    };
    let verb = if suspended { "suspended" } else { "unsuspended" };
    // Name the cards left suspended, so the command that brings them back can be copied.
    let kept = match result.kept.len() {
        0 => String::new(),
        1 => format!(
            "; 1 card suspended on its own stays suspended (`recall card unsuspend {}`)",
            result.kept[0]
        ),
        many if many <= 10 => format!(
            "; {many} cards suspended on their own stay suspended (`recall card unsuspend {}`)",
            result.kept.join(" ")
        ),
        many => format!(
            "; {many} cards suspended on their own stay suspended (`recall cards --deck {deck:?}` lists them)"
        ),
    };
    let (undo, undo_section) = if suspended {
        (
            "unsuspend",
            section
                .as_ref()
                .map(|s| format!(" --section {s:?}"))
                .unwrap_or_default(),
        )
    } else {
        (
            "suspend",
            section
                .as_ref()
                .map(|s| format!(" --section {s:?}"))
                .unwrap_or_default(),
        )
    };
    Ok(format!(
        "{verb} {} in {what}{kept}; to undo, `recall deck {undo} {deck:?}{undo_section}`",
        plural(result.changed, "card")
    ))
}
