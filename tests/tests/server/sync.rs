//! The server side of sync through HTTP: push, pull, conflicts, retries,
//! tombstones, refusals, isolation, snapshot and live events.

use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp};
use domain::sync::OpKind;
use reqwest::StatusCode;
use serde_json::{Value, json};
use uuid::Uuid;

fn device(clinic: &Clinic) -> Device {
    Device::new(clinic.device_id, &clinic.access_token)
}

fn statuses(reply: &clinic_tests::Reply) -> Vec<String> {
    reply.op_results()
}

#[tokio::test]
async fn pushed_changes_come_back_in_order_with_an_intact_hash_chain() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Sync Clinic", true).await;
    let mut pc = device(&clinic);
    let id = Uuid::now_v7();
    let insert = pc.op("patients", id, OpKind::Insert, patient("Meera", "+919876543210"));
    let update = pc.op(
        "patients",
        id,
        OpKind::Update,
        json!({"notes": "penicillin allergy"}),
    );
    let pushed = pc.push(&app, &[insert, update]).await;
    assert_eq!(pushed.status, StatusCode::OK, "{:?}", pushed.body);
    assert_eq!(statuses(&pushed), ["applied", "applied"]);

    let pulled = pc.pull(&app, 0).await;
    let changes = pulled.body["changes"].as_array().expect("changes");
    let seqs: Vec<i64> = changes.iter().filter_map(|c| c["seq"].as_i64()).collect();
    assert_eq!(
        seqs,
        (1..=seqs.len() as i64).collect::<Vec<_>>(),
        "gapless from 1"
    );
    let tables: Vec<&str> = changes.iter().filter_map(|c| c["table"].as_str()).collect();
    assert_eq!(
        tables,
        ["users", "doctors", "patients", "patients"],
        "registration is logged too"
    );
    assert_eq!(
        changes[3]["fields"],
        json!({"notes": "penicillin allergy"}),
        "only the changed field"
    );
    assert_eq!(pulled.body["cursor"], pushed.body["cursor"]);
    assert_eq!(pulled.body["has_more"], false);

    let code = domain::tenant::TenantCode::parse(&clinic.code).expect("code");
    let verify = || async {
        clinic_server::sync::chain::verify_clinic(&app.owner_pool, &code)
            .await
            .expect("verify")
            .expect("the clinic exists")
    };
    let intact = verify().await;
    assert_eq!(
        (intact.checked, &intact.first_bad, intact.head_mismatch),
        (4, &None, false)
    );
    assert!(clinic_server::sync::chain::describe(&code, &intact).1);
    // Tampering with history (as the owner, who alone could) breaks the chain there.
    sqlx::query("UPDATE change_log SET changes = '{\"notes\": \"none\"}' WHERE seq = 4")
        .execute(&app.owner_pool)
        .await
        .expect("tamper");
    let tampered = verify().await;
    let bad = tampered.first_bad.clone().expect("a broken link");
    assert_eq!(
        (bad.seq, bad.table.as_str(), bad.op.as_str()),
        (4, "patients", "update")
    );
    let (words, intact) = clinic_server::sync::chain::describe(&code, &tampered);
    assert!(!intact && words.contains("entry 4"), "{words}");
    // Cutting entries off the end is caught by the recorded head.
    sqlx::query("DELETE FROM change_log WHERE seq >= 4")
        .execute(&app.owner_pool)
        .await
        .expect("truncate");
    let truncated = verify().await;
    assert_eq!((truncated.first_bad, truncated.head_mismatch), (None, true));
}

#[tokio::test]
async fn different_fields_merge_and_the_older_write_to_one_field_becomes_a_conflict() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("LWW Clinic").await;
    let mut a = device(&clinic);
    let second = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            clinic_tests::OWNER_PASSWORD,
            Uuid::now_v7(),
        )
        .await;
    let token = second.body["access_token"].as_str().expect("token");
    let mut b = Device::new(jwt_device(token), token);
    let id = Uuid::now_v7();
    let insert = a.op("patients", id, OpKind::Insert, patient("Ravi", "+919812345678"));
    assert_eq!(statuses(&a.push(&app, &[insert]).await), ["applied"]);

    // Both edit offline: b's notes edit is older than a's.
    let b_notes = b.op(
        "patients",
        id,
        OpKind::Update,
        json!({"notes": "from b", "blood_group": "O+"}),
    );
    // Next millisecond: a's clock is then strictly later, whatever the node ids.
    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    let a_notes = a.op(
        "patients",
        id,
        OpKind::Update,
        json!({"notes": "from a", "address": "MG Road"}),
    );
    assert_eq!(statuses(&a.push(&app, &[a_notes]).await), ["applied"]);
    let merged = b.push(&app, &[b_notes]).await;
    assert_eq!(statuses(&merged), ["merged"]);
    assert_eq!(merged.body["results"][0]["lost_fields"], json!(["notes"]));

    let row: (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT notes, blood_group, address FROM patients WHERE id = $1")
            .bind(id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("row");
    assert_eq!(
        row,
        (Some("from a".into()), Some("O+".into()), Some("MG Road".into()))
    );
    let conflicts = app.get("/sync/conflicts", Some(&clinic.access_token)).await;
    let list = conflicts.body.as_array().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (&list[0]["kept_value"], &list[0]["lost_value"]),
        (&json!("from a"), &json!("from b"))
    );
    // Reviewed once, it leaves the open list; a second review finds nothing.
    let review = format!("/sync/conflicts/{}/review", list[0]["id"].as_str().expect("id"));
    let body = json!({"resolution": "kept_winner"});
    let reviewed = app.post(&review, &body, Some(&clinic.access_token)).await;
    assert_eq!(reviewed.status, StatusCode::NO_CONTENT, "{:?}", reviewed.body);
    let open = app.get("/sync/conflicts", Some(&clinic.access_token)).await;
    assert_eq!(open.body, json!([]));
    let again = app.post(&review, &body, Some(&clinic.access_token)).await;
    assert_eq!((again.status, again.code()), (StatusCode::NOT_FOUND, "not_found"));
    let (resolution, by): (String, Uuid) =
        sqlx::query_as("SELECT resolution, resolved_by FROM sync_conflicts")
            .fetch_one(&app.owner_pool)
            .await
            .expect("reviewed row");
    assert_eq!((resolution.as_str(), by), ("kept_winner", clinic.owner_id));
}

fn jwt_device(token: &str) -> Uuid {
    use base64::Engine;
    let payload = token.split('.').nth(1).expect("payload");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .expect("b64");
    let claims: Value = serde_json::from_slice(&bytes).expect("claims");
    clinic_tests::uuid(&claims["did"])
}

#[tokio::test]
async fn a_retried_batch_is_applied_once_and_old_batches_change_nothing() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Retry Clinic").await;
    let mut pc = device(&clinic);
    let ops = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Anu", "+919800000001"),
    )];
    let first = pc.push_as(&app, 1, &ops).await;
    let again = pc.push_as(&app, 1, &ops).await;
    assert_eq!(
        first.body["results"], again.body["results"],
        "the same answer for the retry"
    );
    let second = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Babu", "+919800000002"),
    )];
    assert_eq!(statuses(&pc.push_as(&app, 2, &second).await), ["applied"]);
    // A PC may send batch 2 while batch 1 is on its way: if the answer to
    // 1 was lost, 1 sent again still gets it.
    let behind = pc.push_as(&app, 1, &ops).await;
    assert_eq!(
        first.body["results"], behind.body["results"],
        "the answer to the batch before the last"
    );
    let third = [pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Chitra", "+919800000003"),
    )];
    assert_eq!(statuses(&pc.push_as(&app, 3, &third).await), ["applied"]);
    let replayed = pc.push_as(&app, 1, &ops).await;
    assert_eq!(replayed.status, StatusCode::OK);
    assert_eq!(replayed.body["results"], json!([]), "an older batch is ignored");
    let gap = pc.push_as(&app, 5, &second).await;
    assert_eq!(gap.status, StatusCode::CONFLICT);
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 3);
    assert_eq!(
        app.owner_count("SELECT count(*) FROM change_log WHERE table_name = 'patients'")
            .await,
        3
    );
}

/// An edit stores each field as sent: text fields read straight from the
/// sent JSON, other types converted by Postgres, alone or together.
#[tokio::test]
async fn edited_fields_are_stored_as_sent_text_and_other_types_alike() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Edit Clinic").await;
    let mut pc = device(&clinic);
    let id = Uuid::now_v7();
    let insert = pc.op("patients", id, OpKind::Insert, patient("Edit", "+919800000301"));
    assert_eq!(statuses(&pc.push(&app, &[insert]).await), ["applied"]);
    let notes = "Allergic to \"penicillin\" \u{2014} 'severe' \\ \u{2713}";
    let text_only = pc.op(
        "patients",
        id,
        OpKind::Update,
        json!({"notes": notes, "last_name": null}),
    );
    let mixed = pc.op(
        "patients",
        id,
        OpKind::Update,
        json!({"address": "12 MG Road", "date_of_birth": "1990-05-17", "allergies": ["dust", "pollen"]}),
    );
    assert_eq!(
        statuses(&pc.push(&app, &[text_only, mixed]).await),
        ["applied", "applied"]
    );
    type Stored = (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Vec<String>,
    );
    let stored: Stored = sqlx::query_as(
        "SELECT notes, last_name, address, date_of_birth::text, allergies FROM patients WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&app.owner_pool)
    .await
    .expect("row");
    assert_eq!(
        stored,
        (
            Some(notes.to_owned()),
            None,
            Some("12 MG Road".to_owned()),
            "1990-05-17".to_owned(),
            vec!["dust".to_owned(), "pollen".to_owned()]
        )
    );
}

#[tokio::test]
async fn a_deleted_row_never_comes_back() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Tombstone Clinic").await;
    let mut pc = device(&clinic);
    let id = Uuid::now_v7();
    let insert = pc.op("patients", id, OpKind::Insert, patient("Gone", "+919800000003"));
    // An edit made offline before the delete, arriving after it.
    let late_edit = pc.op("patients", id, OpKind::Update, json!({"notes": "late"}));
    let delete = pc.op("patients", id, OpKind::Delete, json!({}));
    assert_eq!(
        statuses(&pc.push(&app, &[insert, delete]).await),
        ["applied", "applied"]
    );
    let reinsert = pc.op("patients", id, OpKind::Insert, patient("Gone", "+919800000003"));
    assert_eq!(
        statuses(&pc.push(&app, &[late_edit, reinsert]).await),
        ["deleted", "deleted"]
    );
    let deleted: bool = sqlx::query_scalar("SELECT deleted_at IS NOT NULL FROM patients WHERE id = $1")
        .bind(id)
        .fetch_one(&app.owner_pool)
        .await
        .expect("row");
    assert!(deleted);
    let snapshot = app
        .http
        .get(format!("{}/api/v1/sync/snapshot", app.base))
        .bearer_auth(&clinic.access_token)
        .send()
        .await
        .expect("snapshot");
    let text = snapshot.text().await.expect("body");
    assert!(
        !text.contains(&id.to_string()),
        "a tombstoned row is not in a new PC's snapshot"
    );
}

#[tokio::test]
async fn refused_ops_are_typed_and_the_rest_of_the_batch_still_applies() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Refusal Clinic", true).await;
    let mut pc = device(&clinic);
    sqlx::query("UPDATE tenants SET max_patients = 2")
        .execute(&app.owner_pool)
        .await
        .expect("limit");
    let ops = [
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, patient("One", "+919800000011")),
        pc.op("nonsense", Uuid::now_v7(), OpKind::Insert, json!({})),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, json!({"first_name": "Bad", "mobile_number": "+919800000012", "date_of_birth": "not-a-date", "gender": "female"})),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, json!({"first_name": "Type", "mobile_number": 42})),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, json!({"first_name": "X", "tenant_id": Uuid::now_v7()})),
        pc.op("users", Uuid::now_v7(), OpKind::Insert, json!({"email": "x@y.in"})),
        pc.op("appointments", Uuid::now_v7(), OpKind::Insert, json!({"appointment_number": "APT202612010001", "patient_id": Uuid::now_v7(), "doctor_id": Uuid::now_v7(), "office_id": "main", "appointment_date": "2026-12-01", "appointment_time": "10:00", "reason": "x"})),
        pc.op("patients", Uuid::now_v7(), OpKind::Update, json!({"notes": "x"})),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, patient("Two", "+919800000013")),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, patient("Three", "+919800000014")),
    ];
    let reply = pc.push(&app, &ops).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(
        statuses(&reply),
        [
            "applied",
            "unknown_table",
            "validation_failed",
            "validation_failed",
            "validation_failed",
            "forbidden",
            "missing_reference",
            "not_found",
            "applied",
            "plan_limit_reached",
        ]
    );
    assert!(
        reply.body["results"][2]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 2);
    assert_eq!(
        app.owner_count("SELECT count(*) FROM change_log WHERE table_name = 'patients'")
            .await,
        2
    );
    // The stored answer keeps only what the batch does not imply (the 8
    // refusals), and a retry gets the whole answer back, in op order.
    assert_eq!(
        app.owner_count("SELECT jsonb_array_length(last_result -> 'results')::bigint FROM applied_batches")
            .await,
        8
    );
    let retry = pc.push_as(&app, 1, &ops).await;
    assert_eq!(retry.body["results"], reply.body["results"]);
}

#[tokio::test]
async fn another_clinics_ids_change_nothing_of_that_clinic() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic_as("Clinic A", true).await;
    let b = app.register_clinic_as("Clinic B", true).await;
    let mut pa = device(&a);
    let mut pb = device(&b);
    let id = Uuid::now_v7();
    let secret = pa.op("patients", id, OpKind::Insert, patient("Secret", "+919800000021"));
    pa.push(&app, &[secret]).await;
    let b_doctor: Uuid = clinic_tests::uuid(&b.body["user"]["doctor_id"]);
    let ops = [
        pb.op("patients", id, OpKind::Update, json!({"notes": "pwned"})),
        pb.op("patients", id, OpKind::Delete, json!({})),
        pb.op("appointments", Uuid::now_v7(), OpKind::Insert, json!({"appointment_number": "APT202612010001", "patient_id": id, "doctor_id": b_doctor, "office_id": "main", "appointment_date": "2026-12-01", "appointment_time": "10:00", "reason": "probe"})),
    ];
    assert_eq!(
        statuses(&pb.push(&app, &ops).await),
        ["not_found", "not_found", "missing_reference"]
    );
    let row: (Option<String>, bool) =
        sqlx::query_as("SELECT notes, deleted_at IS NULL FROM patients WHERE id = $1")
            .bind(id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("row");
    assert_eq!(row, (None, true), "A's patient is untouched");
    let pulled = pb.pull(&app, 0).await;
    let text = pulled.body.to_string();
    assert!(
        !text.contains(&id.to_string()),
        "B's log holds nothing of A's patient"
    );
    // A push in B's name for A's device is refused outright.
    let mut spoof = Device::new(a.device_id, &b.access_token);
    let r = spoof.push(&app, &[]).await;
    assert_eq!(r.code(), "forbidden");
}

#[tokio::test]
async fn snapshot_streams_current_rows_at_a_cursor() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Snapshot Clinic", true).await;
    let mut pc = device(&clinic);
    let ops: Vec<_> = (0..25)
        .map(|n| {
            pc.op(
                "patients",
                Uuid::now_v7(),
                OpKind::Insert,
                patient(&format!("P{n}"), &format!("+9198000001{n:02}")),
            )
        })
        .collect();
    pc.push(&app, &ops).await;
    let resp = app
        .http
        .get(format!("{}/api/v1/sync/snapshot", app.base))
        .bearer_auth(&clinic.access_token)
        .send()
        .await
        .expect("snapshot");
    assert_eq!(resp.headers()["content-type"], "application/x-ndjson");
    let text = resp.text().await.expect("body");
    let mut lines = text.lines();
    let header: Value = serde_json::from_str(lines.next().expect("header")).expect("json");
    let rows: Vec<Value> = lines
        .map(|l| serde_json::from_str(l).expect("row json"))
        .collect();
    assert_eq!(header["total_rows"].as_i64(), Some(rows.len() as i64));
    let clinic_rows = rows.iter().filter(|r| r["table"] != "medicines").count();
    assert_eq!(clinic_rows, 27, "1 user + 1 doctor + 25 patients");
    let catalog = rows.iter().filter(|r| r["table"] == "medicines").count();
    assert!(
        catalog >= 150,
        "the global medicine catalog comes with the snapshot: {catalog}"
    );
    assert_eq!(header["cursor"], 27, "2 registration changes + 25 patients");
    let user = rows.iter().find(|r| r["table"] == "users").expect("user row");
    assert!(
        user["row"].get("password_hash").is_none(),
        "secrets never leave the server"
    );
    let p = rows
        .iter()
        .find(|r| r["table"] == "patients")
        .expect("patient row");
    assert!(p["row"]["field_hlc"]["first_name"].is_string());
    assert_eq!(p["row"]["gender"], "female");
}

#[tokio::test]
async fn live_events_announce_a_moved_sequence() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Live Clinic").await;
    let mut pc = device(&clinic);
    let mut events = app
        .http
        .get(format!("{}/api/v1/sync/events", app.base))
        .bearer_auth(&clinic.access_token)
        .send()
        .await
        .expect("events");
    assert_eq!(events.status(), StatusCode::OK);
    // Give the subscription a moment, then move the sequence.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let live = pc.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Live", "+919800000031"),
    );
    let pushed = pc.push(&app, &[live]).await;
    let cursor = pushed.body["cursor"].as_i64().expect("cursor");
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !seen.contains(&format!("\"cursor\":{cursor}")) {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("event in time")
            .expect("chunk");
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("stream open")));
    }
    assert!(seen.contains("event: moved"), "{seen}");
}

#[tokio::test]
async fn an_unknown_protocol_version_is_refused() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Version Clinic").await;
    let r = app
        .post(
            "/sync/push",
            &json!({"protocol": 99, "device_id": clinic.device_id, "batch_seq": 1, "ops": []}),
            Some(&clinic.access_token),
        )
        .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "unsupported_protocol_version")
    );
}

#[tokio::test]
async fn an_issued_prescription_cannot_be_changed_through_sync() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic_as("Rx Clinic", true).await;
    let mut pc = device(&clinic);
    let doctor = clinic_tests::uuid(&clinic.body["user"]["doctor_id"]);
    let (patient_id, rx) = (Uuid::now_v7(), Uuid::now_v7());
    let ops = [
        pc.op("patients", patient_id, OpKind::Insert, patient("Rx", "+919800000041")),
        pc.op(
            "prescriptions",
            rx,
            OpKind::Insert,
            json!({"prescription_number": "RX202611270001", "patient_id": patient_id, "doctor_id": doctor,
                   "visit_date": "2026-11-27", "diagnosis": "Pulpitis", "valid_until": "2026-12-27", "status": "active"}),
        ),
    ];
    assert_eq!(statuses(&pc.push(&app, &ops).await), ["applied", "applied"]);
    let dispense = pc.op(
        "prescriptions",
        rx,
        OpKind::Update,
        json!({"status": "dispensed"}),
    );
    assert_eq!(statuses(&pc.push(&app, &[dispense]).await), ["applied"]);
    let edit = pc.op(
        "prescriptions",
        rx,
        OpKind::Update,
        json!({"diagnosis": "Something else"}),
    );
    let item = pc.op(
        "prescription_items",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"prescription_id": rx, "medicine_name": "Ibuprofen", "dosage": "400 mg", "frequency": "1-0-1",
               "duration": "3 days", "quantity": 6}),
    );
    let delete = pc.op("prescriptions", rx, OpKind::Delete, json!({}));
    let refused = pc.push(&app, &[edit, item, delete]).await;
    assert_eq!(
        statuses(&refused),
        ["immutable", "immutable", "immutable"],
        "{:?}",
        refused.body
    );
    let diagnosis: String = sqlx::query_scalar("SELECT diagnosis FROM prescriptions WHERE id = $1")
        .bind(rx)
        .fetch_one(&app.owner_pool)
        .await
        .expect("row");
    assert_eq!(diagnosis, "Pulpitis");
    let bad_dob = pc.op(
        "patients",
        patient_id,
        OpKind::Update,
        json!({"date_of_birth": "2999-01-01"}),
    );
    assert_eq!(statuses(&pc.push(&app, &[bad_dob]).await), ["validation_failed"]);
}
