//! `report.md`: the report's content in Markdown for pasting into a paper, charts linked as PNG.

use std::fmt::Write as _;

use super::{Block, title};
use crate::output::charts::Figure;
use crate::sim::run::Results;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// `report.md`: the same content for pasting, charts linked as PNG.
pub fn markdown(r: &Results, blocks: &[Block], figures: &[Figure]) -> String {
    let mut m = format!("# {}\n\n", title(r));
    if !r.description.is_empty() {
        let _ = writeln!(m, "{}\n", r.description);
    }
    for block in blocks {
        match block {
            Block::Heading(t) => {
                let _ = writeln!(m, "## {t}\n");
            }
            Block::Paragraph(t) => {
                let _ = writeln!(m, "{t}\n");
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(m, "- {i}");
                }
                m.push('\n');
            }
            Block::Table {
                head,
                rows,
                numeric_from,
            } => {
                let cells: Vec<String> = head.iter().map(|c| md_cell(c)).collect();
                let _ = writeln!(m, "| {} |", cells.join(" | "));
                let rule: Vec<&str> = (0..head.len())
                    .map(|i| if i >= *numeric_from { "---:" } else { "---" })
                    .collect();
                let _ = writeln!(m, "| {} |", rule.join(" | "));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
                    let _ = writeln!(m, "| {} |", cells.join(" | "));
                }
                m.push('\n');
            }
            Block::Figure(i) => {
                if let Some(f) = figures.get(*i) {
                    let _ = writeln!(
                        m,
                        "![{}](charts/{}.png)\n\n*{}*\n",
                        f.chart.title(),
                        f.stem,
                        f.caption
                    );
                }
            }
        }
    }
    m
}
