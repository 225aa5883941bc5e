//! Running the `git` program in the data directory. It brings the user's SSH keys, credential
//! helpers and proxy settings; recall only asks it for plain operations.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::error::{Error, Result};

/// The branch every device shares.
pub(crate) const BRANCH: &str = "main";

/// `git` in one directory.
pub(crate) struct Git {
    dir: PathBuf,
}

impl Git {
    pub(crate) fn new(dir: &Path) -> Git {
        Git {
            dir: dir.to_path_buf(),
        }
    }

    /// Whether the data directory is a git repository of its own.
    pub(crate) fn is_repository(&self) -> bool {
        self.dir.join(".git").exists()
    }

    /// Runs `git ARGS`; a failure is an error with git's own last line.
    pub(crate) fn run(&self, args: &[&str]) -> Result<String> {
        let output = self.output(args)?;
        if output.status.success() {
            Ok(String::from_utf8_lossy(&output.stdout).into_owned())
        } else {
            Err(failed(args, &output))
        }
    }

    /// Runs `git ARGS` and says whether it succeeded (its output is not needed).
    pub(crate) fn succeeds(&self, args: &[&str]) -> Result<bool> {
        Ok(self.output(args)?.status.success())
    }

    /// Runs `git ARGS`; commits are recall's own (they only carry records).
    fn output(&self, args: &[&str]) -> Result<Output> {
        Command::new("git")
            .arg("-C")
            .arg(&self.dir)
            .args(args)
            .env("GIT_AUTHOR_NAME", COMMITTER)
            .env("GIT_COMMITTER_NAME", COMMITTER)
            .env("GIT_AUTHOR_EMAIL", "recall@localhost")
            .env("GIT_COMMITTER_EMAIL", "recall@localhost")
            .stdin(Stdio::inherit())
            .output()
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::usage(
                        "sync needs the git program, which is not on PATH: install git and try again",
                    )
                } else {
                    Error::usage(format!("could not run git: {e}"))
                }
            })
    }
}

/// The name recall's commits carry.
const COMMITTER: &str = "recall";

/// The error of a git command that failed: what recall asked, and git's last words.
fn failed(args: &[&str], output: &Output) -> Error {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let said = stderr
        .lines()
        .map(str::trim)
        .rfind(|line| !line.is_empty() && !line.starts_with("hint:"))
        .unwrap_or("no message")
        .to_string();
    let what = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .copied()
        .unwrap_or("git");
    Error::usage(format!("sync: git {what} failed: {said}"))
}
