//! A closed system (no hires, no intake, no agency conversion): the Monte Carlo mean FTE of each
//! grade must match the exact expected-value recursion within 4 standard errors at every month.

use crate::common;

use std::collections::HashMap;

use wfsim::model::metric::Metric;
use wfsim::sim::run::{self, NoProgress, RunConfig};

const TEXT: &str = r#"
[scenario]
name = "closed"
start = "2023-01"
months = 48
replications = 4000
seed = 11

[service]
band_edges_months = [12, 24, 60]

[[posts]]
name = "SW"
establishment = 200
recruit = { "L3" = 1.0 }
fill_probability = 0.0

[[grades]]
name = "ASYE"
post = "SW"
permanent = 30
service_shares = [1.0, 0.0, 0.0, 0.0]
leaving = [0.25, 0.3, 0.3, 0.3]
progression = { to = "L2", after_months = 12, pass_rate = 0.8 }
salary = 30000

[[grades]]
name = "L2"
post = "SW"
permanent = 25
service_shares = [0.2, 0.4, 0.4, 0.0]
leaving = [0.35, 0.3, 0.2, 0.1]
progression = { to = "L3", after_months = 18, pass_rate = 0.7 }
salary = 33000

[[grades]]
name = "L3"
post = "SW"
permanent = 40
service_shares = [0.1, 0.1, 0.3, 0.5]
leaving = [0.3, 0.25, 0.2, 0.12]
salary = 36000
"#;

struct G {
    leaving: [f64; 4],
    progression: Option<(usize, u32, f64)>,
    permanent: u32,
    shares: [f64; 4],
}

fn band(los: u32) -> usize {
    [12, 24, 60].iter().take_while(|&&e| e <= los).count()
}

/// Expected FTE per grade per month, by propagating the probability of every (grade, service,
/// months in grade) state through the documented monthly steps: leave with the monthly hazard
/// 1 - (1 - annual)^(1/12) of the service band; then age a month; then, at `after` months in the
/// grade, progress with the pass rate (months in grade restart either way).
fn exact(grades: &[G], months: usize) -> Vec<Vec<f64>> {
    let edges = [12u32, 24, 60];
    let mut state: HashMap<(usize, u32, u32), f64> = HashMap::new();
    for (g, gr) in grades.iter().enumerate() {
        let counts = wfsim::sim::engine::apportion(gr.permanent, &gr.shares);
        for (b, &n) in counts.iter().enumerate() {
            for los in wfsim::sim::engine::starting_service(&edges, b, n) {
                let los = u32::from(los);
                let tig = gr.progression.map_or(los, |(_, after, _)| los % after);
                *state.entry((g, los, tig)).or_default() += 1.0;
            }
        }
    }
    let totals = |s: &HashMap<(usize, u32, u32), f64>| {
        let mut t = vec![0.0; grades.len()];
        for (&(g, _, _), &x) in s {
            t[g] += x;
        }
        t
    };
    let mut out = vec![totals(&state)];
    for _ in 1..=months {
        let mut next: HashMap<(usize, u32, u32), f64> = HashMap::new();
        for (&(g, los, tig), &x) in &state {
            let annual = grades[g].leaving[band(los)];
            let stay = x * (1.0 - annual).powf(1.0 / 12.0);
            let (los, tig) = (los + 1, tig + 1);
            match grades[g].progression {
                Some((to, after, pass)) if tig >= after => {
                    *next.entry((to, los, 0)).or_default() += stay * pass;
                    *next.entry((g, los, 0)).or_default() += stay * (1.0 - pass);
                }
                _ => *next.entry((g, los, tig)).or_default() += stay,
            }
        }
        state = next;
        out.push(totals(&state));
    }
    out
}

#[test]
fn monte_carlo_means_match_the_exact_recursion() {
    let s = common::scenario(TEXT);
    let grades = [
        G {
            leaving: [0.25, 0.3, 0.3, 0.3],
            progression: Some((1, 12, 0.8)),
            permanent: 30,
            shares: [1.0, 0.0, 0.0, 0.0],
        },
        G {
            leaving: [0.35, 0.3, 0.2, 0.1],
            progression: Some((2, 18, 0.7)),
            permanent: 25,
            shares: [0.2, 0.4, 0.4, 0.0],
        },
        G {
            leaving: [0.3, 0.25, 0.2, 0.12],
            progression: None,
            permanent: 40,
            shares: [0.1, 0.1, 0.3, 0.5],
        },
    ];
    let months = 48;
    let expected = exact(&grades, months);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let base = &r.variants[0];
    let mut worst: f64 = 0.0;
    for (m, exp) in expected.iter().enumerate() {
        for (g, &e) in exp.iter().enumerate() {
            let sum = base.trajectories[Metric::GradeFte(g).index()][m].unwrap();
            if sum.se == 0.0 {
                assert!(
                    (sum.mean - e).abs() < 1e-9,
                    "month {m} grade {g}: mean {} exact {e}",
                    sum.mean
                );
                continue;
            }
            let z = (sum.mean - e) / sum.se;
            worst = worst.max(z.abs());
            assert!(
                z.abs() < 4.0,
                "month {m} grade {g}: Monte Carlo mean {} vs exact {e} ({z:.2} standard errors)",
                sum.mean
            );
        }
    }
    // The recursion must also be doing real work: FTE changes a lot over four years.
    assert!((expected[48][0] - expected[0][0]).abs() > 20.0);
    assert!(worst > 0.0);
}

/// Without leaving, who has under two years' service is certain: 24 starting staff with 0 to 23
/// months, and an intake of 6 each September (the start is January, so cohorts join in months 8,
/// 20 and 32 with one month's service and reach 24 months 23 months later).
#[test]
fn share_under_two_years_is_exact_without_leaving() {
    let text = r#"
[scenario]
name = "under-two"
start = "2023-01"
months = 60
replications = 3
seed = 5

[service]
band_edges_months = [12, 24, 60]

[[posts]]
name = "SW"
establishment = 100
recruit = { "SW" = 1.0 }
fill_probability = 0.0

[[grades]]
name = "SW"
post = "SW"
permanent = 24
service_shares = [0.5, 0.5, 0.0, 0.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[intake.asye]
grade = "SW"
month = 9
size = 6
"#;
    let s = common::scenario(text);
    let r = run::run(&s, &RunConfig::from_scenario(&s), &NoProgress).unwrap();
    let share = &r.variants[0].trajectories[Metric::Under2yShare.index()];
    let fte = &r.variants[0].trajectories[Metric::PermanentFte.index()];
    let joins = [8usize, 20, 32, 44, 56];
    for m in 0..=60usize {
        // Starting staff had 0..=23 months at the start: under 24 while months + m < 24.
        let starting = (0..24).filter(|los| los + m < 24).count();
        // A cohort joining in month j has m - j + 1 months of service in month m >= j.
        let cohorts = joins.iter().filter(|&&j| m >= j && m - j + 1 < 24).count();
        let staff = 24 + 6 * joins.iter().filter(|&&j| m >= j).count();
        let expected = (starting + 6 * cohorts) as f64 / staff as f64;
        let got = share[m].unwrap();
        assert_eq!(fte[m].unwrap().mean, staff as f64, "month {m}");
        assert!(
            (got.mean - expected).abs() < 1e-12 && got.sd == 0.0,
            "month {m}: share under two years {} vs {expected}",
            got.mean
        );
    }
}
