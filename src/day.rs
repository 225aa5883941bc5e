//! Study days in JSON as `YYYY-MM-DD`, read and written by hand: the snapshot holds three per
//! card, and chrono's general-purpose parser was a tenth of the time to open a collection.
//! Use with `#[serde(with = "crate::day")]`, or `crate::day::optional` for `Option`.

use chrono::{Datelike, NaiveDate};
use serde::{Deserializer, Serializer, de};

/// Reads `YYYY-MM-DD`.
pub fn parse(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let year = i32::try_from(number(&bytes[..4])?).ok()?;
    NaiveDate::from_ymd_opt(year, number(&bytes[5..7])?, number(&bytes[8..])?)
}

/// Writes `YYYY-MM-DD` (years beyond 9999 are written in full).
pub fn format(day: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
}

pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    let (year, month, date) = (day.year(), day.month(), day.day());
    if !(0..=9999).contains(&year) {
        return serializer.serialize_str(&format(*day));
    }
    // Written into a buffer on the stack: a snapshot writes three dates per card.
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

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
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
pub mod optional {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => super::serialize(day, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
        #[derive(Deserialize)]
        struct Day(#[serde(with = "super")] NaiveDate);
        Ok(Option::<Day>::deserialize(deserializer)?.map(|Day(day)| day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            parse(&format(NaiveDate::MAX)),
            None,
            "beyond 9999 is not YYYY-MM-DD"
        );
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
