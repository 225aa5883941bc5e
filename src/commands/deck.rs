//! `recall deck ...`: list, rename, remove, suspend and unsuspend decks.

use std::io::Write;

use super::{Context, confirm, plural, stdout_error};
use crate::cli::DeckCommand;
use crate::error::Result;
use crate::manage;

pub(super) fn run(context: &Context, command: DeckCommand, out: &mut impl Write) -> Result<()> {
    if let DeckCommand::List(args) = &command {
        return super::decks::run(context, args, out);
    }
    let mut store = context.open_for_writing()?;
    let line = match command {
        DeckCommand::List(_) => return Ok(()),
        DeckCommand::Rename { old, new } => {
            let old = manage::resolve_deck(&store, &old)?;
            let cards = manage::rename_deck(&mut store, &old, &new)?;
            store.save()?;
            format!(
                "renamed deck {old:?} to {:?} ({})",
                new.trim(),
                plural(cards, "card")
            )
        }
        DeckCommand::Remove { name, yes } => {
            let name = manage::resolve_deck(&store, &name)?;
            let count = store.collection.cards.iter().filter(|c| c.deck == name).count();
            let question = format!("remove deck {name:?} and its {}", plural(count, "card"));
            if !yes && !confirm(&question)? {
                return writeln!(out, "nothing removed").map_err(stdout_error);
            }
            manage::remove_deck(&mut store, &name);
            let backup = store.save()?;
            let undo = backup.map_or(String::new(), |path| {
                format!(
                    "; to undo, copy {} over {}",
                    path.display(),
                    store.paths().collection().display()
                )
            });
            format!(
                "removed deck {name:?} and its {} (their reviews stay in the log){undo}",
                plural(count, "card")
            )
        }
        DeckCommand::Suspend { name, section } => suspend(&mut store, &name, section.as_deref(), true)?,
        DeckCommand::Unsuspend { name, section } => suspend(&mut store, &name, section.as_deref(), false)?,
    };
    writeln!(out, "{line}").map_err(stdout_error)
}

fn suspend(
    store: &mut crate::store::Store,
    name: &str,
    section: Option<&str>,
    suspended: bool,
) -> Result<String> {
    let deck = manage::resolve_deck(store, name)?;
    let section = section
        .map(|s| manage::resolve_section(store, &deck, s))
        .transpose()?;
    let result = manage::set_suspended(store, &deck, section.as_deref(), suspended);
    store.save()?;
    let what = match &section {
        Some(section) => format!("section {section:?} of deck {deck:?}"),
        None => format!("deck {deck:?}"),
    };
    let verb = if suspended { "suspended" } else { "unsuspended" };
    let kept = match result.kept {
        0 => String::new(),
        1 => "; 1 card suspended on its own stays suspended (`recall card unsuspend ID`)".to_string(),
        kept => format!("; {kept} cards suspended on their own stay suspended (`recall card unsuspend ID`)"),
    };
    Ok(format!(
        "{verb} {} in {what}{kept}",
        plural(result.changed, "card")
    ))
}
