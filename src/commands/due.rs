//! `recall due`: today's workload in one line, for a shell prompt or a status bar.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::{Context, plural, stdout_error, write_json};
use crate::cli::{FormatArgs, TextOrJson};
use crate::error::Result;
use crate::review::queue::{HeldBack, Options};
use crate::review::today;
use crate::store::Store;

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

pub(super) fn run(context: &Context, args: &FormatArgs, out: &mut impl Write) -> Result<()> {
    let store = context.open_progress()?;
    let due = count(&store, context.today(&store))?;
    store.close();
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

fn count(store: &Store, today: NaiveDate) -> Result<Due> {
    let queue = today::queue(store, today, &Options::default())?;
    let remaining = queue.remaining();
    let HeldBack { new, reviews, .. } = queue.held_back;
    let next =
        today::next_due(store.cards(), &store.schedule(), today).map(|(date, cards)| NextDue { date, cards });
    Ok(Due {
        today,
        reviews: remaining.reviews,
        new: remaining.new,
        redrills: remaining.redrills,
        held_back: HeldBackJson { new, reviews },
        next,
    })
}
