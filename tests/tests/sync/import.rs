//! Importing patients from a spreadsheet on a PC: a CSV of 100 rows with 3
//! bad ones shows exactly those 3 with their reasons, writes nothing until
//! confirmed, then imports the 97 in one go and they sync; an XLSX reads
//! its date and number cells as typed; an import that would pass the
//! plan's limit imports nothing. Needs a secret service, like
//! `desktop_core`.

use std::time::Duration;

use base64::Engine;
use clinic_tests::TestApp;
use clinic_tests::pcs::{desk_core, registration, settled};
use contract::app::{CommandCode, PatientForm};
use contract::screens::import::{ImportField, ImportFile, ImportRequest};
use domain::date::DateStyle;

const PASSWORD: &str = "Import-Desk-2026";

fn file(name: &str, bytes: &[u8]) -> ImportFile {
    ImportFile {
        name: name.into(),
        base64: base64::engine::general_purpose::STANDARD.encode(bytes),
        date_style: DateStyle::DayMonthYear,
    }
}

/// 100 patients; row 12 has no name, row 42 a bad mobile number and row
/// 72 is a patient the clinic has (spreadsheet rows: the header is 1).
fn hundred_rows() -> String {
    let mut csv = String::from("Patient name,Mobile,Date of birth,Sex,Allergies\n");
    for i in 0..100 {
        let line = match i {
            10 => ",98450 10010,12/03/1985,F,\n".to_owned(),
            40 => "Kavya Iyer,98-45O-1OO4O,12/03/1985,F,\n".to_owned(),
            70 => "Existing Rao,+91 98450 00000,01/01/1980,M,\n".to_owned(),
            i => format!(
                "Person{i} Shetty,+91 98450 1{i:04},{:02}/0{}/1985,{},{}\n",
                1 + i % 28,
                1 + i % 9,
                ["F", "M"][i % 2],
                if i % 5 == 0 { "Sulfa; Latex" } else { "" }
            ),
        };
        csv.push_str(&line);
    }
    csv
}

#[tokio::test]
async fn a_csv_with_three_bad_rows_shows_them_and_imports_the_rest_only_when_confirmed() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &app.base);
    pc.register_clinic(registration(
        "Import Clinic",
        "Dr Owner",
        "owner.import@example.org",
        PASSWORD,
        false,
    ))
    .await
    .expect("register");
    let existing = PatientForm {
        first_name: "Existing".into(),
        last_name: "Rao".into(),
        mobile_number: "+91 98450 00000".into(),
        gender: "male".into(),
        date_of_birth: "1980-01-01".into(),
        ..PatientForm::default()
    };
    pc.save_patient(None, existing).await.expect("existing patient");

    let sheet = pc
        .import_open(file("patients.csv", hundred_rows().as_bytes()))
        .await
        .expect("opens");
    assert_eq!(sheet.rows, 100);
    assert_eq!(
        sheet.mapping.columns,
        [
            Some(ImportField::FullName),
            Some(ImportField::Mobile),
            Some(ImportField::DateOfBirth),
            Some(ImportField::Gender),
            Some(ImportField::Allergies)
        ]
    );
    let request = ImportRequest {
        id: sheet.id.clone(),
        mapping: sheet.mapping.clone(),
    };
    let report = pc.import_check(request.clone()).await.expect("dry run");
    assert_eq!((report.total, report.accepted), (100, 97));
    let rows: Vec<usize> = report.rejected.iter().map(|r| r.row).collect();
    assert_eq!(rows, [12, 42, 72], "exactly the three bad rows");
    let reasons: Vec<String> = report.rejected.iter().map(|r| r.problems.join(" ")).collect();
    assert!(reasons[0].contains("First name"), "{reasons:?}");
    assert!(reasons[1].contains("Mobile number"), "{reasons:?}");
    assert!(reasons[2].contains("Already registered"), "{reasons:?}");
    assert_eq!(report.preview.len(), 20);
    assert_eq!(report.preview[10].row, 12);
    assert!(!report.preview[10].problems.is_empty() && report.preview[0].problems.is_empty());
    assert_eq!(
        pc.search_patients("").await.expect("list").len(),
        1,
        "the dry run wrote nothing"
    );

    let done = pc.import_commit(request.clone()).await.expect("import");
    assert_eq!((done.imported, done.skipped), (97, 3));
    let found: Vec<_> = pc
        .search_patients("98450 10005")
        .await
        .expect("search")
        .into_iter()
        .filter(|p| p.first_name == "Person5")
        .collect();
    assert_eq!(found.len(), 1, "Person5 was imported once");
    assert_eq!(found[0].date_of_birth, "1985-06-06");
    assert_eq!(found[0].allergies, ["Sulfa", "Latex"]);
    let again = pc
        .import_check(request)
        .await
        .expect_err("the file is closed after the import");
    assert_eq!(again.code, CommandCode::NotFound);

    settled(&pc, Duration::from_secs(20)).await;
    let on_server = app.owner_count("SELECT count(*) FROM patients").await;
    assert_eq!(on_server, 98, "the import synced like any new patients");
}

#[tokio::test]
async fn an_xlsx_reads_as_typed_and_an_import_past_the_plan_limit_imports_nothing() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("dir");
    let pc = desk_core(dir.path(), &app.base);
    pc.register_clinic(registration(
        "Xlsx Clinic",
        "Dr Owner",
        "owner.xlsx@example.org",
        PASSWORD,
        false,
    ))
    .await
    .expect("register");

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, header) in ["First name", "Surname", "Phone", "DOB", "Gender"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *header).expect("header");
    }
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    let born = rust_xlsxwriter::ExcelDateTime::from_ymd(1990, 4, 21).expect("date");
    sheet.write_string(1, 0, "Meera").expect("cell");
    sheet.write_string(1, 1, "Rao").expect("cell");
    sheet.write_number(1, 2, 9845066661.0).expect("cell");
    sheet
        .write_datetime_with_format(1, 3, &born, &date_format)
        .expect("cell");
    sheet.write_string(1, 4, "Female").expect("cell");
    let bytes = book.save_to_buffer().expect("xlsx");

    let opened = pc
        .import_open(file("patients.xlsx", &bytes))
        .await
        .expect("opens");
    assert_eq!(opened.sample[0][2], "9845066661", "a number cell reads as typed");
    assert_eq!(opened.sample[0][3], "1990-04-21", "a date cell reads as a date");
    let request = ImportRequest {
        id: opened.id.clone(),
        mapping: opened.mapping.clone(),
    };
    let report = pc.import_check(request.clone()).await.expect("dry run");
    assert_eq!((report.accepted, report.rejected.len()), (1, 0), "{report:?}");

    // A CSV that would take the trial clinic past its 1,000 patients.
    let mut csv = String::from("Name,Mobile,DOB\n");
    for i in 0..1001 {
        csv.push_str(&format!("Person{i},+91 97{i:08},01/01/1990\n"));
    }
    let big = pc
        .import_open(file("big.csv", csv.as_bytes()))
        .await
        .expect("opens");
    let request = ImportRequest {
        id: big.id.clone(),
        mapping: big.mapping.clone(),
    };
    assert_eq!(
        pc.import_check(request.clone()).await.expect("dry run").accepted,
        1001
    );
    let refused = pc
        .import_commit(request)
        .await
        .expect_err("past the plan's limit");
    assert_eq!(refused.code, CommandCode::PlanLimitReached, "{}", refused.message);
    assert!(
        pc.search_patients("").await.expect("list").is_empty(),
        "none was imported"
    );
}
