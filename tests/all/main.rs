//! The integration tests, one test binary: each file is a module of its own (one binary links
//! the library once, where one binary per file linked it 21 times and took most of `cargo test`'s
//! time on a new clone).

mod common;

mod agency_caps;
mod agency_rules;
mod browser;
mod capacity;
mod catalogue;
mod census;
mod charts;
mod cli;
mod closed_system;
mod conservation;
mod costs;
mod council_data;
mod decide;
mod determinism;
mod hand_worked;
mod hostile;
mod init;
mod paths;
mod percentiles;
mod promotion;
mod report;
mod robustness;
mod sensitivity;
mod serve;
mod sources;
mod validation;
