//! The clinical path in the window: book an appointment, write a
//! prescription with a `/CODE` short key, issue it and export its PDF,
//! whose text is read back. Screenshots of each step.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use serde_json::json;

const PASSWORD: &str = "Window-Clinic-2026";
const ENTER: &str = "\u{E007}";

/// A 1×1 PNG: the clinic's logo.
const LOGO_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00,
    0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00,
    0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0xf8, 0xcf, 0x50, 0x0f, 0x00, 0x03,
    0x86, 0x01, 0x80, 0x5a, 0x34, 0x7d, 0x6b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
    0x60, 0x82,
];

#[tokio::test]
async fn a_doctor_books_prescribes_with_a_short_key_and_exports_the_pdf() {
    let app = TestApp::spawn().await;
    // An endodontist's clinic: it starts with the dental short keys.
    let email = format!("endo.{}@example.org", uuid::Uuid::now_v7().simple());
    let reply = app
        .post(
            "/clinics",
            &json!({"clinic_name": "Window Endo Care", "owner_name": "Dr Kavita Menon", "email": email,
                    "password": PASSWORD, "owner_is_doctor": true, "licence_number": "KA-2291",
                    "specialization": "Endodontics"}),
            None,
        )
        .await;
    assert_eq!(reply.status, reqwest::StatusCode::CREATED, "{:?}", reply.body);
    let code = reply.body["tenant"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let desk = Desktop::launch(&app.base).await;
    desk.fill("clinic-code", &code).await;
    desk.fill("email", &email).await;
    desk.fill("password", PASSWORD).await;
    desk.click("sign-in-submit").await;
    desk.wait_text("sync-status", |t| t == "Synced").await;

    // Her logo, for the letterhead: a GIF is not taken, the PNG is.
    let (gif, png) = (
        desk.data_dir.path().join("logo.gif"),
        desk.data_dir.path().join("logo.png"),
    );
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").expect("gif");
    std::fs::write(&png, LOGO_PNG).expect("png");
    desk.click("nav-admin").await;
    let window = &desk;
    let choose = |file: std::path::PathBuf| async move {
        window
            .wait("settings-logo-file")
            .await
            .send_keys(&file.display().to_string())
            .await
            .expect("choose the logo");
    };
    choose(gif).await;
    desk.wait_text("settings-logo-error", |t| t.contains("PNG or JPEG"))
        .await;
    choose(png).await;
    desk.wait("settings-logo-preview").await;
    desk.click("settings-save").await;
    desk.wait("settings-saved").await;

    desk.click("nav-patients").await;
    desk.click("new-patient").await;
    desk.fill("patient-first-name", "Anita").await;
    desk.fill("patient-mobile", "9845012345").await;
    desk.fill("patient-dob", "1990-04-21").await;
    desk.select("patient-gender", "female").await;
    desk.fill("patient-allergies", "Penicillin").await;
    desk.click("patient-save").await;
    // Typed as ISO, shown in the clinic's style (no country set: day first).
    desk.wait_text("patient-list", |t| {
        t.contains("Anita") && t.contains("21/04/1990")
    })
    .await;

    // Book for tomorrow at 10:30.
    let today = chrono::Local::now().date_naive();
    let tomorrow_day = today + chrono::Days::new(1);
    let tomorrow = tomorrow_day.to_string();
    desk.click("nav-appointments").await;
    desk.click("book-appointment").await;
    desk.fill("appt-patient-search", "Anita").await;
    desk.click("appt-patient-option").await;
    desk.retype("appt-date", &tomorrow).await;
    desk.fill("appt-time", "10:30").await;
    desk.fill("appt-reason", "Pain in lower left molar").await;
    desk.screenshot("appointment-form").await;
    desk.click("appt-save").await;
    let number = desk.wait_text("appt-number", |t| t.starts_with("APT")).await;
    assert_eq!(number.len(), 15, "{number}");
    let heading = tomorrow_day.format("%A %-d %B %Y").to_string();
    desk.wait_text("appt-day-title", |t| t == heading).await;
    desk.screenshot("appointment-booked").await;
    let booked: i64 = loop_count(&app, "SELECT count(*) FROM appointments").await;
    assert_eq!(booked, 1, "the booking reached the server");

    // Prescribe from the patient's chart with /PAIN.
    desk.click("nav-patients").await;
    desk.click("patient-row").await;
    desk.wait_text("patient-chart", |t| t.contains("Penicillin"))
        .await;
    desk.click("chart-new-prescription").await;
    desk.fill("rx-diagnosis", "Irreversible pulpitis 36").await;
    desk.fill("rx-medicine-input", &format!("/pain{ENTER}")).await;
    desk.wait_text("rx-form", |t| {
        t.contains("Added 2 medicines from short key /PAIN")
    })
    .await;
    assert_eq!(desk.count("rx-item").await, 2, "the key's two medicines");
    desk.click("rx-save").await;
    desk.wait_text("rx-number", |t| t.starts_with("RX")).await;
    desk.click("rx-issue").await;
    desk.click("confirm-yes").await;
    desk.wait_text("rx-status", |t| t == "Issued").await;
    desk.click("rx-export-pdf").await;
    let path = desk.wait_text("rx-exported-path", |t| t.contains(".pdf")).await;
    desk.screenshot("prescription-exported").await;
    let path = path.trim().trim_start_matches("Saved to ").trim().to_owned();
    let path = path
        .split_whitespace()
        .find(|w| w.ends_with(".pdf"))
        .unwrap_or(&path)
        .to_owned();
    let text = clinic_tests::pdf_text(&path);
    assert_eq!(clinic_tests::printed_images(&path), 1, "the logo is printed");
    for expected in [
        "Anita",
        "Ibuprofen + Paracetamol",
        "Pantoprazole 40",
        "KA-2291",
        "Penicillin",
        // The visit date as the clinic writes it, e.g. "1 Dec 2026".
        &today.format("%-d %b %Y").to_string(),
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the PDF:\n{text}"
        );
    }

    // A print layout of her own: a look, a wrong margin caught in the form.
    desk.click("nav-settings").await;
    desk.click("settings-print-layouts").await;
    desk.click("layout-new").await;
    desk.click("layout-preset-minimal").await;
    desk.retype("layout-name", "Dr Menon's pad").await;
    desk.retype("layout-margin-bottom", "90").await;
    desk.click("layout-save").await;
    desk.wait_text("layout-margin-bottom-error", |t| {
        t.contains("between 0 and 50 mm")
    })
    .await;
    desk.retype("layout-margin-bottom", "12").await;
    desk.click("layout-save").await;
    desk.wait_text("layout-list", |t| t.contains("Dr Menon's pad"))
        .await;
    desk.close().await;
}

/// Waits (up to 10 s) for the count to become non-zero: sync runs in the background.
async fn loop_count(app: &TestApp, sql: &'static str) -> i64 {
    for _ in 0..50 {
        let n = app.owner_count(sql).await;
        if n > 0 {
            return n;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    0
}
