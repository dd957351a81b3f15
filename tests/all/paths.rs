//! Inputs that move over time, year-to-year shocks, agency beyond vacancies, fractional hiring
//! capacity, and whom a premium's effect on leaving reaches: each against a result worked out by
//! hand or by the exact expected-value recursion.

use crate::common;

use wfsim::model::metric::Metric;
use wfsim::scenario::{Factor, Variation, Wander};
use wfsim::sim::engine::shocks::{Innovations, Shocks, yearly};
use wfsim::sim::engine::{self, monthly_hazard};
use wfsim::sim::run::{self, NoProgress, RunConfig};
use wfsim::stats::rng::RepStream;

/// One grade in one post group with no hiring and no agency, whose leaving rate follows `leaving`
/// in every band; `extra` is appended to the file.
fn closed(leaving: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "paths"
start = "2023-01"
months = 36
replications = 4000
seed = 5

[[posts]]
name = "SW"
establishment = 300
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0

[[grades]]
name = "SW"
post = "SW"
permanent = 200
service_shares = [0.25, 0.25, 0.25, 0.25]
leaving = [{leaving}, {leaving}, {leaving}, {leaving}]
salary = 30000
{extra}
"#
    )
}

/// The mean and standard error of a metric in each month across a run's replications.
fn means(r: &run::Results, m: Metric) -> Vec<(f64, f64)> {
    r.variants[0].trajectories[m.index()]
        .iter()
        .map(|s| s.map_or((f64::NAN, 0.0), |s| (s.mean, s.se)))
        .collect()
}

#[test]
fn a_path_with_no_randomness_reproduces_the_expected_value_recursion() {
    // Leaving falls in a straight line from 30% a year at the start to 10% by month 24 (2025-01).
    let s = common::scenario(&closed("{ from = 0.3, to = 0.1, by = \"2025-01\" }", ""));
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let got = means(&r, Metric::PermanentFte);
    let mut expected = 200.0;
    for (m, &(mean, se)) in got.iter().enumerate() {
        if m > 0 {
            let annual = if m >= 24 {
                0.1
            } else {
                0.3 + (0.1 - 0.3) * m as f64 / 24.0
            };
            expected *= 1.0 - monthly_hazard(annual);
        }
        assert!(
            (mean - expected).abs() <= 4.0 * se.max(1e-9) + 1e-9,
            "month {m}: mean {mean} against {expected} (se {se})"
        );
    }
    // Month 24 on, a twelfth of 10% a year leaves, not a twelfth of 30%.
    assert!((got[36].0 / got[24].0 - (0.9f64).powf(1.0)).abs() < 0.01);
}

#[test]
fn a_step_in_establishment_appears_in_the_month_stated() {
    let text = closed("0.0", "")
        .replace(
            "establishment = 300",
            "establishment = { from = 200, change = 12, at = \"2023-07\" }",
        )
        .replace("fill_probability = 0.0", "fill_probability = 1.0");
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 5,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let est = means(&r, Metric::EstablishmentFte);
    let perm = means(&r, Metric::PermanentFte);
    // 2023-07 is month 6: 200 posts before, 212 from then, and its 12 new posts filled at once.
    for m in 0..=36 {
        let want = if m < 6 { 200.0 } else { 212.0 };
        assert_eq!(est[m].0, want, "establishment in month {m}");
        assert_eq!(perm[m].0, want, "permanent staff in month {m}");
    }
}

/// The closed system's mean establishment month by month, with `establishment` (its line, as the
/// file states it) in place of its 300 posts; 2 replications.
fn establishment_by_month(establishment: &str) -> Vec<f64> {
    let text = closed("0.0", "").replace("establishment = 300", establishment);
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 2,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    means(&r, Metric::EstablishmentFte)
        .into_iter()
        .map(|(x, _)| x)
        .collect()
}

#[test]
fn values_by_year_hold_from_the_first_month_of_each_year() {
    // Financial years: 2023/24 from April 2023 (month 3), 2024/25 from April 2024 (month 15).
    let est = establishment_by_month(
        "establishment = { from = 250, by_year = { \"2023/24\" = 260, \"2024/25\" = 280 } }",
    );
    for (m, &x) in est.iter().enumerate() {
        let want = match m {
            0..=2 => 250.0,
            3..=14 => 260.0,
            _ => 280.0,
        };
        assert_eq!(x, want, "month {m}");
    }
}

#[test]
fn a_from_holds_at_the_start_in_a_year_by_year_gives() {
    // 2022/23 holds the start (January 2023, month 0): `from` at the start, that year's value
    // from February (month 1); without `from`, the year's value from the start.
    let run_with = |path: &str| {
        let est = establishment_by_month(path);
        [0, 1, 2, 3].map(|m| est[m])
    };
    assert_eq!(
        run_with(
            "establishment = { from = 250, by_year = { \"2022/23\" = 260, \"2023/24\" = 280 } }"
        ),
        [250.0, 260.0, 260.0, 280.0]
    );
    assert_eq!(
        run_with("establishment = { by_year = { \"2022/23\" = 260, \"2023/24\" = 280 } }"),
        [260.0, 260.0, 260.0, 280.0]
    );
}

#[test]
fn yearly_shocks_have_their_stated_spread_and_persistence() {
    // z_1 = sd e_1 and z_2 = rho z_1 + sd e_2: variances sd^2 and sd^2 (1 + rho^2), covariance
    // rho sd^2. With 20,000 replications the sample variances have a standard error of about
    // sqrt(2 / n) of their value (1%), and the covariance about 1.2% of sd^2: 5% is 4 of them.
    let w = Wander {
        sd: 0.4,
        persistence: 0.6,
        tails: wfsim::stats::tails::Tails::NORMAL,
    };
    let mut v = Variation::default();
    v[Factor::Leaving] = w;
    let n = 20_000;
    let (mut v1, mut v2, mut c12, mut m1) = (0.0, 0.0, 0.0, 0.0);
    for rep in 0..n {
        let mut e = Innovations::new(&RepStream::new(9, rep));
        let s = Shocks::new(&v, 24, &mut e);
        let (z1, z2) = (s.by_month[0][12], s.by_month[0][24]);
        assert_eq!(s.by_month[0][1], z1, "a year's months share its shock");
        m1 += z1;
        v1 += z1 * z1;
        v2 += z2 * z2;
        c12 += z1 * z2;
    }
    let n = n as f64;
    let sd2 = w.sd * w.sd;
    assert!((m1 / n).abs() < 4.0 * w.sd / n.sqrt());
    assert!((v1 / n / sd2 - 1.0).abs() < 0.05, "{}", v1 / n);
    assert!(
        (v2 / n / (sd2 * (1.0 + 0.36)) - 1.0).abs() < 0.05,
        "{}",
        v2 / n
    );
    assert!((c12 / n / (0.6 * sd2) - 1.0).abs() < 0.05, "{}", c12 / n);
    // The recursion itself, exactly.
    let z = yearly(w, &[1.0, 1.0, -2.0]);
    assert_eq!(z, [0.4, 0.6 * 0.4 + 0.4, 0.6 * (0.6 * 0.4 + 0.4) - 0.8]);
}

#[test]
fn shocks_are_common_to_every_option_and_independent_of_threads() {
    let text = closed(
        "0.2",
        r#"
[variation]
leaving = { sd = 0.5, persistence = 0.3 }
hiring = { sd = 0.4, persistence = 0.5 }
agency = { sd = 0.3 }
establishment = { sd = 0.05, persistence = 0.9 }

[[options]]
name = "same"
description = "changes nothing"
set = { "grades[SW].salary" = 30000 }
"#,
    )
    .replace("fill_probability = 0.0", "fill_probability = 0.05");
    let s = common::scenario(&text);
    let cfg = |threads| RunConfig {
        replications: 300,
        threads: Some(threads),
        ..RunConfig::from_scenario(&s)
    };
    let one = run::run(&s, &cfg(1), &NoProgress).unwrap();
    let two = run::run(&s, &cfg(2), &NoProgress).unwrap();
    assert_eq!(
        format!("{:?}", one.variants[1].comparison),
        format!("{:?}", two.variants[1].comparison)
    );
    assert_eq!(
        format!("{:?}", one.variants[0].trajectories),
        format!("{:?}", two.variants[0].trajectories)
    );
    for c in &one.variants[1].comparison {
        // Break-even is a month (1: it never costs more), not a difference.
        if c.measure == wfsim::model::comparison::Measure::BreakEvenMonth {
            continue;
        }
        if let Some(s) = c.summary {
            assert_eq!((s.mean, s.p05, s.p95), (0.0, 0.0, 0.0), "{}", c.name);
        }
    }
    // The shocks widen the spread of leavers: with them, the 90% range of permanent staff at the
    // horizon is wider than without.
    let calm = common::scenario(
        &closed("0.2", "").replace("fill_probability = 0.0", "fill_probability = 0.05"),
    );
    let spread = |s: &wfsim::scenario::Scenario| {
        let r = run::run(s, &cfg(2), &NoProgress).unwrap();
        let p = r.variants[0].trajectories[Metric::PermanentFte.index()][36].unwrap();
        p.p95 - p.p05
    };
    assert!(spread(&s) > 1.3 * spread(&calm));
}

#[test]
fn staff_are_counted_in_and_out_with_establishments_shock_by_its_share() {
    // No leaving and no hiring: staff in post move only when establishment's shock moves, by
    // `P (e^(0.6 dz) - 1)` whole workers at the start of each year, neither starters nor leavers.
    let text = closed(
        "0.0",
        "[variation]\nestablishment = { sd = 0.2, persistence = 0.5, staff_share = 0.6 }\n",
    );
    let s = common::scenario(&text);
    let spec = &s.variants[0].spec;
    assert_eq!(spec.variation.staff_share, 0.6);
    let (mut ins, mut outs) = (0, 0);
    for rep in 0..100 {
        let stream = RepStream::new(11, rep);
        let z =
            Shocks::new(&spec.variation, 36, &mut Innovations::new(&stream)).by_month[3].clone();
        let mut flows = Vec::new();
        let r = engine::simulate(spec, s.start, 36, &stream, Some(&mut flows));
        let mut p = 200.0;
        for m in 1..=36 {
            let moved = (p * (0.6 * (z[m] - z[m - 1])).exp_m1()).round();
            p += moved;
            let f = flows[m - 1][0];
            assert_eq!(
                f64::from(f.counted_in) - f64::from(f.counted_out),
                moved,
                "rep {rep} month {m}"
            );
            ins += f.counted_in;
            outs += f.counted_out;
            assert_eq!(r.metric(Metric::PermanentFte, m), p, "rep {rep} month {m}");
            assert!((r.metric(Metric::EstablishmentFte, m) - 300.0 * z[m].exp()).abs() < 1e-9);
            assert_eq!(r.metric(Metric::StartersFte, m), 0.0);
            assert_eq!(r.metric(Metric::LeaversFte, m), 0.0);
        }
    }
    assert!(
        ins > 1000 && outs > 1000,
        "both ways exercised: {ins} in, {outs} out"
    );
}

#[test]
fn staff_counted_in_or_out_look_like_the_staff_in_post() {
    // A quarter of the staff start with under 2 years' service. Were those counted in new
    // joiners, a share of 0.6 of shocks of spread 0.3 would move the share under 2 years by
    // several points; counted in and out like the staff in post, it stays where it is without
    // the shocks (the runs share their replications' budgets; 400 replications put the standard
    // error of the mean difference near 0.001).
    let calm = common::scenario(&closed("0.0", ""));
    let moved = common::scenario(&closed(
        "0.0",
        "[variation]\nestablishment = { sd = 0.3, staff_share = 0.6 }\n",
    ));
    let under2 = |s: &wfsim::scenario::Scenario| {
        let cfg = RunConfig {
            replications: 400,
            ..RunConfig::from_scenario(s)
        };
        let r = run::run(s, &cfg, &NoProgress).unwrap();
        means(&r, Metric::Under2yShare)
    };
    let (a, b) = (under2(&calm), under2(&moved));
    for m in [1, 12, 13, 30] {
        assert!(
            (a[m].0 - b[m].0).abs() < 0.006,
            "month {m}: {} without the shocks, {} with them",
            a[m].0,
            b[m].0
        );
    }
}

#[test]
fn fractional_hiring_capacity_accrues_month_by_month() {
    let text = closed("0.0", "[recruitment]\nmax_hires_per_month = 2.5\n")
        .replace("fill_probability = 0.0", "fill_probability = 1.0");
    let s = common::scenario(&text);
    let r = engine::simulate(&s.variants[0].spec, s.start, 8, &RepStream::new(1, 0), None);
    let starters: Vec<f64> = (1..=8).map(|m| r.metric(Metric::StartersFte, m)).collect();
    assert_eq!(starters, [2.0, 3.0, 2.0, 3.0, 2.0, 3.0, 2.0, 3.0]);
}

#[test]
fn agency_beyond_vacancies_is_kept() {
    // 200 staff in 210 posts: 10 vacancies, all covered, and 6 agency workers beyond them.
    let text = closed("0.0", "")
        .replace("establishment = 300", "establishment = 210")
        .replace(
            "fill_probability = 0.0",
            "fill_probability = 0.0\nagency = 16\nagency_extra = 6\nagency_hourly_rate = 40",
        );
    let s = common::scenario(&text);
    assert!(!s.notes.iter().any(|n| n.contains("released in month 1")));
    let r = engine::simulate(
        &s.variants[0].spec,
        s.start,
        12,
        &RepStream::new(1, 0),
        None,
    );
    for m in 0..=12 {
        assert_eq!(r.metric(Metric::AgencyFte, m), 16.0, "month {m}");
    }
    // The census's agency rate counts them: 16 / (16 + 200).
    assert!((r.metric(Metric::AgencyShare, 12) - 16.0 / 216.0).abs() < 1e-12);
}

/// One worker per replication, six months into their service at the start, in a grade whose
/// leaving rate is 60% a year, with `premium` as an option.
fn one_worker(premium: &str) -> wfsim::scenario::Scenario {
    let text = format!(
        r#"
[scenario]
name = "reach"
start = "2023-01"
months = 48
replications = 4000
seed = 3

[[posts]]
name = "SW"
establishment = 1
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0

[[grades]]
name = "SW"
post = "SW"
permanent = 1
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.6, 0.6, 0.6, 0.6]
salary = 30000

[[options]]
name = "premium"
[[options.premiums]]
grades = ["SW"]
amount = 1000
leaving_effect = -1.0
{premium}
"#
    );
    common::scenario(&text)
}

/// The chance the worker is still in post at the end of each month, under the baseline and the
/// option.
fn still_in_post(s: &wfsim::scenario::Scenario) -> [Vec<f64>; 2] {
    let r = run::run(s, &RunConfig::from_scenario(s), &NoProgress).unwrap();
    [0, 1].map(|v| {
        r.variants[v].trajectories[Metric::PermanentFte.index()]
            .iter()
            .map(|x| x.unwrap().mean)
            .collect()
    })
}

#[test]
fn a_retention_payments_effect_reaches_its_lead_months_and_its_clawback() {
    // The worker starts with 6 months' service (the one worker of band 0 sits at its middle). Paid
    // at 24 months with a lead of 12 and a clawback of 6: reached from 12 to 30 months' service,
    // months 6 to 24 of the run. With the effect at -100% nobody leaves while reached.
    let s = one_worker(
        "kind = \"retention_payment\"\nat_months = 24\nlead_months = 12\nclawback_months = 6",
    );
    let [base, option] = still_in_post(&s);
    let stay = (1.0f64 - 0.6).powf(1.0 / 12.0);
    for m in 0..=48 {
        // The same worker, with the same leaving budget, under both: identical until month 6.
        if m <= 6 {
            assert_eq!(option[m], base[m], "month {m}");
        }
        if (6..=24).contains(&m) {
            assert_eq!(option[m], option[6], "nobody leaves in month {m}");
        }
    }
    // After month 24 leaving resumes at the baseline's rate: the chance falls by `stay` a month.
    assert!((option[36] / option[24] - stay.powi(12)).abs() < 0.04);
    assert!(base[24] < 0.5 * option[24]);
}

#[test]
fn a_retention_payment_already_due_reaches_nobody() {
    // Staff who have passed the anniversary will never be paid it, so it cannot hold them.
    let s = one_worker("kind = \"retention_payment\"\nat_months = 3\nclawback_months = 12");
    let [base, option] = still_in_post(&s);
    assert_eq!(base, option);
}

#[test]
fn a_golden_hellos_effect_reaches_only_those_paid_it_while_it_can_be_clawed_back() {
    // Starting staff were never paid it; a market supplement reaches everyone in the grade.
    let s = one_worker("kind = \"golden_hello\"\nclawback_months = 24");
    let [base, option] = still_in_post(&s);
    assert_eq!(base, option);
    let s = one_worker("kind = \"market_supplement\"");
    let [base, option] = still_in_post(&s);
    assert!(option.iter().all(|&x| x == 1.0));
    assert!(base[48] < 0.1);
}

#[test]
fn agency_beyond_vacancies_moves_with_its_share_of_establishment() {
    // 200 staff in 210 posts, 6 agency workers beyond the 10 vacancies and none covering them.
    // With `points = 0.05`, the agency shock moves agency beyond vacancies as
    // `(6 + 0.05 x 210) e^z - 0.05 x 210`, at least 0; wholly in proportion (`6 e^z`) without.
    let text = |points: &str| {
        closed(
            "0.0",
            &format!("[variation]\nagency = {{ sd = 0.5, persistence = 0.5{points} }}\n"),
        )
        .replace("establishment = 300", "establishment = 210")
        .replace(
            "fill_probability = 0.0",
            "fill_probability = 0.0\nagency = 6\nagency_cover = 0.0\nagency_extra = 6\n\
             agency_hourly_rate = 40",
        )
    };
    let (shifted, plain) = (
        common::scenario(&text(", points = 0.05")),
        common::scenario(&text("")),
    );
    assert_eq!(shifted.variants[0].spec.variation.agency_points, 0.05);
    assert_eq!(plain.variants[0].spec.variation.agency_points, 0.0);
    let mut none = 0;
    for rep in 0..100 {
        let stream = RepStream::new(13, rep);
        let spec = &shifted.variants[0].spec;
        let z =
            Shocks::new(&spec.variation, 36, &mut Innovations::new(&stream)).by_month[2].clone();
        let a = engine::simulate(spec, shifted.start, 36, &stream, None);
        let b = engine::simulate(&plain.variants[0].spec, plain.start, 36, &stream, None);
        for (m, z) in z.iter().enumerate() {
            let e = z.exp();
            let want = (((6.0 + 10.5) * e - 10.5).max(0.0) + 0.5).floor();
            assert_eq!(a.metric(Metric::AgencyFte, m), want, "rep {rep} month {m}");
            assert_eq!(b.metric(Metric::AgencyFte, m), (6.0 * e + 0.5).floor());
            none += usize::from(want == 0.0);
        }
    }
    assert!(none > 100, "the floor at 0 exercised: {none} months");
}

#[test]
fn each_factors_extra_key_is_read_on_its_own_factor_and_refused_on_the_others() {
    // Driven by `scenario::FACTORS`: a row's extra key lands where `Variation` keeps it, and
    // under any other factor it is an unknown key.
    for d in &wfsim::scenario::FACTORS {
        let Some(x) = d.extra else { continue };
        let text = closed(
            "0.1",
            &format!("[variation]\n{} = {{ sd = 0.2, {} = 0.3 }}\n", d.key, x.key),
        );
        let v = common::scenario(&text).variants[0].spec.variation.clone();
        assert_eq!(v[d.factor].sd, 0.2, "{}", d.key);
        assert_eq!((x.get)(&v), 0.3, "{}", x.key);
        let above = closed(
            "0.1",
            &format!("[variation]\n{} = {{ sd = 0.2, {} = 1.5 }}\n", d.key, x.key),
        );
        let e = common::errors(&above);
        assert!(e.iter().any(|e| e.contains(x.key)), "{}: {e:?}", x.key);
        for o in wfsim::scenario::FACTORS.iter().filter(|o| o.key != d.key) {
            let text = closed(
                "0.1",
                &format!("[variation]\n{} = {{ sd = 0.2, {} = 0.3 }}\n", o.key, x.key),
            );
            let e = common::errors(&text);
            assert!(
                e.iter().any(|e| e.contains(x.key)),
                "{} on {}: {e:?}",
                x.key,
                o.key
            );
        }
    }
}
