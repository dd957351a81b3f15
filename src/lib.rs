//! wfsim: Monte Carlo workforce planning for children's social care in English councils.
//!
//! The library holds all model, statistics and output code; the `wfsim` binary only parses arguments,
//! prints, and maps errors to exit codes.
//!
//! - [`scenario`] reads and validates a TOML scenario (via [`raw`], [`dist`] and [`diag`]);
//! - [`engine`] simulates one replication of one option, month by month;
//! - [`run`] runs every option over many replications in parallel and aggregates the results;
//! - [`stats`] and [`compare`] hold the statistics; [`output`] writes files, tables and the report,
//!   with charts drawn by [`chart`] and the assumptions table read by [`assumptions`];
//! - [`sweep`] (sweeps and goal seeking) and [`sensitivity`] (tornado and rank correlations) are the
//!   decision tools built on [`run`];
//! - [`census`] reads the DfE workforce census file and flags its reporting artefacts.
//!
//! ```
//! use wfsim::scenario::diag::Source;
//! use wfsim::sim::run::{self, NoProgress, RunConfig};
//! use wfsim::scenario;
//!
//! let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
//! let s = scenario::parse(&Source::new("tameside-2022.toml", text)).unwrap();
//! let cfg = RunConfig { replications: 50, ..RunConfig::from_scenario(&s) };
//! let results = run::run(&s, &cfg, &NoProgress).unwrap();
//! let baseline = &results.variants[0];
//! assert_eq!(baseline.name, "baseline");
//! // Probability of meeting the first target (80:20) at its deadline.
//! let p = baseline.targets[0].met.p;
//! assert!((0.0..=1.0).contains(&p));
//! ```

pub mod census;
pub mod decide;
pub mod model;
pub mod output;
pub mod scenario;
pub mod sim;
pub mod stats;
