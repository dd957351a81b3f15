//! Outputs of `wfsim sweep`, `wfsim solve` and `wfsim sensitivity`: CSV with fixed headers, a JSON
//! summary, a chart in SVG and PNG, and the terminal text. Each file has its [`Exporter`](super::Exporter), and a
//! command's files are made in memory and written as one set, as for `wfsim run`. Each command
//! has its module; this one holds what they share.

use std::io::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

mod sensitivity;
mod solve;
mod sweep;

pub use sensitivity::*;
pub use solve::*;
pub use sweep::*;

use super::provenance::Provenance;
use super::{OutFile, OutputError, one_file};
use crate::decide::vary::Vary;
use crate::output::charts::draw::Chart;
use crate::scenario::Scenario;
use crate::sim::run::Settings;

/// What was varied, in which scenario, with which settings: for text and provenance.
pub struct Job<'a> {
    pub vary: &'a Vary,
    pub option: Option<&'a str>,
    pub scenario: &'a Scenario,
    pub cfg: &'a Settings,
}

/// The provenance of a sweep or search, with the input varied and the option run.
fn provenance(job: &Job) -> Value {
    let mut v = Provenance::of_scenario(job.scenario, job.cfg).object();
    v.insert("path".into(), json!(job.vary.path));
    v.insert("option".into(), json!(job.option.unwrap_or("baseline")));
    Value::Object(v)
}

/// What a sweep's or search's user should know: about varying the input, then each target
/// beyond the horizon, which has no chance to show.
pub fn notes(job: &Job) -> Vec<String> {
    let mut notes = crate::decide::vary::notes(job.vary);
    // An input the file gives as a distribution is fixed at each value: its uncertainty leaves
    // the ranges, and the scenario as stated lies between the values, not at one of them.
    if job.vary.uncertain_input {
        notes.push(format!(
            "`{}` is uncertain in the scenario (a distribution), and is fixed at each value here, so \
             the ranges leave out its uncertainty; the scenario as stated is not any one value's \
             row (`wfsim run` gives it)",
            job.vary.path
        ));
    }
    notes.extend(crate::decide::unassessed(job.scenario, job.cfg.months));
    notes
}

/// A CSV file with a header row.
fn csv_file(
    name: &str,
    head: &[&str],
    rows: Vec<Vec<String>>,
) -> Result<Vec<OutFile>, OutputError> {
    one_file(name, |w| {
        let mut c = super::csv::CsvFile::new(w);
        c.row(head)?;
        for r in rows {
            c.row(&r)?;
        }
        c.finish()
    })
}

/// A JSON file, pretty-printed.
fn json_file(name: &str, v: &Value) -> Result<Vec<OutFile>, OutputError> {
    one_file(name, |w| {
        serde_json::to_writer_pretty(&mut *w, v).map_err(std::io::Error::other)?;
        w.write_all(b"\n")
    })
}

/// A chart as `<stem>.svg` and `<stem>.png`.
fn chart_files(stem: &str, chart: &Chart) -> Result<Vec<OutFile>, OutputError> {
    Ok(vec![
        OutFile {
            path: PathBuf::from(format!("{stem}.svg")),
            bytes: chart.svg()?.into_bytes(),
        },
        OutFile {
            path: PathBuf::from(format!("{stem}.png")),
            bytes: chart.png()?,
        },
    ])
}
