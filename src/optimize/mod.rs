//! Training FSRS's parameters on the student's own reviews with the `fsrs` crate: the trained
//! parameters, how well they and the defaults predict the same reviews (log loss and RMSE),
//! and the desired retention the crate's simulator finds cheapest with them.
//!
//! The crate's training runs on one core, so the defaults (and the parameters in use) are
//! checked on a second thread meanwhile; its simulator runs on every core.

pub(crate) mod training;

use std::sync::{Arc, Mutex, PoisonError};

use ::fsrs::{CombinedProgressState, ComputeParametersInput, FSRS, ModelEvaluation, SimulatorConfig};

use crate::core::Settings;
use crate::schedule::fsrs::{DEFAULT_PARAMETERS, clamp_parameter, validate_parameters};
use training::TrainingSet;

/// The fewest reviews (of cards seen on an earlier day) worth training on; with fewer the
/// trained parameters would follow chance more than the student.
pub(crate) const MIN_REVIEWS: usize = 400;

/// The simulator plays through a collection of at most this many cards (a larger one, and
/// its daily limits, is scaled down): enough for a steady answer in seconds, not minutes.
const SIMULATED_CARDS: usize = 10_000;

/// How well a set of parameters predicts the reviews: lower is better for both.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Fit {
    /// The mean log loss of the predicted probability of recall against each answer.
    pub(crate) log_loss: f64,
    /// The root mean square gap between predicted and measured recall over groups of similar
    /// reviews, as a fraction (0.02 is two percentage points).
    pub(crate) rmse: f64,
}

/// What an optimisation found.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub(crate) trained: [f64; 21],
    pub(crate) default_fit: Fit,
    /// The fit of the parameters in use, when they are not the defaults.
    pub(crate) current_fit: Option<Fit>,
    pub(crate) trained_fit: Fit,
    /// The desired retention with the least study time per card remembered, in a simulated
    /// year of this student's reviews under the trained parameters.
    pub(crate) suggested_retention: f64,
}

/// Where the optimisation is, for a progress bar drawn by another thread.
#[derive(Debug, Default)]
pub(crate) struct Progress {
    training: Arc<Mutex<CombinedProgressState>>,
    stage: Mutex<Stage>,
}

/// A stage of the optimisation.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) enum Stage {
    #[default]
    Training,
    Checking,
    /// Simulating; how many rounds so far (each a few simulated years, a dozen or two in all).
    Simulating(usize),
}

impl Progress {
    /// The stage, and for training the fraction done.
    pub(crate) fn now(&self) -> (Stage, Option<f64>) {
        let stage = *self.stage.lock().unwrap_or_else(PoisonError::into_inner);
        let fraction = (stage == Stage::Training).then(|| {
            let training = self.training.lock().unwrap_or_else(PoisonError::into_inner);
            if training.total() == 0 {
                0.0
            } else {
                training.current() as f64 / training.total() as f64
            }
        });
        (stage, fraction)
    }

    fn set(&self, stage: Stage) {
        *self.stage.lock().unwrap_or_else(PoisonError::into_inner) = stage;
    }
}

/// Trains on `set` (at least [`MIN_REVIEWS`] reviews), compares with the defaults and with
/// `current` (the parameters in use), and suggests a desired retention for `settings`'s daily
/// limits over `cards_in_use` cards.
pub(crate) fn optimize(
    set: &TrainingSet,
    current: Option<[f64; 21]>,
    settings: &Settings,
    cards_in_use: usize,
    progress: &Progress,
) -> Result<Outcome, String> {
    let (trained, default_fit, current_fit) = std::thread::scope(|scope| {
        let checks = scope.spawn(|| {
            let current_fit = current
                .filter(|c| *c != DEFAULT_PARAMETERS)
                .map(|c| fit(set, &c))
                .transpose()?;
            Ok::<_, String>((fit(set, &DEFAULT_PARAMETERS)?, current_fit))
        });
        let trained = train(set, progress);
        let (default_fit, current_fit) = checks
            .join()
            .unwrap_or_else(|_| Err("checking the FSRS parameters failed".to_string()))?;
        Ok::<_, String>((trained?, default_fit, current_fit))
    })?;
    progress.set(Stage::Checking);
    let trained_fit = fit(set, &trained)?;
    progress.set(Stage::Simulating(0));
    let suggested_retention = suggest_retention(set, &trained, settings, cards_in_use, progress)?;
    Ok(Outcome {
        trained,
        default_fit,
        current_fit,
        trained_fit,
        suggested_retention,
    })
}

fn train(set: &TrainingSet, progress: &Progress) -> Result<[f64; 21], String> {
    let trained = ::fsrs::compute_parameters(ComputeParametersInput {
        train_set: set.items.clone(),
        card_ids: Some(set.card_ids.clone()),
        progress: Some(progress.training.clone()),
        // recall has no same-day learning steps: a repeat on the day moves nothing, so there
        // is nothing to learn the short-term parameters from.
        enable_short_term: false,
        ..ComputeParametersInput::default()
    })
    .map_err(|e| format!("FSRS training failed: {e}"))?;
    // Four decimals, as the parameters are shown and stored, kept within FSRS-6's bounds.
    let rounded: Vec<f64> = trained
        .iter()
        .map(|&w| (f64::from(w) * 10_000.0).round() / 10_000.0)
        .collect();
    validate_parameters(&clamp_to_bounds(&rounded))
}

/// `parameters` with each moved to the nearest value FSRS-6 allows (rounding can step over a
/// bound by a hair).
fn clamp_to_bounds(parameters: &[f64]) -> Vec<f64> {
    parameters
        .iter()
        .enumerate()
        .map(|(index, &w)| clamp_parameter(index, w))
        .collect()
}

fn as_f32(parameters: &[f64; 21]) -> Vec<f32> {
    parameters.iter().map(|&w| w as f32).collect()
}

fn fit(set: &TrainingSet, parameters: &[f64; 21]) -> Result<Fit, String> {
    let failed = |e: ::fsrs::FSRSError| format!("checking the FSRS parameters failed: {e}");
    let model = FSRS::new(&as_f32(parameters)).map_err(failed)?;
    let ModelEvaluation { log_loss, rmse_bins } = model
        .evaluate_with_card_ids(set.items.clone(), set.card_ids.clone(), |_| true)
        .map_err(failed)?;
    Ok(Fit {
        log_loss: f64::from(log_loss),
        rmse: f64::from(rmse_bins),
    })
}

fn suggest_retention(
    set: &TrainingSet,
    parameters: &[f64; 21],
    settings: &Settings,
    cards_in_use: usize,
    progress: &Progress,
) -> Result<f64, String> {
    let config = simulator_config(set, settings, cards_in_use);
    let mut rounds = 0;
    let retention = ::fsrs::optimal_retention(
        &config,
        &as_f32(parameters),
        |_| {
            rounds += 1;
            progress.set(Stage::Simulating(rounds));
            true
        },
        None,
        None,
    )
    .map_err(|e| format!("the FSRS simulation failed: {e}"))?;
    Ok((f64::from(retention) * 100.0).round() / 100.0)
}

/// The simulator set up as this student studies: their collection's size and daily limits,
/// how they grade, and how long they take per answer (the crate's defaults where the log
/// has not shown it). recall has no learning steps.
fn simulator_config(set: &TrainingSet, settings: &Settings, cards_in_use: usize) -> SimulatorConfig {
    let defaults = SimulatorConfig::default();
    let cards = cards_in_use.max(1);
    let scale = |limit: u32| -> usize {
        let limit = limit as usize;
        if cards <= SIMULATED_CARDS {
            limit
        } else {
            (limit * SIMULATED_CARDS).div_ceil(cards)
        }
    };
    let share = |counts: &[u64]| -> Option<Vec<f32>> {
        let total: u64 = counts.iter().sum();
        (total > 0).then(|| counts.iter().map(|&c| c as f32 / total as f32).collect())
    };
    let first_rating_prob = share(&set.first_ratings)
        .and_then(|p| p.try_into().ok())
        .unwrap_or(defaults.first_rating_prob);
    let review_rating_prob = share(&set.review_ratings[1..])
        .and_then(|p| p.try_into().ok())
        .unwrap_or(defaults.review_rating_prob);
    let mut state_rating_costs = defaults.state_rating_costs;
    for (state, row) in set.answer_time.iter().enumerate() {
        for (rating, &(seconds, answers)) in row.iter().enumerate() {
            if answers > 0 {
                state_rating_costs[state][rating] = (seconds / answers as f64) as f32;
            }
        }
    }
    SimulatorConfig {
        deck_size: cards.min(SIMULATED_CARDS),
        learn_limit: scale(settings.new_cards_per_day),
        review_limit: scale(settings.reviews_per_day),
        first_rating_prob,
        review_rating_prob,
        state_rating_costs,
        learning_step_count: 0,
        relearning_step_count: 0,
        ..defaults
    }
}
