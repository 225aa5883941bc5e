//! One function per command: each takes its parsed arguments, does the work through the
//! library, and writes what the user sees.

mod parse;

use std::io::Write;

use regex::Regex;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Parse(args) => parse::run(&args, &mut out)?,
    }
    out.flush().map_err(stdout_error)
}

/// Compiles the `--heading` patterns, naming the one that is not a valid regular expression.
fn heading_patterns(patterns: &[String]) -> Result<Vec<Regex>> {
    patterns
        .iter()
        .map(|pattern| {
            Regex::new(pattern).map_err(|e| {
                let reason = e
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                Error::invalid(format!(
                    "--heading {pattern:?} is not a valid regular expression: {reason}"
                ))
            })
        })
        .collect()
}

/// Writing to standard output failed (a closed pipe is handled quietly by `main`).
fn stdout_error(error: std::io::Error) -> Error {
    Error::io(std::path::Path::new("<stdout>"), error)
}
