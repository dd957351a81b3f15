//! Charts for reports: fan charts, every option together, probability lines, bars with intervals,
//! scatter, XY panels, tornado and stacked areas.
//!
//! Each chart is plain data (what to draw) and is rendered by plotters to SVG text or PNG bytes. Text
//! is measured and, for PNG, drawn with a font embedded in the binary (DejaVu Sans, by
//! `charts::text`), so a chart looks the same on every machine whatever fonts it has. Charts do not
//! know about scenarios or results: `output::charts` builds them from a run, and the tests here
//! draw them from hand-made data. Each kind of chart is drawn by a module of its own; this one
//! holds what they share: the chart types, scales, colours, ranges and the font.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::prelude::*;
use plotters::style::FontStyle;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::model::date::YearMonth;

mod bars;
mod fans;
mod lines;
mod scatter;
mod stacks;
mod together;
mod tornado;
mod xy;

use bars::draw_bars;
use fans::draw_fans;
use lines::draw_lines;
use scatter::draw_scatter;
use stacks::draw_stacks;
use together::draw_together;
use tornado::draw_tornado;
use xy::draw_xy;

/// The embedded font (DejaVu Sans, Bitstream Vera licence: `assets/fonts/LICENSE-DejaVu.txt`).
static FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to be valid; a failure here would show as missing text.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

/// Okabe-Ito colours, distinguishable with the common forms of colour blindness; option `i` takes
/// colour `i` (cycling).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 0, 0),
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(240, 228, 66),
];
const TARGET: RGBColor = RGBColor(200, 0, 0);
const GRID: RGBColor = RGBColor(225, 225, 225);

fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Opacity of the 90% band; the 50% band is drawn over it at `BAND_50`.
pub const BAND_90: f64 = 0.15;
pub const BAND_50: f64 = 0.35;

/// How values on an axis are written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// Shares 0-1, written as percentages.
    Percent,
    /// Plain numbers (FTE, months).
    Number,
    /// Pounds, written as £k or £m.
    Pounds,
    /// Differences of shares, written as signed percentage points (`-2.5 pts`).
    Points,
}

impl Scale {
    pub fn label(self, v: f64) -> String {
        match self {
            Scale::Percent => format!("{:.0}%", 100.0 * v),
            Scale::Points => {
                let p = 100.0 * v;
                // No "-0.0" for a tick at zero.
                let p = if p.abs() < 0.05 { 0.0 } else { p };
                format!("{p:+.1} pts")
            }
            Scale::Number => {
                if v.abs() >= 100.0 || v == v.round() {
                    format!("{v:.0}")
                } else {
                    format!("{v:.1}")
                }
            }
            Scale::Pounds => {
                let sign = if v < 0.0 { "-" } else { "" };
                let a = v.abs();
                if a >= 1e6 {
                    format!("{sign}£{:.1}m", a / 1e6)
                } else if a >= 1e3 {
                    format!("{sign}£{:.0}k", a / 1e3)
                } else {
                    format!("{sign}£{a:.0}")
                }
            }
        }
    }
}

/// Percentiles of one quantity over time; `NaN` where it is not defined.
#[derive(Clone, Debug, Default)]
pub struct Fan {
    pub name: String,
    /// What the option is, in words: under its name in the panel's heading.
    pub description: String,
    /// The option's colour index (the baseline's is 0), the same in every chart.
    pub colour: usize,
    pub p05: Vec<f64>,
    pub p25: Vec<f64>,
    pub p50: Vec<f64>,
    pub p75: Vec<f64>,
    pub p95: Vec<f64>,
}

/// A target drawn as a horizontal line with a vertical line at its deadline.
#[derive(Clone, Debug)]
pub struct TargetLine {
    pub label: String,
    pub value: f64,
    /// Month index of the deadline.
    pub deadline: usize,
}

/// A time axis: month `i` is `start + i`.
#[derive(Clone, Copy, Debug)]
pub struct TimeAxis {
    pub start: YearMonth,
    pub months: usize,
}

/// A time chart's coordinates: months on x, with ticks at [`TimeAxis::ticks`].
type TimeCoord = Cartesian2d<Months, plotters::coord::types::RangedCoordf64>;

/// Months on a time chart's x axis, labelled only at the given months (plotters' own ticks fall
/// on round numbers of months, not on dates a reader looks for).
pub struct Months {
    inner: plotters::coord::types::RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Months {
    type ValueType = f64;
    type FormatOption = DefaultFormatting;

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }
}

/// The most date labels a time axis shows.
const MAX_TICKS: usize = 5;

/// The width a date label ("Apr 2026" at 14 pixels) takes on a time axis, with the space between
/// two, in pixels.
const TICK_WIDTH: u32 = 76;

impl TimeAxis {
    /// Where the date labels go: each April (the start of a financial year), every year or, on
    /// a long horizon, every few years so that at most `most` show (2 to [`MAX_TICKS`], as the
    /// panel's width allows, so that dates do not run into each other); the start and the end
    /// for a horizon with no April.
    pub fn ticks_within(&self, most: usize) -> Vec<f64> {
        let most = most.clamp(2, MAX_TICKS);
        let aprils: Vec<usize> = (0..=self.months)
            .filter(|&m| self.start.add_months(m as i32).month() == 4)
            .collect();
        if aprils.is_empty() {
            return vec![0.0, self.months as f64];
        }
        let every = aprils.len().div_ceil(most);
        aprils
            .into_iter()
            .step_by(every)
            .map(|m| m as f64)
            .collect()
    }

    fn label(&self, x: f64) -> String {
        let m = x.round() as i32;
        let d = self.start.add_months(m);
        let name = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ][(d.month() as usize).clamp(1, 12) - 1];
        format!("{name} {}", d.year())
    }
}

/// What to draw.
#[derive(Clone, Debug)]
pub enum Chart {
    /// One panel per fan (option): 90% band, 50% band and median, with the target.
    Fans {
        title: String,
        scale: Scale,
        time: TimeAxis,
        fans: Vec<Fan>,
        targets: Vec<TargetLine>,
        /// Published figures `(month, value)`, e.g. census rates, drawn as open circles in every
        /// panel.
        observed: Vec<(usize, f64)>,
        /// Each panel on its own y scale (payback, where one option's sums can dwarf another's),
        /// rather than all on one so that levels compare across panels.
        own_scales: bool,
    },
    /// Every option's median and 90% range on one chart, one colour each, so that options are
    /// compared on one axis rather than across panels.
    Together {
        title: String,
        scale: Scale,
        time: TimeAxis,
        fans: Vec<Fan>,
        targets: Vec<TargetLine>,
    },
    /// Lines over time, one colour per line, e.g. the probability of meeting a target.
    Lines {
        title: String,
        scale: Scale,
        time: TimeAxis,
        lines: Vec<(String, Vec<f64>)>,
        /// Fixed y range (e.g. 0-1 for probabilities); otherwise fitted to the data.
        y_range: Option<(f64, f64)>,
        /// A vertical line, e.g. a deadline.
        marker: Option<(String, usize)>,
    },
    /// Bars grouped by category (e.g. financial year), one bar per series, with an interval each.
    Bars {
        title: String,
        scale: Scale,
        groups: Vec<String>,
        /// `(name, [(value, low, high)] per group)`.
        series: Vec<BarSeries>,
    },
    /// Points with intervals in both directions, labelled by name.
    Scatter {
        title: String,
        x_label: String,
        y_label: String,
        x_scale: Scale,
        y_scale: Scale,
        /// `(name, colour index, (x, x_low, x_high), (y, y_low, y_high))`.
        points: Vec<ScatterPoint>,
    },
    /// Panels stacked vertically sharing a numeric x axis: lines with optional 90% bands, e.g. the
    /// chance of a target and the total cost against a swept input.
    Xy {
        title: String,
        x_label: String,
        panels: Vec<XyPanel>,
    },
    /// Tornado: for each input a bar from the outcome at its low value to the outcome at its high
    /// value, around the outcome as stated; one panel per outcome, largest swing on top.
    Tornado {
        title: String,
        panels: Vec<TornadoPanel>,
    },
    /// One panel per option: stacked areas of layers over time.
    Stacks {
        title: String,
        time: TimeAxis,
        layer_names: Vec<String>,
        /// `(panel name, its description, layers[layer][month])`.
        panels: Vec<StackPanel>,
    },
}

/// `(name, [(x, y, low, high)])`; low and high may be NaN for no band.
pub type XyLine = (String, Vec<(f64, f64, f64, f64)>);

/// One panel of a stacked chart: its name, its description and `layers[layer][month]`.
pub type StackPanel = (String, String, Vec<Vec<f64>>);

/// One panel of a tornado chart.
#[derive(Clone, Debug)]
pub struct TornadoPanel {
    pub title: String,
    pub scale: Scale,
    /// The outcome with every input as stated.
    pub base: f64,
    /// `(input, outcome at its low value, outcome at its high value)`, drawn in this order from the
    /// top.
    pub bars: Vec<(String, f64, f64)>,
}

/// One panel of an `Xy` chart.
#[derive(Clone, Debug)]
pub struct XyPanel {
    pub title: String,
    pub scale: Scale,
    /// Fixed y range (e.g. 0-1 for probabilities); otherwise fitted to the data.
    pub y_range: Option<(f64, f64)>,
    pub lines: Vec<XyLine>,
    /// A labelled horizontal line, e.g. the probability asked for.
    pub level: Option<(String, f64)>,
}

/// One series of a bar chart: its name and `(value, low, high)` for each group.
pub type BarSeries = (String, Vec<(f64, f64, f64)>);

/// A point of a scatter chart with its intervals.
#[derive(Clone, Debug)]
pub struct ScatterPoint {
    pub name: String,
    pub colour: usize,
    pub x: (f64, f64, f64),
    pub y: (f64, f64, f64),
}

/// A chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw chart `{title}`: {message}")]
pub struct ChartError {
    pub title: String,
    pub message: String,
}

type Area<'a, DB> = DrawingArea<DB, Shift>;

const WIDTH: u32 = 960;

impl Chart {
    pub fn title(&self) -> &str {
        match self {
            Chart::Fans { title, .. }
            | Chart::Together { title, .. }
            | Chart::Lines { title, .. }
            | Chart::Bars { title, .. }
            | Chart::Scatter { title, .. }
            | Chart::Xy { title, .. }
            | Chart::Tornado { title, .. }
            | Chart::Stacks { title, .. } => title,
        }
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        let panels = |n: usize| {
            let (rows, _) = grid(n);
            40 + 300 * rows as u32
        };
        match self {
            Chart::Fans { fans, .. } => (WIDTH, panels(fans.len())),
            Chart::Stacks { panels: p, .. } => (WIDTH, panels(p.len()) + 30),
            Chart::Xy { panels: p, .. } => (WIDTH, 60 + 300 * p.len().max(1) as u32),
            Chart::Tornado { panels: p, .. } => {
                let rows: usize = p.iter().map(|q| q.bars.len().max(1)).sum();
                (WIDTH, 60 + 30 * rows as u32 + 110 * p.len().max(1) as u32)
            }
            Chart::Together { .. }
            | Chart::Lines { .. }
            | Chart::Bars { .. }
            | Chart::Scatter { .. } => (WIDTH, 480),
        }
    }

    /// The chart as an SVG document.
    pub fn svg(&self) -> Result<String, ChartError> {
        register_font();
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, self.size()).into_drawing_area();
            self.draw(&root).map_err(|m| self.error(m))?;
            root.present().map_err(|e| self.error(e.to_string()))?;
        }
        Ok(s)
    }

    /// The chart as a PNG image.
    pub fn png(&self) -> Result<Vec<u8>, ChartError> {
        register_font();
        let (w, h) = self.size();
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let font = ab_glyph::FontRef::try_from_slice(FONT)
                .map_err(|e| self.error(format!("the embedded font: {e}")))?;
            let bitmap = BitMapBackend::with_buffer(&mut rgb, (w, h));
            let root = super::text::Glyphs::new(bitmap, font).into_drawing_area();
            self.draw(&root).map_err(|m| self.error(m))?;
            root.present().map_err(|e| self.error(e.to_string()))?;
        }
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, w, h);
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            let mut writer = enc.write_header().map_err(|e| self.error(e.to_string()))?;
            writer
                .write_image_data(&rgb)
                .map_err(|e| self.error(e.to_string()))?;
        }
        Ok(out)
    }

    fn error(&self, message: String) -> ChartError {
        ChartError {
            title: self.title().to_string(),
            message,
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Result<(), String> {
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let body = root
            .titled(self.title(), (FAMILY, 22))
            .map_err(|e| e.to_string())?;
        match self {
            Chart::Fans {
                scale,
                time,
                fans,
                targets,
                observed,
                own_scales,
                ..
            } => draw_fans(&body, (*scale, *own_scales), time, fans, targets, observed),
            Chart::Together {
                scale,
                time,
                fans,
                targets,
                ..
            } => draw_together(&body, *scale, time, fans, targets),
            Chart::Lines {
                scale,
                time,
                lines,
                y_range,
                marker,
                ..
            } => draw_lines(&body, *scale, time, lines, *y_range, marker.as_ref()),
            Chart::Bars {
                scale,
                groups,
                series,
                ..
            } => draw_bars(&body, *scale, groups, series),
            Chart::Scatter {
                x_label,
                y_label,
                x_scale,
                y_scale,
                points,
                ..
            } => draw_scatter(&body, x_label, y_label, *x_scale, *y_scale, points),
            Chart::Stacks {
                time,
                layer_names,
                panels,
                ..
            } => draw_stacks(&body, time, layer_names, panels),
            Chart::Xy {
                x_label, panels, ..
            } => draw_xy(&body, x_label, panels),
            Chart::Tornado { panels, .. } => draw_tornado(&body, panels),
        }
    }
}

/// Rows and columns for `n` panels.
fn grid(n: usize) -> (usize, usize) {
    let cols = match n {
        0 | 1 => 1,
        2..=4 => 2,
        _ => 3,
    };
    (n.max(1).div_ceil(cols), cols)
}

/// A y range fitted to `values` (finite ones only), padded by 5% each way, not stretched to zero:
/// for differences that matter between large amounts (a £1.8m difference on £55m looks flat on an
/// axis from £0). Never empty.
pub fn y_range_fitted(values: impl IntoIterator<Item = f64>, scale: Scale) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() || hi - lo <= 1e-12 * hi.abs().max(1.0) {
        return y_range([lo, hi], scale);
    }
    let pad = 0.05 * (hi - lo);
    (lo - pad, hi + pad)
}

/// A y range covering `values` (finite ones only), starting at zero for data that never goes
/// below it, padded by 5%, and never empty.
pub fn y_range(values: impl IntoIterator<Item = f64>, scale: Scale) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 1.0);
    }
    lo = lo.min(0.0);
    hi = hi.max(0.0);
    let span = hi - lo;
    if span <= 1e-12 * hi.abs().max(1.0) {
        let pad = match scale {
            Scale::Percent => 0.1,
            Scale::Points => 0.01,
            _ if hi.abs() < 1e-9 => 1.0,
            _ => hi.abs() * 0.1,
        };
        return (lo - if lo < 0.0 { pad } else { 0.0 }, hi + pad);
    }
    let pad = 0.05 * span;
    (if lo < 0.0 { lo - pad } else { lo }, hi + pad)
}

/// Runs of consecutive months with finite values: `[(month, value)]` each.
fn segments(values: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut cur = Vec::new();
    for (i, v) in values.iter().enumerate() {
        if v.is_finite() {
            cur.push((i as f64, *v));
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The polygon between `lo` and `hi` over each run where both are finite.
fn band(lo: &[f64], hi: &[f64]) -> Vec<Vec<(f64, f64)>> {
    let both: Vec<f64> = lo
        .iter()
        .zip(hi)
        .map(|(a, b)| if b.is_finite() { *a } else { f64::NAN })
        .collect();
    segments(&both)
        .into_iter()
        .map(|seg| {
            let mut pts = seg.clone();
            pts.extend(seg.iter().rev().map(|&(x, _)| (x, hi[x as usize])));
            pts
        })
        .collect()
}

fn e<T: std::fmt::Display>(e: T) -> String {
    e.to_string()
}

/// A time-series chart area with gridlines and date labels.
fn time_chart<'a, DB: DrawingBackend + 'a>(
    area: &'a Area<DB>,
    time: &TimeAxis,
    (y0, y1): (f64, f64),
    scale: Scale,
) -> Result<ChartContext<'a, DB, TimeCoord>, String> {
    let mut b = ChartBuilder::on(area);
    b.margin(8)
        .margin_right(28)
        .x_label_area_size(34)
        .y_label_area_size(76);
    let x1 = (time.months as f64).max(1.0);
    // The plot's width: the area less the margins and the y labels.
    let plot = area.dim_in_pixel().0.saturating_sub(8 + 28 + 76);
    let mut chart = b
        .build_cartesian_2d(
            Months {
                inner: (0.0..x1).into(),
                ticks: time.ticks_within((plot / TICK_WIDTH) as usize),
            },
            y0..y1,
        )
        .map_err(e)?;
    let xf = |x: &f64| time.label(*x);
    let yf = |y: &f64| scale.label(*y);
    chart
        .configure_mesh()
        .x_labels(4)
        .y_labels(6)
        .x_label_formatter(&xf)
        .y_label_formatter(&yf)
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .label_style((FAMILY, 16))
        // Dates are longer than values: a little smaller, so four fit a third of the width.
        .x_label_style((FAMILY, 14))
        .draw()
        .map_err(e)?;
    Ok(chart)
}

fn draw_target<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    t: &TargetLine,
    time: &TimeAxis,
) -> Result<(), String> {
    let x1 = (time.months as f64).max(1.0);
    let dl = t.deadline as f64;
    let (y0, y1) = (chart.y_range().start, chart.y_range().end);
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, t.value), (x1, t.value)],
            6,
            4,
            TARGET.stroke_width(1),
        ))
        .map_err(e)?;
    if dl <= x1 {
        chart
            .draw_series(DashedLineSeries::new(
                [(dl, y0), (dl, y1)],
                3,
                3,
                TARGET.stroke_width(1),
            ))
            .map_err(e)?;
    }
    chart
        .draw_series(std::iter::once(Text::new(
            t.label.clone(),
            (x1 * 0.01, t.value),
            TextStyle::from((FAMILY, 14).into_font())
                .color(&TARGET)
                .pos(Pos::new(HPos::Left, VPos::Bottom)),
        )))
        .map_err(e)?;
    Ok(())
}

/// Height of a panel's heading: the name and a line of description.
const HEADING: u32 = 40;

/// Draws a panel's heading, the option's name and under it its description in smaller grey text
/// cut to the panel's width with an ellipsis (the report's table of options has it whole), and
/// returns the area below it.
fn heading<'a, DB: DrawingBackend>(
    area: &Area<'a, DB>,
    name: &str,
    description: &str,
) -> Result<Area<'a, DB>, String> {
    let (top, rest) = area.split_vertically(HEADING);
    let (w, _) = top.dim_in_pixel();
    let centre = |size: u32| {
        TextStyle::from((FAMILY, size).into_font()).pos(Pos::new(HPos::Center, VPos::Top))
    };
    top.draw(&Text::new(name.to_string(), (w as i32 / 2, 4), centre(16)))
        .map_err(e)?;
    let style = centre(13).color(&RGBColor(90, 90, 90));
    let room = w.saturating_sub(24);
    let fits = |t: &str| {
        top.estimate_text_size(t, &style)
            .map_or(true, |(tw, _)| tw <= room)
    };
    let mut text = description.to_string();
    if !fits(&text) {
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() && !fits(&(chars.iter().collect::<String>() + "…")) {
            chars.pop();
        }
        text = chars.iter().collect::<String>().trim_end().to_string() + "…";
    }
    top.draw(&Text::new(text, (w as i32 / 2, 23), style))
        .map_err(e)?;
    Ok(rest)
}

fn legend_entries<DB: DrawingBackend>(
    area: &Area<DB>,
    names: &[String],
    filled: bool,
) -> Result<(), String> {
    let mut x = 60;
    for (i, name) in names.iter().enumerate() {
        let c = colour(i);
        if filled {
            area.draw(&Rectangle::new([(x, 8), (x + 14, 20)], c.mix(0.8).filled()))
                .map_err(e)?;
        } else {
            area.draw(&PathElement::new(
                vec![(x, 14), (x + 16, 14)],
                c.stroke_width(3),
            ))
            .map_err(e)?;
        }
        area.draw(&Text::new(name.clone(), (x + 20, 7), (FAMILY, 15)))
            .map_err(e)?;
        let (w, _) = area
            .estimate_text_size(name, &TextStyle::from((FAMILY, 15).into_font()))
            .map_err(e)?;
        x += 20 + w as i32 + 18;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_range_starts_at_zero_and_is_never_empty() {
        assert_eq!(y_range([0.2, 0.4], Scale::Percent), (0.0, 0.4 + 0.02));
        assert_eq!(y_range_fitted([50.0, 60.0], Scale::Pounds), (49.5, 60.5));
        assert_eq!(y_range_fitted([50.0], Scale::Number), (0.0, 52.5));
        assert_eq!(y_range([0.0, 0.0], Scale::Percent), (0.0, 0.1));
        assert_eq!(y_range([50.0], Scale::Number), (0.0, 52.5));
        assert_eq!(y_range([0.0], Scale::Number), (0.0, 1.0));
        assert_eq!(y_range([f64::NAN], Scale::Number), (0.0, 1.0));
        let (lo, hi) = y_range([-10.0, 30.0], Scale::Pounds);
        assert_eq!((lo, hi), (-12.0, 32.0));
    }

    #[test]
    fn segments_skip_undefined_months() {
        let s = segments(&[f64::NAN, 1.0, 2.0, f64::NAN, 3.0]);
        assert_eq!(s, vec![vec![(1.0, 1.0), (2.0, 2.0)], vec![(4.0, 3.0)]]);
        let b = band(&[f64::NAN, 1.0, 2.0], &[f64::NAN, 3.0, 4.0]);
        assert_eq!(
            b,
            vec![vec![(1.0, 1.0), (2.0, 2.0), (2.0, 4.0), (1.0, 3.0)]]
        );
    }

    #[test]
    fn scale_labels() {
        assert_eq!(Scale::Percent.label(0.2), "20%");
        assert_eq!(Scale::Points.label(-0.025), "-2.5 pts");
        assert_eq!(Scale::Points.label(0.0), "+0.0 pts");
        assert_eq!(Scale::Points.label(-1e-9), "+0.0 pts");
        assert_eq!(Scale::Pounds.label(1_250_000.0), "£1.2m");
        assert_eq!(Scale::Pounds.label(-45_000.0), "-£45k");
        assert_eq!(Scale::Number.label(2.5), "2.5");
        assert_eq!(Scale::Number.label(120.0), "120");
    }
}
