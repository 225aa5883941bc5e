//! The one error type users see. Every message is written for the person at the terminal:
//! it names the file (and line, where there is one) and says what to do when that is not obvious.

use std::path::{Path, PathBuf};

/// Everything that can stop a command. `main` prints it as `recall: <message>`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read, written, created or removed.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    /// A file's content is not what it should be; `line` is 1-based.
    #[error("{}{}: {message}", path.display(), at_line(*line, *column))]
    BadFile {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    /// A data file that cannot be opened; it was left untouched.
    #[error("{}{}: {message}; the file was left untouched{}", path.display(), at_line(*line, *column), newest_backup(backup))]
    Corrupt {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
        backup: Option<PathBuf>,
    },
    /// Another process holds the collection's lock.
    #[error("collection is in use by process {pid} (lock file {})", path.display())]
    Locked { pid: String, path: PathBuf },
    /// What the user asked cannot be done as asked: a bad value on the command line or in the
    /// environment, a name that matches nothing, a change the collection refuses.
    #[error("{0}")]
    Usage(String),
    /// Standard input or output, or the terminal, failed (`what` names which).
    #[error("{what}: {source}")]
    Output {
        what: &'static str,
        source: std::io::Error,
    },
    /// The program broke one of its own rules: a bug, never the user's doing.
    #[error("internal error: {0} (please report this)")]
    Internal(String),
}

/// Shorthand for results whose error is [`Error`].
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// A problem with the content of `path`, at `line` when known.
    pub(crate) fn bad_file(path: &Path, line: Option<usize>, message: impl Into<String>) -> Self {
        Error::BadFile {
            path: path.to_path_buf(),
            line,
            column: None,
            message: message.into(),
        }
    }

    /// A request the program cannot carry out as asked.
    pub(crate) fn usage(message: impl Into<String>) -> Self {
        Error::Usage(message.into())
    }

    /// A failure of standard input or output, or of the terminal.
    pub(crate) fn output(what: &'static str, source: std::io::Error) -> Self {
        Error::Output { what, source }
    }

    /// A broken invariant of the program.
    pub(crate) fn internal(message: impl Into<String>) -> Self {
        Error::Internal(message.into())
    }
}

fn at_line(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

fn newest_backup(backup: &Option<PathBuf>) -> String {
    match backup {
        Some(path) => format!(" (newest backup: {})", path.display()),
        None => " (no backup exists)".to_string(),
    }
}

impl Error {
    /// True when the error is a write to a pipe whose reader has gone (`recall ... | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// serde_json's message without its trailing "at line L column C" (callers print the position
/// in the `file:line:column` form of every other message).
pub(crate) fn json_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}
