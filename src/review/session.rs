//! A review session: the queue of the day, with every grade written to the log (durably)
//! before the next card is drawn. Both the full-screen review and `--plain` drive this.

use chrono::NaiveDate;

use super::queue::{Entry, EntryKind, Options, Queue};
use super::summary::Summary;
use super::today;
use crate::clock::Timestamp;
use crate::core::settings::Scheduler;
use crate::core::{Card, Kind, LeechAction, Record, Stamp, Status, leech_event};
use crate::error::Result;
use crate::schedule::sm2::{self, CardState, Grade};
use crate::store::Store;

/// A grade given in this session, kept so it can be undone and summed up.
#[derive(Debug, Clone, Copy)]
struct Given {
    record_id: u64,
    entry: Entry,
    grade: Grade,
    before: CardState,
    ms: u64,
    /// The grade made the card a leech and suspended it.
    suspended: bool,
}

/// What happened to the card just graded, beyond the grade itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The card just became a leech (or lapsed again by another half threshold).
    pub(crate) leech: bool,
    /// ... and the settings say leeches are suspended, so it was.
    pub(crate) suspended: bool,
}

/// A session over an open (writable) store.
#[derive(Debug)]
pub struct Session {
    store: Store,
    queue: Queue,
    today: NaiveDate,
    given: Vec<Given>,
}

impl Session {
    /// Builds today's queue from the store and today's log.
    pub fn start(store: Store, options: &Options, today: NaiveDate) -> Result<Session> {
        let queue = today::queue(&store, today, options)?;
        Ok(Session {
            store,
            queue,
            today,
            given: Vec::new(),
        })
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn queue(&self) -> &Queue {
        &self.queue
    }

    pub(crate) fn today(&self) -> NaiveDate {
        self.today
    }

    /// The card to show now, and why it is in the queue.
    pub fn current(&self) -> Option<(Entry, &Card)> {
        let entry = self.queue.current()?;
        Some((entry, &self.store.cards()[entry.card]))
    }

    /// Whether the collection has any cards at all.
    pub(crate) fn has_cards(&self) -> bool {
        !self.store.cards().is_empty()
    }

    /// Whether `card`'s text is Markdown (else plain text).
    pub(crate) fn is_markdown(&self, card: &Card) -> bool {
        self.store
            .deck(&card.deck)
            .is_some_and(|deck| deck.format == crate::notes::Format::Markdown)
    }

    /// The notes file `card` comes from, when it is still on disk.
    pub(crate) fn notes_file(&self, card: &Card) -> Option<std::path::PathBuf> {
        let deck = self.store.deck(&card.deck)?;
        deck.source(self.store.device())
            .filter(|file| file.exists())
            .map(std::path::Path::to_path_buf)
    }

    /// Grades given so far (undone ones not counted): the session's progress.
    pub fn done(&self) -> usize {
        self.given.len()
    }

    /// The interval in days each grade would give the current card; `None` where grades do
    /// not change its schedule (re-drills and cram).
    pub(crate) fn intervals(&self) -> Option<[u32; 6]> {
        let (entry, card) = self.current()?;
        if entry.kind.record_kind() != Kind::Review {
            return None;
        }
        Some(self.store.schedule().preview(card, self.today))
    }

    /// The probability that the current card is recalled today, as FSRS predicts it; `None`
    /// under SM-2 (which has no such notion) and for a card never reviewed.
    pub(crate) fn recall_chance(&self) -> Option<f64> {
        let schedule = self.store.schedule();
        if schedule.kind != Scheduler::Fsrs {
            return None;
        }
        let (_, card) = self.current()?;
        schedule.retrievability(card, self.today)
    }

    /// Records `grade` for the current card (durably), then moves the queue on.
    pub fn grade(&mut self, grade: Grade, at: Timestamp, ms: u64) -> Result<Outcome> {
        let Some((entry, card)) = self.current() else {
            return Ok(Outcome::default());
        };
        let kind = entry.kind.record_kind();
        let before = card.state;
        let after = if kind == Kind::Review {
            sm2::review(&before, grade, self.today)
        } else {
            before
        };
        let record = self.write(
            entry,
            kind,
            at,
            Some(grade),
            (Some(before), Some(after)),
            Some(ms),
        )?;
        self.queue.grade(grade);
        self.given.push(Given {
            record_id: record.id,
            entry,
            grade,
            before,
            ms,
            suspended: false,
        });

        let settings = self.store.settings;
        let mut outcome = Outcome::default();
        if kind == Kind::Review && leech_event(before.lapses, after.lapses, settings.leech_threshold) {
            outcome.leech = true;
            if settings.leech_action == LeechAction::Suspend {
                self.write(entry, Kind::Suspend, at, None, (None, None), None)?;
                self.queue.remove_card(entry.card);
                outcome.suspended = true;
                if let Some(given) = self.given.last_mut() {
                    given.suspended = true;
                }
            }
        }
        Ok(outcome)
    }

    /// Takes back the latest grade of this session: the card's state is restored (an `undo`
    /// record is logged) and it is shown again. Returns false when there is nothing to undo.
    pub(crate) fn undo(&mut self, at: Timestamp) -> Result<bool> {
        let Some(last) = self.given.last().copied() else {
            return Ok(false);
        };
        if last.suspended {
            self.write(last.entry, Kind::Unsuspend, at, None, (None, None), None)?;
        }
        let now = self.store.cards()[last.entry.card].state;
        let record = Record {
            undoes: Some(last.record_id),
            before: Some(now),
            after: Some(last.before),
            grade: Some(last.grade),
            ms: Some(last.ms),
            undone_kind: Some(last.entry.kind.record_kind()),
            ..self.record(last.entry, Kind::Undo, at)
        };
        self.store.record(record)?;
        self.given.pop();
        self.queue.undo();
        if self.store.cards()[last.entry.card].status != Status::Active {
            self.queue.remove_card(last.entry.card);
        }
        Ok(true)
    }

    /// Hides the current card until tomorrow.
    pub(crate) fn bury(&mut self, at: Timestamp) -> Result<()> {
        self.set_aside(Kind::Bury, at)
    }

    /// Takes the current card out of reviews until it is unsuspended.
    pub(crate) fn suspend(&mut self, at: Timestamp) -> Result<()> {
        self.set_aside(Kind::Suspend, at)
    }

    fn set_aside(&mut self, kind: Kind, at: Timestamp) -> Result<()> {
        let Some(entry) = self.queue.current() else {
            return Ok(());
        };
        self.write(entry, kind, at, None, (None, None), None)?;
        self.queue.remove_card(entry.card);
        Ok(())
    }

    /// Changes the collection mid-session (a re-import after the user edited the notes), writes
    /// the caches, and drops cards that are no longer in use from the queue.
    pub(crate) fn change<T>(&mut self, change: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        let changed = change(&mut self.store)?;
        self.store.save()?;
        let inactive: Vec<usize> = self
            .queue
            .upcoming()
            .filter(|entry| self.store.cards()[entry.card].status != Status::Active)
            .map(|entry| entry.card)
            .collect();
        for card in inactive {
            self.queue.remove_card(card);
        }
        Ok(changed)
    }

    /// Ends the session: writes the caches if anything was logged since the last time, and
    /// sums up.
    pub fn finish(&mut self) -> Result<Summary> {
        // Other devices' records that arrived meanwhile join now, not in the middle.
        self.store.refresh()?;
        self.store.save()?;
        Ok(self.summary())
    }

    /// The first day after today with cards due, and how many are due then.
    pub(crate) fn next_due(&self) -> Option<(NaiveDate, usize)> {
        today::next_due(self.store.cards(), &self.store.schedule(), self.today)
    }

    /// The numbers so far.
    pub(crate) fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        let mut seen = std::collections::HashSet::new();
        for given in &self.given {
            summary.grades[usize::from(given.grade.value())] += 1;
            summary.seconds += given.ms;
            if given.entry.kind == EntryKind::Redrill {
                summary.redrills += 1;
            }
            if given.entry.kind == EntryKind::New {
                summary.new_learnt += 1;
            }
            seen.insert(given.entry.card);
        }
        summary.seconds /= 1000;
        summary.held_back = self.queue.held_back;
        summary.reviewed = seen.len();
        let tomorrow = crate::schedule::day::add(self.today, 1);
        let week_end = crate::schedule::day::add(self.today, 7);
        let schedule = self.store.schedule();
        for card in self.store.cards().iter().filter(|c| c.status == Status::Active) {
            let due = schedule.due(card);
            match due {
                Some(due) if due <= tomorrow => summary.due_tomorrow += 1,
                _ => {}
            }
            if due.is_some_and(|due| due <= week_end) {
                summary.due_next_7_days += 1;
            }
        }
        summary
    }

    fn record(&self, entry: Entry, kind: Kind, at: Timestamp) -> Record {
        let stamp = Stamp { at, day: self.today };
        Record::new(kind, &self.store.cards()[entry.card].id, stamp)
    }

    fn write(
        &mut self,
        entry: Entry,
        kind: Kind,
        at: Timestamp,
        grade: Option<Grade>,
        (before, after): (Option<CardState>, Option<CardState>),
        ms: Option<u64>,
    ) -> Result<Record> {
        let record = Record {
            grade,
            before,
            after,
            ms,
            ..self.record(entry, kind, at)
        };
        self.store.record(record)
    }
}
