//! Reproducibility: the same seed gives byte-identical files with 1 or many threads, and twice.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use wfsim::output;
use wfsim::run::{self, NoProgress, RunConfig};

fn run_to_files(threads: Option<usize>, seed: u64, dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 300,
        seed,
        months: 60,
        threads,
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    output::write_all(dir, &r, &output::standard_exporters()).unwrap();
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn same_seed_same_bytes_whatever_the_threads() {
    let dirs: Vec<_> = (0..4).map(|_| tempfile::tempdir().unwrap()).collect();
    let one = run_to_files(Some(1), 5, dirs[0].path());
    let two = run_to_files(Some(2), 5, dirs[1].path());
    let three = run_to_files(Some(3), 5, dirs[2].path());
    assert_eq!(one.len(), 4);
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
