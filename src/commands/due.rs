//! `recall due`: today's workload in one line, for a shell prompt or a status bar.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Context, plural, stdout_error, today, write_json};
use crate::cli::{FormatArgs, TextOrJson};
use crate::error::Result;
use crate::queue::{self, HeldBack, Limits, Queue};
use crate::store::{Status, Store};

#[derive(Debug, Serialize)]
struct Due {
    today: NaiveDate,
    /// Review cards in today's queue.
    reviews: usize,
    /// New cards still allowed today.
    new: usize,
    /// Cards graded below 4 earlier today, waiting to be drilled again.
    redrills: usize,
    held_back: HeldBackJson,
    /// The next day after today with cards due, and how many.
    next: Option<NextDue>,
}

#[derive(Debug, Serialize)]
struct HeldBackJson {
    new: usize,
    reviews: usize,
}

#[derive(Debug, Serialize)]
struct NextDue {
    date: NaiveDate,
    cards: usize,
}

pub fn run(context: &Context, args: &FormatArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_started()?;
    let due = count(&store)?;
    match args.format {
        TextOrJson::Json => write_json(out, &due),
        TextOrJson::Text => {
            let mut line = format!(
                "{} and {} due today",
                plural(due.reviews, "review"),
                plural(due.new, "new card")
            );
            if due.redrills > 0 {
                line.push_str(&format!(", {} waiting", plural(due.redrills, "re-drill")));
            }
            let held = due.held_back.new + due.held_back.reviews;
            if held > 0 {
                line.push_str(&format!(" ({held} more held back by the daily limits)"));
            }
            if let Some(next) = &due.next {
                line.push_str(&format!(
                    "; next: {} on {}",
                    plural(next.cards, "card"),
                    next.date
                ));
            }
            writeln!(out, "{line}").map_err(stdout_error)
        }
    }
}

fn count(store: &Store) -> Result<Due> {
    let (_, today) = today(store)?;
    let done = queue::done_today(&store.recent_records(today)?, today);
    let limits = Limits::from(&store.settings);
    let queue = Queue::build(&store.collection.cards, today, &done, limits, &Default::default());
    let remaining = queue.remaining();
    let HeldBack { new, reviews, .. } = queue.held_back;
    let later = store
        .collection
        .cards
        .iter()
        .filter(|card| card.status == Status::Active)
        .filter_map(|card| card.state.due.filter(|&due| due > today));
    let next = later.clone().min().map(|date| NextDue {
        date,
        cards: later.filter(|&due| due == date).count(),
    });
    Ok(Due {
        today,
        reviews: remaining.reviews,
        new: remaining.new,
        redrills: remaining.redrills,
        held_back: HeldBackJson { new, reviews },
        next,
    })
}
