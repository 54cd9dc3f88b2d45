//! Prescription printing (docs/DOMAIN.md): the print layouts a clinic keeps (per
//! doctor and office, with a clinic-wide default), the data a printout
//! shows, and the positioned page description that both the PDF writer on
//! the PC and the UI's print preview draw, so the preview is the paper.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use domain::ValidationError;
use domain::string_enum;
use domain::text;

string_enum!(
    /// Paper sizes we print on.
    Paper { A4 => "a4", A5 => "a5", Letter => "letter" }
);

string_enum!(Orientation { Portrait => "portrait", Landscape => "landscape" });

string_enum!(
    /// A named look: classic (boxed header, ruled table), modern (colour
    /// band, open table) and minimal (compact, for A5).
    Preset { Classic => "classic", Modern => "modern", Minimal => "minimal" }
);

string_enum!(
    /// Patient details a layout may show, in the order chosen.
    PatientField {
        Name => "name", Age => "age", Gender => "gender", Mobile => "mobile",
        BloodGroup => "blood_group", Allergies => "allergies",
    }
);

string_enum!(
    /// Columns of the medicines table, in the order chosen.
    ItemColumn {
        Medicine => "medicine", Dosage => "dosage", Frequency => "frequency",
        Duration => "duration", Quantity => "quantity", Instructions => "instructions",
    }
);

impl Paper {
    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f32, f32) {
        match self {
            Self::A4 => (210.0, 297.0),
            Self::A5 => (148.0, 210.0),
            Self::Letter => (215.9, 279.4),
        }
    }
}

impl PatientField {
    pub fn label(self) -> &'static str {
        match self {
            Self::Name => "Name",
            Self::Age => "Age",
            Self::Gender => "Gender",
            Self::Mobile => "Mobile",
            Self::BloodGroup => "Blood group",
            Self::Allergies => "Allergies",
        }
    }
}

impl ItemColumn {
    /// The table heading.
    pub fn label(self) -> &'static str {
        match self {
            Self::Medicine => "Medicine",
            Self::Dosage => "Dosage",
            Self::Frequency => "Frequency",
            Self::Duration => "Duration",
            Self::Quantity => "Qty",
            Self::Instructions => "Instructions",
        }
    }
}

/// Margins in millimetres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

/// Each margin may be 0 to 50 mm.
pub const MARGIN_MM: std::ops::RangeInclusive<f32> = 0.0..=50.0;
/// What the margins must leave for the content: narrower than this and the
/// medicines table cannot be read.
pub const MIN_CONTENT_MM: (f32, f32) = (90.0, 120.0);
/// Longest layout name.
pub const NAME_MAX: usize = 80;

impl Margins {
    pub fn all(mm: f32) -> Self {
        Self {
            top: mm,
            right: mm,
            bottom: mm,
            left: mm,
        }
    }
}

/// Show/hide switches. Fields missing from a stored row take the preset's
/// value (see [`PrintLayout::from_row`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LayoutOptions {
    pub show_logo: bool,
    pub show_header: bool,
    pub show_licence: bool,
    pub show_signature: bool,
    pub patient_fields: Vec<PatientField>,
    pub columns: Vec<ItemColumn>,
}

/// A print layout: one row of `print_layouts`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PrintLayout {
    pub id: Option<String>,
    pub doctor_id: Option<String>,
    pub office_id: Option<String>,
    pub name: String,
    pub preset: Preset,
    pub paper: Paper,
    pub orientation: Orientation,
    pub margins: Margins,
    pub options: LayoutOptions,
}

impl PrintLayout {
    /// A clinic-wide layout with the preset's defaults.
    pub fn from_preset(preset: Preset) -> Self {
        use ItemColumn as C;
        use PatientField as P;
        let every_field = PatientField::ALL.to_vec();
        let (paper, margins, options) = match preset {
            Preset::Classic => (
                Paper::A4,
                Margins::all(15.0),
                LayoutOptions {
                    show_logo: true,
                    show_header: true,
                    show_licence: true,
                    show_signature: true,
                    patient_fields: every_field,
                    columns: ItemColumn::ALL.to_vec(),
                },
            ),
            Preset::Modern => (
                Paper::A4,
                Margins::all(14.0),
                LayoutOptions {
                    show_logo: true,
                    show_header: true,
                    show_licence: true,
                    show_signature: true,
                    patient_fields: every_field,
                    columns: vec![C::Medicine, C::Dosage, C::Frequency, C::Duration, C::Instructions],
                },
            ),
            Preset::Minimal => (
                Paper::A5,
                Margins::all(10.0),
                LayoutOptions {
                    show_logo: false,
                    show_header: true,
                    show_licence: true,
                    show_signature: false,
                    patient_fields: vec![P::Name, P::Age, P::Gender, P::Allergies],
                    columns: vec![C::Medicine, C::Dosage, C::Frequency, C::Duration],
                },
            ),
        };
        Self {
            id: None,
            doctor_id: None,
            office_id: None,
            name: format!(
                "{} ({})",
                capitalised(preset.as_str()),
                paper.as_str().to_uppercase()
            ),
            preset,
            paper,
            orientation: Orientation::Portrait,
            margins,
            options,
        }
    }

    /// Page width and height in millimetres, after orientation.
    pub fn page_size_mm(&self) -> (f32, f32) {
        let (w, h) = self.paper.size_mm();
        match self.orientation {
            Orientation::Portrait => (w, h),
            Orientation::Landscape => (h, w),
        }
    }

    /// Checks the layout; returns it with the name trimmed and repeated
    /// fields or columns dropped.
    pub fn validate(&self) -> Result<PrintLayout, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let mut layout = self.clone();
        match text::required("name", &self.name, NAME_MAX) {
            Ok(name) => layout.name = name,
            Err(e) => errors.push(e),
        }
        errors.extend(self.margin_errors());
        dedup(&mut layout.options.patient_fields);
        dedup(&mut layout.options.columns);
        if !layout.options.columns.contains(&ItemColumn::Medicine) {
            errors.push(ValidationError::new(
                "columns",
                "must include the medicine column",
            ));
        }
        if let Some(doctor) = &self.doctor_id
            && uuid::Uuid::parse_str(doctor).is_err()
        {
            errors.push(ValidationError::new("doctor_id", "must be a doctor's id"));
        }
        match (&self.office_id, &self.doctor_id) {
            (Some(_), None) => {
                errors.push(ValidationError::new(
                    "office_id",
                    "an office layout needs a doctor",
                ));
            }
            (Some(office), Some(_)) if office.trim().is_empty() || office.chars().count() > 40 => {
                errors.push(ValidationError::new("office_id", "must be 1 to 40 characters"));
            }
            _ => {}
        }
        if errors.is_empty() {
            Ok(layout)
        } else {
            Err(errors)
        }
    }

    fn margin_errors(&self) -> Vec<ValidationError> {
        let m = self.margins;
        let mut errors: Vec<ValidationError> = [
            ("margins.top", m.top),
            ("margins.right", m.right),
            ("margins.bottom", m.bottom),
            ("margins.left", m.left),
        ]
        .into_iter()
        .filter(|(_, v)| !MARGIN_MM.contains(v))
        .map(|(f, _)| ValidationError::new(f, "must be between 0 and 50 mm"))
        .collect();
        let (w, h) = self.page_size_mm();
        if errors.is_empty()
            && (w - m.left - m.right < MIN_CONTENT_MM.0 || h - m.top - m.bottom < MIN_CONTENT_MM.1)
        {
            errors.push(ValidationError::new(
                "margins",
                format!(
                    "leave too little room on this paper (at least {} × {} mm are needed)",
                    MIN_CONTENT_MM.0, MIN_CONTENT_MM.1
                ),
            ));
        }
        errors
    }

    /// The synced columns of `print_layouts` (without `id`).
    pub fn to_fields(&self) -> Map<String, Value> {
        let m = self.margins;
        let mut fields = Map::new();
        fields.insert("doctor_id".into(), json!(self.doctor_id));
        fields.insert("office_id".into(), json!(self.office_id));
        fields.insert("name".into(), json!(self.name));
        fields.insert("preset".into(), json!(self.preset.as_str()));
        fields.insert("paper".into(), json!(self.paper.as_str()));
        fields.insert("orientation".into(), json!(self.orientation.as_str()));
        fields.insert(
            "margins_mm".into(),
            json!({"top": m.top, "right": m.right, "bottom": m.bottom, "left": m.left}),
        );
        fields.insert("options".into(), json!(self.options));
        fields
    }

    /// Reads a stored row. Columns left empty (the database defaults, or an
    /// options object that predates a switch) take the preset's values;
    /// `None` when the row has no name or holds a value we do not know.
    pub fn from_row(row: &Map<String, Value>) -> Option<PrintLayout> {
        let text_of = |key: &str| row.get(key).and_then(Value::as_str).map(str::to_owned);
        let preset = match row.get("preset") {
            None | Some(Value::Null) => Preset::Classic,
            Some(v) => Preset::parse(v.as_str()?)?,
        };
        let base = Self::from_preset(preset);
        let paper = match row.get("paper") {
            None | Some(Value::Null) => base.paper,
            Some(v) => Paper::parse(v.as_str()?)?,
        };
        let orientation = match row.get("orientation") {
            None | Some(Value::Null) => base.orientation,
            Some(v) => Orientation::parse(v.as_str()?)?,
        };
        let margins = merged(json!(base.margins), row.get("margins_mm"))?;
        let options = merged(json!(base.options), row.get("options"))?;
        Some(PrintLayout {
            id: text_of("id"),
            doctor_id: text_of("doctor_id"),
            office_id: text_of("office_id"),
            name: text_of("name")?,
            preset,
            paper,
            orientation,
            margins,
            options,
        })
    }
}

/// `stored` (an object, or JSON text of one) laid over `base`.
fn merged<T: serde::de::DeserializeOwned>(base: Value, stored: Option<&Value>) -> Option<T> {
    let stored = match stored {
        Some(Value::String(raw)) => serde_json::from_str(raw).ok()?,
        Some(v) => v.clone(),
        None => Value::Null,
    };
    let mut out = base;
    if let (Value::Object(out), Value::Object(stored)) = (&mut out, stored) {
        out.extend(stored);
    }
    serde_json::from_value(out).ok()
}

fn dedup<T: PartialEq + Copy>(list: &mut Vec<T>) {
    let mut seen = Vec::with_capacity(list.len());
    list.retain(|v| {
        let new = !seen.contains(v);
        seen.push(*v);
        new
    });
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The layout to print with for this doctor in this office: the most
/// specific wins (doctor and office, then the doctor's, then the clinic
/// default), else the classic preset.
pub fn choose(layouts: &[PrintLayout], doctor_id: &str, office_id: &str) -> PrintLayout {
    let scoped = |doctor: Option<&str>, office: Option<&str>| {
        layouts
            .iter()
            .find(|l| l.doctor_id.as_deref() == doctor && l.office_id.as_deref() == office)
    };
    scoped(Some(doctor_id), Some(office_id))
        .or_else(|| scoped(Some(doctor_id), None))
        .or_else(|| scoped(None, None))
        .cloned()
        .unwrap_or_else(|| PrintLayout::from_preset(Preset::Classic))
}

mod page;
mod receipt;
mod report;

pub use page::*;
pub use receipt::*;
pub use report::*;

#[cfg(test)]
mod tests;
