//! Bars grouped by category, one bar per series, each with its interval.

use super::*;

pub(super) fn draw_bars<DB: DrawingBackend>(
    body: &Area<DB>,
    scale: Scale,
    groups: &[String],
    series: &[BarSeries],
) -> Result<(), String> {
    let (legend, plot) = body.split_vertically(28);
    let names: Vec<String> = series.iter().map(|(n, _)| n.clone()).collect();
    legend_entries(&legend, &names, true)?;
    let range = y_range(
        series
            .iter()
            .flat_map(|(_, v)| v.iter().flat_map(|&(m, lo, hi)| [m, lo, hi])),
        scale,
    );
    let n = groups.len().max(1) as f64;
    let mut chart = ChartBuilder::on(&plot)
        .margin(8)
        .x_label_area_size(34)
        .y_label_area_size(76)
        .build_cartesian_2d(0.0..n, range.0..range.1)
        .map_err(e)?;
    let yf = |y: &f64| scale.label(*y);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(6)
        .y_label_formatter(&yf)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FAMILY, 16))
        .draw()
        .map_err(e)?;
    // Group labels under each group's centre, in the label area below the axis (drawn inside
    // the plot, they would sit on the axis line).
    let (bx, by) = plot.get_base_pixel();
    for (g, label) in groups.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(g as f64 + 0.5, range.0));
        plot.draw(&Text::new(
            label.clone(),
            (x - bx, y - by + 6),
            TextStyle::from((FAMILY, 15).into_font()).pos(Pos::new(HPos::Center, VPos::Top)),
        ))
        .map_err(e)?;
    }
    let k = series.len().max(1) as f64;
    let width = 0.8 / k;
    for (si, (_, values)) in series.iter().enumerate() {
        let c = colour(si);
        for (g, &(m, lo, hi)) in values.iter().enumerate() {
            if !m.is_finite() {
                continue;
            }
            let x0 = g as f64 + 0.1 + si as f64 * width;
            let base = 0.0_f64.clamp(range.0, range.1);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x0, base), (x0 + width * 0.9, m)],
                    c.mix(0.8).filled(),
                )))
                .map_err(e)?;
            if lo.is_finite() && hi.is_finite() {
                let xc = x0 + width * 0.45;
                chart
                    .draw_series(std::iter::once(ErrorBar::new_vertical(
                        xc,
                        lo,
                        m,
                        hi,
                        BLACK.stroke_width(1),
                        6,
                    )))
                    .map_err(e)?;
            }
        }
    }
    Ok(())
}
