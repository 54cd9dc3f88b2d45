//! Money in the window: a doctor's fee is set on their profile, a walk-in
//! is seen and billed from the chart (the fee suggested, a procedure
//! added, a price the bill cannot read named under its line), the bill is
//! paid in two parts in cash and UPI, and a receipt PDF is read back; the
//! day's report shows the money by mode and exports it. The amounts are
//! written the Indian way (1,25,650.00) once the clinic's country is India.

use clinic_tests::TestApp;
use clinic_tests::gui::Desktop;
use uuid::Uuid;

#[tokio::test]
async fn a_visit_is_billed_paid_in_two_parts_and_its_receipt_printed() {
    let app = TestApp::spawn().await;
    let desk = Desktop::launch(&app.base).await;
    desk.register("Rupee Family Clinic").await;

    // India: Indian digit grouping (the currency is INR when unset).
    desk.click("nav-admin").await;
    desk.retype("settings-calling-code", "91").await;
    desk.click("settings-save").await;
    desk.wait("settings-saved").await;

    desk.add_doctor(
        "Dr Meera Pillai",
        "meera@example.org",
        "KA-7171",
        "General Practice",
    )
    .await;
    desk.click("edit-doctor-meera@example.org").await;
    desk.wait("doctor-profile").await;
    desk.fill("profile-fee", "650").await;
    desk.click("profile-save").await;
    desk.wait_text("flash", |t| t.contains("profile is saved")).await;
    let doctor: Uuid = sqlx::query_scalar("SELECT id FROM doctors WHERE licence_number = 'KA-7171'")
        .fetch_one(&app.owner_pool)
        .await
        .expect("the doctor");

    desk.click("nav-patients").await;
    desk.add_patient("Lalitha", "9845012345", None).await;

    // She walks in and is seen.
    desk.click("nav-today").await;
    desk.click("walk-in-add").await;
    desk.fill("walk-in-patient-search", "Lalitha").await;
    desk.click("walk-in-patient-option").await;
    desk.select("walk-in-doctor", &doctor.to_string()).await;
    desk.fill("walk-in-reason", "Tooth pain").await;
    desk.click("walk-in-save").await;
    desk.wait("walk-in-row").await;
    desk.click("appt-action-in_progress").await;
    desk.wait_text("walk-in-queue", |t| t.contains("With doctor"))
        .await;

    // Billed from her chart: the doctor's fee is the first line.
    desk.click("nav-patients").await;
    desk.click("patient-row").await;
    desk.wait("no-bills").await;
    desk.click("chart-bill-visit").await;
    desk.wait_text("bill-line-0-amount", |t| t.contains("650.00"))
        .await;
    assert_eq!(desk.value("bill-line-0-unit_price").await, "650.00");
    desk.click("bill-add-line").await;
    desk.select("bill-line-1-kind", "procedure").await;
    desk.fill("bill-line-1-description", "Root canal treatment 36")
        .await;
    desk.fill("bill-line-1-unit_price", "1,25,000.5.0").await;
    desk.click("bill-issue").await;
    desk.wait("lines.1.unit_price-error").await;
    assert_eq!(
        app.owner_count("SELECT count(*) FROM invoices").await,
        0,
        "nothing is billed while a line cannot be read"
    );
    desk.retype("bill-line-1-unit_price", "125000").await;
    desk.wait_text("bill-total", |t| t.contains("1,25,650.00")).await;
    desk.screenshot("bill-new").await;
    desk.click("bill-issue").await;
    let number = desk
        .wait_text("invoice-number", |t| t.starts_with("Bill INV"))
        .await;
    desk.wait_text("invoice-state", |t| t == "Unpaid").await;

    // Part in cash; more than is owed is refused under the amount.
    desk.retype("payment-amount", "200000").await;
    desk.click("payment-take").await;
    desk.wait("payment-amount-error").await;
    desk.retype("payment-amount", "25,650").await;
    desk.click("payment-take").await;
    desk.wait_text("invoice-state", |t| t == "Part paid").await;
    desk.wait_text("invoice-owed", |t| t.contains("1,00,000.00"))
        .await;
    // The rest by UPI: the amount starts at what is still owed.
    assert_eq!(desk.value("payment-amount").await, "1,00,000.00");
    desk.select("payment-mode", "upi").await;
    desk.fill("payment-reference", "UPI-4411").await;
    desk.click("payment-take").await;
    desk.wait_text("invoice-state", |t| t == "Paid").await;
    assert_eq!(desk.count("payment-row").await, 2);
    assert_eq!(desk.count("payment-form").await, 0, "nothing is owed");
    desk.screenshot("bill-paid").await;

    // The UPI payment's receipt, read back from the PDF.
    desk.click_nth("payment-receipt", 1).await;
    let path = desk.wait_text("receipt-path", |t| t.ends_with(".pdf")).await;
    let text = clinic_tests::pdf_text(&path);
    let bill_number = number.trim_start_matches("Bill ").to_owned();
    for expected in [
        "Rupee Family Clinic",
        "Lalitha",
        bill_number.as_str(),
        "RCP",
        "Root canal treatment 36",
        "1,25,650.00",
        "1,00,000.00",
        "UPI-4411",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from the receipt:\n{text}"
        );
    }

    // Today's report on this PC: the money by mode, as a chart and a table.
    desk.click("nav-reports").await;
    desk.wait_text("report-received", |t| t.contains("1,25,650.00"))
        .await;
    desk.wait_text("report-modes", |t| {
        t.contains("Cash") && t.contains("25,650.00") && t.contains("UPI")
    })
    .await;
    desk.wait("chart-revenue").await;
    desk.screenshot("reports-today").await;
    // A range that ends before it starts is named under its field.
    let today = chrono::Local::now().date_naive();
    desk.retype(
        "report-to",
        &(today - chrono::Days::new(3)).format("%d/%m/%Y").to_string(),
    )
    .await;
    desk.click("report-show").await;
    desk.wait("report-to-error").await;
    desk.click("report-range-today").await;
    desk.click("report-export-csv").await;
    let csv = desk
        .wait_text("report-exported-path", |t| t.ends_with(".csv"))
        .await;
    let csv = std::fs::read_to_string(csv.trim()).expect("the csv");
    assert!(csv.contains("UPI,1,\"₹1,00,000.00\""), "{csv}");

    // Both payments reach the server, and its sums agree with the PC's.
    let mut paid = 0;
    for _ in 0..50 {
        paid = app
            .owner_count("SELECT coalesce(sum(amount_minor), 0)::bigint FROM payments")
            .await;
        if paid == 12_565_000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(paid, 12_565_000, "₹1,25,650.00 in paise");
    desk.close().await;
}
