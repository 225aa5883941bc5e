//! The Anki export: "Notes in Plain Text" with headers, fields as HTML, math as the `\(…\)`
//! and `\[…\]` that Anki renders with MathJax, images as `<img>` naming a file of Anki's
//! media folder (which the user copies there: an export is one file).

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::{quoted_if, selected};
use crate::core::{Selection, Status, is_leech};
use crate::notes::{Format, images, math};
use crate::store::Store;

/// Anki's "Notes in Plain Text" with headers: guid (the card id, so a second import updates
/// instead of duplicating), front, back, deck `Deck::Section`, tags. Returns the image files
/// the cards show, each once, for Anki's media folder: resolved against the folder of their
/// notes on this device.
pub(crate) fn anki(
    store: &Store,
    selection: &Selection,
    out: &mut dyn Write,
) -> std::io::Result<Vec<PathBuf>> {
    let mut media = Vec::new();
    let mut seen = HashSet::new();
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
        let deck = store.deck(&card.deck);
        let markdown = deck.is_some_and(|d| d.format == Format::Markdown);
        let folder = deck
            .and_then(|d| d.source(store.device()))
            .and_then(Path::parent)
            .unwrap_or_else(|| Path::new(""));
        let mut html = |text: &str| {
            if markdown {
                let mut images = Vec::new();
                let html = markdown_html(text, &mut images);
                for image in images {
                    let file = images::local_file(folder, &image);
                    if seen.insert(file.clone()) {
                        media.push(file);
                    }
                }
                html
            } else {
                text_with_math_html(text)
            }
        };
        let question = html(&card.question);
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
        if is_leech(card.state.lapses, store.settings.leech_threshold) {
            tags.push("leech");
        }
        if card.status == Status::Suspended {
            tags.push("suspended");
        }
        let fields = [
            card.id.clone(),
            question,
            back,
            // Anki reads the deck column as plain text.
            deck.replace(['\t', '\n', '\r'], " "),
            tags.join(" "),
        ];
        let fields: Vec<Cow<str>> = fields.iter().map(|f| anki_field(f)).collect();
        writeln!(out, "{}", fields.join("\t"))?;
    }
    Ok(media)
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

/// Plain text as HTML, its formulas as MathJax reads them.
fn text_with_math_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for span in math::spans(text) {
        out.push_str(&text_html(&text[copied..span.outer.start]));
        out.push_str(&mathjax(&text[span.latex.clone()], span.display));
        copied = span.outer.end;
    }
    out.push_str(&text_html(&text[copied..]));
    out
}

/// A formula's LaTeX between MathJax's delimiters, escaped for HTML, on one line.
fn mathjax(latex: &str, display: bool) -> String {
    let latex = text_html(&latex.replace(['\n', '\r'], " "));
    if display {
        format!("\\[{latex}\\]")
    } else {
        format!("\\({latex}\\)")
    }
}

/// Markdown rendered to HTML on one line (line breaks as `<br>`). A local image names only
/// its file, as Anki's media folder holds it; its destination as written goes to `images`.
fn markdown_html(text: &str, images: &mut Vec<String>) -> String {
    use pulldown_cmark::{CowStr, Event, Tag};
    let options = crate::notes::CARD_MARKDOWN;
    let text = math::dollars_in_markdown(text);
    // A line break inside a paragraph stays a line break, as on the review screen.
    let events = pulldown_cmark::Parser::new_ext(&text, options).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        Event::InlineMath(latex) => Event::InlineHtml(CowStr::from(mathjax(&latex, false))),
        Event::DisplayMath(latex) => Event::InlineHtml(CowStr::from(mathjax(&latex, true))),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if images::is_local(&dest_url) => {
            let name = CowStr::from(images::file_name(&dest_url).to_string());
            images.push(dest_url.into_string());
            Event::Start(Tag::Image {
                link_type,
                dest_url: name,
                title,
                id,
            })
        }
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
    quoted_if(
        text,
        text.starts_with('#') || text.contains(['\t', '"', '\n', '\r']),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown_html_alone(text: &str) -> String {
        markdown_html(text, &mut Vec::new())
    }

    #[test]
    fn local_images_name_their_file_and_are_listed_for_the_media_folder() {
        let mut images = Vec::new();
        let html = markdown_html(
            "![a cell](figs/cell.png) ![](https://x.org/b.png) ![](my%20pic.jpg)",
            &mut images,
        );
        assert_eq!(
            html,
            "<p><img src=\"cell.png\" alt=\"a cell\" /> <img src=\"https://x.org/b.png\" alt=\"\" /> \
             <img src=\"my%20pic.jpg\" alt=\"\" /></p>"
        );
        assert_eq!(images, ["figs/cell.png", "my%20pic.jpg"]);
    }

    #[test]
    fn anki_text_is_escaped_html_on_one_line() {
        assert_eq!(text_html("a < b & c\nd\te"), "a &lt; b &amp; c<br>d&#9;e");
        assert_eq!(text_html("x\u{1b}]0;t\u{7}"), "x&#27;]0;t&#7;");
        assert_eq!(markdown_html_alone("*a*\u{1b}[2J"), "<p><em>a</em>&#27;[2J</p>");
        assert_eq!(anki_field("#hash"), "\"#hash\"");
        assert_eq!(anki_field("x"), "x");
        assert_eq!(
            markdown_html_alone("**b**\n\n- one\n- two"),
            "<p><strong>b</strong></p><ul><li>one</li><li>two</li></ul>"
        );
        assert_eq!(
            markdown_html_alone("```\na\nb\n```"),
            "<pre><code>a<br>b<br></code></pre>"
        );
        assert_eq!(
            text_with_math_html("If $a<b$ then \\[\\sum_i x_i\\] & $5 and $10"),
            "If \\(a&lt;b\\) then \\[\\sum_i x_i\\] &amp; $5 and $10"
        );
        assert_eq!(
            markdown_html_alone("*E* = $mc^2$, and `$x$` is code; \\(\\alpha\\)\n\n$$\\int f$$"),
            "<p><em>E</em> = \\(mc^2\\), and <code>$x$</code> is code; \\(\\alpha\\)</p><p>\\[\\int f\\]</p>"
        );
        // A soft line break after inline markup glued the words together.
        assert_eq!(
            markdown_html_alone("**a**\nb `c`\nd"),
            "<p><strong>a</strong><br />b <code>c</code><br />d</p>"
        );
    }
}
