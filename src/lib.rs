//! wfsim: Monte Carlo workforce planning for children's social care in English councils.
//!
//! The library holds all model, statistics and output code; the `wfsim` binary only parses
//! arguments, prints, and maps errors to exit codes. Its modules are layers, each using only those
//! above it in this list:
//!
//! - [`model`]: months and financial years, the metrics, cost components and comparison measures,
//!   and how numbers are written;
//! - [`stats`]: summaries, percentiles, the streaming sketch, ranks, discounting and break-even,
//!   forecast scores, heavy-tailed shocks, and the reproducible random streams;
//! - [`scenario`]: reading and validating a TOML scenario, every problem reported at once;
//! - [`sim`]: the monthly engine, a run's settings, the replication runner and the comparison of
//!   options with the baseline;
//! - [`decide`]: sweeps, goal seeking and sensitivity, built on the runner;
//! - [`census`]: the DfE workforce census, its artefacts flagged, set beside a projection; the
//!   scenario `init` builds from it, its year-to-year variation, and the backtest;
//! - [`output`]: every file a command writes, through one exporter trait, and the terminal's text;
//! - [`serve`]: the what-if page `wfsim serve` shows, its server on 127.0.0.1 and its answers,
//!   made by the layers above.
//!
//! ```
//! use wfsim::scenario::{self, diag::Source};
//! use wfsim::sim::run::{self, NoProgress, RunConfig};
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
pub mod serve;
pub mod sim;
pub mod stats;
