//! One function per command: read and check the inputs, call the library, write the files, print.
//!
//! Everything is checked (the scenario, the run's settings, the census, the output folder) before
//! any simulation starts, so a mistake fails at once and nothing is written.

use std::path::{Path, PathBuf};

use super::args::{Command, Common};
use super::failure::Failure;
use super::progress::Bar;
use wfsim::census;
use wfsim::decide::{self, sensitivity};
use wfsim::model::format::num;
use wfsim::output::{self, Projection};
use wfsim::scenario::diag::Source;
use wfsim::scenario::{self, Document, LoadError, Scenario};
use wfsim::sim::run::{self, RunConfig, Settings};

/// Runs one command.
pub fn dispatch(command: Command) -> Result<(), Failure> {
    match command {
        Command::Run {
            scenario,
            no_report,
            census,
            council,
            years,
            common,
        } => run(&scenario, !no_report, census.zip(council), years, &common),
        Command::Sweep {
            scenario,
            vary,
            option,
            common,
        } => sweep(&scenario, &vary, option.as_deref(), &common),
        Command::Solve {
            scenario,
            target,
            probability,
            vary,
            option,
            minimise,
            subject_to,
            common,
        } => {
            let goal = decide::Goal {
                target,
                probability,
                minimise_cost: minimise.is_some(),
                subject_to,
            };
            solve(&scenario, &vary, option.as_deref(), &goal, &common)
        }
        Command::Sensitivity {
            scenario,
            option,
            target,
            include_known,
            rank_by,
            common,
        } => sensitivity(
            &scenario,
            option.as_deref(),
            target.as_deref(),
            (include_known, rank_by.into()),
            &common,
        ),
        Command::Check { scenario } => {
            let s = scenario::load(&scenario)?;
            print!("{}", output::check::render(&s));
            Ok(())
        }
        Command::Init {
            council,
            census,
            as_of,
            staff,
            leavers,
            agency,
            grades,
            leavers_from,
            prior_fte_years,
            template,
            out,
            force,
        } => match (template, council) {
            (Some(dir), _) => init_template(&dir, force),
            (None, Some(council)) => {
                let own = staff.map(|staff| census::council::Request {
                    staff,
                    leavers,
                    agency,
                    grades,
                    leavers_from: leavers_from
                        .and_then(|(y, m)| census::council::Date::new(y, m, 1)),
                    prior_fte_years,
                });
                init(&council, census.as_deref(), as_of, own.as_ref(), out, force)
            }
            // clap requires --council without --template.
            (None, None) => Err(Failure::Init(census::init::InitError::Empty(
                "give --council NAME, or --template DIR".into(),
            ))),
        },
        Command::Backtest {
            census,
            origins,
            years,
            council,
            reps,
            seed,
            out,
            threads,
            quiet,
        } => {
            let cfg = census::backtest::Config {
                origins,
                years,
                councils: council,
                replications: reps,
                seed,
            };
            backtest(census.as_deref(), &cfg, &out, threads, quiet)
        }
        Command::Serve {
            scenario,
            council,
            census,
            as_of,
            port,
            no_open,
        } => serve(
            scenario.as_deref(),
            council.as_deref(),
            census.as_deref(),
            as_of,
            port,
            no_open,
        ),
        Command::Census { file, council } => {
            let c = match file {
                Some(file) => census::read(&file)?,
                None => census::shipped()?,
            };
            let area = c.find(&council)?;
            print!("{}", output::census::render(&c, area));
            Ok(())
        }
    }
}

/// `wfsim init --template DIR`: the three files a council fills in, each written atomically,
/// never over an existing file unless `force`.
fn init_template(dir: &Path, force: bool) -> Result<(), Failure> {
    let files = census::council::TEMPLATE_FILES;
    if !force && let Some((name, _)) = files.iter().find(|(n, _)| dir.join(n).exists()) {
        return Err(Failure::TemplateExists(dir.join(name)));
    }
    match std::fs::metadata(dir) {
        Ok(m) if !m.is_dir() => return Err(Failure::NotAFolder(dir.to_path_buf())),
        Ok(_) => {}
        Err(_) => std::fs::create_dir_all(dir).map_err(|source| output::WriteError {
            path: dir.to_path_buf(),
            source,
        })?,
    }
    // Every file's place checked before any is written, so that none is written when one
    // cannot be.
    for (name, _) in files {
        let path = dir.join(name);
        match std::fs::symlink_metadata(&path) {
            Ok(m) if !m.is_file() => return Err(Failure::TemplateNotAFile(path)),
            _ => {}
        }
    }
    for (name, text) in files {
        output::write_atomic(&dir.join(name), |w| w.write_all(text.as_bytes()))?;
    }
    println!(
        "wrote {} in {}: fill them in (or copy your extract's columns into them), then run \
         `wfsim init --council NAME --staff {}` with --leavers and --agency; docs/init.md \
         describes each column",
        files.map(|(n, _)| n).join(", "),
        dir.display(),
        dir.join("staff.csv").display()
    );
    Ok(())
}

/// `wfsim init`: a scenario for one council from the census (and its own files, `own`), written
/// atomically, never over an existing file unless `force`.
fn init(
    council: &str,
    file: Option<&Path>,
    as_of: Option<i32>,
    own: Option<&census::council::Request>,
    out: Option<PathBuf>,
    force: bool,
) -> Result<(), Failure> {
    let (c, source) = match file {
        Some(f) => (census::read(f)?, f.display().to_string()),
        None => (
            census::shipped()?,
            format!("{} as wfsim ships it", census::SHIPPED_NAME),
        ),
    };
    let built = census::init::build_with(&c, council, as_of, &source, own)?;
    for w in &built.warnings {
        eprintln!("warning: {}", wfsim::scenario::diag::shown(w));
    }
    let path = out.unwrap_or_else(|| PathBuf::from(&built.file_name));
    // Never over a file it read: --force would replace the council's own data with the scenario.
    let read = [file].into_iter().flatten().chain(
        own.into_iter()
            .flat_map(|r| {
                [
                    Some(r.staff.as_path()),
                    r.leavers.as_deref(),
                    r.agency.as_deref(),
                    r.grades.as_deref(),
                ]
            })
            .flatten(),
    );
    let same = |a: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(&path)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if read.into_iter().any(same) {
        return Err(Failure::OutIsInput(path));
    }
    match std::fs::symlink_metadata(&path) {
        Ok(m) if !m.is_file() => return Err(Failure::NotAFile(path)),
        Ok(_) if !force => return Err(Failure::Exists(path)),
        _ => {}
    }
    // A folder that does not exist yet is made, as `run --out` makes its folder.
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        match std::fs::metadata(parent) {
            Ok(m) if !m.is_dir() => return Err(Failure::NotAFolder(parent.to_path_buf())),
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(parent).map_err(|source| output::WriteError {
                path: parent.to_path_buf(),
                source,
            })?,
        }
    }
    // What init writes must load: from the census alone, a failure here is wfsim's; from the
    // council's files, it is what the files hold (a whole council's staff, say), bad input.
    scenario::parse(&Source::new(path.display().to_string(), built.text.clone())).map_err(|e| {
        match own {
            Some(_) => Failure::Init(census::init::InitError::Empty(format!(
                "the scenario built from the council's files would not load, as they hold what \
                 no scenario can (far more staff than a council's children's social workers?): \
                 {e}"
            ))),
            None => Failure::Built(e.to_string()),
        }
    })?;
    output::write_atomic(&path, |w| w.write_all(built.text.as_bytes()))?;
    println!(
        "wrote {} for {} from {}the census at 30 September {}; check it with `wfsim check {}`, then run it",
        path.display(),
        built.council,
        if own.is_some() {
            "its own files and "
        } else {
            ""
        },
        built.as_of,
        path.display()
    );
    Ok(())
}

/// The port `serve` listens on unless told: if it is taken, a free one.
const SERVE_PORT: u16 = 8044;

/// `wfsim serve`: the what-if page for a scenario file, the scenario `init` writes for a council,
/// or the built-in example; checked before the page starts, served until Ctrl-C.
fn serve(
    scenario: Option<&Path>,
    council: Option<&str>,
    census_file: Option<&Path>,
    as_of: Option<i32>,
    port: Option<u16>,
    no_open: bool,
) -> Result<(), Failure> {
    let (file, text, from) = match (scenario, council) {
        (Some(path), _) => {
            let source = scenario::read_source(path)?;
            let name = path.file_name().map_or_else(
                || "scenario.toml".into(),
                |n| n.to_string_lossy().into_owned(),
            );
            (name, source.text, path.display().to_string())
        }
        (None, Some(council)) => {
            let (c, source) = match census_file {
                Some(f) => (census::read(f)?, f.display().to_string()),
                None => (
                    census::shipped()?,
                    format!("{} as wfsim ships it", census::SHIPPED_NAME),
                ),
            };
            let built = census::init::build(&c, council, as_of, &source)?;
            let from = format!(
                "the scenario `wfsim init` writes for {} at 30 September {}",
                built.council, built.as_of
            );
            (built.file_name, built.text, from)
        }
        (None, None) => (
            wfsim::serve::EXAMPLE.0.to_string(),
            wfsim::serve::EXAMPLE.1.to_string(),
            "the Tameside example built into wfsim (scenarios/tameside-2022.toml)".to_string(),
        ),
    };
    // The page starts only from a scenario that reads, as `run` would.
    let s = scenario::parse(&Source::new(file.clone(), text.clone())).map_err(LoadError::from)?;
    let bind = |port| wfsim::serve::http::Server::bind(wfsim::serve::App::new(&file, &text), port);
    let server = match port {
        Some(p) => bind(p)?,
        None => bind(SERVE_PORT).or_else(|_| bind(0))?,
    };
    let url = server.url();
    println!(
        "wfsim serve: {} ({from}) at {url}\nOpen that address in a browser on this computer; Ctrl-C stops the page. Nothing is written to disk but what you download.",
        s.name
    );
    if !no_open && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        open_browser(&url);
    }
    server.run().map_err(Failure::ServeStopped)?;
    Ok(())
}

/// Asks the system to open `url` in the user's browser; if it cannot, the address printed will do.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let _ = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}

/// Warns on stderr (even when quiet) before a run likely to take more than two minutes: `runs` is
/// how many runs of the scenario the command makes (at least).
fn warn_if_long(s: &Scenario, cfg: &Settings, runs: u32) {
    let secs = run::estimated_seconds(s, cfg) * f64::from(runs);
    if secs > 120.0 {
        eprintln!(
            "Warning: this run may take about {} minutes on this machine ({} replications of {} over {} months); Ctrl-C stops it and writes nothing. Fewer replications (--reps) or months (--months) make it quicker.",
            (secs / 60.0).round().max(2.0),
            cfg.replications,
            match s.variants.len() {
                1 => "the baseline".to_string(),
                n => format!("the baseline and {} options", n - 1),
            },
            cfg.months
        );
    }
}

/// The census a command reads: the file given, or the copy wfsim ships.
fn census_or_shipped(file: Option<&Path>) -> Result<census::Census, Failure> {
    Ok(match file {
        Some(f) => census::read(f)?,
        None => census::shipped()?,
    })
}

/// `wfsim backtest`: every council and origin scored, the files written as one set, the scores
/// printed.
fn backtest(
    file: Option<&Path>,
    cfg: &census::backtest::Config,
    out: &Path,
    threads: Option<usize>,
    quiet: bool,
) -> Result<(), Failure> {
    let c = census_or_shipped(file)?;
    let _held = open_out(out)?;
    let bar = Bar::with_unit(quiet, "councils and origins");
    bar.install_ctrlc();
    let b = run::in_pool(threads, || census::backtest::run(&c, cfg, &bar))??;
    let files = output::backtest::files(&b)?;
    let written = output::publish(out, &files)?;
    if !quiet {
        print!("{}", output::backtest::markdown(&b));
        println!("written to {}:", out.display());
        for w in written {
            println!("  {}", w.strip_prefix(out).unwrap_or(&w).display());
        }
    }
    Ok(())
}

/// `wfsim run`: every option of the scenario, its files, and its tables on the terminal.
fn run(
    scenario: &Path,
    report: bool,
    census: Option<(PathBuf, String)>,
    years: Option<String>,
    common: &Common,
) -> Result<(), Failure> {
    let s = scenario::load(scenario)?;
    let asked = RunConfig {
        years,
        ..common.config(&s)
    };
    // The report says what the 2024 agency rules change, from replications run again without
    // them; without the report (`--no-report`, a faster run) they are not run, and `summary.json`
    // is the `serve` page's.
    let cfg = if report {
        run::settle_comparing_rules(&s, &asked)?
    } else {
        run::settle(&s, &asked)?
    };
    // Read before simulating, so that a wrong file or name fails at once.
    let published = match census {
        Some((file, council)) => {
            let c = census::read(&file)?;
            Some(census::Published::of(&c, c.find(&council)?))
        }
        None => None,
    };
    let dir = common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(&s.name));
    let _held = open_out(&dir)?;
    warn_if_long(&s, &cfg, 1);
    let bar = Bar::new(common.quiet);
    bar.install_ctrlc();
    let results = run::run_settled(&s, &cfg, &bar)?;
    let projection = Projection {
        results: &results,
        census: published.as_ref(),
    };
    let written = output::write_run(&dir, &projection, report)?;
    if common.quiet {
        return Ok(());
    }
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
    if let Some(finance) = output::table::finance(&results) {
        println!("{finance}");
    }
    if let Some(p) = &published {
        let a = output::census::against(&results, p);
        println!(
            "baseline against the census ({}, 30 September; median and 90% range):",
            p.area.name
        );
        let mut rows = vec![a.head];
        rows.extend(a.rows);
        println!("{}", output::table::layout(&rows));
    }
    print_written(&dir, &written);
    Ok(())
}

/// `wfsim sweep`: the scenario at every value of one input.
fn sweep(
    scenario: &Path,
    vary: &decide::Vary,
    option: Option<&str>,
    common: &Common,
) -> Result<(), Failure> {
    let source = scenario::read_source(scenario)?;
    let doc = Document::parse(&source).map_err(LoadError::from)?;
    let Setup {
        s,
        cfg,
        dir,
        bar,
        _held,
    } = setup(&doc, common, "sweep")?;
    let varied = decide::Varied::resolve(&doc, &s, vary, option)?;
    let option = varied.option();
    let points = decide::sweep(&doc, &varied, &cfg, &bar)?;
    let job = output::decide::Job {
        vary: varied.vary(),
        option,
        scenario: &s,
        cfg: &cfg,
    };
    let written = output::decide::write_sweep(&dir, &job, &points)?;
    if !common.quiet {
        println!(
            "{}: {} = {} to {} ({}), {} replications each, seed {}\n",
            s.name,
            wfsim::scenario::keypath::for_reader(&vary.path),
            // The values run: a STEP that does not reach TO stops short of it.
            num(points.first().map_or(vary.from, |p| p.value), 6),
            num(points.last().map_or(vary.to, |p| p.value), 6),
            option.unwrap_or("baseline"),
            cfg.replications,
            cfg.seed
        );
        println!("{}", output::decide::sweep_table(&job, &points));
        for n in output::decide::notes(&job) {
            println!("note: {n}\n");
        }
        print_written(&dir, &written);
    }
    Ok(())
}

/// `wfsim solve`: the smallest (largest, or cheapest) value of an input that meets a target.
fn solve(
    scenario: &Path,
    vary: &decide::Vary,
    option: Option<&str>,
    goal: &decide::Goal,
    common: &Common,
) -> Result<(), Failure> {
    let source = scenario::read_source(scenario)?;
    let doc = Document::parse(&source).map_err(LoadError::from)?;
    let Setup {
        s,
        cfg,
        dir,
        bar,
        _held,
    } = setup(&doc, common, "solve")?;
    let varied = decide::Varied::resolve(&doc, &s, vary, option)?;
    let option = varied.option();
    let solution = decide::solve(&doc, &varied, goal, &cfg, &bar)?;
    let job = output::decide::Job {
        vary: varied.vary(),
        option,
        scenario: &s,
        cfg: &cfg,
    };
    let written = output::decide::write_solve(&dir, &job, &solution)?;
    if !common.quiet {
        print!("{}", output::decide::solve_text(&job, &solution));
        for n in output::decide::notes(&job) {
            println!("note: {n}");
        }
        println!();
        print_written(&dir, &written);
    }
    Ok(())
}

/// `wfsim sensitivity`: which inputs the answer hangs on.
fn sensitivity(
    scenario: &Path,
    option: Option<&str>,
    target: Option<&str>,
    (include_known, rank_by): (bool, sensitivity::RankBy),
    common: &Common,
) -> Result<(), Failure> {
    let source = scenario::read_source(scenario)?;
    let doc = Document::parse(&source).map_err(LoadError::from)?;
    let Setup {
        s,
        cfg,
        dir,
        bar,
        _held,
    } = setup(&doc, common, "sensitivity")?;
    if rank_by == sensitivity::RankBy::Target
        && !s.targets.iter().any(|t| t.month <= cfg.months as usize)
    {
        return Err(wfsim::decide::DecideError::Usage(
            "--rank-by target needs a target, and the scenario has none within the horizon".into(),
        )
        .into());
    }
    let mut sens = sensitivity::sensitivity(&doc, &s, option, target, include_known, &cfg, &bar)?;
    sens.rank(rank_by)?;
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
        // Known quantities in one line: there can be many, and one reason serves them all.
        let (known, other): (Vec<_>, Vec<_>) = sens
            .skipped
            .iter()
            .partition(|(_, why)| why == sensitivity::KNOWN_REASON);
        for (p, why) in other {
            println!("not swung: {p}: {why}");
        }
        if !known.is_empty() {
            let paths: Vec<&str> = known.iter().map(|(p, _)| p.as_str()).collect();
            println!(
                "not swung, as {}: {}",
                sensitivity::KNOWN_REASON,
                paths.join(", ")
            );
        }
        if !sens.skipped.is_empty() {
            println!();
        }
        for n in wfsim::decide::unassessed(&s, cfg.months) {
            println!("note: {n}\n");
        }
        print_written(&dir, &written);
    }
    Ok(())
}

/// What sweep, solve and sensitivity start with.
struct Setup {
    s: Scenario,
    cfg: Settings,
    dir: PathBuf,
    bar: Bar,
    /// The output folder, locked until the command's files are written.
    _held: output::OutDir,
}

/// Reads and validates the scenario from its parsed file, settles the run settings, prepares the
/// output folder (default `out/<scenario name>-<command>`) and the progress bar with its Ctrl-C
/// handler.
fn setup(doc: &Document, common: &Common, command: &str) -> Result<Setup, Failure> {
    let s = doc.read(&[]).map_err(LoadError::from)?;
    let cfg = run::settle(&s, &common.config(&s))?;
    let dir = common
        .out
        .clone()
        .unwrap_or_else(|| Path::new("out").join(format!("{}-{command}", s.name)));
    let held = open_out(&dir)?;
    warn_if_long(&s, &cfg, 1);
    let bar = Bar::new(common.quiet);
    bar.install_ctrlc();
    Ok(Setup {
        s,
        cfg,
        dir,
        bar,
        _held: held,
    })
}

/// Takes the output folder for a command (see `output::OutDir`), saying on stderr what it had to
/// do (a lock taken over, say).
fn open_out(dir: &Path) -> Result<output::OutDir, Failure> {
    // A file where the folder should be is a wrong --out, said as such before anything runs.
    if std::fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(Failure::NotAFolder(dir.to_path_buf()));
    }
    let held = output::OutDir::open(dir)?;
    for n in held.notes() {
        eprintln!("note: {n}");
    }
    Ok(held)
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
