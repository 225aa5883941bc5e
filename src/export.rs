//! Taking the collection elsewhere: JSON with everything needed to rebuild it (decks, cards
//! with their state, every review), CSV with one row per card, and a tab-separated file that
//! Anki 2.1.54 or newer imports as it is.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;

use serde::Deserialize;

use crate::clock::Timestamp;
use crate::error::Result;
use crate::notes::Format;
use crate::queue::Selection;
use crate::store::collection::write_array;
use crate::store::log::Line;
use crate::store::{Card, Deck, Status, Store};
use crate::views::CardView;

/// The `format` value that marks a recall export, so `recall import` can restore it.
pub const EXPORT_FORMAT: &str = "recall-export";

/// The cards of `selection`, in collection order.
fn selected<'a>(store: &'a Store, selection: &Selection) -> Vec<&'a Card> {
    let mut matcher = selection.matcher();
    store
        .collection
        .cards
        .iter()
        .filter(|c| matcher.card(c))
        .collect()
}

/// Writes the JSON export: `{"format", "version", "exported_at", "next_card_number", "id_salt",
/// "decks", "cards", "reviews"}`,
/// one deck, card or review per line. Reviews are copied from the log as they are;
/// unreadable ones are skipped and returned as warnings. Write errors name `output`.
pub fn json(
    store: &Store,
    selection: &Selection,
    now: Timestamp,
    out: &mut dyn Write,
    output: &std::path::Path,
) -> Result<Vec<String>> {
    let failed = |e: std::io::Error| crate::error::Error::io(output, e);
    let cards = selected(store, selection);
    let ids: HashSet<&str> = cards.iter().map(|c| c.id.as_str()).collect();
    let mut matcher = selection.matcher();
    let decks: Vec<&Deck> = store
        .collection
        .decks
        .iter()
        .filter(|d| matcher.deck(&d.name))
        .collect();
    let views: Vec<CardView> = cards
        .iter()
        .map(|c| CardView::new(c, store.settings.leech_threshold))
        .collect();
    let exported_at = serde_json::to_string(&now).map_err(|e| failed(e.into()))?;
    write!(
        out,
        "{{\n  \"format\": \"{EXPORT_FORMAT}\",\n  \"version\": {},\n  \"exported_at\": {exported_at},\n  \
         \"next_card_number\": {},\n  \"id_salt\": {},\n",
        crate::store::collection::VERSION,
        store.collection.next_card_number,
        store.collection.id_salt
    )
    .map_err(failed)?;
    write_array(out, "decks", &decks, ",").map_err(failed)?;
    write_array(out, "cards", &views, ",").map_err(failed)?;
    write!(out, "  \"reviews\": [").map_err(failed)?;
    let mut first = true;
    let mut error = None;
    let warnings = store.for_each_log_batch(|lines| {
        let checked = check_reviews(lines, &ids);
        let mut unreadable = Vec::new();
        for (line, check) in lines.iter().zip(checked) {
            match check {
                Ok(false) => {}
                Ok(true) if error.is_none() => {
                    let separator: &[u8] = if first { b"\n    " } else { b",\n    " };
                    first = false;
                    if let Err(e) = out.write_all(separator).and_then(|()| out.write_all(line.text)) {
                        error = Some(e);
                    }
                }
                Ok(true) => {}
                Err(e) => unreadable.push((line.number, e)),
            }
        }
        unreadable
    })?;
    if let Some(e) = error {
        return Err(failed(e));
    }
    let close = if first { "]" } else { "\n  ]" };
    writeln!(out, "{close}\n}}").map_err(failed)?;
    Ok(warnings)
}

/// For each log line: whether it is a review of a selected card, or why it cannot be read.
/// Every line is checked to be a JSON object with a card, on two threads, so a damaged line
/// never breaks the export.
fn check_reviews(lines: &[Line], ids: &HashSet<&str>) -> Vec<serde_json::Result<bool>> {
    #[derive(Deserialize)]
    struct CardOf<'a> {
        #[serde(borrow)]
        card: Cow<'a, str>,
    }
    let check = |part: &[Line]| -> Vec<serde_json::Result<bool>> {
        part.iter()
            .map(|line| serde_json::from_slice::<CardOf>(line.text).map(|r| ids.contains(r.card.as_ref())))
            .collect()
    };
    let (front, back) = lines.split_at(lines.len() / 2);
    std::thread::scope(|scope| {
        let back = scope.spawn(|| check(back));
        let mut checked = check(front);
        // Checking cannot panic; if it ever did, the panic goes on.
        checked.extend(
            back.join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        checked
    })
}

/// One CSV row per card with its state, quoted as RFC 4180 says.
pub fn csv(store: &Store, selection: &Selection, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "id,deck,section,question,answer,note,line,status,repetitions,ease,interval,due,lapses,leech,last_review,added"
    )?;
    for card in selected(store, selection) {
        let v = CardView::new(card, store.settings.leech_threshold);
        let day = |d: Option<chrono::NaiveDate>| d.map(crate::day::format).unwrap_or_default();
        let fields: [Cow<str>; 16] = [
            csv_field(&v.id),
            csv_field(&v.deck),
            csv_field(&v.section),
            csv_field(&v.question),
            csv_field(&v.answer),
            csv_field(&v.note),
            v.line.to_string().into(),
            v.status.clone(),
            v.repetitions.to_string().into(),
            card.state.ease.to_string().into(),
            v.interval.to_string().into(),
            day(v.due).into(),
            v.lapses.to_string().into(),
            v.leech.to_string().into(),
            day(v.last_review).into(),
            crate::day::format(v.added).into(),
        ];
        writeln!(out, "{}", fields.join(","))?;
    }
    Ok(())
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// Anki's "Notes in Plain Text" with headers: guid (the card id, so a second import updates
/// instead of duplicating), front, back, deck `Deck::Section`, tags.
pub fn anki(store: &Store, selection: &Selection, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "#separator:tab")?;
    writeln!(out, "#html:true")?;
    writeln!(out, "#notetype:Basic")?;
    writeln!(out, "#guid column:1")?;
    writeln!(out, "#deck column:4")?;
    writeln!(out, "#tags column:5")?;
    for card in selected(store, selection)
        .into_iter()
        .filter(|c| c.status != Status::Retired)
    {
        let markdown = store
            .collection
            .deck(&card.deck)
            .is_some_and(|d| d.format == Format::Markdown);
        let html = |text: &str| {
            if markdown {
                markdown_html(text)
            } else {
                text_html(text)
            }
        };
        let mut back = html(&card.answer);
        if !card.note.is_empty() {
            back = format!("{back}<br><br><i>{}</i>", text_html(&card.note));
        }
        let deck = if card.section.is_empty() {
            card.deck.clone()
        } else {
            format!("{}::{}", card.deck, card.section)
        };
        let mut tags = vec!["recall"];
        if crate::queue::is_leech(card.state.lapses, store.settings.leech_threshold) {
            tags.push("leech");
        }
        if card.status == Status::Suspended {
            tags.push("suspended");
        }
        let fields = [
            card.id.clone(),
            html(&card.question),
            back,
            // Anki reads the deck column as plain text.
            deck.replace(['\t', '\n', '\r'], " "),
            tags.join(" "),
        ];
        let fields: Vec<Cow<str>> = fields.iter().map(|f| anki_field(f)).collect();
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(())
}

/// Plain text as HTML: escaped, with line breaks as `<br>` and tabs as entities.
fn text_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c if c.is_control() => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

/// Markdown rendered to HTML on one line (line breaks as `<br>`).
fn markdown_html(text: &str) -> String {
    let options = pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES
        | pulldown_cmark::Options::ENABLE_STRIKETHROUGH;
    // A line break inside a paragraph stays a line break, as on the review screen.
    let events = pulldown_cmark::Parser::new_ext(text, options).map(|event| match event {
        pulldown_cmark::Event::SoftBreak => pulldown_cmark::Event::HardBreak,
        other => other,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    // What is left of raw line breaks is layout between tags, except inside code blocks.
    let mut out = String::with_capacity(html.len());
    for (n, part) in html.trim_end().replace("\r\n", "\n").split("<pre>").enumerate() {
        let (code, rest) = match part.split_once("</pre>") {
            Some((code, rest)) if n > 0 => (code, rest),
            _ => ("", part),
        };
        if n > 0 {
            out.push_str("<pre>");
            out.push_str(&code.replace('\n', "<br>"));
            out.push_str("</pre>");
        }
        out.push_str(&rest.replace('\n', ""));
    }
    // Control characters as entities: Anki decodes them, a terminal shows nothing raw.
    out.chars()
        .map(|c| match c {
            '\t' => "&#9;".to_string(),
            c if c.is_control() => format!("&#{};", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A field as Anki reads it: quoted (quotes doubled) when it starts with `#` or holds a tab,
/// a quote or a line break.
fn anki_field(text: &str) -> Cow<'_, str> {
    if text.starts_with('#') || text.contains(['\t', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\"\nbye"), "\"say \"\"hi\"\"\nbye\"");
    }

    #[test]
    fn anki_text_is_escaped_html_on_one_line() {
        assert_eq!(text_html("a < b & c\nd\te"), "a &lt; b &amp; c<br>d&#9;e");
        assert_eq!(text_html("x\u{1b}]0;t\u{7}"), "x&#27;]0;t&#7;");
        assert_eq!(markdown_html("*a*\u{1b}[2J"), "<p><em>a</em>&#27;[2J</p>");
        assert_eq!(anki_field("#hash"), "\"#hash\"");
        assert_eq!(anki_field("x"), "x");
        assert_eq!(
            markdown_html("**b**\n\n- one\n- two"),
            "<p><strong>b</strong></p><ul><li>one</li><li>two</li></ul>"
        );
        assert_eq!(
            markdown_html("```\na\nb\n```"),
            "<pre><code>a<br>b<br></code></pre>"
        );
        // A soft line break after inline markup glued the words together.
        assert_eq!(
            markdown_html("**a**\nb `c`\nd"),
            "<p><strong>a</strong><br />b <code>c</code><br />d</p>"
        );
    }
}
