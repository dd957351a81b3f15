//! Every published figure a bundled scenario cites, `[figures KEY ...]`, is shipped in
//! `assets/figures/figures.toml` with its source and status, so a user of the repository can
//! check it without anything beside it; and the trust tables of the README and docs/init.md are
//! the shipped backtest's scores.

#[test]
fn every_cited_figure_is_shipped_with_its_source() {
    let figures: toml::Table = std::fs::read_to_string("assets/figures/figures.toml")
        .unwrap()
        .parse()
        .unwrap();
    let mut cited = 0;
    let mut files: Vec<_> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        for (at, _) in text.match_indices("figures ") {
            let key: String = text[at + "figures ".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*'))
                .collect();
            // Only dotted keys are citations ("figures time_to_hire.councils_average_days").
            let key = key.trim_end_matches(['.', '*']);
            if !key.contains('.') && !key.contains('_') {
                continue;
            }
            cited += 1;
            let mut node = &figures;
            let mut found = None;
            for part in key.split('.') {
                match node.get(part) {
                    Some(toml::Value::Table(t)) => {
                        node = t;
                        found = Some(t);
                    }
                    _ => {
                        found = None;
                        break;
                    }
                }
            }
            let entry = found.unwrap_or_else(|| {
                panic!(
                    "{}: figure `{key}` is not in assets/figures/figures.toml",
                    path.display()
                )
            });
            // A leaf carries its source and status; a group (`pay_effect.*`) holds leaves that do.
            let leaves: Vec<&toml::Table> = if entry.contains_key("source") {
                vec![entry]
            } else {
                entry
                    .values()
                    .filter_map(|v| v.as_table())
                    .flat_map(|t| {
                        if t.contains_key("source") {
                            vec![t]
                        } else {
                            t.values().filter_map(|v| v.as_table()).collect()
                        }
                    })
                    .collect()
            };
            assert!(!leaves.is_empty(), "{key}: no figures under it");
            for leaf in leaves {
                assert!(
                    leaf.contains_key("source") && leaf.contains_key("status"),
                    "{key}: a figure without its source or status"
                );
            }
        }
    }
    assert!(cited >= 10, "the bundled scenarios cite {cited} figures");
}

/// The shipped backtest's share of published figures within the 90% ranges, by figure and years
/// ahead, as whole percentages (`assets/backtest/scores.csv`, which `wfsim backtest` writes).
fn shipped_within_90() -> std::collections::HashMap<(String, u32), String> {
    let text = std::fs::read_to_string("assets/backtest/scores.csv").unwrap();
    let mut rows = text.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (figure, years) = (col("figure"), col("years_ahead"));
    let (cases, within) = (col("cases"), col("within_90"));
    rows.map(|l| {
        let cells: Vec<&str> = l.split(',').collect();
        // The share is written to 4 decimals; the count of cases it stands for is exact.
        let n: f64 = cells[cases].parse().unwrap();
        let k = (cells[within].parse::<f64>().unwrap() * n).round();
        let share = k / n;
        (
            (cells[figure].to_string(), cells[years].parse().unwrap()),
            format!("{:.0}%", share * 100.0),
        )
    })
    .collect()
}

#[test]
fn the_trust_tables_are_the_shipped_backtests() {
    // The README's table and docs/init.md's give each figure's share within its 90% range at 1,
    // 2 and 3 years ahead, rounded as the backtest prints them.
    let shipped = shipped_within_90();
    let figures = [
        ("agency rate", "agency_rate"),
        ("vacancy rate", "vacancy_rate"),
        ("turnover", "turnover"),
        ("FTE in post", "fte_in_post"),
        ("caseload", "caseload"),
    ];
    let readme = std::fs::read_to_string("README.md").unwrap();
    let init = std::fs::read_to_string("docs/init.md").unwrap();
    for (words, key) in figures {
        let want: Vec<&String> = (1..=3).map(|y| &shipped[&(key.to_string(), y)]).collect();
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| {words} ")))
            .unwrap_or_else(|| panic!("README has no row for {words}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        assert_eq!(
            cells[2..5],
            want.iter().map(|s| s.as_str()).collect::<Vec<_>>()[..],
            "README: {row}"
        );
        let row = init
            .lines()
            .find(|l| l.starts_with(&format!("| {words} | 1 / 2 / 3 ")))
            .unwrap_or_else(|| panic!("docs/init.md has no row for {words}"));
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let joined = want
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
        assert_eq!(cells[4], joined, "docs/init.md: {row}");
    }
}
