//! Stacked areas over time, one panel per option.

use super::*;

pub(super) fn draw_stacks<DB: DrawingBackend>(
    body: &Area<DB>,
    time: &TimeAxis,
    layer_names: &[String],
    panels: &[StackPanel],
) -> Result<(), String> {
    let (legend, plot) = body.split_vertically(30);
    legend_entries(&legend, layer_names, true)?;
    // Cumulative tops of each layer, per panel.
    let tops: Vec<Vec<Vec<f64>>> = panels
        .iter()
        .map(|(_, _, layers)| {
            let mut acc = vec![0.0; time.months + 1];
            layers
                .iter()
                .map(|l| {
                    for (a, v) in acc.iter_mut().zip(l) {
                        *a += if v.is_finite() { v.max(0.0) } else { 0.0 };
                    }
                    acc.clone()
                })
                .collect()
        })
        .collect();
    let range = y_range(
        tops.iter()
            .flat_map(|t| t.last().cloned().unwrap_or_default()),
        Scale::Number,
    );
    let (rows, cols) = grid(panels.len());
    let areas = plot.split_evenly((rows, cols));
    for ((name, description, _), (t, area)) in panels.iter().zip(tops.iter().zip(&areas)) {
        let area = heading(area, name, description)?;
        let mut chart = time_chart(&area, time, range, Scale::Number)?;
        let mut below = vec![0.0; time.months + 1];
        for (li, top) in t.iter().enumerate() {
            let mut pts: Vec<(f64, f64)> = top
                .iter()
                .enumerate()
                .map(|(m, v)| (m as f64, *v))
                .collect();
            pts.extend(below.iter().enumerate().rev().map(|(m, v)| (m as f64, *v)));
            chart
                .draw_series(std::iter::once(Polygon::new(
                    pts,
                    colour(li).mix(0.8).filled(),
                )))
                .map_err(e)?;
            below = top.clone();
        }
    }
    Ok(())
}
