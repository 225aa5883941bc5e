//! `recall sync`: this device's records out, the other devices' in, through a git remote.

use std::io::Write;

use super::{Context, plural, stdout_error};
use crate::cli::SyncArgs;
use crate::error::{Error, Result};
use crate::sync::{self, Moved};

pub(super) fn run(context: &Context, args: &SyncArgs, out: &mut impl Write) -> Result<()> {
    let dir = context.dir()?;
    let line = match &args.init {
        Some(url) if crate::store::holds_collection(&dir) => {
            let mut store = context.open_for_writing()?;
            let moved = sync::init_with_collection(&mut store, url)?;
            format!("sync: set up with {url}; {}", summary(&moved))
        }
        Some(url) => {
            let empty = std::fs::read_dir(&dir).map_or(true, |mut entries| entries.next().is_none());
            if !empty {
                return Err(Error::usage(format!(
                    "{} holds files but no collection: clone into an empty directory (--data-dir DIR)",
                    dir.display()
                )));
            }
            sync::clone_into(&dir, url)?;
            format!("sync: cloned the collection of {url}")
        }
        None => {
            let mut store = context.open_existing_for_writing()?;
            let moved = sync::sync(&mut store)?;
            format!("sync: {}", summary(&moved))
        }
    };
    // What arrived is folded into the caches now, so the next command starts quickly.
    let mut store = context.open_for_writing()?;
    store.save()?;
    writeln!(out, "{line}").map_err(stdout_error)
}

/// `received 132 reviews from desktop, sent 57 reviews`.
fn summary(moved: &Moved) -> String {
    let received: Vec<String> = moved
        .received
        .iter()
        .map(|(device, counts)| format!("{} from {device}", records(*counts)))
        .collect();
    let received = if received.is_empty() {
        "received nothing".to_string()
    } else {
        format!("received {}", received.join(", "))
    };
    let sent = if moved.sent == (0, 0) {
        "sent nothing".to_string()
    } else {
        format!("sent {}", records(moved.sent))
    };
    format!("{received}, {sent}")
}

/// `132 reviews`, `132 reviews and 3 other changes`, `3 other changes`.
fn records((reviews, other): (usize, usize)) -> String {
    match (reviews, other) {
        (reviews, 0) => plural(reviews, "review"),
        (0, other) => format!(
            "{} other {}",
            other,
            if other == 1 { "change" } else { "changes" }
        ),
        (reviews, other) => format!(
            "{} and {} other {}",
            plural(reviews, "review"),
            other,
            if other == 1 { "change" } else { "changes" }
        ),
    }
}
