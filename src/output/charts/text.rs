//! Text for PNG charts, drawn right.
//!
//! plotters draws ab_glyph text with each glyph placed at the pen position without its left side
//! bearing, so letters with a wide bearing sit apart from the one before ("Agen cy",
//! "leavingrate"). [`Glyphs`] wraps a bitmap backend, passes every drawing call through unchanged
//! and draws text itself: each glyph outlined at its own position along the line (advance and
//! kerning in fractions of a pixel) and rasterised with its coverage, with the same measured box,
//! anchors and rotations as plotters, so layouts do not move. SVG charts are text for the browser
//! and need none of this.

use ab_glyph::{Font, FontRef, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// The most characters of a scenario's text a chart lays out: more than the widest chart's line
/// holds (960 pixels, about 260 characters of 13-pixel text), so that a text is cut to what fits
/// exactly as before, but few enough that cutting it to the panel's width (a measure of the text
/// for each character taken off) takes a moment however long the text is.
pub const MOST_CHARS: usize = 400;

/// `text` as a chart takes it: whole when it has at most [`MOST_CHARS`] characters, else its
/// first characters and an ellipsis (the report and workbook have it whole).
pub fn clip(text: &str) -> String {
    let mut at = text.char_indices().map(|(i, _)| i);
    match (at.nth(MOST_CHARS - 1), at.next()) {
        // More than MOST_CHARS characters: the first MOST_CHARS - 1 and an ellipsis.
        (Some(end), Some(_)) => format!("{}…", &text[..end]),
        _ => text.to_string(),
    }
}

/// A drawing backend that draws text with the given font and everything else with `DB`.
pub struct Glyphs<'f, DB> {
    inner: DB,
    font: FontRef<'f>,
}

impl<'f, DB> Glyphs<'f, DB> {
    pub fn new(inner: DB, font: FontRef<'f>) -> Self {
        Glyphs { inner, font }
    }
}

impl<DB: DrawingBackend> DrawingBackend for Glyphs<'_, DB> {
    type ErrorType = DB::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    /// As plotters' own `draw_text` (the box from the style's measure, the anchor, the rotation),
    /// with each glyph drawn at its outline's own bounds.
    fn draw_text<TStyle: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &TStyle,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let ((min_x, min_y), (max_x, max_y)) = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let (width, height) = (max_x - min_x, max_y - min_y);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0,
            HPos::Right => -width,
            HPos::Center => -width / 2,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0,
            VPos::Center => -height / 2,
            VPos::Bottom => -height,
        };
        let trans = style.transform();
        let (w, h) = self.inner.get_size();
        for (x, y, coverage) in rasterise(&self.font, style.size() as f32, text) {
            let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
            let (x, y) = (pos.0 + x, pos.1 + y);
            if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 {
                let c = BackendColor {
                    alpha: color.alpha * f64::from(coverage),
                    rgb: color.rgb,
                };
                self.inner.draw_pixel((x, y), c)?;
            }
        }
        Ok(())
    }
}

/// The pixels of `text` at `size` pixels, as `(x, y, coverage)` with the line starting at x = 0
/// and its baseline at half the size down, where plotters puts it.
pub fn rasterise(font: &FontRef<'_>, size: f32, text: &str) -> Vec<(i32, i32, f32)> {
    let scaled = font.as_scaled(size);
    let mut pixels = Vec::new();
    let mut pen = 0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        let glyph = id.with_scale_and_position(size, point(pen, size / 2.0));
        if let Some(outline) = font.outline_glyph(glyph) {
            let bounds = outline.px_bounds();
            let (left, top) = (bounds.min.x as i32, bounds.min.y as i32);
            outline.draw(|x, y, coverage| {
                if coverage > 0.0 {
                    pixels.push((left + x as i32, top + y as i32, coverage));
                }
            });
        }
        pen += scaled.h_advance(id);
    }
    pixels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_text_is_clipped_before_layout_and_a_short_one_kept() {
        assert_eq!(clip("A £3,000 supplement"), "A £3,000 supplement");
        let exact = "é".repeat(MOST_CHARS);
        assert_eq!(clip(&exact), exact);
        let long = "é".repeat(32_767);
        let c = clip(&long);
        assert_eq!(c.chars().count(), MOST_CHARS);
        assert!(c.ends_with("é…"));
    }

    fn font() -> FontRef<'static> {
        FontRef::try_from_slice(include_bytes!("../../../assets/fonts/DejaVuSans.ttf")).unwrap()
    }

    /// The columns with ink, and the widest run of blank columns between the first and last.
    fn widest_gap(pixels: &[(i32, i32, f32)]) -> (i32, i32) {
        let mut cols: Vec<i32> = pixels.iter().map(|p| p.0).collect();
        cols.sort_unstable();
        cols.dedup();
        let gap = cols.windows(2).map(|w| w[1] - w[0] - 1).max().unwrap_or(0);
        (cols[cols.len() - 1] - cols[0] + 1, gap)
    }

    #[test]
    fn a_word_has_no_gap_between_its_letters() {
        // At 14 px the letters of "Agency" touch or sit one pixel apart; plotters' own drawing
        // left a gap of two blank columns inside the word.
        let (_, gap) = widest_gap(&rasterise(&font(), 14.0, "Agency"));
        assert!(gap <= 1, "a gap of {gap} blank columns");
        let (_, gap) = widest_gap(&rasterise(&font(), 14.0, "leaving"));
        assert!(gap <= 1, "a gap of {gap} blank columns");
    }

    #[test]
    fn a_space_is_wider_than_any_gap_inside_a_word() {
        let (_, word) = widest_gap(&rasterise(&font(), 14.0, "leavingrate"));
        let (_, spaced) = widest_gap(&rasterise(&font(), 14.0, "leaving rate"));
        assert!(spaced >= word + 3, "{spaced} against {word}");
    }

    #[test]
    fn the_ink_spans_the_measured_width() {
        // The line's advance at 14 px, as plotters measures it for layout, and the ink drawn:
        // within a pixel or two (the last glyph's right bearing).
        let f = font();
        let scaled = f.as_scaled(14.0);
        let advance: f32 = "Agency"
            .chars()
            .map(|c| scaled.h_advance(scaled.glyph_id(c)))
            .sum();
        let (ink, _) = widest_gap(&rasterise(&f, 14.0, "Agency"));
        assert!(
            (advance - ink as f32).abs() <= 2.0,
            "{advance} against {ink}"
        );
    }
}
