//! Tornado panels: for each input a bar from the outcome at its low value to the outcome at its high value.

use super::*;

/// A tornado panel's axis, centred on the outcome as stated and reaching the largest swing either
/// way (padded by 10%), so that short bars are not squashed against an axis from zero. A share
/// does not go below 0%.
fn centred(panel: &TornadoPanel) -> (f64, f64) {
    let reach = panel
        .bars
        .iter()
        .flat_map(|b| [b.1, b.2])
        .filter(|x| x.is_finite())
        .map(|x| (x - panel.base).abs())
        .fold(0.0, f64::max);
    if !panel.base.is_finite() || reach <= 1e-12 * panel.base.abs().max(1.0) {
        return y_range([panel.base], panel.scale);
    }
    let half = 1.1 * reach;
    let lo = panel.base - half;
    let lo = if panel.scale == Scale::Percent {
        lo.max(0.0)
    } else {
        lo
    };
    (lo, panel.base + half)
}

pub(super) fn draw_tornado<DB: DrawingBackend>(
    body: &Area<DB>,
    panels: &[TornadoPanel],
) -> Result<(), String> {
    let (legend, mut rest) = body.split_vertically(26);
    legend_entries(
        &legend,
        &[
            "input at its low value".to_string(),
            "input at its high value".to_string(),
        ],
        true,
    )?;
    for panel in panels {
        let n = panel.bars.len().max(1);
        let height = 30 * n as u32 + 110;
        let (area, below) = rest.split_vertically(height);
        rest = below;
        let range = centred(panel);
        let names: Vec<String> = panel.bars.iter().map(|b| b.0.clone()).collect();
        let mut chart = ChartBuilder::on(&area)
            .caption(&panel.title, (FAMILY, 15))
            .margin(8)
            .margin_right(28)
            .x_label_area_size(34)
            .y_label_area_size(560)
            .build_cartesian_2d(range.0..range.1, 0.0..n as f64)
            .map_err(e)?;
        let xf = |x: &f64| panel.scale.label(*x);
        let yf = |y: &f64| {
            let i = y.floor() as usize;
            if (y - y.floor() - 0.5).abs() < 1e-6 && i < names.len() {
                names[names.len() - 1 - i].clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_y_mesh()
            .x_labels(6)
            .y_labels(2 * n + 1)
            .x_label_formatter(&xf)
            .y_label_formatter(&yf)
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .label_style((FAMILY, 14))
            .draw()
            .map_err(e)?;
        for (i, (_, lo, hi)) in panel.bars.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            // The longer bar first, so that where both lie on one side of the outcome as stated
            // the shorter is seen whole on top of it, in its own colour.
            let mut two = [(*lo, colour(0)), (*hi, colour(1))];
            two.sort_by(|a, b| {
                (b.0 - panel.base)
                    .abs()
                    .total_cmp(&(a.0 - panel.base).abs())
            });
            for (v, c) in two {
                if v.is_finite() && panel.base.is_finite() {
                    chart
                        .draw_series(std::iter::once(Rectangle::new(
                            [(panel.base, y + 0.2), (v, y + 0.8)],
                            c.mix(0.8).filled(),
                        )))
                        .map_err(e)?;
                }
            }
        }
        if panel.base.is_finite() {
            chart
                .draw_series(LineSeries::new(
                    [(panel.base, 0.0), (panel.base, n as f64)],
                    BLACK.stroke_width(1),
                ))
                .map_err(e)?;
        }
    }
    Ok(())
}
