//! The `wfsim` command: parses arguments, calls the library, prints, and maps errors to exit codes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use wfsim::census::{self, CensusError};
use wfsim::decide::sweep::{self, SweepError};
use wfsim::output::charts::draw::ChartError;
use wfsim::output::{self, OutputError, WriteError};
use wfsim::scenario::{self, LoadError};
use wfsim::sim::run::{self, Progress, RunConfig, RunError};

const EXIT_HELP: &str = "Exit codes: 0 success; 1 unexpected failure (including an impossible \
number in the results, which are then not written); 2 bad input (invalid scenario, unreadable file \
or bad arguments); 3 results could not be written; 130 interrupted (Ctrl-C), nothing written.";

#[derive(Parser)]
#[command(
    name = "wfsim",
    version,
    about = "Monte Carlo workforce planning for children's social care",
    long_about = "wfsim projects a council's children's social work workforce month by month \
(permanent, agency and vacant posts, experience mix and cost) under a baseline and under options \
such as pay premiums or larger ASYE cohorts, and reports each with honest uncertainty.",
    after_help = EXIT_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and write the data (trajectories.csv, costs.csv, comparison.csv,
    /// summary.json) and the report (report.html, report.md, results.xlsx, charts/).
    #[command(after_help = EXIT_HELP)]
    Run {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Skip the report (charts, report.html, report.md, results.xlsx) for a faster run.
        #[arg(long)]
        no_report: bool,
        /// The DfE census file (as for `wfsim census`): set the baseline's turnover, agency and
        /// vacancy rates at each 30 September beside the council's published ones, on the terminal
        /// and in the report. Needs --council.
        #[arg(long, value_name = "FILE", requires = "council")]
        census: Option<PathBuf>,
        /// The council in the census file, as for `wfsim census`. Needs --census.
        #[arg(long, value_name = "NAME", requires = "census")]
        council: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Run a scenario across a range of one input, on common random numbers; write sweep.csv,
    /// sweep.json and sweep.svg/png.
    #[command(after_help = EXIT_HELP)]
    Sweep {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// The input and its range: PATH=FROM..TO[:STEP], PATH as in an option's `set`, e.g.
        /// intake.asye.size=10..30:5 or "grades[Level 3].leaving[2]=0.15..0.35". Without STEP: every
        /// whole number for a whole range of up to 20, else 11 even values.
        #[arg(long, value_name = "PATH=FROM..TO[:STEP]")]
        vary: sweep::Vary,
        /// Apply the input to this option instead of the baseline (default: the option whose
        /// input PATH is, for a PATH under options[NAME], else the baseline).
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Find the smallest value of an input (the largest, for a lever whose chance falls as it
    /// rises; or the cheapest) that meets a target at its deadline with at least a given
    /// probability, with the scenario's other targets at that value; write solve.csv, solve.json
    /// and solve.svg/png.
    #[command(after_help = EXIT_HELP)]
    Solve {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// The target's name, as in the scenario's [[targets]].
        #[arg(long, value_name = "NAME")]
        target: String,
        /// The probability the target must be met with, e.g. 0.8.
        #[arg(long, value_name = "P")]
        probability: f64,
        /// The input and its range, as for sweep. Whole FROM and TO search whole numbers.
        #[arg(long, value_name = "PATH=FROM..TO[:STEP]")]
        vary: sweep::Vary,
        /// Apply the input to this option instead of the baseline (default: the option whose
        /// input PATH is, for a PATH under options[NAME], else the baseline).
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        /// `cost`: the value of lowest mean total cost that meets the target (tries every value of
        /// the range) instead of the smallest value (bisection).
        #[arg(long, value_name = "WHAT", value_parser = ["cost"])]
        minimise: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Which inputs matter: swing each numeric input between low and high values (a
    /// distribution's 10th and 90th percentiles, else -20%/+20%) and rank-correlate uncertain
    /// inputs with outcomes; write sensitivity.csv, correlations.csv, sensitivity.json and
    /// tornado.svg/png.
    #[command(after_help = EXIT_HELP)]
    Sensitivity {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// Analyse this option instead of the baseline.
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        /// The target whose chance is reported (default: the scenario's first target).
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Validate a scenario, reporting every problem at once, and print a one-screen summary.
    #[command(after_help = EXIT_HELP)]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Show a council's DfE workforce census figures year by year, flag reporting artefacts
    /// (no leavers or starters with staff in post, rates that disagree with their counts, jumps
    /// in staff in post), and compare its usable years with its region and England. Writes
    /// nothing.
    #[command(after_help = EXIT_HELP)]
    Census {
        /// The census file as DfE publishes it (e.g. csww_indicators_2017_to_2025.csv).
        file: PathBuf,
        /// A council's name as the census spells it (any case; a unique part will do, e.g.
        /// Bristol), its LA code (e.g. E08000008), a region (its councils are listed too), or
        /// England (its regions too).
        #[arg(long, value_name = "NAME")]
        council: String,
    },
}

/// Options shared by every command that simulates.
#[derive(clap::Args)]
struct Common {
    /// Replications (for sweep, solve and sensitivity: for each run; default: the scenario's
    /// `replications`).
    #[arg(long, value_name = "N")]
    reps: Option<u32>,
    /// Random seed (default: the scenario's `seed`). The same seed gives the same files, and every
    /// option and every varied value uses the same random numbers.
    #[arg(long, value_name = "S")]
    seed: Option<u64>,
    /// Horizon in months, overriding the scenario's `months` (1-240).
    #[arg(long, value_name = "N")]
    months: Option<u32>,
    /// Output folder (default: out/<scenario name> for run; out/<scenario name>-sweep, -solve or
    /// -sensitivity for those).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Worker threads (default: one per core). Results do not depend on it.
    #[arg(long, value_name = "T")]
    threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

impl Common {
    fn config(&self, s: &scenario::Scenario) -> RunConfig {
        let d = RunConfig::from_scenario(s);
        RunConfig {
            replications: self.reps.unwrap_or(d.replications),
            seed: self.seed.unwrap_or(d.seed),
            months: self.months.unwrap_or(d.months),
            threads: self.threads,
        }
    }
}

/// Failures, each with its exit code.
#[derive(Debug, thiserror::Error)]
enum Failure {
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Chart(#[from] ChartError),
    #[error(transparent)]
    Sweep(#[from] SweepError),
    #[error(transparent)]
    Census(#[from] CensusError),
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
    fn exit_code(&self) -> u8 {
        match self {
            Failure::Load(_) => 2,
            Failure::Run(RunError::Config(_)) => 2,
            Failure::Run(RunError::Interrupted { .. }) => 130,
            Failure::Run(_) => 1,
            Failure::Write(_) => 3,
            Failure::Chart(_) => 1,
            Failure::Sweep(SweepError::Run(RunError::Config(_))) => 2,
            Failure::Sweep(SweepError::Run(RunError::Interrupted { .. })) => 130,
            Failure::Sweep(SweepError::Run(_)) => 1,
            Failure::Sweep(_) => 2,
            Failure::Census(_) => 2,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
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

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Sensitivity {
            scenario,
            option,
            target,
            common,
        } => {
            let Setup {
                source,
                s,
                cfg,
                dir,
                bar,
            } = setup(&scenario, &common, "sensitivity")?;
            let sens = wfsim::decide::sensitivity::sensitivity(
                &source,
                option.as_deref(),
                target.as_deref(),
                &cfg,
                &bar,
            )?;
            let written = output::decide::write_sensitivity(&dir, &s, &cfg, &sens)?;
            if !common.quiet {
                println!(
                    "{} ({}): {} inputs swung, {} replications each, seed {}\n",
                    s.name,
                    sens.option,
                    sens.swings.len(),
                    cfg.replications,
                    cfg.seed
                );
                println!("{}", output::decide::sensitivity_table(&sens, &s));
                for (p, why) in &sens.skipped {
                    println!("not swung: {p}: {why}");
                }
                if !sens.skipped.is_empty() {
                    println!();
                }
                print_written(&dir, &written);
            }
            Ok(())
        }
        Command::Sweep {
            scenario,
            vary,
            option,
            common,
        } => {
            let Setup {
                source,
                s,
                cfg,
                dir,
                bar,
            } = setup(&scenario, &common, "sweep")?;
            let option = sweep::option_to_run(&s, &vary.path, option.as_deref())?;
            let points = sweep::sweep(&source, &vary, option.as_deref(), &cfg, &bar)?;
            let job = output::decide::Job {
                vary: &vary,
                option: option.as_deref(),
                scenario: &s,
                cfg: &cfg,
            };
            let written = output::decide::write_sweep(&dir, &job, &points)?;
            if !common.quiet {
                println!(
                    "{}: {} = {} to {} ({}), {} replications each, seed {}\n",
                    s.name,
                    vary.path,
                    wfsim::model::format::num(vary.from, 6),
                    wfsim::model::format::num(vary.to, 6),
                    option.as_deref().unwrap_or("baseline"),
                    cfg.replications,
                    cfg.seed
                );
                println!("{}", output::decide::sweep_table(&points));
                for n in sweep::notes(&vary) {
                    println!("note: {n}\n");
                }
                print_written(&dir, &written);
            }
            Ok(())
        }
        Command::Solve {
            scenario,
            target,
            probability,
            vary,
            option,
            minimise,
            common,
        } => {
            let Setup {
                source,
                s,
                cfg,
                dir,
                bar,
            } = setup(&scenario, &common, "solve")?;
            let option = sweep::option_to_run(&s, &vary.path, option.as_deref())?;
            let solution = sweep::solve(
                &source,
                &vary,
                option.as_deref(),
                &sweep::Goal {
                    target,
                    probability,
                    minimise_cost: minimise.is_some(),
                },
                &cfg,
                &bar,
            )?;
            let job = output::decide::Job {
                vary: &vary,
                option: option.as_deref(),
                scenario: &s,
                cfg: &cfg,
            };
            let written = output::decide::write_solve(&dir, &job, &solution)?;
            if !common.quiet {
                print!("{}", output::decide::solve_text(&job, &solution));
                for n in sweep::notes(&vary) {
                    println!("note: {n}");
                }
                println!();
                print_written(&dir, &written);
            }
            Ok(())
        }
        Command::Census { file, council } => {
            let c = census::read(&file)?;
            let area = c.find(&council)?;
            print!("{}", output::census::render(&c, area));
            Ok(())
        }
        Command::Check { scenario } => {
            let s = scenario::load(&scenario)?;
            print!("{}", output::check::render(&s));
            Ok(())
        }
        Command::Run {
            scenario,
            no_report,
            census,
            council,
            common,
        } => {
            let s = scenario::load(&scenario)?;
            let cfg = common.config(&s);
            let quiet = common.quiet;
            let out = common.out;
            run::validate(&s, &cfg)?;
            // Read before simulating, so that a wrong file or name fails at once.
            let published = match (census, council) {
                (Some(file), Some(council)) => {
                    let c = census::read(&file)?;
                    Some(census::Published::of(&c, c.find(&council)?))
                }
                _ => None,
            };
            let dir = out.unwrap_or_else(|| Path::new("out").join(&s.name));
            output::prepare_dir(&dir)?;
            let bar = Bar::new(quiet);
            bar.install_ctrlc();
            let mut results = run::run(&s, &cfg, &bar)?;
            results.census = published;
            let written = output::write_run(&dir, &results, !no_report)?;
            if !quiet {
                println!(
                    "{}: {} replications, seed {}, {} to {}\n",
                    results.scenario,
                    results.replications,
                    results.seed,
                    results.start,
                    results.date(results.months as usize)
                );
                for n in &results.notes {
                    println!("note: {n}");
                }
                if !results.notes.is_empty() {
                    println!();
                }
                println!("{}", output::table::outcomes(&results));
                println!("{}", output::table::costs(&results));
                if let Some(a) = output::census::against(&results) {
                    println!(
                        "baseline against the census ({}, 30 September; median and 90% range):",
                        results.census.as_ref().map_or("", |p| p.area.name.as_str())
                    );
                    let mut rows = vec![a.head];
                    rows.extend(a.rows);
                    println!("{}", output::table::layout(&rows));
                }
                print_written(&dir, &written);
            }
            Ok(())
        }
    }
}

/// What sweep, solve and sensitivity start with.
struct Setup {
    source: wfsim::scenario::diag::Source,
    s: scenario::Scenario,
    cfg: RunConfig,
    dir: PathBuf,
    bar: Bar,
}

/// Reads and validates the scenario, settles the run settings, prepares the output folder
/// (default `out/<scenario name>-<command>`) and the progress bar with its Ctrl-C handler.
fn setup(scenario: &Path, common: &Common, command: &str) -> Result<Setup, Failure> {
    let source = scenario::read_source(scenario)?;
    let s = scenario::parse(&source).map_err(LoadError::from)?;
    let cfg = common.config(&s);
    let dir = common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("{}-{command}", s.name)));
    output::prepare_dir(&dir)?;
    let bar = Bar::new(common.quiet);
    bar.install_ctrlc();
    Ok(Setup {
        source,
        s,
        cfg,
        dir,
        bar,
    })
}

/// Lists the files written, relative to `dir`, with the charts folder as one line.
fn print_written(dir: &Path, written: &[PathBuf]) {
    println!("written to {}:", dir.display());
    let mut charts = 0;
    for p in written {
        let rel = p.strip_prefix(dir).unwrap_or(p);
        if rel.starts_with("charts") {
            charts += 1;
        } else {
            println!("  {}", rel.display());
        }
    }
    if charts > 0 {
        println!("  charts/ ({charts} files, SVG and PNG)");
    }
}

/// The one progress-bar factory: hidden when quiet or when stderr is not a terminal, and shown only
/// once a run has taken more than a second.
struct Bar {
    bar: ProgressBar,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    shown: Mutex<bool>,
    started: Instant,
    enabled: bool,
}

impl Bar {
    /// Ctrl-C asks the run to stop between chunks. A second Ctrl-C while stopping is left to the
    /// default handler. If the handler cannot be installed, Ctrl-C still ends the process, and files
    /// are never half-written.
    fn install_ctrlc(&self) {
        let stop = self.stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, std::sync::atomic::Ordering::SeqCst));
    }

    fn new(quiet: bool) -> Bar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} replications, {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Bar {
            bar,
            stop: Default::default(),
            shown: Mutex::new(false),
            started: Instant::now(),
            enabled: !quiet && std::io::IsTerminal::is_terminal(&std::io::stderr()),
        }
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.bar.set_length(total);
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
        if self.enabled && self.started.elapsed() > Duration::from_secs(1) {
            let mut shown = self.shown.lock().unwrap_or_else(|e| e.into_inner());
            if !*shown {
                self.bar.set_draw_target(ProgressDrawTarget::stderr());
                *shown = true;
            }
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }

    fn cancelled(&self) -> bool {
        self.stop.load(std::sync::atomic::Ordering::SeqCst)
    }
}
