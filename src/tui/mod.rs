//! The full-screen review: app state and update ([`app`]), drawing ([`view`], [`markdown`],
//! [`theme`]), and the event loop here, which is generic over ratatui's backend so tests can
//! drive the real loop on a `TestBackend`.

pub mod app;
mod cloze;
pub(crate) mod markdown;
pub mod pictures;
pub mod stats_view;
pub mod theme;
pub mod view;

use std::io;
use std::path::Path;

use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event};

use crate::clock::{self, Timestamp};
use crate::core::Selection;
use crate::error::{Error, Result};
use crate::import;
use crate::review::session::Session;
use crate::review::summary::Summary;
use crate::stats::{self, Stats};
use app::{App, Effect};
use stats_view::StatsScreen;
use theme::Theme;

/// Runs a review on the real terminal and returns the summary, if the session got that far.
/// The terminal is restored on every way out, panics included (ratatui's hook).
/// `notice` starts on the status line (the first-run notice).
pub(crate) fn run(session: Session, now: Timestamp, notice: Option<String>) -> Result<Option<Summary>> {
    let theme = Theme::from_env();
    let mut app = App::new(session, now);
    if let Some(notice) = notice {
        app.notify(notice);
    }
    let mut terminal = ratatui::try_init().map_err(terminal_error)?;
    app.set_pictures(pictures::Pictures::detect());
    let result = loop {
        match run_loop(
            &mut terminal,
            &mut app,
            &theme,
            || event::read().map(Some),
            clock::now,
        ) {
            Ok(Some(Effect::Open(image))) => {
                if let Err(error) = open_with_system(&image) {
                    app.say(error.to_string());
                }
            }
            Ok(Some(Effect::Edit { file, line })) => {
                ratatui::restore();
                let edited = open_editor(&file, line)
                    .and_then(|()| clock::now())
                    .and_then(|now| reimport(&mut app, &file, now));
                if let Err(error) = edited {
                    app.say(error.to_string());
                }
                terminal = ratatui::try_init().map_err(terminal_error)?;
                terminal.clear().map_err(terminal_error)?;
            }
            other => break other,
        }
    };
    ratatui::restore();
    result?;
    Ok(app.summary().cloned())
}

/// Re-imports the notes file the user just edited, and carries on with the session.
/// `now` is when the editor closed.
pub fn reimport(app: &mut App, file: &Path, now: Timestamp) -> Result<()> {
    let stamp = crate::core::Stamp {
        at: now,
        day: app.session().today(),
    };
    let shown = app.session().current().map(|(_, card)| card.id.clone());
    let request = import::Request {
        file: file.to_path_buf(),
        ..Default::default()
    };
    let report = app
        .session
        .change(|store| import::import_file(store, &request, stamp))?;
    app.after_edit(&report, shown.as_deref(), now)
}

/// Draws, waits for an event, reads the clock, updates; until the app asks to exit or to open
/// the editor, or `next_event` has no more events. Statistics the app asks for are gathered
/// here, at the time of the key that asked.
pub fn run_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    theme: &Theme,
    mut next_event: impl FnMut() -> io::Result<Option<Event>>,
    mut clock: impl FnMut() -> Result<Timestamp>,
) -> Result<Option<Effect>>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    loop {
        terminal
            .draw(|frame| view::draw(frame, app, theme))
            .map_err(|e| terminal_error(io::Error::other(e)))?;
        let Some(event) = next_event().map_err(terminal_error)? else {
            return Ok(None);
        };
        if let Event::Key(key) = event {
            let action = app.action_for(key);
            let now = clock()?;
            match app.update(action, now)? {
                None => {}
                Some(Effect::ShowStats) => {
                    let session = app.session();
                    let input = stats::gather(session.store(), &Selection::default(), session.today(), now)?;
                    app.show_stats(stats::compute(&input));
                }
                Some(effect) => return Ok(Some(effect)),
            }
        }
    }
}

/// Shows the statistics screen on the real terminal until a key closes it.
pub(crate) fn run_stats(stats: &Stats) -> Result<()> {
    let theme = Theme::from_env();
    let mut screen = StatsScreen::new(stats.clone());
    let mut terminal = ratatui::try_init().map_err(terminal_error)?;
    let result = stats_loop(&mut terminal, &mut screen, &theme, || event::read().map(Some));
    ratatui::restore();
    result
}

/// Draws the statistics screen and handles keys until one closes it (or events run out).
pub fn stats_loop<B: Backend>(
    terminal: &mut Terminal<B>,
    screen: &mut StatsScreen,
    theme: &Theme,
    mut next_event: impl FnMut() -> io::Result<Option<Event>>,
) -> Result<()>
where
    B::Error: std::error::Error + Send + Sync + 'static,
{
    loop {
        terminal
            .draw(|frame| {
                let area = frame.area();
                if area.width < view::MIN_WIDTH || area.height < view::MIN_HEIGHT {
                    view::too_small(frame, area, theme);
                } else {
                    stats_view::draw(frame, screen, theme);
                }
            })
            .map_err(|e| terminal_error(io::Error::other(e)))?;
        match next_event().map_err(terminal_error)? {
            None => return Ok(()),
            Some(Event::Key(key)) if key.kind != event::KeyEventKind::Release && screen.key(key) => {
                return Ok(());
            }
            Some(_) => {}
        }
    }
}

/// Opens `file` at `line` in `$EDITOR`, else `$VISUAL`, else `vi`, and waits for it.
fn open_editor(file: &Path, line: usize) -> Result<()> {
    let editor = ["EDITOR", "VISUAL"]
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.trim().is_empty())
        .unwrap_or_else(|| "vi".to_string());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(words)
        .arg(format!("+{line}"))
        .arg(file)
        .status()
        .map_err(|e| Error::usage(format!("could not start the editor {editor:?}: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "the editor {editor:?} exited with {status}; notes not re-imported"
        )))
    }
}

/// Opens `target` (a file or a URL) with the system's opener, without waiting for it: the
/// viewer is a window of its own, and the review goes on.
fn open_with_system(target: &str) -> Result<()> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    std::process::Command::new(opener)
        .arg(target)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|mut child| {
            // Reaped when it ends, so no finished opener is left behind.
            std::thread::spawn(move || child.wait());
        })
        .map_err(|e| Error::usage(format!("could not open {target} with {opener}: {e}")))
}

fn terminal_error(error: io::Error) -> Error {
    Error::output("the terminal", error)
}
