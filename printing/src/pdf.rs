//! Writes a laid-out [`PageDoc`] as a PDF with krilla. Text is drawn one
//! script run at a time with the bundled font for that script, positioned
//! by the same shaped widths the layout measured with, so alignment in the
//! PDF is what the layout (and the preview) computed.

use std::sync::OnceLock;

use contract::print::{Align, PageDoc, PageItem, Tone};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, LineCap, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::fonts::{FontKey, Run, run_width_pt, runs};

/// Points per millimetre.
const PT_PER_MM: f32 = 72.0 / 25.4;

#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    #[error("the bundled font {0:?} could not be read")]
    Font(FontKey),
    #[error("the document has no pages")]
    NoPages,
    #[error("page {page} has an impossible size of {width_mm} × {height_mm} mm")]
    PageSize {
        page: usize,
        width_mm: f32,
        height_mm: f32,
    },
    #[error("writing the PDF failed: {0}")]
    Pdf(String),
}

/// The krilla fonts, built once: krilla recognises a font it has already
/// embedded by identity, so every page and run shares one copy.
fn font(key: FontKey) -> Result<Font, PrintError> {
    static FONTS: OnceLock<Vec<(FontKey, Option<Font>)>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            FontKey::all()
                .map(|k| (k, Font::new(k.bytes().into(), 0)))
                .collect()
        })
        .iter()
        .find(|(k, _)| *k == key)
        .and_then(|(_, f)| f.clone())
        .ok_or(PrintError::Font(key))
}

/// Renders `doc` as PDF bytes with `title` in the document's metadata.
pub fn to_pdf(doc: &PageDoc, title: &str) -> Result<Vec<u8>, PrintError> {
    if doc.pages.is_empty() {
        return Err(PrintError::NoPages);
    }
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(title.to_owned())
            .creator("Clinic".to_owned())
            .language("en".to_owned()),
    );
    for (n, page) in doc.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(page.width_mm * PT_PER_MM, page.height_mm * PT_PER_MM).ok_or(
            PrintError::PageSize {
                page: n + 1,
                width_mm: page.width_mm,
                height_mm: page.height_mm,
            },
        )?;
        let mut pdf_page = document.start_page_with(settings);
        let mut surface = pdf_page.surface();
        for item in &page.items {
            draw(&mut surface, item)?;
        }
        surface.finish();
        pdf_page.finish();
    }
    document.finish().map_err(|e| PrintError::Pdf(e.to_string()))
}

fn colour(tone: Tone) -> rgb::Color {
    let (r, g, b) = tone.rgb();
    rgb::Color::new(r, g, b)
}

fn fill(tone: Tone) -> Fill {
    Fill {
        paint: colour(tone).into(),
        opacity: NormalizedF32::ONE,
        rule: Default::default(),
    }
}

fn draw(surface: &mut Surface<'_>, item: &PageItem) -> Result<(), PrintError> {
    match item {
        PageItem::Text {
            x_mm,
            y_mm,
            size_pt,
            bold,
            tone,
            align,
            text,
        } => {
            surface.set_stroke(None);
            surface.set_fill(Some(fill(*tone)));
            let anchor = Point::from_xy(x_mm * PT_PER_MM, y_mm * PT_PER_MM);
            draw_text(surface, anchor, *size_pt, *bold, *align, text)?;
        }
        PageItem::Line {
            x1_mm,
            y1_mm,
            x2_mm,
            y2_mm,
            width_pt,
            tone,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(x1_mm * PT_PER_MM, y1_mm * PT_PER_MM);
            path.line_to(x2_mm * PT_PER_MM, y2_mm * PT_PER_MM);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(Stroke {
                    paint: colour(*tone).into(),
                    width: *width_pt,
                    // Square caps close the corners where rules meet.
                    line_cap: LineCap::Square,
                    ..Default::default()
                }));
                surface.draw_path(&path);
            }
        }
        PageItem::Image {
            x_mm,
            y_mm,
            w_mm,
            h_mm,
            data_url,
        } => draw_image(surface, (*x_mm, *y_mm, *w_mm, *h_mm), data_url),
        PageItem::Rect {
            x_mm,
            y_mm,
            w_mm,
            h_mm,
            tone,
        } => {
            let rect = Rect::from_xywh(
                x_mm * PT_PER_MM,
                y_mm * PT_PER_MM,
                w_mm * PT_PER_MM,
                h_mm * PT_PER_MM,
            );
            let mut path = PathBuilder::new();
            if let Some(rect) = rect {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(fill(*tone)));
                surface.draw_path(&path);
            }
        }
    }
    Ok(())
}

/// A PNG or JPEG `data:` URL decoded for the PDF; `None` when it is not
/// one (the settings check the header only, so a damaged file gets here).
fn image_of(data_url: &str) -> Option<Image> {
    use base64::Engine;
    let (head, data) = data_url.split_once(',')?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).ok()?;
    match head {
        "data:image/png;base64" => Image::from_png(bytes.into(), true).ok(),
        "data:image/jpeg;base64" => Image::from_jpeg(bytes.into(), true).ok(),
        _ => None,
    }
}

/// The image fitted inside the box (x, y, w, h in mm), proportions kept,
/// centred. A logo that cannot be read leaves its box empty: it must not
/// stop a prescription from printing.
fn draw_image(surface: &mut Surface<'_>, (x, y, w, h): (f32, f32, f32, f32), data_url: &str) {
    let Some(image) = image_of(data_url) else {
        return;
    };
    let (px_w, px_h) = image.size();
    if px_w == 0 || px_h == 0 {
        return;
    }
    let scale = (w / px_w as f32).min(h / px_h as f32);
    let (fit_w, fit_h) = (px_w as f32 * scale, px_h as f32 * scale);
    let Some(size) = Size::from_wh(fit_w * PT_PER_MM, fit_h * PT_PER_MM) else {
        return;
    };
    let (left, top) = (x + (w - fit_w) / 2.0, y + (h - fit_h) / 2.0);
    surface.push_transform(&Transform::from_translate(left * PT_PER_MM, top * PT_PER_MM));
    surface.draw_image(image, size);
    surface.pop();
}

/// One line of text, one krilla call per script run, each run starting
/// where the previous one's shaped advance ended.
fn draw_text(
    surface: &mut Surface<'_>,
    anchor: Point,
    size_pt: f32,
    bold: bool,
    align: Align,
    text: &str,
) -> Result<(), PrintError> {
    let runs: Vec<(Run<'_>, f32)> = runs(text, bold)
        .into_iter()
        .map(|r| (r, run_width_pt(r, size_pt)))
        .collect();
    let total: f32 = runs.iter().map(|(_, w)| w).sum();
    let mut x = match align {
        Align::Left => anchor.x,
        Align::Right => anchor.x - total,
        Align::Center => anchor.x - total / 2.0,
    };
    for (run, width) in runs {
        surface.draw_text(
            Point::from_xy(x, anchor.y),
            font(run.font)?,
            size_pt,
            run.text,
            false,
            TextDirection::Auto,
        );
        x += width;
    }
    Ok(())
}
