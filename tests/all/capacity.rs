//! Capacity: caseload weights, protected caseloads, the cases held, supervision capacity and
//! caseload's bearing on leaving, each against a case whose answer is known exactly.

use crate::common::{self, one_rep};

use wfsim::model::metric::Metric;
use wfsim::sim::engine::{self, RepResult};

/// A council of one post group with no leaving, no hiring and no agency churn: `extra` is
/// appended (grades, intake, caseload).
fn council(extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "capacity"
start = "2023-01"
months = 36
replications = 50
seed = 5

[[posts]]
name = "SW"
establishment = 200
agency = 5
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0
agency_cover = 0.0
agency_extra = 5
agency_hourly_rate = 40

[agency]
monthly_churn = 0.0
caseload_weight = 0.5

[costs]
on_cost_rate = 0.3
{extra}
"#
    )
}

const EXPERIENCED: &str = r#"
[[grades]]
name = "SW"
post = "SW"
permanent = 20
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000
"#;

#[test]
fn fixed_cases_and_staff_give_the_exact_caseload_every_month() {
    // 20 FTE at weight 1 and 5 agency FTE at weight 0.5: 22.5 case-holding FTE, 300 cases.
    let text = council(&format!("{EXPERIENCED}\n[caseload]\ncases = 300\n"));
    let r = one_rep(&text, 0);
    for m in 0..=36 {
        assert_eq!(r.metric(Metric::CaseHoldingFte, m), 22.5, "month {m}");
        assert_eq!(r.metric(Metric::Cases, m), 300.0, "month {m}");
        assert_eq!(r.metric(Metric::Caseload, m), 300.0 / 22.5, "month {m}");
    }
    // A path of cases is followed exactly: a step of +45 from 2024-04 (month 15).
    let text = council(&format!(
        "{EXPERIENCED}\n[caseload]\ncases = {{ from = 300, change = 45, at = \"2024-04\" }}\n"
    ));
    let r = one_rep(&text, 0);
    assert_eq!(r.metric(Metric::Caseload, 14), 300.0 / 22.5);
    assert_eq!(r.metric(Metric::Caseload, 15), 345.0 / 22.5);
}

#[test]
fn a_protected_first_year_at_0_8_gives_the_exact_weighted_fte_month_by_month() {
    // Cohorts of 10 join `NQ` each September (month 8 from January 2023); they hold 0.8 of a
    // caseload for their first 12 months in the grade (months in grade 1 to 12 at the month's
    // end), a full one after. Four starting staff are in their first year: their months in the
    // grade are their starting service, spread over the band by `starting_service`.
    let grades = format!(
        r#"{EXPERIENCED}
[[grades]]
name = "NQ"
post = "SW"
permanent = 4
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 30000
protected_months = 12
protected_weight = 0.8

[intake.asye]
grade = "NQ"
month = 9
size = 10

[caseload]
cases = 400
"#
    );
    let r = one_rep(&council(&grades), 3);
    let starting: Vec<i64> = engine::starting_service(&[12, 24, 60], 0, 4)
        .map(i64::from)
        .collect();
    for m in 0..=36i64 {
        // Months in the grade at the end of month m: starting staff los + m; a cohort joining in
        // month j has m - j + 1.
        let mut weighted = 20.0 + 2.5;
        for &los in &starting {
            weighted += if los + m <= 12 { 0.8 } else { 1.0 };
        }
        for j in [8i64, 20, 32].into_iter().filter(|&j| j <= m) {
            weighted += 10.0 * if m - j < 12 { 0.8 } else { 1.0 };
        }
        let got = r.metric(Metric::CaseHoldingFte, m as usize);
        assert!(
            (got - weighted).abs() < 1e-9,
            "month {m}: {got} against {weighted}"
        );
        assert!((r.metric(Metric::Caseload, m as usize) - 400.0 / weighted).abs() < 1e-12);
    }
}

#[test]
fn supervision_capacity_supply_and_a_share_cap_decline_exactly_the_places_beyond_them() {
    // 10 Level 3 supervisors, 1.5 newly qualified workers each: 15 places, 5 of them held by the
    // ASYEs already there, so a cohort of 20 takes 10 and declines 10.
    let grades = |limits: &str| {
        format!(
            r#"{EXPERIENCED}
[[grades]]
name = "L3"
post = "SW"
permanent = 10
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 40000

[[grades]]
name = "ASYE"
post = "SW"
newly_qualified = true
permanent = 5
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 30000

[intake.asye]
grade = "ASYE"
month = 9
size = 20
supervisor_grades = ["L3"]
{limits}
"#
        )
    };
    let asye = Metric::GradeFte(2);
    let r = one_rep(&council(&grades("per_supervisor = 1.5")), 0);
    assert_eq!(r.metric(asye, 7), 5.0);
    assert_eq!(r.metric(asye, 8), 15.0, "10 of the cohort of 20 join");
    assert_eq!(r.metric(Metric::AsyeDeclined, 12), 10.0);
    // Next September the 15 ASYEs fill the 15 places: the whole cohort is declined; the 12
    // months to 2024-09 hold that intake alone.
    assert_eq!(r.metric(asye, 20), 15.0);
    assert_eq!(r.metric(Metric::AsyeDeclined, 20), 20.0);
    assert_eq!(r.metric(Metric::AsyeDeclined, 19), 10.0);

    // A supply of 7 newly qualified recruits a year takes 7.
    let r = one_rep(&council(&grades("supply = 7")), 0);
    assert_eq!(r.metric(asye, 8), 12.0);
    assert_eq!(r.metric(Metric::AsyeDeclined, 12), 13.0);

    // A share cap of 25% of permanent and agency FTE: (5 + x) / (35 + 5 + x) <= 0.25 allows
    // x <= (0.25 * 40 - 5) / 0.75 = 6.67, so 6 join.
    let r = one_rep(&council(&grades("max_share = 0.25")), 0);
    assert_eq!(r.metric(asye, 8), 11.0);
    assert!(r.metric(Metric::AsyeShare, 8) <= 0.25);

    // Supervisors give 0.1 of a caseload for each newly qualified worker: with 15 ASYEs at
    // weight 1, 20 + 10 + 15 + 2.5 - 1.5 case-holding FTE.
    let r = one_rep(
        &council(&format!(
            "{}\n[caseload]\ncases = 500\n",
            grades("per_supervisor = 1.5\nsupervision_time = 0.1")
        )),
        0,
    );
    assert!((r.metric(Metric::CaseHoldingFte, 8) - 46.0).abs() < 1e-9);
}

#[test]
fn caseload_above_the_reference_raises_each_workers_leaving_by_the_elasticity() {
    // 100 workers leaving at 30% a year, 2,000 cases: a caseload of 20 against a reference of
    // 16 multiplies the month's hazard by (20 / 16)^2. Leaving in the first month is then
    // 1 - e^(-h k) for the month's hazard h = -ln(0.7) / 12, exactly.
    let text = |elasticity: f64| {
        format!(
            r#"
[scenario]
name = "overload"
start = "2023-01"
months = 1
replications = 50
seed = 9

[[posts]]
name = "SW"
establishment = 100
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0

[[grades]]
name = "SW"
post = "SW"
permanent = 100
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.3, 0.3, 0.3, 0.3]
salary = 36000

[caseload]
cases = 2000
reference = 16
leaving_elasticity = {elasticity}
"#
        )
    };
    let reps = 4000u64;
    let mean_leavers = |e: f64| {
        let t = text(e);
        (0..reps)
            .map(|k| one_rep(&t, k).metric(Metric::LeaversFte, 1))
            .sum::<f64>()
            / reps as f64
    };
    let h = -(0.7f64).ln() / 12.0;
    for (e, k) in [(0.0, 1.0), (2.0, (20.0f64 / 16.0).powi(2))] {
        let p = 1.0 - (-h * k).exp();
        let se = (100.0 * p * (1.0 - p) / reps as f64).sqrt();
        let got = mean_leavers(e);
        assert!(
            (got - 100.0 * p).abs() < 4.0 * se,
            "elasticity {e}: {got} leavers against {} (se {se})",
            100.0 * p
        );
    }
    // At or below the reference, nothing changes, replication by replication.
    let below = text(2.0).replace("cases = 2000", "cases = 1500");
    let none = text(0.0).replace("cases = 2000", "cases = 1500");
    let bits = |r: RepResult| r.metrics.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
    for k in 0..50 {
        assert_eq!(
            bits(one_rep(&below, k)),
            bits(one_rep(&none, k)),
            "replication {k}"
        );
    }
}

#[test]
fn a_scenario_without_cases_reports_no_caseload() {
    let s = common::scenario(&council(EXPERIENCED));
    assert!(!s.reports(Metric::Caseload) && !s.reports(Metric::Cases));
    assert!(s.reports(Metric::AsyeDeclined));
    let with = common::scenario(&council(&format!("{EXPERIENCED}\n[caseload]\ncases = 1\n")));
    assert!(with.reports(Metric::Caseload));
}

#[test]
fn protection_follows_workers_who_leave_progress_or_repeat_the_year() {
    // Newly qualified staff hold no cases while protected, for their 12 months in the grade:
    // those who pass progression then join L3, those who fail repeat the year, protected again;
    // workers leave throughout. Every NQ worker is protected, so case-holding FTE is exactly the
    // L3 FTE plus half the agency FTE, month by month, in every replication.
    let grades = r#"
[[grades]]
name = "NQ"
post = "SW"
permanent = 12
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.3, 0.3, 0.3, 0.3]
progression = { to = "L3", after_months = 12, pass_rate = 0.6 }
salary = 30000
protected_months = 12
protected_weight = 0.0

[[grades]]
name = "L3"
post = "SW"
permanent = 30
service_shares = [0.1, 0.2, 0.3, 0.4]
leaving = [0.3, 0.25, 0.2, 0.1]
salary = 36000

[intake.asye]
grade = "NQ"
month = 9
size = 8

[caseload]
cases = 400
"#;
    let text = council(grades)
        .replace("fill_probability = 0.0", "fill_probability = 0.05")
        .replace(r#""SW" = 1.0"#, r#""L3" = 1.0"#);
    for rep in 0..40 {
        let r = one_rep(&text, rep);
        for m in 0..=36 {
            let expected = r.metric(Metric::GradeFte(1), m) + 0.5 * r.metric(Metric::AgencyFte, m);
            assert_eq!(
                r.metric(Metric::CaseHoldingFte, m),
                expected,
                "replication {rep}, month {m}"
            );
        }
    }
}
