//! Conservation in every month of every replication: start + joiners - leavers + moves in - moves
//! out + counted in - counted out = end, for every grade; and the metrics agree with the flows.

use crate::common;

use wfsim::model::metric::Metric;
use wfsim::sim::engine::{self, Flow};
use wfsim::stats::rng::RepStream;

#[test]
fn every_worker_is_accounted_for_in_every_month() {
    for file in common::bundled() {
        conserved(&file);
    }
}

fn conserved(file: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    let s = common::scenario(&text);
    let months = s.months as usize;
    let mut checked = 0;
    let mut moved = 0;
    let mut joined = 0;
    for v in &s.variants {
        for rep in 0..100 {
            let mut flows: Vec<Vec<Flow>> = Vec::new();
            let r = engine::simulate(
                &v.spec,
                s.start,
                months,
                &RepStream::new(3, rep),
                Some(&mut flows),
            );
            assert_eq!(flows.len(), months);
            for (i, month) in flows.iter().enumerate() {
                let m = i + 1;
                let mut total_in = 0;
                let mut total_out = 0;
                for (g, f) in month.iter().enumerate() {
                    assert_eq!(
                        i64::from(f.start) + i64::from(f.joined) - i64::from(f.left)
                            + i64::from(f.moved_in)
                            - i64::from(f.moved_out)
                            + i64::from(f.counted_in)
                            - i64::from(f.counted_out),
                        i64::from(f.end),
                        "{file} option {} rep {rep} month {m} grade {g}: {f:?}",
                        v.name
                    );
                    if i > 0 {
                        assert_eq!(
                            f.start,
                            flows[i - 1][g].end,
                            "month {m} starts where month {} ended",
                            m - 1
                        );
                    }
                    assert_eq!(r.metric(Metric::GradeFte(g), m), f64::from(f.end));
                    total_in += f.moved_in;
                    total_out += f.moved_out;
                    joined += f.joined;
                    checked += 1;
                }
                // Moves between grades neither create nor destroy workers.
                assert_eq!(total_in, total_out);
                moved += total_in;
                let joiners: u32 = month.iter().map(|f| f.joined).sum();
                let leavers: u32 = month.iter().map(|f| f.left).sum();
                assert_eq!(r.metric(Metric::StartersFte, m), f64::from(joiners));
                assert_eq!(r.metric(Metric::LeaversFte, m), f64::from(leavers));
                let end: u32 = month.iter().map(|f| f.end).sum();
                assert_eq!(r.metric(Metric::PermanentFte, m), f64::from(end));
            }
        }
    }
    assert!(
        checked > 10_000 && moved > 0 && joined > 0,
        "the test must exercise real movement"
    );
}
