use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = recall::cli::Cli::parse();
    match recall::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("recall: {error}");
            ExitCode::FAILURE
        }
    }
}
