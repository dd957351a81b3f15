//! Cases worked by hand that the model once got wrong, each against its exact or expected value
//! with the tolerance its Monte Carlo error allows: conversions from agency covering vacancies
//! only, a golden hello's clawback over its whole window, pay points after a failed progression,
//! and the people paid a supplement as a year starts.

use crate::common;

use common::results;
use wfsim::model::budget::Line;
use wfsim::model::metric::Metric;

/// Ten permanent staff in fifteen posts, none leaving and none recruited; ten agency workers: five
/// covering the five vacancies and five beyond them (`agency_extra`). Only the five covering a
/// vacancy may convert, each with chance 0.1: 0.5 conversions in the first month on average
/// (the whole ten drawn and the count held to the vacancies gave 1.0).
#[test]
fn only_agency_workers_covering_a_vacancy_convert() {
    let r = results(
        r#"
[scenario]
name = "convert"
start = "2023-01"
months = 1
replications = 20000
seed = 1

[[posts]]
name = "SW"
establishment = 15
agency = 10
recruit = { "L3" = 1.0 }
fill_probability = 0.0
agency_cover = 1.0
agency_extra = 5
agency_hourly_rate = 40

[[grades]]
name = "L3"
post = "SW"
permanent = 10
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[agency]
monthly_conversion = 0.1
"#,
    );
    let s = r.variants[0].trajectories[Metric::StartersFte.index()][1].unwrap();
    // Binomial(5, 0.1): mean 0.5, sd 0.67; the mean of 20,000 within 5 standard errors.
    let se = (5.0f64 * 0.1 * 0.9 / 20_000.0).sqrt();
    assert!((s.mean - 0.5).abs() < 5.0 * se, "{} conversions", s.mean);
}

/// A hundred recruits in the first month (February, from a January start), none after; a golden
/// hello clawed back in full from those who leave within 12 months, which halves their leaving
/// rate (0.3 a year) while it can be. They may leave in the 12 months after they join (March to
/// February), at 0.15 a year: 15 clawbacks on average, £36,000 (the window one month short gave
/// 13.8).
const HELLO: &str = r#"
[scenario]
name = "hello"
start = "2023-01"
months = 24
replications = 4000
seed = 1

[[posts]]
name = "SW"
establishment = 100
agency = 0
recruit = { "L3" = 1.0 }
fill_probability = { from = 1.0, to = 0.0, at = "2023-03" }
agency_cover = 0.0

[[grades]]
name = "L3"
post = "SW"
permanent = 0
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.3, 0.3, 0.3, 0.3]
salary = 36000

[[options]]
name = "hello"
description = "golden hello"

[[options.premiums]]
kind = "golden_hello"
grades = ["L3"]
amount = 2400
clawback_months = CLAW
clawback = "full"
leaving_effect = -0.5
"#;

#[test]
fn a_golden_hello_is_clawed_back_over_its_whole_window() {
    for (claw, expected) in [(12u32, 15.0), (1, 100.0 * (1.0 - 0.85f64.powf(1.0 / 12.0)))] {
        let r = results(&HELLO.replace("CLAW", &claw.to_string()));
        let total = r.variants[1].budget.last().unwrap();
        let made = total[Line::ClawbacksMade];
        // Leavers of 100 in the window: binomial, so the mean of 4,000 replications is within
        // 5 standard errors.
        let p = expected / 100.0;
        let se = (100.0 * p * (1.0 - p) / 4000.0).sqrt();
        assert!(
            (made.mean - expected).abs() < 5.0 * se,
            "clawback over {claw} months: {} made, {expected:.3} expected",
            made.mean
        );
        assert!(
            (total[Line::Clawbacks].mean - 2400.0 * made.mean).abs() < 1e-6 * made.mean.max(1.0),
            "each clawback recovers the whole £2,400"
        );
    }
}

/// 120 newly qualified staff who never pass progression (tried after 12 months) and never
/// leave, paid on three points, £12,000, £24,000 and £36,000: each failed attempt still steps
/// them a point, so they are paid as staff of a grade with no progression are, a point every 12
/// months in the grade. Their months in grade start spread evenly over 0 to 11 (10 at each), so
/// the month's pay climbs by £10,000 a month from £120,000 to £240,000 in month 13 and £360,000 in
/// month 25 (they stayed on the first point for good).
#[test]
fn a_failed_progression_still_climbs_the_pay_points() {
    let text = r#"
[scenario]
name = "points"
start = "2023-01"
months = 40
replications = 10
seed = 1

[[posts]]
name = "SW"
establishment = 120
recruit = { "L3" = 1.0 }
fill_probability = 0.0
agency_cover = 0.0

[[grades]]
name = "ASYE"
post = "SW"
newly_qualified = true
permanent = 120
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
progression = { to = "L3", after_months = 12, pass_rate = 0.0 }
pay_points = [12000, 24000, 36000]

[[grades]]
name = "L3"
post = "SW"
permanent = 0
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[costs]
on_cost_rate = 0.0
"#;
    let pay = [12_000.0, 24_000.0, 36_000.0];
    // The 10 with k months in grade at the start are on point (m - 1 + k) / 12 in month m.
    let expected = |m: usize| -> f64 {
        (0..12)
            .map(|k| 10.0 * pay[((m - 1 + k) / 12).min(2)] / 12.0)
            .sum()
    };
    let failing = results(text);
    let without = results(&text.replace(
        "progression = { to = \"L3\", after_months = 12, pass_rate = 0.0 }\n",
        "",
    ));
    for r in [&failing, &without] {
        let cost = &r.variants[0].trajectories[Metric::CostMonth.index()];
        for (m, c) in cost.iter().enumerate().skip(1) {
            assert_eq!(c.unwrap().mean, expected(m), "month {m}");
        }
    }
    assert_eq!(expected(13), 240_000.0);
    assert_eq!(expected(25), 360_000.0);
}

/// Everyone in a grade paying a supplement as April starts leaves that month (the last band's
/// leaving rate steps to 1 in April), before anyone is paid: nobody was paid a supplement in
/// 2023/24 (they were counted as its recipients).
#[test]
fn those_who_leave_as_a_year_starts_were_not_paid_its_supplement() {
    let r = results(
        r#"
[scenario]
name = "april"
start = "2023-02"
months = 3
replications = 10
seed = 1

[[posts]]
name = "SW"
establishment = 100
agency = 0
recruit = { "L3" = 1.0 }
fill_probability = 0.0
agency_cover = 0.0

[[grades]]
name = "L3"
post = "SW"
permanent = 100
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.3, 0.3, 0.3, { from = 0.3, to = 1.0, at = "2023-04" }]
salary = 30000

[[options]]
name = "supplement"
description = "a market supplement"

[[options.premiums]]
kind = "market_supplement"
grades = ["L3"]
amount = 2400
"#,
    );
    let years = &r.financial_years;
    let y = years.iter().position(|f| f.label == "2023/24").unwrap();
    let budget = &r.variants[1].budget[y];
    assert_eq!(budget[Line::Payments].mean, 0.0);
    assert_eq!(budget[Line::SupplementPeople].mean, 0.0);
    // In 2022/23 (February and March) those in post were paid, and counted.
    let before = &r.variants[1].budget[0];
    assert!(before[Line::Payments].mean > 0.0);
    assert!(before[Line::SupplementPeople].mean > 90.0);
}
