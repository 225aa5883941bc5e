//! `recall review --plain`: a line-oriented review for scripts, screen readers and pipes.
//!
//! For each card: `[i/n] DECK > SECTION`, under FSRS `chance of recall today: 91%` for a
//! card reviewed before, `Q: ` and the question, `(Enter shows the answer)`,
//! then one line is read (`q` ends, anything else reveals); `A: ` and the answer, its note if
//! any, the interval each grade would give, then the grade prompt, answered with `0`..`5`,
//! `u` (undo), `b` (bury), `s` (suspend) or `q` (quit). End of input ends the session.

use std::io::{BufRead, Write};

use crate::clock::Timestamp;
use crate::core::Card;
use crate::error::{Error, Result};
use crate::notes::{images, math};
use crate::review::session::Session;
use crate::review::summary::{Summary, write_summary};
use crate::schedule::sm2::Grade;
use crate::text::percent;

const PROMPT: &str = "grade 0-5 (u undo, b bury, s suspend, q quit): ";
const HINT: &str = "type a grade from 0 (blackout) to 5 (easy), or u, b, s or q";

/// Runs the session to its end (or the end of input) and returns its summary. `clock` is read
/// when a question is shown and when an answer comes in.
pub(crate) fn run(
    mut session: Session,
    input: &mut impl BufRead,
    out: &mut impl Write,
    mut clock: impl FnMut() -> Result<Timestamp>,
) -> Result<Summary> {
    let io = |e: std::io::Error| Error::output("standard output", e);
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
        if let Some(chance) = session.recall_chance() {
            writeln!(out, "chance of recall today: {}", percent(chance)).map_err(io)?;
        }
        writeln!(out, "Q: {}", card_text(&session, card, &card.question)).map_err(io)?;
        writeln!(out, "(Enter shows the answer)").map_err(io)?;
        out.flush().map_err(io)?;
        let shown = clock()?;
        match read_line(input)? {
            None => break,
            Some(line) if line == "q" => break,
            Some(_) => {}
        }
        let (_, card) = session
            .current()
            .ok_or_else(|| Error::internal("the card being reviewed vanished"))?;
        writeln!(out, "A: {}", card_text(&session, card, &card.answer)).map_err(io)?;
        // A note may give the answer away, so it comes only now.
        if !card.note.is_empty() {
            writeln!(out, "note: {}", card.note).map_err(io)?;
        }
        writeln!(out, "{}", what_grades_give(&session)).map_err(io)?;
        loop {
            write!(out, "{PROMPT}").map_err(io)?;
            out.flush().map_err(io)?;
            let Some(answer) = read_line(input)? else {
                break 'cards;
            };
            let now = clock()?;
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
                        let ms =
                            u64::try_from(now.signed_duration_since(shown).num_milliseconds()).unwrap_or(0);
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

/// What each grade does to the current card, as the screen shows it: `0 1d · 1 1d · ... ·
/// 5 6d`, or, where grades do not move its schedule, which bring it back.
fn what_grades_give(session: &Session) -> String {
    match session.intervals() {
        Some(days) => {
            let each: Vec<String> = days
                .iter()
                .enumerate()
                .map(|(grade, days)| format!("{grade} {days}d"))
                .collect();
            format!("each grade gives: {}", each.join(" · "))
        }
        None => "each grade gives: 0-3 again later today · 4-5 done for today".to_string(),
    }
}

/// One line without its line ending; `None` at the end of input.
fn read_line(input: &mut impl BufRead) -> Result<Option<String>> {
    let mut line = String::new();
    let read = input
        .read_line(&mut line)
        .map_err(|e| Error::output("standard input", e))?;
    Ok((read > 0).then(|| line.trim().to_string()))
}

/// A card's `text` as plain mode writes it: formulas as Unicode, and a Markdown card's images
/// as `[image: …]`.
fn card_text(session: &Session, card: &Card, text: &str) -> String {
    if session.is_markdown(card) {
        math::render(&images::with_placeholders(text))
    } else {
        math::render(text)
    }
}
