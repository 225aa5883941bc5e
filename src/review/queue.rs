//! Which cards a session shows, and in what order: re-drills left from earlier today, then due
//! reviews (most overdue first), then new cards in source order, within the daily limits. A card
//! graded below 4 comes back a few cards later until it is graded 4 or 5.
//!
//! Pure: cards, today's log and the settings go in; an ordered queue comes out.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::NaiveDate;

use super::today::{DeckRule, DoneToday, Limits};
use crate::core::Selection;
use crate::core::{Card, Kind, Status};
use crate::schedule::sm2::Grade;

/// How many other cards are shown before a re-drilled card comes back.
pub(crate) const REDRILL_GAP: usize = 3;

/// How a session chooses its cards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// Today's due cards within the daily limits; `new_cards` replaces what is left of the new
    /// card limit for this session.
    Scheduled { new_cards: Option<usize> },
    /// Every selected card regardless of due day, in source order or shuffled with the seed;
    /// grades change nothing.
    Cram { shuffle: Option<u64> },
}

/// Everything that shapes a session besides the cards themselves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub selection: Selection,
    pub mode: Mode,
    /// At most this many cards in the session.
    pub limit: Option<usize>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            selection: Selection::default(),
            mode: Mode::Scheduled { new_cards: None },
            limit: None,
        }
    }
}

/// Why a card is in the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryKind {
    New,
    Review,
    Redrill,
    Cram,
}

impl EntryKind {
    /// The log record a grade of this entry makes.
    pub(crate) fn record_kind(self) -> Kind {
        match self {
            EntryKind::New | EntryKind::Review => Kind::Review,
            EntryKind::Redrill => Kind::Redrill,
            EntryKind::Cram => Kind::Cram,
        }
    }
}

/// A card waiting in the queue: its position in the collection and why it is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Entry {
    pub card: usize,
    pub kind: EntryKind,
}

/// Grades below this bring a card back the same day.
pub(crate) const REDRILL_PASS: Grade = Grade::new(4).unwrap();

/// Cards left out because a limit was reached, so the session can say how many.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct HeldBack {
    /// New cards over what is left of the daily limit.
    pub(crate) new: usize,
    /// Due reviews over what is left of the daily limit.
    pub(crate) reviews: usize,
    /// Cards of the session left out by `--limit`.
    pub(crate) cut: usize,
}

/// How many cards of each kind are still to come.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Remaining {
    pub new: usize,
    pub(crate) reviews: usize,
    pub redrills: usize,
    pub(crate) cram: usize,
}

impl Remaining {
    pub fn total(&self) -> usize {
        self.new + self.reviews + self.redrills + self.cram
    }
}

/// The cards of a session in the order they are shown, with what is needed to undo.
#[derive(Debug, Clone)]
pub struct Queue {
    upcoming: VecDeque<Entry>,
    /// Graded entries, latest last.
    answered: Vec<Entry>,
    pub(crate) held_back: HeldBack,
}

impl Queue {
    /// Orders today's session from `cards` (positions in this slice identify cards).
    /// One pass over the cards; sorting only touches the cards that make it into the session.
    pub fn build(
        cards: &[Card],
        today: NaiveDate,
        done: &DoneToday,
        limits: &Limits,
        options: &Options,
    ) -> Queue {
        let mut selected = options.selection.matcher();
        let mut deck_rank = DeckRanks::default();
        let redrill_ids: HashSet<&str> = done.redrills.iter().map(String::as_str).collect();
        let mut redrills = Vec::new();
        // Sort keys with the position last: (due, ease, deck rank, line, position) for reviews,
        // (deck rank, line, position) for new cards and cram.
        let mut due = Vec::new();
        let mut new = Vec::new();
        // New cards already seen today, per deck rank (for the decks' own limits).
        let mut new_today: Vec<usize> = Vec::new();
        let cram = matches!(options.mode, Mode::Cram { .. });
        for (at, card) in cards.iter().enumerate() {
            if card.status != Status::Active || !selected.card(card) {
                continue;
            }
            if card.is_buried(today) {
                continue;
            }
            let rank = deck_rank.of(&card.deck);
            if !done.new_card_ids.is_empty() && done.new_card_ids.contains(&card.id) {
                if new_today.len() <= rank {
                    new_today.resize(rank + 1, 0);
                }
                new_today[rank] += 1;
            }
            if cram {
                new.push((rank, card.line, at));
                continue;
            }
            // Only a card graded today can be waiting for a re-drill.
            if card.state.last_review == Some(today) && redrill_ids.contains(card.id.as_str()) {
                redrills.push(at);
                continue;
            }
            match limits.schedule.due(card) {
                None => new.push((rank, card.line, at)),
                // A card graded today is not due again today, even when its due day cannot
                // move past the last day there is.
                Some(day) if day <= today && card.state.last_review != Some(today) => {
                    due.push((day, card.state.ease, rank, card.line, at))
                }
                Some(_) => {}
            }
        }
        // Re-drills keep the order they were first graded in today.
        let first_graded: HashMap<&str, usize> = done
            .redrills
            .iter()
            .enumerate()
            .map(|(order, id)| (id.as_str(), order))
            .collect();
        redrills.sort_by_key(|&at| first_graded.get(cards[at].id.as_str()).copied());

        let mut held_back = HeldBack::default();
        let tagged = |kind| move |card| Entry { card, kind };
        let mut entries: Vec<Entry> = Vec::new();
        match options.mode {
            Mode::Cram { shuffle } => {
                new.sort_unstable();
                let mut order: Vec<usize> = new.into_iter().map(|(_, _, at)| at).collect();
                if let Some(seed) = shuffle {
                    shuffle_in_place(&mut order, seed);
                }
                entries.extend(order.into_iter().map(tagged(EntryKind::Cram)));
            }
            Mode::Scheduled { new_cards } => {
                let review_room = limits.reviews_per_day.saturating_sub(done.reviews);
                held_back.reviews = keep_smallest(&mut due, review_room);
                // `--new N` replaces what is left of the day's limits, the decks' own too.
                let rules: Vec<DeckRule> = deck_rank
                    .names()
                    .iter()
                    .enumerate()
                    .map(|(rank, name)| {
                        let rule = limits.decks.get(*name).copied().unwrap_or_default();
                        let seen = new_today.get(rank).copied().unwrap_or(0);
                        DeckRule {
                            new_per_day: rule
                                .new_per_day
                                .filter(|_| new_cards.is_none())
                                .map(|limit| limit.saturating_sub(seen)),
                            ..rule
                        }
                    })
                    .collect();
                let new_room = new_cards.unwrap_or(limits.new_per_day.saturating_sub(done.new_cards));
                let (chosen, left_out) = new_in_turns(new, &rules, new_room);
                held_back.new = left_out;
                entries.extend(redrills.into_iter().map(tagged(EntryKind::Redrill)));
                entries.extend(due.into_iter().map(|key| key.4).map(tagged(EntryKind::Review)));
                entries.extend(chosen.into_iter().map(tagged(EntryKind::New)));
            }
        }
        if let Some(limit) = options.limit {
            held_back.cut = entries.len().saturating_sub(limit);
            entries.truncate(limit);
        }
        Queue {
            upcoming: entries.into(),
            answered: Vec::new(),
            held_back,
        }
    }

    /// The card to show now.
    pub(crate) fn current(&self) -> Option<Entry> {
        self.upcoming.front().copied()
    }

    /// Takes a grade for the current card: it leaves the queue, or comes back after
    /// [`REDRILL_GAP`] other cards when graded below 4.
    pub(crate) fn grade(&mut self, grade: Grade) -> Option<Entry> {
        let entry = self.upcoming.pop_front()?;
        if grade < REDRILL_PASS {
            let kind = if entry.kind == EntryKind::Cram {
                EntryKind::Cram
            } else {
                EntryKind::Redrill
            };
            let at = REDRILL_GAP.min(self.upcoming.len());
            self.upcoming.insert(
                at,
                Entry {
                    card: entry.card,
                    kind,
                },
            );
        }
        self.answered.push(entry);
        Some(entry)
    }

    /// Drops every upcoming entry of `card` (a card suspended or retired mid-session).
    pub(crate) fn remove_card(&mut self, card: usize) {
        self.upcoming.retain(|entry| entry.card != card);
    }

    /// Takes back the latest grade: the card returns to the front as it was before.
    pub(crate) fn undo(&mut self) -> Option<Entry> {
        let entry = self.answered.pop()?;
        // Its re-drill, if the grade brought it back, goes: the grade is no longer given.
        self.upcoming.retain(|e| e.card != entry.card);
        self.upcoming.push_front(entry);
        Some(entry)
    }

    pub fn remaining(&self) -> Remaining {
        let mut remaining = Remaining::default();
        for entry in &self.upcoming {
            match entry.kind {
                EntryKind::New => remaining.new += 1,
                EntryKind::Review => remaining.reviews += 1,
                EntryKind::Cram => remaining.cram += 1,
                EntryKind::Redrill => remaining.redrills += 1,
            }
        }
        remaining
    }

    /// Every upcoming entry, next first.
    pub(crate) fn upcoming(&self) -> impl Iterator<Item = &Entry> {
        self.upcoming.iter()
    }
}

/// Chooses up to `room` of the `new` cards, keyed (deck rank, line, position): the user's own
/// decks first, taking turns (so two courses both advance each day), in notes order within a
/// deck and within each deck's own limit; the example deck's cards only when those run out.
/// Returns the positions chosen, in the order they are shown, and how many were left out.
fn new_in_turns(new: Vec<(usize, usize, usize)>, rules: &[DeckRule], room: usize) -> (Vec<usize>, usize) {
    let available = new.len();
    let mut by_deck: Vec<Vec<(usize, usize)>> = vec![Vec::new(); rules.len()];
    for (rank, line, at) in new {
        by_deck[rank].push((line, at));
    }
    for (rank, cards) in by_deck.iter_mut().enumerate() {
        let deck_room = rules[rank].new_per_day.unwrap_or(usize::MAX).min(room);
        keep_smallest(cards, deck_room);
    }
    let mut chosen = Vec::with_capacity(room.min(available));
    for example in [false, true] {
        let mut turns: Vec<std::vec::IntoIter<(usize, usize)>> = by_deck
            .iter_mut()
            .enumerate()
            .filter(|(rank, _)| rules[*rank].example == example)
            .map(|(_, cards)| std::mem::take(cards).into_iter())
            .collect();
        while chosen.len() < room && !turns.is_empty() {
            turns.retain_mut(|deck| match deck.next() {
                Some((_, at)) if chosen.len() < room => {
                    chosen.push(at);
                    true
                }
                _ => false,
            });
        }
    }
    let left_out = available - chosen.len();
    (chosen, left_out)
}

/// Keeps the `room` smallest of `keys`, sorted; returns how many were left out.
/// Selects before sorting, so a million new cards cost one linear pass.
fn keep_smallest<K: Ord>(keys: &mut Vec<K>, room: usize) -> usize {
    let left_out = keys.len().saturating_sub(room);
    if room == 0 {
        keys.clear();
    } else if left_out > 0 {
        keys.select_nth_unstable(room - 1);
        keys.truncate(room);
    }
    keys.sort_unstable();
    left_out
}

/// Decks in the order they are first met among the cards (the order of import). Cards of a
/// deck are mostly next to each other, so the last name is checked before hashing.
#[derive(Default)]
struct DeckRanks<'a> {
    ranks: HashMap<&'a str, usize>,
    last: Option<(&'a str, usize)>,
}

impl<'a> DeckRanks<'a> {
    /// The decks met so far, by rank.
    fn names(&self) -> Vec<&'a str> {
        let mut names = vec![""; self.ranks.len()];
        for (&name, &rank) in &self.ranks {
            names[rank] = name;
        }
        names
    }

    fn of(&mut self, deck: &'a str) -> usize {
        if let Some((name, rank)) = self.last
            && name == deck
        {
            return rank;
        }
        let next = self.ranks.len();
        let rank = *self.ranks.entry(deck).or_insert(next);
        self.last = Some((deck, rank));
        rank
    }
}

/// Fisher-Yates with xorshift64*: deterministic for a seed, no dependency needed.
fn shuffle_in_place(items: &mut [usize], seed: u64) {
    let mut state = seed | 1;
    for i in (1..items.len()).rev() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let random = state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        items.swap(i, (random % (i as u64 + 1)) as usize);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Kind, Record, Status};
    use crate::review::summary::held_back_clause;
    use crate::review::today::done_today;
    use crate::schedule::sm2::{CardState, Ease};

    fn day(n: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, n).unwrap()
    }

    fn card(id: &str, deck: &str, section: &str, line: usize) -> Card {
        Card {
            id: id.into(),
            deck: deck.into(),
            section: section.into(),
            question: format!("{id}?"),
            answer: "a".into(),
            note: String::new(),
            line,
            cloze: None,
            added: day(1),
            status: Status::Active,
            buried: None,
            retired_while_suspended: false,
            suspended_with_deck: false,
            state: CardState::default(),
            fsrs: None,
            fsrs_before: None,
        }
    }

    fn due(mut card: Card, due_day: u32, ease: u16) -> Card {
        card.state = CardState {
            repetitions: 2,
            ease: Ease::from_hundredths(ease),
            interval: 6,
            due: Some(day(due_day)),
            lapses: 0,
            last_review: Some(day(due_day - 6)),
        };
        card
    }

    fn limits() -> Limits {
        Limits {
            new_per_day: 20,
            reviews_per_day: 200,
            decks: HashMap::new(),
            schedule: Default::default(),
        }
    }

    fn ids(cards: &[Card], queue: &Queue) -> Vec<String> {
        queue.upcoming().map(|e| cards[e.card].id.clone()).collect()
    }

    fn build(cards: &[Card], options: &Options) -> Queue {
        Queue::build(cards, day(20), &DoneToday::default(), &limits(), options)
    }

    fn grade(value: u8) -> Grade {
        Grade::new(value).unwrap()
    }

    fn record(id: u64, card: &str, kind: Kind, grade_value: u8, new: bool) -> Record {
        let before = if new {
            CardState::default()
        } else {
            due(card_named(card), 20, 250).state
        };
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-20T12:00:00+00:00").unwrap();
        Record {
            id,
            grade: Some(grade(grade_value)),
            before: Some(before),
            after: Some(before),
            ..Record::new(kind, card, crate::core::Stamp { at, day: day(20) })
        }
    }

    fn card_named(id: &str) -> Card {
        card(id, "d", "s", 1)
    }

    #[test]
    fn due_reviews_come_first_most_overdue_then_lower_ease_then_new_cards_deck_by_deck_in_turns() {
        let cards = vec![
            card("new-b2", "B", "s", 2),
            due(card("due-19", "A", "s", 9), 19, 250),
            card("new-a5", "A", "s", 5),
            due(card("due-15-hard", "A", "s", 8), 15, 170),
            due(card("due-15-easy", "A", "s", 7), 15, 250),
            due(card("future", "A", "s", 6), 21, 250),
            card("new-a3", "A", "s", 3),
            card("new-b1", "B", "s", 1),
        ];
        let queue = build(&cards, &Options::default());
        // Deck B was imported first (its card comes first), so it starts; then the decks take
        // turns, each in the order of its notes.
        assert_eq!(
            ids(&cards, &queue),
            [
                "due-15-hard",
                "due-15-easy",
                "due-19",
                "new-b1",
                "new-a3",
                "new-b2",
                "new-a5"
            ]
        );
        assert_eq!(
            queue.remaining(),
            Remaining {
                new: 4,
                reviews: 3,
                redrills: 0,
                cram: 0
            }
        );
    }

    /// Cards of `deck` numbered `from..to`, new, in notes order.
    fn new_cards(deck: &str, count: usize) -> Vec<Card> {
        (0..count)
            .map(|n| card(&format!("{deck}{n:02}"), deck, "s", n + 1))
            .collect()
    }

    #[test]
    fn the_example_deck_gives_new_cards_only_after_the_users_decks() {
        let mut cards = new_cards("example", 30);
        cards.extend(new_cards("os", 3));
        cards.extend(new_cards("bio", 10));
        let mut limits = limits();
        limits.decks.insert(
            "example".into(),
            DeckRule {
                new_per_day: None,
                example: true,
            },
        );
        let queue = Queue::build(
            &cards,
            day(20),
            &DoneToday::default(),
            &limits,
            &Options::default(),
        );
        let order = ids(&cards, &queue);
        // The example deck was imported first, yet the student's two courses alternate first.
        assert_eq!(
            &order[..8],
            [
                "os00", "bio00", "os01", "bio01", "os02", "bio02", "bio03", "bio04"
            ]
        );
        assert_eq!(order.len(), 20);
        assert_eq!(
            &order[13..],
            [
                "example00",
                "example01",
                "example02",
                "example03",
                "example04",
                "example05",
                "example06"
            ]
        );
        assert_eq!(queue.held_back.new, 23);
    }

    #[test]
    fn a_decks_own_limit_counts_its_new_cards_seen_today() {
        let mut cards = new_cards("a", 10);
        cards.extend(new_cards("b", 10));
        let mut limits = limits();
        limits.decks.insert(
            "a".into(),
            DeckRule {
                new_per_day: Some(3),
                example: false,
            },
        );
        let queue = Queue::build(
            &cards,
            day(20),
            &DoneToday::default(),
            &limits,
            &Options::default(),
        );
        let from_a = ids(&cards, &queue)
            .iter()
            .filter(|id| id.starts_with('a'))
            .count();
        assert_eq!((from_a, queue.remaining().new), (3, 13));
        // Two of deck a's cards were learnt earlier today: one is left for it.
        let done = DoneToday {
            new_cards: 2,
            new_card_ids: ["a00".to_string(), "a01".to_string()].into(),
            ..DoneToday::default()
        };
        let mut later = cards.clone();
        for card in &mut later[..2] {
            card.state = crate::schedule::sm2::review(&card.state, grade(5), day(20));
        }
        let queue = Queue::build(&later, day(20), &done, &limits, &Options::default());
        let order = ids(&later, &queue);
        assert_eq!(
            order.iter().filter(|id| id.starts_with('a')).count(),
            1,
            "{order:?}"
        );
        assert_eq!(queue.remaining().new, 11);
        // `--new N` sets the day's limits aside, the deck's own too.
        let more = Options {
            mode: Mode::Scheduled { new_cards: Some(20) },
            ..Options::default()
        };
        let queue = Queue::build(&later, day(20), &done, &limits, &more);
        assert_eq!(queue.remaining().new, 18);
    }

    #[test]
    fn suspended_retired_and_buried_cards_never_appear() {
        let mut cards = vec![
            card("a", "d", "s", 1),
            card("b", "d", "s", 2),
            card("c", "d", "s", 3),
            card("e", "d", "s", 4),
        ];
        cards[0].status = Status::Suspended;
        cards[1].status = Status::Retired;
        cards[2].buried = Some(day(20));
        assert_eq!(ids(&cards, &build(&cards, &Options::default())), ["e"]);
        // Buried yesterday: back today.
        cards[2].buried = Some(day(19));
        assert_eq!(ids(&cards, &build(&cards, &Options::default())), ["c", "e"]);
    }

    #[test]
    fn limits_count_what_was_done_earlier_today() {
        let cards: Vec<Card> = (0..30)
            .map(|n| card(&format!("n{n:02}"), "d", "s", n))
            .chain((0..5).map(|n| due(card(&format!("r{n}"), "d", "s", 100 + n), 19, 250)))
            .collect();
        let limits = Limits {
            new_per_day: 20,
            reviews_per_day: 3,
            decks: HashMap::new(),
            schedule: Default::default(),
        };
        let first = Queue::build(
            &cards,
            day(20),
            &DoneToday::default(),
            &limits,
            &Options::default(),
        );
        assert_eq!(
            first.remaining(),
            Remaining {
                new: 20,
                reviews: 3,
                redrills: 0,
                cram: 0
            }
        );
        assert_eq!(
            first.held_back,
            HeldBack {
                new: 10,
                reviews: 2,
                cut: 0
            }
        );

        // The first session graded 12 new cards and 2 reviews, then the student quit.
        let mut log: Vec<Record> = (0..12)
            .map(|n| record(n, &format!("n{n:02}"), Kind::Review, 5, true))
            .collect();
        log.extend((0..2).map(|n| record(20 + n, &format!("r{n}"), Kind::Review, 4, false)));
        let done = done_today(&log, day(20));
        assert_eq!((done.new_cards, done.reviews), (12, 2));
        let mut later = cards.clone();
        for card in later
            .iter_mut()
            .filter(|c| c.id.as_str() < "n12" || c.id == "r0" || c.id == "r1")
        {
            card.state = due(card.clone(), 26, 250).state;
        }
        let second = Queue::build(&later, day(20), &done, &limits, &Options::default());
        assert_eq!(
            second.remaining(),
            Remaining {
                new: 8,
                reviews: 1,
                redrills: 0,
                cram: 0
            }
        );
        assert_eq!(
            second.held_back,
            HeldBack {
                new: 10,
                reviews: 2,
                cut: 0
            }
        );
        // Records of another day do not count.
        assert_eq!(done_today(&log, day(21)), DoneToday::default());
    }

    #[test]
    fn undone_records_do_not_count_and_redrills_are_remembered() {
        let mut log = vec![
            record(1, "a", Kind::Review, 2, true),
            record(2, "b", Kind::Review, 5, true),
            record(3, "c", Kind::Review, 3, false),
            record(4, "c", Kind::Redrill, 4, false),
            record(5, "d", Kind::Review, 1, false),
        ];
        let mut undo = record(6, "b", Kind::Undo, 5, true);
        undo.grade = None;
        undo.undoes = Some(2);
        log.push(undo);
        let done = done_today(&log, day(20));
        assert_eq!(
            done,
            DoneToday {
                new_cards: 1,
                reviews: 2,
                new_card_ids: ["a".to_string()].into(),
                redrills: vec!["a".into(), "d".into()]
            }
        );

        let mut cards = vec![
            card("a", "x", "s", 1),
            due(card("d", "x", "s", 2), 26, 250),
            card("e", "x", "s", 3),
        ];
        // Graded today, so its state says so.
        cards[0].state = crate::schedule::sm2::review(&CardState::default(), grade(2), day(20));
        let queue = Queue::build(&cards, day(20), &done, &limits(), &Options::default());
        assert_eq!(ids(&cards, &queue), ["a", "d", "e"]);
        assert_eq!(
            queue.remaining(),
            Remaining {
                new: 1,
                reviews: 0,
                redrills: 2,
                cram: 0
            }
        );
    }

    #[test]
    fn a_card_graded_below_4_comes_back_after_three_others_until_graded_4_or_5() {
        let cards: Vec<Card> = (0..6).map(|n| card(&format!("c{n}"), "d", "s", n)).collect();
        let mut queue = build(&cards, &Options::default());
        assert_eq!(queue.grade(grade(3)).unwrap().kind, EntryKind::New);
        assert_eq!(ids(&cards, &queue), ["c1", "c2", "c3", "c0", "c4", "c5"]);
        queue.grade(grade(5));
        queue.grade(grade(5));
        queue.grade(grade(5));
        assert_eq!(
            queue.current(),
            Some(Entry {
                card: 0,
                kind: EntryKind::Redrill
            })
        );
        queue.grade(grade(1));
        // Only two cards left: the re-drill goes to the end.
        assert_eq!(ids(&cards, &queue), ["c4", "c5", "c0"]);
        queue.grade(grade(4));
        queue.grade(grade(4));
        queue.grade(grade(4));
        assert_eq!(queue.current(), None);
    }

    #[test]
    fn undo_puts_the_card_back_in_front_and_drops_its_redrill() {
        let cards: Vec<Card> = (0..5).map(|n| card(&format!("c{n}"), "d", "s", n)).collect();
        let mut queue = build(&cards, &Options::default());
        queue.grade(grade(2));
        queue.grade(grade(5));
        assert_eq!(ids(&cards, &queue), ["c2", "c3", "c0", "c4"]);
        assert_eq!(
            queue.undo(),
            Some(Entry {
                card: 1,
                kind: EntryKind::New
            })
        );
        assert_eq!(ids(&cards, &queue), ["c1", "c2", "c3", "c0", "c4"]);
        assert_eq!(
            queue.undo(),
            Some(Entry {
                card: 0,
                kind: EntryKind::New
            })
        );
        assert_eq!(ids(&cards, &queue), ["c0", "c1", "c2", "c3", "c4"]);
        assert_eq!(queue.undo(), None);

        // Undo of a re-drill grade brings back the re-drill entry itself.
        queue.grade(grade(1));
        for _ in 0..3 {
            queue.grade(grade(5));
        }
        let redrill = queue.grade(grade(5)).unwrap();
        assert_eq!(redrill.kind, EntryKind::Redrill);
        assert_eq!(queue.undo(), Some(redrill));
        assert_eq!(queue.current(), Some(redrill));
    }

    #[test]
    fn deck_and_section_filters_match_substrings_ignoring_case() {
        let cards = vec![
            card("a", "EECS498 Computer Vision", "Lecture 1 - Introduction", 1),
            card(
                "b",
                "EECS498 Computer Vision",
                "Lecture 2 - Image Classification",
                2,
            ),
            card("c", "Databases", "Lecture 2 - SQL", 3),
        ];
        let only = |deck: Option<&str>, section: Option<&str>| {
            let selection = Selection {
                deck: deck.map(String::from),
                section: section.map(String::from),
            };
            ids(
                &cards,
                &build(
                    &cards,
                    &Options {
                        selection,
                        ..Options::default()
                    },
                ),
            )
        };
        assert_eq!(only(Some("vision"), None), ["a", "b"]);
        assert_eq!(only(None, Some("lecture 2")), ["b", "c"]);
        assert_eq!(only(Some("eecs"), Some("LECTURE 2")), ["b"]);
        assert_eq!(only(Some("biology"), None), Vec::<String>::new());
    }

    #[test]
    fn cram_takes_every_card_in_source_order_or_shuffled() {
        let mut cards: Vec<Card> = (0..20)
            .map(|n| due(card(&format!("c{n:02}"), "d", "s", n), 25, 250))
            .collect();
        cards[3].status = Status::Suspended;
        // Buried means "not today", cramming included.
        cards[5].buried = Some(day(20));
        let cram = |shuffle| Options {
            mode: Mode::Cram { shuffle },
            ..Options::default()
        };
        let queue = build(&cards, &cram(None));
        let expected: Vec<String> = (0..20)
            .filter(|&n| n != 3 && n != 5)
            .map(|n| format!("c{n:02}"))
            .collect();
        assert_eq!(ids(&cards, &queue), expected);
        assert!(queue.upcoming().all(|e| e.kind == EntryKind::Cram));
        let shuffled = ids(&cards, &build(&cards, &cram(Some(42))));
        assert_ne!(shuffled, expected);
        assert_eq!(shuffled, ids(&cards, &build(&cards, &cram(Some(42)))));
        let mut sorted = shuffled.clone();
        sorted.sort();
        assert_eq!(sorted, expected);
        // A cram grade below 4 brings the card back as a cram card.
        let mut queue = build(&cards, &cram(None));
        queue.grade(grade(0));
        assert_eq!(
            queue.upcoming().nth(3).unwrap(),
            &Entry {
                card: 0,
                kind: EntryKind::Cram
            }
        );
    }

    #[test]
    fn limit_and_new_override_shape_the_session() {
        let cards: Vec<Card> = (0..10)
            .map(|n| card(&format!("n{n}"), "d", "s", n))
            .chain((0..4).map(|n| due(card(&format!("r{n}"), "d", "s", 50 + n), 19, 250)))
            .collect();
        let options = Options {
            mode: Mode::Scheduled { new_cards: Some(2) },
            limit: None,
            ..Options::default()
        };
        assert_eq!(
            build(&cards, &options).remaining(),
            Remaining {
                new: 2,
                reviews: 4,
                redrills: 0,
                cram: 0
            }
        );
        let options = Options {
            limit: Some(5),
            ..Options::default()
        };
        let queue = build(&cards, &options);
        assert_eq!(
            queue.remaining(),
            Remaining {
                new: 1,
                reviews: 4,
                redrills: 0,
                cram: 0
            }
        );
        assert_eq!(
            queue.held_back,
            HeldBack {
                new: 0,
                reviews: 0,
                cut: 9
            }
        );
        assert_eq!(
            held_back_clause(&queue.held_back).as_deref(),
            Some("--limit leaves out 9 cards")
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        #[derive(Debug, Clone)]
        enum Step {
            Grade(u8),
            Undo,
            Remove,
        }

        fn steps() -> impl Strategy<Value = Vec<Step>> {
            let step = prop_oneof![
                4 => (0u8..=5).prop_map(Step::Grade),
                1 => Just(Step::Undo),
                1 => Just(Step::Remove),
            ];
            prop::collection::vec(step, 0..200)
        }

        proptest! {
            #[test]
            fn the_queue_never_holds_a_card_twice(count in 0usize..12, steps in steps()) {
                let cards: Vec<Card> = (0..count).map(|n| card(&format!("c{n}"), "d", "s", n)).collect();
                let mut queue = build(&cards, &Options::default());
                for step in steps {
                    match step {
                        Step::Grade(value) => { queue.grade(grade(value)); }
                        Step::Undo => { queue.undo(); }
                        Step::Remove => { if let Some(entry) = queue.current() { queue.remove_card(entry.card); } }
                    }
                    let mut seen = HashSet::new();
                    for entry in queue.upcoming() {
                        prop_assert!(seen.insert(entry.card), "card {} twice", entry.card);
                    }
                }
            }
        }
    }
}
