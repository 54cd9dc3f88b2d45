//! Layouts: presets, checks, choosing, and stored layouts read back.

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
