//! Fuzzes scenario parsing and validation with arbitrary bytes and, when a scenario validates,
//! a short run of it: neither may panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wfsim::scenario::diag::Source;
use wfsim::sim::run::{self, NoProgress, RunConfig};
use wfsim::scenario;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(s) = scenario::parse(&Source::new("fuzz.toml", text.into_owned())) {
        let cfg = RunConfig {
            replications: 2,
            seed: 1,
            months: s.months.min(24),
            threads: Some(1),
            years: None,
        };
        let _ = run::run(&s, &cfg, &NoProgress);
    }
});
