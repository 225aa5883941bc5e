//! `recall review` (and plain `recall`): today's session, full screen or `--plain`.

use std::io::{IsTerminal, Write};

use super::{Context, selection, start_if_new, stdout_error, today};
use crate::cli::ReviewArgs;
use crate::error::{Error, Result};
use crate::queue::{Mode, Options};
use crate::session::Session;
use crate::{plain, tui};

pub fn run(context: &Context, args: &ReviewArgs, out: &mut impl Write) -> Result<()> {
    let terminal = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if !args.plain && !terminal {
        return Err(Error::invalid(
            "the review screen needs a terminal (stdin and stdout are not both a TTY); \
             use `recall review --plain` for a line-by-line review",
        ));
    }
    let mut store = context.open_for_writing()?;
    start_if_new(&mut store)?;
    let (now, today) = today(&store)?;
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
        let stdin = std::io::stdin();
        plain::run(session, &mut stdin.lock(), out)?;
        return Ok(());
    }
    if let Some(summary) = tui::run(session)? {
        plain::write_summary(&summary, out).map_err(stdout_error)?;
    }
    Ok(())
}
