//! The progress the Obsidian Spaced Repetition plugin saves after a card, in an HTML comment
//! such as `<!--SR:!2025-07-09,23,250-->`: one `!due,interval,ease` group per card made from
//! the text (a reversed pair has two, a cloze one per deletion), in order.
//!
//! A group that does not read (an impossible date, a missing field) is reported with its line
//! and its card starts as new; the plugin's placeholder for a card never reviewed
//! (`2000-01-01`) means new without a word. Groups beyond the cards are ignored, as the plugin
//! ignores them.

use chrono::NaiveDate;

use super::{Progress, Warning};

/// How a progress comment starts.
pub(crate) const OPENER: &str = "<!--SR:";

/// The due date the plugin writes for a card of a group that was never reviewed.
pub(crate) const NEVER_REVIEWED: &str = "2000-01-01";

/// The inside of a progress comment (between `<!--SR:` and `-->`), if `comment` is one.
pub(crate) fn inside(comment: &str) -> Option<&str> {
    comment.strip_prefix(OPENER)?.strip_suffix("-->")
}

/// Reads the groups of a comment's `inside` for `cards` cards, found on `line` (1-based).
pub(crate) fn read(
    inside: &str,
    cards: usize,
    line: usize,
    warnings: &mut Vec<Warning>,
) -> Vec<Option<Progress>> {
    let mut groups = inside.split('!').filter(|group| !group.trim().is_empty());
    (0..cards)
        .map(|_| {
            let group = groups.next()?.trim();
            match group_progress(group) {
                Ok(progress) => progress,
                Err(problem) => {
                    warnings.push(Warning {
                        line: Some(line),
                        message: format!("progress `{group}` {problem}; the card starts as new"),
                    });
                    None
                }
            }
        })
        .collect()
}

/// One `due,interval,ease` group: `Ok(None)` for the plugin's placeholder, an error saying
/// what is wrong otherwise. A fourth field is ignored, as the plugin ignores it.
fn group_progress(group: &str) -> Result<Option<Progress>, String> {
    if group.starts_with("fsrs,") {
        return Err("is FSRS progress, which recall does not read".to_string());
    }
    let fields: Vec<&str> = group.split(',').map(str::trim).collect();
    let [due, interval, ease, ..] = fields[..] else {
        return Err(format!(
            "has {} of its 3 fields (due date, interval, ease)",
            fields.len()
        ));
    };
    if due == NEVER_REVIEWED {
        return Ok(None);
    }
    let due = date(due).ok_or_else(|| format!("has no valid due date ({due})"))?;
    let interval = days(interval).ok_or_else(|| format!("has no valid interval ({interval})"))?;
    let ease = number(ease).ok_or_else(|| format!("has no valid ease ({ease})"))?;
    Ok(Some(Progress { due, interval, ease }))
}

/// `YYYY-MM-DD`, or `DD-MM-YYYY` as the plugin also writes, read strictly: `2025-02-30` is
/// no date (the plugin's own reader would make 2030-02-20 of it).
fn date(text: &str) -> Option<NaiveDate> {
    let parts: Vec<&str> = text.split('-').collect();
    let [a, b, c] = parts[..] else { return None };
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 2, 2) => (a, b, c),
        (2, 2, 4) => (c, b, a),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

/// Days, written as a whole number or, without load balancing, with decimals (cut off).
fn days(text: &str) -> Option<u32> {
    match text.split_once('.') {
        Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()) => {
            number(whole)
        }
        Some(_) => None,
        None => number(text),
    }
}

fn number(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(due: &str, interval: u32, ease: u32) -> Option<Progress> {
        Some(Progress {
            due: due.parse().unwrap(),
            interval,
            ease,
        })
    }

    fn read_all(inside: &str, cards: usize) -> (Vec<Option<Progress>>, Vec<String>) {
        let mut warnings = Vec::new();
        let read = read(inside, cards, 7, &mut warnings);
        assert!(warnings.iter().all(|w| w.line == Some(7)));
        (read, warnings.into_iter().map(|w| w.message).collect())
    }

    #[test]
    fn one_group_per_card_in_order() {
        assert_eq!(
            read_all("!2025-07-09,23,250", 1),
            (vec![progress("2025-07-09", 23, 250)], vec![])
        );
        assert_eq!(
            read_all("!2025-04-02,21,270!2025-03-20,6,230", 2),
            (
                vec![progress("2025-04-02", 21, 270), progress("2025-03-20", 6, 230)],
                vec![]
            )
        );
        assert_eq!(
            read_all("!2025-04-02,21,270", 2).0,
            vec![progress("2025-04-02", 21, 270), None]
        );
        assert_eq!(read_all("!2025-04-02,21,270!2025-03-20,6,230", 1).0.len(), 1);
    }

    #[test]
    fn the_plugins_other_spellings_read_too() {
        assert_eq!(
            read_all("2021-08-11,4,270", 1).0,
            vec![progress("2021-08-11", 4, 270)]
        );
        assert_eq!(
            read_all("!11-08-2021,3.5,270,extra", 1).0,
            vec![progress("2021-08-11", 3, 270)]
        );
        assert_eq!(read_all("!2000-01-01,1,250", 1), (vec![None], vec![]));
    }

    #[test]
    fn a_bad_group_warns_and_leaves_the_card_new() {
        let cases = [
            (
                "!2025-02-30,4,230",
                "progress `2025-02-30,4,230` has no valid due date (2025-02-30); the card starts as new",
            ),
            (
                "!2025-13-45,4,230",
                "progress `2025-13-45,4,230` has no valid due date (2025-13-45); the card starts as new",
            ),
            (
                "!someday,4,230",
                "progress `someday,4,230` has no valid due date (someday); the card starts as new",
            ),
            (
                "!2025-05-02,12",
                "progress `2025-05-02,12` has 2 of its 3 fields (due date, interval, ease); the card starts as new",
            ),
            (
                "!2025-05-02,x,250",
                "progress `2025-05-02,x,250` has no valid interval (x); the card starts as new",
            ),
            (
                "!2025-05-02,1,-5",
                "progress `2025-05-02,1,-5` has no valid ease (-5); the card starts as new",
            ),
            (
                "!fsrs,2025-05-02T10:00:00Z,3,1,2,2,1,0,0,2025-04-29T10:00:00Z",
                "progress `fsrs,2025-05-02T10:00:00Z,3,1,2,2,1,0,0,2025-04-29T10:00:00Z` is FSRS progress, which recall does not read; the card starts as new",
            ),
        ];
        for (inside, message) in cases {
            assert_eq!(
                read_all(inside, 1),
                (vec![None], vec![message.to_string()]),
                "{inside}"
            );
        }
    }

    #[test]
    fn inside_takes_only_progress_comments() {
        assert_eq!(inside("<!--SR:!2025-07-09,23,250-->"), Some("!2025-07-09,23,250"));
        assert_eq!(inside("<!-- a note -->"), None);
        assert_eq!(inside("<!--SR:!2025-07-09,23,250"), None);
    }
}
