use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // A shell asking for completions is answered here, and the program ends.
    clap_complete::CompleteEnv::with_factory(<recall::cli::Cli as clap::CommandFactory>::command)
        .var(recall::cli::COMPLETE_VARIABLE)
        .complete();
    let cli = recall::cli::Cli::parse();
    match recall::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is_broken_pipe() => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("recall: {}", recall::text::visible_line(&error.to_string()));
            ExitCode::FAILURE
        }
    }
}

/// mimalloc: opening a collection allocates a few strings per card, on every core; glibc's
/// allocator made the parallel parse slower than a single thread.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
