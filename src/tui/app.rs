//! The review screen's state and its update function: a key becomes an [`Action`], and
//! [`App::update`] carries it out on the session at the time the loop passes in. Effects that
//! need the world (the editor, statistics from the log) go back to the loop as an [`Effect`].
//! No terminal here, so tests drive it directly.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::pictures::Pictures;
use super::stats_view::StatsScreen;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::import::Report;
use crate::review::queue::REDRILL_PASS;
use crate::review::session::Session;
use crate::review::summary::{Summary, held_back_clause};
use crate::schedule::sm2::Grade;
use crate::stats::Stats;
use crate::text::plural;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Reveal,
    Grade(Grade),
    Undo,
    Bury,
    Suspend,
    Edit,
    /// Open the card's next image with the system's viewer.
    OpenImage,
    /// Scroll the card by this many lines (negative is up).
    Scroll(i32),
    /// Scroll by this many screens.
    Page(i32),
    ToggleHelp,
    /// Open the statistics screen.
    ShowStats,
    /// A key for the open statistics screen.
    StatsKey(KeyEvent),
    /// End the session (to the summary) or close the last screen.
    Quit,
    Nothing,
}

/// What the event loop must do after an update, beyond drawing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Suspend the screen and open `file` at `line` in the user's editor, re-import it, and
    /// call [`App::after_edit`].
    Edit { file: PathBuf, line: usize },
    /// Open this image (a file or a URL) with the system's opener; the screen stays.
    Open(String),
    /// Gather the statistics and give them to [`App::show_stats`].
    ShowStats,
    /// Leave the screen.
    Exit,
}

/// Which screen is up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Screen {
    Review,
    /// The session is over; any key closes.
    Summary(Summary),
    /// There was nothing to review from the start.
    NothingDue(NothingDue),
}

/// What the calm "nothing due" screen says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NothingDue {
    /// The next day with cards due, and how many.
    pub(crate) next: Option<(NaiveDate, usize)>,
    /// New cards left out by today's limit.
    pub(crate) new_held_back: usize,
    pub(crate) reviews_held_back: usize,
    pub(crate) has_cards: bool,
}

/// The review screen.
pub struct App {
    pub(crate) session: Session,
    pub(crate) screen: Screen,
    pub(crate) revealed: bool,
    pub(crate) help: bool,
    /// Lines scrolled down the card.
    pub(crate) scroll: u16,
    /// Set when the answer is revealed: the next frame scrolls down to it if a short screen
    /// would not show it.
    pub(crate) scroll_to_answer: bool,
    /// The card's height in lines and the visible height, from the last draw.
    pub(crate) viewport: (u16, u16),
    /// One line of feedback about the last action, until the next key.
    pub(crate) message: Option<String>,
    /// A line that stays for the whole session where there is no message (the first-run
    /// notice).
    pub(crate) notice: Option<String>,
    /// The statistics screen, while it is open over the review.
    pub(crate) stats: Option<StatsScreen>,
    /// When the current card was shown, for the time its answer took.
    shown_at: Timestamp,
    /// How many times `o` opened an image of the current card.
    images_opened: usize,
    /// The images of the current card, found when it is shown (not on every frame).
    images: Vec<CardImage>,
    /// Pictures drawn on screen, where the terminal can.
    pub(crate) pictures: Pictures,
}

/// An image of the current card.
#[derive(Debug, Clone)]
struct CardImage {
    /// A file resolved against the folder of the notes, or a URL as written.
    target: String,
    /// A file rather than a web address.
    local: bool,
    /// A file that was there when the card was shown.
    on_disk: bool,
    /// In the question, so shown before the answer.
    in_question: bool,
}

impl App {
    /// The screen for `session`, opened at `now`.
    pub fn new(session: Session, now: Timestamp) -> App {
        let screen = if session.current().is_some() {
            Screen::Review
        } else {
            Screen::NothingDue(nothing_due(&session))
        };
        let message = held_back_clause(&session.queue().held_back).filter(|_| screen == Screen::Review);
        let mut app = App {
            session,
            screen,
            revealed: false,
            help: false,
            scroll: 0,
            scroll_to_answer: false,
            viewport: (0, 0),
            message,
            notice: None,
            stats: None,
            shown_at: now,
            images_opened: 0,
            images: Vec::new(),
            pictures: Pictures::default(),
        };
        app.images = app.find_images();
        app
    }

    /// The session under the screen.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// True while the current card's answer shows.
    pub fn revealed(&self) -> bool {
        self.revealed
    }

    /// The status line, if there is one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Puts up the statistics screen over the review.
    pub(crate) fn show_stats(&mut self, stats: Stats) {
        self.stats = Some(StatsScreen::new(stats));
    }

    /// Says an error that did not end the session (a failed edit) on the status line.
    pub(crate) fn say(&mut self, message: String) {
        self.message = Some(message);
    }

    /// Keeps `notice` on the status line for the session, where there is no message.
    pub(crate) fn notify(&mut self, notice: String) {
        self.notice = Some(notice);
    }

    /// The action a key stands for on the current screen.
    pub(crate) fn action_for(&self, key: KeyEvent) -> Action {
        if key.kind == KeyEventKind::Release {
            return Action::Nothing;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return Action::Quit;
        }
        if self.stats.is_some() {
            return Action::StatsKey(key);
        }
        if self.help {
            return Action::ToggleHelp;
        }
        if self.screen != Screen::Review {
            return match key.code {
                KeyCode::Char('?') if matches!(self.screen, Screen::NothingDue(_)) => Action::ToggleHelp,
                // The last grade of a session can still be taken back from its summary.
                KeyCode::Char('u')
                    if matches!(self.screen, Screen::Summary(_)) && self.session.done() > 0 =>
                {
                    Action::Undo
                }
                _ => Action::Quit,
            };
        }
        match key.code {
            KeyCode::Char(' ') | KeyCode::Enter => Action::Reveal,
            KeyCode::Char(digit @ '0'..='5') => {
                Grade::new(digit as u8 - b'0').map_or(Action::Nothing, Action::Grade)
            }
            KeyCode::Char('u') => Action::Undo,
            KeyCode::Char('b') => Action::Bury,
            KeyCode::Char('!') => Action::Suspend,
            KeyCode::Char('e') => Action::Edit,
            KeyCode::Char('o') => Action::OpenImage,
            KeyCode::Char('?') => Action::ToggleHelp,
            KeyCode::Char('s') => Action::ShowStats,
            KeyCode::Char('q') | KeyCode::Esc => Action::Quit,
            KeyCode::Char('j') | KeyCode::Down => Action::Scroll(1),
            KeyCode::Char('k') | KeyCode::Up => Action::Scroll(-1),
            KeyCode::PageDown => Action::Page(1),
            KeyCode::PageUp => Action::Page(-1),
            _ => Action::Nothing,
        }
    }

    /// Carries out `action` at time `now`; grades are durable when this returns.
    pub fn update(&mut self, action: Action, now: Timestamp) -> Result<Option<Effect>> {
        // A message is about the last key; the next one takes it away.
        if action != Action::Nothing {
            self.message = None;
        }
        match action {
            Action::Nothing => {}
            Action::ToggleHelp => self.help = !self.help,
            Action::ShowStats => return Ok(Some(Effect::ShowStats)),
            Action::StatsKey(key) => {
                if self.stats.as_mut().is_some_and(|screen| screen.key(key)) {
                    self.stats = None;
                }
            }
            Action::Quit => return self.quit(),
            Action::Scroll(lines) => self.scroll_by(lines),
            Action::Page(pages) => {
                self.scroll_by(pages * i32::from(self.viewport.1.saturating_sub(1).max(1)))
            }
            Action::Reveal if !self.revealed => {
                self.revealed = true;
                self.scroll_to_answer = true;
            }
            Action::Reveal => {}
            Action::Grade(grade) if !self.revealed => {
                self.message = Some(format!(
                    "reveal the answer first (space), then grade {}",
                    grade.value()
                ));
            }
            Action::Grade(grade) => {
                let interval = self
                    .session
                    .intervals()
                    .map(|days| days[usize::from(grade.value())]);
                let ms =
                    u64::try_from(now.signed_duration_since(self.shown_at).num_milliseconds()).unwrap_or(0);
                let outcome = self.session.grade(grade, now, ms)?;
                self.message = Some(match (outcome.suspended, outcome.leech, interval) {
                    (true, _, _) => "leech: this card keeps slipping, so it was suspended".to_string(),
                    (_, true, _) => "leech: this card keeps slipping; consider rewriting it (e)".to_string(),
                    (_, _, Some(days)) if grade < REDRILL_PASS => {
                        format!(
                            "graded {}: again shortly, then due in {}",
                            grade.value(),
                            plural(days as usize, "day")
                        )
                    }
                    (_, _, Some(days)) => format!(
                        "graded {}: due in {}",
                        grade.value(),
                        plural(days as usize, "day")
                    ),
                    (_, _, None) => format!("graded {}", grade.value()),
                });
                return self.next_card(now);
            }
            Action::Undo => {
                if self.session.undo(now)? {
                    self.message = Some("undid the last grade".to_string());
                    // The card may not come back (suspended meanwhile): then the session is over.
                    self.screen = Screen::Review;
                    return self.next_card(now);
                } else {
                    self.message = Some("nothing to undo".to_string());
                }
            }
            Action::Bury => {
                self.session.bury(now)?;
                self.message = Some("buried until tomorrow".to_string());
                return self.next_card(now);
            }
            Action::Suspend => {
                let id = self.session.current().map(|(_, card)| card.id.clone());
                self.session.suspend(now)?;
                if let Some(id) = id {
                    self.message = Some(format!(
                        "suspended {id} (`recall card unsuspend {id}` brings it back)"
                    ));
                }
                return self.next_card(now);
            }
            Action::Edit => {
                let Some((_, card)) = self.session.current() else {
                    return Ok(None);
                };
                match self.session.notes_file(card) {
                    Some(file) => {
                        return Ok(Some(Effect::Edit {
                            file,
                            line: card.line,
                        }));
                    }
                    _ => self.message = Some("this card's notes file is not on disk any more".to_string()),
                }
            }
            Action::OpenImage => {
                if self.images.is_empty() {
                    self.message = Some("this card has no image".to_string());
                    return Ok(None);
                }
                // Each `o` opens the next, round and round.
                let at = self.images_opened % self.images.len();
                self.images_opened += 1;
                let image = self.images[at].target.clone();
                let path = Path::new(&image);
                // A file is found beside the notes (so its path is whole, never read as an
                // option of the opener).
                if self.images[at].local && !(path.is_absolute() && path.is_file()) {
                    self.message = Some(format!("image not found: {image}"));
                    return Ok(None);
                }
                // Notes may come from a shared deck: only pictures and web pages are opened,
                // not whatever else the system has an opener for.
                if self.images[at].local && !crate::notes::images::is_picture_file(path) {
                    self.message = Some(format!("not opened: {image} is not a picture"));
                    return Ok(None);
                }
                if !self.images[at].local && !["http://", "https://"].iter().any(|web| image.starts_with(web))
                {
                    self.message = Some(format!("not opened: {image} is neither a file nor a web address"));
                    return Ok(None);
                }
                let which = if self.images.len() > 1 {
                    format!(" ({} of {}; o opens the next)", at + 1, self.images.len())
                } else {
                    String::new()
                };
                self.message = Some(format!("opening {image}{which}"));
                return Ok(Some(Effect::Open(image)));
            }
        }
        Ok(None)
    }

    /// Carries on with the session after the editor closed and `report` says what the
    /// re-import changed.
    /// `shown` is the card that was on screen when the editor opened: when the re-import took
    /// it away, the next card starts with its answer hidden, shown at `now`.
    pub(crate) fn after_edit(&mut self, report: &Report, shown: Option<&str>, now: Timestamp) -> Result<()> {
        let c = report.counts;
        self.message = Some(format!(
            "re-imported: {} new, {} updated, {} renamed, {} moved, {} retired",
            c.new, c.updated, c.renamed, c.moved, c.retired
        ));
        match self.session.current() {
            None => return self.finish(),
            Some((_, card)) if Some(card.id.as_str()) != shown => self.new_card(now),
            // The same card, its text perhaps edited.
            Some(_) => self.images = self.find_images(),
        }
        Ok(())
    }

    fn quit(&mut self) -> Result<Option<Effect>> {
        if self.help {
            self.help = false;
            return Ok(None);
        }
        match self.screen {
            Screen::Review => {
                self.finish()?;
                Ok(None)
            }
            _ => Ok(Some(Effect::Exit)),
        }
    }

    fn next_card(&mut self, now: Timestamp) -> Result<Option<Effect>> {
        if self.session.current().is_none() {
            self.finish()?;
        } else {
            self.new_card(now);
        }
        Ok(None)
    }

    fn finish(&mut self) -> Result<()> {
        let summary = self.session.finish()?;
        self.screen = Screen::Summary(summary);
        Ok(())
    }

    /// Draws pictures with `pictures` (the terminal's graphics protocol).
    pub fn set_pictures(&mut self, pictures: Pictures) {
        self.pictures = pictures;
    }

    /// The picture to draw with the current card: the first image file of its question, or
    /// of its answer once shown, that is there.
    pub(crate) fn picture(&self) -> Option<&str> {
        self.images
            .iter()
            .find(|image| image.on_disk && (image.in_question || self.revealed))
            .map(|image| image.target.as_str())
    }

    /// The images the current card shows, in order (only Markdown cards have images).
    fn find_images(&self) -> Vec<CardImage> {
        use crate::notes::images;
        let Some((_, card)) = self.session.current() else {
            return Vec::new();
        };
        if !self.session.is_markdown(card) {
            return Vec::new();
        }
        let folder = self
            .session
            .notes_file(card)
            .and_then(|file| file.parent().map(Path::to_path_buf));
        [(&card.question, true), (&card.answer, false)]
            .into_iter()
            .flat_map(|(text, in_question)| {
                images::in_markdown(text)
                    .into_iter()
                    .map(move |image| (image.destination, in_question))
            })
            .map(|(destination, in_question)| {
                let file = folder
                    .as_deref()
                    .filter(|_| images::is_local(&destination))
                    .map(|folder| images::local_file(folder, &destination));
                CardImage {
                    on_disk: file.as_deref().is_some_and(Path::is_file),
                    local: images::is_local(&destination),
                    target: file.map_or(destination, |file| file.display().to_string()),
                    in_question,
                }
            })
            .collect()
    }

    fn new_card(&mut self, now: Timestamp) {
        self.revealed = false;
        self.scroll = 0;
        self.shown_at = now;
        self.images_opened = 0;
        self.images = self.find_images();
    }

    fn scroll_by(&mut self, lines: i32) {
        let max = self.viewport.0.saturating_sub(self.viewport.1);
        let target = (i32::from(self.scroll) + lines).clamp(0, i32::from(max));
        self.scroll = target as u16;
    }

    /// The summary, once the session is over.
    pub fn summary(&self) -> Option<&Summary> {
        match &self.screen {
            Screen::Summary(summary) => Some(summary),
            _ => None,
        }
    }
}

fn nothing_due(session: &Session) -> NothingDue {
    let held = session.queue().held_back;
    NothingDue {
        next: session.next_due(),
        new_held_back: held.new,
        reviews_held_back: held.reviews,
        has_cards: session.has_cards(),
    }
}
