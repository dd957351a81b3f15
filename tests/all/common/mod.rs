//! Helpers shared by the integration tests.
#![allow(dead_code)]

use wfsim::scenario::diag::Source;
use wfsim::scenario::{self, Scenario};
use wfsim::sim::engine::{self, RepResult};
use wfsim::stats::rng::RepStream;

/// Every bundled scenario file (`scenarios/*.toml`), in name order.
pub fn bundled() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .filter(|p| p.ends_with(".toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 5, "{v:?}");
    v
}

/// Parses scenario text, panicking with every diagnostic if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    match scenario::parse(&Source::new("test.toml", text)) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

/// The results of scenario text, run as it states (its replications, months and seed).
pub fn results(text: &str) -> wfsim::sim::run::Results {
    let s = scenario(text);
    let cfg = wfsim::sim::run::RunConfig::from_scenario(&s);
    wfsim::sim::run::run(&s, &cfg, &wfsim::sim::run::NoProgress).unwrap()
}

/// Replication `rep` of the baseline of scenario text, on its seed's stream.
pub fn one_rep(text: &str, rep: u64) -> RepResult {
    let s = scenario(text);
    engine::simulate(
        s.baseline(),
        s.start,
        s.months as usize,
        &RepStream::new(s.seed, rep),
        None,
    )
}

/// Parses scenario text that must be invalid; returns the rendered diagnostics.
pub fn errors(text: &str) -> Vec<String> {
    match scenario::parse(&Source::new("test.toml", text)) {
        Ok(_) => panic!("the scenario should be invalid"),
        Err(e) => e.diagnostics.iter().map(|d| d.to_string()).collect(),
    }
}

/// A small valid scenario that tests modify by text replacement.
pub const SMALL: &str = r#"
[scenario]
name = "small"
start = "2023-01"
months = 24
replications = 200
seed = 7

[[posts]]
name = "SW"
establishment = 20
agency = 4
recruit = { "L3" = 1.0 }
fill_probability = 0.1
agency_hourly_rate = 40

[[grades]]
name = "ASYE"
post = "SW"
newly_qualified = true
permanent = 4
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.2, 0.2, 0.2, 0.2]
progression = { to = "L3", after_months = 12, pass_rate = 0.9 }
salary = 30000

[[grades]]
name = "L3"
post = "SW"
permanent = 12
service_shares = [0.1, 0.2, 0.3, 0.4]
leaving = [0.3, 0.25, 0.2, 0.1]
salary = 36000

[intake.asye]
grade = "ASYE"
month = 9
size = 3

[costs]
on_cost_rate = 0.3

[[targets]]
name = "80:20"
metric = "agency_share"
at_most = 0.2
by = "2024-12"
"#;

/// Headless Chromium's flags for every test that opens a page.
pub const CHROMIUM_FLAGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
];

/// Chromium (`/usr/bin/chromium`, or the path in `WFSIM_CHROMIUM`); `None`, saying the test was
/// skipped, where there is none, unless `WFSIM_REQUIRE_BROWSER` is set (as in CI), when a missing
/// browser fails the test.
pub fn chromium() -> Option<std::path::PathBuf> {
    use std::path::PathBuf;
    let path = std::env::var_os("WFSIM_CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromium"));
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("WFSIM_REQUIRE_BROWSER").is_some() {
        panic!("Chromium not found at {}", path.display());
    }
    eprintln!("skipped: Chromium not found at {}", path.display());
    None
}

/// Runs Chromium on `url` with `args`, in the profile folder `profile`; returns (stdout, stderr).
pub fn browse(
    chrome: &std::path::Path,
    profile: &std::path::Path,
    args: &[&str],
    url: &str,
) -> (String, String) {
    let out = std::process::Command::new(chrome)
        .args(CHROMIUM_FLAGS)
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .output()
        .expect("Chromium starts");
    assert!(out.status.success(), "Chromium failed: {:?}", out);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The pages of a printed PDF, each checked to be A4 (595 x 842 points).
pub fn a4_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    let boxes: Vec<&str> = text.split("/MediaBox [").skip(1).collect();
    for b in &boxes {
        let nums: Vec<f64> = b
            .split(']')
            .next()
            .unwrap()
            .split_whitespace()
            .map(|x| x.parse().unwrap())
            .collect();
        assert!(
            (nums[2] - 595.0).abs() < 2.0 && (nums[3] - 842.0).abs() < 2.0,
            "a page is not A4: {nums:?}"
        );
    }
    boxes.len()
}
