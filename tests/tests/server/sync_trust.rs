//! A pushed batch is applied only as what it says it is: the device's next
//! number, its own content, its own clock.

use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp};
use domain::ids::DeviceId;
use domain::sync::{Hlc, MAX_DRIFT_MS, OpKind};
use reqwest::StatusCode;
use uuid::Uuid;

fn device(clinic: &Clinic) -> Device {
    Device::new(clinic.device_id, &clinic.access_token)
}

fn now_ms() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default()
}

#[tokio::test]
async fn a_batch_number_replayed_with_other_content_is_refused_not_answered() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Replay Clinic").await;
    let mut pc = device(&clinic);
    let mine = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Mine", "+919800000101"),
    )];
    let other = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Other", "+919800000102"),
    )];
    assert_eq!(pc.push_as(&app, 1, &mine).await.op_results(), ["applied"]);
    let clash = pc.push_as(&app, 1, &other).await;
    assert_eq!(
        (clash.status, clash.code()),
        (StatusCode::CONFLICT, "batch_mismatch")
    );
    assert_eq!(
        clash.body["results"],
        serde_json::Value::Null,
        "no stored answer is given"
    );
    let same = pc.push_as(&app, 1, &mine).await;
    assert_eq!(
        same.op_results(),
        ["applied"],
        "the identical retry still gets its answer"
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 1);
}

#[tokio::test]
async fn a_new_device_starts_at_batch_one() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("First Batch Clinic").await;
    let mut pc = device(&clinic);
    let ops = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Late", "+919800000103"),
    )];
    let skipped = pc.push_as(&app, 2, &ops).await;
    assert_eq!(
        (skipped.status, skipped.code()),
        (StatusCode::CONFLICT, "batch_out_of_order")
    );
    assert!(
        skipped.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("expected batch 1")
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 0);
    assert_eq!(pc.push_as(&app, 1, &ops).await.op_results(), ["applied"]);
}

#[tokio::test]
async fn a_clock_more_than_five_minutes_ahead_is_refused_whole() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Future Clinic").await;
    let mut pc = device(&clinic);
    let fine = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Now", "+919800000104"),
    );
    let mut future = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("2500", "+919800000105"),
    );
    future.hlc.wall_ms = 16_725_225_600_000; // the year 2500
    let refused = pc.push_as(&app, 1, &[fine.clone(), future]).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::CONFLICT, "clock_ahead")
    );
    assert!(
        refused.body["message"]
            .as_str()
            .unwrap_or("")
            .contains("minutes ahead")
    );
    assert_eq!(
        app.owner_count("SELECT count(*) FROM patients").await,
        0,
        "nothing of the batch applied"
    );

    let mut slightly = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Soon", "+919800000106"),
    );
    slightly.hlc.wall_ms = now_ms() + MAX_DRIFT_MS - 60_000;
    assert_eq!(
        pc.push_as(&app, 1, &[fine, slightly]).await.op_results(),
        ["applied", "applied"],
        "a clock a few minutes fast is tolerated"
    );
}

#[tokio::test]
async fn a_clock_naming_another_device_is_refused() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Borrowed Clock Clinic").await;
    let mut pc = device(&clinic);
    let mut op = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Borrowed", "+919800000107"),
    );
    op.hlc = Hlc {
        node: DeviceId::from_uuid(Uuid::now_v7()),
        ..op.hlc
    };
    let refused = pc.push_as(&app, 1, &[op]).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert_eq!(refused.body["fields"][0]["field"], "ops.0.hlc");
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 0);
}

#[tokio::test]
async fn more_ops_than_a_batch_holds_is_payload_too_large() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Big Batch Clinic").await;
    let mut pc = device(&clinic);
    let ops: Vec<_> = (0..2_001)
        .map(|_| {
            pc.op(
                "patients",
                Uuid::now_v7(),
                OpKind::Update,
                serde_json::json!({"notes": "x"}),
            )
        })
        .collect();
    let refused = pc.push_as(&app, 1, &ops).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
    );
}

/// The log's rows belong to a clinic that exists, checked once per
/// statement instead of a foreign key's look-up per row: a row naming no
/// clinic is refused, and a clinic with a log cannot be deleted.
#[tokio::test]
async fn a_log_row_names_an_existing_clinic_and_a_logged_clinic_stays() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Log Owner Clinic").await;
    let orphan = sqlx::query(
        "INSERT INTO change_log (tenant_id, seq, table_name, row_id, op, changes, hlc, user_id, prev_hash, hash)
         SELECT t, 1000000, 'patients', gen_random_uuid(), 'insert', '{}', '1-0-x', gen_random_uuid(), '\\x', sha256('x')
           FROM (VALUES ($1::uuid), (gen_random_uuid())) v(t)",
    )
    .bind(clinic.tenant_id)
    .execute(&app.owner_pool)
    .await
    .expect_err("a log row naming no clinic");
    let orphan = orphan.as_database_error().expect("a database error");
    assert_eq!(orphan.code().as_deref(), Some("23503"), "{orphan}");
    assert_eq!(orphan.constraint(), Some("change_log_tenant_id_exists"));
    assert_eq!(
        app.owner_count_in(
            "SELECT count(*) FROM change_log WHERE tenant_id = $1 AND seq = 1000000",
            clinic.tenant_id
        )
        .await,
        0,
        "the statement left nothing behind"
    );

    let logged = app
        .owner_count_in(
            "SELECT count(*) FROM change_log WHERE tenant_id = $1",
            clinic.tenant_id,
        )
        .await;
    assert!(logged > 0, "registering a clinic logs its first rows");
    let deleted = sqlx::query("DELETE FROM tenants WHERE id = $1")
        .bind(clinic.tenant_id)
        .execute(&app.owner_pool)
        .await
        .expect_err("a clinic with a log");
    let deleted = deleted.as_database_error().expect("a database error");
    assert_eq!(
        deleted.constraint(),
        Some("change_log_tenant_id_exists"),
        "{deleted}"
    );
}
