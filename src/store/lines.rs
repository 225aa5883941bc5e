//! Files of one JSON value per line, made and read on every core: the logs, and the card
//! caches (a header object whose last key is `"cards"`, then one card per line). At 100,000
//! cards, opening, an import and the save at the end of a session are mostly this.

use std::io::Write;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// How many lines a thread takes at least: fewer are quicker on the caller's thread.
const LINES_PER_THREAD: usize = 8192;

const CARDS: &str = "\"cards\":[\n";
const END: &str = "\n]}\n";

/// The threads worth starting for `lines` lines.
fn threads_for(lines: usize) -> usize {
    let cores = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    cores.min(lines.div_ceil(LINES_PER_THREAD)).max(1)
}

/// A cache as [`write`] lays it out: its header (read with an empty card list) and its card
/// lines, still to be read; `None` when it is laid out otherwise.
pub(super) fn split<H: DeserializeOwned>(bytes: &[u8]) -> Option<(H, Lines<'_>)> {
    let at = bytes
        .windows(CARDS.len())
        .position(|window| window == CARDS.as_bytes())?;
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
    /// Each line read with `read`, in order, on up to `threads` threads; the first error a
    /// thread meets. `Err(None)` when the lines are not UTF-8. The list is made once, of
    /// `blank` values that the threads replace: lists made by each thread and joined cost
    /// twice the fresh memory, which is what opening a large collection pays most for.
    pub(super) fn read<T: Send, E: Send>(
        &self,
        threads: usize,
        blank: impl Fn() -> T,
        read: impl Fn(&str) -> Result<T, E> + Sync,
    ) -> Result<Vec<T>, Option<E>> {
        let parts = self.parts(threads);
        let count = parts.iter().map(|(_, lines)| lines).sum();
        let mut all: Vec<T> = std::iter::repeat_with(blank).take(count).collect();
        update_parts(parts, &mut all, |line, value| {
            *value = read(line)?;
            Ok(())
        })?;
        Ok(all)
    }

    /// Each item of `items` updated with its line by `update`, in order, on up to `threads`
    /// threads; the first error a thread meets. `Err(None)` when the lines are not UTF-8 or
    /// not one per item.
    pub(super) fn update<T: Send, E: Send>(
        &self,
        items: &mut [T],
        threads: usize,
        update: impl Fn(&str, &mut T) -> Result<(), E> + Sync,
    ) -> Result<(), Option<E>> {
        update_parts(self.parts(threads), items, update)
    }

    /// The lines cut into a part per thread, of about the same size, each ending before a
    /// line break; with how many lines each has.
    fn parts(&self, threads: usize) -> Vec<(&[u8], usize)> {
        let count = threads_for(self.0.len() / 100).min(threads.max(1));
        let mut rest = self.0;
        let size = rest.len().div_ceil(count).max(1);
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let end = match rest
                .get(size..)
                .and_then(|after| after.iter().position(|&b| b == b'\n'))
            {
                Some(at) => size + at,
                None => rest.len(),
            };
            let part = &rest[..end];
            rest = rest.get(end + 1..).unwrap_or_default();
            Some((part, memchr::memchr_iter(b'\n', part).count() + 1))
        })
        .collect()
    }
}

/// The items updated with the lines of `parts`, each part on a thread of its own;
/// `Err(None)` when the lines are not UTF-8 or not one per item.
fn update_parts<T: Send, E: Send>(
    parts: Vec<(&[u8], usize)>,
    items: &mut [T],
    update: impl Fn(&str, &mut T) -> Result<(), E> + Sync,
) -> Result<(), Option<E>> {
    let mut slots = Vec::with_capacity(parts.len());
    let mut rest = items;
    for &(_, lines) in &parts {
        let (these, after) = rest.split_at_mut_checked(lines).ok_or(None)?;
        slots.push(these);
        rest = after;
    }
    if !rest.is_empty() {
        return Err(None);
    }
    let update = &update;
    if let ([(part, _)], [slots]) = (parts.as_slice(), slots.as_mut_slice()) {
        return update_part(part, slots, update);
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = parts
            .into_iter()
            .zip(slots)
            .map(|((part, _), slots)| scope.spawn(move || update_part(part, slots, update)))
            .collect();
        workers.into_iter().try_for_each(|worker| {
            worker
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    })
}

/// The items of `slots` updated with the lines of `part`, one per line; a line break is never
/// inside a JSON value, so each line is an entry, and its comma is taken off.
fn update_part<T, E>(
    part: &[u8],
    slots: &mut [T],
    update: impl Fn(&str, &mut T) -> Result<(), E>,
) -> Result<(), Option<E>> {
    let text = std::str::from_utf8(part).map_err(|_| None)?;
    // A byte search for the line breaks: a two-byte pattern is a slow one.
    for (line, slot) in text.split('\n').zip(slots) {
        update(line.strip_suffix(',').unwrap_or(line), slot).map_err(Some)?;
    }
    Ok(())
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
        let parts = items.chunks(ITEMS_PER_ROUND);
        let used = parts.len();
        if used == 1 {
            // A grade's record: no thread to start.
            buffers[0] = fill(first, items, std::mem::take(&mut buffers[0]))?;
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = parts
                    .zip(buffers.iter_mut())
                    .enumerate()
                    .map(|(n, (part, bytes))| {
                        let bytes = std::mem::take(bytes);
                        scope.spawn(move || fill(first + n * ITEMS_PER_ROUND, part, bytes))
                    })
                    .collect();
                for (worker, bytes) in workers.into_iter().zip(buffers.iter_mut()) {
                    *bytes = worker
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                }
                std::io::Result::Ok(())
            })?;
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
            for threads in 1..=5 {
                let read = lines.read(threads, || 0, |line| line.parse::<u32>());
                let read = read.unwrap_or_else(|_| panic!("{count} lines on {threads} threads"));
                assert_eq!(read, items, "{count} lines on {threads} threads");
            }
            let whole: serde_json::Value = serde_json::from_slice(&file).expect("JSON");
            assert_eq!(whole["cards"].as_array().map(Vec::len), Some(count));
        }
    }
}
