//! The order of the collection's records: each device's log in its own order, the logs merged
//! by time. A record's time for ordering is the latest time its device's log has reached, so a
//! clock set back never puts a device's records out of the order it wrote them; ties go by
//! device id, then record id. Every device that has the same records applies them in the
//! same order and so shows the same collection.

use std::cmp::Ordering;
use std::path::PathBuf;
use std::sync::mpsc;

use serde::{Deserialize, Serialize};

use super::log::{self, Logged};
use crate::error::Result;
use crate::schedule::day::Timestamp;

/// Where a record stands in the collection's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Key {
    pub(crate) at: Timestamp,
    pub(crate) device: String,
    pub(crate) id: u64,
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.at
            .cmp(&other.at)
            .then_with(|| self.device.cmp(&other.device))
            .then_with(|| self.id.cmp(&other.id))
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// How far one device's log has been read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Position {
    pub(crate) device: String,
    /// The byte after the last complete change read.
    pub(crate) offset: u64,
    /// The id of the last record read (0 before the first).
    pub(crate) last_id: u64,
    /// How many records were read.
    #[serde(default)]
    pub(crate) records: u64,
    /// The latest time among the records read: the ordering time of the next one is at least
    /// this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) clock: Option<Timestamp>,
}

impl Position {
    pub(crate) fn start(device: &str) -> Position {
        Position {
            device: device.to_string(),
            offset: 0,
            last_id: 0,
            records: 0,
            clock: None,
        }
    }

    /// The ordering key of `record`, the next record of this log, and moves past it.
    pub(super) fn advance(&mut self, record: &impl Logged, end: u64) -> Key {
        let at = [self.clock, record.follows()]
            .into_iter()
            .flatten()
            .fold(record.at(), std::cmp::max);
        self.clock = Some(at);
        self.offset = end;
        self.last_id = self.last_id.max(record.id());
        self.records += 1;
        Key {
            at,
            device: self.device.clone(),
            id: record.id(),
        }
    }
}

/// A log to read from a position.
#[derive(Debug, Clone)]
pub(crate) struct Source {
    pub(crate) path: PathBuf,
    pub(crate) position: Position,
}

/// Reads every source from its position and calls `each` with the records in the collection's
/// order; a record whose id is not above its log's last one (a log copied into itself) is left
/// out with a warning. Positions move to where each log's complete changes end.
pub(crate) fn read<R: Logged>(
    sources: &mut [Source],
    warnings: &mut Vec<String>,
    mut each: impl FnMut(&Key, R),
) -> Result<()> {
    // A log that ends at its position has nothing to read: no reader, no thread.
    let mut unread: Vec<&mut Source> = sources.iter_mut().filter(|s| !s.ends_at_position()).collect();
    match unread.as_mut_slice() {
        [] => Ok(()),
        [one] => read_one(one, warnings, |key, record| each(&key, record)),
        many => merge(many, warnings, each),
    }
}

impl Source {
    /// The log is a file that ends where the position is.
    fn ends_at_position(&self) -> bool {
        std::fs::symlink_metadata(&self.path)
            .is_ok_and(|meta| meta.is_file() && meta.len() == self.position.offset)
    }
}

/// One log, in its own order.
fn read_one<R: Logged>(
    source: &mut Source,
    warnings: &mut Vec<String>,
    mut each: impl FnMut(Key, R),
) -> Result<()> {
    let path = source.path.clone();
    let mut position = source.position.clone();
    let mut out_of_order = 0usize;
    let end = log::read_changes(&path, position.offset, warnings, |record: R, end| {
        if record.id() <= position.last_id {
            out_of_order += 1;
            position.offset = end;
            return;
        }
        let key = position.advance(&record, end);
        each(key, record);
    })?;
    if out_of_order > 0 {
        warnings.push(format!(
            "{}: skipped {} whose ids do not increase (a copy of a part of the log?)",
            path.display(),
            crate::text::plural(out_of_order, "record")
        ));
    }
    position.offset = end;
    source.position = position;
    Ok(())
}

/// Several logs: each is read on a thread of its own, and the heads are merged by key.
fn merge<R: Logged>(
    sources: &mut [&mut Source],
    warnings: &mut Vec<String>,
    mut each: impl FnMut(&Key, R),
) -> Result<()> {
    std::thread::scope(|scope| {
        let mut readers = Vec::new();
        for source in sources.iter_mut() {
            let (send, receive) = mpsc::sync_channel::<(Key, R)>(4096);
            let reader = scope.spawn(move || {
                let mut warnings = Vec::new();
                let read = read_one(source, &mut warnings, |key, record| {
                    // A closed channel means the merge stopped; nothing more is needed.
                    let _ = send.send((key, record));
                });
                read.map(|()| warnings)
            });
            readers.push((receive, reader));
        }
        let mut heads: Vec<Option<(Key, R)>> =
            readers.iter().map(|(receive, _)| receive.recv().ok()).collect();
        loop {
            let next = heads
                .iter()
                .enumerate()
                .filter_map(|(at, head)| head.as_ref().map(|(key, _)| (at, key)))
                .min_by(|a, b| a.1.cmp(b.1))
                .map(|(at, _)| at);
            let Some(at) = next else {
                break;
            };
            let refill = readers[at].0.recv().ok();
            if let Some((key, record)) = std::mem::replace(&mut heads[at], refill) {
                each(&key, record);
            }
        }
        for (_, reader) in readers {
            let read = reader
                .join()
                .map_err(|_| crate::error::Error::internal("a log reader stopped"))?;
            warnings.extend(read?);
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{Kind, Record};
    use crate::store::log::LogWriter;

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text).unwrap()
    }

    fn record(id: u64, when: &str) -> Record {
        Record {
            id,
            ..Record::new(
                Kind::Bury,
                &format!("c{id}"),
                crate::core::Stamp {
                    at: at(when),
                    day: at(when).date_naive(),
                },
            )
        }
    }

    fn write(dir: &std::path::Path, device: &str, records: &[Record]) -> Source {
        let path = dir.join(format!("{device}.jsonl"));
        let (mut writer, _) = LogWriter::open(&path).unwrap();
        writer.append_all(records).unwrap();
        Source {
            path,
            position: Position::start(device),
        }
    }

    fn order(sources: &mut [Source]) -> Vec<(String, u64)> {
        let mut seen = Vec::new();
        read(sources, &mut Vec::new(), |key, record: Record| {
            seen.push((key.device.clone(), record.id))
        })
        .unwrap();
        seen
    }

    #[test]
    fn logs_merge_by_time_and_a_clock_set_back_keeps_a_devices_order() {
        let dir = tempfile::tempdir().unwrap();
        let laptop = write(
            dir.path(),
            "laptop",
            &[
                record(1, "2026-03-02T10:00:00Z"),
                // The laptop's clock went back an hour: still after its record 1.
                record(2, "2026-03-02T09:00:00Z"),
                record(3, "2026-03-02T12:00:00Z"),
            ],
        );
        let desktop = write(
            dir.path(),
            "desktop",
            &[
                record(1, "2026-03-02T09:30:00Z"),
                record(2, "2026-03-02T11:00:00Z"),
            ],
        );
        let mut both = [laptop, desktop];
        let seen = order(&mut both);
        let names: Vec<String> = seen.iter().map(|(d, id)| format!("{d}{id}")).collect();
        assert_eq!(names, ["desktop1", "laptop1", "laptop2", "desktop2", "laptop3"]);
        // Read again from where they stopped: nothing new.
        assert!(order(&mut both).is_empty());
        assert_eq!(both[0].position.last_id, 3);
        // The same logs, listed the other way round, give the same order.
        let mut swapped = [
            Source {
                position: Position::start("desktop"),
                ..both[1].clone()
            },
            Source {
                position: Position::start("laptop"),
                ..both[0].clone()
            },
        ];
        assert_eq!(order(&mut swapped), seen);
    }
}
