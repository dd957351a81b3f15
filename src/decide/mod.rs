//! Decision tools built on the runner: sweeps and goal seeking over one input, and sensitivity.

pub mod sensitivity;
pub mod sweep;
