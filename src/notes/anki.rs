//! Anki's "Notes in Plain Text" export (Anki 2.1.54 and newer): `#key:value` header lines,
//! then one note per row. The first two note fields become question and answer; the deck
//! column becomes the section.

use super::{CardDraft, Format, Notes, Warning};

/// True for text that starts with Anki's `#separator:` header.
pub(crate) fn is_anki_export(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').starts_with("#separator:")
}

/// What the header lines say.
struct Header {
    separator: char,
    html: bool,
    /// 0-based columns holding something other than note fields.
    guid: Option<usize>,
    notetype: Option<usize>,
    deck: Option<usize>,
    tags: Option<usize>,
    default_deck: String,
}

/// Parses an Anki export; `fallback_deck` names the deck (Anki files do not).
pub fn parse(text: &str, fallback_deck: &str) -> Notes {
    let mut notes = Notes::new(fallback_deck, Format::Text);
    let mut header = Header {
        separator: '\t',
        html: false,
        guid: None,
        notetype: None,
        deck: None,
        tags: None,
        default_deck: String::new(),
    };
    let mut rest = text;
    let mut line = 1;
    while rest.starts_with('#') {
        let end = rest.find('\n').map_or(rest.len(), |at| at + 1);
        read_header(&mut header, rest[1..end].trim_end());
        rest = &rest[end..];
        line += 1;
    }
    for row in Rows::new(rest, header.separator, line) {
        let meta = [header.guid, header.notetype, header.deck, header.tags];
        let mut fields = row
            .fields
            .iter()
            .enumerate()
            .filter(|(n, _)| !meta.contains(&Some(*n)))
            .map(|(_, f)| f);
        let clean = |text: &String| {
            if header.html {
                html_to_text(text)
            } else {
                text.trim().to_string()
            }
        };
        let question = fields.next().map(clean).unwrap_or_default();
        let answer = fields.next().map(clean).unwrap_or_default();
        if question.is_empty() && answer.is_empty() {
            continue;
        }
        if question.is_empty() || answer.is_empty() {
            let message = if question.is_empty() {
                "note has no front"
            } else {
                "question has no answer"
            };
            notes.warnings.push(Warning {
                line: Some(row.line),
                message: message.to_string(),
            });
            continue;
        }
        let section = header
            .deck
            .and_then(|n| row.fields.get(n))
            .cloned()
            .unwrap_or_else(|| header.default_deck.clone());
        notes.cards.push(CardDraft {
            section,
            question,
            answer,
            note: String::new(),
            line: row.line,
            ..CardDraft::default()
        });
    }
    notes
}

fn read_header(header: &mut Header, line: &str) {
    let Some((key, value)) = line.split_once(':') else {
        return;
    };
    let column = value.trim().parse::<usize>().ok().and_then(|n| n.checked_sub(1));
    match key.trim() {
        "separator" => {
            header.separator = match value.trim() {
                "tab" | "Tab" => '\t',
                "comma" | "Comma" => ',',
                "semicolon" | "Semicolon" => ';',
                "space" | "Space" => ' ',
                "pipe" | "Pipe" => '|',
                "colon" | "Colon" => ':',
                other => other.chars().next().unwrap_or('\t'),
            }
        }
        "html" => header.html = value.trim() == "true",
        "guid column" => header.guid = column,
        "notetype column" => header.notetype = column,
        "deck column" => header.deck = column,
        "tags column" => header.tags = column,
        "deck" => header.default_deck = value.trim().to_string(),
        _ => {}
    }
}

/// A row of fields and the line it starts on.
struct Row {
    fields: Vec<String>,
    line: usize,
}

/// Rows of separated fields; a field in double quotes may hold separators, line breaks and
/// doubled quotes.
struct Rows<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    separator: char,
    line: usize,
}

impl<'a> Rows<'a> {
    fn new(text: &'a str, separator: char, line: usize) -> Self {
        Rows {
            chars: text.chars().peekable(),
            separator,
            line,
        }
    }
}

impl Iterator for Rows<'_> {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        self.chars.peek()?;
        let start = self.line;
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut quoted = false;
        let mut at_field_start = true;
        while let Some(c) = self.chars.next() {
            match c {
                '"' if at_field_start => quoted = true,
                '"' if quoted && self.chars.peek() == Some(&'"') => {
                    self.chars.next();
                    field.push('"');
                }
                '"' if quoted => quoted = false,
                '\n' if !quoted => {
                    self.line += 1;
                    break;
                }
                '\r' if !quoted && self.chars.peek() == Some(&'\n') => {}
                c if c == self.separator && !quoted => {
                    fields.push(std::mem::take(&mut field));
                    at_field_start = true;
                    continue;
                }
                c => {
                    if c == '\n' {
                        self.line += 1;
                    }
                    field.push(c);
                }
            }
            at_field_start = false;
        }
        fields.push(field);
        Some(Row { fields, line: start })
    }
}

/// The longest entity decoded, from `&` to `;` (`&#x10FFFF;` is ten bytes).
const ENTITY_MAX: usize = 10;

/// Anki's HTML field as plain text: line breaks kept, other tags dropped, entities decoded.
/// Linear in the field's length, whatever it holds.
fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            // A `<` that no `>` closes is text, not a tag.
            let Some(close) = rest.find('>') else {
                out.push_str(rest);
                rest = "";
                break;
            };
            let tag = rest[1..close].trim().to_ascii_lowercase();
            if tag.starts_with("br") || tag == "/div" || tag == "/p" || tag == "/li" {
                out.push('\n');
            }
            rest = &rest[close + 1..];
        } else {
            // An entity is short: its `;` is looked for within a few bytes, never further.
            let end = rest.bytes().take(ENTITY_MAX + 1).position(|b| b == b';');
            let Some(end) = end else {
                out.push('&');
                rest = &rest[1..];
                continue;
            };
            let entity = &rest[1..end];
            let decoded = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" | "#39" => Some('\''),
                "nbsp" => Some(' '),
                _ => entity
                    .strip_prefix("#x")
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .or_else(|| entity.strip_prefix('#').and_then(|dec| dec.parse().ok()))
                    .and_then(char::from_u32),
            };
            match decoded {
                Some(c) => {
                    out.push(c);
                    rest = &rest[end + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_columns_and_html_are_understood() {
        let text = "#separator:tab\n#html:true\n#notetype:Basic\n#guid column:1\n#deck column:4\n#tags column:5\nab12\tWhat is &lt;b&gt;?\tA tag<br>that is bold &amp; strong\tCV::Lecture 1\trecall\ngh34\t\"#q\"\t\"two\ttabs \"\"quoted\"\"\nand a line\"\tCV\t\nxy\tNo back\t\tCV\t\n";
        let notes = parse(text, "export");
        assert_eq!(notes.deck, "export");
        assert_eq!(notes.cards.len(), 2);
        assert_eq!(notes.cards[0].question, "What is <b>?");
        assert_eq!(notes.cards[0].answer, "A tag\nthat is bold & strong");
        assert_eq!(notes.cards[0].section, "CV::Lecture 1");
        assert_eq!(notes.cards[0].line, 7);
        assert_eq!(notes.cards[1].question, "#q");
        assert_eq!(notes.cards[1].answer, "two\ttabs \"quoted\"\nand a line");
        assert_eq!(notes.cards[1].line, 8);
        assert_eq!(
            notes.warnings,
            [Warning {
                line: Some(10),
                message: "question has no answer".into()
            }]
        );
    }

    #[test]
    fn other_separators_and_plain_text() {
        let notes = parse("#separator:Comma\n#deck:Biology\nfront,back\n\"a, b\",c\n", "f");
        let pairs: Vec<_> = notes
            .cards
            .iter()
            .map(|c| (c.question.as_str(), c.answer.as_str(), c.section.as_str()))
            .collect();
        assert_eq!(pairs, [("front", "back", "Biology"), ("a, b", "c", "Biology")]);
        assert!(is_anki_export("#separator:tab\n"));
        assert!(!is_anki_export("# separator\n"));
    }

    #[test]
    fn entities_and_tags() {
        assert_eq!(
            html_to_text("a&#65;&#x42;&nbsp;<div>x</div>&bogus; & y"),
            "aAB x\n&bogus; & y"
        );
    }

    #[test]
    fn a_field_of_ampersands_is_decoded_in_linear_time() {
        // Each `&` searched the whole rest of the field for a `;`: minutes for 2 MB.
        let field = "&".repeat(2 << 20);
        assert_eq!(html_to_text(&field), field);
        let long = format!("&amp{};", "x".repeat(1 << 20));
        assert_eq!(html_to_text(&long).len(), long.len());
        assert_eq!(html_to_text("&#x10FFFF;&#1114111;"), "\u{10FFFF}\u{10FFFF}");
    }

    #[test]
    fn a_lone_angle_bracket_is_text() {
        // These panicked: the tag was sliced as if a `>` closed it.
        assert_eq!(html_to_text("a <"), "a <");
        assert_eq!(html_to_text("x ‹ π <π"), "x ‹ π <π");
        let notes = parse("#separator:tab\n#html:true\nfront <\tback <é\n", "f");
        assert_eq!(
            (notes.cards[0].question.as_str(), notes.cards[0].answer.as_str()),
            ("front <", "back <é")
        );
    }
}
