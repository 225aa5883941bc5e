//! Styles for every role on screen. Colors are few and chosen to read on dark and light
//! backgrounds alike (red, green, and the terminal's own foreground); emphasis uses bold,
//! italics and dim. `NO_COLOR` turns every color off and keeps the modifiers.

use ratatui::style::{Color, Modifier, Style};

/// The styles of the review and stats screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    /// Colors unless `NO_COLOR` is set to anything non-empty.
    pub(crate) fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
        Theme { color: !no_color }
    }

    pub fn with_color(color: bool) -> Theme {
        Theme { color }
    }

    fn colored(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub(crate) fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub(crate) fn muted(&self) -> Style {
        Style::new().add_modifier(Modifier::DIM)
    }

    pub(crate) fn question(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub(crate) fn key(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    /// The filled part of progress and chart bars.
    pub(crate) fn bar(&self) -> Style {
        self.colored(Color::Green)
    }

    pub(crate) fn good(&self) -> Style {
        self.colored(Color::Green).add_modifier(Modifier::BOLD)
    }

    pub(crate) fn bad(&self) -> Style {
        self.colored(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// Grades 0-2 read as failures, 3 as hard, 4-5 as good.
    pub(crate) fn grade(&self, grade: u8) -> Style {
        match grade {
            0..=2 => self.bad(),
            3 => Style::new().add_modifier(Modifier::BOLD),
            _ => self.good(),
        }
    }

    pub(crate) fn code(&self) -> Style {
        self.colored(Color::Green)
    }

    /// What a cloze card's question hid, in its answer: visible without colour too.
    pub(crate) fn revealed(&self) -> Style {
        self.colored(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    pub(crate) fn quote(&self) -> Style {
        Style::new().add_modifier(Modifier::ITALIC)
    }
}
