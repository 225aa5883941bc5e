//! Today's work: what the log says was already done today, the daily limits, and the queue
//! they leave. The review session and `recall due` both start here, so they always agree.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use super::queue::{Mode, Options, Queue, REDRILL_PASS};
use crate::core::{Card, Deck, Kind, Record, Schedule, Settings, Status};
use crate::error::Result;
use crate::schedule::sm2::Grade;
use crate::store::Store;

/// Today's queue for the cards of `store`, as `options` shape it, counting what was done
/// earlier today against the daily limits.
pub fn queue(store: &Store, today: NaiveDate, options: &Options) -> Result<Queue> {
    let done = match options.mode {
        Mode::Cram { .. } => DoneToday::default(),
        Mode::Scheduled { .. } => done_today(&store.recent_records(today)?, today),
    };
    let limits = Limits::new(&store.settings, store.decks());
    Ok(Queue::build(store.cards(), today, &done, &limits, options))
}

/// The daily limits from the settings, what the decks ask for themselves, and the scheduler
/// that says which cards are due.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    pub new_per_day: usize,
    pub reviews_per_day: usize,
    /// The decks with a new-card limit of their own, or that are the example deck.
    pub decks: HashMap<String, DeckRule>,
    pub schedule: Schedule,
}

/// How one deck's new cards are taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeckRule {
    /// At most this many new cards of the deck a day.
    pub new_per_day: Option<usize>,
    /// The example deck: its new cards come after every other deck's.
    pub example: bool,
}

impl Limits {
    pub(crate) fn new(settings: &Settings, decks: &[Deck]) -> Limits {
        let rules = decks
            .iter()
            .filter(|deck| deck.example || deck.new_per_day.is_some())
            .map(|deck| {
                let rule = DeckRule {
                    new_per_day: deck.new_per_day.map(|n| n as usize),
                    example: deck.example,
                };
                (deck.name.clone(), rule)
            })
            .collect();
        Limits {
            new_per_day: settings.new_cards_per_day as usize,
            reviews_per_day: settings.reviews_per_day as usize,
            decks: rules,
            schedule: Schedule::new(settings),
        }
    }
}

/// The first day after `today` with cards in use due, and how many are due then (in one pass
/// over the cards).
pub(crate) fn next_due(cards: &[Card], schedule: &Schedule, today: NaiveDate) -> Option<(NaiveDate, usize)> {
    let mut next: Option<(NaiveDate, usize)> = None;
    for card in cards.iter().filter(|c| c.status == Status::Active) {
        let Some(day) = schedule.due(card).filter(|&day| day > today) else {
            continue;
        };
        match &mut next {
            Some((first, count)) if *first == day => *count += 1,
            Some((first, _)) if *first < day => {}
            _ => next = Some((day, 1)),
        }
    }
    next
}

/// What today's log says was already done.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DoneToday {
    pub(crate) new_cards: usize,
    pub(crate) reviews: usize,
    /// The new cards seen for the first time today (for the decks' own limits).
    pub(crate) new_card_ids: HashSet<String>,
    /// Cards whose latest grade today was below 4, in the order they were first graded.
    pub redrills: Vec<String>,
}

/// Counts today's work from the log records of `today`, leaving out records that were undone.
pub(crate) fn done_today(records: &[Record], today: NaiveDate) -> DoneToday {
    let todays = || records.iter().filter(|r| r.day == today);
    let undone: HashSet<u64> = todays().filter_map(|r| r.undoes).collect();
    let mut done = DoneToday::default();
    let mut latest_grade: HashMap<&str, Grade> = HashMap::new();
    let mut order = Vec::new();
    for record in todays().filter(|r| !undone.contains(&r.id)) {
        let Some(grade) = record.grade else { continue };
        match record.kind {
            Kind::Review if record.before.is_some_and(|s| s.is_new()) => {
                done.new_cards += 1;
                done.new_card_ids.insert(record.card.clone());
            }
            Kind::Review => done.reviews += 1,
            Kind::Redrill => {}
            _ => continue,
        }
        if latest_grade.insert(&record.card, grade).is_none() {
            order.push(record.card.as_str());
        }
    }
    done.redrills = order
        .into_iter()
        .filter(|card| latest_grade[card] < REDRILL_PASS)
        .map(str::to_string)
        .collect();
    done
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::CardText;

    fn due_on(day: Option<NaiveDate>, status: Status) -> Card {
        let text = CardText {
            section: String::new(),
            question: "Q?".into(),
            answer: "A".into(),
            note: String::new(),
            line: 1,
            cloze: None,
        };
        let mut card = Card::new("id", "deck", &text, NaiveDate::MIN);
        card.state.due = day;
        card.status = status;
        card
    }

    #[test]
    fn the_next_due_day_is_the_first_after_today_with_its_count() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        let day = |n| Some(today + chrono::Days::new(n));
        let schedule = Schedule::new(&Settings::default());
        let cards = [
            due_on(day(5), Status::Active),
            due_on(day(0), Status::Active),
            due_on(day(2), Status::Active),
            due_on(day(1), Status::Suspended),
            due_on(None, Status::Active),
            due_on(day(2), Status::Active),
            due_on(day(3), Status::Active),
            due_on(Some(today - chrono::Days::new(4)), Status::Active),
        ];
        assert_eq!(
            next_due(&cards, &schedule, today),
            Some((today + chrono::Days::new(2), 2))
        );
        assert_eq!(
            next_due(&cards[..2], &schedule, today),
            Some((today + chrono::Days::new(5), 1))
        );
        assert_eq!(next_due(&cards[1..2], &schedule, today), None);
    }
}
