//! wfsim: Monte Carlo workforce planning for children's social care in English councils.
//!
//! The library holds all model, statistics and output code; the `wfsim` binary only parses arguments,
//! prints, and maps errors to exit codes.
//!
//! - [`scenario`] reads and validates a TOML scenario (via [`raw`], [`dist`] and [`diag`]);
//! - [`engine`] simulates one replication of one option, month by month;
//! - [`run`] runs every option over many replications in parallel and aggregates the results;
//! - [`stats`] and [`compare`] hold the statistics; [`output`] writes files and tables.

pub mod compare;
pub mod date;
pub mod diag;
pub mod dist;
pub mod engine;
pub mod metric;
pub mod output;
pub mod raw;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod stats;
