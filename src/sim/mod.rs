//! The simulation: random streams, the monthly engine, the replication runner and the paired
//! comparison of options.

mod aggregate;
pub mod compare;
pub mod engine;
pub mod results;
pub mod rng;
pub mod run;
