//! Cost model and paired comparison, checked against hand-computed values.

use crate::common;

use wfsim::model::cost::Component::{
    Agency as AGENCY, GrantIncome as GRANT_INCOME, OnCosts as ON_COSTS, Premiums as PREMIUMS,
    Recruitment as RECRUITMENT, Salary as SALARY, Total as TOTAL, Training as TRAINING,
};
use wfsim::model::metric::Metric;
use wfsim::sim::engine;
use wfsim::sim::run::{self, NoProgress, RunConfig};
use wfsim::stats::quantile_sorted;
use wfsim::stats::rng::RepStream;

fn fixed_staff(costs: &str) -> String {
    format!(
        r#"
[scenario]
name = "cost"
start = "2023-01"
months = 24
replications = 5
seed = 1

[[posts]]
name = "SW"
establishment = 10
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0

[[grades]]
name = "SW"
post = "SW"
permanent = 10
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[costs]
{costs}
"#
    )
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * b.abs().max(1.0)
}

#[test]
fn yearly_cost_is_fte_times_salary_times_on_costs_with_the_award_from_april() {
    let s = common::scenario(&fixed_staff("on_cost_rate = 0.3\npay_award = 0.04"));
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    // Months 1-2 are Feb-Mar 2023 (2022/23), 3-14 are 2023/24, 15-24 are Apr 2024 - Jan 2025.
    let labels: Vec<&str> = r.financial_years.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(labels, ["2022/23", "2023/24", "2024/25"]);
    let partial: Vec<bool> = r.financial_years.iter().map(|f| f.partial).collect();
    assert_eq!(partial, [true, false, true]);
    let base = &r.variants[0];
    let expected_salary = [
        2.0 * 10.0 * 36000.0 / 12.0,
        12.0 * 10.0 * 36000.0 * 1.04 / 12.0,
        10.0 * 10.0 * 36000.0 * 1.04 * 1.04 / 12.0,
    ];
    for (y, &sal) in expected_salary.iter().enumerate() {
        let c = &base.costs[y];
        assert!(
            close(c[SALARY].mean, sal),
            "{}: salary {} vs {sal}",
            labels[y],
            c[SALARY].mean
        );
        assert!(close(c[ON_COSTS].mean, 0.3 * sal));
        assert!(close(c[TOTAL].mean, 1.3 * sal));
        // Nothing is random here: every replication is the same.
        assert_eq!(c[TOTAL].p05, c[TOTAL].p95);
        assert_eq!(
            c[AGENCY].mean + c[PREMIUMS].mean + c[RECRUITMENT].mean + c[GRANT_INCOME].mean,
            0.0
        );
    }
    let total = &base.costs[3];
    assert!(close(
        total[TOTAL].mean,
        1.3 * expected_salary.iter().sum::<f64>()
    ));
    assert_eq!(
        base.trajectories[Metric::PermanentFte.index()][24]
            .unwrap()
            .mean,
        10.0
    );
}

#[test]
fn employer_ni_applies_above_the_threshold_and_pension_on_all_pay() {
    let s = common::scenario(&fixed_staff(
        "employer_ni_rate = 0.138\nni_threshold = 9100\npension_rate = 0.2",
    ));
    let months = 3;
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        months,
        &RepStream::new(1, 0),
        None,
    );
    let per_worker = 0.138 * (36000.0 - 9100.0) + 0.2 * 36000.0;
    assert!(close(r.costs[1][ON_COSTS], 10.0 * per_worker / 12.0));
}

/// April 2025's employer NI, written as steps on the date: 13.8% above £9,100 to March 2025,
/// 15% above £5,000 from April 2025. Month 1 of a January 2025 start is February.
#[test]
fn employer_ni_rate_and_threshold_step_on_their_date() {
    let s = common::scenario(
        &fixed_staff(
            "employer_ni_rate = { from = 0.138, to = 0.15, at = \"2025-04\" }\n\
             ni_threshold = { from = 9100, to = 5000, at = \"2025-04\" }\n\
             pension_rate = 0.2",
        )
        .replace("start = \"2023-01\"", "start = \"2025-01\""),
    );
    let r = engine::simulate(&s.variants[0].spec, s.start, 5, &RepStream::new(1, 0), None);
    // Ten workers on £36,000: before April, 0.138 x (36,000 - 9,100) + 0.2 x 36,000 =
    // £10,912.20 a year each, £9,093.50 a month for ten; from April, 0.15 x (36,000 - 5,000) +
    // 0.2 x 36,000 = £11,850 a year each, £9,875 a month for ten.
    let months: Vec<f64> = (1..=5).map(|m| r.costs[m][ON_COSTS]).collect();
    let (before, after) = (9_093.5, 9_875.0);
    for (m, (&got, want)) in months
        .iter()
        .zip([before, before, after, after, after])
        .enumerate()
    {
        assert!(close(got, want), "month {}: {got} vs {want}", m + 1);
    }
}

const CLAWBACK: &str = r#"
[scenario]
name = "clawback"
start = "2023-01"
months = 14
seed = 1

[service]
band_edges_months = [6, 12]

[[posts]]
name = "SW"
establishment = 11
recruit = { "New" = 1.0 }
fill_probability = 1.0

[[grades]]
name = "Old"
post = "SW"
permanent = 10
service_shares = [0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0]
salary = 30000

[[grades]]
name = "New"
post = "SW"
permanent = 0
service_shares = [1.0, 0.0, 0.0]
leaving = [0.0, 1.0, 1.0]
salary = 30000
"#;

fn premiums_by_month(premium: &str) -> Vec<f64> {
    let s = common::scenario(&format!("{CLAWBACK}\n[[premiums]]\n{premium}"));
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        14,
        &RepStream::new(1, 0),
        None,
    );
    r.costs.iter().map(|c| c[PREMIUMS]).collect()
}

#[test]
fn golden_hello_is_paid_at_joining_and_clawed_back_on_early_leaving() {
    // One vacancy, filled in month 1 by a "New" worker, who leaves for certain when service reaches
    // 6 months (month 7), and is replaced in the same month.
    let pro = premiums_by_month(
        "kind = \"golden_hello\"\ngrades = [\"New\"]\namount = 2000\nclawback_months = 12\nclawback = \"pro_rata\"",
    );
    // Month 7: 5 whole months after the month of joining are served, so 7 of the 12 are
    // recovered, 2000 x 7 / 12, as the replacement is paid 2000.
    let mut expected = vec![0.0; 15];
    expected[1] = 2000.0;
    expected[7] = 2000.0 - 2000.0 * 7.0 / 12.0;
    expected[13] = 2000.0 - 2000.0 * 7.0 / 12.0;
    assert_eq!(pro, expected);
    // Full clawback within 7 months: all 2000 recovered as the replacement is paid 2000.
    let full = premiums_by_month(
        "kind = \"golden_hello\"\ngrades = [\"New\"]\namount = 2000\nclawback_months = 7",
    );
    expected[7] = 0.0;
    expected[13] = 0.0;
    assert_eq!(full, expected);
    // Leaving in month 7, the sixth month after the month of joining, is within 6 months (as a
    // retention payment's clawback counts the months after it is paid), but not within 5.
    let six = premiums_by_month(
        "kind = \"golden_hello\"\ngrades = [\"New\"]\namount = 2000\nclawback_months = 6",
    );
    assert_eq!(six, expected);
    let none = premiums_by_month(
        "kind = \"golden_hello\"\ngrades = [\"New\"]\namount = 2000\nclawback_months = 5",
    );
    expected[7] = 2000.0;
    expected[13] = 2000.0;
    assert_eq!(none, expected);
}

#[test]
fn retention_payment_is_paid_at_the_anniversary_and_clawed_back() {
    // The month-1 hire reaches 3 months' service at the end of month 3 and is paid; leaves in month 7,
    // 3 months after payment, inside the 4-month clawback; the month-7 replacement is paid in month 9.
    let p = premiums_by_month(
        "kind = \"retention_payment\"\ngrades = [\"New\"]\namount = 1000\nat_months = 3\nclawback_months = 4",
    );
    let mut expected = vec![0.0; 15];
    expected[3] = 1000.0;
    expected[7] = -1000.0;
    expected[9] = 1000.0;
    expected[13] = -1000.0;
    assert_eq!(p, expected);
}

#[test]
fn an_option_that_changes_nothing_differs_by_exactly_zero() {
    let text = format!(
        "{}\n[[options]]\nname = \"same\"\nset = {{ \"posts[SW].fill_probability\" = 0.1 }}\n\n[[options]]\nname = \"empty\"\n",
        common::SMALL
    );
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    for v in &r.variants[1..] {
        assert!(!v.comparison.is_empty());
        for m in &v.comparison {
            match m.name.as_str() {
                "break_even_month" => assert_eq!(m.prob_better, Some(1.0)),
                "cost_per_agency_fte_year_avoided" | "cost_per_extra_permanent_fte_year" => {
                    assert_eq!(m.mean, None)
                }
                _ => {
                    let sum = m.summary.unwrap();
                    assert_eq!(
                        (sum.mean, sum.p05, sum.p95, sum.sd),
                        (0.0, 0.0, 0.0, 0.0),
                        "{}",
                        m.name
                    );
                    assert_eq!(m.prob_better, Some(0.0));
                }
            }
        }
    }
    // And replication by replication, every monthly cost is identical.
    for rep in 0..50 {
        let out = run::simulate_replication(&s, 7, rep, 24);
        assert_eq!(out[0].costs, out[1].costs);
        assert_eq!(out[0].costs, out[2].costs);
    }
}

#[test]
fn paired_differences_are_far_more_precise_than_independent_runs() {
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let cut = text.find("[[options]]").unwrap();
    let text = format!(
        "{}[[options]]\nname = \"small-supplement\"\n[[options.premiums]]\nkind = \"market_supplement\"\ngrades = [\"Level 3\"]\namount = 1000\nleaving_effect = -0.05\n",
        &text[..cut]
    );
    let s = common::scenario(&text);
    let months = s.months as usize;
    let total = |r: &engine::RepResult| r.costs.iter().map(|c| c[TOTAL]).sum::<f64>();
    let n = 400;
    let mut paired = Vec::new();
    let mut independent = Vec::new();
    for rep in 0..n {
        let same = run::simulate_replication(&s, 1, rep, months);
        let other = run::simulate_replication(&s, 2, rep, months);
        paired.push(total(&same[1]) - total(&same[0]));
        independent.push(total(&other[1]) - total(&same[0]));
    }
    let width = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        quantile_sorted(v, 0.95) - quantile_sorted(v, 0.05)
    };
    let (wp, wi) = (width(&mut paired), width(&mut independent));
    assert!(wp > 0.0, "the option must change something");
    assert!(
        wp / wi < 0.5,
        "paired 90% width {wp:.0} vs independent {wi:.0}: ratio {:.2}",
        wp / wi
    );
}

#[test]
fn agency_is_charged_by_the_hour_or_by_the_day() {
    let text = |rate: &str| {
        fixed_staff("on_cost_rate = 0.3").replace(
            "establishment = 10\n",
            &format!("establishment = 12\nagency = 2\n{rate}\n"),
        )
    };
    let monthly = |rate: &str| {
        let s = common::scenario(&text(rate));
        engine::simulate(&s.variants[0].spec, s.start, 2, &RepStream::new(1, 0), None).costs[1]
            [AGENCY]
    };
    assert!(close(
        monthly("agency_hourly_rate = 45"),
        2.0 * 45.0 * 37.0 * 52.0 / 12.0
    ));
    assert!(close(
        monthly("agency_daily_rate = 350"),
        2.0 * 350.0 * 5.0 * 52.0 / 12.0
    ));
}

/// Closes `a` to `b` within `rel` of `b` (or of 1).
fn within(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1.0)
}

#[test]
fn three_year_finance_view_is_hand_computed_for_a_supplement_with_no_effect() {
    // Ten staff who never leave, no agency, and an option paying each £1,200 a year with no
    // effect on leaving or hiring. The horizon runs from January 2023 for 48 months, so the
    // finance view covers the current part-year 2022/23 (February and March) and the whole
    // years 2023/24 to 2025/26, 38 months: its gross cost is 10 x 100 x 38 = £38,000 with
    // on-costs of 30%, it avoids no agency spend, and its net cost is its gross cost.
    let text = fixed_staff("on_cost_rate = 0.3").replace("months = 24", "months = 48")
        + "\n[[options]]\nname = \"supplement\"\n[[options.premiums]]\nkind = \"market_supplement\"\ngrades = [\"SW\"]\namount = 1200\n";
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let span = r.span.as_ref().unwrap();
    assert_eq!(span.label, "2022/23-2025/26");
    assert_eq!(span.words(), "2022/23 (Feb-Mar) to 2025/26");
    let v = &r.variants[1];
    let get = |key: &str| {
        let c = v.comparison.iter().find(|c| c.name == key).unwrap();
        (c.summary.unwrap(), c.prob_better.unwrap())
    };
    let gross = 10.0 * 100.0 * 38.0 * 1.3;
    let (g, pg) = get("gross_cost_2022/23-2025/26");
    let (a, pa) = get("agency_avoided_2022/23-2025/26");
    let (n, pn) = get("net_cost_2022/23-2025/26");
    for (s, want) in [(g, gross), (a, 0.0), (n, gross)] {
        assert!(
            close(s.mean, want) && close(s.p05, want) && close(s.p95, want),
            "{s:?} vs {want}"
        );
    }
    assert_eq!((pg, pa, pn), (0.0, 0.0, 0.0));
    // The span's costs in costs.csv's terms: the option's premiums over the 38 months.
    let costs = v.span_costs.unwrap();
    assert!(close(costs[PREMIUMS].mean, 10.0 * 100.0 * 38.0));
    // With no effect, the premiums' direct cost is the whole gross cost, and the finance view
    // shows it.
    let direct = v.span_budget.unwrap()[wfsim::model::budget::Line::Direct];
    assert!(close(direct.mean, gross) && close(direct.p95, gross));
    // The data files list the span among the budget lines' periods, as among the costs', with
    // the lines that add up over years (the people paid are one set of people, not one a year).
    let periods: Vec<_> = r.budget_periods(v).collect();
    let labels: Vec<&str> = periods.iter().map(|p| p.0).collect();
    let cost_labels: Vec<&str> = r.cost_periods(v).map(|p| p.0).collect();
    assert_eq!(labels, cost_labels);
    let (_, lines) = periods.iter().find(|p| p.0 == span.label).unwrap();
    let get = |line| lines.iter().find(|(l, _)| *l == line).map(|(_, s)| s.mean);
    assert!(close(
        get(wfsim::model::budget::Line::Direct).unwrap(),
        gross
    ));
    assert_eq!(get(wfsim::model::budget::Line::SupplementPeople), None);
    // A span of one year is that year: listed once, with its people paid.
    let one_year = run::run(
        &s,
        &RunConfig {
            years: Some("2023/24".into()),
            ..RunConfig::from_scenario(&s)
        },
        &NoProgress,
    )
    .unwrap();
    let periods: Vec<_> = one_year.budget_periods(&one_year.variants[1]).collect();
    let labels: Vec<&str> = periods.iter().map(|p| p.0).collect();
    assert_eq!(
        labels,
        [
            "2022/23", "2023/24", "2024/25", "2025/26", "2026/27", "total"
        ]
    );
    let (_, lines) = periods.iter().find(|p| p.0 == "2023/24").unwrap();
    assert!(
        lines
            .iter()
            .any(|(l, _)| *l == wfsim::model::budget::Line::SupplementPeople)
    );
    let (_, rows) = wfsim::output::table::finance_rows(&r).unwrap();
    assert_eq!(rows[0][2], "premiums' direct cost");
    // Every replication the same: the mean alone, not "£49k (£49k to £49k)".
    assert_eq!(rows[1][2], "£49k");
}

#[test]
fn three_year_ranges_come_from_each_replications_sum() {
    // Agency and leaving are random here, so the option's three-year net cost varies from one
    // replication to the next; its range is that of the per-replication sums, computed here
    // directly from each replication's monthly costs.
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 400,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let span = r.span.clone().unwrap();
    assert_eq!(span.label, "2022/23-2026/27");
    let months = s.months as usize;
    let sum = |rr: &engine::RepResult, c| -> f64 {
        (span.first_month..=span.last_month)
            .map(|m| rr.costs[m][c])
            .sum()
    };
    for (vi, v) in r.variants.iter().enumerate().skip(1) {
        let (mut gross, mut avoided, mut net) = (Vec::new(), Vec::new(), Vec::new());
        for rep in 0..u64::from(cfg.replications) {
            let out = run::simulate_replication(&s, cfg.seed, rep, months);
            let (o, b) = (&out[vi], &out[0]);
            let a = sum(b, AGENCY) - sum(o, AGENCY);
            let d = sum(o, TOTAL) - sum(b, TOTAL);
            avoided.push(a);
            net.push(d);
            gross.push(d + a);
        }
        for (key, values) in [
            ("gross_cost", &mut gross),
            ("agency_avoided", &mut avoided),
            ("net_cost", &mut net),
        ] {
            let name = format!("{key}_{}", span.label);
            let c = v.comparison.iter().find(|c| c.name == name).unwrap();
            let got = c.summary.unwrap();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            values.sort_by(f64::total_cmp);
            let (p05, p95) = (quantile_sorted(values, 0.05), quantile_sorted(values, 0.95));
            // Sketch percentiles are within 0.1% of the exact ones; the spread of pounds
            // across replications sets the scale of the tolerance.
            let scale = (p95 - p05).abs().max(1.0);
            assert!(within(got.mean, mean, 1e-9), "{}: {name} mean", v.name);
            assert!(
                (got.p05 - p05).abs() <= 2e-3 * p05.abs().max(scale),
                "{}: {name} p05 {} vs {p05}",
                v.name,
                got.p05
            );
            assert!(
                (got.p95 - p95).abs() <= 2e-3 * p95.abs().max(scale),
                "{}: {name} p95 {} vs {p95}",
                v.name,
                got.p95
            );
        }
        // Net is gross less avoided in every replication, so in the mean too.
        let find = |k: &str| {
            let name = format!("{k}_{}", span.label);
            v.comparison
                .iter()
                .find(|c| c.name == name)
                .unwrap()
                .mean
                .unwrap()
        };
        assert!(within(
            find("net_cost"),
            find("gross_cost") - find("agency_avoided"),
            1e-9
        ));
    }
}

#[test]
fn budget_lines_split_payments_clawbacks_and_recipients_by_hand() {
    use wfsim::model::budget::Line;
    // The golden hello above, pro rata: paid 2,000 in months 1, 7 and 13; recovered 7 twelfths
    // of it in months 7 and 13, from one leaver each.
    let s = common::scenario(&format!(
        "{CLAWBACK}\n[[premiums]]\nkind = \"golden_hello\"\ngrades = [\"New\"]\namount = 2000\nclawback_months = 12\nclawback = \"pro_rata\""
    ));
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        14,
        &RepStream::new(1, 0),
        None,
    );
    for (m, row) in r.budget.iter().enumerate() {
        let (paid, back) = match m {
            1 => (2000.0, 0.0),
            7 | 13 => (2000.0, 2000.0 * 7.0 / 12.0),
            _ => (0.0, 0.0),
        };
        assert_eq!(row[Line::Payments], paid, "month {m}");
        assert_eq!(row[Line::Clawbacks], back, "month {m}");
        assert_eq!(row[Line::Direct], paid - back, "month {m}");
        assert_eq!(row[Line::PaymentsMade], f64::from(paid > 0.0), "month {m}");
        assert_eq!(row[Line::ClawbacksMade], f64::from(back > 0.0), "month {m}");
        assert_eq!(
            row[Line::OnCosts],
            0.0,
            "one-off payments carry no on-costs"
        );
        // The direct cost is the premiums component, month by month.
        assert_eq!(row[Line::Direct], r.costs[m][PREMIUMS], "month {m}");
    }

    // A £1,200 supplement to 10 staff who never leave, with employer NI of 13.8% above £9,100
    // and a 20% pension: each month £1,000 paid to 10 people, and on-costs of the supplement of
    // 10 x 1,200 x (0.138 + 0.2) / 12 = £338 (the salary is above the threshold already).
    let text = fixed_staff("employer_ni_rate = 0.138\nni_threshold = 9100\npension_rate = 0.2")
        + "\n[[premiums]]\nkind = \"market_supplement\"\ngrades = [\"SW\"]\namount = 1200\n";
    let s = common::scenario(&text);
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        24,
        &RepStream::new(1, 0),
        None,
    );
    for m in 1..=24 {
        let row = r.budget[m];
        assert!(close(row[Line::Payments], 1000.0), "month {m}");
        assert!(close(row[Line::OnCosts], 338.0), "month {m}");
        assert!(close(row[Line::Direct], 1338.0), "month {m}");
        assert!(close(row[Line::SupplementFte], 10.0 / 12.0), "month {m}");
        // The 10 are counted in the horizon's first month (February 2023) and again each April
        // (months 3 and 15).
        let people = if m == 1 || m == 3 || m == 15 {
            10.0
        } else {
            0.0
        };
        assert_eq!(row[Line::SupplementPeople], people, "month {m}");
    }
    // By financial year (month 0 is the end of January 2023, so 2022/23 holds February and
    // March, 2024/25 April 2024 to January 2025): 2, 12 and 10 months' payments, 10 people in
    // each year, 10 x 2 / 12, 10 and 10 x 10 / 12 FTE-years.
    let res = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let b = &res.variants[0].budget;
    let years: Vec<(f64, f64, f64)> = b[..3]
        .iter()
        .map(|y| {
            (
                y[Line::Payments].mean,
                y[Line::SupplementPeople].mean,
                y[Line::SupplementFte].mean,
            )
        })
        .collect();
    for (got, want) in years.iter().zip([
        (2000.0, 10.0, 20.0 / 12.0),
        (12000.0, 10.0, 10.0),
        (10000.0, 10.0, 100.0 / 12.0),
    ]) {
        assert!(
            close(got.0, want.0) && got.1 == want.1 && close(got.2, want.2),
            "{got:?}"
        );
    }
    // The whole horizon's lines add its years' up, but not its people: the 10 are one set of
    // people, not 30.
    let periods: Vec<_> = res.budget_periods(&res.variants[0]).collect();
    let (label, total) = periods.last().unwrap();
    assert_eq!(*label, "total");
    assert!(total.iter().all(|(l, _)| *l != Line::SupplementPeople));
    assert!(close(total[0].1.mean, 24_000.0));
}

#[test]
fn a_pipeline_cohort_starting_in_the_first_month_trains_and_joins() {
    // Cohorts of 4 every January from 2022, 6 months long, £1,200 each (£200 a month): the run
    // starts in January 2023, so 2023's cohort starts in its first month (month 0) and 2024's in
    // month 12. Each is paid for its 6 months from month 0 (the first within the run's costs,
    // which run from month 1, is month 1: 5 months) and joins at its sixth month, 4 FTE more
    // each time with nobody leaving and posts to spare. 2022's finished before the start.
    let text = fixed_staff("on_cost_rate = 0.3")
        .replace("establishment = 10", "establishment = 30")
        + "\n[[intake.pipelines]]\nname = \"P\"\ngrade = \"SW\"\nintake = 4\nmonth = 1\n\
           first_year = 2022\nduration_months = 6\ncost_per_trainee = 1200\n";
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let v = &r.variants[0];
    let fte = |m: usize| {
        v.trajectories[Metric::PermanentFte.index()][m]
            .unwrap()
            .mean
    };
    assert_eq!((fte(5), fte(6), fte(17), fte(18)), (10.0, 14.0, 14.0, 18.0));
    // Training: 5 months of 2023's cohort, 6 of 2024's and the first of 2025's (month 24, the
    // last), at 4 x £200 a month.
    let total = v.costs.last().unwrap();
    assert!(
        close(total[TRAINING].mean, 12.0 * 4.0 * 200.0),
        "{:?}",
        total[TRAINING]
    );
}

#[test]
fn an_option_changes_the_intake_of_cohorts_that_start_after_the_start_not_those_in_training() {
    // As above, with an option taking 8 a cohort: 2023's cohort, which starts in month 0 (the
    // state the run starts from), is as the baseline has it; 2024's, in month 12, is the
    // option's. A decision taken at the start cannot change who is already training.
    let text = fixed_staff("on_cost_rate = 0.3")
        .replace("establishment = 10", "establishment = 30")
        + "\n[[intake.pipelines]]\nname = \"P\"\ngrade = \"SW\"\nintake = 4\nmonth = 1\n\
           first_year = 2022\nduration_months = 6\ncost_per_trainee = 1200\n\n[[options]]\n\
           name = \"eight\"\nset = { \"intake.pipelines[P].intake\" = 8 }\n";
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let fte = |v: usize, m: usize| {
        r.variants[v].trajectories[Metric::PermanentFte.index()][m]
            .unwrap()
            .mean
    };
    assert_eq!((fte(0, 6), fte(0, 18)), (14.0, 18.0));
    assert_eq!((fte(1, 6), fte(1, 18)), (14.0, 22.0));
}

#[test]
fn a_span_of_one_financial_year_is_listed_once_in_the_cost_periods() {
    // Six months within 2024/25: the finance view's span is that year, whose costs were listed
    // a second time under the same label (a pivot table over costs.csv counted them twice).
    let text = fixed_staff("on_cost_rate = 0.25")
        .replace("start = \"2023-01\"", "start = \"2024-09\"")
        .replace("months = 24", "months = 6");
    let r = common::results(&text);
    assert_eq!(r.span.as_ref().map(|s| s.label.as_str()), Some("2024/25"));
    let labels: Vec<&str> = r.cost_periods(&r.variants[0]).map(|(l, _)| l).collect();
    assert_eq!(labels, ["2024/25", "total"]);
    // Over more than one year the span (by default from the current part year, Jan-Mar 2023,
    // to the last whole year) is listed as a period of its own.
    let r =
        common::results(&fixed_staff("on_cost_rate = 0.25").replace("months = 24", "months = 39"));
    let labels: Vec<&str> = r.cost_periods(&r.variants[0]).map(|(l, _)| l).collect();
    assert_eq!(
        labels,
        [
            "2022/23",
            "2023/24",
            "2024/25",
            "2025/26",
            "2026/27",
            "2022/23-2025/26",
            "total"
        ]
    );
}
