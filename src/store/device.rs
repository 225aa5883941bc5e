//! This device's id: the name of its log (`logs/ID.jsonl`), the only file it writes records
//! to. The id is made on first use and kept in `device.json`, which never leaves this machine
//! (sync tools are told to ignore it) and remembers the machine and directory it was made
//! for: a data directory copied to another machine or place gets an id of its own, so two
//! devices never append to one log. `RECALL_DEVICE` names the device instead.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The environment variable that names this device.
pub(crate) const VARIABLE: &str = "RECALL_DEVICE";

/// The file that keeps the id.
pub(crate) const FILE: &str = "device.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Saved {
    id: String,
    /// The machine it was made on.
    machine: String,
    /// The data directory it was made for.
    dir: String,
}

/// This device's id for a data directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Device {
    pub(crate) id: String,
    /// Said once, when the directory turned out to be a copy and the device got a new id.
    pub(crate) notice: Option<String>,
    /// The id is new: [`save`] keeps it, before the first record is written with it.
    pub(crate) unsaved: bool,
}

/// The id of this device for the data directory `dir`. Nothing is written: a new id is kept
/// by [`save`] once a record is written with it.
pub(crate) fn id(dir: &Path) -> Result<Device> {
    if let Ok(named) = std::env::var(VARIABLE) {
        check(&named).map_err(|reason| Error::usage(format!("{VARIABLE}={named:?} {reason}")))?;
        return Ok(Device {
            id: named,
            notice: None,
            unsaved: false,
        });
    }
    let file = dir.join(FILE);
    let here = Saved {
        id: String::new(),
        machine: machine(),
        dir: std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
            .to_string(),
    };
    let saved: Option<Saved> = crate::files::read(&file, crate::files::Links::Refuse)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .filter(|saved: &Saved| check(&saved.id).is_ok());
    let notice = match &saved {
        Some(saved) if saved.machine == here.machine && saved.dir == here.dir => {
            return Ok(Device {
                id: saved.id.clone(),
                notice: None,
                unsaved: false,
            });
        }
        Some(saved) => Some(saved.id.clone()),
        None => None,
    };
    let id = new_id(&here.machine);
    let notice = notice.map(|old| {
        format!(
            "this data directory was made on another machine or in another place (device {old:?}): \
             this device is now {id:?}, with a log of its own"
        )
    });
    Ok(Device {
        id,
        notice,
        unsaved: true,
    })
}

/// Keeps `id` as this device's id for the data directory `dir`.
pub(crate) fn save(dir: &Path, id: &str) -> Result<()> {
    let file = dir.join(FILE);
    let saved = Saved {
        id: id.to_string(),
        machine: machine(),
        dir: std::fs::canonicalize(dir)
            .unwrap_or_else(|_| dir.to_path_buf())
            .display()
            .to_string(),
    };
    let json = serde_json::to_vec_pretty(&saved).map_err(|e| Error::io(&file, e.into()))?;
    super::atomic::replace(&file, |out| out.write_all(&json))
}

/// Refuses an id that cannot name a file everywhere.
pub(crate) fn check(id: &str) -> std::result::Result<(), &'static str> {
    // No dot: a sync tool's copy of a log (`laptop.sync-conflict-....jsonl`) is no device's.
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if id.is_empty() || id.len() > 64 {
        Err("must be 1 to 64 characters long")
    } else if !id.chars().all(allowed) {
        Err("may hold only letters, digits, '-' and '_'")
    } else {
        Ok(())
    }
}

/// The machine's name and id, as far as they can be read.
fn machine() -> String {
    let read = |path: &str| {
        std::fs::read_to_string(path)
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    };
    format!("{}/{}", host_name(), read("/etc/machine-id"))
}

fn host_name() -> String {
    let from_file = std::fs::read_to_string("/etc/hostname").map(|s| s.trim().to_string());
    from_file
        .ok()
        .filter(|name| !name.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_else(|| "device".to_string())
}

/// A readable id: the host's name (letters and digits), a dash and four random characters.
fn new_id(machine: &str) -> String {
    use std::hash::{BuildHasher, RandomState};
    let name: String = host_name()
        .to_lowercase()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(20)
        .collect();
    let name = if name.is_empty() {
        "device".to_string()
    } else {
        name
    };
    let mut x = RandomState::new().hash_one((machine, std::process::id()));
    let mut suffix = String::new();
    for _ in 0..4 {
        suffix.push(char::from(
            b"0123456789abcdefghijklmnopqrstuvwxyz"[(x % 36) as usize],
        ));
        x /= 36;
    }
    format!("{name}-{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_file_names_everywhere() {
        assert!(check("laptop-3f9a").is_ok());
        assert!(check("Desktop_2").is_ok());
        for bad in [
            "",
            ".hidden",
            "a/b",
            "a b",
            "é",
            "laptop.sync-conflict-1",
            &"x".repeat(65),
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        let id = new_id("m");
        assert!(check(&id).is_ok(), "{id}");
    }
}
