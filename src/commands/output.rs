//! Standard output made safe for a terminal. Card text comes from notes and shared decks, so
//! it may hold escape sequences; none of them reaches the terminal raw. Text output shows each
//! control character as a visible symbol (ESC as `␛`); JSON output, where serde already escapes
//! the C0 controls, escapes DEL and the C1 controls too, so the data stays exact.

use std::io::{self, Write};

/// How control characters are made harmless.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Shown as symbols; line breaks and tabs kept.
    Text,
    /// As [`Mode::Text`], with carriage returns kept too: the user's own notes written back
    /// (`export --format obsidian`), whose `\r\n` line ends must stay as they were.
    Notes,
    /// Written as JSON escapes (`\u007f`); only valid inside JSON strings, where they occur.
    Json,
}

impl Mode {
    /// The mode for standard output, a terminal or not: on a terminal a kept carriage return
    /// would move the cursor back over what is already shown.
    pub(crate) fn on_stdout(self, terminal: bool) -> Mode {
        match self {
            Mode::Notes if terminal => Mode::Text,
            mode => mode,
        }
    }
}

/// A writer that passes everything through except control characters.
pub(crate) struct Safe<W: Write> {
    inner: W,
    mode: Mode,
    /// A 0xC2 byte at the end of the last write: it may start a C1 control.
    pending_c2: bool,
}

impl<W: Write> Safe<W> {
    pub(crate) fn new(inner: W, mode: Mode) -> Self {
        Safe {
            inner,
            mode,
            pending_c2: false,
        }
    }

    fn replacement(&self, control: u32) -> String {
        match (self.mode, control) {
            (Mode::Json, _) => format!("\\u{control:04x}"),
            (_, 0..=0x1f) => char::from_u32(0x2400 + control).map_or_else(String::new, String::from),
            (_, 0x7f) => "\u{2421}".to_string(),
            (_, _) => "\u{fffd}".to_string(),
        }
    }

    fn is_unsafe(&self, byte: u8) -> bool {
        match byte {
            b'\n' | b'\t' => false,
            b'\r' if self.mode == Mode::Notes => false,
            0..=0x1f => self.mode != Mode::Json,
            0x7f | 0xc2 => true,
            _ => false,
        }
    }
}

impl<W: Write> Safe<W> {
    /// Passes `buf` on, made safe; `rest` is what is still to pass (a write that fails half-way
    /// has passed the bytes before it, which a writer must report).
    fn pass<'a>(&mut self, buf: &'a [u8], rest: &mut &'a [u8]) -> io::Result<()> {
        if self.pending_c2 {
            match rest.first() {
                None => return Ok(()),
                Some(&next @ 0x80..=0x9f) => {
                    let text = self.replacement(u32::from(next));
                    self.inner.write_all(text.as_bytes())?;
                    *rest = &rest[1..];
                }
                Some(_) => self.inner.write_all(&[0xc2])?,
            }
            self.pending_c2 = false;
        }
        while let Some(at) = rest.iter().position(|&b| self.is_unsafe(b)) {
            self.inner.write_all(&rest[..at])?;
            *rest = &rest[at..];
            let byte = rest[0];
            if byte == 0xc2 {
                match rest.get(1) {
                    None => {
                        self.pending_c2 = true;
                        *rest = &buf[buf.len()..];
                        return Ok(());
                    }
                    Some(&next @ 0x80..=0x9f) => {
                        let text = self.replacement(u32::from(next));
                        self.inner.write_all(text.as_bytes())?;
                        *rest = &rest[2..];
                    }
                    Some(_) => {
                        self.inner.write_all(&[0xc2])?;
                        *rest = &rest[1..];
                    }
                }
            } else {
                let text = self.replacement(u32::from(byte));
                self.inner.write_all(text.as_bytes())?;
                *rest = &rest[1..];
            }
        }
        self.inner.write_all(rest)?;
        *rest = &buf[buf.len()..];
        Ok(())
    }
}

impl<W: Write> Write for Safe<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut rest = buf;
        match self.pass(buf, &mut rest) {
            Ok(()) => Ok(buf.len()),
            // The bytes passed count as written: a buffer before this one would write them
            // again otherwise. The error comes back with the next write.
            Err(_) if rest.len() < buf.len() => Ok(buf.len() - rest.len()),
            Err(error) => Err(error),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.pending_c2 {
            self.pending_c2 = false;
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn through(mode: Mode, parts: &[&[u8]]) -> String {
        let mut out = Safe::new(Vec::new(), mode);
        for part in parts {
            out.write_all(part).unwrap();
        }
        out.flush().unwrap();
        String::from_utf8(out.inner).unwrap()
    }

    /// Takes everything, but fails its `fail_at`th write once.
    struct Flaky {
        taken: Vec<u8>,
        writes: usize,
        fail_at: usize,
    }

    impl Write for Flaky {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            if self.writes == self.fail_at {
                return Err(io::Error::new(io::ErrorKind::WouldBlock, "try again"));
            }
            self.taken.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_write_that_fails_half_way_is_not_written_twice_when_tried_again() {
        let text = "line \u{1b} one\nline two\n".repeat(50);
        for fail_at in 1..12 {
            let flaky = Flaky {
                taken: Vec::new(),
                writes: 0,
                fail_at,
            };
            let mut out = io::BufWriter::new(Safe::new(flaky, Mode::Text));
            out.write_all(text.as_bytes()).unwrap();
            // Failing after some bytes went through, the write reports those; the error
            // itself is met again by the next write, which succeeds here.
            if out.flush().is_err() {
                out.flush().unwrap();
            }
            let flaky = out.into_inner().ok().unwrap().inner;
            assert!(flaky.writes > fail_at);
            let taken = String::from_utf8(flaky.taken).unwrap();
            assert_eq!(
                taken,
                text.replace('\u{1b}', "\u{241b}"),
                "write {fail_at} failed"
            );
        }
    }

    #[test]
    fn notes_keep_carriage_returns_except_on_a_terminal() {
        assert_eq!(through(Mode::Notes.on_stdout(false), &[b"a\r\nb"]), "a\r\nb");
        assert!(!through(Mode::Notes.on_stdout(true), &[b"a\r\nb"]).contains('\r'));
        assert_eq!(Mode::Json.on_stdout(true), Mode::Json);
    }

    #[test]
    fn text_shows_controls_as_symbols_and_keeps_layout() {
        assert_eq!(
            through(Mode::Text, &[b"a\x1b]0;x\x07\n\tb\x7f"]),
            "a\u{241b}]0;x\u{2407}\n\tb\u{2421}"
        );
        // A C1 control split across two writes is still caught; other two-byte characters pass.
        assert_eq!(
            through(Mode::Text, &["x\u{9b}".as_bytes(), "y é \u{a0}".as_bytes()]),
            "x\u{fffd}y é \u{a0}"
        );
        let csi = "\u{9b}".as_bytes();
        assert_eq!(through(Mode::Text, &[&csi[..1], &csi[1..]]), "\u{fffd}");
        assert_eq!(
            through(Mode::Text, &["é".as_bytes(), "\u{c2}".as_bytes()]),
            "é\u{c2}"
        );
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let json = serde_json::to_string("a\u{1b}b\u{7f}c\u{9b}").unwrap();
        let safe = through(Mode::Json, &[json.as_bytes()]);
        assert_eq!(safe, r#""a\u001bb\u007fc\u009b""#);
        let back: String = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, "a\u{1b}b\u{7f}c\u{9b}");
    }
}
