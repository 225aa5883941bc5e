//! SuperMemo's SM-2 (Wozniak, 1990), with the points the original leaves open settled as the
//! `supermemo2` Python package does (the vectors in tests/data come from it): pure arithmetic
//! on a card's state, with the E-Factor kept in exact hundredths so no rounding error builds
//! up over years of reviews.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The longest interval SM-2 gives, about a hundred years.
pub(crate) const MAX_INTERVAL: u32 = 36_500;

/// An answer grade, 0 (blackout) to 5 (easy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Grade(u8);

impl Grade {
    /// All grades, worst first.
    pub const ALL: [Grade; 6] = [Grade(0), Grade(1), Grade(2), Grade(3), Grade(4), Grade(5)];

    /// The grade `value`, or `None` outside 0..=5.
    pub const fn new(value: u8) -> Option<Grade> {
        if value <= 5 { Some(Grade(value)) } else { None }
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// Grades of 3 and up count as a correct recall.
    pub(crate) fn is_pass(self) -> bool {
        self.0 >= 3
    }
}

impl TryFrom<u8> for Grade {
    type Error = String;
    fn try_from(value: u8) -> Result<Self, String> {
        Grade::new(value).ok_or_else(|| format!("grade {value} is not in 0..5"))
    }
}

impl From<Grade> for u8 {
    fn from(grade: Grade) -> u8 {
        grade.0
    }
}

/// The E-Factor in exact hundredths (250 is 2.5). Written to JSON as a decimal number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ease(u16);

impl Ease {
    pub(crate) const START: Ease = Ease(250);
    pub(crate) const MIN: Ease = Ease(130);

    pub fn from_hundredths(hundredths: u16) -> Ease {
        Ease(hundredths.max(Ease::MIN.0))
    }

    pub(crate) fn hundredths(self) -> u16 {
        self.0
    }

    pub(crate) fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// The E-Factor after a review graded `grade`: 0.1 - (5-q)(0.08 + (5-q)0.02), floored at 1.3.
    fn after(self, grade: Grade) -> Ease {
        let miss = i32::from(5 - grade.0);
        let delta = 10 - miss * (8 + miss * 2);
        let value = (i32::from(self.0) + delta).max(i32::from(Ease::MIN.0));
        Ease(u16::try_from(value).unwrap_or(u16::MAX))
    }
}

impl std::fmt::Display for Ease {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Ease {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(self.as_f64())
    }
}

impl<'de> Deserialize<'de> for Ease {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        let hundredths = (value * 100.0).round();
        if !(f64::from(Ease::MIN.0)..=f64::from(u16::MAX)).contains(&hundredths) {
            return Err(serde::de::Error::custom(format!(
                "ease {value} is not between 1.3 and 655"
            )));
        }
        Ok(Ease(hundredths as u16))
    }
}

/// Everything SM-2 remembers about a card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CardState {
    /// Successful reviews in a row (grade 3 or more) since the last lapse.
    pub repetitions: u32,
    pub ease: Ease,
    /// Days between the last review and the due day.
    pub interval: u32,
    /// The study day the card is due; `None` for a card never reviewed.
    #[serde(with = "crate::schedule::day::optional")]
    pub due: Option<NaiveDate>,
    /// Grades below 3, but for the very first review of the card.
    pub lapses: u32,
    #[serde(with = "crate::schedule::day::optional")]
    pub last_review: Option<NaiveDate>,
}

impl Default for CardState {
    fn default() -> Self {
        CardState {
            repetitions: 0,
            ease: Ease::START,
            interval: 0,
            due: None,
            lapses: 0,
            last_review: None,
        }
    }
}

impl CardState {
    /// A card that has never been reviewed.
    pub fn is_new(&self) -> bool {
        self.last_review.is_none()
    }
}

/// The state after reviewing a card in `state` on study day `day` with `grade`.
/// Lateness does not matter: the next due day counts from `day`.
pub fn review(state: &CardState, grade: Grade, day: NaiveDate) -> CardState {
    let (repetitions, interval, lapses) = if grade.is_pass() {
        let interval = match state.repetitions {
            0 => 1,
            1 => 6,
            _ => next_interval(state.interval, state.ease),
        };
        (state.repetitions.saturating_add(1), interval, state.lapses)
    } else {
        // Every failure counts but the first review of a new card: a card failed day after
        // day is the one that most needs to be seen as a leech.
        let lapsed = u32::from(!state.is_new());
        (0, 1, state.lapses.saturating_add(lapsed))
    };
    CardState {
        repetitions,
        ease: state.ease.after(grade),
        interval,
        due: Some(crate::schedule::day::add(day, u64::from(interval))),
        lapses,
        last_review: Some(day),
    }
}

/// ceil(interval x ease), on exact hundredths, capped at [`MAX_INTERVAL`].
fn next_interval(interval: u32, ease: Ease) -> u32 {
    let product = u64::from(interval) * u64::from(ease.0);
    let days = product.div_ceil(100).max(1);
    u32::try_from(days).unwrap_or(u32::MAX).min(MAX_INTERVAL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn every_step_of_the_reference_vectors_is_reproduced() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sm2-vectors.json");
        let vectors: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let sequences = vectors["sequences"].as_array().unwrap();
        assert_eq!(sequences.len(), 200);
        let mut steps_checked = 0;
        for (number, sequence) in sequences.iter().enumerate() {
            let mut state = CardState::default();
            for step in sequence["steps"].as_array().unwrap() {
                let grade = Grade::new(step["grade"].as_u64().unwrap() as u8).unwrap();
                state = review(&state, grade, day(step["review_on"].as_str().unwrap()));
                let context = format!("sequence {number}, step {step}");
                assert_eq!(state.ease.as_f64(), step["ease"].as_f64().unwrap(), "{context}");
                assert_eq!(
                    u64::from(state.interval),
                    step["interval"].as_u64().unwrap(),
                    "{context}"
                );
                assert_eq!(
                    u64::from(state.repetitions),
                    step["repetitions"].as_u64().unwrap(),
                    "{context}"
                );
                assert_eq!(state.due, Some(day(step["due"].as_str().unwrap())), "{context}");
                steps_checked += 1;
            }
        }
        assert_eq!(steps_checked, 1109);
    }

    #[test]
    fn ease_deltas_per_grade() {
        let deltas: Vec<i32> = Grade::ALL
            .iter()
            .map(|&g| i32::from(Ease(250).after(g).0) - 250)
            .collect();
        assert_eq!(deltas, [-80, -54, -32, -14, 0, 10]);
        assert_eq!(Ease(140).after(Grade(0)), Ease::MIN);
    }

    #[test]
    fn intervals_go_one_six_then_multiply_by_the_ease_before_the_update() {
        let d = day("2026-01-01");
        let first = review(&CardState::default(), Grade(4), d);
        assert_eq!(
            (first.interval, first.repetitions, first.due),
            (1, 1, Some(day("2026-01-02")))
        );
        let second = review(&first, Grade(3), d);
        assert_eq!((second.interval, second.ease), (6, Ease(236)));
        let third = review(&second, Grade(5), d);
        // ceil(6 x 2.36) = ceil(14.16) = 15, with the ease before this review's +0.10.
        assert_eq!((third.interval, third.ease), (15, Ease(246)));
    }

    #[test]
    fn a_failed_review_resets_repetitions_keeps_ease_change_and_counts_a_lapse() {
        let d = day("2026-01-01");
        let learnt = review(&review(&CardState::default(), Grade(5), d), Grade(5), d);
        let failed = review(&learnt, Grade(1), d);
        assert_eq!((failed.repetitions, failed.interval, failed.lapses), (0, 1, 1));
        assert_eq!(failed.ease, Ease(216));
        // Failing again, never having recalled it since, is a lapse too.
        assert_eq!(review(&failed, Grade(0), d).lapses, 2);
        // Only a new card's very first review is not a lapse, failed or not.
        let first = review(&CardState::default(), Grade(2), d);
        assert_eq!(first.lapses, 0);
        // A card failed on every review from the start lapses on all but the first.
        let thirteen = (0..13).fold(CardState::default(), |state, _| review(&state, Grade(1), d));
        assert_eq!(thirteen.lapses, 12);
    }

    #[test]
    fn counters_from_a_hostile_file_do_not_overflow() {
        let state = CardState {
            repetitions: u32::MAX,
            lapses: u32::MAX,
            ..CardState::default()
        };
        let day = day("2026-01-01");
        assert_eq!(review(&state, Grade(5), day).repetitions, u32::MAX);
        assert_eq!(review(&state, Grade(0), day).lapses, u32::MAX);
    }

    #[test]
    fn intervals_are_capped_and_exact() {
        let state = CardState {
            repetitions: 5,
            interval: 30_000,
            ease: Ease(250),
            ..CardState::default()
        };
        assert_eq!(review(&state, Grade(5), day("2026-01-01")).interval, MAX_INTERVAL);
        // 100 x 1.30 is exactly 130: no float product just above it rounds up to 131.
        assert_eq!(next_interval(100, Ease(130)), 130);
        assert_eq!(next_interval(7, Ease(143)), 11);
    }

    #[test]
    fn ease_round_trips_through_json_as_a_decimal() {
        assert_eq!(serde_json::to_string(&Ease(236)).unwrap(), "2.36");
        assert_eq!(serde_json::from_str::<Ease>("2.36").unwrap(), Ease(236));
        assert!(serde_json::from_str::<Ease>("1.0").is_err());
        assert!(serde_json::from_str::<Grade>("6").is_err());
    }

    fn grades() -> impl Strategy<Value = Vec<Grade>> {
        prop::collection::vec((0u8..=5).prop_map(Grade), 1..60)
    }

    proptest! {
        #[test]
        fn ease_stays_within_its_bounds(grades in grades()) {
            let mut state = CardState::default();
            for (reviews, &grade) in grades.iter().enumerate() {
                state = review(&state, grade, day("2026-01-01"));
                prop_assert!(state.ease >= Ease::MIN);
                prop_assert!(u32::from(state.ease.0) <= 250 + 10 * (reviews as u32 + 1));
            }
        }

        #[test]
        fn intervals_never_shrink_from_the_third_success_on(grades in grades()) {
            let mut state = CardState::default();
            for &grade in &grades {
                let next = review(&state, grade, day("2026-01-01"));
                if grade.is_pass() {
                    prop_assert!(next.interval >= 1);
                    if state.repetitions >= 2 {
                        prop_assert!(next.interval >= state.interval);
                    }
                } else {
                    prop_assert_eq!(next.repetitions, 0);
                    prop_assert_eq!(next.interval, 1);
                }
                state = next;
            }
        }
    }
}
