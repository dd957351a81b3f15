//! `report.html`: one self-contained page (inline charts and styles, nothing fetched) that prints
//! cleanly on A4.

use std::fmt::Write as _;

use super::{Block, title};
use crate::output::charts::Drawn;
use crate::sim::run::Results;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Inline `code` spans in HTML.
fn inline_html(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            out.push_str(part);
        }
    }
    out
}

/// A numeric cell: each word kept on one line, so that a narrow column breaks "-£2.86m to -£1.88m"
/// at its spaces and never between a minus sign and its number.
fn numeric_html(s: &str) -> String {
    if s.contains('`') {
        return inline_html(s);
    }
    esc(s)
        .split(' ')
        .map(|w| format!("<span class=\"w\">{w}</span>"))
        .collect::<Vec<_>>()
        .join(" ")
}

const CSS: &str = r#"
@page { size: A4; margin: 15mm 14mm; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; font-size: 10.5pt; color: #111; max-width: 190mm; margin: 0 auto; padding: 8mm 0; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
p.description { font-size: 11pt; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.n { text-align: right; }
td.n .w { white-space: nowrap; }
figure { margin: 4mm 0; break-inside: avoid; }
div.keep { break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 9pt; color: #333; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 0.92em; word-break: break-all; }
@media print { body { padding: 0; max-width: none; } }
"#;

/// `report.html`: one self-contained page.
pub fn html(r: &Results, blocks: &[Block], drawn: &[Drawn]) -> String {
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"description\">{}</p>\n",
        esc(&title(r)),
        esc(&title(r)),
        inline_html(&r.description)
    );
    h.push_str(&body(blocks, drawn));
    h.push_str("</body>\n</html>\n");
    h
}

/// The report's blocks in HTML.
fn body(blocks: &[Block], drawn: &[Drawn]) -> String {
    let mut h = String::new();
    // A heading is kept on one page with what follows it up to its first table, figure or list
    // (at most two blocks), so that no heading is stranded at the foot of a page: browsers do
    // not all honour `break-after: avoid` alone.
    // Likewise a paragraph that introduces a table or figure is kept with it.
    let mut keep = 0;
    for (i, block) in blocks.iter().enumerate() {
        if keep > 0 && matches!(block, Block::Heading(_)) {
            h.push_str("</div>\n");
            keep = 0;
        }
        match block {
            Block::Heading(t) => {
                let _ = writeln!(h, "<div class=\"keep\">\n<h2>{}</h2>", inline_html(t));
                keep = 2;
            }
            Block::Paragraph(t) => {
                let introduces = matches!(
                    blocks.get(i + 1),
                    Some(Block::Table { .. } | Block::Figure(_))
                );
                if keep == 0 && introduces {
                    h.push_str("<div class=\"keep\">\n");
                    keep = 2;
                }
                let _ = writeln!(h, "<p>{}</p>", inline_html(t));
            }
            Block::List(items) => {
                h.push_str("<ul>\n");
                for i in items {
                    let _ = writeln!(h, "<li>{}</li>", inline_html(i));
                }
                h.push_str("</ul>\n");
            }
            Block::Table {
                head,
                rows,
                numeric_from,
            } => {
                h.push_str("<table>\n<thead><tr>");
                for c in head {
                    let _ = write!(h, "<th>{}</th>", inline_html(c));
                }
                h.push_str("</tr></thead>\n<tbody>\n");
                for row in rows {
                    h.push_str("<tr>");
                    for (i, c) in row.iter().enumerate() {
                        if i >= *numeric_from {
                            let _ = write!(h, "<td class=\"n\">{}</td>", numeric_html(c));
                        } else {
                            let _ = write!(h, "<td>{}</td>", inline_html(c));
                        }
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody>\n</table>\n");
            }
            Block::Figure(i) => {
                if let Some(d) = drawn.get(*i) {
                    let svg = d.svg.replacen(
                        "<svg ",
                        &format!(
                            "<svg role=\"img\" aria-label=\"{}\" ",
                            esc(d.figure.chart.title())
                        ),
                        1,
                    );
                    let _ = writeln!(
                        h,
                        "<figure id=\"{}\">\n{svg}\n<figcaption>{}</figcaption>\n</figure>",
                        esc(&d.figure.stem),
                        inline_html(&d.figure.caption)
                    );
                }
            }
        }
        if keep > 0 && !matches!(block, Block::Heading(_)) {
            keep -= 1;
            if keep == 0 || !matches!(block, Block::Paragraph(_)) {
                h.push_str("</div>\n");
                keep = 0;
            }
        }
    }
    if keep > 0 {
        h.push_str("</div>\n");
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_cells_break_only_at_spaces() {
        assert_eq!(
            numeric_html("-£2.34m (-£2.86m to -£1.88m)"),
            "<span class=\"w\">-£2.34m</span> <span class=\"w\">(-£2.86m</span> \
             <span class=\"w\">to</span> <span class=\"w\">-£1.88m)</span>"
        );
        assert_eq!(numeric_html("2027-03"), "<span class=\"w\">2027-03</span>");
        assert_eq!(numeric_html("a<b"), "<span class=\"w\">a&lt;b</span>");
        assert!(CSS.contains("td.n .w { white-space: nowrap; }"));
    }

    #[test]
    fn a_heading_is_kept_with_its_table() {
        let blocks = [
            Block::Heading("Targets".into()),
            Block::Paragraph("intro".into()),
            Block::Table {
                head: vec!["a".into()],
                rows: vec![],
                numeric_from: 1,
            },
            Block::Paragraph("after".into()),
            Block::Paragraph("the table below".into()),
            Block::Table {
                head: vec!["b".into()],
                rows: vec![],
                numeric_from: 1,
            },
            Block::Heading("Notes".into()),
        ];
        let h = body(&blocks, &[]);
        let body = h.as_str();
        let keep = body.find("<div class=\"keep\">\n<h2>Targets</h2>").unwrap();
        let table_end = body.find("</table>").unwrap();
        let close = body[keep..].find("</div>").unwrap() + keep;
        assert!(close > table_end, "{body}");
        assert!(close < body.find("<p>after</p>").unwrap(), "{body}");
        // A paragraph that introduces a table is kept with it; one that does not, is not.
        let intro = body
            .find("<div class=\"keep\">\n<p>the table below</p>\n<table>")
            .unwrap_or_else(|| panic!("{body}"));
        let close = body[intro..].find("</div>").unwrap() + intro;
        assert!(close > body.rfind("</table>").unwrap(), "{body}");
        assert!(
            !body.contains("<div class=\"keep\">\n<p>after</p>"),
            "{body}"
        );
        // The last heading, with nothing after it, is closed too.
        assert_eq!(
            body.matches("<div class=\"keep\">").count(),
            body.matches("</div>").count()
        );
    }
}
