//! The `wfsim` command: a thin shell around the library (see `cli`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
