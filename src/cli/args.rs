//! The command line as clap parses it: raw arguments, turned into validated settings by the
//! commands (`commands`).

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use super::failure::EXIT_HELP;
use wfsim::decide;
use wfsim::scenario::Scenario;
use wfsim::sim::run::RunConfig;

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
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
        /// The financial years over which each option's gross cost, agency spend avoided and net
        /// cost are summed, with their 90% ranges: FIRST..LAST, e.g. 2023/24..2025/26 (or
        /// 2023-24..2025-26), or one year (default: the current year, usually part of one, and every whole year to the
        /// horizon's end). For a year past the horizon, run longer with --months.
        #[arg(long, value_name = "FIRST..LAST")]
        years: Option<String>,
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
        /// intake.asye.size=10..30:5 or "grades[Level 3].leaving[2]=0.15..0.35". Without STEP: an
        /// input that takes whole numbers (a count, months, a year, starting staff) every whole
        /// number over a range of up to 20, else about 10 whole steps and TO; any other input 11
        /// even values.
        #[arg(long, value_name = "PATH=FROM..TO[:STEP]")]
        vary: decide::Vary,
        /// Apply the input to this option instead of the baseline (default: the option whose
        /// input PATH is, for a PATH under options[NAME], else the baseline).
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        #[command(flatten)]
        common: Common,
    },
    /// Find the smallest value of an input (the largest, for a lever whose chance falls as it
    /// rises; or the cheapest) that meets a target at its deadline with at least a given
    /// probability, optionally while other targets are met with their own (--subject-to), with
    /// the scenario's other targets at that value; write solve.csv, solve.json and solve.svg/png.
    #[command(after_help = EXIT_HELP)]
    Solve {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// The target's name, as in the scenario's [[targets]].
        #[arg(long, value_name = "NAME")]
        target: String,
        /// The probability the target must be met with, e.g. 0.8.
        #[arg(long, value_name = "P", value_parser = decide::solve::parse_probability)]
        probability: f64,
        /// The input and its range, as for sweep. An input that takes whole numbers is searched in
        /// whole numbers; any other to 1/1000 of the range, or on the STEP grid.
        #[arg(long, value_name = "PATH=FROM..TO[:STEP]")]
        vary: decide::Vary,
        /// Apply the input to this option instead of the baseline (default: the option whose
        /// input PATH is, for a PATH under options[NAME], else the baseline).
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        /// `cost`: the value of lowest mean total cost that meets the target (tries every value of
        /// the range) instead of the smallest value (bisection).
        #[arg(long, value_name = "WHAT", value_parser = ["cost"])]
        minimise: Option<String>,
        /// Another target that must be met at the same value with at least probability P, e.g.
        /// "NQ cap=0.9" (repeat for several). Its chance may rise and fall across the range, so
        /// every value is tried (each whole number for an input that takes whole numbers, else the
        /// STEP grid, which any other input needs). When none meets them all, says which constraint binds and the best reachable.
        #[arg(long = "subject-to", value_name = "NAME=P")]
        subject_to: Vec<decide::Constraint>,
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
        /// Analyse this option's effect instead of the baseline: each outcome is the option's
        /// value minus the baseline's, both run at every swing on the same random numbers.
        #[arg(long, value_name = "NAME")]
        option: Option<String>,
        /// The target whose chance is reported (default: the scenario's first target).
        #[arg(long, value_name = "NAME")]
        target: Option<String>,
        /// Also swing numbers the council knows rather than estimates (establishment, staff,
        /// pay points, statutory rates, programme lengths), which are left out by default.
        #[arg(long)]
        include_known: bool,
        /// The outcome the inputs are ranked by, in the table and the tornado's first panel:
        /// agency-share (at the target's deadline), target (the chance of meeting it) or cost
        /// (for an option, its net cost over the horizon: its total cost less the baseline's,
        /// extra spend less agency spend avoided; for the baseline, its total cost).
        #[arg(long, value_enum, default_value_t = RankBy::AgencyShare)]
        rank_by: RankBy,
        #[command(flatten)]
        common: Common,
    },
    /// Validate a scenario, reporting every problem at once, and print a one-screen summary.
    #[command(after_help = EXIT_HELP)]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Write a calibrated, annotated starting scenario for a council from the DfE census as it
    /// stood at 30 September of one year (reading no later year): its establishment, staff and
    /// agency, leaving, hiring and agency cover set to reproduce its published figures, the
    /// census's year-to-year variation, an 80:20 target three years on and one example option.
    /// Inputs the census cannot give are national defaults, marked [assumption]. With the
    /// council's own files (--staff, and --leavers and --agency), its grades, FTE by length of
    /// service, pay, leaving rates (each a range), starters and agency come from them, and the
    /// census fills the rest; `--template DIR` writes the three files to fill in.
    #[command(after_help = EXIT_HELP)]
    Init {
        /// The council, as for `wfsim census` (name, unique part of a name, or LA code).
        #[arg(long, value_name = "NAME", required_unless_present = "template")]
        council: Option<String>,
        /// A census file (default: the copy wfsim ships, 2017 to 2025).
        #[arg(long, value_name = "FILE")]
        census: Option<PathBuf>,
        /// The census year to start from (default: the file's latest). No later year is read. The
        /// staff and agency files are the workers in post at 30 September of this year.
        #[arg(long, value_name = "YEAR")]
        as_of: Option<i32>,
        /// The council's staff in post (CSV, or .xlsx: its first sheet): grade, fte, start_date
        /// (YYYY-MM-DD); optional salary or pay_point, team, case_holding (yes/no).
        #[arg(long, value_name = "FILE", conflicts_with = "template")]
        staff: Option<PathBuf>,
        /// Leavers before the start: grade, fte, start_date, leave_date; optional reason,
        /// destination. Gives leaving rates by grade and length of service, starters and the
        /// ASYE cohort.
        #[arg(long, value_name = "FILE", requires = "staff")]
        leavers: Option<PathBuf>,
        /// Agency workers in post: grade, fte, start_date; optional hourly_rate or daily_rate.
        #[arg(long, value_name = "FILE", requires = "staff")]
        agency: Option<PathBuf>,
        /// Local grade names mapped to the scenario's (a TOML table: "Senior SW" = "Level 3").
        /// The scenario's grades: ASYE, Level 2, Level 3, Senior practitioner, Team manager.
        #[arg(long, value_name = "FILE", requires = "staff")]
        grades: Option<PathBuf>,
        /// The first month of the leavers file's period (default: 1 April of the financial year of its earliest leaving date).
        #[arg(long, value_name = "YYYY-MM", requires = "leavers", value_parser = parse_month)]
        leavers_from: Option<(i32, u32)>,
        /// The weight of each leaving rate's prior, in FTE-years at risk: a grade and band with
        /// this much time at risk weighs as much as the rate it is pooled towards.
        #[arg(long, value_name = "N", default_value_t = 10.0, requires = "leavers", value_parser = parse_prior)]
        prior_fte_years: f64,
        /// Write the three files to fill in (staff.csv, leavers.csv, agency.csv), each with its
        /// columns and one example row, into DIR, and nothing else.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// Where to write the scenario (default: <council>-<year>.toml in the current folder,
        /// <council>-<year>-own-data.toml from the council's own files). A
        /// missing folder is made. An existing file is not replaced unless --force is given.
        #[arg(long, value_name = "FILE", conflicts_with = "template")]
        out: Option<PathBuf>,
        /// Replace the output file if it exists (a regular file only: never a folder, link or
        /// device).
        #[arg(long)]
        force: bool,
    },
    /// Score how often wfsim's ranges held what really happened: for every council and origin
    /// year, build the scenario `init --as-of ORIGIN` writes, project it, and set it beside the
    /// census at each later 30 September (agency rate, vacancy rate, turnover, FTE in post, caseload).
    /// Writes backtest.csv, scores.csv, backtest.md, backtest.json and a reliability chart.
    #[command(after_help = EXIT_HELP)]
    Backtest {
        /// A census file (default: the copy wfsim ships, 2017 to 2025).
        #[arg(long, value_name = "FILE")]
        census: Option<PathBuf>,
        /// Origin years, FIRST..LAST.
        #[arg(long, value_name = "FIRST..LAST", default_value = "2019..2022", value_parser = parse_years)]
        origins: (i32, i32),
        /// Years ahead to score (1 to 3).
        #[arg(long, value_name = "N", default_value_t = 3)]
        years: u32,
        /// Councils to score (repeat for several, each once; default: every council).
        #[arg(long, value_name = "NAME")]
        council: Vec<String>,
        /// Replications per council and origin (20 to 1,000,000).
        #[arg(long, value_name = "N", default_value_t = 1000, value_parser = parse_backtest_reps)]
        reps: u32,
        /// Random seed.
        #[arg(long, value_name = "S", default_value_t = 1, value_parser = parse_seed)]
        seed: u64,
        /// Output folder.
        #[arg(long, value_name = "DIR", default_value = "out/backtest")]
        out: PathBuf,
        /// Worker threads (default: one per core; RAYON_NUM_THREADS within the cap is used). At
        /// most 8 per core. Results do not depend on it.
        #[arg(long, value_name = "T")]
        threads: Option<usize>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// A what-if page in your browser, on this computer only: the scenario's options beside the
    /// baseline with their key inputs as boxes; each change runs again and redraws the charts,
    /// the chance of each target and the finance view. Downloads the changed scenario, the
    /// report, the workbook and the data files. Writes nothing to disk itself.
    #[command(after_help = EXIT_HELP)]
    Serve {
        /// The scenario file (TOML; default: the Tameside example built into wfsim, as
        /// scenarios/tameside-2022.toml).
        #[arg(conflicts_with = "council")]
        scenario: Option<PathBuf>,
        /// Start from the scenario `wfsim init --council NAME` would write instead.
        #[arg(long, value_name = "NAME")]
        council: Option<String>,
        /// With --council: a census file (default: the copy wfsim ships).
        #[arg(long, value_name = "FILE", requires = "council")]
        census: Option<PathBuf>,
        /// With --council: the census year to start from (default: the file's latest).
        #[arg(long, value_name = "YEAR", requires = "council")]
        as_of: Option<i32>,
        /// The port on 127.0.0.1 (default: 8044, or a free one if 8044 is taken; 0: a free one).
        #[arg(long, value_name = "P")]
        port: Option<u16>,
        /// Do not open the page in a browser (it is opened only when the output is a terminal).
        #[arg(long)]
        no_open: bool,
    },
    /// Show a council's DfE workforce census figures year by year, flag reporting artefacts
    /// (no leavers or starters with staff in post, rates that disagree with their counts, jumps
    /// in staff in post), and compare its usable years with its region and England. Writes
    /// nothing.
    #[command(after_help = EXIT_HELP)]
    Census {
        /// The census file as DfE publishes it (e.g. csww_indicators_2017_to_2025.csv; default:
        /// the one wfsim ships, 2017 to 2025).
        file: Option<PathBuf>,
        /// A council's name as the census spells it (any case; a unique part will do, e.g.
        /// Bristol), its LA code (e.g. E08000008), a region (its councils are listed too), or
        /// England (its regions too).
        #[arg(long, value_name = "NAME")]
        council: String,
    },
}

/// Options shared by every command that simulates.
#[derive(clap::Args)]
pub struct Common {
    /// Replications (for sweep, solve and sensitivity: for each run; default: the scenario's
    /// `replications`).
    #[arg(long, value_name = "N", value_parser = parse_reps)]
    pub reps: Option<u32>,
    /// Random seed (default: the scenario's `seed`). The same seed gives the same files, and every
    /// option and every varied value uses the same random numbers.
    #[arg(long, value_name = "S", value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Horizon in months, overriding the scenario's `months` (1-240).
    #[arg(long, value_name = "N", value_parser = parse_months)]
    pub months: Option<u32>,
    /// Output folder (default: out/<scenario name> for run; out/<scenario name>-sweep, -solve or
    /// -sensitivity for those).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Worker threads (default: one per core; RAYON_NUM_THREADS within the cap is used). At
    /// most 8 per core. Results do not depend on it.
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

impl Common {
    pub fn config(&self, s: &Scenario) -> RunConfig {
        let d = RunConfig::from_scenario(s);
        RunConfig {
            replications: self.reps.unwrap_or(d.replications),
            seed: self.seed.unwrap_or(d.seed),
            months: self.months.unwrap_or(d.months),
            threads: self.threads,
            years: None,
        }
    }
}

/// A whole number from `least` to `most`, or what is allowed.
fn whole_in(s: &str, least: u32, most: u32) -> Result<u32, String> {
    match s.trim().parse::<u32>() {
        Ok(x) if (least..=most).contains(&x) => Ok(x),
        _ => Err(format!(
            "allowed: a whole number from {least} to {}",
            wfsim::model::format::grouped(u64::from(most))
        )),
    }
}

/// Replications for a run: from 1 to the most a scenario may state.
fn parse_reps(s: &str) -> Result<u32, String> {
    whole_in(s, 1, wfsim::scenario::MAX_REPLICATIONS)
}

/// Replications for the backtest: from 20, enough for its ranges, to the most a run may make.
fn parse_backtest_reps(s: &str) -> Result<u32, String> {
    whole_in(s, 20, wfsim::scenario::MAX_REPLICATIONS)
}

/// A horizon in months: from 1 to the most a scenario may state.
fn parse_months(s: &str) -> Result<u32, String> {
    whole_in(s, 1, wfsim::scenario::MAX_MONTHS)
}

/// A seed, from 0 to the largest a scenario's `seed` may be (TOML's largest integer), so that
/// every seed given here can be written in the file.
fn parse_seed(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(x) if x <= i64::MAX as u64 => Ok(x),
        _ => Err(format!(
            "`{s}` is not a seed: a whole number from 0 to {} (as a scenario's `seed` may be)",
            i64::MAX
        )),
    }
}

/// `YYYY-MM` as (year, month).
fn parse_month(s: &str) -> Result<(i32, u32), String> {
    let bad = || format!("`{s}` is not a month YYYY-MM, e.g. 2024-04");
    let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) {
        return Err(bad());
    }
    if !(1950..=2200).contains(&y) {
        return Err(format!("`{s}`: the year must be from 1950 to 2200"));
    }
    Ok((y, m))
}

fn parse_prior(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x <= 10_000.0 => Ok(x),
        _ => Err(format!(
            "`{s}` is not a weight in FTE-years above 0 and at most 10,000"
        )),
    }
}

/// `FIRST..LAST` as two years.
fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let bad = || format!("`{s}` is not FIRST..LAST, e.g. 2019..2022");
    let (a, b) = s.split_once("..").ok_or_else(bad)?;
    let a: i32 = a.trim().parse().map_err(|_| bad())?;
    let b: i32 = b.trim().parse().map_err(|_| bad())?;
    if a > b {
        return Err(format!("`{s}`: the first year is after the last"));
    }
    Ok((a, b))
}

/// `--rank-by`: the outcome `wfsim sensitivity` ranks inputs by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RankBy {
    AgencyShare,
    Target,
    Cost,
}

impl From<RankBy> for wfsim::decide::sensitivity::RankBy {
    fn from(r: RankBy) -> Self {
        match r {
            RankBy::AgencyShare => Self::AgencyShare,
            RankBy::Target => Self::Target,
            RankBy::Cost => Self::Cost,
        }
    }
}
