//! Pictures drawn inside the review screen, on terminals that speak a graphics protocol
//! (kitty, iTerm2, sixel), through ratatui-image. Elsewhere the text's `[image: …]`
//! placeholders are all there is, and `o` opens a picture in the system's viewer.

use std::path::Path;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui_image::StatefulImage;
use ratatui_image::picker::{Picker, ProtocolType};
use ratatui_image::protocol::StatefulProtocol;

/// What the terminal can draw, and the picture of the card on screen.
#[derive(Default)]
pub struct Pictures {
    /// `None`: the terminal has no graphics protocol (or pictures are turned off).
    picker: Option<Picker>,
    /// The picture last asked for: its path, and the picture ready to draw (`None` when the
    /// file could not be read as a picture).
    current: Option<(String, Option<StatefulProtocol>)>,
}

impl Pictures {
    /// Pictures through `picker` (tests give one; [`Pictures::detect`] asks the terminal).
    pub fn with_picker(picker: Picker) -> Pictures {
        Pictures {
            picker: Some(picker),
            current: None,
        }
    }

    /// Asks the terminal which graphics protocol it speaks, if its environment says it may
    /// speak one: the question costs a round trip, and a terminal that does not answer it
    /// would hold up the first frame. `RECALL_IMAGES=off` turns pictures off.
    pub(crate) fn detect() -> Pictures {
        if std::env::var("RECALL_IMAGES").is_ok_and(|value| value == "off") || !may_draw_pictures() {
            return Pictures::default();
        }
        let picker = Picker::from_query_stdio()
            .ok()
            .filter(|picker| picker.protocol_type() != ProtocolType::Halfblocks);
        Pictures {
            picker,
            current: None,
        }
    }

    pub(crate) fn can_draw(&self) -> bool {
        self.picker.is_some()
    }

    /// Draws the picture in the file `path`, scaled to fit `area`; reads it the first time
    /// only. Returns whether there was a picture to draw.
    pub(crate) fn draw(&mut self, frame: &mut Frame, path: &str, area: Rect) -> bool {
        let Some(picker) = &self.picker else {
            return false;
        };
        if self.current.as_ref().is_none_or(|(shown, _)| shown != path) {
            let picture = read(Path::new(path)).map(|image| picker.new_resize_protocol(image));
            self.current = Some((path.to_string(), picture));
        }
        match self.current.as_mut().and_then(|(_, picture)| picture.as_mut()) {
            Some(picture) => {
                frame.render_stateful_widget(StatefulImage::default(), area, picture);
                true
            }
            None => false,
        }
    }
}

/// The picture in the file at `path`; `None` when it is not there, not a regular file or not
/// a picture. A picture larger than a screen could ever want is not decoded.
fn read(path: &Path) -> Option<image::DynamicImage> {
    let file = crate::files::open_read(path, crate::files::Links::Follow).ok()?;
    let mut reader = image::ImageReader::new(std::io::BufReader::new(file))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(16_384);
    limits.max_image_height = Some(16_384);
    limits.max_alloc = Some(256 << 20);
    reader.limits(limits);
    reader.decode().ok()
}

/// Whether the environment names a terminal that may speak a graphics protocol.
fn may_draw_pictures() -> bool {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let term = var("TERM");
    let program = var("TERM_PROGRAM");
    [
        "KITTY_WINDOW_ID",
        "WEZTERM_EXECUTABLE",
        "KONSOLE_VERSION",
        "ITERM_SESSION_ID",
    ]
    .iter()
    .any(|name| !var(name).is_empty())
        || [
            "kitty", "ghostty", "foot", "mlterm", "wezterm", "sixel", "contour",
        ]
        .iter()
        .any(|name| term.contains(name))
        || ["iTerm.app", "WezTerm", "ghostty", "vscode", "rio", "WarpTerminal"].contains(&program.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_picture_too_large_for_any_screen_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.png");
        crate::files::make_fifo(&fifo);
        assert!(read(&fifo).is_none());
        // A PNG that says it is 100,000 pixels wide: refused before its pixels are decoded.
        let mut header = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        header.extend_from_slice(&100_000u32.to_be_bytes());
        header.extend_from_slice(&100_000u32.to_be_bytes());
        header.extend_from_slice(b"\x08\x02\0\0\0\0\0\0\0");
        let big = dir.path().join("big.png");
        std::fs::write(&big, header).unwrap();
        assert!(read(&big).is_none());
        // A real picture is read.
        let small = dir.path().join("small.png");
        image::RgbImage::new(2, 2).save(&small).unwrap();
        assert!(read(&small).is_some());
    }
}
