//! Generated inputs for the benchmarks: lecture notes of any size that look like real ones.
#![allow(dead_code)] // each benchmark uses part of this module

/// Plain-text notes of about `bytes` bytes: a deck line, a heading every 12 questions,
/// and answers of one to four lines with bullets.
pub fn text_notes(bytes: usize) -> String {
    text_notes_until(|text, _| text.len() >= bytes)
}

/// Plain-text notes with exactly `cards` questions.
pub fn text_notes_with_cards(cards: usize) -> String {
    text_notes_until(|_, made| made >= cards)
}

fn text_notes_until(done: impl Fn(&str, usize) -> bool) -> String {
    let mut out = String::from("Generated Course\n");
    let mut card = 0;
    while !done(&out, card) {
        if card % 12 == 0 {
            out.push_str(&format!(
                "Lecture {} - Topic number {}\n",
                card / 12 + 1,
                card / 12
            ));
        }
        out.push_str(&question(card));
        out.push('\n');
        out.push_str(&answer(card));
        out.push('\n');
        card += 1;
    }
    out
}

/// Markdown notes of about `bytes` bytes with nested sections, question headings and
/// paragraphs, lists and code blocks.
pub fn markdown_notes(bytes: usize) -> String {
    let mut out = String::from("# Generated Course\n\n");
    let mut card = 0;
    while out.len() < bytes {
        if card % 12 == 0 {
            out.push_str(&format!(
                "## Lecture {} - Topic\n\n### Part {}\n\n",
                card / 12 + 1,
                card % 3
            ));
        }
        if card % 2 == 0 {
            out.push_str(&format!("#### {}\n\n", question(card)));
        } else {
            out.push_str(&format!("{}\n", question(card)));
        }
        out.push_str(&answer(card).replace("\n- ", "\n\n- "));
        if card % 5 == 0 {
            out.push_str("\n\n```python\nx = torch.zeros(3, 4)\nprint(x.shape)\n```");
        }
        out.push_str("\n\n");
        card += 1;
    }
    out
}

/// The `n`th generated question; questions differ in their words, not just a number.
pub fn question(n: usize) -> String {
    const SUBJECTS: [&str; 8] = [
        "batch normalisation",
        "a residual block",
        "the softmax function",
        "momentum in SGD",
        "a receptive field",
        "dropout at test time",
        "the attention mechanism",
        "a max pooling layer",
    ];
    const ASKS: [&str; 4] = [
        "What is",
        "Why do we use",
        "How does one explain",
        "When would you avoid",
    ];
    format!(
        "{} {} in case {} ({})?",
        ASKS[n % 4],
        SUBJECTS[(n / 4) % 8],
        n,
        word(n)
    )
}

/// An answer of one to four lines, some of them bullets.
pub fn answer(n: usize) -> String {
    let mut lines = vec![format!(
        "It normalises the activations of layer {n}, so training is faster and more stable for {}.",
        word(n + 7)
    )];
    for extra in 0..n % 4 {
        lines.push(format!(
            "- point {extra}: {} helps with {} and {}",
            word(n + extra),
            word(n * 3),
            word(n * 7 + extra)
        ));
    }
    lines.join("\n")
}

/// A pseudo-word derived from `n`, so texts are not all alike.
pub fn word(n: usize) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qu", "do", "fi", "gu", "ha", "je",
    ];
    let mut x = n.wrapping_mul(2654435761) % 65536;
    let mut word = String::new();
    for _ in 0..3 {
        word.push_str(SYLLABLES[x % 16]);
        x /= 16;
    }
    word
}

use chrono::{Days, NaiveDate};
use recall::core::{Card, CardText};
use recall::schedule::sm2::{CardState, Ease};

/// The day generated collections are "today".
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap_or_default()
}

/// `count` cards over decks of 1,000 with short texts; every `due_every`th is due today or
/// overdue, half of the rest are new and the others are due later.
pub fn cards(count: usize, due_every: usize) -> Vec<Card> {
    let today = today();
    (0..count)
        .map(|n| {
            let state = if n % due_every == 0 {
                reviewed(today - Days::new((n % 30) as u64), 100 + (n % 150) as u16)
            } else if n % 2 == 0 {
                CardState::default()
            } else {
                reviewed(today + Days::new(1 + (n % 90) as u64), 250)
            };
            let text = CardText {
                section: format!("Lecture {}", n / 50 % 20),
                question: question(n),
                answer: "short".into(),
                note: String::new(),
                line: n % 1000 * 3 + 1,
                cloze: None,
            };
            let mut card = Card::new(&format!("{n:08x}"), &format!("Deck {}", n / 1000), &text, today);
            card.state = state;
            card
        })
        .collect()
}

fn reviewed(due: NaiveDate, ease_hundredths: u16) -> CardState {
    CardState {
        repetitions: 3,
        ease: Ease::from_hundredths(ease_hundredths),
        interval: 15,
        due: Some(due),
        lapses: 0,
        last_review: due.checked_sub_days(Days::new(15)),
    }
}
