//! The FSRS-6 memory model: a card's stability and difficulty after each rating, the
//! probability of recall after some days, and the whole-day interval that aims at the desired
//! retention. Pure f64 arithmetic, checked step by step against vectors computed by the Python
//! package `fsrs` 6.3.2 (tests/data/fsrs-vectors.json).

use std::f64::consts::E;

use chrono::NaiveDate;

/// FSRS-6's default parameters, w0 to w20.
pub(crate) const DEFAULT_PARAMETERS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614,
    0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];

/// The smallest and largest value each parameter may take, inclusive.
const PARAMETER_BOUNDS: [(f64, f64); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

pub(crate) const DEFAULT_DESIRED_RETENTION: f64 = 0.9;
const MIN_DESIRED_RETENTION: f64 = 0.7;
const MAX_DESIRED_RETENTION: f64 = 0.99;

/// The longest interval, about a hundred years; also the largest maximum a user may set.
pub(crate) const DEFAULT_MAXIMUM_INTERVAL: u32 = 36_500;

/// Stability never falls below this many days. There is no upper clamp: the reference lets
/// stability grow past 36500 days, and only the interval is capped.
const MIN_STABILITY: f64 = 0.001;
const MIN_DIFFICULTY: f64 = 1.0;
const MAX_DIFFICULTY: f64 = 10.0;

/// Fuzz bands as (from days, to days, fraction): the part of an interval inside each band
/// widens the fuzz by that fraction of it, on top of one day.
const FUZZ_BANDS: [(f64, f64, f64); 3] = [(2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, f64::INFINITY, 0.05)];

/// How well a card was recalled, on FSRS's four-point scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// The rating for one of recall's grades: 0 to 2 are a failure (Again), 3 Hard, 4 Good,
    /// 5 Easy. Grades never exceed 5; anything higher counts as Easy.
    pub(crate) fn from_grade(grade: u8) -> Rating {
        match grade {
            0..=2 => Rating::Again,
            3 => Rating::Hard,
            4 => Rating::Good,
            _ => Rating::Easy,
        }
    }

    /// 1 (Again) to 4 (Easy), the number the formulas are written in.
    fn number(self) -> f64 {
        f64::from(self as u8)
    }
}

/// What FSRS knows about a card after a review.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Memory {
    /// Days until the probability of recall falls to 90%.
    pub(crate) stability: f64,
    /// How hard the card is to remember, 1 (easiest) to 10.
    pub(crate) difficulty: f64,
}

/// The FSRS-6 model with one user's settings.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Scheduler {
    w: [f64; 21],
    maximum_interval: u32,
    /// The forgetting curve's exponent, -w20.
    decay: f64,
    /// Chosen so that recall is 90% after `stability` days: 0.9^(1/decay) - 1.
    factor: f64,
    /// desired_retention^(1/decay) - 1: the interval is stability / factor times this.
    retention_term: f64,
}

impl Default for Scheduler {
    fn default() -> Self {
        Scheduler::with_valid_settings(
            DEFAULT_PARAMETERS,
            DEFAULT_DESIRED_RETENTION,
            DEFAULT_MAXIMUM_INTERVAL,
        )
    }
}

impl Scheduler {
    /// A scheduler for `parameters` (see [`validate_parameters`]), a desired retention in
    /// 0.7..=0.99 and a maximum interval of 1 to 36500 days; the error says which is wrong.
    pub(crate) fn new(
        parameters: &[f64],
        desired_retention: f64,
        maximum_interval: u32,
    ) -> Result<Scheduler, String> {
        let w = validate_parameters(parameters)?;
        if !(MIN_DESIRED_RETENTION..=MAX_DESIRED_RETENTION).contains(&desired_retention) {
            return Err(format!(
                "desired retention {desired_retention} is not between {MIN_DESIRED_RETENTION} and \
                 {MAX_DESIRED_RETENTION}"
            ));
        }
        if !(1..=DEFAULT_MAXIMUM_INTERVAL).contains(&maximum_interval) {
            return Err(format!(
                "maximum interval {maximum_interval} is not between 1 and {DEFAULT_MAXIMUM_INTERVAL} days"
            ));
        }
        Ok(Scheduler::with_valid_settings(
            w,
            desired_retention,
            maximum_interval,
        ))
    }

    fn with_valid_settings(w: [f64; 21], desired_retention: f64, maximum_interval: u32) -> Scheduler {
        let decay = -w[20];
        Scheduler {
            w,
            maximum_interval,
            decay,
            factor: 0.9_f64.powf(1.0 / decay) - 1.0,
            retention_term: desired_retention.powf(1.0 / decay) - 1.0,
        }
    }

    /// The 21 parameters the model uses.
    pub(crate) fn parameters(&self) -> [f64; 21] {
        self.w
    }

    /// The memory of a new card after its first rating.
    pub(crate) fn first_memory(&self, rating: Rating) -> Memory {
        Memory {
            stability: self.w[rating as usize - 1].max(MIN_STABILITY),
            difficulty: self
                .initial_difficulty(rating)
                .clamp(MIN_DIFFICULTY, MAX_DIFFICULTY),
        }
    }

    /// The memory after rating a card reviewed `elapsed_days` whole study days after its
    /// previous review. 0 is another review on the same day: stability then follows the
    /// short-term formula, which ignores the probability of recall.
    pub(crate) fn next_memory(&self, memory: Memory, elapsed_days: u32, rating: Rating) -> Memory {
        let stability = if elapsed_days == 0 {
            self.same_day_stability(memory.stability, rating)
        } else {
            let recall = self.retrievability(memory.stability, f64::from(elapsed_days));
            match rating {
                Rating::Again => self.stability_after_lapse(memory, recall),
                _ => self.stability_after_recall(memory, recall, rating),
            }
        };
        Memory {
            stability: stability.max(MIN_STABILITY),
            difficulty: self.next_difficulty(memory.difficulty, rating),
        }
    }

    /// The memory after a review with `grade` (0 to 5) on study day `day`, of a card last
    /// reviewed on `last_review` with `memory` (`None`: its first review, or the first since
    /// its progress came from elsewhere). Days before the last review count as the same day.
    pub(crate) fn after_review(
        &self,
        memory: Option<Memory>,
        last_review: Option<NaiveDate>,
        day: NaiveDate,
        grade: u8,
    ) -> Memory {
        let rating = Rating::from_grade(grade);
        match (memory, last_review) {
            (Some(memory), Some(last)) => {
                let elapsed = (day - last).num_days().clamp(0, i64::from(u32::MAX)) as u32;
                self.next_memory(memory, elapsed, rating)
            }
            _ => self.first_memory(rating),
        }
    }

    /// The probability of recalling a card of `stability` after `elapsed_days` (negative
    /// counts as 0): (1 + factor * t / S)^decay.
    pub(crate) fn retrievability(&self, stability: f64, elapsed_days: f64) -> f64 {
        (1.0 + self.factor * elapsed_days.max(0.0) / stability).powf(self.decay)
    }

    /// Whole days until recall falls to the desired retention, rounded half to even, and
    /// kept within 1 day and the maximum interval.
    pub(crate) fn interval(&self, stability: f64) -> u32 {
        let days = (stability / self.factor * self.retention_term).round_ties_even();
        // The cast saturates: NaN and negative days become 0, then the 1-day minimum.
        (days as u32).clamp(1, self.maximum_interval)
    }

    /// `interval` moved to a day picked by `seed` within a band around it (±15% of the part
    /// between 2.5 and 7 days, ±10% up to 20 days, ±5% beyond, plus one day), never below 2
    /// days nor above the maximum interval. Intervals under 2.5 days stay as they are. The
    /// same seed always picks the same day, so a review replays identically.
    pub(crate) fn fuzzed_interval(&self, interval: u32, seed: u64) -> u32 {
        match self.fuzz_range(interval) {
            Some((low, high)) => {
                let choices = u64::from(high - low) + 1;
                // Scales the top 32 random bits onto 0..choices; choices is at most 36501.
                let offset = ((splitmix64(seed) >> 32) * choices) >> 32;
                low + offset as u32
            }
            None => interval,
        }
    }

    /// The lowest and highest day a fuzzed `interval` may fall on, or `None` when it is too
    /// short to fuzz.
    fn fuzz_range(&self, interval: u32) -> Option<(u32, u32)> {
        let days = f64::from(interval);
        if days < 2.5 {
            return None;
        }
        let spread = FUZZ_BANDS.iter().fold(1.0, |spread, &(from, to, fraction)| {
            spread + fraction * (days.min(to) - from).max(0.0)
        });
        let high = (days + spread)
            .round_ties_even()
            .min(f64::from(self.maximum_interval));
        let low = (days - spread).round_ties_even().max(2.0).min(high);
        Some((low as u32, high as u32))
    }

    /// w4 - e^(w5 * (rating - 1)) + 1, before clamping.
    fn initial_difficulty(&self, rating: Rating) -> f64 {
        self.w[4] - exp(self.w[5] * (rating.number() - 1.0)) + 1.0
    }

    /// Difficulty moves by -w6 per grade above Good, damped as it nears 10, then reverts by
    /// w7 towards the initial difficulty of an Easy card.
    fn next_difficulty(&self, difficulty: f64, rating: Rating) -> f64 {
        let change = -(self.w[6] * (rating.number() - 3.0));
        let damped = difficulty + (10.0 - difficulty) * change / 9.0;
        let reverted = self.w[7] * self.initial_difficulty(Rating::Easy) + (1.0 - self.w[7]) * damped;
        reverted.clamp(MIN_DIFFICULTY, MAX_DIFFICULTY)
    }

    /// S * e^(w17 * (rating - 3 + w18)) * S^-w19; a pass never lowers stability.
    fn same_day_stability(&self, stability: f64, rating: Rating) -> f64 {
        let mut increase =
            exp(self.w[17] * (rating.number() - 3.0 + self.w[18])) * stability.powf(-self.w[19]);
        if rating != Rating::Again {
            increase = increase.max(1.0);
        }
        stability * increase
    }

    /// Stability after a failed recall with probability `recall`: the long-term lapse
    /// formula, but never more than a same-day Again would leave.
    fn stability_after_lapse(&self, memory: Memory, recall: f64) -> f64 {
        let w = &self.w;
        let long_term = w[11]
            * memory.difficulty.powf(-w[12])
            * ((memory.stability + 1.0).powf(w[13]) - 1.0)
            * exp((1.0 - recall) * w[14]);
        let short_term = memory.stability / exp(w[17] * w[18]);
        long_term.min(short_term)
    }

    /// Stability after a successful recall with probability `recall`: it grows more for easy
    /// cards, low stability and low recall; Hard scales the growth by w15, Easy by w16.
    fn stability_after_recall(&self, memory: Memory, recall: f64, rating: Rating) -> f64 {
        let w = &self.w;
        let mut growth = exp(w[8])
            * (11.0 - memory.difficulty)
            * memory.stability.powf(-w[9])
            * (exp((1.0 - recall) * w[10]) - 1.0);
        match rating {
            Rating::Hard => growth *= w[15],
            Rating::Easy => growth *= w[16],
            Rating::Again | Rating::Good => {}
        }
        memory.stability * (1.0 + growth)
    }
}

/// Checks a parameter list from the settings: exactly 21 finite numbers, each within the
/// bounds FSRS-6 trains them in. The error names the first bad parameter and its range.
pub(crate) fn validate_parameters(parameters: &[f64]) -> Result<[f64; 21], String> {
    let w: [f64; 21] = parameters
        .try_into()
        .map_err(|_| format!("FSRS needs 21 parameters (w0 to w20), got {}", parameters.len()))?;
    for (index, (&value, &(low, high))) in w.iter().zip(&PARAMETER_BOUNDS).enumerate() {
        // Also rejects NaN and infinities: every bound is finite.
        if !(low..=high).contains(&value) {
            return Err(format!(
                "FSRS parameter w{index} is {value}, but must be between {low} and {high}"
            ));
        }
    }
    Ok(w)
}

/// `value` moved to the nearest value parameter w`index` may take.
pub(crate) fn clamp_parameter(index: usize, value: f64) -> f64 {
    let (low, high) = PARAMETER_BOUNDS[index.min(20)];
    value.clamp(low, high)
}

/// e^x computed as a power of e, not with `f64::exp`: the two can differ in the last bit, and
/// the reference vectors were computed this way.
fn exp(x: f64) -> f64 {
    E.powf(x)
}

/// SplitMix64's output function: spreads any seed, even consecutive ones, over all 64 bits.
fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate};
    use serde_json::Value;

    /// Days since the common era of a `YYYY-MM-DD` date.
    fn day_number(text: &str) -> i64 {
        let date: NaiveDate = text.parse().unwrap();
        i64::from(date.num_days_from_ce())
    }

    fn rating(number: u64) -> Rating {
        match number {
            1 => Rating::Again,
            2 => Rating::Hard,
            3 => Rating::Good,
            4 => Rating::Easy,
            _ => panic!("rating {number} is not 1 to 4"),
        }
    }

    fn assert_close(actual: f64, expected: f64, context: &str) {
        let error = (actual - expected).abs() / expected.abs().max(1.0);
        assert!(
            error <= 1e-9,
            "{context}: {actual} but the reference has {expected}"
        );
    }

    #[test]
    fn every_step_of_the_reference_vectors_is_reproduced() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fsrs-vectors.json");
        let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let sequences = vectors["sequences"].as_array().unwrap();
        assert_eq!(sequences.len(), 284);
        let mut steps_checked = 0;
        for sequence in sequences {
            let parameters: Vec<f64> = sequence["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|value| value.as_f64().unwrap())
                .collect();
            let scheduler = Scheduler::new(
                &parameters,
                sequence["desired_retention"].as_f64().unwrap(),
                u32::try_from(sequence["maximum_interval"].as_u64().unwrap()).unwrap(),
            )
            .unwrap();
            let mut today = day_number(sequence["start"].as_str().unwrap());
            let mut memory: Option<Memory> = None;
            for (index, step) in sequence["steps"].as_array().unwrap().iter().enumerate() {
                let context = format!("sequence {}, step {index}", sequence["id"]);
                let rating = rating(step["rating"].as_u64().unwrap());
                let next = match memory {
                    None => scheduler.first_memory(rating),
                    Some(previous) => {
                        let elapsed = u32::try_from(step["elapsed_days"].as_u64().unwrap()).unwrap();
                        today += i64::from(elapsed);
                        let recall = scheduler.retrievability(previous.stability, f64::from(elapsed));
                        let expected = step["retrievability"].as_f64().unwrap();
                        assert_close(recall, expected, &format!("{context}, retrievability"));
                        scheduler.next_memory(previous, elapsed, rating)
                    }
                };
                assert_eq!(
                    today,
                    day_number(step["review_on"].as_str().unwrap()),
                    "{context}, review day"
                );
                let stability = step["stability"].as_f64().unwrap();
                assert_close(next.stability, stability, &format!("{context}, stability"));
                let difficulty = step["difficulty"].as_f64().unwrap();
                assert_close(next.difficulty, difficulty, &format!("{context}, difficulty"));
                let interval = scheduler.interval(next.stability);
                assert_eq!(
                    u64::from(interval),
                    step["interval"].as_u64().unwrap(),
                    "{context}, interval"
                );
                let due = today + i64::from(interval);
                assert_eq!(
                    due,
                    day_number(step["due"].as_str().unwrap()),
                    "{context}, due day"
                );
                memory = Some(next);
                steps_checked += 1;
            }
        }
        assert_eq!(steps_checked, 2314);
    }

    #[test]
    fn grades_map_onto_ratings() {
        let ratings: Vec<Rating> = (0..=5).map(Rating::from_grade).collect();
        let (again, hard, good, easy) = (Rating::Again, Rating::Hard, Rating::Good, Rating::Easy);
        assert_eq!(ratings, [again, again, again, hard, good, easy]);
    }

    #[test]
    fn a_first_rating_gives_its_initial_stability() {
        let scheduler = Scheduler::default();
        let ratings = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];
        let stabilities: Vec<f64> = ratings
            .iter()
            .map(|&r| scheduler.first_memory(r).stability)
            .collect();
        assert_eq!(stabilities, DEFAULT_PARAMETERS[..4]);
        // w4 is the difficulty after Again; Easy's falls below 1 and is clamped.
        let again = scheduler.first_memory(Rating::Again).difficulty;
        assert!((again - DEFAULT_PARAMETERS[4]).abs() < 1e-12);
        assert_eq!(scheduler.first_memory(Rating::Easy).difficulty, MIN_DIFFICULTY);
    }

    #[test]
    fn a_higher_rating_never_gives_a_shorter_interval() {
        let scheduler = Scheduler::default();
        let ratings = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];
        let firsts: Vec<u32> = ratings
            .iter()
            .map(|&r| scheduler.interval(scheduler.first_memory(r).stability))
            .collect();
        assert!(firsts.is_sorted(), "first reviews: {firsts:?}");
        for stability in [0.01, 0.5, 3.0, 40.0, 900.0, 20_000.0] {
            for difficulty in [1.0, 5.5, 10.0] {
                for elapsed in [0, 1, 7, 60, 3000] {
                    let memory = Memory {
                        stability,
                        difficulty,
                    };
                    let intervals: Vec<u32> = ratings
                        .iter()
                        .map(|&r| scheduler.interval(scheduler.next_memory(memory, elapsed, r).stability))
                        .collect();
                    assert!(
                        intervals.is_sorted(),
                        "{memory:?} after {elapsed} days: {intervals:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn recall_at_the_interval_is_near_the_desired_retention() {
        for retention in [0.7, 0.8, 0.9, 0.95, 0.99] {
            let scheduler = Scheduler::new(&DEFAULT_PARAMETERS, retention, DEFAULT_MAXIMUM_INTERVAL).unwrap();
            for stability in [30.0, 123.4, 1000.0, 3000.0] {
                let interval = scheduler.interval(stability);
                let recall = scheduler.retrievability(stability, f64::from(interval));
                assert!(
                    (recall - retention).abs() < 2e-3,
                    "S {stability}, interval {interval}: R {recall}"
                );
            }
        }
        // By definition, recall is 90% after `stability` days, whatever the decay.
        let recall = Scheduler::default().retrievability(42.0, 42.0);
        assert!((recall - 0.9).abs() < 1e-12);
        assert_eq!(Scheduler::default().retrievability(42.0, 0.0), 1.0);
    }

    #[test]
    fn intervals_stay_between_one_day_and_the_maximum() {
        let scheduler = Scheduler::new(&DEFAULT_PARAMETERS, 0.9, 180).unwrap();
        assert_eq!(scheduler.interval(MIN_STABILITY), 1);
        assert_eq!(scheduler.interval(0.4), 1);
        assert_eq!(scheduler.interval(2.4), 2);
        assert_eq!(scheduler.interval(2.6), 3);
        assert_eq!(scheduler.interval(179.0), 179);
        assert_eq!(scheduler.interval(1e9), 180);
        assert_eq!(scheduler.interval(f64::NAN), 1);
        assert_eq!(scheduler.interval(f64::INFINITY), 180);
    }

    #[test]
    fn stability_has_a_floor_but_no_ceiling() {
        let scheduler = Scheduler::default();
        let tiny = Memory {
            stability: MIN_STABILITY,
            difficulty: 10.0,
        };
        assert_eq!(
            scheduler.next_memory(tiny, 0, Rating::Again).stability,
            MIN_STABILITY
        );
        let huge = Memory {
            stability: 30_000.0,
            difficulty: 1.0,
        };
        assert!(scheduler.next_memory(huge, 30_000, Rating::Easy).stability > 36_500.0);
    }

    #[test]
    fn parameter_lists_are_checked_with_a_clear_message() {
        assert_eq!(validate_parameters(&DEFAULT_PARAMETERS), Ok(DEFAULT_PARAMETERS));
        assert_eq!(
            validate_parameters(&DEFAULT_PARAMETERS[..20]).unwrap_err(),
            "FSRS needs 21 parameters (w0 to w20), got 20"
        );
        let mut nan = DEFAULT_PARAMETERS;
        nan[3] = f64::NAN;
        assert_eq!(
            validate_parameters(&nan).unwrap_err(),
            "FSRS parameter w3 is NaN, but must be between 0.001 and 100"
        );
        let mut out_of_bounds = DEFAULT_PARAMETERS;
        out_of_bounds[7] = 0.9;
        out_of_bounds[20] = 0.05;
        assert_eq!(
            validate_parameters(&out_of_bounds).unwrap_err(),
            "FSRS parameter w7 is 0.9, but must be between 0.001 and 0.75"
        );
        out_of_bounds[7] = 0.75;
        assert_eq!(
            validate_parameters(&out_of_bounds).unwrap_err(),
            "FSRS parameter w20 is 0.05, but must be between 0.1 and 0.8"
        );
        let mut infinite = DEFAULT_PARAMETERS;
        infinite[16] = f64::INFINITY;
        assert!(validate_parameters(&infinite).unwrap_err().contains("w16 is inf"));
        assert!(
            Scheduler::new(&DEFAULT_PARAMETERS, 0.5, 365)
                .unwrap_err()
                .contains("desired retention 0.5")
        );
        assert!(
            Scheduler::new(&DEFAULT_PARAMETERS, 0.9, 0)
                .unwrap_err()
                .contains("maximum interval 0")
        );
    }

    #[test]
    fn fuzz_is_reproducible_and_stays_in_its_band() {
        let scheduler = Scheduler::new(&DEFAULT_PARAMETERS, 0.9, 1000).unwrap();
        for interval in 0..3 {
            assert_eq!(scheduler.fuzzed_interval(interval, 7), interval);
        }
        // 1 day plus 15% of 0.5 days: 3 days land on 2 to 4.
        assert_eq!(scheduler.fuzz_range(3), Some((2, 4)));
        // 1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * 80 = 6.975 days either side of 100.
        assert_eq!(scheduler.fuzz_range(100), Some((93, 107)));
        assert_eq!(scheduler.fuzz_range(995), Some((943, 1000)));
        for interval in [3, 5, 8, 19, 40, 365, 999, 1000] {
            let (low, high) = scheduler.fuzz_range(interval).unwrap();
            let mut seen = std::collections::BTreeSet::new();
            for seed in 0..2000 {
                let fuzzed = scheduler.fuzzed_interval(interval, seed);
                assert_eq!(fuzzed, scheduler.fuzzed_interval(interval, seed), "seed {seed}");
                assert!((low..=high).contains(&fuzzed), "{interval} fuzzed to {fuzzed}");
                assert!((2..=1000).contains(&fuzzed));
                seen.insert(fuzzed);
            }
            // Every day of the band is reachable.
            assert_eq!(seen.len() as u32, high - low + 1, "interval {interval}");
        }
    }
}
