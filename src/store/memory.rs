//! Every card's FSRS memory recomputed from the logs, when the parameters change (`recall
//! optimize --apply`, `recall config set fsrs_parameters`): the grades are replayed by the
//! rules [`apply`](super::apply::apply) folds them with, and nothing else of the collection is
//! touched, so this costs a read of the logs and no more.

use chrono::NaiveDate;

use super::collection::Collection;
use super::fold::{self, Position, Source};
use crate::core::{Event, Kind};
use crate::error::Result;
use crate::schedule::fsrs::Memory;

/// What replaying a card's grades needs to know of it.
#[derive(Debug, Clone, Copy, Default)]
struct Replayed {
    added: bool,
    /// The day of its latest review that moved its schedule, as its SM-2 state holds it.
    last_review: Option<NaiveDate>,
    memory: Option<Memory>,
    before: Option<Memory>,
}

/// Sets the FSRS memory of every card of `collection` from the records of `sources` up to
/// `folded` (the records its caches hold), with `collection`'s scheduler.
pub(super) fn recompute(
    collection: &mut Collection,
    mut sources: Vec<Source>,
    folded: &[Position],
) -> Result<()> {
    let last_id = |device: &str| {
        folded
            .iter()
            .find(|p| p.device == device)
            .map_or(0, |p| p.last_id)
    };
    let mut cards = vec![Replayed::default(); collection.cards.len()];
    // Lines the fold could not read were reported when it read them.
    let mut warnings = Vec::new();
    fold::read(&mut sources, &mut warnings, |key, record| {
        if record.id > last_id(&key.device) {
            return;
        }
        let Ok(event) = record.event() else {
            return;
        };
        let Some(id) = event.card() else {
            return;
        };
        let alias = collection.devices.card_alias(id);
        let Some(at) = collection.position(alias.as_deref().unwrap_or(id)) else {
            return;
        };
        let card = &mut cards[at];
        match event {
            Event::Grade {
                kind: Kind::Review,
                grade,
                ..
            } if card.last_review != Some(record.day) => {
                card.before = card.memory;
                card.memory = Some(collection.fsrs.after_review(
                    card.memory,
                    card.last_review,
                    record.day,
                    grade.value(),
                ));
                card.last_review = Some(record.day);
            }
            Event::Undo { restores, .. } => {
                card.last_review = restores.last_review;
                if record.undone_kind == Some(Kind::Review) {
                    card.memory = card.before.take();
                }
            }
            Event::Reset { .. } => {
                *card = Replayed {
                    added: true,
                    ..Replayed::default()
                }
            }
            Event::CardState { progress, .. } => {
                card.last_review = progress.state.last_review;
                if progress.state.is_new() {
                    (card.memory, card.before) = (None, None);
                }
            }
            // A card another device added first, or added twice: the first addition stands.
            Event::CardAdded { progress, .. } if alias.is_none() && !card.added => {
                *card = Replayed {
                    added: true,
                    last_review: progress.and_then(|state| state.last_review),
                    ..Replayed::default()
                };
            }
            _ => {}
        }
    })?;
    for (card, replayed) in collection.cards.iter_mut().zip(cards) {
        card.fsrs = replayed.memory;
        card.fsrs_before = replayed.before;
    }
    Ok(())
}
