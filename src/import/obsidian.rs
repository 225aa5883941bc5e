//! Progress saved in the notes by the Obsidian Spaced Repetition plugin, as SM-2 state: a
//! student who moves keeps the schedule they earned.

use crate::notes::Progress;
use crate::schedule::day;
use crate::schedule::sm2::{CardState, Ease, MAX_INTERVAL};

/// Where such progress comes from, as the log says it.
pub(crate) const SOURCE: &str = "obsidian";

/// The SM-2 state a card starts from: due and interval as written (the interval at most
/// [`MAX_INTERVAL`]), the plugin's ease in percent as the E-Factor within 1.3-5.0, one
/// success in a row for an interval of a day and two for a longer one (SM-2's own intervals
/// are 1 and then 6 days), and no lapses.
pub(crate) fn sm2_state(progress: &Progress) -> CardState {
    let interval = progress.interval.min(MAX_INTERVAL);
    let due = day::clamp(progress.due);
    CardState {
        repetitions: if interval <= 1 { 1 } else { 2 },
        ease: Ease::from_hundredths(progress.ease.clamp(130, 500) as u16),
        interval,
        due: Some(due),
        lapses: 0,
        last_review: Some(day::sub(due, u64::from(interval))),
    }
}

/// Whether `state` already holds what `progress` says: due day, interval and ease.
pub(crate) fn holds(state: &CardState, progress: &Progress) -> bool {
    let taken = sm2_state(progress);
    (state.due, state.interval, state.ease) == (taken.due, taken.interval, taken.ease)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn progress(due: &str, interval: u32, ease: u32) -> Progress {
        Progress {
            due: due.parse().unwrap(),
            interval,
            ease,
        }
    }

    #[test]
    fn the_plugins_progress_as_sm2_state() {
        let state = sm2_state(&progress("2025-07-09", 23, 250));
        assert_eq!(state.due, Some(NaiveDate::from_ymd_opt(2025, 7, 9).unwrap()));
        assert_eq!(state.interval, 23);
        assert_eq!(state.ease, Ease::from_hundredths(250));
        assert_eq!((state.repetitions, state.lapses), (2, 0));
        assert_eq!(state.last_review, NaiveDate::from_ymd_opt(2025, 6, 16));

        let one_day = sm2_state(&progress("2025-07-09", 1, 230));
        assert_eq!((one_day.repetitions, one_day.interval), (1, 1));
    }

    #[test]
    fn the_ease_and_interval_are_kept_within_sm2s_bounds() {
        assert_eq!(
            sm2_state(&progress("2025-07-09", 3, 50)).ease,
            Ease::from_hundredths(130)
        );
        assert_eq!(
            sm2_state(&progress("2025-07-09", 3, 900)).ease,
            Ease::from_hundredths(500)
        );
        let far = sm2_state(&progress("2025-07-09", u32::MAX, 250));
        assert_eq!(far.interval, MAX_INTERVAL);
        assert!(far.last_review.is_some());
        let zero = sm2_state(&progress("2025-07-09", 0, 250));
        assert_eq!((zero.repetitions, zero.last_review), (1, zero.due));
    }

    #[test]
    fn a_state_holds_the_progress_it_was_made_from() {
        let written = progress("2025-07-09", 23, 250);
        let mut state = sm2_state(&written);
        assert!(holds(&state, &written));
        state.interval = 40;
        assert!(!holds(&state, &written));
    }
}
