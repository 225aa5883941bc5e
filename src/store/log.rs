//! A device's log, `logs/DEVICE.jsonl`: one record per line, only ever appended to. A change is
//! durable once `append` returns (its lines are written and fsynced). Readers skip a torn last
//! line (a crash mid-write), an unfinished batch of records at the end, and unreadable lines
//! with a warning instead of failing.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::core::Record;
use crate::error::{Error, Result};
use crate::files::{self, Links};
use crate::schedule::day::Timestamp;

/// Appends records durably. The file is created with the first record, so opening a
/// collection to change it leaves no file behind when nothing was recorded.
#[derive(Debug)]
pub struct LogWriter {
    file: Option<File>,
    path: PathBuf,
    len: u64,
}

impl LogWriter {
    /// Opens the log for appending, if there is one. A torn last line is cut off first, so the
    /// next record starts on a line of its own; the returned warning says so.
    pub fn open(path: &Path) -> Result<(LogWriter, Option<String>)> {
        let io = |e| Error::io(path, e);
        let mut options = OpenOptions::new();
        options.read(true).append(true);
        let mut file = match files::open(path, &mut options, Links::Refuse) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let writer = LogWriter {
                    file: None,
                    path: path.to_path_buf(),
                    len: 0,
                };
                return Ok((writer, None));
            }
            Err(e) => return Err(io(e)),
        };
        let len = file.metadata().map_err(io)?.len();
        let complete = complete_length(&mut file, len).map_err(io)?;
        let mut warning = None;
        if complete < len {
            file.set_len(complete).map_err(io)?;
            file.sync_all().map_err(io)?;
            warning = Some(format!(
                "{}: removed an incomplete last line ({} bytes, from an interrupted write)",
                path.display(),
                len - complete
            ));
        }
        let writer = LogWriter {
            file: Some(file),
            path: path.to_path_buf(),
            len: complete,
        };
        Ok((writer, warning))
    }

    /// Writes `record` as one line and fsyncs it. On failure the partial line is removed.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        self.append_all(std::slice::from_ref(record))
    }

    /// Writes `records`, a line each, and fsyncs them together. On failure every line written
    /// is removed again.
    pub fn append_all(&mut self, records: &[Record]) -> Result<()> {
        let len = self.len;
        let file = self.file()?;
        let write = || -> std::io::Result<u64> {
            let mut out = &*file;
            let written = super::lines::write_each(&mut out, records, |_, record, line| {
                serde_json::to_writer(&mut *line, record)?;
                line.push(b'\n');
                Ok(())
            })?;
            file.sync_data()?;
            Ok(written)
        };
        let written = match write() {
            Ok(written) => written,
            Err(e) => {
                let _ = file.set_len(len);
                return Err(Error::io(&self.path, e));
            }
        };
        self.len += written;
        Ok(())
    }

    /// Cuts the log to `len` bytes: what follows is an unfinished change.
    pub(crate) fn cut_to(&mut self, len: u64) -> Result<Option<String>> {
        if len >= self.len {
            return Ok(None);
        }
        let path = self.path.clone();
        let io = |e| Error::io(&path, e);
        let file = self.file()?;
        file.set_len(len).map_err(io)?;
        file.sync_all().map_err(io)?;
        let cut = self.len - len;
        self.len = len;
        Ok(Some(format!(
            "{}: removed an unfinished change at its end ({cut} bytes, from an interrupted write)",
            self.path.display()
        )))
    }

    /// The open log, created (and its directory entry made durable) on first use.
    fn file(&mut self) -> Result<&mut File> {
        if self.file.is_none() {
            if let Some(dir) = self.path.parent()
                && !dir.exists()
            {
                std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
                if let Some(parent) = dir.parent() {
                    super::atomic::sync_dir(parent)?;
                }
            }
            let mut options = OpenOptions::new();
            options.read(true).append(true).create(true);
            let file =
                files::open(&self.path, &mut options, Links::Refuse).map_err(|e| Error::io(&self.path, e))?;
            if let Some(dir) = self.path.parent() {
                super::atomic::sync_dir(dir)?;
            }
            self.file = Some(file);
        }
        self.file
            .as_mut()
            .ok_or_else(|| Error::internal("the log did not open"))
    }

    /// Bytes in the log, all of them complete records.
    pub(crate) fn len(&self) -> u64 {
        self.len
    }
}

/// The length of `file` up to and including its last newline.
fn complete_length(file: &mut File, len: u64) -> std::io::Result<u64> {
    let mut end = len;
    let mut chunk = vec![0u8; 64 * 1024];
    while end > 0 {
        let start = end.saturating_sub(chunk.len() as u64);
        let part = &mut chunk[..(end - start) as usize];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(part)?;
        if let Some(at) = part.iter().rposition(|&b| b == b'\n') {
            return Ok(start + at as u64 + 1);
        }
        end = start;
    }
    Ok(0)
}

/// Calls `each` with every complete record from byte `offset` on, in file order; unreadable
/// lines and a torn last line are skipped with a warning naming the line.
pub fn for_each_from(
    path: &Path,
    offset: u64,
    warnings: &mut Vec<String>,
    mut each: impl FnMut(Record),
) -> Result<()> {
    for_each_line(path, offset, warnings, |line| {
        each(serde_json::from_slice::<Record>(line)?);
        Ok(())
    })
}

/// Calls `each` with every record of a complete change from byte `offset` on, in file order,
/// with the byte just after it; the records of a batch come once the whole batch is read.
/// Returns the byte after the last complete change: an unfinished batch at the end (a crash
/// while an import was written) is left out with a warning, as a torn line is.
pub(crate) fn read_changes<R: Logged>(
    path: &Path,
    offset: u64,
    warnings: &mut Vec<String>,
    mut each: impl FnMut(R, u64),
) -> Result<u64> {
    let mut end = offset;
    // The records of a batch read so far, how many it has, and its first line.
    let mut batch: Vec<(R, u64)> = Vec::new();
    let mut expected = 0u64;
    let mut seen = 0u64;
    let mut batch_line = 0usize;
    let mut parsed = Vec::new();
    let complete = for_each_batch(path, offset, warnings, |lines| {
        let mut unreadable = Vec::new();
        parse_all(lines, &mut parsed);
        for (line, record) in lines.iter().zip(parsed.drain(..).flatten()) {
            if let Some(size) = record.as_ref().ok().and_then(Logged::batch)
                && size > 1
            {
                // A new batch while one is unfinished: the earlier one was cut short.
                if seen < expected {
                    batch.clear();
                }
                expected = size;
                seen = 0;
                batch_line = line.number;
            }
            match record {
                Ok(record) if seen < expected => batch.push((record, line.end)),
                Ok(record) => {
                    end = line.end;
                    each(record, line.end);
                }
                Err(e) => unreadable.push((line.number, e)),
            }
            if seen < expected {
                // An unreadable line of a batch still counts, so the batch can end.
                seen += 1;
                if seen == expected {
                    end = line.end;
                    for (record, after) in batch.drain(..) {
                        each(record, after);
                    }
                }
            }
        }
        unreadable
    })?;
    if seen < expected {
        warnings.push(format!(
            "{}: ignored an unfinished change at the end (line {batch_line} on: {seen} of {expected} \
             records, from an interrupted write)",
            path.display()
        ));
        return Ok(end);
    }
    Ok(complete)
}

/// What reading a log needs of a record, whether read whole ([`Record`]) or only in the parts
/// one reader needs: the rest of each line is skipped, not built.
pub(crate) trait Logged: serde::de::DeserializeOwned + Send {
    fn id(&self) -> u64;
    fn at(&self) -> Timestamp;
    fn follows(&self) -> Option<Timestamp>;
    /// On the first record of a change written as several: how many.
    fn batch(&self) -> Option<u64>;
}

impl Logged for Record {
    fn id(&self) -> u64 {
        self.id
    }

    fn at(&self) -> Timestamp {
        self.at
    }

    fn follows(&self) -> Option<Timestamp> {
        self.follows
    }

    fn batch(&self) -> Option<u64> {
        self.batch
    }
}

/// A record parsed from a line, or why it could not be.
type Parsed<R> = Option<serde_json::Result<R>>;

/// Parses `lines` into `parsed` (one entry each) on every core: parsing is most of the time
/// it takes to read a long log. `parsed` is reused from batch to batch, since allocating
/// megabytes afresh for each costs as much again.
fn parse_all<R: Logged>(lines: &[Line], parsed: &mut Vec<Parsed<R>>) {
    fn parse<R: Logged>(lines: &[Line], into: &mut [Parsed<R>]) {
        for (line, slot) in lines.iter().zip(into) {
            // Checked as UTF-8 once, the line is read without checking each string again.
            *slot = Some(match std::str::from_utf8(line.text) {
                Ok(text) => serde_json::from_str(text),
                Err(_) => serde_json::from_slice(line.text),
            });
        }
    }
    parsed.clear();
    parsed.resize_with(lines.len(), || None);
    let threads = crate::cores::cores();
    // Below a few thousand lines, starting threads costs more than it saves.
    if threads == 1 || lines.len() < 2048 {
        return parse(lines, parsed);
    }
    let share = lines.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut parts = lines.chunks(share).zip(parsed.chunks_mut(share));
        let first = parts.next();
        for (lines, into) in parts {
            scope.spawn(move || parse(lines, into));
        }
        if let Some((lines, into)) = first {
            parse(lines, into);
        }
    });
}

/// Calls `each` with every complete, non-blank line from byte `offset` on. A line `each`
/// cannot read, and a torn last line, are skipped with a warning naming the line.
pub(crate) fn for_each_line(
    path: &Path,
    offset: u64,
    warnings: &mut Vec<String>,
    mut each: impl FnMut(&[u8]) -> serde_json::Result<()>,
) -> Result<()> {
    for_each_batch(path, offset, warnings, |lines| {
        lines
            .iter()
            .filter_map(|line| each(line.text).err().map(|e| (line.number, e)))
            .collect()
    })
    .map(|_| ())
}

/// A line of the log without its newline, and its 1-based number counted from where reading
/// started.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    pub(crate) number: usize,
    pub(crate) text: &'a [u8],
    /// The byte of the file just after the line's newline.
    pub(crate) end: u64,
}

/// The longest line a reader keeps: a longer one cannot be a record, so it is skipped as
/// unreadable without ever being held in memory whole.
pub(crate) const MAX_LINE: usize = 16 << 20;

/// Calls `each` with the complete, non-blank lines from byte `offset` on, a few megabytes at
/// a time, so a caller can work on a batch in parallel. `each` returns the lines it could not
/// read; they, a line longer than [`MAX_LINE`] and a torn last line are skipped with a warning
/// naming the line. Every byte is looked at a bounded number of times, whatever the lines.
/// Returns the byte after the last complete line.
pub(crate) fn for_each_batch(
    path: &Path,
    offset: u64,
    warnings: &mut Vec<String>,
    mut each: impl FnMut(&[Line]) -> Vec<(usize, serde_json::Error)>,
) -> Result<u64> {
    let io = |e| Error::io(path, e);
    let mut file = match files::open_read(path, Links::Refuse) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(offset),
        Err(e) => return Err(io(e)),
    };
    file.seek(SeekFrom::Start(offset)).map_err(io)?;
    let place = |number: usize| {
        if offset == 0 {
            format!("line {number}")
        } else {
            format!("line {number} after byte {offset}")
        }
    };
    let mut buffer = vec![0u8; 4 << 20];
    // The byte of the file at the front of the buffer.
    let mut base = offset;
    // Bytes of an unfinished line carried to the front of the buffer.
    let mut carried = 0;
    // Inside a line longer than MAX_LINE, whose bytes are dropped as they come.
    let mut skipping = false;
    let mut number = 0usize;
    loop {
        if carried == buffer.len() {
            if buffer.len() >= MAX_LINE {
                skipping = true;
                base += carried as u64;
                carried = 0;
            } else {
                buffer.resize((buffer.len() * 2).min(MAX_LINE), 0);
            }
        }
        let read = file.read(&mut buffer[carried..]).map_err(io)?;
        if read == 0 {
            if carried > 0 || skipping {
                warnings.push(format!(
                    "{}: ignored an incomplete last line ({}, from an interrupted write)",
                    path.display(),
                    place(number + 1)
                ));
            }
            return Ok(base);
        }
        let filled = carried + read;
        let mut start = 0;
        if skipping {
            // Drop the overlong line up to its end, then go on after it.
            let Some(end) = memchr::memchr(b'\n', &buffer[..filled]) else {
                base += filled as u64;
                carried = 0;
                continue;
            };
            number += 1;
            warnings.push(format!(
                "{}: skipped an unreadable record ({}: longer than {} MiB)",
                path.display(),
                place(number),
                MAX_LINE >> 20
            ));
            skipping = false;
            start = end + 1;
        }
        // Only the bytes just read can hold the newline that ends the carried line.
        let fresh = carried.max(start);
        let Some(last) = memchr::memrchr(b'\n', &buffer[fresh..filled]) else {
            buffer.copy_within(start..filled, 0);
            base += start as u64;
            carried = filled - start;
            continue;
        };
        let complete = fresh + last + 1;
        let mut lines = Vec::new();
        let first = start;
        for end in memchr::memchr_iter(b'\n', &buffer[first..complete]) {
            let end = first + end;
            number += 1;
            let text = &buffer[start..end];
            start = end + 1;
            if !text.iter().all(u8::is_ascii_whitespace) {
                lines.push(Line {
                    number,
                    text,
                    end: base + start as u64,
                });
            }
        }
        for (line, error) in each(&lines) {
            warnings.push(format!(
                "{}: skipped an unreadable record ({}: {})",
                path.display(),
                place(line),
                crate::error::json_message(&error)
            ));
        }
        buffer.copy_within(complete..filled, 0);
        base += complete as u64;
        carried = filled - complete;
    }
}

/// The review records (grades, undos, buries and suspensions) at the end of the log whose
/// study day is `since` or later, in file order.
/// Reads backwards, a chunk at a time, until a chunk holds only older records: the cost is
/// the size of the recent records, not of the whole log. A line longer than [`MAX_LINE`] is
/// skipped without being held whole.
pub fn read_recent(path: &Path, since: NaiveDate) -> Result<Vec<Record>> {
    let io = |e| Error::io(path, e);
    let mut file = match files::open_read(path, Links::Refuse) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(e)),
    };
    let len = file.metadata().map_err(io)?.len();
    let mut end = complete_length(&mut file, len).map_err(io)?;
    let mut records = Vec::new();
    // The later pieces of the line whose start is not read yet, latest first; never joined
    // before the start is found, so a long line is copied a bounded number of times.
    let mut pieces: Vec<Vec<u8>> = Vec::new();
    let mut pieces_len = 0usize;
    // Inside a line longer than MAX_LINE: its pieces are dropped as they are read.
    let mut overlong = false;
    let mut chunk = vec![0u8; 256 * 1024];
    let not_a_review = memchr::memmem::Finder::new(b"\"kind\":\"card_");
    while end > 0 {
        let start = end.saturating_sub(chunk.len() as u64);
        let part = &mut chunk[..(end - start) as usize];
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        file.read_exact(part).map_err(io)?;
        let (mut recent, mut older) = (false, false);
        let mut take = |line: &[u8], pieces: &mut Vec<Vec<u8>>| {
            let joined;
            let line = if pieces.is_empty() {
                line
            } else {
                let mut whole = line.to_vec();
                whole.extend(pieces.drain(..).rev().flatten());
                joined = whole;
                &joined[..]
            };
            // Records about card text and decks (an import's many) are not reviews: they are
            // passed over without parsing. Their kind cannot appear inside a string, where
            // quotes are escaped.
            if line.iter().all(u8::is_ascii_whitespace) || not_a_review.find(line).is_some() {
                return;
            }
            if let Ok(record) = serde_json::from_slice::<Record>(line)
                && record.kind.is_review_log()
            {
                if record.day < since {
                    older = true;
                } else {
                    recent = true;
                    records.push(record);
                }
            }
        };
        let mut line_end = part.len();
        for newline in memchr::memrchr_iter(b'\n', part) {
            if overlong {
                overlong = false;
            } else {
                take(&part[newline + 1..line_end], &mut pieces);
            }
            pieces_len = 0;
            line_end = newline;
        }
        if overlong || pieces_len + line_end > MAX_LINE {
            pieces.clear();
            overlong = true;
        } else if start == 0 {
            take(&part[..line_end], &mut pieces);
        } else {
            pieces.push(part[..line_end].to_vec());
            pieces_len += line_end;
        }
        // Records are appended in time order, but a clock set back can put older days among
        // today's: stop only at a whole chunk of older records.
        if older && !recent {
            break;
        }
        end = start;
    }
    records.reverse();
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Kind;
    use crate::schedule::sm2::{CardState, Grade};
    use std::io::Write;

    /// Records read from the log, and what was skipped.
    #[derive(Debug, Default)]
    struct LogRead {
        records: Vec<Record>,
        warnings: Vec<String>,
    }

    fn read_from(path: &Path, offset: u64) -> Result<LogRead> {
        let mut read = LogRead::default();
        for_each_from(path, offset, &mut read.warnings, |record| {
            read.records.push(record)
        })?;
        Ok(read)
    }

    fn record(id: u64, day: &str) -> Record {
        let stamp = crate::core::Stamp {
            at: chrono::DateTime::parse_from_rfc3339(&format!("{day}T12:00:00+01:00")).unwrap(),
            day: day.parse().unwrap(),
        };
        Record {
            id,
            grade: Grade::new(4),
            before: Some(CardState::default()),
            after: Some(CardState::default()),
            ms: Some(1200),
            ..Record::new(Kind::Review, &format!("card{id}"), stamp)
        }
    }

    #[test]
    fn appended_records_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let (mut log, warning) = LogWriter::open(&path).unwrap();
        assert!(warning.is_none());
        for id in 1..=3 {
            log.append(&record(id, "2026-11-28")).unwrap();
        }
        let read = read_from(&path, 0).unwrap();
        assert_eq!(
            read.records,
            [
                record(1, "2026-11-28"),
                record(2, "2026-11-28"),
                record(3, "2026-11-28")
            ]
        );
        assert!(read.warnings.is_empty());
        let first_line = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .len() as u64
            + 1;
        assert_eq!(read_from(&path, first_line).unwrap().records.len(), 2);
        assert_eq!(log.len(), std::fs::metadata(&path).unwrap().len());
    }

    #[test]
    fn a_torn_last_line_is_ignored_then_cut_before_the_next_write() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let (mut log, _) = LogWriter::open(&path).unwrap();
        log.append(&record(1, "2026-11-28")).unwrap();
        drop(log);
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(b"{\"id\":2,\"card\":\"x").unwrap();
        let read = read_from(&path, 0).unwrap();
        assert_eq!(read.records.len(), 1);
        assert_eq!(read.warnings.len(), 1);
        assert!(
            read.warnings[0].contains("ignored an incomplete last line (line 2"),
            "{:?}",
            read.warnings
        );

        let (mut log, warning) = LogWriter::open(&path).unwrap();
        assert!(
            warning
                .unwrap()
                .contains("removed an incomplete last line (17 bytes")
        );
        log.append(&record(2, "2026-11-28")).unwrap();
        let read = read_from(&path, 0).unwrap();
        assert_eq!(read.records.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
        assert!(read.warnings.is_empty());
    }

    #[test]
    fn garbage_in_the_middle_is_skipped_with_its_line_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let mut text = serde_json::to_string(&record(1, "2026-11-27")).unwrap();
        text.push_str("\nnot json at all\n\n");
        text.push_str(&serde_json::to_string(&record(2, "2026-11-28")).unwrap());
        text.push('\n');
        std::fs::write(&path, text).unwrap();
        let read = read_from(&path, 0).unwrap();
        assert_eq!(read.records.len(), 2);
        assert_eq!(read.warnings.len(), 1);
        assert!(
            read.warnings[0].contains("skipped an unreadable record (line 2: expected"),
            "{:?}",
            read.warnings
        );
    }

    #[test]
    fn recent_records_are_read_from_the_end() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let (mut log, _) = LogWriter::open(&path).unwrap();
        let days = [
            "2026-11-20",
            "2026-11-26",
            "2026-11-27",
            "2026-11-27",
            "2026-11-28",
        ];
        // Enough records to span several read chunks.
        let mut id = 0;
        for day in days {
            for _ in 0..800 {
                id += 1;
                log.append(&record(id, day)).unwrap();
            }
        }
        let recent = read_recent(&path, "2026-11-27".parse().unwrap()).unwrap();
        assert_eq!(recent.len(), 2400);
        assert_eq!(recent.first().unwrap().id, 1601);
        assert_eq!(recent.last().unwrap().id, 4000);
        assert!(recent.windows(2).all(|w| w[0].id + 1 == w[1].id));
        assert_eq!(
            read_recent(&path, "2026-12-01".parse().unwrap()).unwrap().len(),
            0
        );
        assert_eq!(
            read_recent(&path, "2026-01-01".parse().unwrap()).unwrap().len(),
            4000
        );
        assert_eq!(
            read_recent(&dir.path().join("none"), "2026-01-01".parse().unwrap())
                .unwrap()
                .len(),
            0
        );
    }

    #[test]
    fn recent_records_are_found_after_the_clock_went_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let (mut log, _) = LogWriter::open(&path).unwrap();
        // Today's records, then one dated earlier (the clock went back), then today's again.
        for (id, day) in [
            (1, "2026-11-27"),
            (2, "2026-11-28"),
            (3, "2026-11-28"),
            (4, "2026-11-10"),
            (5, "2026-11-28"),
        ] {
            log.append(&record(id, day)).unwrap();
        }
        let recent = read_recent(&path, "2026-11-28".parse().unwrap()).unwrap();
        // Only record 5 was found when reading stopped at the first older record.
        assert_eq!(recent.iter().map(|r| r.id).collect::<Vec<_>>(), [2, 3, 5]);
    }

    /// A full disk is tried on a real file system in the store's fault tests.
    #[test]
    fn the_log_is_never_written_through_a_link_or_to_a_device() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        std::os::unix::fs::symlink("/dev/full", &path).unwrap();
        let error = LogWriter::open(&path).unwrap_err().to_string();
        assert!(error.contains("symbolic link"), "{error}");
        let mut read = Vec::new();
        let error = for_each_from(&path, 0, &mut read, |_| {})
            .unwrap_err()
            .to_string();
        assert!(error.contains("symbolic link"), "{error}");
    }

    #[test]
    fn a_line_longer_than_the_limit_is_skipped_and_the_rest_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("reviews.jsonl");
        let mut text = serde_json::to_string(&record(1, "2026-11-28")).unwrap();
        text.push('\n');
        text.push_str(&"x".repeat(MAX_LINE + 3));
        text.push('\n');
        text.push_str(&serde_json::to_string(&record(2, "2026-11-28")).unwrap());
        text.push('\n');
        std::fs::write(&path, &text).unwrap();
        let read = read_from(&path, 0).unwrap();
        assert_eq!(read.records.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(read.warnings.len(), 1);
        assert!(
            read.warnings[0].contains("line 2: longer than 16 MiB"),
            "{:?}",
            read.warnings
        );
        let recent = read_recent(&path, "2026-11-28".parse().unwrap()).unwrap();
        assert_eq!(recent.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
        // A long line that is a record is read whole, forwards and backwards.
        let mut long = record(3, "2026-11-28");
        long.card = "c".repeat(MAX_LINE / 2);
        let mut text = serde_json::to_string(&long).unwrap();
        text.push('\n');
        std::fs::write(&path, &text).unwrap();
        assert_eq!(read_from(&path, 0).unwrap().records, [long.clone()]);
        assert_eq!(read_recent(&path, "2026-11-28".parse().unwrap()).unwrap(), [long]);
    }
}
