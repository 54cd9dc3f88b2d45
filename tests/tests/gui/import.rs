//! Importing patients in the window: choose a CSV, see the guessed
//! columns, read the check (three rows with problems named), confirm, and
//! find the imported patients in the list.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;

fn csv() -> String {
    let mut csv = String::from("Name,Mobile,DOB,Gender\n");
    for i in 0..30 {
        let line = match i {
            3 => ",98450 20003,12/03/1985,F\n".to_owned(),
            7 => "Bad Phone,12,12/03/1985,F\n".to_owned(),
            9 => "Person1 Window,98450 20001,12/03/1985,M\n".to_owned(),
            i => format!(
                "Person{i} Window,98450 200{i:02},12/03/1985,{}\n",
                ["F", "M"][i % 2]
            ),
        };
        csv.push_str(&line);
    }
    csv
}

#[tokio::test]
async fn a_receptionist_imports_a_spreadsheet_after_reading_its_problems() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Window Import Clinic").await;
    let file = desk.data_dir.path().join("patients.csv");
    std::fs::write(&file, csv()).expect("write csv");

    desk.click("nav-patients").await;
    desk.click("import-patients").await;
    desk.wait("import-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    desk.wait_text("import-mapping", |t| t.contains("patients.csv: 30 rows"))
        .await;
    assert_eq!(desk.value("import-column-0").await, "full_name");
    assert_eq!(desk.value("import-column-2").await, "date_of_birth");
    desk.click("import-check").await;
    desk.wait_text("import-summary", |t| t.contains("27 of 30 rows are ready"))
        .await;
    let problems = desk.text("import-problems").await;
    assert!(problems.contains("First name"), "{problems}");
    assert!(problems.contains("Mobile number"), "{problems}");
    assert!(problems.contains("Duplicate of row 3"), "{problems}");
    desk.screenshot("import-check").await;

    desk.click("import-commit").await;
    desk.wait_text("confirm-dialog", |t| t.contains("Import 27 patients?"))
        .await;
    desk.click("confirm-yes").await;
    desk.wait_text("import-done", |t| t.contains("Imported 27 patients"))
        .await;
    desk.click("nav-patients").await;
    desk.wait_text("patient-list", |t| t.contains("Person29")).await;
}

#[tokio::test]
async fn a_doctor_takes_in_a_referral_and_reads_its_history_on_the_chart() {
    let app = TestApp::spawn().await;
    let bundle = app
        .referral_bundle("Meera", "+919800000901", &["Penicillin"])
        .await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Window Referral Clinic").await;
    let file = desk.data_dir.path().join("meera.fhir.json");
    std::fs::write(&file, bundle).expect("write the referral");

    desk.click("nav-patients").await;
    desk.click("import-patients").await;
    desk.wait("referral-file")
        .await
        .send_keys(&file.display().to_string())
        .await
        .expect("choose the file");
    desk.wait_text("referral-done", |t| {
        t.contains("Meera joined the clinic with 1 history record (1 allergy)")
    })
    .await;
    desk.click("referral-open-chart").await;
    let history = desk
        .wait_text("referral-history", |t| t.contains("Allergy: Penicillin"))
        .await;
    assert!(history.contains("Read-only"), "{history}");
    desk.screenshot("referral-history").await;
}
