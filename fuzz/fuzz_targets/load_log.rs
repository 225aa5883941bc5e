//! Any bytes as `reviews.jsonl`: reading it (forwards, from an offset, backwards for today)
//! and opening it for appending never panic, and an append afterwards reads back whole.
//! Inputs that start with a digit are expanded (the rest repeated that many thousand times),
//! so long lines and long logs are tried within the fuzzer's time limit.
#![no_main]

use libfuzzer_sys::fuzz_target;
use recall::core::Record;
use recall::store::log::{self, LogWriter};

fuzz_target!(|data: &[u8]| {
    let expanded;
    let data = match data.split_first() {
        Some((&digit @ b'0'..=b'9', rest)) => {
            expanded = rest.repeat(usize::from(digit - b'0') * 1000);
            &expanded[..]
        }
        _ => data,
    };
    let dir = std::env::temp_dir().join(format!("recall-fuzz-log-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let path = dir.join("reviews.jsonl");
    std::fs::write(&path, data).expect("the log is written");
    let mut warnings = Vec::new();
    let mut records = Vec::new();
    log::for_each_from(&path, 0, &mut warnings, |record| records.push(record)).expect("the log reads");
    let middle = (data.len() / 2) as u64;
    log::for_each_from(&path, middle, &mut warnings, |_| {}).expect("the log reads from an offset");
    let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("a date");
    log::read_recent(&path, day).expect("the log reads backwards");

    let (mut writer, _) = LogWriter::open(&path).expect("the log opens for appending");
    let record: Record = serde_json::from_str(
        r#"{"id":999999,"card":"fuzzcard","at":"2026-01-01T12:00:00Z","day":"2026-01-01","kind":"bury"}"#,
    )
    .expect("a record");
    writer.append(&record).expect("an append works");
    let mut after = Vec::new();
    log::for_each_from(&path, 0, &mut Vec::new(), |record| after.push(record)).expect("the log reads");
    assert_eq!(after.last(), Some(&record), "the appended record reads back whole");
    assert_eq!(after.len(), records.len() + 1, "an append never merges with a torn line");
});
