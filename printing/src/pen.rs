//! A pen that writes down a page and turns to a new one when the page is
//! full: the receipt and the report lay themselves out with it.

use contract::print::{Align, Page, PageItem, Tone};

use super::fonts::{MM_PER_PT, measure};

pub(crate) struct Pen {
    pub pages: Vec<Page>,
    /// How far down the current page the next line starts (mm).
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub margin: f32,
}

impl Pen {
    pub fn new(width: f32, height: f32, margin: f32) -> Self {
        let mut pen = Self {
            pages: Vec::new(),
            y: margin,
            width,
            height,
            margin,
        };
        pen.page();
        pen
    }

    pub fn page(&mut self) {
        self.pages.push(Page {
            width_mm: self.width,
            height_mm: self.height,
            items: Vec::new(),
        });
        self.y = self.margin;
    }

    pub fn push(&mut self, item: PageItem) {
        if let Some(page) = self.pages.last_mut() {
            page.items.push(item);
        }
    }

    /// Whether `height` more millimetres fit on this page.
    pub fn fits(&self, height: f32) -> bool {
        self.y + height <= self.height - self.margin
    }

    /// Room for `height` more millimetres, else a new page.
    pub fn room(&mut self, height: f32) {
        if !self.fits(height) {
            self.page();
        }
    }

    pub fn text(&mut self, x: f32, size: f32, bold: bool, tone: Tone, align: Align, text: &str) {
        self.push(PageItem::Text {
            x_mm: x,
            y_mm: self.y + size * MM_PER_PT,
            size_pt: size,
            bold,
            tone,
            align,
            text: text.to_owned(),
        });
    }

    /// The height of one line of `size` points (mm).
    pub fn line_height(size: f32) -> f32 {
        size * MM_PER_PT * 1.45
    }

    pub fn next_line(&mut self, size: f32) {
        self.y += Self::line_height(size);
    }

    /// A rule across the page between the margins.
    pub fn rule(&mut self, tone: Tone) {
        self.push(PageItem::Line {
            x1_mm: self.margin,
            y1_mm: self.y,
            x2_mm: self.width - self.margin,
            y2_mm: self.y,
            width_pt: 0.6,
            tone,
        });
        self.y += 2.0;
    }
}

/// `text` cut with an ellipsis to fit `width` millimetres.
pub(crate) fn fit(text: &str, size: f32, bold: bool, width: f32) -> String {
    if measure(text, size, bold) <= width {
        return text.to_owned();
    }
    let mut out: String = text.to_owned();
    while !out.is_empty() && measure(&format!("{out}…"), size, bold) > width {
        out.pop();
    }
    format!("{}…", out.trim_end())
}
