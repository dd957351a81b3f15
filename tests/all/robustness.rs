//! No input makes wfsim panic: arbitrary bytes, truncated files, deleted and duplicated lines, and
//! every number replaced by a hostile value either fail validation with diagnostics or validate and
//! run to results or a clear error.

use crate::common;

use proptest::prelude::*;
use wfsim::scenario;
use wfsim::scenario::diag::Source;
use wfsim::sim::run::{self, NoProgress, RunConfig, RunError};

const TAMESIDE: &str = include_str!("../../scenarios/tameside-2022.toml");
const SLOUGH: &str = include_str!("../../scenarios/slough-2014.toml");

/// Parses `text`; if it validates, runs a few replications. Panics only if wfsim does.
fn parse_and_maybe_run(text: &str) {
    match scenario::parse(&Source::new("prop.toml", text)) {
        Err(e) => {
            assert!(
                !e.diagnostics.is_empty(),
                "an invalid scenario must say why"
            );
            for d in &e.diagnostics {
                assert!(d.line >= 1 && d.column >= 1 && !d.message.is_empty());
            }
        }
        Ok(s) => {
            let cfg = RunConfig {
                replications: 3,
                seed: 1,
                months: s.months.min(36),
                threads: Some(1),
                years: None,
            };
            match run::run(&s, &cfg, &NoProgress) {
                Ok(r) => assert_eq!(r.variants.len(), s.variants.len()),
                Err(RunError::Config(m)) => assert!(!m.is_empty()),
                Err(RunError::InvalidNumber { .. }) => {}
                Err(e) => panic!("unexpected run error: {e}"),
            }
        }
    }
}

/// Byte ranges of the numbers in a TOML text (outside comments and strings, roughly).
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split('#').next().unwrap_or("");
        let bytes = code.as_bytes();
        let mut i = 0;
        let mut in_str = false;
        while i < bytes.len() {
            let c = bytes[i];
            if c == b'"' {
                in_str = !in_str;
            }
            let starts = !in_str
                && (c.is_ascii_digit() || c == b'-')
                && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric() && bytes[i - 1] != b'_');
            if starts {
                let mut j = i + 1;
                while j < bytes.len()
                    && (bytes[j].is_ascii_digit()
                        || matches!(bytes[j], b'.' | b'e' | b'E' | b'_' | b'-' | b'+'))
                {
                    j += 1;
                }
                if bytes[i..j].iter().any(u8::is_ascii_digit) {
                    spans.push((offset + i, offset + j));
                }
                i = j;
            } else {
                i += 1;
            }
        }
        offset += line.len();
    }
    spans
}

const HOSTILE: [&str; 12] = [
    "-1",
    "0",
    "1",
    "1e308",
    "-1e308",
    "nan",
    "inf",
    "-inf",
    "\"x\"",
    "true",
    "99999999999999999999",
    "0.5",
];

fn base() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(TAMESIDE), Just(SLOUGH), Just(common::SMALL)]
}

proptest! {
    // 200 cases each by default; set PROPTEST_CASES for a deeper search.
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(200), ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let text = String::from_utf8_lossy(&bytes);
        parse_and_maybe_run(&text);
    }

    #[test]
    fn truncated_files_never_panic(text in base(), cut in 0.0f64..1.0) {
        let mut at = (text.len() as f64 * cut) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        parse_and_maybe_run(&text[..at]);
    }

    #[test]
    fn deleted_and_duplicated_lines_never_panic(text in base(), line in 0usize..400, duplicate in any::<bool>()) {
        let lines: Vec<&str> = text.lines().collect();
        let line = line % lines.len();
        let mut out: Vec<&str> = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if i != line || duplicate {
                out.push(l);
            }
            if i == line && duplicate {
                out.push(l);
            }
        }
        parse_and_maybe_run(&out.join("\n"));
    }

    #[test]
    fn hostile_numbers_never_panic(text in base(), which in 0usize..1000, value in 0usize..HOSTILE.len()) {
        let spans = number_spans(text);
        let (a, b) = spans[which % spans.len()];
        let mutated = format!("{}{}{}", &text[..a], HOSTILE[value], &text[b..]);
        parse_and_maybe_run(&mutated);
    }
}

#[test]
fn every_number_in_the_small_scenario_replaced_by_every_hostile_value() {
    let text = common::SMALL;
    for (a, b) in number_spans(text) {
        for v in HOSTILE {
            parse_and_maybe_run(&format!("{}{}{}", &text[..a], v, &text[b..]));
        }
    }
}

#[test]
fn valid_extremes_run() {
    let big = common::SMALL
        .replace("months = 24", "months = 240")
        .replace("by = \"2024-12\"", "by = \"2042-12\"")
        .replace("establishment = 20", "establishment = 10000")
        .replace("permanent = 12", "permanent = 9000")
        .replace(
            "leaving = [0.3, 0.25, 0.2, 0.1]",
            "leaving = [1.0, 0.0, 1.0, 0.0]",
        )
        .replace("permanent = 4\n", "permanent = 0\n");
    let s = common::scenario(&big);
    let cfg = RunConfig {
        replications: 2,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let perm = r.variants[0].trajectories[wfsim::model::metric::Metric::PermanentFte.index()][240]
        .unwrap();
    assert!(perm.mean > 0.0 && perm.mean <= 10_000.0);
}

#[test]
fn values_beyond_the_limits_are_refused_clearly() {
    let e = common::errors(&common::SMALL.replace("months = 24", "months = 241"));
    assert!(
        e[0].contains("allowed: a whole number from 1 to 240"),
        "{e:?}"
    );
    let e = common::errors(&common::SMALL.replace("replications = 200", "replications = 2000000"));
    assert!(
        e[0].contains("allowed: a whole number from 1 to 1000000"),
        "{e:?}"
    );
    let e = common::errors(&common::SMALL.replace("establishment = 20", "establishment = 1e6"));
    assert!(e[0].contains("allowed: FTE from 0 to 100,000"), "{e:?}");
}

#[test]
fn money_is_bounded_so_that_every_sum_is_a_number() {
    // A cost that could overflow the sums is refused when the scenario is read.
    let text = format!(
        "{}\n[[intake.pipelines]]\nname = \"P\"\ngrade = \"ASYE\"\nintake = 3\nmonth = 1\nfirst_year = 2023\nduration_months = 12\ncost_per_trainee = {{ dist = \"lognormal\", median = 1e300, sigma = 50 }}\n",
        common::SMALL
    );
    let errors = common::errors(&text);
    assert!(
        errors[0].contains("reaches inf one draw in a trillion")
            && errors[0].contains("pounds from 0 to 10,000,000"),
        "{errors:?}"
    );
    // Every amount at its largest still gives numbers everywhere.
    let text = format!(
        "{}\n[[intake.pipelines]]\nname = \"P\"\ngrade = \"ASYE\"\nintake = 3\nmonth = 1\nfirst_year = 2023\nduration_months = 12\ncost_per_trainee = 1e7\n",
        common::SMALL
            .replace("salary = 30000", "salary = 1e7")
            .replace("salary = 36000", "salary = 1e7")
            .replace("agency_hourly_rate = 40", "agency_hourly_rate = 1e7")
    );
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 20,
        months: 240,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let cost = wfsim::model::metric::Metric::CostMonth.index();
    for cell in r.variants[0].trajectories[cost].iter().flatten() {
        assert!(cell.p95.is_finite() && cell.mean.is_finite());
    }
}

#[test]
fn every_short_horizon_runs() {
    // Metrics first defined after the horizon (turnover over 12 months) are left empty.
    let text = common::SMALL.split("\n[[targets]]").next().unwrap();
    let s = common::scenario(text);
    let turnover = wfsim::model::metric::Metric::TurnoverRate12m.index();
    for months in 1..=13 {
        let cfg = RunConfig {
            replications: 9,
            seed: 3,
            months,
            threads: Some(2),
            years: None,
        };
        let r = run::run(&s, &cfg, &NoProgress).unwrap();
        let t = &r.variants[0].trajectories[turnover];
        assert_eq!(t.len(), months as usize + 1);
        for (month, cell) in t.iter().enumerate() {
            assert_eq!(
                cell.is_some(),
                month >= 12,
                "{months} months, month {month}"
            );
        }
    }
}

/// The largest yearly shocks `[variation]` accepts, persisting through the longest horizon: the
/// run ends in bounded time and memory, with establishment, staff and agency at most the largest
/// establishment a scenario may state (a shock far beyond any council's moves them no further).
#[test]
fn the_largest_shocks_over_the_longest_horizon_stay_within_what_a_scenario_may_state() {
    use wfsim::model::metric::Metric;
    let text = common::SMALL.replace("months = 24", "months = 240")
        + "\n[variation]\nestablishment = { sd = 3, persistence = 1, tails = 20, staff_share = 1 }\n\
           agency = { sd = 3, persistence = 1, points = 1 }\n";
    let largest = wfsim::scenario::MAX_ESTABLISHMENT;
    let mut reached = 0.0f64;
    for rep in 0..8 {
        let r = common::one_rep(&text, rep);
        for m in 0..=240 {
            for metric in [
                Metric::EstablishmentFte,
                Metric::PermanentFte,
                Metric::AgencyFte,
            ] {
                let x = r.metric(metric, m);
                assert!(x <= largest + 1.0, "{metric:?} {x} in month {m}");
                reached = reached.max(x);
            }
        }
    }
    // The shocks did take them far towards the bound, so it was put to the test.
    assert!(reached > 10_000.0, "{reached}");
}

/// The bound is each post group's: two groups near the largest establishment still have staff
/// counted in with their posts when an ordinary shock moves establishment up.
#[test]
fn two_large_post_groups_have_staff_counted_in_beyond_one_groups_bound() {
    use wfsim::model::metric::Metric;
    let text = r#"
[scenario]
name = "two-large"
start = "2023-01"
months = 13
replications = 4
seed = 3

[[posts]]
name = "A"
establishment = 90000
recruit = { "GA" = 1.0 }
fill_probability = 0.0

[[posts]]
name = "B"
establishment = 90000
recruit = { "GB" = 1.0 }
fill_probability = 0.0

[[grades]]
name = "GA"
post = "A"
permanent = 85000
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[[grades]]
name = "GB"
post = "B"
permanent = 85000
service_shares = [0.0, 0.0, 0.0, 1.0]
leaving = [0.0, 0.0, 0.0, 0.0]
salary = 36000

[variation]
establishment = { sd = 0.1, persistence = 0.5, staff_share = 1 }
"#;
    let most = (0..4)
        .map(|rep| common::one_rep(text, rep).metric(Metric::PermanentFte, 1))
        .fold(0.0f64, f64::max);
    // Some replication's first shock is up: more than the 170,000 in post, counted in.
    assert!(most > 170_000.0, "{most}");
}

/// The largest shock of the cases held `[variation]` accepts, persisting through the longest
/// horizon, takes them no further than a scenario may state.
#[test]
fn the_largest_shocks_to_cases_stay_within_what_a_scenario_may_state() {
    use wfsim::model::metric::Metric;
    let text = common::SMALL.replace("months = 24", "months = 240")
        + "\n[caseload]\ncases = 300\n\n[variation]\ncases = { sd = 3, persistence = 1, tails = 20 }\n";
    let mut reached = 0.0f64;
    for rep in 0..8 {
        let r = common::one_rep(&text, rep);
        for m in 0..=240 {
            let x = r.metric(Metric::Cases, m);
            assert!(x <= wfsim::scenario::MAX_CASES, "{x} cases in month {m}");
            reached = reached.max(x);
        }
    }
    assert!(reached >= wfsim::scenario::MAX_CASES, "{reached}");
}
