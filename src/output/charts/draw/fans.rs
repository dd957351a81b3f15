//! Fan charts: one panel per option, its 90% and 50% bands and median, with the target.

use super::*;

pub(super) fn draw_fans<DB: DrawingBackend>(
    body: &Area<DB>,
    (scale, own_scales): (Scale, bool),
    time: &TimeAxis,
    fans: &[Fan],
    targets: &[TargetLine],
    observed: &[(usize, f64)],
) -> Result<(), String> {
    let range_of = |fans: &[Fan]| {
        y_range(
            fans.iter()
                .flat_map(|f| f.p05.iter().chain(&f.p95).copied())
                .chain(targets.iter().map(|t| t.value))
                .chain(observed.iter().map(|&(_, v)| v)),
            scale,
        )
    };
    let shared = range_of(fans);
    let (rows, cols) = grid(fans.len());
    let areas = body.split_evenly((rows, cols));
    for (i, (fan, area)) in fans.iter().zip(&areas).enumerate() {
        let range = if own_scales {
            range_of(&fans[i..=i])
        } else {
            shared
        };
        let c = colour(fan.colour);
        let area = heading(area, &fan.name, &fan.description)?;
        let mut chart = time_chart(&area, time, range, scale)?;
        for (lo, hi, alpha) in [(&fan.p05, &fan.p95, BAND_90), (&fan.p25, &fan.p75, BAND_50)] {
            chart
                .draw_series(
                    band(lo, hi)
                        .into_iter()
                        .map(|pts| Polygon::new(pts, c.mix(alpha).filled())),
                )
                .map_err(e)?;
        }
        for seg in segments(&fan.p50) {
            chart
                .draw_series(LineSeries::new(seg, c.stroke_width(2)))
                .map_err(e)?;
        }
        for t in targets {
            draw_target(&mut chart, t, time)?;
        }
        // Open circles, white inside, so that they stand out on a black median line too.
        let shown = || {
            observed
                .iter()
                .filter(|&&(m, v)| m <= time.months && v.is_finite())
                .map(|&(m, v)| (m as f64, v))
        };
        chart
            .draw_series(shown().map(|p| Circle::new(p, 5, WHITE.filled())))
            .map_err(e)?;
        chart
            .draw_series(shown().map(|p| Circle::new(p, 5, BLACK.stroke_width(2))))
            .map_err(e)?;
    }
    Ok(())
}
