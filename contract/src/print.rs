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

/// Everything a prescription printout shows, already formatted for people
/// (dates, ages and quantities as they should read).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PrintData {
    pub clinic_name: String,
    pub clinic_address: String,
    pub clinic_phone: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    const DOCTOR: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    const OTHER_DOCTOR: &str = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c";

    fn scoped(name: &str, doctor: Option<&str>, office: Option<&str>) -> PrintLayout {
        PrintLayout {
            name: name.into(),
            doctor_id: doctor.map(Into::into),
            office_id: office.map(Into::into),
            ..PrintLayout::from_preset(Preset::Modern)
        }
    }

    fn chosen(layouts: &[PrintLayout]) -> String {
        choose(layouts, DOCTOR, "main").name
    }

    #[test]
    fn choose_prefers_doctor_and_office() {
        let all = [
            scoped("clinic", None, None),
            scoped("doctor", Some(DOCTOR), None),
            scoped("doctor+office", Some(DOCTOR), Some("main")),
            scoped("other office", Some(DOCTOR), Some("annex")),
        ];
        assert_eq!(chosen(&all), "doctor+office");
    }

    #[test]
    fn choose_falls_back_to_the_doctors_layout() {
        let all = [
            scoped("clinic", None, None),
            scoped("other doctor", Some(OTHER_DOCTOR), Some("main")),
            scoped("doctor", Some(DOCTOR), None),
            scoped("other office", Some(DOCTOR), Some("annex")),
        ];
        assert_eq!(chosen(&all), "doctor");
    }

    #[test]
    fn choose_falls_back_to_the_clinic_default() {
        let all = [
            scoped("other doctor", Some(OTHER_DOCTOR), None),
            scoped("clinic", None, None),
        ];
        assert_eq!(chosen(&all), "clinic");
    }

    #[test]
    fn choose_without_any_layout_is_classic() {
        let only_others = [scoped("other doctor", Some(OTHER_DOCTOR), None)];
        let got = choose(&only_others, DOCTOR, "main");
        assert_eq!(got, PrintLayout::from_preset(Preset::Classic));
        assert_eq!(choose(&[], DOCTOR, "main").preset, Preset::Classic);
    }

    #[test]
    fn every_preset_is_valid_and_they_differ() {
        for preset in Preset::ALL {
            let layout = PrintLayout::from_preset(*preset);
            assert_eq!(layout.validate(), Ok(layout.clone()), "{preset:?}");
            assert_eq!(layout.preset, *preset);
        }
        let minimal = PrintLayout::from_preset(Preset::Minimal);
        assert_eq!(minimal.paper, Paper::A5);
        assert!(!minimal.options.show_logo && !minimal.options.show_signature);
        assert!(minimal.options.columns.len() < ItemColumn::ALL.len());
    }

    fn fields_of(errors: Vec<ValidationError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn validate_rejects_margins_out_of_range() {
        let mut layout = PrintLayout::from_preset(Preset::Classic);
        layout.margins.top = -1.0;
        layout.margins.left = 50.5;
        layout.margins.right = f32::NAN;
        let errors = layout.validate().map_err(fields_of);
        assert_eq!(
            errors,
            Err(vec![
                "margins.top".into(),
                "margins.right".into(),
                "margins.left".into()
            ])
        );
        layout.margins = Margins::all(50.0);
        assert!(layout.validate().is_ok(), "50 mm on A4 leaves room");
    }

    #[test]
    fn validate_rejects_margins_that_leave_no_room() {
        let mut layout = PrintLayout::from_preset(Preset::Minimal);
        layout.margins = Margins::all(30.0);
        assert_eq!(layout.validate().map_err(fields_of), Err(vec!["margins".into()]));
    }

    #[test]
    fn validate_needs_the_medicine_column_and_a_name() {
        let mut layout = PrintLayout::from_preset(Preset::Classic);
        layout.options.columns.clear();
        layout.name = "  ".into();
        assert_eq!(
            layout.validate().map_err(fields_of),
            Err(vec!["name".into(), "columns".into()])
        );
        layout.options.columns = vec![ItemColumn::Dosage];
        layout.name = "x".repeat(NAME_MAX + 1);
        assert_eq!(
            layout.validate().map_err(fields_of),
            Err(vec!["name".into(), "columns".into()])
        );
    }

    #[test]
    fn validate_trims_and_drops_repeats() {
        let mut layout = PrintLayout::from_preset(Preset::Minimal);
        layout.name = "  Front desk ".into();
        layout.options.columns = vec![ItemColumn::Medicine, ItemColumn::Dosage, ItemColumn::Medicine];
        let valid = layout.validate().expect("valid");
        assert_eq!(valid.name, "Front desk");
        assert_eq!(valid.options.columns, [ItemColumn::Medicine, ItemColumn::Dosage]);
    }

    #[test]
    fn an_office_layout_needs_a_doctor() {
        let layout = scoped("office", None, Some("main"));
        assert_eq!(
            layout.validate().map_err(fields_of),
            Err(vec!["office_id".into()])
        );
        let layout = scoped("bad doctor", Some("not-a-uuid"), None);
        assert_eq!(
            layout.validate().map_err(fields_of),
            Err(vec!["doctor_id".into()])
        );
    }

    #[test]
    fn fields_and_row_round_trip() {
        let mut layout = scoped("Dr. Rao, main", Some(DOCTOR), Some("main"));
        layout.orientation = Orientation::Landscape;
        layout.paper = Paper::Letter;
        layout.margins = Margins {
            top: 12.5,
            right: 10.0,
            bottom: 20.0,
            left: 8.0,
        };
        layout.options.show_licence = false;
        layout.options.patient_fields = vec![PatientField::Mobile, PatientField::Name];
        let mut row = layout.to_fields();
        assert_eq!(row["paper"], "letter");
        assert_eq!(
            row["margins_mm"],
            json!({"top": 12.5, "right": 10.0, "bottom": 20.0, "left": 8.0})
        );
        assert_eq!(row["options"]["patient_fields"], json!(["mobile", "name"]));
        assert!(!row.contains_key("id"));
        row.insert("id".into(), json!("0190a1b2-0000-7000-8000-000000000001"));
        let back = PrintLayout::from_row(&row).expect("row reads back");
        assert_eq!(back.id.as_deref(), Some("0190a1b2-0000-7000-8000-000000000001"));
        assert_eq!(PrintLayout { id: None, ..back }, layout);
    }

    #[test]
    fn a_row_with_database_defaults_takes_the_presets_values() {
        let row = json!({
            "id": "0190a1b2-0000-7000-8000-000000000002",
            "doctor_id": null, "office_id": null, "name": "Clinic",
            "preset": "minimal", "paper": null, "orientation": "portrait",
            "margins_mm": "{\"top\": 20}", "options": {"show_logo": true},
        });
        let layout = PrintLayout::from_row(row.as_object().expect("object")).expect("reads");
        let minimal = PrintLayout::from_preset(Preset::Minimal);
        assert_eq!(layout.paper, Paper::A5);
        assert_eq!(
            layout.margins,
            Margins {
                top: 20.0,
                ..minimal.margins
            }
        );
        assert!(layout.options.show_logo);
        assert_eq!(layout.options.columns, minimal.options.columns);
    }

    #[test]
    fn a_row_with_unknown_values_is_refused() {
        let mut row = PrintLayout::from_preset(Preset::Classic).to_fields();
        row.insert("paper".into(), json!("a3"));
        assert_eq!(PrintLayout::from_row(&row), None);
        let mut row = PrintLayout::from_preset(Preset::Classic).to_fields();
        row.remove("name");
        assert_eq!(PrintLayout::from_row(&row), None);
    }

    #[test]
    fn page_items_serialize_for_the_preview() {
        let item = PageItem::Text {
            x_mm: 10.0,
            y_mm: 20.0,
            size_pt: 9.0,
            bold: true,
            tone: Tone::AccentSoft,
            align: Align::Right,
            text: "अनिता".into(),
        };
        let value = serde_json::to_value(&item).expect("serializes");
        assert_eq!(value["kind"], "text");
        assert_eq!(value["tone"], "accent_soft");
        assert_eq!(value["align"], "right");
        assert_eq!(serde_json::to_value(Paper::A4).expect("paper"), "a4");
        assert_eq!(Tone::Accent.hex(), "#0b5d7a");
        assert_eq!(Paper::parse("letter"), Some(Paper::Letter));
        assert_eq!(Preset::parse("fancy"), None);
    }
}
