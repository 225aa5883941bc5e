//! Which cards a command works on: a deck and a section, each matched as a case-insensitive
//! substring (`--deck vision --section "lecture 7"`).

use std::collections::HashMap;

use super::Card;

/// Which cards a session draws from: a deck and a section, each matched as a case-insensitive
/// substring; `None` matches everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub(crate) deck: Option<String>,
    pub section: Option<String>,
}

impl Selection {
    /// A matcher that remembers its answer for each distinct deck and section name, so
    /// filtering a million cards lowercases only a few hundred strings.
    pub(crate) fn matcher(&self) -> Matcher {
        Matcher {
            deck: Criterion::new(&self.deck),
            section: Criterion::new(&self.section),
        }
    }
}

/// Tells whether cards (or deck names) are in a [`Selection`].
#[derive(Debug)]
pub(crate) struct Matcher {
    deck: Criterion,
    section: Criterion,
}

impl Matcher {
    pub(crate) fn card(&mut self, card: &Card) -> bool {
        self.deck.matches(&card.deck) && self.section.matches(&card.section)
    }

    /// Whether a deck name is selected (sections aside).
    pub(crate) fn deck(&mut self, name: &str) -> bool {
        self.deck.matches(name)
    }

    /// Whether a section name is selected (decks aside).
    pub(crate) fn section(&mut self, name: &str) -> bool {
        self.section.matches(name)
    }
}

/// One case-insensitive substring test, with its answers remembered per name.
#[derive(Debug)]
struct Criterion {
    wanted: Option<String>,
    seen: HashMap<String, bool>,
}

impl Criterion {
    fn new(wanted: &Option<String>) -> Criterion {
        Criterion {
            wanted: wanted.as_deref().map(str::to_lowercase),
            seen: HashMap::new(),
        }
    }

    fn matches(&mut self, name: &str) -> bool {
        let Some(wanted) = &self.wanted else { return true };
        if let Some(&known) = self.seen.get(name) {
            return known;
        }
        let found = name.to_lowercase().contains(wanted.as_str());
        self.seen.insert(name.to_string(), found);
        found
    }
}
