//! Speed of wfsim on the reference workload, beside the floor it is measured against.
//!
//! Reference workload: scenarios/tameside-2022.toml with all its options, 120 months, 10,000
//! replications, without its `[variation]` (year-to-year shocks off); and the same with them on,
//! as the file ships. The floor is the time this machine takes just to draw one uniform random
//! number per person-month of that workload, with the engine's own generator, on the same threads.
//!
//! Run with `cargo bench --bench engine`; set WFSIM_BENCH_REPS to change the replications.

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use rayon::prelude::*;

use wfsim::model::metric::{Metric, Unit};
use wfsim::output;
use wfsim::scenario::diag::Source;
use wfsim::scenario::{self, Scenario, Variation};
use wfsim::sim::run::{self, NoProgress, RunConfig};
use wfsim::stats::Sketch;
use wfsim::stats::rng::{Purpose, RepStream};

/// The bundled example as it ships (with its year-to-year variation).
fn shipped() -> Scenario {
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml")
        .expect("run from the repository root");
    scenario::parse(&Source::new("tameside-2022.toml", text)).expect("valid")
}

/// The reference workload's scenario: the example without its `[variation]`.
fn scenario() -> Scenario {
    let mut s = shipped();
    for v in &mut s.variants {
        v.spec.variation = Variation::default();
    }
    s
}

fn reps() -> u32 {
    std::env::var("WFSIM_BENCH_REPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000)
}

fn config(s: &Scenario) -> RunConfig {
    RunConfig {
        replications: reps(),
        months: 120,
        ..RunConfig::from_scenario(s)
    }
}

/// Person-months simulated by the workload: permanent staff summed over months, options and
/// replications (from a run's means).
fn person_months(s: &Scenario, cfg: &RunConfig) -> u64 {
    let r = run::run(
        s,
        &RunConfig {
            replications: 200,
            ..cfg.clone()
        },
        &NoProgress,
    )
    .expect("runs");
    let per_rep: f64 = r
        .variants
        .iter()
        .map(|v| {
            (1..=cfg.months as usize)
                .map(|m| {
                    v.trajectories[Metric::PermanentFte.index()][m]
                        .unwrap()
                        .mean
                })
                .sum::<f64>()
        })
        .sum();
    (per_rep * f64::from(cfg.replications)) as u64
}

/// One uniform per person-month, on rayon's threads: the engine's generator (`Counter::bits53`,
/// the 53 random bits behind `uniform`, which the engine compares with a probability's
/// threshold), each compared with a leaving probability and the hits counted, so nothing is
/// optimised away. The counters are consecutive and the comparison is on whole numbers, so the
/// compiler vectorises the loop: the floor is the least this machine needs for these numbers,
/// not the cost of packing counters or converting to floating point (which tripled it).
fn floor(n: u64) -> u64 {
    let per_rep = 1_000_000u64;
    let threshold = (0.02 * (1u64 << 53) as f64) as u64;
    (0..n.div_ceil(per_rep))
        .into_par_iter()
        .map(|block| {
            let u = RepStream::new(1, block).purpose(Purpose::Leave);
            let len = per_rep.min(n - block * per_rep);
            (0..len).filter(|&i| u.bits53(i) < threshold).count() as u64
        })
        .sum()
}

fn benches(c: &mut Criterion) {
    let s = scenario();
    let cfg = config(&s);
    let pm = person_months(&s, &cfg);

    // A one-off report of throughput and the ratio to the floor, for the README.
    let t = Instant::now();
    black_box(floor(pm));
    let floor_s = t.elapsed().as_secs_f64();
    let dir = tempfile::tempdir().expect("temp dir");
    let t = Instant::now();
    let results = run::run(&s, &cfg, &NoProgress).expect("runs");
    output::write_run(dir.path(), &output::Projection::of(&results), true).expect("writes");
    let run_s = t.elapsed().as_secs_f64();
    eprintln!(
        "reference workload: {} replications x {} options x 120 months = {:.0} million person-months\n  \
         whole run with outputs {:.2} s ({:.0} million person-months/s); floor {:.3} s; ratio to floor {:.1}",
        cfg.replications,
        s.variants.len(),
        pm as f64 / 1e6,
        run_s,
        pm as f64 / run_s / 1e6,
        floor_s,
        run_s / floor_s
    );

    let mut g = c.benchmark_group("wfsim");
    g.sample_size(10);
    g.bench_function("reference_workload_with_outputs", |b| {
        b.iter(|| {
            let r = run::run(&s, &cfg, &NoProgress).expect("runs");
            output::write_run(dir.path(), &output::Projection::of(&r), true).expect("writes");
        })
    });
    let shocked = shipped();
    g.bench_function("reference_workload_with_variation", |b| {
        b.iter(|| {
            let r = run::run(&shocked, &cfg, &NoProgress).expect("runs");
            output::write_run(dir.path(), &output::Projection::of(&r), true).expect("writes");
        })
    });
    g.bench_function("floor_one_uniform_per_person_month", |b| {
        b.iter(|| black_box(floor(pm)))
    });
    g.finish();

    let mut g = c.benchmark_group("parts");
    g.bench_function("one_replication_all_options_120_months", |b| {
        let mut rep = 0;
        b.iter(|| {
            rep += 1;
            black_box(run::simulate_replication(&s, 1, rep, 120))
        })
    });
    // Aggregation as a run does it: a month's values in batches of a chunk's replications.
    let counts: Vec<f64> = (0..100_000u32).map(|i| f64::from(80 + i % 60)).collect();
    g.bench_function("sketch_add_100k_values", |b| {
        b.iter(|| {
            let mut sk = Sketch::for_unit(Unit::Fte);
            for batch in counts.chunks(512) {
                sk.add_all(batch);
            }
            black_box(sk.summary())
        })
    });
    // Shares, as the agency share takes: fractions, so they go to the pages of buckets.
    let shares: Vec<f64> = (0..100_000u32)
        .map(|i| {
            let agency = f64::from(20 + i % 40);
            agency / (agency + 100.0)
        })
        .collect();
    g.bench_function("sketch_add_100k_shares", |b| {
        b.iter(|| {
            let mut sk = Sketch::for_unit(Unit::Share);
            for batch in shares.chunks(512) {
                sk.add_all(batch);
            }
            black_box(sk.summary())
        })
    });
    g.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
