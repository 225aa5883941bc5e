//! `recall review` (and plain `recall`): today's session, full screen or `--plain`.

use std::io::{IsTerminal, Write};

use super::{Context, selection, stdout_error};
use crate::cli::ReviewArgs;
use crate::clock;
use crate::error::{Error, Result};
use crate::review::plain;
use crate::review::queue::{Mode, Options};
use crate::review::session::Session;
use crate::review::summary::write_summary;
use crate::tui;

pub(super) fn run(context: &Context, args: &ReviewArgs, out: &mut impl Write) -> Result<()> {
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !args.plain && !terminal {
        return Err(Error::usage(
            "the review screen needs a terminal (stdin and stdout are not both a TTY); \
             use `recall review --plain` for a line-by-line review",
        ));
    }
    let mut store = context.open_for_writing()?;
    let (now, today) = (context.now, context.today(&store));
    let stamp = context.stamp(&store);
    let first_run = super::first_run::start_if_new(&mut store, stamp)?;
    let mode = if args.cram {
        let seed = now.timestamp_nanos_opt().unwrap_or_default() as u64;
        Mode::Cram {
            shuffle: args.shuffle.then_some(seed),
        }
    } else {
        Mode::Scheduled { new_cards: args.new }
    };
    let options = Options {
        selection: selection(&store, &args.deck, &args.section)?,
        mode,
        limit: args.limit,
    };
    let session = Session::start(store, &options, today)?;
    if args.plain {
        if let Some(notice) = &first_run {
            super::say(notice);
        }
        let stdin = std::io::stdin();
        plain::run(session, &mut stdin.lock(), out, clock::now)?;
        return Ok(());
    }
    // The screen shows the first-run notice on its status line; it is said again after the
    // screen closes, where it stays.
    let summary = tui::run(session, now, first_run.clone())?;
    if let Some(notice) = &first_run {
        super::say(notice);
    }
    if let Some(summary) = summary {
        write_summary(&summary, out).map_err(stdout_error)?;
    }
    Ok(())
}
