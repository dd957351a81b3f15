//! `report.md`: the report's content in Markdown for pasting into a paper, charts linked as PNG.

use std::fmt::Write as _;

use super::{Block, title};
use crate::output::charts::Figure;
use crate::sim::run::Results;

/// Text safe to paste where Markdown is rendered, whatever a scenario's names and descriptions
/// hold: no raw HTML (`<`, `>` and `&` become entities) and no links or images (`](` becomes
/// `]\(`). wfsim's own text uses none of these as markup.
pub fn md_text(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    let mut last = '\0';
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '(' if last == ']' => o.push_str("\\("),
            c => o.push(c),
        }
        last = c;
    }
    o
}

fn md_cell(s: &str) -> String {
    md_text(s).replace('|', "\\|").replace('\n', " ")
}

/// `report.md`: the same content for pasting, charts linked as PNG.
pub fn markdown(r: &Results, blocks: &[Block], figures: &[Figure]) -> String {
    let mut m = format!("# {}\n\n", md_text(&title(r)));
    if !r.description.is_empty() {
        let _ = writeln!(m, "{}\n", md_text(&r.description));
    }
    for block in blocks {
        match block {
            Block::Heading(t) => {
                let _ = writeln!(m, "## {}\n", md_text(t));
            }
            Block::Paragraph(t) => {
                let _ = writeln!(m, "{}\n", md_text(t));
            }
            Block::List(items) => {
                for i in items {
                    let _ = writeln!(m, "- {}", md_text(i));
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
                        md_text(f.chart.title()),
                        f.stem,
                        md_text(&f.caption)
                    );
                }
            }
        }
    }
    m
}
