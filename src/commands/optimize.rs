//! `recall optimize`: train FSRS's parameters on this collection's reviews, show how well the
//! defaults and the trained parameters predict them, suggest a desired retention, and with
//! `--apply` store the parameters.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use super::{Context, stdout_error};
use crate::cli::OptimizeArgs;
use crate::core::Status;
use crate::core::settings::Scheduler;
use crate::error::{Error, Result};
use crate::optimize::training::{Histories, TrainingSet};
use crate::optimize::{self, Fit, MIN_REVIEWS, Outcome, Progress, Stage};
use crate::store::{self, Store};

pub(super) fn run(context: &Context, args: &OptimizeArgs, out: &mut impl Write) -> Result<()> {
    let bar = std::io::stderr().is_terminal().then_some(Bar);
    if let Some(bar) = &bar {
        bar.draw("reading the log");
    }
    let store = context.open_progress()?;
    let set = training_set(&store)?;
    if set.reviews() < MIN_REVIEWS {
        if let Some(bar) = &bar {
            bar.clear();
        }
        return Err(Error::usage(format!(
            "training FSRS needs at least {MIN_REVIEWS} reviews of cards seen on an earlier day; \
             this collection has {}, so {} more. Nothing was changed",
            set.reviews(),
            MIN_REVIEWS - set.reviews()
        )));
    }
    let cards_in_use = store
        .cards()
        .iter()
        .filter(|c| matches!(c.status, Status::Active | Status::Suspended))
        .count();
    let current = store.settings.fsrs_parameters;
    let progress = Progress::default();
    let outcome = std::thread::scope(|scope| {
        let work =
            scope.spawn(|| optimize::optimize(&set, current, &store.settings, cards_in_use, &progress));
        while !work.is_finished() {
            if let Some(bar) = &bar {
                bar.show(&progress);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        work.join()
            .unwrap_or_else(|_| Err("the optimisation stopped unexpectedly".to_string()))
    });
    if let Some(bar) = &bar {
        bar.clear();
    }
    let outcome = outcome.map_err(Error::usage)?;
    report(&set, &store, &outcome, out).map_err(stdout_error)?;
    let in_use = outcome.current_fit.unwrap_or(outcome.default_fit);
    let advice = if outcome.trained_fit.log_loss > in_use.log_loss {
        "The parameters in use predict your reviews better than the trained ones; they stay."
    } else if !args.apply {
        "Use them with `recall optimize --apply`."
    } else {
        ""
    };
    if !advice.is_empty() {
        return writeln!(out, "{advice}").map_err(stdout_error);
    }
    let trained = outcome.trained;
    let updated = store::settings::update(&context.dir()?, |settings| {
        settings.fsrs_parameters = Some(trained);
        Ok(())
    })?;
    super::print_warnings_list(updated.warnings);
    store::recompute_memories(&context.dir()?)?;
    let effect = match updated.settings.scheduler {
        Scheduler::Fsrs => "FSRS schedules with them from now on",
        Scheduler::Sm2 => "they schedule once FSRS is on: `recall config set scheduler fsrs`",
    };
    writeln!(out, "Stored them as fsrs_parameters in config.json; {effect}.").map_err(stdout_error)
}

/// Every card's reviews from every log, in the collection's order.
fn training_set(store: &Store) -> Result<TrainingSet> {
    let mut histories = Histories::default();
    let warnings = store.for_each_record(|device, record| {
        let card = store.card_alias(&record.card);
        histories.add(device, &record, card.as_deref().unwrap_or(&record.card));
    })?;
    super::print_warnings_list(warnings);
    Ok(histories.finish())
}

fn report(set: &TrainingSet, store: &Store, outcome: &Outcome, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "Trained FSRS on {} of {}.\n",
        super::plural(set.reviews(), "review"),
        super::plural(set.cards, "card")
    )?;
    writeln!(out, "  PARAMETERS  LOG LOSS   RMSE")?;
    let row = |out: &mut dyn Write, name: &str, fit: Fit| {
        writeln!(
            out,
            "  {name:<10}  {:>8.4}  {:>5.2}%",
            fit.log_loss,
            fit.rmse * 100.0
        )
    };
    row(out, "default", outcome.default_fit)?;
    if let Some(fit) = outcome.current_fit {
        row(out, "in use", fit)?;
    }
    row(out, "trained", outcome.trained_fit)?;
    writeln!(
        out,
        "\nLower is better for both. Log loss scores the predicted chance of recall against every \
         answer; RMSE is the typical gap between the predicted and the measured share of cards \
         recalled.\n"
    )?;
    writeln!(
        out,
        "Suggested desired_retention: {:.2} (now {:.2}): the least study time per card \
         remembered over a simulated year of your reviews. Set it with `recall config set \
         desired_retention {:.2}`.",
        outcome.suggested_retention, store.settings.desired_retention, outcome.suggested_retention
    )?;
    let parameters: Vec<String> = outcome.trained.iter().map(|w| format!("{w}")).collect();
    writeln!(out, "Trained parameters: {}", parameters.join(", "))
}

/// A progress line on standard error, redrawn in place.
struct Bar;

impl Bar {
    const WIDTH: usize = 30;

    fn draw(&self, text: &str) {
        eprint!("\r\x1b[2K{text}");
        let _ = std::io::stderr().flush();
    }

    fn show(&self, progress: &Progress) {
        let text = match progress.now() {
            (Stage::Training, fraction) => {
                let fraction = fraction.unwrap_or(0.0).clamp(0.0, 1.0);
                let filled = (fraction * Self::WIDTH as f64).round() as usize;
                format!(
                    "training  {}{} {:>3.0}%",
                    "█".repeat(filled),
                    "░".repeat(Self::WIDTH - filled),
                    fraction * 100.0
                )
            }
            (Stage::Checking, _) => "checking the trained parameters".to_string(),
            (Stage::Simulating(round), _) => {
                format!("simulating a year of reviews at each desired retention (round {round})")
            }
        };
        self.draw(&text);
    }

    fn clear(&self) {
        self.draw("");
    }
}
