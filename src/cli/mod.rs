//! The `wfsim` command line: arguments (`args`), one function per command (`commands`), the
//! progress bar and Ctrl-C (`progress`), and exit codes (`failure`). Only this part of wfsim
//! prints; the library returns text and data.

mod args;
mod commands;
mod failure;
mod progress;

use std::process::ExitCode;

use clap::Parser;

/// Parses the arguments, runs the command, and prints any error as `Error: ...` with its causes.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e}");
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}
