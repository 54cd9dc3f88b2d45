//! Lays a prescription out on pages: a cursor that moves down the page and
//! breaks to a new page when a block does not fit, and the footer that
//! numbers the pages. The letterhead is in `header.rs`, the other sections
//! in `sections.rs`, the medicines table in `table.rs`, text setting in
//! `text.rs`.

use contract::print::{Align, Page, PageDoc, PageItem, Preset, PrintData, PrintLayout, Tone};

use super::fonts::MM_PER_PT;
use super::text::{Block, Font};
use super::{header, sections, table};

/// Lays `data` out on `layout`'s paper. Always at least one page.
pub fn layout(data: &PrintData, layout: &PrintLayout) -> PageDoc {
    let mut sheet = Sheet::new(layout, data);
    header::header(&mut sheet, data, layout);
    sections::meta(&mut sheet, data);
    sections::patient(&mut sheet, data, layout);
    sections::clinical(&mut sheet, data);
    table::items(&mut sheet, data, layout);
    sections::closing(&mut sheet, data, layout);
    sheet.finish(data)
}

/// Type sizes and the look of one preset on one paper.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub preset: Preset,
    /// Body text, in points.
    pub body: f32,
    pub small: f32,
    pub title: f32,
    /// Space between sections, in millimetres.
    pub gap: f32,
}

impl Style {
    fn new(preset: Preset, content_width: f32, content_height: f32) -> Self {
        // Narrow paper (A5 portrait) gets smaller type so the table keeps
        // its columns readable, short paper (landscape) so a usual
        // prescription still fits on one page.
        let scale = if content_width < 150.0 || content_height < 140.0 {
            0.85
        } else if content_height < 200.0 {
            0.9
        } else {
            1.0
        };
        let (title, gap) = match preset {
            Preset::Classic => (17.0, 4.5),
            Preset::Modern => (20.0, 6.0),
            Preset::Minimal => (14.0, 3.5),
        };
        Self {
            preset,
            body: 10.0 * scale,
            small: 8.0 * scale,
            title: title * scale,
            gap: gap * scale,
        }
    }

    pub fn font(&self, size: f32, bold: bool, tone: Tone) -> Font {
        Font { size, bold, tone }
    }

    pub fn body(&self) -> Font {
        self.font(self.body, false, Tone::Ink)
    }

    pub fn strong(&self) -> Font {
        self.font(self.body, true, Tone::Ink)
    }

    pub fn label(&self) -> Font {
        self.font(self.small, false, Tone::Muted)
    }
}

/// The pages so far and the cursor on the last one.
#[derive(Debug)]
pub struct Sheet {
    pub style: Style,
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    /// Lowest y content may reach; the footer lives below it.
    pub bottom: f32,
    /// Top of the next block.
    pub y: f32,
    pages: Vec<Page>,
    /// Set at the top of every page after the first, so a loose page still
    /// says whose prescription it is.
    continued: String,
}

impl Sheet {
    fn new(layout: &PrintLayout, data: &PrintData) -> Self {
        let (width, height) = layout.page_size_mm();
        let m = layout.margins;
        let style = Style::new(layout.preset, width - m.left - m.right, height - m.top - m.bottom);
        let footer = style.small * MM_PER_PT * 1.42 + 4.0;
        let mut sheet = Self {
            style,
            width,
            height,
            left: m.left,
            right: width - m.right,
            top: m.top,
            bottom: height - m.bottom - footer,
            y: m.top,
            pages: Vec::new(),
            continued: format!("{} · {} · continued", data.prescription_number, data.patient.name),
        };
        sheet.add_page();
        sheet
    }

    pub fn content_width(&self) -> f32 {
        self.right - self.left
    }

    fn add_page(&mut self) {
        self.pages.push(Page {
            width_mm: self.width,
            height_mm: self.height,
            items: Vec::new(),
        });
        self.y = self.top;
    }

    /// Starts a new page, headed by whose prescription it continues.
    pub fn new_page(&mut self) {
        self.add_page();
        let font = self.style.label();
        let line = self.continued.clone();
        self.text(self.left, self.y + font.ascent(), font, Align::Left, &line);
        self.y += font.line_h() + self.style.gap;
    }

    /// Makes sure `height` fits below the cursor, breaking the page if not
    /// (unless the page is still empty, where breaking would not help).
    /// Returns whether it broke.
    pub fn ensure(&mut self, height: f32) -> bool {
        let fresh = self.pages.last().is_none_or(|p| p.items.len() <= 1);
        if self.y + height > self.bottom && !fresh {
            self.new_page();
            return true;
        }
        false
    }

    fn push(&mut self, item: PageItem) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    pub fn text(&mut self, x: f32, baseline: f32, font: Font, align: Align, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        self.push(PageItem::Text {
            x_mm: x,
            y_mm: baseline,
            size_pt: font.size,
            bold: font.bold,
            tone: font.tone,
            align,
            text: text.to_owned(),
        });
    }

    pub fn line(&mut self, from: (f32, f32), to: (f32, f32), width_pt: f32, tone: Tone) {
        self.push(PageItem::Line {
            x1_mm: from.0,
            y1_mm: from.1,
            x2_mm: to.0,
            y2_mm: to.1,
            width_pt,
            tone,
        });
    }

    pub fn image(&mut self, x: f32, y: f32, side: f32, data_url: &str) {
        self.push(PageItem::Image {
            x_mm: x,
            y_mm: y,
            w_mm: side,
            h_mm: side,
            data_url: data_url.to_owned(),
        });
    }

    pub fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, tone: Tone) {
        self.push(PageItem::Rect {
            x_mm: x,
            y_mm: y,
            w_mm: w,
            h_mm: h,
            tone,
        });
    }

    /// Writes `block` at the cursor line by line, breaking the page where
    /// a line does not fit, and moves below it.
    pub fn flow(&mut self, block: &Block, x: f32) {
        for (font, line) in &block.lines {
            self.ensure(font.line_h());
            self.text(x, self.y + font.ascent(), *font, Align::Left, line);
            self.y += font.line_h();
        }
    }

    /// Adds the footer to every page, now that the page count is known.
    fn finish(mut self, data: &PrintData) -> PageDoc {
        let total = self.pages.len();
        let font = self.style.label();
        for n in 1..=total {
            let text = format!(
                "Printed {} · Valid until {} · page {n} of {total}",
                data.printed_at, data.valid_until
            );
            let baseline = self.bottom + 4.0 + font.ascent();
            let items = footer(&self, baseline, font, text);
            if let Some(page) = self.pages.get_mut(n - 1) {
                page.items.extend(items);
            }
        }
        PageDoc { pages: self.pages }
    }
}

fn footer(sheet: &Sheet, baseline: f32, font: Font, text: String) -> Vec<PageItem> {
    let (x, align) = match sheet.style.preset {
        Preset::Minimal => (sheet.left, Align::Left),
        _ => ((sheet.left + sheet.right) / 2.0, Align::Center),
    };
    let mut items = Vec::new();
    if sheet.style.preset != Preset::Minimal {
        let y = baseline - font.ascent() - 1.5;
        let tone = if sheet.style.preset == Preset::Modern {
            Tone::Accent
        } else {
            Tone::Rule
        };
        items.push(PageItem::Line {
            x1_mm: sheet.left,
            y1_mm: y,
            x2_mm: sheet.right,
            y2_mm: y,
            width_pt: 0.5,
            tone,
        });
    }
    items.push(PageItem::Text {
        x_mm: x,
        y_mm: baseline,
        size_pt: font.size,
        bold: false,
        tone: Tone::Muted,
        align,
        text,
    });
    items
}
