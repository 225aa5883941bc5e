//! Images in notes, `![alt](path)`: they stay in the card text as written (the review screen
//! shows them), and a local file that is not there is reported when the notes are read, so a
//! moved picture is noticed. URLs are not checked.

use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::Warning;
use super::spans::Protected;

/// An image a line of the notes refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Image {
    /// 1-based line.
    pub(crate) line: usize,
    /// The destination as written.
    pub(crate) path: String,
}

/// The destinations of the images in `line`, outside its protected spans. Each `](` is tried
/// with the last `![` before it, and a link that does not end is not read into again, so the
/// time is linear.
pub(crate) fn in_line<'l>(line: &'l str, spans: &Protected) -> Vec<&'l str> {
    let bytes = line.as_bytes();
    let starts: Vec<usize> = memchr::memmem::find_iter(bytes, b"![")
        .filter(|&start| !spans.covers(start))
        .collect();
    let mut next_start = 0;
    let mut found = Vec::new();
    let mut after = 0;
    for closer in memchr::memmem::find_iter(bytes, b"](") {
        if closer < after {
            continue;
        }
        let mut start = None;
        while starts.get(next_start).is_some_and(|&at| at + 2 <= closer) {
            if starts[next_start] >= after {
                start = Some(starts[next_start]);
            }
            next_start += 1;
        }
        let Some(start) = start else { continue };
        if spans.covers(closer) || !balanced(&line[start + 2..closer]) {
            continue;
        }
        match destination(line, closer + 2) {
            Ok((destination, end)) => {
                found.push(destination);
                after = end;
            }
            Err(scanned) => after = scanned,
        }
    }
    found
}

/// An image in Markdown card text, as the review screen and the export read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shown {
    /// Where `![alt](destination)` is written.
    pub(crate) range: Range<usize>,
    pub(crate) alt: String,
    pub(crate) destination: String,
}

/// The images of Markdown card `text`, in order.
pub(crate) fn in_markdown(text: &str) -> Vec<Shown> {
    let mut shown = Vec::new();
    let mut open: Option<Shown> = None;
    for (event, range) in Parser::new_ext(text, super::CARD_MARKDOWN).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) if open.is_none() => {
                open = Some(Shown {
                    range,
                    alt: String::new(),
                    destination: dest_url.into_string(),
                });
            }
            Event::End(TagEnd::Image) => shown.extend(open.take()),
            Event::Text(part) | Event::Code(part) | Event::InlineMath(part) => {
                if let Some(image) = &mut open {
                    image.alt.push_str(&part);
                }
            }
            _ => {}
        }
    }
    shown
}

/// The last part of an image's destination: its file's name.
pub(crate) fn file_name(destination: &str) -> &str {
    destination.rsplit(['/', '\\']).next().unwrap_or(destination)
}

/// How an image shows where it cannot be drawn: `[image: alt]`, or its file's name when it
/// has no alternative text.
pub(crate) fn placeholder(image: &Shown) -> String {
    let label = if image.alt.trim().is_empty() {
        file_name(&image.destination)
    } else {
        image.alt.as_str()
    };
    format!("[image: {label}]")
}

/// Markdown card `text` with each image as its [`placeholder`].
pub(crate) fn with_placeholders(text: &str) -> Cow<'_, str> {
    if !text.contains("![") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for image in in_markdown(text) {
        out.push_str(&text[copied..image.range.start]);
        out.push_str(&placeholder(&image));
        copied = image.range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The file a local image's `destination` names in `folder`: as written, or with its `%20`
/// escapes decoded when only that file is there.
pub(crate) fn local_file(folder: &Path, destination: &str) -> std::path::PathBuf {
    let written = folder.join(destination);
    if written.exists() {
        return written;
    }
    percent_decoded(destination)
        .map(|decoded| folder.join(decoded))
        .filter(|decoded| decoded.exists())
        .unwrap_or(written)
}

/// Whether the file at `path` is named as a picture is: only such files are handed to the
/// system's opener, which would run a program or a script as readily.
pub(crate) fn is_picture_file(path: &Path) -> bool {
    const PICTURES: [&str; 11] = [
        "png", "jpg", "jpeg", "gif", "webp", "bmp", "svg", "tif", "tiff", "avif", "ico",
    ];
    path.extension()
        .and_then(|extension| extension.to_str())
        .is_some_and(|extension| PICTURES.iter().any(|p| p.eq_ignore_ascii_case(extension)))
}

/// Whether `destination` names a file next to the notes rather than something on the web.
pub(crate) fn is_local(destination: &str) -> bool {
    !is_url(destination) && !destination.is_empty() && !destination.starts_with('#')
}

/// True when the brackets of an image's text pair up (`![[embed]]` is no image of this kind).
fn balanced(text: &str) -> bool {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'[' => depth += 1,
            b']' => match depth.checked_sub(1) {
                Some(less) => depth = less,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}

/// The destination of a link whose `(` ends just before `from`, and where the link ends:
/// `<any text>`, or text without white space (balanced parentheses allowed), then an optional
/// title and `)`. When it does not end, where the search stopped.
fn destination(line: &str, from: usize) -> Result<(&str, usize), usize> {
    let rest = &line[from..];
    let (destination, after) = if let Some(inner) = rest.strip_prefix('<') {
        let end = inner.find('>').ok_or(line.len())?;
        (&inner[..end], from + 1 + end + 1)
    } else {
        let mut depth = 0usize;
        let end = rest
            .char_indices()
            .find(|&(_, c)| match c {
                '(' => {
                    depth += 1;
                    false
                }
                ')' if depth == 0 => true,
                ')' => {
                    depth -= 1;
                    false
                }
                c => c.is_whitespace(),
            })
            .map(|(at, _)| at)
            .ok_or(line.len())?;
        (&rest[..end], from + end)
    };
    let close = line[after..].find(')').ok_or(line.len())?;
    Ok((destination, after + close + 1))
}

/// Warns about every image of `images` that is a local file missing next to `notes`.
pub(crate) fn check(images: &[Image], notes: &Path, warnings: &mut Vec<Warning>) {
    let folder = notes.parent().unwrap_or_else(|| Path::new("."));
    for image in images {
        if !is_local(&image.path) {
            continue;
        }
        if !local_file(folder, &image.path).exists() {
            warnings.push(Warning {
                line: Some(image.line),
                message: format!("image not found: {}", image.path),
            });
        }
    }
}

/// A destination with a scheme (`https:`, `data:`); a single letter before `:` is a Windows
/// drive, not a scheme.
fn is_url(destination: &str) -> bool {
    destination.split_once(':').is_some_and(|(scheme, _)| {
        scheme.len() > 1
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// `my%20picture.png` as `my picture.png`, when it holds an escape.
fn percent_decoded(path: &str) -> Option<String> {
    if !path.contains('%') {
        return None;
    }
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let hex = bytes
            .get(at + 1..at + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[at], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                at += 3;
            }
            (byte, _) => {
                out.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_in_markdown_text_with_their_placeholders() {
        let text =
            "See ![a *plant* cell](figs/cell.png) and ![](https://x.org/a/b.svg), not `![code](c.png)`.";
        let found = in_markdown(text);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].alt, "a plant cell");
        assert_eq!(found[0].destination, "figs/cell.png");
        assert_eq!(&text[found[0].range.clone()], "![a *plant* cell](figs/cell.png)");
        assert_eq!(
            with_placeholders(text),
            "See [image: a plant cell] and [image: b.svg], not `![code](c.png)`."
        );
        assert!(matches!(with_placeholders("no image"), Cow::Borrowed(_)));
        assert_eq!(file_name("a\\b\\c.png"), "c.png");
        assert!(is_local("figs/cell.png") && is_local("C:/figs/cell.png"));
        assert!(!is_local("https://x.org/c.png") && !is_local("") && !is_local("#top"));
    }

    fn images(line: &str) -> Vec<&str> {
        in_line(line, &Protected::of(line))
    }

    #[test]
    fn destinations_as_written() {
        assert_eq!(
            images("See ![a diagram](img/net.png) and ![](<my pic.png> \"t\")."),
            ["img/net.png", "my pic.png"]
        );
        assert_eq!(images("![x](f(1).png)"), ["f(1).png"]);
        assert_eq!(
            images("![x](https://e.org/a.png 'title')"),
            ["https://e.org/a.png"]
        );
        assert!(images("`![x](code.png)` and ![broken](x.png").is_empty());
        assert!(images("![[obsidian.png]] and [link](a.png)").is_empty());
    }

    #[test]
    fn missing_local_files_warn_with_their_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("here.png"), b"png").unwrap();
        std::fs::write(dir.path().join("my pic.png"), b"png").unwrap();
        let notes = dir.path().join("notes.md");
        let image = |line, path: &str| Image {
            line,
            path: path.to_string(),
        };
        let mut warnings = Vec::new();
        let all = [
            image(1, "here.png"),
            image(2, "my%20pic.png"),
            image(3, "https://e.org/x.png"),
            image(4, "gone.png"),
            image(5, "C:/gone.png"),
        ];
        check(&all, &notes, &mut warnings);
        let got: Vec<_> = warnings.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(
            got,
            [
                (Some(4), "image not found: gone.png"),
                (Some(5), "image not found: C:/gone.png")
            ]
        );
    }
}
