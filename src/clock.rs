//! The one place that reads the time. `RECALL_NOW` replaces the system clock so tests and
//! simulations can live through a month of reviews; everything else gets the time passed in.

use chrono::{DateTime, Datelike, Local, NaiveDate, NaiveTime, TimeZone};

use crate::error::{Error, Result};

pub use crate::schedule::day::Timestamp;

/// The environment variable that replaces the system clock.
pub(crate) const NOW_VARIABLE: &str = "RECALL_NOW";

/// The current time: `RECALL_NOW` when set, the system clock otherwise.
pub(crate) fn now() -> Result<Timestamp> {
    match std::env::var(NOW_VARIABLE) {
        Ok(value) => parse_now(&value),
        Err(std::env::VarError::NotPresent) => Ok(Local::now().fixed_offset()),
        Err(std::env::VarError::NotUnicode(_)) => Err(bad_now("(not valid Unicode)")),
    }
}

/// Reads a `RECALL_NOW` value: an RFC 3339 timestamp, whose offset stands for the local one
/// (so tests do not depend on the machine's time zone), or `YYYY-MM-DD` meaning noon local time.
pub(crate) fn parse_now(value: &str) -> Result<Timestamp> {
    let value = value.trim();
    let at = match DateTime::parse_from_rfc3339(value) {
        Ok(at) => at,
        Err(_) => {
            let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad_now(value))?;
            noon(date).ok_or_else(|| bad_now(value))?
        }
    };
    if !(0..=9999).contains(&at.year()) {
        return Err(Error::usage(format!(
            "{NOW_VARIABLE}={value:?} is out of range: recall keeps days from year 0000 to 9999"
        )));
    }
    Ok(at)
}

/// Noon local time on `date`.
fn noon(date: NaiveDate) -> Option<Timestamp> {
    let noon = date.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default());
    Local
        .from_local_datetime(&noon)
        .earliest()
        .map(|at| at.fixed_offset())
}

fn bad_now(value: &str) -> Error {
    Error::usage(format!(
        "{NOW_VARIABLE}={value:?} is not a time: use an RFC 3339 timestamp such as \
         2026-11-28T09:30:00+01:00, or a date such as 2026-11-28"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::day::study_day;
    use crate::schedule::day::tests::{at, date};

    #[test]
    fn recall_now_takes_timestamps_and_dates() {
        assert_eq!(
            parse_now("2026-11-28T09:30:00+01:00").unwrap(),
            at("2026-11-28T09:30:00+01:00")
        );
        let noon = parse_now("2026-11-28").unwrap();
        assert_eq!(
            noon.naive_local(),
            date("2026-11-28").and_hms_opt(12, 0, 0).unwrap()
        );
        assert_eq!(study_day(noon, 4), date("2026-11-28"));
    }

    #[test]
    fn recall_now_outside_years_0_to_9999_is_refused() {
        for bad in [
            "+12345-01-01",
            "+262142-12-31",
            "-0001-06-01",
            "+10000-01-01T00:00:00Z",
        ] {
            let message = parse_now(bad).unwrap_err().to_string();
            assert!(message.starts_with("RECALL_NOW="), "{message}");
        }
        assert!(parse_now("9999-12-31").is_ok());
        assert!(parse_now("0000-01-01T12:00:00Z").is_ok());
        // The study day of the first hours of year 0 is the first day there is.
        let first = parse_now("0000-01-01T01:00:00+00:00").unwrap();
        assert_eq!(study_day(first, 4), crate::schedule::day::FIRST);
    }

    #[test]
    fn a_malformed_recall_now_is_an_error() {
        for bad in ["tomorrow", "2026-13-01", "2026-11-28 09:30", ""] {
            let message = parse_now(bad).unwrap_err().to_string();
            assert!(message.starts_with("RECALL_NOW="), "{message}");
            assert!(message.contains("RFC 3339"), "{message}");
        }
    }
}
