//! Points with intervals in both directions, each labelled by name.

use super::*;

pub(super) fn draw_scatter<DB: DrawingBackend>(
    body: &Area<DB>,
    x_label: &str,
    y_label: &str,
    x_scale: Scale,
    y_scale: Scale,
    points: &[ScatterPoint],
) -> Result<(), String> {
    let xr = y_range(points.iter().flat_map(|p| [p.x.0, p.x.1, p.x.2]), x_scale);
    let yr = y_range(points.iter().flat_map(|p| [p.y.0, p.y.1, p.y.2]), y_scale);
    let mut chart = ChartBuilder::on(body)
        .margin(12)
        .x_label_area_size(50)
        .y_label_area_size(84)
        .build_cartesian_2d(xr.0..xr.1, yr.0..yr.1)
        .map_err(e)?;
    let xf = |x: &f64| x_scale.label(*x);
    let yf = |y: &f64| y_scale.label(*y);
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc(y_label)
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FAMILY, 16))
        .axis_desc_style((FAMILY, 16))
        .draw()
        .map_err(e)?;
    // The zero lines: an option left of x = 0 avoids no agency; below y = 0 it saves money.
    for (a, b) in [((0.0, yr.0), (0.0, yr.1)), ((xr.0, 0.0), (xr.1, 0.0))] {
        chart
            .draw_series(LineSeries::new([a, b], BLACK.mix(0.5).stroke_width(1)))
            .map_err(e)?;
    }
    for p in points {
        if !(p.x.0.is_finite() && p.y.0.is_finite()) {
            continue;
        }
        let c = colour(p.colour);
        if p.y.1.is_finite() && p.y.2.is_finite() {
            chart
                .draw_series(std::iter::once(ErrorBar::new_vertical(
                    p.x.0,
                    p.y.1,
                    p.y.0,
                    p.y.2,
                    c.stroke_width(2),
                    8,
                )))
                .map_err(e)?;
        }
        if p.x.1.is_finite() && p.x.2.is_finite() {
            chart
                .draw_series(std::iter::once(ErrorBar::new_horizontal(
                    p.y.0,
                    p.x.1,
                    p.x.0,
                    p.x.2,
                    c.stroke_width(2),
                    8,
                )))
                .map_err(e)?;
        }
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((p.x.0, p.y.0))
                    + Circle::new((0, 0), 5, c.filled())
                    + Text::new(
                        p.name.clone(),
                        (8, -8),
                        TextStyle::from((FAMILY, 16).into_font())
                            .pos(Pos::new(HPos::Left, VPos::Bottom)),
                    ),
            ))
            .map_err(e)?;
    }
    Ok(())
}
