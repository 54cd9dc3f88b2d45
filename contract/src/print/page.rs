//! What a printout shows (the data) and where (the positioned page
//! description the PDF writer and the print preview both draw).

use serde::{Deserialize, Serialize};

/// Everything a prescription printout shows, already formatted for people
/// (dates, ages and quantities as they should read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrintData {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: Option<String>,
    /// The clinic's logo as a `data:` URL; printed in the logo's place,
    /// which shows the clinic's initials without one.
    #[serde(default)]
    pub logo: Option<String>,
    pub doctor_name: String,
    pub doctor_qualification: Option<String>,
    pub doctor_specialization: Option<String>,
    /// Not every doctor has given one (an owner who registered the clinic).
    pub licence_number: Option<String>,
    pub office_name: String,
    pub prescription_number: String,
    pub visit_date: String,
    pub valid_until: String,
    pub patient: PrintPatient,
    pub chief_complaint: Option<String>,
    pub diagnosis: String,
    pub items: Vec<PrintItem>,
    pub general_instructions: Option<String>,
    pub follow_up_date: Option<String>,
    pub printed_at: String,
    pub status: String,
}

impl PrintData {
    /// "Reg. No. …" when the doctor has a registration number.
    pub fn registration_line(&self) -> Option<String> {
        self.licence_number
            .as_deref()
            .filter(|l| !l.trim().is_empty())
            .map(|l| format!("Reg. No. {l}"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrintPatient {
    pub name: String,
    pub age: Option<String>,
    pub gender: String,
    pub mobile: String,
    pub blood_group: Option<String>,
    pub allergies: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrintItem {
    pub medicine: String,
    pub dosage: String,
    pub frequency: String,
    pub duration: String,
    pub quantity: Option<u32>,
    pub instructions: Option<String>,
}

/// A laid-out document: what to draw where, in millimetres from the page's
/// top-left corner. The PDF writer and the print preview both draw this.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageDoc {
    pub pages: Vec<Page>,
}

impl PageDoc {
    /// Every line of text on every page, in drawing order: what a reader
    /// (or a test) sees printed.
    pub fn texts(&self) -> Vec<String> {
        self.pages.iter().flat_map(Page::texts).collect()
    }
}

impl Page {
    /// This page's lines of text, in drawing order.
    pub fn texts(&self) -> Vec<String> {
        self.items
            .iter()
            .filter_map(|i| match i {
                PageItem::Text { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub width_mm: f32,
    pub height_mm: f32,
    pub items: Vec<PageItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PageItem {
    /// One line of text; `y_mm` is the baseline and `x_mm` the anchor that
    /// `align` refers to (left edge, right edge or centre).
    Text {
        x_mm: f32,
        y_mm: f32,
        size_pt: f32,
        bold: bool,
        tone: Tone,
        align: Align,
        text: String,
    },
    Line {
        x1_mm: f32,
        y1_mm: f32,
        x2_mm: f32,
        y2_mm: f32,
        width_pt: f32,
        tone: Tone,
    },
    /// An image (the clinic's logo, a `data:image/png|jpeg;base64,` URL)
    /// fitted inside the box, keeping its proportions, centred.
    Image {
        x_mm: f32,
        y_mm: f32,
        w_mm: f32,
        h_mm: f32,
        data_url: String,
    },
    /// A filled rectangle.
    Rect {
        x_mm: f32,
        y_mm: f32,
        w_mm: f32,
        h_mm: f32,
        tone: Tone,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Align {
    Left,
    Right,
    Center,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tone {
    Ink,
    Muted,
    Accent,
    AccentSoft,
    Rule,
}

impl Tone {
    /// The colour, as sRGB, shared by the PDF and the preview.
    pub fn rgb(self) -> (u8, u8, u8) {
        match self {
            Self::Ink => (0x1a, 0x1d, 0x21),
            Self::Muted => (0x5f, 0x66, 0x6d),
            Self::Accent => (0x0b, 0x5d, 0x7a),
            Self::AccentSoft => (0xe3, 0xf0, 0xf4),
            Self::Rule => (0xb8, 0xc0, 0xc6),
        }
    }

    /// `#rrggbb`, for CSS.
    pub fn hex(self) -> String {
        let (r, g, b) = self.rgb();
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}
