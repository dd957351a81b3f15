//! Reproducibility: the same seed gives byte-identical files (data, report, workbook and charts)
//! with 1 or many threads, and twice.

use crate::common;

use std::collections::BTreeMap;
use std::path::Path;

use wfsim::output;
use wfsim::sim::run::{self, NoProgress, RunConfig};

fn run_to_files(threads: Option<usize>, seed: u64, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 300,
        seed,
        months: 60,
        threads,
        years: None,
    };
    // As `wfsim run` settles: the first replications run again without the 2024 agency rules.
    let cfg = run::settle_comparing_rules(&s, &cfg).unwrap();
    assert_eq!(cfg.without_rules, 300);
    let r = run::run_settled(&s, &cfg, &NoProgress).unwrap();
    output::write_run(dir, &output::Projection::of(&r), true).unwrap();
    let mut files = BTreeMap::new();
    for sub in ["", "charts"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let e = e.unwrap();
            if e.path().is_file() {
                let name = Path::new(sub).join(e.file_name());
                files.insert(
                    name.to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                );
            }
        }
    }
    files
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let one = run_to_files(Some(1), 5, dirs[0].path());
    let two = run_to_files(Some(2), 5, dirs[1].path());
    let three = run_to_files(Some(3), 5, dirs[2].path());
    // Data, report and workbook, and the charts in both formats.
    assert!(one.len() > 8, "{:?}", one.keys());
    for f in [
        "summary.json",
        "report.html",
        "report.md",
        "results.xlsx",
        "charts/composition.png",
    ] {
        assert!(one.contains_key(f), "{f} missing");
    }
    let summary = String::from_utf8(one["summary.json"].clone()).unwrap();
    assert!(summary.contains("\"agency_rules_effect\""));
    assert_eq!(one, two, "1 thread vs 2 threads");
    assert_eq!(one, three, "1 thread vs 3 threads");
    let again = run_to_files(Some(2), 5, dirs[3].path());
    assert_eq!(two, again, "the same run twice");
}

#[test]
fn a_different_seed_gives_different_results() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let x = run_to_files(None, 5, a.path());
    let y = run_to_files(None, 6, b.path());
    assert_ne!(x["trajectories.csv"], y["trajectories.csv"]);
}

/// The options of a replication share what depends on its random numbers alone (leaving budgets,
/// binomial powers): each option's result must be what it gives simulated on its own, whichever
/// option fills the shared tables first.
#[test]
fn options_sharing_a_replication_give_what_each_gives_alone() {
    use wfsim::sim::engine::{self, Shared};
    use wfsim::stats::rng::RepStream;
    for file in common::bundled() {
        let s = common::scenario(&std::fs::read_to_string(&file).unwrap());
        for rep in 0..20 {
            let together = run::simulate_replication(&s, 11, rep, 60);
            let mut reversed = Shared::new(RepStream::new(11, rep));
            let backwards: Vec<_> = s
                .variants
                .iter()
                .rev()
                .map(|v| engine::simulate_with(&v.spec, s.start, 60, &mut reversed, None))
                .collect();
            for (v, var) in s.variants.iter().enumerate() {
                let alone =
                    engine::simulate(&var.spec, s.start, 60, &RepStream::new(11, rep), None);
                let back = &backwards[s.variants.len() - 1 - v];
                for r in [&together[v], back] {
                    assert!(
                        r.metrics
                            .iter()
                            .zip(&alone.metrics)
                            .all(|(a, b)| a.to_bits() == b.to_bits()),
                        "{file} rep {rep} option {}",
                        var.name
                    );
                    assert_eq!(r.costs, alone.costs, "{file} rep {rep} option {}", var.name);
                }
            }
        }
    }
}
