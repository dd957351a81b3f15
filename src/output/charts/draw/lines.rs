//! Lines over time, one colour each, such as the chance of meeting a target.

use super::*;

pub(super) fn draw_lines<DB: DrawingBackend>(
    body: &Area<DB>,
    scale: Scale,
    time: &TimeAxis,
    lines: &[(String, Vec<f64>)],
    fixed: Option<(f64, f64)>,
    marker: Option<&(String, usize)>,
) -> Result<(), String> {
    let (legend, plot) = body.split_vertically(28);
    let names: Vec<String> = lines.iter().map(|(n, _)| n.clone()).collect();
    legend_entries(&legend, &names, false)?;
    let range =
        fixed.unwrap_or_else(|| y_range(lines.iter().flat_map(|(_, v)| v.iter().copied()), scale));
    let mut chart = time_chart(&plot, time, range, scale)?;
    for (i, (_, values)) in lines.iter().enumerate() {
        for seg in segments(values) {
            chart
                .draw_series(LineSeries::new(seg, colour(i).stroke_width(2)))
                .map_err(e)?;
        }
    }
    if let Some((label, m)) = marker {
        let x = *m as f64;
        if x <= (time.months as f64).max(1.0) {
            chart
                .draw_series(DashedLineSeries::new(
                    [(x, range.0), (x, range.1)],
                    3,
                    3,
                    TARGET.stroke_width(1),
                ))
                .map_err(e)?;
            chart
                .draw_series(std::iter::once(Text::new(
                    format!("{label} "),
                    (x, range.1),
                    TextStyle::from((FAMILY, 14).into_font())
                        .color(&TARGET)
                        .pos(Pos::new(HPos::Right, VPos::Top)),
                )))
                .map_err(e)?;
        }
    }
    Ok(())
}
