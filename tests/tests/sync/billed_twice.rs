//! Two desks offline bill the same visit and each takes the money: the
//! bill that reaches the server first stands; the other and the payment
//! taken on it come back refused, naming the bill that stands, so the
//! patient is never billed twice and the desk sees which money to move.
//! Two desks offline each take the whole of one bill: both payments stand
//! (the money was taken) and every PC shows the bill overpaid, with what
//! to give back. Needs a secret service.

use client::app::AppCore;
use clinic_tests::pcs::patient_form;
use clinic_tests::two_pcs::{settle, two_pcs, visit_in_chair};
use contract::screens::billing::{BillFor, InvoiceView, PaymentForm};
use domain::billing::{PaymentMode, PaymentState};
use domain::sync::Refusal;

/// Bills the visit at ₹500 on `pc`.
async fn bill(pc: &AppCore, patient: &str, visit: &str) -> InvoiceView {
    let mut form = pc
        .bill_draft(BillFor {
            patient_id: patient.to_owned(),
            appointment_id: Some(visit.to_owned()),
        })
        .await
        .expect("a draft");
    form.lines[0].unit_price = "500".into();
    pc.issue_invoice(form).await.expect("issued")
}

/// Takes all ₹500 of `bill` on `pc` in `mode`.
async fn take_all(pc: &AppCore, bill: &InvoiceView, mode: PaymentMode) -> InvoiceView {
    pc.take_payment(PaymentForm {
        invoice_id: bill.row.id.clone(),
        amount: "500".into(),
        mode,
        reference: String::new(),
    })
    .await
    .expect("paid")
}

/// Bills the visit at ₹500 on `pc` and takes it all in `mode`.
async fn bill_and_take(pc: &AppCore, patient: &str, visit: &str, mode: PaymentMode) -> InvoiceView {
    take_all(pc, &bill(pc, patient, visit).await, mode).await
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

#[tokio::test]
async fn a_bill_paid_in_full_on_two_pcs_offline_shows_what_to_give_back() {
    let pcs = two_pcs("Paid Twice Clinic", "paid.twice@example.org").await;
    let doctor = pcs.a.clinic_doctors().await.expect("doctors").remove(0);
    let (patient, visit) = visit_in_chair(
        &pcs.a,
        &doctor.id,
        patient_form("Arjun", "Pillai", "+919845044444"),
        "12:00",
    )
    .await;
    let bill = bill(&pcs.a, &patient, &visit).await;
    settle(&pcs.a).await;
    settle(&pcs.b).await;

    pcs.net_a.down().await;
    pcs.net_b.down().await;
    for (pc, mode) in [(&pcs.a, PaymentMode::Cash), (&pcs.b, PaymentMode::Upi)] {
        // Each desk takes it all, not knowing of the other.
        let paid = take_all(pc, &bill, mode).await;
        assert_eq!(paid.row.state, PaymentState::Paid);
    }
    pcs.reconnect_and_settle().await;

    for pc in [&pcs.a, &pcs.b] {
        let seen = pc.invoice(bill.row.id.clone()).await.expect("the bill");
        assert_eq!(seen.payments.len(), 2, "both payments stand: {seen:?}");
        assert_eq!(seen.row.state, PaymentState::Overpaid);
        assert_eq!(
            (seen.row.outstanding_minor(), seen.row.overpaid_minor()),
            (0, 50_000)
        );
        assert!(pc.refused().await.expect("refused").is_empty());
    }
}
