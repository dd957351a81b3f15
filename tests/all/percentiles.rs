//! The streaming summaries used by `run` against exact percentiles of every replication's value:
//! FTE counts exactly; shares and costs within the sketch's stated tolerance (a bucket's width,
//! 2^-10 of the value plus its unit's floor: docs/outputs.md), checked against an exact sort.

use crate::common;

use wfsim::model::metric::Metric;
use wfsim::sim::run::{self, NoProgress, RunConfig};
use wfsim::stats::{Sketch, Summary};

#[test]
fn run_percentiles_match_exact_percentiles_of_a_small_run() {
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 400,
        seed: 3,
        months: 60,
        threads: None,
        years: None,
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let reps: Vec<_> = (0..400)
        .map(|rep| run::simulate_replication(&s, 3, rep, 60))
        .collect();
    let mut checked = 0;
    for (v, variant) in r.variants.iter().enumerate() {
        for m in [
            Metric::PermanentFte,
            Metric::GradeFte(2),
            Metric::AgencyShare,
            Metric::Under2yShare,
            Metric::CostMonth,
        ] {
            for month in [1, 12, 30, 54, 60] {
                let values: Vec<f64> = reps.iter().map(|x| x[v].metric(m, month)).collect();
                let exact = Summary::of(&values);
                let got = variant.trajectories[m.index()][month].unwrap();
                assert!((got.mean - exact.mean).abs() <= 1e-9 * exact.mean.abs().max(1.0));
                for (g, e) in [
                    (got.p05, exact.p05),
                    (got.p25, exact.p25),
                    (got.p50, exact.p50),
                    (got.p75, exact.p75),
                    (got.p95, exact.p95),
                ] {
                    if matches!(m, Metric::PermanentFte | Metric::GradeFte(_)) {
                        assert_eq!(
                            g, e,
                            "{} month {month}: FTE percentiles are exact",
                            variant.name
                        );
                    } else {
                        assert!(
                            (g - e).abs() <= Sketch::for_unit(m.unit()).tolerance(e),
                            "{} {m:?} month {month}: {g} vs exact {e}",
                            variant.name
                        );
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 5 * 5 * 5);
}
