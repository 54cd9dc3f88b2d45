//! Money through sync: the server refuses a bill whose lines do not add
//! up or carry a negative price, keeps an issued bill's lines as issued
//! (it may only be voided, for good), and never lets a payment change.

use clinic_tests::pc::clinic_with_patient;
use clinic_tests::{Reply, TestApp};
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

fn results(reply: &Reply) -> Vec<String> {
    reply.op_results()
}

fn bill(number: &str, patient: Uuid, lines: Value, total: i64) -> Value {
    json!({"invoice_number": number, "patient_id": patient, "issued_on": "2026-12-02", "currency": "INR",
           "lines": lines, "total_minor": total, "status": "issued"})
}

fn consultation(price: i64) -> Value {
    json!([{"kind": "consultation", "description": "Consultation", "quantity": 1, "unit_price_minor": price},
           {"kind": "medicine", "description": "Amoxicillin 500", "quantity": 10, "unit_price_minor": 1250}])
}

#[tokio::test]
async fn bills_add_up_stay_as_issued_and_payments_never_change() {
    let app = TestApp::spawn().await;
    let (_clinic, mut pc, patient_id) = clinic_with_patient(&app, "Ledger Dental", "+919800000081").await;

    // Refused: a total that is not the sum of the lines, a negative price,
    // a currency the product cannot count in.
    let wrong_total = pc.op(
        "invoices",
        Uuid::now_v7(),
        OpKind::Insert,
        bill("INV202612020001", patient_id, consultation(50_000), 62_499),
    );
    let negative = pc.op(
        "invoices",
        Uuid::now_v7(),
        OpKind::Insert,
        bill("INV202612020002", patient_id, consultation(-1), 12_499),
    );
    let mut odd = bill("INV202612020003", patient_id, consultation(50_000), 62_500);
    odd["currency"] = json!("XYZ");
    let odd_currency = pc.op("invoices", Uuid::now_v7(), OpKind::Insert, odd);
    let reply = pc.push(&app, &[wrong_total, negative, odd_currency]).await;
    assert_eq!(results(&reply), ["validation_failed"; 3], "{:?}", reply.body);

    let invoice_id = Uuid::now_v7();
    let issued = pc.op(
        "invoices",
        invoice_id,
        OpKind::Insert,
        bill("INV202612020004", patient_id, consultation(50_000), 62_500),
    );
    let paid = Uuid::now_v7();
    let payment = pc.op(
        "payments",
        paid,
        OpKind::Insert,
        json!({"receipt_number": "RCP202612020001",
        "invoice_id": invoice_id, "patient_id": patient_id, "amount_minor": 20_000, "mode": "upi",
        "reference": "UTR 5521", "paid_at": "2026-12-02T10:00:00Z"}),
    );
    let nothing = pc.op(
        "payments",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"receipt_number": "RCP202612020002",
        "invoice_id": invoice_id, "patient_id": patient_id, "amount_minor": 0, "mode": "cash",
        "paid_at": "2026-12-02T10:05:00Z"}),
    );
    assert_eq!(
        results(&pc.push(&app, &[issued, payment, nothing]).await),
        ["applied", "applied", "validation_failed"]
    );

    // The issued bill's lines and total stay; a payment cannot be changed.
    let relined = pc.op(
        "invoices",
        invoice_id,
        OpKind::Update,
        json!({"lines": consultation(40_000), "total_minor": 52_500}),
    );
    let repaid = pc.op("payments", paid, OpKind::Update, json!({"amount_minor": 2_000}));
    let unpaid = pc.op("payments", paid, OpKind::Delete, json!({}));
    assert_eq!(
        results(&pc.push(&app, &[relined, repaid, unpaid]).await),
        ["immutable", "forbidden", "forbidden"]
    );

    // Voided for good: it cannot come back.
    let void = pc.op(
        "invoices",
        invoice_id,
        OpKind::Update,
        json!({"status": "void", "void_reason": "Billed twice"}),
    );
    let back = pc.op(
        "invoices",
        invoice_id,
        OpKind::Update,
        json!({"status": "issued"}),
    );
    assert_eq!(
        results(&pc.push(&app, &[void, back]).await),
        ["applied", "immutable"]
    );
    let kept: (i64, String, i64) = sqlx::query_as(
        "SELECT total_minor, status, (SELECT sum(amount_minor) FROM payments)::bigint FROM invoices",
    )
    .fetch_one(&app.owner_pool)
    .await
    .expect("the bill");
    assert_eq!(kept, (62_500, "void".to_owned(), 20_000));
}
