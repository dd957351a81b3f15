//! Panels stacked vertically over a shared numeric x axis: lines with optional 90% bands.

use super::*;

pub(super) fn draw_xy<DB: DrawingBackend>(
    body: &Area<DB>,
    x_label: &str,
    panels: &[XyPanel],
) -> Result<(), String> {
    let xs = || {
        panels
            .iter()
            .flat_map(|p| p.lines.iter().flat_map(|(_, v)| v.iter().map(|q| q.0)))
    };
    let (mut x0, mut x1) = (f64::INFINITY, f64::NEG_INFINITY);
    for x in xs().filter(|x| x.is_finite()) {
        x0 = x0.min(x);
        x1 = x1.max(x);
    }
    if !x0.is_finite() {
        (x0, x1) = (0.0, 1.0);
    }
    if x1 - x0 <= 1e-12 * x1.abs().max(1.0) {
        let pad = x0.abs().max(1.0) * 0.5;
        (x0, x1) = (x0 - pad, x1 + pad);
    }
    let areas = body.split_evenly((panels.len().max(1), 1));
    for (panel, area) in panels.iter().zip(&areas) {
        let (legend, plot) = area.split_vertically(24);
        let names: Vec<String> = panel.lines.iter().map(|(n, _)| n.clone()).collect();
        legend_entries(&legend, &names, false)?;
        let range = panel.y_range.unwrap_or_else(|| {
            y_range(
                panel
                    .lines
                    .iter()
                    .flat_map(|(_, v)| v.iter().flat_map(|q| [q.1, q.2, q.3]))
                    .chain(panel.level.as_ref().map(|l| l.1)),
                panel.scale,
            )
        });
        let mut chart = ChartBuilder::on(&plot)
            .caption(&panel.title, (FAMILY, 15))
            .margin(8)
            .margin_right(28)
            .x_label_area_size(46)
            .y_label_area_size(84)
            .build_cartesian_2d(x0..x1, range.0..range.1)
            .map_err(e)?;
        let xf = |x: &f64| Scale::Number.label(*x);
        let yf = |y: &f64| panel.scale.label(*y);
        chart
            .configure_mesh()
            .x_desc(x_label)
            .x_labels(8)
            .y_labels(6)
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style((FAMILY, 16))
            .axis_desc_style((FAMILY, 16))
            .draw()
            .map_err(e)?;
        for (i, (_, pts)) in panel.lines.iter().enumerate() {
            let c = colour(i);
            let banded: Vec<&(f64, f64, f64, f64)> = pts
                .iter()
                .filter(|q| q.2.is_finite() && q.3.is_finite())
                .collect();
            if banded.len() > 1 {
                let mut poly: Vec<(f64, f64)> = banded.iter().map(|q| (q.0, q.2)).collect();
                poly.extend(banded.iter().rev().map(|q| (q.0, q.3)));
                chart
                    .draw_series(std::iter::once(Polygon::new(poly, c.mix(BAND_90).filled())))
                    .map_err(e)?;
            }
            let line: Vec<(f64, f64)> = pts
                .iter()
                .filter(|q| q.1.is_finite())
                .map(|q| (q.0, q.1))
                .collect();
            chart
                .draw_series(LineSeries::new(line.clone(), c.stroke_width(2)))
                .map_err(e)?;
            chart
                .draw_series(line.into_iter().map(|p| Circle::new(p, 3, c.filled())))
                .map_err(e)?;
        }
        if let Some((label, y)) = &panel.level {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x0, *y), (x1, *y)],
                    6,
                    4,
                    TARGET.stroke_width(1),
                ))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x0, *y),
                    TextStyle::from((FAMILY, 14).into_font())
                        .color(&TARGET)
                        .pos(Pos::new(HPos::Left, VPos::Bottom)),
                )))
                .map_err(e)?;
        }
    }
    Ok(())
}
