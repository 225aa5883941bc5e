//! Files of one JSON value per line, made and read on every core: the logs, and the card
//! caches (a header object whose last key is `"cards"`, then one card per line). At 100,000
//! cards, opening, an import and the save at the end of a session are mostly this.

use std::io::Write;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::cores::each_on_a_thread;

/// How many lines a thread takes at least: fewer are quicker on the caller's thread.
const LINES_PER_THREAD: usize = 8192;

const CARDS: &str = "\"cards\":[\n";
const END: &str = "\n]}\n";

/// The threads worth starting for `lines` lines.
fn threads_for(lines: usize) -> usize {
    crate::cores::cores()
        .clamp(1, 8)
        .min(lines.div_ceil(LINES_PER_THREAD))
        .max(1)
}

/// A cache as [`write`] lays it out: its header (read with an empty card list) and its card
/// lines, still to be read; `None` when it is laid out otherwise.
pub(super) fn split<H: DeserializeOwned>(bytes: &[u8]) -> Option<(H, Lines<'_>)> {
    let at = memchr::memmem::find(bytes, CARDS.as_bytes())?;
    let header = std::str::from_utf8(&bytes[..at]).ok()?;
    let body = match &bytes[at + CARDS.len()..] {
        b"]}\n" => &[],
        rest => rest.strip_suffix(END.as_bytes())?,
    };
    let header: H = serde_json::from_str(&format!("{header}\"cards\":[]}}")).ok()?;
    Some((header, Lines(body)))
}

/// The card lines of a cache, joined by ",\n".
pub(super) struct Lines<'a>(&'a [u8]);

impl Lines<'_> {
    /// Each line read with `read`, in order, on every core; an error a line
    /// gives. `Err(None)` when the lines are not UTF-8, or too many for their size. The list is
    /// made once, and each thread writes its own part of it: lists made by each thread and
    /// joined cost twice the fresh memory, which is what opening a large collection pays most
    /// for, and a list filled first on one thread pays it on one core.
    pub(super) fn read<T: Send, E: Send>(
        &self,
        read: impl Fn(&str) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, Option<E>> {
        let parts = self.parts();
        let count: usize = parts.iter().map(|(_, lines)| lines).sum();
        // Real lines are longer than a value: a file of mostly empty lines is no list of
        // values, and is not given a list many times its size.
        if count.saturating_mul(std::mem::size_of::<T>()) > self.0.len().saturating_mul(8) {
            return Err(None);
        }
        let mut all: Vec<T> = Vec::with_capacity(count);
        let firsts: Vec<usize> = parts
            .iter()
            .scan(0, |first, &(_, lines)| {
                Some(std::mem::replace(first, *first + lines))
            })
            .collect();
        let work = slots_for(parts, &mut all.spare_capacity_mut()[..count]).ok_or(None)?;
        let read = &read;
        let outcomes = each_on_a_thread(work, |(part, slots)| {
            let mut written = 0;
            let done = update_part(part, slots, |line, slot| {
                slot.write(read(line)?);
                written += 1;
                Ok(())
            });
            (done, written)
        });
        if outcomes.iter().all(|(done, _)| done.is_ok()) {
            // SAFETY: every part wrote all of its slots (`update_part` takes exactly one line
            // per slot), and the parts' slots are the first `count`.
            unsafe { all.set_len(count) };
            return Ok(all);
        }
        // A line could not be read: what was read is dropped, part by part.
        let slots = all.spare_capacity_mut();
        let mut first_error = None;
        for ((done, written), first) in outcomes.into_iter().zip(firsts) {
            for slot in &mut slots[first..first + written] {
                // SAFETY: this part wrote its first `written` slots, each once.
                unsafe { slot.assume_init_drop() };
            }
            if let (Err(error), None) = (done, &first_error) {
                first_error = Some(error);
            }
        }
        Err(first_error.flatten())
    }

    /// Each item of `items` updated with its line by `update`, in order, on every core; an
    /// error a line gives. `Err(None)` when the lines are not UTF-8 or not one
    /// per item.
    pub(super) fn update<T: Send, E: Send>(
        &self,
        items: &mut [T],
        update: impl Fn(&str, &mut T) -> Result<(), E> + Sync,
    ) -> Result<(), Option<E>> {
        update_parts(self.parts(), items, update)
    }

    /// The lines cut into a part per thread (see [`cut`]), with how many lines each has.
    fn parts(&self) -> Vec<(&[u8], usize)> {
        counted(cut(self.0, threads_for(self.0.len() / 100)))
    }
}

/// Each part with how many lines it has, counted on a thread of its own.
fn counted(parts: Vec<&[u8]>) -> Vec<(&[u8], usize)> {
    each_on_a_thread(parts, |part| (part, memchr::memchr_iter(b'\n', part).count() + 1))
}

/// `body` cut into about `count` parts of about the same size, each ending before a line
/// break: every line of `body` is in one part, whole.
fn cut(body: &[u8], count: usize) -> Vec<&[u8]> {
    let size = body.len().div_ceil(count.max(1)).max(1);
    let mut rest = body;
    // A part is still due: the body is not empty, or the last cut was at a line break
    // (an empty last line follows it).
    let mut due = !body.is_empty();
    std::iter::from_fn(move || {
        if !due {
            return None;
        }
        let end = match rest.get(size..).and_then(|after| memchr::memchr(b'\n', after)) {
            Some(at) => size + at,
            None => rest.len(),
        };
        let part = &rest[..end];
        due = end < rest.len();
        rest = rest.get(end + 1..).unwrap_or_default();
        Some(part)
    })
    .collect()
}

/// The items updated with the lines of `parts`, each part on a thread of its own;
/// `Err(None)` when the lines are not UTF-8 or not one per item.
fn update_parts<T: Send, E: Send>(
    parts: Vec<(&[u8], usize)>,
    items: &mut [T],
    update: impl Fn(&str, &mut T) -> Result<(), E> + Sync,
) -> Result<(), Option<E>> {
    let work = slots_for(parts, items).ok_or(None)?;
    each_on_a_thread(work, |(part, slots)| update_part(part, slots, &update))
        .into_iter()
        .collect()
}

/// Each part with its own run of `items`, one per line; `None` when they are not as many as
/// the lines.
fn slots_for<'p, 'i, T>(
    parts: Vec<(&'p [u8], usize)>,
    items: &'i mut [T],
) -> Option<Vec<(&'p [u8], &'i mut [T])>> {
    let mut work = Vec::with_capacity(parts.len());
    let mut rest = items;
    for (part, lines) in parts {
        let (these, after) = rest.split_at_mut_checked(lines)?;
        work.push((part, these));
        rest = after;
    }
    rest.is_empty().then_some(work)
}

/// The items of `slots` updated with the lines of `part`, one per line; a line break is never
/// inside a JSON value, so each line is an entry, and its comma is taken off.
fn update_part<T, E>(
    part: &[u8],
    slots: &mut [T],
    mut update: impl FnMut(&str, &mut T) -> Result<(), E>,
) -> Result<(), Option<E>> {
    let text = std::str::from_utf8(part).map_err(|_| None)?;
    // A byte search for the line breaks: a two-byte pattern is a slow one.
    let mut lines = text.split('\n');
    for slot in slots {
        let line = lines.next().ok_or(None)?;
        update(line.strip_suffix(',').unwrap_or(line), slot).map_err(Some)?;
    }
    match lines.next() {
        None => Ok(()),
        Some(_) => Err(None),
    }
}

/// How many items a thread makes into its buffer before the buffers are written: they are
/// used again, so that a file of any size is made in a few megabytes.
const ITEMS_PER_ROUND: usize = 8192;

/// `start` (the header up to the card list's `[`), then each item as `entry` makes it, one
/// per line, then the closing `]}`.
pub(super) fn write<'a, I: Sync, T: Serialize>(
    out: &mut dyn Write,
    items: &'a [I],
    entry: impl Fn(&'a I) -> T + Sync,
    start: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    start(out)?;
    write_each(out, items, |at, item, bytes| {
        bytes.extend_from_slice(if at == 0 { b"\n" } else { b",\n" });
        Ok(serde_json::to_writer(bytes, &entry(item))?)
    })?;
    out.write_all(END.as_bytes())
}

/// Each item made into bytes by `make` (given its position), on every core, and written in
/// order; returns how many bytes were written.
pub(super) fn write_each<'a, I: Sync>(
    out: &mut dyn Write,
    items: &'a [I],
    make: impl Fn(usize, &'a I, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<u64> {
    let threads = threads_for(items.len());
    let mut buffers = vec![Vec::new(); threads];
    let make = &make;
    // Each buffer is moved into the thread that fills it: two threads pushing to buffers whose
    // lengths share a cache line ran slower than one.
    let fill = move |first: usize, part: &'a [I], mut bytes: Vec<u8>| {
        bytes.clear();
        for (n, item) in part.iter().enumerate() {
            make(first + n, item, &mut bytes)?;
        }
        std::io::Result::Ok(bytes)
    };
    let mut written = 0u64;
    for (round, items) in items.chunks(threads * ITEMS_PER_ROUND).enumerate() {
        let first = round * threads * ITEMS_PER_ROUND;
        let work: Vec<_> = items
            .chunks(ITEMS_PER_ROUND)
            .zip(buffers.iter_mut())
            .enumerate()
            .map(|(n, (part, bytes))| (first + n * ITEMS_PER_ROUND, part, std::mem::take(bytes)))
            .collect();
        let used = work.len();
        // A grade's record is one part: made on this thread.
        let made = each_on_a_thread(work, |(first, part, bytes)| fill(first, part, bytes));
        for (bytes, made) in buffers.iter_mut().zip(made) {
            *bytes = made?;
        }
        for bytes in &buffers[..used] {
            out.write_all(bytes)?;
            written += bytes.len() as u64;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_read_once_in_order_whatever_the_threads() {
        for count in [0usize, 1, 2, 3, 17, 20_000] {
            let items: Vec<u32> = (0..count as u32).collect();
            let mut file = Vec::new();
            write(&mut file, &items, |n| n, |out| write!(out, "{{\"cards\":[")).unwrap();
            let (header, lines) = split::<serde_json::Value>(&file).expect("laid out as written");
            assert_eq!(header["cards"], serde_json::json!([]));
            let read = lines.read(|line| line.parse::<u32>());
            let read = read.unwrap_or_else(|_| panic!("{count} lines"));
            assert_eq!(read, items, "{count} lines");
            for threads in 1..=5 {
                // Cut in parts whatever the cores, each read on a thread of its own.
                let mut again = vec![0; count];
                let parts = counted(cut(lines.0, threads));
                update_parts(parts, &mut again, |line, n| {
                    *n = line.parse::<u32>()?;
                    Ok::<_, std::num::ParseIntError>(())
                })
                .unwrap_or_else(|_| panic!("{count} lines in {threads} parts"));
                assert_eq!(again, items, "{count} lines in {threads} parts");
            }
            let whole: serde_json::Value = serde_json::from_slice(&file).expect("JSON");
            assert_eq!(whole["cards"].as_array().map(Vec::len), Some(count));
        }
    }

    #[test]
    fn a_cut_keeps_every_line_whole_and_in_order() {
        let bodies: [&[u8]; 8] = [
            b"",
            b"\n",
            b"a",
            b"a\n",
            b"\na",
            b"ab\ncd\n\nef",
            b"a\nb\nc\nd\n",
            b"\n\n\n",
        ];
        for body in bodies {
            let lines: Vec<&[u8]> = if body.is_empty() {
                Vec::new()
            } else {
                body.split(|&b| b == b'\n').collect()
            };
            for count in 1..=12 {
                let parts = counted(cut(body, count));
                let mut again = Vec::new();
                for (part, n) in &parts {
                    let these: Vec<&[u8]> = part.split(|&b| b == b'\n').collect();
                    assert_eq!(these.len(), *n, "{body:?} in {count}");
                    again.extend(these);
                }
                assert_eq!(again, lines, "{body:?} in {count}");
            }
        }
    }

    #[test]
    fn the_values_read_before_a_bad_line_are_dropped() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static MADE: AtomicUsize = AtomicUsize::new(0);
        static DROPPED: AtomicUsize = AtomicUsize::new(0);
        struct Counted;
        impl Drop for Counted {
            fn drop(&mut self) {
                DROPPED.fetch_add(1, Ordering::SeqCst);
            }
        }
        // Long enough for a part per core; the bad line is in the last part.
        let body: Vec<String> = (0..40_000)
            .map(|n| {
                if n == 30_000 {
                    "bad".into()
                } else {
                    format!("{n:0>50}")
                }
            })
            .collect();
        let body = body.join("\n");
        let read = Lines(body.as_bytes()).read(|line| {
            if line == "bad" {
                return Err(());
            }
            MADE.fetch_add(1, Ordering::SeqCst);
            Ok(Counted)
        });
        assert!(matches!(read, Err(Some(()))));
        assert!(MADE.load(Ordering::SeqCst) > 0);
        assert_eq!(DROPPED.load(Ordering::SeqCst), MADE.load(Ordering::SeqCst));
    }

    #[test]
    fn a_file_of_mostly_empty_lines_is_not_read_into_a_list() {
        let body = vec![b'\n'; 100_000];
        let read = Lines(&body).read(|_| Err::<[u64; 8], ()>(()));
        assert!(matches!(read, Err(None)));
    }
}
