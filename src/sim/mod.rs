//! The simulation: random streams, the monthly engine, the replication runner and the paired
//! comparison of options.

pub mod compare;
pub mod engine;
pub mod rng;
pub mod run;
