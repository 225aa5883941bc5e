//! Study days in JSON as `YYYY-MM-DD`, read and written by hand: a grade record holds three
//! of them, and chrono's general-purpose parser was a tenth of the time to read a log.
//! Use with `#[serde(with = "crate::schedule::day")]`, or `crate::schedule::day::optional` for `Option`.
//!
//! Every day the program writes lies between [`FIRST`] and [`LAST`], so it reads back as
//! `YYYY-MM-DD`: date arithmetic goes through [`add`] and [`sub`], which stop at those bounds
//! instead of overflowing.

use chrono::{Datelike, Days, Duration, NaiveDate};

/// A moment with the local UTC offset it was seen in, as written to the log.
pub type Timestamp = chrono::DateTime<chrono::FixedOffset>;
use serde::{Deserializer, Serializer, de};

/// The first day that can be written as `YYYY-MM-DD`.
pub(crate) const FIRST: NaiveDate = match NaiveDate::from_ymd_opt(0, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The last day that can be written as `YYYY-MM-DD`.
pub(crate) const LAST: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MAX,
};

/// `day` moved into [`FIRST`]..=[`LAST`].
pub(crate) fn clamp(day: NaiveDate) -> NaiveDate {
    day.clamp(FIRST, LAST)
}

/// `n` days after `day`, or [`LAST`] when that is later.
pub(crate) fn add(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).map_or(LAST, clamp)
}

/// `n` days before `day`, or [`FIRST`] when that is earlier.
pub(crate) fn sub(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).map_or(FIRST, clamp)
}

/// Reads `YYYY-MM-DD`. A year of more digits, or a negative one (written by an earlier version
/// that let days run past 9999), reads as the nearest day within [`FIRST`]..=[`LAST`], so such
/// a file still opens.
pub(crate) fn parse(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() < 10 || bytes[bytes.len() - 6] != b'-' || bytes[bytes.len() - 3] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit()
                .then(|| n.checked_mul(10)?.checked_add(u32::from(b - b'0')))?
        })
    };
    let (year, month, date) = (
        &bytes[..bytes.len() - 6],
        &bytes[bytes.len() - 5..bytes.len() - 3],
        &bytes[bytes.len() - 2..],
    );
    let (month, date) = (number(month)?, number(date)?);
    if year.len() == 4 {
        return NaiveDate::from_ymd_opt(i32::try_from(number(year)?).ok()?, month, date);
    }
    // Only a year out of range gets here: check the month and day on a year that has them all.
    NaiveDate::from_ymd_opt(2000, month, date)?;
    match year.split_first()? {
        (b'-', digits) if !digits.is_empty() => number(digits).map(|_| FIRST),
        (b'+', digits) => (number(digits)? > 9999).then_some(LAST),
        _ => (number(year)? > 9999).then_some(LAST),
    }
}

/// Writes `YYYY-MM-DD`; a day outside [`FIRST`]..=[`LAST`] is written as the nearest bound.
pub(crate) fn format(day: NaiveDate) -> String {
    let day = clamp(day);
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

pub(crate) fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    let day = clamp(*day);
    let (year, month, date) = (day.year(), day.month(), day.day());
    // Written into a buffer on the stack: a grade record writes three dates.
    let digit = |n: u32| b'0' + (n % 10) as u8;
    let year = year as u32;
    let text = [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        b'-',
        digit(month / 10),
        digit(month),
        b'-',
        digit(date / 10),
        digit(date),
    ];
    serializer.serialize_str(std::str::from_utf8(&text).map_err(serde::ser::Error::custom)?)
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_str(DayVisitor)
}

struct DayVisitor;

impl de::Visitor<'_> for DayVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a date as YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse(text).ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &self))
    }
}

/// The same for `Option<NaiveDate>`, with `null` for `None`.
pub(crate) mod optional {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(
        day: &Option<NaiveDate>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => super::serialize(day, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Day(#[serde(with = "super")] NaiveDate);
        Ok(Option::<Day>::deserialize(deserializer)?.map(|Day(day)| day))
    }
}

/// Times in the log, read by hand where they are written as the log writes them
/// (`2026-11-28T10:00:00+01:00`, `…T10:00:00.25Z`): chrono's general-purpose parser was the
/// largest part of reading a record after its strings. Anything else is read as chrono reads
/// it. Use with `#[serde(deserialize_with = "crate::schedule::day::moment")]`.
pub(crate) fn moment<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    deserializer.deserialize_str(MomentVisitor)
}

struct MomentVisitor;

impl de::Visitor<'_> for MomentVisitor {
    type Value = Timestamp;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a time as RFC 3339")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Timestamp, E> {
        let moment = match quick_moment(text) {
            Some(moment) => moment,
            None => text.parse().map_err(E::custom)?,
        };
        // Only times whose day can be written back: later arithmetic on one stays in range.
        if (FIRST..=LAST).contains(&moment.date_naive()) {
            Ok(moment)
        } else {
            Err(E::invalid_value(
                de::Unexpected::Str(text),
                &"a time in years 0000-9999",
            ))
        }
    }
}

/// [`moment`] for an optional time (`null` or missing for `None`). Use with
/// `#[serde(default, deserialize_with = "crate::schedule::day::optional_moment")]`.
pub(crate) fn optional_moment<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Timestamp>, D::Error> {
    #[derive(serde::Deserialize)]
    struct Moment(#[serde(deserialize_with = "moment")] Timestamp);
    Ok(<Option<Moment> as serde::Deserialize>::deserialize(deserializer)?.map(|Moment(at)| at))
}

/// `YYYY-MM-DDTHH:MM:SS`, an optional fraction of up to nine digits, and `Z` or `±HH:MM`;
/// `None` for any other form (chrono reads those).
fn quick_moment(text: &str) -> Option<Timestamp> {
    use chrono::TimeZone;
    let bytes = text.as_bytes();
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[10] != b'T' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let day = parse(text.get(..10)?)?;
    let (hour, minute, second) = (
        number(&bytes[11..13])?,
        number(&bytes[14..16])?,
        number(&bytes[17..19])?,
    );
    let mut at = 19;
    let mut nanos = 0;
    if bytes[at] == b'.' {
        let digits = bytes[at + 1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nanos = number(&bytes[at + 1..at + 1 + digits])? * 10u32.pow(9 - digits as u32);
        at += 1 + digits;
    }
    let offset = match &bytes[at..] {
        [b'Z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let seconds = i32::try_from(number(&[*h1, *h2])? * 3600 + number(&[*m1, *m2])? * 60).ok()?;
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let local = day.and_hms_nano_opt(hour, minute, second, nanos)?;
    chrono::FixedOffset::east_opt(offset)?
        .from_local_datetime(&local)
        .single()
}

/// The study day `at` belongs to: days start at `rollover_hour` local time, so a review at
/// 01:30 with a rollover at 4 counts for the day before.
pub(crate) fn study_day(at: Timestamp, rollover_hour: u8) -> NaiveDate {
    let local = at.naive_local();
    let shifted = local.checked_sub_signed(Duration::hours(i64::from(rollover_hour)));
    crate::schedule::day::clamp(shifted.unwrap_or(local).date())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn times_in_the_logs_form_read_as_chrono_reads_them() {
        let mut checked = 0;
        for day in ["0000-01-01", "1999-12-31", "2026-02-28", "9999-12-31"] {
            for time in ["00:00:00", "10:05:09", "23:59:59"] {
                for fraction in ["", ".5", ".001", ".123456789"] {
                    for offset in ["Z", "+00:00", "+05:30", "-11:45", "+14:00"] {
                        let text = format!("{day}T{time}{fraction}{offset}");
                        let chrono: Timestamp = text.parse().unwrap();
                        assert_eq!(quick_moment(&text), Some(chrono), "{text}");
                        assert_eq!(
                            quick_moment(&text).map(|m| m.offset().local_minus_utc()),
                            Some(chrono.offset().local_minus_utc())
                        );
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 240);
        // Other forms are left to chrono, which reads some of them.
        for text in [
            "2026-11-28 10:00:00Z",
            "2026-11-28T10:00:00.1234567891Z",
            "2026-11-28T24:00:00Z",
            "2026-11-28T23:59:60Z",
            "2026-11-28T10:00:00+0100",
            "2026-11-28t10:00:00z",
            "+12026-11-28T10:00:00Z",
            "2026-11-28T10:00:00",
            "2026-11-28T10:00:00+01:00 ",
        ] {
            assert_eq!(quick_moment(text), None, "{text}");
        }
        #[derive(serde::Deserialize)]
        struct At(#[serde(deserialize_with = "super::moment")] Timestamp);
        let read: At = serde_json::from_str("\"2026-11-28 10:00:00+01:00\"").unwrap();
        assert_eq!(read.0, "2026-11-28T10:00:00+01:00".parse::<Timestamp>().unwrap());
        assert!(serde_json::from_str::<At>("\"yesterday\"").is_err());
        // chrono reads years past 9999 when signed; a record dated so is refused, not read
        // into a time that overflows when a millisecond is added.
        assert!("+262142-12-31T23:59:59.999Z".parse::<Timestamp>().is_ok());
        assert!(serde_json::from_str::<At>("\"+262142-12-31T23:59:59.999Z\"").is_err());
        assert!(serde_json::from_str::<At>("\"+12345-01-01T00:00:00Z\"").is_err());
    }
    use chrono::DateTime;

    /// A moment written as RFC 3339, for tests.
    pub(crate) fn at(text: &str) -> Timestamp {
        DateTime::parse_from_rfc3339(text).unwrap()
    }

    /// A day written as `YYYY-MM-DD`, for tests.
    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_study_day_turns_at_the_rollover_hour() {
        assert_eq!(study_day(at("2026-03-10T03:59:59+01:00"), 4), date("2026-03-09"));
        assert_eq!(study_day(at("2026-03-10T04:00:00+01:00"), 4), date("2026-03-10"));
        assert_eq!(study_day(at("2026-03-10T01:30:00+01:00"), 4), date("2026-03-09"));
        assert_eq!(study_day(at("2026-03-10T23:59:00+01:00"), 4), date("2026-03-10"));
    }

    #[test]
    fn midnight_is_not_a_day_change_but_a_zero_rollover_makes_it_one() {
        assert_eq!(
            study_day(at("2026-03-10T23:59:00+00:00"), 4),
            study_day(at("2026-03-11T00:01:00+00:00"), 4)
        );
        assert_eq!(study_day(at("2026-03-11T00:00:00+00:00"), 0), date("2026-03-11"));
        assert_eq!(study_day(at("2026-03-10T23:59:59+00:00"), 0), date("2026-03-10"));
    }

    #[test]
    fn daylight_saving_changes_follow_local_time() {
        // Europe, 2026-03-29: clocks jump from 02:00 +01:00 to 03:00 +02:00.
        assert_eq!(study_day(at("2026-03-29T03:30:00+02:00"), 4), date("2026-03-28"));
        assert_eq!(study_day(at("2026-03-29T04:00:00+02:00"), 4), date("2026-03-29"));
        // 2026-10-25: 03:00 +02:00 falls back to 02:00 +01:00; 03:59 is still the day before.
        assert_eq!(study_day(at("2026-10-25T03:59:00+01:00"), 4), date("2026-10-24"));
        assert_eq!(study_day(at("2026-10-25T04:00:00+01:00"), 4), date("2026-10-25"));
    }

    #[test]
    fn days_read_and_write_as_iso_dates() {
        let day = NaiveDate::from_ymd_opt(2026, 2, 28).unwrap();
        assert_eq!(parse("2026-02-28"), Some(day));
        assert_eq!(format(day), "2026-02-28");
        for bad in [
            "2026-02-30",
            "2026-2-28",
            "2026-02-28T",
            "20260228xx",
            "abcd-ef-gh",
            "",
            "2026-13-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        // Days beyond the bounds are written, and read, as the bounds.
        assert_eq!(format(NaiveDate::MAX), "9999-12-31");
        assert_eq!(parse(&format(NaiveDate::MIN)), Some(FIRST));
        assert_eq!(parse("10000-01-05"), Some(LAST));
        assert_eq!(parse("+12345-01-01"), Some(LAST));
        assert_eq!(parse("-0001-12-31"), Some(FIRST));
        for bad in [
            "10000-02-30",
            "+0999-01-01",
            "-x-01-01",
            "99999999999999-01-01",
            "--01-01",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn arithmetic_stops_at_the_bounds() {
        assert_eq!(add(LAST, 1), LAST);
        assert_eq!(add(NaiveDate::MAX, 1), LAST);
        assert_eq!(add(day_of("9999-12-30"), 36_500), LAST);
        assert_eq!(sub(FIRST, 1), FIRST);
        assert_eq!(sub(NaiveDate::MIN, u64::MAX), FIRST);
        assert_eq!(add(day_of("2026-02-27"), 2), day_of("2026-03-01"));
        assert_eq!(sub(day_of("2026-03-01"), 2), day_of("2026-02-27"));
    }

    fn day_of(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn serde_round_trip_including_null() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Both {
            #[serde(with = "super")]
            day: NaiveDate,
            #[serde(with = "super::optional")]
            maybe: Option<NaiveDate>,
        }
        let value = Both {
            day: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
            maybe: None,
        };
        let text = serde_json::to_string(&value).unwrap();
        assert_eq!(text, r#"{"day":"2026-11-28","maybe":null}"#);
        assert_eq!(serde_json::from_str::<Both>(&text).unwrap(), value);
        let from_value: Both =
            serde_json::from_value(serde_json::json!({"day": "2026-01-01", "maybe": "2026-01-02"})).unwrap();
        assert_eq!(from_value.maybe, NaiveDate::from_ymd_opt(2026, 1, 2));
        assert!(serde_json::from_str::<Both>(r#"{"day":"2026-02-31","maybe":null}"#).is_err());
    }
}
