//! Applying a record to the collection: the one function through which every change goes,
//! whether it was just made (and appended to the log) or is being replayed from the log.

use crate::core::history::Tally;
use crate::core::lifecycle::DeckUnsuspension;
use crate::core::{Card, CardText, Deck, Event, Kind, Record};
use crate::schedule::sm2;

use super::collection::Collection;

/// What applying a record did, for the messages of the command that made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Applied {
    /// Cards whose status changed.
    pub(crate) changed: usize,
    /// On unsuspending a deck: the cards suspended on their own, which stay suspended.
    pub(crate) kept: Vec<String>,
}

/// Applies `record`, written by `device`. A record about a card or deck the collection does
/// not have changes nothing (its card may have been removed since). Returns why a record could
/// not be read as a change.
pub(crate) fn apply(collection: &mut Collection, record: &Record, device: &str) -> Result<Applied, String> {
    let mut applied = Applied::default();
    let event = record.event()?;
    // Names as they stand now: the card another device added first, the deck's new name.
    let card_alias = event.card().and_then(|card| collection.devices.card_alias(card));
    let deck_alias = match event {
        Event::DeckAdded { .. } => None,
        _ => event.deck().and_then(|deck| collection.devices.deck_alias(deck)),
    };
    let card_now = |card| card_alias.as_deref().unwrap_or(card);
    let deck_now = |deck| deck_alias.as_deref().unwrap_or(deck);
    match event {
        Event::Grade { card, kind, grade } => {
            let card = card_now(card);
            tally(collection, card, record);
            let fsrs = collection.fsrs.clone();
            if let Some(card) = collection.card_mut(card) {
                // The first grade of a study day moves the schedule; another one that day (two
                // devices grading the same card) is a same-day repeat.
                let moved_today = card.state.last_review == Some(record.day) && !card.state.is_new();
                if kind == Kind::Review && !moved_today {
                    card.fsrs_before = card.fsrs;
                    card.fsrs =
                        Some(fsrs.after_review(card.fsrs, card.state.last_review, record.day, grade.value()));
                    card.state = sm2::review(&card.state, grade, record.day);
                }
            }
        }
        Event::Undo { card, restores } => {
            let card = card_now(card);
            tally(collection, card, record);
            if let Some(card) = collection.card_mut(card) {
                card.state = restores;
                if record.undone_kind == Some(Kind::Review) {
                    card.fsrs = card.fsrs_before.take();
                }
            }
        }
        Event::Bury { card } => with_card(collection, card_now(card), |card| card.bury(record.day)),
        Event::Suspend { card } => with_card(collection, card_now(card), |card| {
            applied.changed += usize::from(card.suspend());
        }),
        Event::Unsuspend { card } => with_card(collection, card_now(card), |card| {
            applied.changed += usize::from(card.unsuspend());
        }),
        Event::Reset { card } => with_card(collection, card_now(card), Card::reset),
        Event::CardAdded {
            card,
            deck,
            text,
            added,
            progress,
        } => {
            let deck = deck_now(deck);
            if collection.position(card).is_some() {
                return Err(format!("card {card} was added before; its first addition stands"));
            }
            // The same notes imported on two devices: one card, the one added first.
            if let Some(at) = collection
                .devices
                .twin(&collection.cards, deck, &text.question, device)
            {
                let twin = collection.cards[at].id.clone();
                collection.devices.folded_into(card, at, &twin, device);
                return Ok(applied);
            }
            let card = Card {
                state: progress.unwrap_or_default(),
                ..Card::new(card, deck, text, added)
            };
            collection.add_card(card, device);
        }
        Event::CardEdited { card, text } => {
            edit(collection, card_now(card), None, text);
        }
        Event::CardMoved { card, deck, text } => {
            edit(collection, card_now(card), Some(deck_now(deck)), text);
        }
        Event::ProgressTaken { card, state } => with_card(collection, card_now(card), |card| {
            card.state = state;
        }),
        Event::CardRetired { card } => with_card(collection, card_now(card), Card::retire),
        Event::CardRestored { card } => with_card(collection, card_now(card), Card::restore),
        Event::DeckAdded { deck, settings } | Event::DeckChanged { deck, settings } => {
            let deck = deck_now(deck);
            collection.devices.deck_made(deck);
            match collection.deck_mut(deck) {
                Some(found) => found.set(settings, device),
                None => collection.decks.push(Deck::new(deck, settings, device)),
            }
        }
        Event::DeckRenamed {
            deck,
            to,
            follows_title,
        } => {
            let deck = deck_now(deck);
            if collection.deck(deck).is_some() && deck != to {
                collection.rename_deck(deck, to);
            }
            if let Some(renamed) = collection.deck_mut(to) {
                renamed.follows_title = follows_title;
            }
        }
        Event::DeckRemoved { deck } => {
            let deck = deck_now(deck);
            collection.decks.retain(|d| d.name != deck);
            for card in collection.cards.iter_mut().filter(|c| c.deck == deck) {
                card.retire();
            }
        }
        Event::DeckSuspended { deck, section } => {
            for card in selected(collection, deck_now(deck), section) {
                applied.changed += usize::from(card.suspend_with_deck());
            }
        }
        Event::DeckUnsuspended { deck, section } => {
            let deck = deck_now(deck);
            let was_suspended = collection
                .cards
                .iter()
                .any(|c| in_selection(c, deck, section) && c.suspended_with_deck);
            for card in selected(collection, deck, section) {
                match card.unsuspend_with_deck(was_suspended) {
                    DeckUnsuspension::Back => applied.changed += 1,
                    DeckUnsuspension::KeptOwn => applied.kept.push(card.id.clone()),
                    DeckUnsuspension::Unchanged => {}
                }
            }
        }
        Event::DeckLimit { deck, limit } => {
            if let Some(found) = collection.deck_mut(deck_now(deck)) {
                found.new_per_day = limit;
            }
        }
        Event::CardState { card, progress } => with_card(collection, card_now(card), |card| {
            card.status = progress.status;
            card.buried = progress.buried;
            card.retired_while_suspended = progress.retired_while_suspended;
            card.suspended_with_deck = progress.suspended_with_deck;
            card.state = progress.state;
            if progress.state.is_new() {
                card.fsrs = None;
                card.fsrs_before = None;
            }
        }),
        Event::History { days } => {
            collection.history = days.to_vec();
            crate::core::history::sort(&mut collection.history);
            collection.pending.clear();
            collection.history_changed = true;
        }
    }
    Ok(applied)
}

/// Gives the card `id` the text `text`, and the deck `deck` when it moved.
fn edit(collection: &mut Collection, id: &str, deck: Option<&str>, text: &CardText) {
    let Some(at) = collection.position(id) else {
        return;
    };
    let card = &mut collection.cards[at];
    let before = (card.deck.clone(), card.question.clone());
    if let Some(deck) = deck {
        card.deck = deck.to_string();
    }
    card.set_text(text);
    let after = (card.deck.clone(), card.question.clone());
    collection
        .devices
        .changed(at, (&before.0, &before.1), (&after.0, &after.1));
    collection.text_changed = true;
}

fn with_card(collection: &mut Collection, id: &str, change: impl FnOnce(&mut Card)) {
    if let Some(card) = collection.card_mut(id) {
        change(card);
    }
}

/// Adds a grade or undo to the statistics of its day and its card's deck.
fn tally(collection: &mut Collection, card: &str, record: &Record) {
    let Some(tally) = Tally::of(record) else {
        return;
    };
    let Some(at) = collection.position(card) else {
        return;
    };
    let deck = collection.cards[at].deck.clone();
    collection.tally(record.day, &deck, &tally);
}

fn in_selection(card: &Card, deck: &str, section: Option<&str>) -> bool {
    card.deck == deck && section.is_none_or(|s| card.section == s)
}

fn selected<'a>(
    collection: &'a mut Collection,
    deck: &'a str,
    section: Option<&'a str>,
) -> impl Iterator<Item = &'a mut Card> {
    collection
        .cards
        .iter_mut()
        .filter(move |card| in_selection(card, deck, section))
}
