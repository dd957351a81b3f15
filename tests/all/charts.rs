//! Charts: sizes, drawing order of the bands, and no failure on degenerate data.

use crate::common;

use wfsim::model::date::YearMonth;
use wfsim::output::charts::draw::{
    BAND_50, BAND_90, Chart, Fan, Scale, ScatterPoint, TargetLine, TimeAxis, TornadoPanel, XyPanel,
};

fn time(months: usize) -> TimeAxis {
    TimeAxis {
        start: YearMonth::parse("2024-09").unwrap(),
        months,
    }
}

fn flat_fan(name: &str, months: usize, v: f64) -> Fan {
    let x = vec![v; months + 1];
    Fan {
        name: name.into(),
        description: format!("{name}, as described"),
        colour: 0,
        p05: x.clone(),
        p25: x.clone(),
        p50: x.clone(),
        p75: x.clone(),
        p95: x,
    }
}

fn spread_fan(months: usize) -> Fan {
    let at = |q: f64| {
        (0..=months)
            .map(|m| 0.1 + q * 0.1 + m as f64 * 0.001)
            .collect()
    };
    Fan {
        name: "option".into(),
        description: "an option".into(),
        colour: 1,
        p05: at(0.0),
        p25: at(0.25),
        p50: at(0.5),
        p75: at(0.75),
        p95: at(1.0),
    }
}

fn fans(fans: Vec<Fan>, months: usize) -> Chart {
    Chart::Fans {
        title: "Agency share".into(),
        scale: Scale::Percent,
        time: time(months),
        fans,
        targets: vec![TargetLine {
            label: "80:20".into(),
            value: 0.2,
            deadline: months / 2,
        }],
        observed: vec![(0, 0.3), (months / 3, 0.25)],
        own_scales: false,
    }
}

/// Width and height from a PNG header.
fn png_size(png: &[u8]) -> (u32, u32) {
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let w = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(png[20..24].try_into().unwrap());
    (w, h)
}

fn svg_size(svg: &str) -> (u32, u32) {
    let attr = |name: &str| -> u32 {
        let start = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    };
    (attr("width"), attr("height"))
}

fn check_sizes(c: &Chart) {
    let svg = c.svg().unwrap();
    let png = c.png().unwrap();
    assert_eq!(svg_size(&svg), c.size());
    assert_eq!(png_size(&png), c.size());
}

#[test]
fn panels_grow_the_chart_and_both_formats_have_its_size() {
    let one = fans(vec![spread_fan(24)], 24);
    let five = fans((0..5).map(|_| spread_fan(24)).collect(), 24);
    assert!(five.size().1 > one.size().1);
    assert_eq!(one.size().0, five.size().0);
    check_sizes(&one);
    check_sizes(&five);
}

#[test]
fn bands_are_drawn_widest_first_then_the_median() {
    let svg = fans(vec![spread_fan(24)], 24).svg().unwrap();
    let p90 = svg
        .find(&format!("<polygon opacity=\"{BAND_90}\""))
        .expect("90% band");
    let p50 = svg
        .find(&format!("<polygon opacity=\"{BAND_50}\""))
        .expect("50% band");
    let median = svg[p50..].find("<polyline").expect("median line") + p50;
    assert!(p90 < p50 && p50 < median);
    // The target label is drawn.
    assert!(svg.contains("80:20"));
}

#[test]
fn published_figures_are_drawn_in_every_panel_and_widen_the_range() {
    let with = |observed: Vec<(usize, f64)>, panels: usize| {
        let mut c = fans((0..panels).map(|_| spread_fan(24)).collect(), 24);
        if let Chart::Fans { observed: o, .. } = &mut c {
            *o = observed;
        }
        c.svg().unwrap()
    };
    let circles = |svg: &str| svg.matches("<circle").count();
    let none = with(vec![], 2);
    // Each point is a white disc under a black ring; points after the horizon are not drawn.
    let two = with(vec![(0, 0.3), (12, 0.25), (30, 0.2)], 2);
    assert_eq!(circles(&two) - circles(&none), 2 * 2 * 2);
    // A published value above every band stretches the axis to show it (the bands stop near 21%).
    assert!(!with(vec![], 1).contains("\n60%\n"));
    assert!(with(vec![(6, 0.6)], 1).contains("\n60%\n"));
}

#[test]
fn degenerate_data_draws_without_failing() {
    // All replications equal: bands of zero width.
    check_sizes(&fans(vec![flat_fan("equal", 12, 0.3)], 12));
    // A one-month horizon.
    check_sizes(&fans(vec![spread_fan(1)], 1));
    // Zero FTE everywhere, and values undefined in the first months.
    let mut zero = flat_fan("zero", 12, 0.0);
    zero.p50[0] = f64::NAN;
    zero.p05[0] = f64::NAN;
    check_sizes(&fans(vec![zero], 12));
    // No options at all, an all-undefined line, empty bars and scatter.
    check_sizes(&fans(vec![], 6));
    check_sizes(&Chart::Lines {
        title: "p".into(),
        scale: Scale::Percent,
        time: time(1),
        lines: vec![("a".into(), vec![f64::NAN, f64::NAN])],
        y_range: Some((0.0, 1.0)),
        marker: Some(("deadline".into(), 5)),
    });
    check_sizes(&Chart::Bars {
        title: "b".into(),
        scale: Scale::Pounds,
        groups: vec!["2024/25".into()],
        series: vec![("a".into(), vec![(0.0, 0.0, 0.0)])],
    });
    check_sizes(&Chart::Scatter {
        title: "s".into(),
        x_label: "x".into(),
        y_label: "y".into(),
        x_scale: Scale::Number,
        y_scale: Scale::Pounds,
        points: vec![ScatterPoint {
            name: "same".into(),
            colour: 1,
            x: (0.0, 0.0, 0.0),
            y: (0.0, 0.0, 0.0),
        }],
    });
    // A sweep of one value, and a tornado whose inputs change nothing.
    check_sizes(&Chart::Xy {
        title: "x".into(),
        x_label: "size".into(),
        panels: vec![XyPanel {
            title: "p".into(),
            scale: Scale::Percent,
            y_range: Some((0.0, 1.0)),
            lines: vec![("a".into(), vec![(5.0, 0.5, f64::NAN, f64::NAN)])],
            level: Some(("asked".into(), 0.8)),
        }],
    });
    check_sizes(&Chart::Tornado {
        title: "t".into(),
        panels: vec![TornadoPanel {
            title: "cost".into(),
            scale: Scale::Pounds,
            base: 0.0,
            bars: vec![("a".into(), 0.0, 0.0)],
        }],
    });
    check_sizes(&Chart::Tornado {
        title: "t".into(),
        panels: vec![],
    });
    check_sizes(&Chart::Stacks {
        title: "c".into(),
        time: time(1),
        layer_names: vec!["Level 1".into(), "Agency".into()],
        panels: vec![(
            "baseline".into(),
            "as stated".into(),
            vec![vec![0.0, 0.0], vec![0.0, 0.0]],
        )],
    });
}

/// The composition chart stacks grades, agency and uncovered vacancies (not the DfE's vacancies,
/// which include posts agency covers), so in one replication (where medians are the values) the
/// stack is the establishment at every month, for every option. (Agency covering absence, or
/// an establishment that wanders by fractions of a post, would show above it.)
#[test]
fn the_composition_stack_adds_up_to_the_establishment() {
    use wfsim::model::metric::Metric;
    use wfsim::output::Projection;
    use wfsim::sim::run::{self, NoProgress, RunConfig};

    let text = format!(
        "{}\n[[options]]\nname = \"bigger\"\nset = {{ \"intake.asye.size\" = 8 }}\n",
        common::SMALL
    );
    let s = common::scenario(&text);
    let cfg = RunConfig {
        replications: 1,
        ..RunConfig::from_scenario(&s)
    };
    let r = run::run(&s, &cfg, &NoProgress).unwrap();
    let figures = wfsim::output::charts::figures(&Projection {
        results: &r,
        census: None,
    });
    let fig = figures.iter().find(|f| f.stem == "composition").unwrap();
    let Chart::Stacks {
        layer_names,
        panels,
        ..
    } = &fig.chart
    else {
        panic!("composition is a stack chart");
    };
    assert_eq!(layer_names.last().unwrap(), "Vacant, not covered");
    assert_eq!(panels.len(), r.variants.len());
    for ((name, _, layers), v) in panels.iter().zip(&r.variants) {
        for month in 0..=r.months as usize {
            let stacked: f64 = layers.iter().map(|l| l[month]).sum();
            let est = v.trajectories[Metric::EstablishmentFte.index()][month]
                .unwrap()
                .p50;
            assert!(
                (stacked - est).abs() < 1e-9,
                "{name}, month {month}: stack {stacked} vs establishment {est}"
            );
        }
    }
}

#[test]
fn panel_headings_give_each_option_its_description_cut_to_the_panel() {
    let mut short = flat_fan("supplement-3k", 24, 0.3);
    short.description = "GBP 3,000 a year market supplement for Level 3".into();
    let mut long = flat_fan("retention-3k", 24, 0.3);
    long.description = format!(
        "GBP 3,000 retention payment {}",
        "and more words ".repeat(20)
    );
    // Two panels side by side: each heading has half the width.
    let svg = fans(vec![short, long], 24).svg().unwrap();
    // Every text element's content.
    let texts: Vec<&str> = svg
        .split("<text")
        .skip(1)
        .filter_map(|t| Some(t.split_once('>')?.1.split_once("</text>")?.0.trim()))
        .collect();
    for whole in [
        "supplement-3k",
        "GBP 3,000 a year market supplement for Level 3",
        "retention-3k",
    ] {
        assert!(texts.contains(&whole), "{whole} in {texts:?}");
    }
    // The long description is cut, with an ellipsis, to fit its panel (480 px at 13 px).
    let cut = texts
        .iter()
        .find(|t| t.starts_with("GBP 3,000 retention payment"))
        .expect("the long description");
    assert!(cut.ends_with('…'), "{cut}");
    assert!(cut.chars().count() < 80, "{cut}");
    assert!(cut.chars().count() > 40, "{cut}");
}
