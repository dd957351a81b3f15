//! What reproduces a result: wfsim's version, the scenario file and its hash, the seed, the
//! replications, the months and the start. Every JSON file a command writes opens with it, built
//! here once, from a run's results or from a scenario and the settings it ran with.

use serde_json::{Map, Value, json};

use crate::scenario::Scenario;
use crate::sim::run::{Results, Settings};

/// The provenance of a result, in the order its JSON gives it.
pub struct Provenance<'a> {
    pub wfsim_version: &'a str,
    pub scenario: &'a str,
    pub scenario_file: &'a str,
    pub input_sha256: &'a str,
    pub seed: u64,
    pub replications: u32,
    pub months: u32,
    pub start: String,
}

impl<'a> Provenance<'a> {
    /// The provenance a run's results carry.
    pub fn of_results(r: &'a Results) -> Provenance<'a> {
        Provenance {
            wfsim_version: &r.version,
            scenario: &r.scenario,
            scenario_file: &r.file,
            input_sha256: &r.input_hash,
            seed: r.seed,
            replications: r.replications,
            months: r.months,
            start: r.start.to_string(),
        }
    }

    /// The provenance of runs of `s` with `cfg` (sweep, solve and sensitivity make many).
    pub fn of_scenario(s: &'a Scenario, cfg: &Settings) -> Provenance<'a> {
        Provenance {
            wfsim_version: env!("CARGO_PKG_VERSION"),
            scenario: &s.name,
            scenario_file: &s.file,
            input_sha256: &s.input_hash,
            seed: cfg.seed,
            replications: cfg.replications,
            months: cfg.months,
            start: s.start.to_string(),
        }
    }

    /// A JSON object holding the provenance, for a file to add its own keys to.
    pub fn object(&self) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert("wfsim_version".into(), json!(self.wfsim_version));
        m.insert("scenario".into(), json!(self.scenario));
        m.insert("scenario_file".into(), json!(self.scenario_file));
        m.insert("input_sha256".into(), json!(self.input_sha256));
        m.insert("seed".into(), json!(self.seed));
        m.insert("replications".into(), json!(self.replications));
        m.insert("months".into(), json!(self.months));
        m.insert("start".into(), json!(self.start));
        m
    }
}
