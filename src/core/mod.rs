//! The collection's domain types: cards and their lifecycle, decks, the records of the log,
//! the settings and card selections. Pure values: the store persists them, everything else
//! works with them.

pub(crate) mod card;
pub(crate) mod deck;
pub(crate) mod history;
pub(crate) mod identity;
pub(crate) mod lifecycle;
pub(crate) mod record;
pub(crate) mod scheduling;
pub(crate) mod selection;
pub(crate) mod settings;

pub use card::{Card, Status, is_leech, leech_event};
pub(crate) use deck::Deck;
pub(crate) use record::{CardProgress, DeckSettings, Event};
pub use record::{CardText, Kind, Record, Stamp};
pub use scheduling::Schedule;
pub(crate) use selection::Selection;
pub(crate) use settings::{LeechAction, Settings};
