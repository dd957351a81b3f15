//! Every way a command can fail, with its exit code.

use wfsim::census::CensusError;
use wfsim::census::backtest::BacktestError;
use wfsim::census::init::InitError;
use wfsim::decide::DecideError;
use wfsim::output::charts::draw::ChartError;
use wfsim::output::{OutputError, WriteError};
use wfsim::scenario::LoadError;
use wfsim::sim::run::RunError;

pub const EXIT_HELP: &str = "Exit codes: 0 success; 1 unexpected failure (including an impossible \
number in the results, which are then not written); 2 bad input (invalid scenario, unreadable file \
or bad arguments); 3 results could not be written; 130 interrupted (Ctrl-C, or a \
SIGTERM or SIGHUP), nothing written.";

/// Failures, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error(transparent)]
    Sweep(#[from] DecideError),
    #[error(transparent)]
    Census(#[from] CensusError),
    #[error(transparent)]
    Init(#[from] InitError),
    #[error(transparent)]
    Backtest(#[from] BacktestError),
    #[error("{0} exists; give --force to replace it, or --out to write elsewhere")]
    Exists(std::path::PathBuf),
    #[error(
        "{0} is not a regular file (a folder, a link or a device); --out names the scenario file to write, and --force replaces only a regular file"
    )]
    NotAFile(std::path::PathBuf),
    #[error(
        "{0} is not a regular file (a folder, a link or a device), and wfsim writes only over a \
         regular file, even with --force: move it, or give another folder for --template"
    )]
    TemplateNotAFile(std::path::PathBuf),
    #[error("{0} exists; give --force to replace it, or another folder for --template")]
    TemplateExists(std::path::PathBuf),
    #[error("{0} is not a folder, so the files cannot be written into it")]
    NotAFolder(std::path::PathBuf),
    #[error("--out {0} is one of the files init reads; give the scenario another name")]
    OutIsInput(std::path::PathBuf),
    #[error("the scenario init built does not load (a fault in wfsim): {0}")]
    Built(String),
    #[error(transparent)]
    Serve(#[from] wfsim::serve::http::ServeError),
    #[error(
        "the page's server stopped taking connections (a fault in wfsim or the system); start \
         `wfsim serve` again, and the page with it"
    )]
    ServeStopped(#[source] std::io::Error),
}

impl From<OutputError> for Failure {
    fn from(e: OutputError) -> Self {
        match e {
            OutputError::Chart(c) => Failure::Chart(c),
            OutputError::Write(w) => Failure::Write(w),
        }
    }
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Load(_) => 2,
            Failure::Run(RunError::Config(_)) => 2,
            Failure::Run(RunError::Interrupted { .. }) => 130,
            Failure::Run(_) => 1,
            Failure::Write(_) => 3,
            Failure::Chart(_) => 1,
            Failure::Sweep(DecideError::Run(RunError::Config(_))) => 2,
            Failure::Sweep(DecideError::Run(RunError::Interrupted { .. })) => 130,
            Failure::Sweep(DecideError::Run(_)) => 1,
            Failure::Sweep(_) => 2,
            Failure::Census(_) => 2,
            Failure::Init(_) => 2,
            Failure::Backtest(BacktestError::Interrupted { .. }) => 130,
            Failure::Backtest(BacktestError::Built { .. }) => 1,
            Failure::Backtest(_) => 2,
            Failure::Exists(_) => 2,
            Failure::NotAFile(_) => 2,
            Failure::TemplateNotAFile(_) => 2,
            Failure::NotAFolder(_) => 2,
            Failure::TemplateExists(_) => 2,
            Failure::OutIsInput(_) => 2,
            Failure::Built(_) => 1,
            // The port asked for is taken or not allowed.
            Failure::Serve(_) => 2,
            Failure::ServeStopped(_) => 1,
        }
    }
}
