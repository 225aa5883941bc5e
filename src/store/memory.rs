//! Every card's FSRS memory recomputed from the logs, when the parameters change (`recall
//! optimize --apply`, `recall config set fsrs_parameters`): the grades are replayed by the
//! rules [`apply`](super::apply::apply) folds them with, and nothing else of the collection is
//! touched, so this costs a read of the logs and no more.

use chrono::NaiveDate;

use serde::Deserialize;

use super::collection::Collection;
use super::fold::{self, Position, Source};
use super::log::Logged;
use crate::core::Kind;
use crate::error::Result;
use crate::schedule::day::Timestamp;
use crate::schedule::fsrs::Memory;
use crate::schedule::sm2::{CardState, Grade};

/// The parts of a record that replaying grades needs, read from its line: the rest (card
/// text above all) is skipped, not built, which makes reading a year's log much quicker.
#[derive(Debug, Deserialize)]
struct Replay {
    id: u64,
    #[serde(default)]
    batch: Option<u64>,
    #[serde(default)]
    card: String,
    #[serde(deserialize_with = "crate::schedule::day::moment")]
    at: Timestamp,
    #[serde(default, deserialize_with = "crate::schedule::day::optional_moment")]
    follows: Option<Timestamp>,
    #[serde(with = "crate::schedule::day")]
    day: NaiveDate,
    kind: Kind,
    #[serde(default)]
    grade: Option<Grade>,
    #[serde(default)]
    after: Option<CardState>,
    #[serde(default)]
    undone_kind: Option<Kind>,
    #[serde(default)]
    progress: Option<Progress>,
}

/// Of a converted card's whole state, its SM-2 part.
#[derive(Debug, Deserialize)]
struct Progress {
    state: CardState,
}

impl Logged for Replay {
    fn id(&self) -> u64 {
        self.id
    }

    fn at(&self) -> Timestamp {
        self.at
    }

    fn follows(&self) -> Option<Timestamp> {
        self.follows
    }

    fn batch(&self) -> Option<u64> {
        self.batch
    }
}

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
    fold::read(&mut sources, &mut warnings, |key, record: Replay| {
        if record.id > last_id(&key.device) || record.card.is_empty() {
            return;
        }
        let alias = collection.devices.card_alias(&record.card);
        let Some(at) = collection.position(alias.as_deref().unwrap_or(&record.card)) else {
            return;
        };
        let card = &mut cards[at];
        match (record.kind, record.grade, record.after, record.progress) {
            (Kind::Review, Some(grade), _, _) if card.last_review != Some(record.day) => {
                card.before = card.memory;
                card.memory = Some(collection.fsrs.after_review(
                    card.memory,
                    card.last_review,
                    record.day,
                    grade.value(),
                ));
                card.last_review = Some(record.day);
            }
            (Kind::Undo, _, Some(restores), _) => {
                card.last_review = restores.last_review;
                if record.undone_kind == Some(Kind::Review) {
                    card.memory = card.before.take();
                }
            }
            (Kind::Reset, ..) => {
                *card = Replayed {
                    added: true,
                    ..Replayed::default()
                }
            }
            // Progress taken from the notes moves the day the next review counts from.
            (Kind::ProgressTaken, _, Some(state), _) => card.last_review = state.last_review,
            (Kind::CardState, _, _, Some(progress)) => {
                card.last_review = progress.state.last_review;
                if progress.state.is_new() {
                    (card.memory, card.before) = (None, None);
                }
            }
            // A card another device added first, or added twice: the first addition stands.
            (Kind::CardAdded, _, progress, _) if alias.is_none() && !card.added => {
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
