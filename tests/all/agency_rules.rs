//! The council's leavers returning as agency, and the DfE's 2024 agency rules (experience test,
//! cooling-off, price caps), each against a case whose answer is known exactly.

use crate::common::{self, one_rep};

use wfsim::model::cost::Component;
use wfsim::model::metric::Metric;
use wfsim::sim::engine::RepResult;

/// One post group whose vacancies are never filled by hiring, nor by agency from the market
/// (`[agency] fill_probability = 0`) unless `agency_fill` says otherwise: every agency start is
/// one of the council's own leavers coming back. `grades` and `rules` are appended.
fn council(agency_fill: f64, agency: &str, grades: &str, rules: &str) -> String {
    format!(
        r#"
[scenario]
name = "agency-rules"
start = "2024-01"
months = 20
replications = 20
seed = 11

[[posts]]
name = "SW"
establishment = 100
agency = 20
recruit = {{ "SW" = 1.0 }}
fill_probability = 0.0
agency_cover = 1.0
agency_hourly_rate = 50

[agency]
monthly_churn = 0.0
fill_probability = {agency_fill}
{agency}

[costs]
on_cost_rate = 0.3
{grades}
{rules}
"#
    )
}

/// 80 social workers with 5 or more years' service: experienced enough for the rules.
const EXPERIENCED: &str = r#"
[[grades]]
name = "SW"
post = "SW"
permanent = 80
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.4, 0.4, 0.4, 0.4]
salary = 36000
"#;

/// 80 newly qualified workers in their first year, who stay in the grade: at most 32 months'
/// experience by the end of the 20 months.
const NEW: &str = r#"
[[grades]]
name = "SW"
post = "SW"
newly_qualified = true
permanent = 80
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.4, 0.4, 0.4, 0.4]
salary = 30000
"#;

const RETURN_ALL: &str = "leavers_to_agency = 1.0\nreturn_share = 1.0";

fn agency(r: &RepResult, m: usize) -> f64 {
    r.metric(Metric::AgencyFte, m)
}

#[test]
fn before_the_rules_every_leaver_comes_back_as_agency_the_same_month() {
    let text = council(0.0, RETURN_ALL, EXPERIENCED, "");
    for rep in 0..5 {
        let r = one_rep(&text, rep);
        let mut back = 0.0;
        for m in 1..=20 {
            let left = r.metric(Metric::LeaversFte, m);
            assert_eq!(
                agency(&r, m) - agency(&r, m - 1),
                left,
                "rep {rep} month {m}"
            );
            back += left;
            if m >= 12 {
                let year: f64 = (m - 11..=m).map(|k| r.metric(Metric::LeaversFte, k)).sum();
                assert_eq!(r.metric(Metric::AgencyReturned, m), year);
                assert_eq!(r.metric(Metric::AgencyBarred, m), 0.0);
            }
        }
        assert!(back > 10.0, "the case must have leavers: {back}");
    }
}

#[test]
fn under_the_rules_an_experienced_leaver_comes_back_after_the_cooling_off_and_not_sooner() {
    let rules = "[agency.rules]\nfrom = \"2024-01\"\ncooling_off_months = 3";
    let text = council(0.0, RETURN_ALL, EXPERIENCED, rules);
    let without = council(0.0, RETURN_ALL, EXPERIENCED, "");
    for rep in 0..5 {
        let r = one_rep(&text, rep);
        // The same leavers as without the rules: agency does not bear on leaving.
        let w = one_rep(&without, rep);
        for m in 1..=20 {
            let left = |k: usize| r.metric(Metric::LeaversFte, k);
            assert_eq!(left(m), w.metric(Metric::LeaversFte, m));
            let expected = if m > 3 { left(m - 3) } else { 0.0 };
            assert_eq!(
                agency(&r, m) - agency(&r, m - 1),
                expected,
                "rep {rep} month {m}"
            );
        }
    }
}

#[test]
fn under_the_rules_a_leaver_without_three_years_experience_never_comes_back_as_agency() {
    let rules = "[agency.rules]\nfrom = \"2024-01\"";
    let text = council(0.0, RETURN_ALL, NEW, rules);
    for rep in 0..5 {
        let r = one_rep(&text, rep);
        let mut left = 0.0;
        for m in 1..=20 {
            assert_eq!(agency(&r, m), 20.0, "rep {rep} month {m}");
            left += r.metric(Metric::LeaversFte, m);
            if m >= 12 {
                let year: f64 = (m - 11..=m).map(|k| r.metric(Metric::LeaversFte, k)).sum();
                assert_eq!(r.metric(Metric::AgencyBarred, m), year);
                assert_eq!(r.metric(Metric::AgencyReturned, m), 0.0);
            }
        }
        assert!(left > 10.0, "the case must have leavers: {left}");
    }
    // Before the rules the same leavers come back at once.
    let r = one_rep(&council(0.0, RETURN_ALL, NEW, ""), 0);
    assert!(agency(&r, 20) > 30.0);
}

#[test]
fn experience_brought_on_joining_counts_with_service() {
    // The same newly qualified staff, but recorded as bringing 36 months' experience: they pass.
    let grades = NEW.replace(
        "newly_qualified = true",
        "newly_qualified = true\nprior_experience_months = 36",
    );
    let rules = "[agency.rules]\nfrom = \"2024-01\"\ncooling_off_months = 0";
    let r = one_rep(&council(0.0, RETURN_ALL, &grades, rules), 0);
    for m in 1..=20 {
        let left = r.metric(Metric::LeaversFte, m);
        assert_eq!(agency(&r, m) - agency(&r, m - 1), left, "month {m}");
    }
}

#[test]
fn the_rules_apply_from_their_month() {
    // From 2024-07 (month 6): leavers before it come back at once, those after it 3 months on.
    let rules = "[agency.rules]\nfrom = \"2024-07\"\ncooling_off_months = 3";
    let r = one_rep(&council(0.0, RETURN_ALL, EXPERIENCED, rules), 1);
    let left = |k: usize| r.metric(Metric::LeaversFte, k);
    for m in 1..=20 {
        let expected = match m {
            1..=5 => left(m),
            6..=8 => 0.0,
            _ => left(m - 3),
        };
        assert_eq!(agency(&r, m) - agency(&r, m - 1), expected, "month {m}");
    }
}

#[test]
fn a_share_of_leavers_comes_back_and_the_rest_do_not() {
    // Half of the leavers take agency work with the council: over 200 replications the returners
    // are half the leavers, within 4 standard errors of a binomial share.
    let text = council(
        0.0,
        "leavers_to_agency = 0.8\nreturn_share = 0.625",
        EXPERIENCED,
        "",
    );
    let (mut back, mut left) = (0.0, 0.0);
    for rep in 0..200 {
        let r = one_rep(&text, rep);
        back += agency(&r, 20) - 20.0;
        left += (1..=20)
            .map(|m| r.metric(Metric::LeaversFte, m))
            .sum::<f64>();
    }
    let share = back / left;
    let se = (0.25 / left).sqrt();
    assert!((share - 0.5).abs() < 4.0 * se, "share {share}, se {se}");
}

#[test]
fn the_experience_test_thins_agency_starts_from_the_market() {
    // No leaving and no returners: 60 in post leave 40 vacancies, 20 covered by agency at the
    // start and 20 missing. Every missing start comes from the market at chance 1, which the
    // rules cut to `q` = 0.6: after `m` months the expected agency is 20 + 20 (1 - 0.4^m).
    let grades = EXPERIENCED
        .replace("permanent = 80", "permanent = 60")
        .replace("0.4, 0.4, 0.4, 0.4", "0.0, 0.0, 0.0, 0.0");
    let rules = "[agency.rules]\nfrom = \"2024-01\"\nqualified_share = 0.6";
    let text = council(1.0, "", &grades, rules);
    let reps = 400;
    let mut mean = [0.0; 4];
    for rep in 0..reps {
        let r = one_rep(&text, rep);
        for (m, x) in mean.iter_mut().enumerate().skip(1) {
            *x += agency(&r, m) / f64::from(reps as u32);
        }
        // Every start the rules stopped is counted: the market offered the 20 missing and then
        // each one stopped again, so the starts made and stopped over the year are at least 20.
        let started = agency(&r, 12) - 20.0;
        assert!(r.metric(Metric::AgencyBarred, 12) + started >= 20.0);
    }
    for (m, &got) in mean.iter().enumerate().skip(1) {
        let expected = 20.0 + 20.0 * (1.0 - 0.4f64.powi(m as i32));
        // The sd of one replication's starts is at most sqrt(20 x 0.25) = 2.24; of the mean
        // over 400, 0.112; 5 of those.
        assert!(
            (got - expected).abs() < 0.56,
            "month {m}: {got} vs {expected}"
        );
    }
    // Without the rules every missing start is made at once.
    let r = one_rep(&council(1.0, "", &grades, ""), 0);
    assert_eq!(agency(&r, 1), 40.0);
}

/// The council of the price-cap tests: 20 agency FTE that never leave, £50 an hour against a
/// £40 cap from 2024-07 (month 6), a quarter of assignments signed off above it.
fn capped_council() -> String {
    let grades = EXPERIENCED.replace("0.4, 0.4, 0.4, 0.4", "0.0, 0.0, 0.0, 0.0");
    let rules =
        "[agency.rules]\nfrom = \"2024-01\"\ncaps_from = \"2024-07\"\nabove_cap_share = 0.25";
    council(0.0, "", &grades, rules).replace(
        "agency_hourly_rate = 50",
        "agency_hourly_rate = 50\nagency_price_cap = 40",
    )
}

#[test]
fn a_price_cap_lowers_the_rate_from_its_month_but_not_for_those_signed_off_above_it() {
    // £50 an hour against a £40 cap from 2024-07 (month 6), a quarter signed off above it:
    // £42.50 an hour, 37 hours a week, 52 weeks a year.
    let r = one_rep(&capped_council(), 0);
    let month = |rate: f64| rate * 37.0 * 52.0 / 12.0;
    for m in 1..=20 {
        let fte = agency(&r, m);
        assert_eq!(fte, 20.0);
        let (rate, saved) = if m < 6 { (50.0, 0.0) } else { (42.5, 7.5) };
        let cost = r.costs[m][Component::Agency];
        assert!((cost - fte * month(rate)).abs() < 1e-6, "month {m}: {cost}");
        if m >= 12 {
            // Months 1 to 5 of the year to month 12 had no cap: m - 5 months with one.
            let capped = (m - 11..=m).filter(|&k| k >= 6).count() as f64;
            let saving = r.metric(Metric::AgencyCapSaving, m);
            let expected = capped * fte * month(saved);
            assert!((saving - expected).abs() < 1e-6, "month {m}: {saving}");
        }
    }
    // A cap above the market rate changes nothing.
    let r = one_rep(
        &capped_council().replace("agency_price_cap = 40", "agency_price_cap = 60"),
        0,
    );
    assert!((r.costs[12][Component::Agency] - 20.0 * month(50.0)).abs() < 1e-6);
}

#[test]
fn rules_and_caps_are_checked() {
    let text = council(0.0, "", EXPERIENCED, "").replace(
        "agency_hourly_rate = 50",
        "agency_hourly_rate = 50\nagency_price_cap = 40",
    );
    let e = common::errors(&text);
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("agency_price_cap") && e[0].contains("caps_from"),
        "{e:?}"
    );
    let e = common::errors(&council(
        0.0,
        "leavers_to_agency = 1.5",
        EXPERIENCED,
        "[agency.rules]\ncooling_off_months = -1",
    ));
    assert_eq!(e.len(), 3, "{e:?}");
    assert!(e[0].contains("leavers_to_agency"), "{e:?}");
    assert!(e.iter().any(|x| x.contains("agency.rules.from")), "{e:?}");
    assert!(e.iter().any(|x| x.contains("cooling_off_months")), "{e:?}");
    // A target on the flows' metrics needs them stated.
    let e = common::errors(&format!(
        "{}\n[[targets]]\nname = \"t\"\nmetric = \"agency_barred_12m\"\nat_most = 5\nby = \"2025-01\"\n",
        council(0.0, "", EXPERIENCED, "")
    ));
    assert!(e[0].contains("needs the agency flows or rules"), "{e:?}");
}

#[test]
fn an_option_may_add_or_set_aside_the_flows_and_rules() {
    use wfsim::sim::run::{self, NoProgress, RunConfig};
    // Flows only in an option: the baseline records none (0), the option its own.
    let base = council(0.0, "leavers_to_agency = 0.0", EXPERIENCED, "");
    let text = format!(
        "{base}\n[[options]]\nname = \"returners\"\nset = {{ \"agency.leavers_to_agency\" = 0.5 }}\n"
    );
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let at = |v: usize, m: Metric| r.variants[v].trajectories[m.index()][20].unwrap();
    assert_eq!(at(0, Metric::AgencyReturned).p95, 0.0);
    assert!(at(1, Metric::AgencyReturned).mean > 0.0);
    // Rules in the baseline and set aside by an option.
    let rules =
        "[agency.rules]\nfrom = \"2024-01\"\ncooling_off_months = 3\nmin_experience_months = 36";
    let base = council(0.0, RETURN_ALL, NEW, rules);
    let text = format!(
        "{base}\n[[options]]\nname = \"no-rules\"\nset = {{ \"agency.rules.cooling_off_months\" = 0, \"agency.rules.min_experience_months\" = 0 }}\n"
    );
    let s = common::scenario(&text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let at = |v: usize, m: Metric| r.variants[v].trajectories[m.index()][20].unwrap();
    assert!(at(0, Metric::AgencyBarred).mean > 0.0);
    assert_eq!(at(1, Metric::AgencyBarred).p95, 0.0);
    assert!(at(1, Metric::AgencyFte).mean > at(0, Metric::AgencyFte).mean);
}

/// What the 2024 rules change under each option, as `wfsim run` works it out: `text` run with
/// `reps` replications, each run again without the rules.
fn rules_effect(text: &str, reps: u32) -> wfsim::sim::run::Results {
    use wfsim::sim::run::{self, NoProgress, RunConfig};
    let s = common::scenario(text);
    let cfg = run::settle_comparing_rules(
        &s,
        &RunConfig {
            replications: reps,
            ..RunConfig::from_scenario(&s)
        },
    )
    .unwrap();
    assert_eq!(cfg.without_rules, reps);
    run::run_settled(&s, &cfg, &NoProgress).unwrap()
}

/// Every paired difference of `s` is exactly 0: its mean, its spread and its range.
fn all_zero(s: &wfsim::stats::Summary) -> bool {
    s.mean == 0.0 && s.sd == 0.0 && s.p05 == 0.0 && s.p95 == 0.0
}

#[test]
fn rules_that_cannot_bite_change_nothing_in_any_replication() {
    // Leavers come back as agency, the market fills missing places by chance, experienced and
    // newly qualified staff leave: but every agency worker qualifies, there is no cooling-off and
    // no experience is asked, and no post has a cap.
    let grades = format!(
        "{EXPERIENCED}\n{}",
        NEW.replace("name = \"SW\"\npost", "name = \"NQ\"\npost")
            .replace("permanent = 80", "permanent = 20")
    );
    let rules = "[agency.rules]\nfrom = \"2024-01\"\nqualified_share = 1\ncooling_off_months = 0\nmin_experience_months = 0";
    let text = council(
        0.7,
        "leavers_to_agency = 0.5\nreturn_share = 0.8",
        &grades,
        rules,
    );
    let text = format!(
        "{text}\n[[options]]\nname = \"lower-leaving\"\nset = {{ \"grades[SW].leaving\" = [0.2, 0.2, 0.2, 0.2] }}\n"
    );
    let r = rules_effect(&text, 30);
    for v in &r.variants {
        let e = v.rules_effect.as_ref().expect("the rules are in force");
        assert_eq!(e.replications, 30);
        assert!(all_zero(&e.fte), "{}: {:?}", v.name, e.fte);
        assert!(all_zero(&e.spend), "{}: {:?}", v.name, e.spend);
        assert!(e.fte_with.mean > 5.0 && e.spend_with.mean > 0.0, "{e:?}");
    }
}

#[test]
fn a_price_cap_alone_changes_agency_spend_by_its_saving_on_every_fte_month() {
    // 20 agency FTE throughout (no leaving, no returners, no market): £50 an hour against a £40
    // cap from 2024-07 (month 6), a quarter signed off above it, so £7.50 an hour saved on three
    // quarters of the FTE. The finance view's span runs from the start to 2024/25's end (months 1
    // to 14), 9 of them capped.
    let r = rules_effect(&capped_council(), 20);
    let span = r.span.as_ref().unwrap();
    assert_eq!((span.first_month, span.last_month), (1, 14));
    let e = r.variants[0].rules_effect.as_ref().unwrap();
    assert!(all_zero(&e.fte), "{:?}", e.fte);
    assert_eq!((e.fte_with.mean, e.fte_without.mean), (20.0, 20.0));
    let saved_a_month = 20.0 * 7.5 * 37.0 * 52.0 / 12.0;
    let expected = -9.0 * saved_a_month;
    for x in [e.spend.mean, e.spend.p05, e.spend.p50, e.spend.p95] {
        assert!((x - expected).abs() < 0.005, "{x} vs {expected}");
    }
    let without = 14.0 * 20.0 * 50.0 * 37.0 * 52.0 / 12.0;
    assert!((e.spend_without.mean - without).abs() < 0.005);
    assert!((e.spend_with.mean - (without + expected)).abs() < 0.005);
}

#[test]
fn the_rules_effect_is_the_difference_of_runs_with_and_without_them_on_the_same_numbers() {
    use wfsim::model::cost::Component;
    use wfsim::sim::run::{self, NoProgress, RunConfig};
    // Every rule bites: the experience test in the market, the cooling-off and the experience
    // asked of returners, and an uncertain market rate against a cap; an option changes leaving.
    let grades = format!(
        "{}\n{}",
        EXPERIENCED.replace("[0.0, 0.0, 0.0, 1.0]", "[0.2, 0.3, 0.2, 0.3]"),
        NEW.replace("name = \"SW\"\npost", "name = \"NQ\"\npost")
    );
    let option = "\n[[options]]\nname = \"lower-leaving\"\nset = { \"grades[SW].leaving\" = [0.2, 0.2, 0.25, 0.25] }\n";
    let flows =
        "leavers_to_agency = 0.5\nreturn_share = { dist = \"uniform\", low = 0.3, high = 0.7 }";
    let rate = "agency_hourly_rate = { dist = \"triangular\", low = 40, mode = 45, high = 55 }";
    let without =
        council(0.6, flows, &grades, "").replace("agency_hourly_rate = 50", rate) + option;
    let with = council(
        0.6,
        flows,
        &grades,
        "[agency.rules]\nfrom = \"2024-04\"\ncooling_off_months = 3\nqualified_share = 0.7\ncaps_from = \"2024-09\"\nabove_cap_share = 0.2",
    )
    .replace("agency_hourly_rate = 50", &format!("{rate}\nagency_price_cap = 44"))
        + option;
    let reps = 40;
    let paired = rules_effect(&with, reps);
    let alone = |text: &str| {
        let s = common::scenario(text);
        let cfg = RunConfig {
            replications: reps,
            ..RunConfig::from_scenario(&s)
        };
        run::run(&s, &cfg, &NoProgress).unwrap()
    };
    let (a, b) = (alone(&with), alone(&without));
    // Agency FTE averaged over months 9 to 20; agency spend over the span.
    let fte = |r: &wfsim::sim::run::Results, v: usize| {
        (9..=20)
            .map(|m| {
                r.variants[v].trajectories[Metric::AgencyFte.index()][m]
                    .unwrap()
                    .mean
            })
            .sum::<f64>()
            / 12.0
    };
    let spend = |r: &wfsim::sim::run::Results, v: usize| {
        r.variants[v].span_costs.as_ref().unwrap()[Component::Agency].mean
    };
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + y.abs());
    for v in 0..2 {
        let e = paired.variants[v].rules_effect.as_ref().unwrap();
        assert!(
            e.fte.sd > 0.0 && e.spend.mean < 0.0,
            "the rules must bite: {e:?}"
        );
        assert!(
            close(e.fte_with.mean, fte(&a, v)),
            "{v}: {} {}",
            e.fte_with.mean,
            fte(&a, v)
        );
        assert!(close(e.fte_without.mean, fte(&b, v)));
        assert!(close(e.fte.mean, fte(&a, v) - fte(&b, v)));
        assert!(close(e.spend_with.mean, spend(&a, v)));
        assert!(close(e.spend_without.mean, spend(&b, v)));
        assert!(close(e.spend.mean, spend(&a, v) - spend(&b, v)));
        // Pairing on the same numbers: the differences vary far less than either run.
        assert!(e.spend.sd < e.spend_with.sd);
    }
    // The run with the rules is the same whether or not they are compared.
    assert_eq!(
        paired.variants[1].trajectories[Metric::AgencyFte.index()][20]
            .unwrap()
            .mean,
        a.variants[1].trajectories[Metric::AgencyFte.index()][20]
            .unwrap()
            .mean
    );
}

#[test]
fn only_a_run_for_the_report_sets_the_rules_aside_and_at_most_1000_replications() {
    use wfsim::sim::run::{self, RunConfig};
    let text = std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap();
    let s = common::scenario(&text);
    let cfg = |replications| RunConfig {
        replications,
        ..RunConfig::from_scenario(&s)
    };
    // What the decision tools and the `serve` page settle: none.
    assert_eq!(run::settle(&s, &cfg(2000)).unwrap().without_rules, 0);
    assert_eq!(
        run::settle_comparing_rules(&s, &cfg(2000))
            .unwrap()
            .without_rules,
        1000
    );
    assert_eq!(
        run::settle_comparing_rules(&s, &cfg(300))
            .unwrap()
            .without_rules,
        300
    );
    // Rules from after the horizon are not in force: nothing to compare.
    let late = common::scenario(
        &text
            .replace("from = \"2024-11\"", "from = \"2030-11\"")
            .replace("caps_from = \"2025-10\"", "caps_from = \"2030-10\""),
    );
    assert_eq!(
        run::settle_comparing_rules(&late, &RunConfig::from_scenario(&late))
            .unwrap()
            .without_rules,
        0
    );
    // A scenario without rules: none.
    let slough = common::scenario(&std::fs::read_to_string("scenarios/slough-2014.toml").unwrap());
    assert_eq!(
        run::settle_comparing_rules(&slough, &RunConfig::from_scenario(&slough))
            .unwrap()
            .without_rules,
        0
    );
}

#[test]
fn the_rules_effect_comes_from_the_first_1000_replications_whatever_the_threads() {
    use wfsim::sim::run::{self, NoProgress, RunConfig};
    let s = common::scenario(&std::fs::read_to_string("scenarios/tameside-2022.toml").unwrap());
    let effects = |replications, threads| {
        let cfg = RunConfig {
            replications,
            months: 30,
            threads: Some(threads),
            ..RunConfig::from_scenario(&s)
        };
        let cfg = run::settle_comparing_rules(&s, &cfg).unwrap();
        let r = run::run_settled(&s, &cfg, &NoProgress).unwrap();
        r.variants
            .iter()
            .map(|v| format!("{:?}", v.rules_effect.as_ref().unwrap()))
            .collect::<Vec<_>>()
    };
    let one = effects(1100, 1);
    assert!(one[0].contains("replications: 1000,"), "{}", one[0]);
    // Byte for byte on 2 threads, and the same as from a run of exactly those 1,000 (which are
    // folded in a different chunking of the work).
    assert_eq!(one, effects(1100, 2));
    assert_eq!(one, effects(1000, 2));
}

#[test]
fn rules_or_caps_from_beyond_the_horizon_are_noted() {
    // The horizon runs from 2024-01 for 20 months, to 2025-09.
    let notes = |rules: &str| common::scenario(&council(0.0, RETURN_ALL, EXPERIENCED, rules)).notes;
    let n = notes("[agency.rules]\nfrom = \"2026-01\"");
    assert!(
        n.iter().any(|x| x
            == "[agency.rules] from 2026-01 is after the horizon ends (2025-09): the rules never apply"),
        "{n:?}"
    );
    let n = notes("[agency.rules]\nfrom = \"2024-01\"\ncaps_from = \"2025-10\"");
    assert!(
        n.iter().any(|x| x
            == "[agency.rules] caps_from 2025-10 is after the horizon ends (2025-09): no price cap applies"),
        "{n:?}"
    );
    // At the horizon's last month, they apply: nothing to note.
    let n = notes("[agency.rules]\nfrom = \"2024-01\"\ncaps_from = \"2025-09\"");
    assert!(!n.iter().any(|x| x.contains("after the horizon")), "{n:?}");
}
