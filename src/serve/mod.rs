//! `wfsim serve`: a what-if page on this computer. The page holds the scenario's text; each change
//! is sent with it, made to the text (`edit`), read by the same reader as `wfsim check`, run as
//! `wfsim run` runs it, and answered with the page's controls (`controls`), its tables and its
//! charts, drawn by the report's own chart code as SVG. Downloads are made by the same exporters
//! as `wfsim run`'s files, and served, never written to disk.
//!
//! An answer reuses what has not changed: options are compared on common random numbers, so an
//! option's results depend only on its own inputs, the baseline's, and the run's (seed,
//! replications, months, start, targets, span). Each option's results are kept under a hash of
//! all of those ([`variant_key`]); a change runs again only the baseline and the options whose
//! hash it changed, and the rest are taken from the last run, the same to the byte as a run of
//! the whole scenario. A change to the baseline therefore runs every option again.
//!
//! The handlers ([`App::handle`]) take a request's method, path and body and return a [`Reply`],
//! so they are tested without a network; `http` puts them behind a server on 127.0.0.1 that
//! refuses requests from any other site. Nothing here prints.

pub mod controls;
pub mod edit;
pub mod http;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use rayon::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::output::charts::{self, Drawing};
use crate::output::{self, Exporter, OutFile, Projection, csv, json as out_json, report, table};
use crate::scenario::diag::{ScenarioErrors, Source, sha256_hex};
use crate::scenario::{Document, Scenario};
use crate::sim::run::{self, Progress, Results, RunConfig, RunError, Settings, VariantResults};
use edit::Edit;

/// The annotated example scenario, built into the program: what the page starts from when it is
/// given neither a scenario nor a council.
pub const EXAMPLE: (&str, &str) = (
    "tameside-2022.toml",
    include_str!("../../scenarios/tameside-2022.toml"),
);

/// The largest request body accepted, in bytes: a scenario's text and the changes to it (the
/// bundled scenarios are 10 to 30 KB).
pub const MAX_BODY: usize = 1 << 20;

/// The longest scenario text the changes may make, in bytes: half of [`MAX_BODY`], so that the
/// page can send it back with the next change however much JSON's escapes lengthen it (a quote or
/// a line break takes two bytes there).
pub const MAX_TEXT: usize = MAX_BODY / 2;

/// The most changes one answer makes: the page sends those made while the last answer was on its
/// way, a handful; each change rewrites the scenario's text, so many thousands took minutes.
pub const MAX_EDITS: usize = 200;

/// The page's files, built into the program.
const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const STYLE_CSS: &str = include_str!("page/style.css");

/// The charts the page shows, by file stem (those a run draws for the report), in this order;
/// `target_` stands for each target's chart.
const PAGE_CHARTS: [&str; 6] = [
    "fan_agency_share",
    "fan_caseload",
    "fan_permanent_fte",
    "target_",
    "cost_vs_agency_avoided",
    "cumulative_net_cost",
];

/// A response: its status, type, body and, for a download, the file name it is saved as.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub download: Option<String>,
}

impl Reply {
    fn json(status: u16, v: &Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(v).expect("JSON"),
            download: None,
        }
    }

    fn error(status: u16, message: &str) -> Reply {
        Reply::json(status, &json!({ "error": message }))
    }

    fn asset(content_type: &'static str, text: &str) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: text.as_bytes().to_vec(),
            download: None,
        }
    }
}

/// The run in progress, for the page's progress bar, and which run is the latest: a change made
/// while a run is going stops it (between replications), since its answer is no longer wanted.
#[derive(Default)]
struct Live {
    generation: AtomicU64,
    /// Counts the page's Stop: a download's run, which a later change does not stop, stops here.
    stops: AtomicU64,
    running: AtomicBool,
    done: AtomicU64,
    total: AtomicU64,
}

struct PageProgress<'a> {
    live: &'a Live,
    /// `None`: never stopped by a later change (a download's run).
    generation: Option<u64>,
    /// The count of Stops as the run began: a Stop after it stops the run.
    stops: u64,
}

impl<'a> PageProgress<'a> {
    /// A run's progress: stopped by a later change when `generation` is given, and by a Stop
    /// after `stops` (the count of Stops when its request came).
    fn new(live: &'a Live, generation: Option<u64>, stops: u64) -> PageProgress<'a> {
        PageProgress {
            live,
            generation,
            stops,
        }
    }
}

impl Progress for PageProgress<'_> {
    fn start(&self, total: u64) {
        self.live.done.store(0, Ordering::Relaxed);
        self.live.total.store(total, Ordering::Relaxed);
    }
    fn advance(&self, n: u64) {
        self.live.done.fetch_add(n, Ordering::Relaxed);
    }
    fn cancelled(&self) -> bool {
        self.generation
            .is_some_and(|g| self.live.generation.load(Ordering::Relaxed) != g)
            || self.live.stops.load(Ordering::Relaxed) != self.stops
    }
}

/// The page's server side: the scenario it starts from, the run in progress and the last results.
pub struct App {
    /// The starting scenario's file name (as results and downloads name it) and text.
    file: String,
    text: String,
    live: Live,
    /// Held while a run goes on: one run at a time, each with both cores.
    running: Mutex<()>,
    /// The last results, with the hash of the text they came from: a download of what the page
    /// shows is made from the very numbers it shows.
    last: Mutex<Option<(String, Arc<Results>)>>,
    /// The last run's options' results, by [`variant_key`]: their summaries, whose size does not
    /// grow with replications.
    kept: Mutex<HashMap<String, VariantResults>>,
    /// The last results with the 2024 agency rules' comparison (the report's and
    /// `summary.json`'s), with the hash of the text they came from: downloading both runs it once.
    compared: Mutex<Option<(String, Arc<Results>)>>,
}

/// The hash of everything option `v`'s results depend on: its inputs and the baseline's (their
/// whole specification, as read, including the paths and file positions its inputs are known by
/// in messages), the scenario's start, horizon, replications, seed and targets, the run's
/// settings (seed, replications, months, span of years), the metrics the scenario reports (which
/// any of its options can change) and wfsim's version. Its name and description are not in it:
/// they are copied into its results, not used to make them.
pub fn variant_key(s: &Scenario, cfg: &Settings, v: usize) -> String {
    let all = format!(
        "{}\n{:?}\n{:?}\n{:?}|{}|{}|{}|{:?}\n{:?}\n{}|{}|{}|{:?}\n{:?}",
        env!("CARGO_PKG_VERSION"),
        s.baseline(),
        s.variants[v].spec,
        s.start,
        s.months,
        s.replications,
        s.seed,
        s.calibration,
        s.targets,
        cfg.seed,
        cfg.replications,
        cfg.months,
        cfg.span,
        reported(s),
    );
    sha256_hex(all.as_bytes())
}

/// The metrics `s` reports: those every scenario reports, and those its options' inputs call for.
fn reported(s: &Scenario) -> Vec<crate::model::metric::Metric> {
    s.metrics().into_iter().filter(|&m| s.reports(m)).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    text: String,
    #[serde(default)]
    edits: Vec<Edit>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DownloadRequest {
    text: String,
    file: String,
}

/// The files the page offers, as `wfsim run` names them.
pub const DOWNLOADS: [&str; 7] = [
    "scenario.toml",
    "report.html",
    "results.xlsx",
    "trajectories.csv",
    "costs.csv",
    "comparison.csv",
    "summary.json",
];

impl App {
    /// The page for the scenario `text`, read from a file called `file`.
    pub fn new(file: impl Into<String>, text: impl Into<String>) -> App {
        App {
            file: file.into(),
            text: text.into(),
            live: Live::default(),
            running: Mutex::new(()),
            last: Mutex::new(None),
            kept: Mutex::new(HashMap::new()),
            compared: Mutex::new(None),
        }
    }

    /// Answers one request (the server has checked where it came from).
    pub fn handle(&self, method: &str, url: &str, body: &[u8]) -> Reply {
        // A Stop from now on stops what this request runs, however long it takes to get there.
        let stops = self.live.stops.load(Ordering::Relaxed);
        let path = url.split(['?', '#']).next().unwrap_or("");
        match (method, path) {
            ("GET", "/") => Reply::asset("text/html; charset=utf-8", INDEX_HTML),
            ("GET", "/app.js") => Reply::asset("text/javascript; charset=utf-8", APP_JS),
            ("GET", "/style.css") => Reply::asset("text/css; charset=utf-8", STYLE_CSS),
            ("GET", "/api/start") => Reply::json(
                200,
                &json!({ "file": self.file, "text": self.text, "downloads": DOWNLOADS }),
            ),
            ("GET", "/api/progress") => Reply::json(
                200,
                &json!({
                    "running": self.live.running.load(Ordering::Relaxed),
                    "done": self.live.done.load(Ordering::Relaxed),
                    "total": self.live.total.load(Ordering::Relaxed),
                }),
            ),
            ("POST", "/api/run") => match serde_json::from_slice::<RunRequest>(body) {
                Ok(rq) => self.run(&rq.text, &rq.edits, stops),
                Err(e) => Reply::error(400, &format!("bad request: {e}")),
            },
            ("POST", "/api/stop") => {
                self.live.generation.fetch_add(1, Ordering::Relaxed);
                self.live.stops.fetch_add(1, Ordering::Relaxed);
                Reply::json(200, &json!({ "stopped": true }))
            }
            ("POST", "/api/download") => match serde_json::from_slice::<DownloadRequest>(body) {
                Ok(rq) => self.download(&rq.text, &rq.file, stops),
                Err(e) => Reply::error(400, &format!("bad request: {e}")),
            },
            (_, "/" | "/app.js" | "/style.css" | "/api/start" | "/api/progress") => {
                Reply::error(405, "use GET")
            }
            (_, "/api/run" | "/api/stop" | "/api/download") => Reply::error(405, "use POST"),
            _ => Reply::error(404, "not found"),
        }
    }

    /// Reads the scenario `text` as `wfsim check` does.
    fn read(&self, text: &str) -> Result<Scenario, ScenarioErrors> {
        let source = Source::new(self.file.clone(), text);
        Document::parse(&source)?.read(&[])
    }

    /// `POST /api/run`: the changes made, the text read, and if it holds no problem, run.
    fn run(&self, text: &str, edits: &[Edit], stops: u64) -> Reply {
        // A change stops the run in progress, which is for text the page no longer holds, whether
        // or not this one can be made or run.
        self.live.generation.fetch_add(1, Ordering::Relaxed);
        if edits.len() > MAX_EDITS {
            return Reply::error(
                413,
                &format!(
                    "{} changes at once; an answer takes at most {MAX_EDITS}",
                    edits.len()
                ),
            );
        }
        let text = match edit::apply(text, edits) {
            Ok(t) => t,
            Err(e) => return Reply::error(422, &e),
        };
        let read = self.read(&text);
        let diagnostics = match &read {
            Ok(_) => Vec::new(),
            Err(e) => e.diagnostics.clone(),
        };
        let mut panel = match controls::panel(&text, &diagnostics) {
            Ok(p) => p,
            Err(e) => return Reply::error(422, &e),
        };
        let s = match read {
            Ok(s) => s,
            Err(e) => {
                return Reply::json(
                    200,
                    &json!({ "text": text, "panel": panel, "problems": e.to_string() }),
                );
            }
        };
        let started = Instant::now();
        let (results, kept) = match self.results(&s, &text, true, stops) {
            Ok(r) => r,
            Err(RunError::Interrupted { .. }) => {
                return Reply::json(409, &json!({ "superseded": true }));
            }
            Err(RunError::Config(message)) => {
                // Replications or months out of range: beside the replications box.
                let said = format!("`scenario.replications`: {message}");
                match panel.run.first_mut().and_then(|i| i.controls.first_mut()) {
                    Some(c) => c.problems.push(said.clone()),
                    None => panel.other_problems.push(said.clone()),
                }
                return Reply::json(
                    200,
                    &json!({ "text": text, "panel": panel, "problems": said }),
                );
            }
            Err(e) => return Reply::error(422, &e.to_string()),
        };
        let ran = started.elapsed();
        let view = match view(&results) {
            Ok(v) => v,
            Err(e) => return Reply::error(500, &e.to_string()),
        };
        Reply::json(
            200,
            &json!({
                "text": text,
                "panel": panel,
                "problems": null,
                "results": view,
                "seconds": { "run": ran.as_secs_f64(), "all": started.elapsed().as_secs_f64() },
                "options_kept": kept,
            }),
        )
    }

    /// The results of `s` (read from `text`), from the last run when it ran the same text;
    /// `latest`: stopped by a later change. With them, how many options' results were taken from
    /// the last run rather than run again.
    fn results(
        &self,
        s: &Scenario,
        text: &str,
        latest: bool,
        stops: u64,
    ) -> Result<(Arc<Results>, usize), RunError> {
        let hash = sha256_hex(text.as_bytes());
        if let Some((h, r)) = &*self.last.lock().unwrap_or_else(|e| e.into_inner())
            && *h == hash
        {
            return Ok((r.clone(), r.variants.len() - 1));
        }
        let cfg = run::settle(s, &RunConfig::from_scenario(s))?;
        let generation = latest.then(|| self.live.generation.fetch_add(1, Ordering::Relaxed) + 1);
        let progress = PageProgress::new(&self.live, generation, stops);
        let _one = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if progress.cancelled() {
            return Err(RunError::Interrupted {
                done: 0,
                total: cfg.replications,
            });
        }
        self.live.running.store(true, Ordering::Relaxed);
        let r = self.run_reusing(s, &cfg, &progress);
        self.live.running.store(false, Ordering::Relaxed);
        let (r, reused) = r?;
        let r = Arc::new(r);
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some((hash, r.clone()));
        Ok((r, reused))
    }

    /// The results of `s` (read from `text`) with each option's first replications run again
    /// without the 2024 agency rules, as `wfsim run` makes them for its report: a run of its own,
    /// not stopped by a later change, and kept for the next download of the same text.
    fn results_comparing_rules(
        &self,
        s: &Scenario,
        text: &str,
        stops: u64,
    ) -> Result<Arc<Results>, RunError> {
        let hash = sha256_hex(text.as_bytes());
        if let Some((h, r)) = &*self.compared.lock().unwrap_or_else(|e| e.into_inner())
            && *h == hash
        {
            return Ok(r.clone());
        }
        let r = self.run_comparing_rules(s, stops)?;
        *self.compared.lock().unwrap_or_else(|e| e.into_inner()) = Some((hash, r.clone()));
        Ok(r)
    }

    fn run_comparing_rules(&self, s: &Scenario, stops: u64) -> Result<Arc<Results>, RunError> {
        let cfg = run::settle_comparing_rules(s, &RunConfig::from_scenario(s))?;
        let progress = PageProgress::new(&self.live, None, stops);
        let _one = self.running.lock().unwrap_or_else(|e| e.into_inner());
        if progress.cancelled() {
            return Err(RunError::Interrupted {
                done: 0,
                total: cfg.replications,
            });
        }
        self.live.running.store(true, Ordering::Relaxed);
        let r = run::run_settled(s, &cfg, &progress);
        self.live.running.store(false, Ordering::Relaxed);
        Ok(Arc::new(r?))
    }

    /// Runs `s`: the baseline and each option whose results were not kept from the last run
    /// (by [`variant_key`]), the others taken from it. Also says how many options were taken.
    fn run_reusing(
        &self,
        s: &Scenario,
        cfg: &Settings,
        progress: &dyn Progress,
    ) -> Result<(Results, usize), RunError> {
        let keys: Vec<String> = (0..s.variants.len())
            .map(|v| variant_key(s, cfg, v))
            .collect();
        let mut taken: Vec<Option<VariantResults>> = {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            keys.iter()
                .enumerate()
                .map(|(v, k)| (v > 0).then(|| kept.get(k).cloned()).flatten())
                .collect()
        };
        let mut some = s.clone();
        some.variants = s
            .variants
            .iter()
            .zip(&taken)
            .filter(|(_, t)| t.is_none())
            .map(|(v, _)| v.clone())
            .collect();
        // Without the kept options the run could report other metrics (an option's agency
        // flows call for theirs): then everything runs again.
        let reused = if reported(&some) == reported(s) {
            taken.iter().flatten().count()
        } else {
            taken.iter_mut().for_each(|t| *t = None);
            0
        };
        let r = if reused == 0 {
            run::run_settled(s, cfg, progress)?
        } else {
            // The baseline, which every option is compared with, and the options not kept.
            let mut r = run::run_settled(&some, cfg, progress)?;
            let mut ran = std::mem::take(&mut r.variants).into_iter();
            r.variants = s
                .variants
                .iter()
                .zip(taken)
                .map(|(v, t)| match t {
                    Some(mut kept) => {
                        kept.name.clone_from(&v.name);
                        kept.description.clone_from(&v.description);
                        kept
                    }
                    None => ran.next().expect("one run for each not kept"),
                })
                .collect();
            r
        };
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = keys
            .into_iter()
            .zip(&r.variants)
            .skip(1)
            .map(|(k, v)| (k, v.clone()))
            .collect();
        Ok((r, reused))
    }

    /// `POST /api/download`: the scenario's text as a file, or one of `wfsim run`'s files made
    /// from the page's results.
    fn download(&self, text: &str, file: &str, stops: u64) -> Reply {
        if !DOWNLOADS.contains(&file) {
            return Reply::error(404, &format!("no such download: {file}"));
        }
        let s = match self.read(text) {
            Ok(s) => s,
            Err(e) => return Reply::error(422, &e.to_string()),
        };
        if file == "scenario.toml" {
            return Reply {
                status: 200,
                content_type: "application/toml; charset=utf-8",
                body: text.as_bytes().to_vec(),
                download: Some(format!("{}.toml", s.name)),
            };
        }
        // The report and summary.json, as `wfsim run` writes them, say what the 2024 agency
        // rules change: that comparison is a run of its own, which the page's answers do not make.
        let comparing = matches!(file, "report.html" | "summary.json")
            && s.variants
                .iter()
                .any(|v| run::rules_in_force(&v.spec, s.start, s.months));
        let r = if comparing {
            self.results_comparing_rules(&s, text, stops)
        } else {
            self.results(&s, text, false, stops).map(|(r, _)| r)
        };
        let r = match r {
            Ok(r) => r,
            Err(RunError::Interrupted { .. }) => {
                return Reply::error(409, &format!("stopped: {file} was not made"));
            }
            Err(e) => return Reply::error(422, &e.to_string()),
        };
        let p = Projection::of(&r);
        let made: Result<Vec<OutFile>, output::OutputError> = match file {
            "report.html" => charts::draw_all(charts::figures(&p))
                .map_err(output::OutputError::from)
                .and_then(|drawn| {
                    report::ReportHtml.files(&Drawing {
                        projection: p,
                        drawn,
                    })
                }),
            "results.xlsx" => output::xlsx::Workbook.files(&p),
            "trajectories.csv" => csv::TrajectoriesCsv.files(&p),
            "costs.csv" => csv::CostsCsv.files(&p),
            "comparison.csv" => csv::ComparisonCsv.files(&p),
            _ => out_json::SummaryJson.files(&p),
        };
        let bytes = match made {
            Ok(files) => files
                .into_iter()
                .next()
                .map(|f| f.bytes)
                .unwrap_or_default(),
            Err(e) => return Reply::error(500, &e.to_string()),
        };
        Reply {
            status: 200,
            content_type: match file.rsplit('.').next() {
                Some("html") => "text/html; charset=utf-8",
                Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                Some("csv") => "text/csv; charset=utf-8",
                _ => "application/json; charset=utf-8",
            },
            body: bytes,
            download: Some(format!("{}-{file}", s.name)),
        }
    }
}

/// What the page shows of a run: its tables (the terminal's, as rows), the chance of each target
/// by option, its charts as SVG, and `summary.json` as `wfsim run` writes it.
fn view(r: &Results) -> Result<Value, charts::draw::ChartError> {
    let p = Projection::of(r);
    let mut figures: Vec<charts::Figure> = charts::figures(&p)
        .into_iter()
        .filter(|f| PAGE_CHARTS.iter().any(|s| f.stem.starts_with(s)))
        .collect();
    figures.sort_by_key(|f| {
        PAGE_CHARTS
            .iter()
            .position(|s| f.stem.starts_with(s))
            .unwrap_or(usize::MAX)
    });
    let svgs: Vec<Result<String, charts::draw::ChartError>> =
        figures.par_iter().map(|f| f.chart.svg()).collect();
    let mut drawn = Vec::new();
    for (f, svg) in figures.iter().zip(svgs) {
        drawn.push(json!({
            "stem": f.stem,
            "title": f.chart.title(),
            "caption": f.caption,
            "svg": svg?,
        }));
    }
    let targets: Vec<Value> = r
        .targets
        .iter()
        .enumerate()
        .map(|(ti, t)| {
            json!({
                "name": t.name,
                "condition": t.condition(&r.grade_names),
                "by": t.by.to_string(),
                "months": crate::output::chance::months(r, ti),
                "chances": r.variants.iter().map(|v| {
                    let m = &v.targets[ti];
                    let c = crate::output::chance::Chance::of(r, m, ti);
                    json!({
                        "p": m.met.p,
                        "se": m.met.se,
                        "year": c.year,
                        "text": format!(
                            "{} ({})",
                            crate::model::format::pc(m.met.p),
                            crate::model::format::pc(c.year)
                        ),
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    let finance =
        table::finance_rows(r).map(|(title, rows)| json!({ "title": title, "rows": rows }));
    Ok(json!({
        "scenario": r.scenario,
        "description": r.description,
        "replications": r.replications,
        "seed": r.seed,
        "start": r.start.to_string(),
        "end": r.date(r.months as usize).to_string(),
        "notes": r.notes,
        "findings": crate::output::report::findings(&p),
        "options": r.variants.iter().map(|v| json!({ "name": v.name, "description": v.description })).collect::<Vec<_>>(),
        "targets": targets,
        "outcomes": table::outcome_rows(r),
        "costs": table::cost_rows(r),
        "finance": finance,
        "charts": drawn,
        "summary": out_json::summary_value(&p),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App::new(EXAMPLE.0, EXAMPLE.1)
    }

    fn body(r: &Reply) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn stop_stops_a_downloads_run_and_a_refused_change_stops_the_run_it_replaces() {
        let app = app();
        // A download's run is not stopped by a later change, only by Stop.
        let stops = app.live.stops.load(Ordering::Relaxed);
        let download = PageProgress::new(&app.live, None, stops);
        app.live.generation.fetch_add(1, Ordering::Relaxed);
        assert!(!download.cancelled());
        let r = app.handle("POST", "/api/stop", b"{}");
        assert_eq!(r.status, 200);
        assert!(download.cancelled());
        // A download whose request came before a Stop is stopped, and says so.
        let text = EXAMPLE
            .1
            .replace("replications = 1000", "replications = 20");
        let r = app.download(&text, "costs.csv", stops);
        assert_eq!(r.status, 409);
        assert_eq!(
            body(&r)["error"].as_str().unwrap(),
            "stopped: costs.csv was not made"
        );
        let r = app.download(&text, "costs.csv", app.live.stops.load(Ordering::Relaxed));
        assert_eq!(r.status, 200);
        // A page's run is stopped by a change the reader refuses, as by any later change.
        let g = app.live.generation.load(Ordering::Relaxed);
        let page = PageProgress::new(&app.live, Some(g), app.live.stops.load(Ordering::Relaxed));
        let rq = json!({
            "text": EXAMPLE.1,
            "edits": [{ "op": "set", "path": "intake.asye.size", "value": "-3" }],
        });
        let r = app.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 200);
        assert!(body(&r)["problems"].is_string());
        assert!(page.cancelled());
    }

    #[test]
    fn the_rules_comparison_runs_once_for_the_report_and_summary_of_one_text() {
        let app = app();
        let text = EXAMPLE
            .1
            .replace("replications = 1000", "replications = 20");
        assert_ne!(text, EXAMPLE.1);
        let s = app.read(&text).unwrap();
        let first = app.results_comparing_rules(&s, &text, 0).unwrap();
        let again = app.results_comparing_rules(&s, &text, 0).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "run again for the same text");
        // Another text runs again.
        let other = text.replace("seed = 20220930", "seed = 1");
        assert_ne!(other, text);
        let s = app.read(&other).unwrap();
        let changed = app.results_comparing_rules(&s, &other, 0).unwrap();
        assert!(!Arc::ptr_eq(&first, &changed));
        assert_ne!(first.seed, changed.seed);
    }

    #[test]
    fn the_page_is_told_a_targets_window_when_it_is_shorter_than_a_year() {
        let app = app();
        let text = EXAMPLE
            .1
            .replace("replications = 1000", "replications = 20");
        let rq = json!({
            "text": text,
            "edits": [{ "op": "set", "path": "targets[80:20].by", "value": "2023-03", "text": true }],
        });
        let r = app.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 200);
        let v = body(&r);
        let targets = v["results"]["targets"].as_array().unwrap();
        // 2022-09 to 2023-03: 7 month-ends; the others' deadlines are years on.
        assert_eq!(targets[0]["name"], "80:20");
        assert_eq!(targets[0]["months"], 7);
        assert_eq!(targets[1]["months"], 12);
    }

    #[test]
    fn copies_stop_at_the_most_options_and_the_text_at_the_most_the_page_takes() {
        let app = app();
        let copies = |n: usize| {
            let edits: Vec<Value> = (0..n)
                .map(|_| json!({ "op": "copy_option", "option": "asye-25" }))
                .collect();
            let rq = json!({ "text": EXAMPLE.1, "edits": edits });
            app.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap())
        };
        // The example has 4 options beside the baseline: 46 more copies make 50.
        let r = copies(47);
        assert_eq!(r.status, 422);
        let e = body(&r)["error"].as_str().unwrap().to_string();
        assert!(
            e.contains("cannot be copied: the scenario has 50 options, and at most 50"),
            "{e}"
        );
        // A note that takes the text past what the page takes: refused, with the sizes.
        let note = "x".repeat(MAX_TEXT);
        let rq = json!({
            "text": EXAMPLE.1,
            "edits": [{ "op": "set", "path": "scenario.description", "value": note, "text": true }],
        });
        let r = app.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 422);
        let e = body(&r)["error"].as_str().unwrap().to_string();
        assert!(e.contains("the page takes at most 524,288"), "{e}");
        assert!(r.body.len() < 1_000, "{} bytes", r.body.len());
        // Copies of a large option stop as soon as the text passes it: here at the first copy
        // (the text then about 630 KB), not after building 49.
        let mut edits = vec![json!({
            "op": "set", "path": "options[asye-25].description",
            "value": "x".repeat(300_000), "text": true,
        })];
        edits.extend((0..49).map(|_| json!({ "op": "copy_option", "option": "asye-25" })));
        let rq = json!({ "text": EXAMPLE.1, "edits": edits });
        let r = app.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 422);
        let e = body(&r)["error"].as_str().unwrap().to_string();
        let len: usize = e
            .split(" bytes")
            .next()
            .and_then(|s| s.rsplit(' ').next())
            .map(|n| n.replace(',', "").parse().unwrap())
            .unwrap();
        assert!((MAX_TEXT..1_000_000).contains(&len), "{e}");
    }

    #[test]
    fn more_changes_at_once_than_an_answer_takes_are_refused_before_any_is_made() {
        let a = app();
        let add = |n: usize| {
            let rq = json!({ "text": EXAMPLE.1, "edits": vec![json!({ "op": "add_option" }); n] });
            a.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap())
        };
        let r = add(MAX_EDITS + 1);
        assert_eq!(r.status, 413);
        assert_eq!(
            body(&r)["error"],
            format!(
                "{} changes at once; an answer takes at most {MAX_EDITS}",
                MAX_EDITS + 1
            )
        );
        // The most it takes are made (and the page answered, problems or not).
        assert_eq!(add(MAX_EDITS).status, 200);
    }

    #[test]
    fn a_bad_value_is_shown_beside_its_box_and_nothing_runs() {
        let a = app();
        let rq = json!({
            "text": EXAMPLE.1,
            "edits": [{ "op": "set", "path": "intake.asye.size", "value": "-3" }],
        });
        let r = a.handle("POST", "/api/run", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 200);
        let v = body(&r);
        assert!(v["results"].is_null());
        let problems = v["problems"].as_str().unwrap();
        assert!(
            problems.starts_with("tameside-2022.toml has 1 problem"),
            "{problems}"
        );
        let size = v["panel"]["baseline"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == "intake.asye.size")
            .unwrap();
        let beside = size["controls"][0]["problems"][0].as_str().unwrap();
        assert!(beside.starts_with("`intake.asye.size`: "), "{beside}");
        assert!(problems.contains(beside), "{problems} / {beside}");
        assert!(a.last.lock().unwrap().is_none());
    }

    #[test]
    fn unknown_paths_and_methods_are_refused() {
        let a = app();
        assert_eq!(a.handle("GET", "/nothing", b"").status, 404);
        assert_eq!(a.handle("GET", "/api/run", b"").status, 405);
        assert_eq!(a.handle("POST", "/api/run", b"{").status, 400);
        let rq = json!({ "text": EXAMPLE.1, "file": "../etc/passwd" });
        let r = a.handle("POST", "/api/download", &serde_json::to_vec(&rq).unwrap());
        assert_eq!(r.status, 404);
    }
}
