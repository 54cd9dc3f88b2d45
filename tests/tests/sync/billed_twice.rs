//! Two desks offline bill the same visit and each takes the money: the
//! bill that reaches the server first stands; the other and the payment
//! taken on it come back refused, naming the bill that stands, so the
//! patient is never billed twice and the desk sees which money to move.
//! Needs a secret service.

use client::app::AppCore;
use clinic_tests::pcs::patient_form;
use clinic_tests::two_pcs::{settle, two_pcs, visit_in_chair};
use contract::screens::billing::{BillFor, InvoiceView, PaymentForm};
use domain::billing::PaymentMode;
use domain::sync::Refusal;

/// Bills the visit at ₹500 on `pc` and takes it all in `mode`.
async fn bill_and_take(pc: &AppCore, patient: &str, visit: &str, mode: PaymentMode) -> InvoiceView {
    let mut form = pc
        .bill_draft(BillFor {
            patient_id: patient.to_owned(),
            appointment_id: Some(visit.to_owned()),
        })
        .await
        .expect("a draft");
    form.lines[0].unit_price = "500".into();
    let bill = pc.issue_invoice(form).await.expect("issued");
    pc.take_payment(PaymentForm {
        invoice_id: bill.row.id.clone(),
        amount: "500".into(),
        mode,
        reference: String::new(),
    })
    .await
    .expect("paid")
}

#[tokio::test]
async fn a_visit_billed_on_two_pcs_offline_keeps_the_bill_that_arrived_first() {
    let pcs = two_pcs("Twice Billed Clinic", "twice@example.org").await;
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    let (patient, visit) = visit_in_chair(
        &pcs.a,
        &doctor.id,
        patient_form("Nalini", "Shah", "+919845033333"),
        "11:00",
    )
    .await;
    settle(&pcs.a).await;
    settle(&pcs.b).await;

    pcs.net_a.down().await;
    pcs.net_b.down().await;
    let on_a = bill_and_take(&pcs.a, &patient, &visit, PaymentMode::Cash).await;
    let on_b = bill_and_take(&pcs.b, &patient, &visit, PaymentMode::Card).await;
    pcs.net_a.up().await;
    settle(&pcs.a).await;
    pcs.net_b.up().await;
    settle(&pcs.b).await;

    let standing: Vec<String> = sqlx::query_scalar(
        "SELECT invoice_number FROM invoices WHERE appointment_id = $1::uuid AND status = 'issued'",
    )
    .bind(&visit)
    .fetch_all(&pcs.app.owner_pool)
    .await
    .expect("bills");
    assert_eq!(
        standing,
        std::slice::from_ref(&on_a.row.number),
        "one bill per visit on the server"
    );

    let refused = pcs.b.refused().await.expect("refused");
    let seen: Vec<(&str, Refusal)> = refused.iter().map(|r| (r.table.as_str(), r.refusal)).collect();
    assert_eq!(
        seen,
        [
            ("invoices", Refusal::Duplicate),
            ("payments", Refusal::MissingReference)
        ]
    );
    assert!(
        refused[0].message.contains(&on_a.row.number),
        "names the bill that stands: {}",
        refused[0].message
    );
    assert!(
        refused[1]
            .message
            .contains("take the payment on the bill that stands"),
        "{}",
        refused[1].message
    );

    // Discarding both leaves B with A's bill, paid, and not its own.
    for op in &refused {
        pcs.b
            .discard_refused(&op.op_id.to_string())
            .await
            .expect("discard");
    }
    settle(&pcs.b).await;
    let bills = pcs.b.patient_invoices(patient.clone()).await.expect("bills");
    let numbers: Vec<&str> = bills.iter().map(|b| b.number.as_str()).collect();
    assert_eq!(numbers, [on_a.row.number.as_str()]);
    assert_ne!(on_a.row.number, on_b.row.number);
}
