//! Billing a visit on one PC and taking its payment in two parts on two
//! PCs offline: the bill suggests the doctor's fee, is numbered once, and
//! both PCs end with the same two receipts and the bill paid, without a
//! conflict. B's day-end report then counts both payments by mode and
//! exports them. Needs a secret service.

use clinic_tests::pcs::patient_form;
use clinic_tests::two_pcs::{settle, two_pcs, visit_in_chair};
use contract::app::CommandCode;
use contract::args::DoctorChangeArgs;
use contract::screens::billing::{BillFor, LineForm, PaymentForm};
use contract::screens::catalog::MedicineForm;
use contract::screens::prescriptions::{ItemForm, PrescriptionForm};
use contract::screens::reports::{Period, ReportQuery};
use domain::api::UpdateDoctorRequest;
use domain::billing::{LineKind, PaymentMode, PaymentState};
use domain::clinical::prescription::PrescriptionStatus;

fn pay(invoice: &str, amount: &str, mode: PaymentMode) -> PaymentForm {
    PaymentForm {
        invoice_id: invoice.to_owned(),
        amount: amount.into(),
        mode,
        reference: String::new(),
    }
}

#[tokio::test]
async fn a_visit_billed_on_one_pc_is_paid_in_parts_on_two_offline() {
    let pcs = two_pcs("Ledger Family Dental", "ledger@example.org").await;
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    pcs.a
        .update_doctor(DoctorChangeArgs {
            doctor_id: doctor.id.clone(),
            change: UpdateDoctorRequest {
                consultation_fee_minor: Some(50_000),
                ..UpdateDoctorRequest::default()
            },
        })
        .await
        .expect("the fee is set");
    // The fee reaches A's store by the log, as any doctor change does.
    for _ in 0..100 {
        settle(&pcs.a).await;
        let doctors = pcs.a.clinic_doctors().await.expect("doctors");
        if doctors.iter().any(|d| d.consultation_fee_minor == Some(50_000)) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (patient_id, visit_id) = visit_in_chair(
        &pcs.a,
        &doctor.id,
        patient_form("Anita", "Rao", "+919845012345"),
        "10:00",
    )
    .await;

    // The visit's bill starts from the doctor's fee, in rupees as typed.
    let mut form = pcs
        .a
        .bill_draft(BillFor {
            patient_id: patient_id.clone(),
            appointment_id: Some(visit_id.clone()),
        })
        .await
        .expect("a draft");
    assert_eq!(form.lines.len(), 1, "{form:?}");
    assert_eq!(form.lines[0].kind, LineKind::Consultation);
    assert_eq!(form.lines[0].unit_price, "500.00");
    form.lines.push(LineForm {
        kind: LineKind::Medicine,
        description: "Amoxicillin 500".into(),
        quantity: "10".into(),
        unit_price: "12.50".into(),
        ref_id: None,
    });
    let mut bad = form.clone();
    bad.lines[1].unit_price = "12.505".into();
    let refused = pcs.a.issue_invoice(bad).await.expect_err("three decimals");
    assert_eq!(refused.code, CommandCode::ValidationFailed);
    assert!(refused.field("lines.1.unit_price").is_some(), "{refused:?}");
    let bill = pcs.a.issue_invoice(form).await.expect("issued");
    assert!(bill.row.number.starts_with("INV"), "{}", bill.row.number);
    assert_eq!(
        (bill.row.total_minor, bill.row.state),
        (62_500, PaymentState::Unpaid)
    );
    let again = pcs
        .a
        .bill_draft(BillFor {
            patient_id: patient_id.clone(),
            appointment_id: Some(visit_id.clone()),
        })
        .await
        .expect_err("billed once");
    assert!(again.field("appointment_id").is_some(), "{again:?}");

    settle(&pcs.a).await;
    settle(&pcs.b).await;
    let on_b = pcs.b.invoice(bill.row.id.clone()).await.expect("B has the bill");
    assert_eq!(on_b.row.total_minor, 62_500);

    // Offline, each desk takes part; neither may take more than is owed.
    pcs.net_a.down().await;
    pcs.net_b.down().await;
    let too_much = pcs
        .a
        .take_payment(pay(&bill.row.id, "625.01", PaymentMode::Cash))
        .await
        .expect_err("more than owed");
    assert!(too_much.field("amount").is_some(), "{too_much:?}");
    let part_a = pcs
        .a
        .take_payment(pay(&bill.row.id, "300", PaymentMode::Cash))
        .await
        .expect("A takes cash");
    assert_eq!(part_a.row.state, PaymentState::PartPaid);
    let part_b = pcs
        .b
        .take_payment(pay(&bill.row.id, "325", PaymentMode::Upi))
        .await
        .expect("B takes UPI");
    let (receipt_a, receipt_b) = (
        &part_a.payments[0].receipt_number,
        &part_b.payments[0].receipt_number,
    );
    assert_ne!(receipt_a, receipt_b, "each PC numbers from its own slot");

    pcs.reconnect_and_settle().await;
    for pc in [&pcs.a, &pcs.b] {
        let seen = pc.invoice(bill.row.id.clone()).await.expect("the bill");
        assert_eq!(
            (seen.row.paid_minor, seen.row.state),
            (62_500, PaymentState::Paid)
        );
        let mut receipts: Vec<_> = seen.payments.iter().map(|y| y.receipt_number.clone()).collect();
        receipts.sort();
        let mut expected = vec![receipt_a.clone(), receipt_b.clone()];
        expected.sort();
        assert_eq!(receipts, expected);
        assert!(pc.refused().await.expect("refused").is_empty());
    }
    assert_eq!(
        pcs.app
            .owner_count("SELECT coalesce(sum(amount_minor), 0)::bigint FROM payments")
            .await,
        62_500
    );
    assert_eq!(
        pcs.app.owner_count("SELECT count(*) FROM sync_conflicts").await,
        0
    );

    // B's report of today and tomorrow, from its own store.
    let today = chrono::Local::now().date_naive();
    let query = ReportQuery {
        from: today.to_string(),
        to: (today + chrono::Days::new(1)).to_string(),
        period: Period::Day,
    };
    let report = pcs.b.report(query.clone()).await.expect("the report");
    assert_eq!(report.received_minor, 62_500);
    assert_eq!((report.bills, report.billed_minor), (1, 62_500));
    let modes: Vec<(&str, i64, u32)> = report
        .by_mode
        .iter()
        .map(|s| (s.label.as_str(), s.amount_minor, s.payments))
        .collect();
    assert_eq!(modes, [("Cash", 30_000, 1), ("UPI", 32_500, 1)]);
    assert_eq!(report.by_doctor.len(), 1);
    assert_eq!(report.by_doctor[0].payments, 2);
    let days: Vec<i64> = report.revenue.iter().map(|p| p.total_minor).collect();
    assert_eq!(days, [62_500, 0], "paid today; the visit is tomorrow");
    assert_eq!(report.visits.len(), 1);
    assert_eq!((report.visits[0].booked, report.visits[0].walk_ins), (1, 0));
    assert_eq!((report.new_patients, report.returning_patients), (1, 0));
    let csv = pcs.b.export_report_csv(query.clone()).await.expect("csv");
    let text = std::fs::read_to_string(&csv.path).expect("the csv");
    for expected in [
        "Money received by payment mode",
        "UPI,1,₹325.00",
        "Cash,1,₹300.00",
    ] {
        assert!(text.contains(expected), "{expected:?} missing:\n{text}");
    }
    let pdf = pcs.b.export_report_pdf(query).await.expect("pdf");
    let printed = clinic_tests::pdf_text(&pdf.path);
    assert!(printed.contains("Money received by doctor"), "{printed}");
    let backwards = ReportQuery {
        from: today.to_string(),
        to: (today - chrono::Days::new(1)).to_string(),
        period: Period::Day,
    };
    let refused = pcs.b.report(backwards).await.expect_err("to before from");
    assert!(refused.field("to").is_some(), "{refused:?}");
}

/// A prescribed medicine keeps the price the catalog had when it was
/// prescribed, with the line's total, on the PC and on the server; the
/// visit's bill suggests that price.
#[tokio::test]
async fn a_prescribed_medicine_carries_its_price_to_the_server_and_the_bill() {
    let pcs = two_pcs("Priced Family Clinic", "priced@example.org").await;
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    let amoxicillin = pcs
        .a
        .add_medicine(MedicineForm {
            name: "Amoxicillin 500".into(),
            composition: "Amoxicillin 500 mg".into(),
            price: "12.50".into(),
            ..MedicineForm::default()
        })
        .await
        .expect("a priced medicine");
    let (patient_id, visit_id) = visit_in_chair(
        &pcs.a,
        &doctor.id,
        patient_form("Ravi", "Menon", "+919845077777"),
        "11:00",
    )
    .await;
    let today = chrono::Local::now().date_naive().to_string();
    let draft = pcs
        .a
        .save_prescription(PrescriptionForm {
            patient_id: patient_id.clone(),
            appointment_id: Some(visit_id.clone()),
            office_id: "main".into(),
            visit_date: today,
            diagnosis: "Acute tonsillitis".into(),
            items: vec![ItemForm {
                medicine_id: amoxicillin.id.clone(),
                medicine_name: amoxicillin.name.clone(),
                dosage: "1 capsule".into(),
                frequency: "1-1-1".into(),
                duration: "5 days".into(),
                quantity: "15".into(),
                ..ItemForm::default()
            }],
            ..PrescriptionForm::default()
        })
        .await
        .expect("prescribed");
    pcs.a
        .set_prescription_status(&draft.id, PrescriptionStatus::Active)
        .await
        .expect("issued");
    settle(&pcs.a).await;

    let priced: Vec<(Option<i64>, Option<i64>)> = sqlx::query_as(
        "SELECT unit_price_minor, total_minor FROM prescription_items WHERE prescription_id = $1::uuid",
    )
    .bind(&draft.id)
    .fetch_all(&pcs.app.owner_pool)
    .await
    .expect("the server's items");
    assert_eq!(priced, vec![(Some(1_250), Some(18_750))]);

    let form = pcs
        .a
        .bill_draft(BillFor {
            patient_id: patient_id.clone(),
            appointment_id: Some(visit_id.clone()),
        })
        .await
        .expect("a draft");
    let medicine = form
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Medicine)
        .expect("the prescribed medicine is on the bill");
    assert_eq!(
        (medicine.quantity.as_str(), medicine.unit_price.as_str()),
        ("15", "12.50")
    );
}
