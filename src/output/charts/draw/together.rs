//! Every option's median and 90% range on one time chart, one colour each.

use super::*;

/// Overlaid 90% bands are lighter than a fan's, so that five can be told apart.
const BAND_TOGETHER: f64 = 0.12;

pub(super) fn draw_together<DB: DrawingBackend>(
    body: &Area<DB>,
    scale: Scale,
    time: &TimeAxis,
    fans: &[Fan],
    targets: &[TargetLine],
) -> Result<(), String> {
    let (legend, plot) = body.split_vertically(28);
    let names: Vec<String> = fans.iter().map(|f| f.name.clone()).collect();
    legend_entries(&legend, &names, false)?;
    let range = y_range(
        fans.iter()
            .flat_map(|f| f.p05.iter().chain(&f.p95).copied())
            .chain(targets.iter().map(|t| t.value)),
        scale,
    );
    let mut chart = time_chart(&plot, time, range, scale)?;
    for fan in fans {
        chart
            .draw_series(
                band(&fan.p05, &fan.p95)
                    .into_iter()
                    .map(|pts| Polygon::new(pts, colour(fan.colour).mix(BAND_TOGETHER).filled())),
            )
            .map_err(e)?;
    }
    // Medians over every band, so that no band hides another option's line.
    for fan in fans {
        for seg in segments(&fan.p50) {
            chart
                .draw_series(LineSeries::new(seg, colour(fan.colour).stroke_width(2)))
                .map_err(e)?;
        }
    }
    for t in targets {
        draw_target(&mut chart, t, time)?;
    }
    Ok(())
}
