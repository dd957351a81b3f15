//! The `wfsim` command line: arguments (`args`), one function per command (`commands`), the
//! progress bar and Ctrl-C (`progress`), and exit codes (`failure`). Only this part of wfsim
//! prints; the library returns text and data.

/// Standard output that a reader may close early (`wfsim run ... | head`): what is printed after
/// that is dropped instead of ending the command, which still writes its files. Shadows std's
/// `println!` and `print!` for the modules below.
macro_rules! println {
    () => {
        $crate::cli::print_out(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::print_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::cli::print_out(format_args!($($arg)*))
    };
}

/// Standard error, for the same reason: a reader that closes it (`wfsim ... 2>&1 | head`) must
/// not turn an error message into a panic and the exit code into 101.
macro_rules! eprintln {
    ($($arg:tt)*) => {
        $crate::cli::print_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

mod args;
mod commands;
mod failure;
mod progress;

use std::process::ExitCode;

use clap::Parser;
use wfsim::scenario::diag::shown;

/// Parses the arguments, runs the command, and prints any error as `Error: ...` with its causes.
pub fn main() -> ExitCode {
    let cli = args::Cli::parse();
    cap_rayon_threads();
    match commands::dispatch(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // Control characters from a file or an argument (a council's name, a cell of its
            // files) are shown escaped, never sent to the terminal.
            eprintln!("Error: {}", shown(&e.to_string()));
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                eprintln!("  caused by: {}", shown(&cause.to_string()));
                source = cause.source();
            }
            ExitCode::from(e.exit_code())
        }
    }
}

/// Writes to standard output, ignoring a reader that has gone (and any other failure to print:
/// the terminal's text is a courtesy; the files are the results).
pub fn print_out(args: std::fmt::Arguments) {
    use std::io::Write as _;
    let _ = std::io::stdout().lock().write_fmt(args);
}

/// Writes to standard error, dropping what cannot be written (see `eprintln!`).
pub fn print_err(args: std::fmt::Arguments) {
    use std::io::Write as _;
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Rayon reads `RAYON_NUM_THREADS` for its pool, which every command without `--threads` uses; a
/// value over the cap `--threads` has (thousands of threads turn a tenth of a second into many)
/// is ignored with a note, and the pool gets one thread per core.
fn cap_rayon_threads() {
    let Ok(text) = std::env::var("RAYON_NUM_THREADS") else {
        return;
    };
    let most = wfsim::sim::run::most_threads();
    match text.trim().parse::<usize>() {
        // 0 is rayon's own "one per core".
        Ok(t) if t <= most => {}
        _ => {
            eprintln!(
                "note: RAYON_NUM_THREADS={} ignored (give 1 to {most}, as for --threads); using one \
                 thread per core",
                text.escape_debug()
            );
            let _ = rayon::ThreadPoolBuilder::new()
                .num_threads(wfsim::sim::run::cores())
                .build_global();
        }
    }
}
