//! Statistics: small pure modules, each tested against hand-computed values.
//!
//! - [`summary`]: mean, standard deviation, type-7 percentiles and probabilities with their
//!   standard errors;
//! - [`sketch`]: the streaming summary a run keeps for every metric and month;
//! - [`rank`]: ranks and Spearman's correlation;
//! - [`finance`]: discounting and break-even;
//! - [`leaving`]: leaving rates from a council's own leavers (a gamma-Poisson posterior and its
//!   annual rate as a beta);
//! - [`score`]: scores of an ensemble forecast against an outcome (CRPS, PIT, coverage);
//! - [`tails`]: heavy-tailed shocks of a given excess kurtosis;
//! - [`rng`]: reproducible random streams keyed by (seed, replication, purpose, entity, month),
//!   and the one string hash (FNV-1a) that keys them; here, below the scenario and the engine,
//!   since a scenario's uncertain inputs are drawn from them as well as the engine's events.

pub mod finance;
pub mod leaving;
pub mod rank;
pub mod rng;
pub mod score;
pub mod sketch;
pub mod summary;
pub mod tails;

pub use sketch::Sketch;
pub use summary::{Probability, Summary, quantile_sorted};
