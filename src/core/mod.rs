//! The collection's domain types: cards and their lifecycle, decks, the records of the log,
//! the settings and card selections. Pure values: the store persists them, everything else
//! works with them.

pub mod card;
pub mod deck;
pub mod record;
pub mod selection;
pub mod settings;

pub use card::{Card, Status, is_leech, leech_event};
pub use deck::Deck;
pub use record::{Kind, Record};
pub use selection::{Matcher, Selection};
pub use settings::{LeechAction, Settings};
