//! The simulation: the monthly engine, the replication runner and the paired comparison of
//! options (the random streams they draw from are `stats::rng`).

mod aggregate;
pub mod compare;
pub mod config;
pub mod engine;
pub mod results;
pub mod run;
