//! The simulation: random streams, the monthly engine, the replication runner and the paired
//! comparison of options.

mod aggregate;
pub mod compare;
pub mod config;
pub mod engine;
pub mod results;
/// The random streams live in `stats::rng`, below the scenario that draws its uncertain inputs
/// from them; this name is kept for the engine's files and the tests.
pub use crate::stats::rng;
pub mod run;
