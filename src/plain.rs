//! `recall review --plain`: a line-oriented review for scripts, screen readers and pipes.
//!
//! For each card: `[i/n] DECK > SECTION`, `Q: ` and the question, then one line is read (`q`
//! ends, anything else reveals); `A: ` and the answer, then the grade prompt, answered with
//! `0`..`5`, `u` (undo), `b` (bury), `s` (suspend) or `q` (quit). End of input ends the session.

use std::io::{BufRead, Write};
use std::time::Instant;

use crate::clock;
use crate::error::{Error, Result};
use crate::session::{Session, Summary};
use crate::sm2::Grade;

const PROMPT: &str = "grade 0-5 (u undo, b bury, s suspend, q quit): ";
const HINT: &str = "type a grade from 0 (blackout) to 5 (easy), or u, b, s or q";

/// Runs the session to its end (or the end of input) and returns its summary.
pub fn run(mut session: Session, input: &mut impl BufRead, out: &mut impl Write) -> Result<Summary> {
    let io = |e: std::io::Error| Error::io(std::path::Path::new("<stdout>"), e);
    if session.current().is_none() {
        let next = match session.next_due() {
            Some((day, count)) => format!("; next: {count} due on {day}"),
            None => String::new(),
        };
        writeln!(
            out,
            "Nothing to review right now{next}. Add notes with `recall import NOTES`, \
             or study anyway with `recall review --cram`."
        )
        .map_err(io)?;
        return session.finish();
    }
    'cards: while let Some((_, card)) = session.current() {
        let total = session.done() + session.queue().remaining().total();
        writeln!(
            out,
            "[{}/{}] {} > {}",
            session.done() + 1,
            total,
            card.deck,
            card.section
        )
        .map_err(io)?;
        writeln!(out, "Q: {}", card.question).map_err(io)?;
        out.flush().map_err(io)?;
        let shown = Instant::now();
        match read_line(input)? {
            None => break,
            Some(line) if line == "q" => break,
            Some(_) => {}
        }
        let (_, card) = session
            .current()
            .ok_or_else(|| Error::invalid("internal: card vanished"))?;
        writeln!(out, "A: {}", card.answer).map_err(io)?;
        loop {
            write!(out, "{PROMPT}").map_err(io)?;
            out.flush().map_err(io)?;
            let Some(answer) = read_line(input)? else {
                break 'cards;
            };
            let now = clock::now()?;
            match answer.as_str() {
                "q" => break 'cards,
                "u" => {
                    if session.undo(now)? {
                        continue 'cards;
                    }
                    writeln!(out, "nothing to undo yet; {HINT}").map_err(io)?;
                }
                "b" => {
                    session.bury(now)?;
                    continue 'cards;
                }
                "s" => {
                    session.suspend(now)?;
                    continue 'cards;
                }
                other => match other.parse::<u8>().ok().and_then(Grade::new) {
                    Some(grade) => {
                        let ms = shown.elapsed().as_millis() as u64;
                        let outcome = session.grade(grade, now, ms)?;
                        if outcome.suspended {
                            writeln!(out, "this card is a leech and was suspended").map_err(io)?;
                        } else if outcome.leech {
                            writeln!(out, "this card is a leech: consider rewriting it").map_err(io)?;
                        }
                        continue 'cards;
                    }
                    None => writeln!(out, "{HINT}").map_err(io)?,
                },
            }
        }
    }
    let summary = session.finish()?;
    write_summary(&summary, out).map_err(io)?;
    Ok(summary)
}

/// One line without its line ending; `None` at the end of input.
fn read_line(input: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    let read = input
        .read_line(&mut line)
        .map_err(|e| Error::io(std::path::Path::new("<stdin>"), e))?;
    Ok((read > 0).then(|| line.trim().to_string()))
}

/// The end-of-session summary as text, also printed after the full-screen review.
pub fn write_summary(summary: &Summary, out: &mut impl Write) -> std::io::Result<()> {
    let grades = summary
        .grades
        .iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    writeln!(
        out,
        "Session over: {} reviewed ({} new, {} re-drills) in {}; grades 0-5: {grades}",
        summary.reviewed,
        summary.new_learnt,
        summary.redrills,
        duration(summary.seconds)
    )?;
    writeln!(
        out,
        "Due tomorrow: {}; in the next 7 days: {}",
        summary.due_tomorrow, summary.due_next_7_days
    )?;
    match held_back(summary) {
        Some(line) => writeln!(out, "{line}"),
        None => Ok(()),
    }
}

/// What the limits kept out of the session, if anything, as a sentence.
pub fn held_back(summary: &Summary) -> Option<String> {
    let sentence = summary.held_back.describe()?;
    let mut chars = sentence.chars();
    Some(
        chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default(),
    )
}

/// `45s`, `3m 05s`, `1h 02m`.
pub fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds % 3600 / 60),
    }
}
