//! Internal promotion, checked against a hand-worked case: who is promoted, at what pay, from
//! when, and that their pay points then follow their new grade.

use crate::common;

use wfsim::model::cost::Component;
use wfsim::model::metric::Metric;
use wfsim::sim::engine;
use wfsim::stats::rng::RepStream;

const PROMOTION: &str = r#"
[scenario]
name = "promotion"
start = "2023-01"
months = 18
seed = 1

[[posts]]
name = "Senior"
establishment = 1
promote_from = "SW"
promote_share = 1.0
fill_probability = 1.0
agency_cover = 0.0
recruit = { "Senior" = 1.0 }

[[posts]]
name = "SW"
establishment = 3
fill_probability = 0.0
agency_cover = 0.0
recruit = { "SW" = 1.0 }

[[grades]]
name = "Senior"
post = "Senior"
permanent = 0
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
pay_points = [32000, 34000, 36000]

[[grades]]
name = "SW"
post = "SW"
permanent = 3
service_shares = [0.34, 0.33, 0.33, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
pay_points = [30000, 31000, 32000, 33000]
"#;

#[test]
fn the_longest_in_grade_is_promoted_at_the_end_of_the_month_and_keeps_their_pay() {
    let s = common::scenario(PROMOTION);
    let mut flows = Vec::new();
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        18,
        &RepStream::new(1, 0),
        Some(&mut flows),
    );
    // The three SW start with 6, 18 and 42 months in grade (one in each of the first three
    // bands), so at points 0, 1 and 3: 30,000, 31,000 and 33,000. The Senior vacancy is filled
    // in month 1 by the one longest in grade, at the lowest Senior point paying at least 33,000
    // (34,000), from month 2. A move up a point, like a promotion, is made at the end of the month
    // in which it falls and paid from the next: the other two reach 12 and 24 months in grade in
    // month 6 (paid from month 7) and 24 and 36 in month 18 (paid from 19, after the horizon);
    // the promoted worker, 1 month in grade in month 1, reaches 12 months in month 12 (36,000
    // from month 13).
    let mut expected = vec![0.0];
    for m in 1..=18 {
        let yearly = match m {
            1 => 30_000 + 31_000 + 33_000,
            2..=6 => 30_000 + 31_000 + 34_000,
            7..=12 => 31_000 + 32_000 + 34_000,
            _ => 31_000 + 32_000 + 36_000,
        };
        expected.push(f64::from(yearly) / 12.0);
    }
    let salary: Vec<f64> = r.costs.iter().map(|c| c[Component::Salary]).collect();
    assert_eq!(salary.len(), expected.len());
    for (m, (got, want)) in salary.iter().zip(&expected).enumerate() {
        assert!(
            (got - want).abs() < 1e-6,
            "month {m}: salary {got}, expected {want}"
        );
    }
    // Senior is grade 0, SW grade 1.
    assert_eq!((flows[0][1].moved_out, flows[0][0].moved_in), (1, 1));
    assert_eq!((flows[0][0].end, flows[0][1].end), (1, 2));
    assert!(
        flows[1..]
            .iter()
            .flatten()
            .all(|f| f.moved_in == 0 && f.moved_out == 0)
    );
    assert_eq!(r.metric(Metric::GradeFte(0), 18), 1.0);
    assert_eq!(r.metric(Metric::GradeFte(1), 18), 2.0);
    assert_eq!(r.metric(Metric::StartersFte, 1), 0.0);
}
