//! Lost answers, crashes mid-pull and an unreachable server.

use client::error::ClientError;
use client::store::outbox::Batch;
use clinic_tests::TestApp;
use clinic_tests::pcs::{new_patient, pc_patients, server_patients};
use domain::error::ErrorCode;
use domain::sync::{OpStatus, Refusal};
use serde_json::json;

#[tokio::test]
async fn a_push_whose_answer_was_lost_is_applied_once() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Lossy Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    pc.insert("patients", new_patient("Once", "+919866666666"));
    // The server applies the batch; the answer never reaches the PC.
    let (batch, _lost) = pc.engine.send_next_batch().await.expect("send").expect("a batch");
    assert_eq!(pc.pending(), 1, "unacknowledged: still in the outbox");
    let report = pc.sync().await;
    assert_eq!((report.batches, report.applied), (1, 1));
    assert_eq!(pc.pending(), 0);
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 1);
    assert_eq!(
        app.owner_count("SELECT count(*) FROM change_log WHERE table_name = 'patients'")
            .await,
        1
    );
    assert_eq!(batch.batch_seq, 1);
}

#[tokio::test]
async fn a_pc_that_dies_while_applying_a_pull_restarts_with_its_outbox_intact() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Crash Clinic").await;
    let a = app.pc(&clinic).await;
    let b = app.pc(&clinic).await;
    a.sync().await;
    b.sync().await;
    for i in 0..20 {
        a.insert(
            "patients",
            new_patient(&format!("From A {i}"), &format!("+9198777{i:05}")),
        );
    }
    a.sync().await;
    let mine = b.insert("patients", new_patient("Mine", "+919888888888"));
    b.update("patients", mine, json!({"notes": "pending"}));
    let cursor_before = b.engine.store().expect("store").cursor().expect("cursor");
    b.engine.store().expect("store").inject_apply_fault_after(Some(7));
    let err = b.engine.sync_once().await.expect_err("dies mid-page");
    assert!(err.to_string().contains("injected fault"), "{err}");
    assert_eq!(
        b.engine.store().expect("store").cursor().expect("cursor"),
        cursor_before,
        "cursor not moved"
    );
    assert_eq!(b.rows("patients").len(), 1, "nothing of the page half-applied");
    assert_eq!(b.pending(), 2, "the outbox is intact");
    let b = app.restart(b, &clinic).await;
    assert_eq!(b.pending(), 2, "and survives the restart");
    b.sync().await;
    assert_eq!(b.pending(), 0);
    assert_eq!(b.rows("patients").len(), 21);
    assert_eq!(pc_patients(&b), server_patients(&app).await);
}

#[tokio::test]
async fn a_pc_whose_server_is_unreachable_is_offline_and_keeps_its_changes() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Offline Clinic").await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = client::Store::open(
        dir.path(),
        domain::ids::TenantId::from_uuid(clinic.tenant_id),
        &clinic_tests::pcs::store_key(),
    )
    .expect("store");
    // Nothing listens on port 9 of this machine.
    let engine = client::SyncEngine::new(
        store,
        client::ServerClient::new("http://127.0.0.1:9").expect("client"),
    );
    engine
        .store()
        .expect("store")
        .insert(
            "patients",
            new_patient("Offline", "+919899999999")
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
        .expect("insert");
    let err = engine.sync_once().await.expect_err("offline");
    assert!(err.is_transient(), "{err}");
    let status = engine.status().borrow().clone();
    assert!(!status.online, "{status:?}");
    assert_eq!(status.pending, 1);
    assert!(status.last_error.is_some_and(|e| e.starts_with("offline")));
    drop(app);
}

#[tokio::test]
async fn a_refused_create_can_be_corrected_and_sent_again() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Fix Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    // Another PC registered the same person (mobile + first name) first.
    let other = app.pc(&clinic).await;
    other.sync().await;
    other.insert("patients", new_patient("Meera", "+919812340000"));
    other.sync().await;
    let mine = pc.insert("patients", new_patient("Meera", "+919812340000"));
    let report = pc.sync().await;
    assert_eq!(report.refused, 1);
    let refused = pc.engine.store().expect("store").refused().expect("refused");
    assert_eq!(refused[0].refusal, domain::sync::Refusal::Duplicate);
    // The receptionist corrects the first name (it was the daughter).
    pc.engine
        .store()
        .expect("store")
        .resubmit_refused(
            refused[0].op_id,
            json!({"first_name": "Meera Jr"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
        .expect("resubmit");
    let report = pc.sync().await;
    assert_eq!((report.applied, report.refused), (1, 0));
    assert!(
        pc.engine
            .store()
            .expect("store")
            .refused()
            .expect("refused")
            .is_empty()
    );
    let server = server_patients(&app).await;
    assert!(
        server
            .iter()
            .any(|p| p["id"] == json!(mine.to_string()) && p["first_name"] == "Meera Jr")
    );
    assert_eq!(pc_patients(&pc), server);
}

#[tokio::test]
async fn a_running_pc_recovers_by_itself_when_the_network_returns() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Network Clinic").await;
    let network = clinic_tests::network::Switch::start(app.base.trim_start_matches("http://")).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let store = client::Store::open(
        dir.path(),
        domain::ids::TenantId::from_uuid(clinic.tenant_id),
        &clinic_tests::pcs::store_key(),
    )
    .expect("store");
    let login = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            clinic_tests::OWNER_PASSWORD,
            store.device_id().as_uuid(),
        )
        .await;
    let server = client::ServerClient::new(&network.url()).expect("client");
    server.set_token(login.body["access_token"].as_str().map(str::to_owned));
    let engine = std::sync::Arc::new(client::SyncEngine::new(store, server));
    let (stop, stop_rx) = tokio::sync::watch::channel(false);
    let runner = tokio::spawn(engine.clone().run(stop_rx));
    let wait_until = |pred: fn(&client::SyncStatus) -> bool| {
        let engine = engine.clone();
        async move {
            for _ in 0..200 {
                let now = engine.status().borrow().clone();
                if pred(&now) {
                    return now;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            panic!("status never matched: {:?}", engine.status().borrow().clone())
        }
    };
    wait_until(|s| s.online && s.cursor.is_some()).await;
    network.down().await;
    engine
        .store()
        .expect("store")
        .insert(
            "patients",
            new_patient("Net", "+919876500000")
                .as_object()
                .cloned()
                .unwrap_or_default(),
        )
        .expect("insert");
    engine.local_change();
    let offline = wait_until(|s| !s.online && s.pending == 1).await;
    assert!(offline.last_error.is_some());
    network.up().await;
    let back = wait_until(|s| s.online && s.pending == 0).await;
    assert!(back.last_error.is_none(), "{back:?}");
    assert_eq!(server_patients(&app).await.len(), 1);
    stop.send(true).expect("stop");
    runner.await.expect("runner");
}

/// The server answers a batch number it has already passed with no
/// results; the PC keeps every op the answer does not name and sends it
/// again, instead of deleting work that was never applied.
#[tokio::test]
async fn ops_missing_from_the_answer_stay_in_the_outbox() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Unanswered Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    let device = pc.engine.store().expect("store").device_id().as_uuid();
    // The same device's batches 1 to 3 reach the server from elsewhere
    // first (a restored copy of this PC, say): 1 is older than the two
    // answers the server keeps.
    let login = app
        .login(
            &clinic.code,
            &clinic.owner_email,
            clinic_tests::OWNER_PASSWORD,
            device,
        )
        .await;
    let mut twin = clinic_tests::pc::Device::new(device, login.body["access_token"].as_str().expect("token"));
    for n in 1..=3 {
        let op = twin.op(
            "patients",
            uuid::Uuid::now_v7(),
            domain::sync::OpKind::Insert,
            new_patient(&format!("Twin {n}"), &format!("+91985555000{n}")),
        );
        assert_eq!(twin.push(&app, &[op]).await.op_results(), ["applied"]);
    }
    pc.insert("patients", new_patient("Kept", "+919855550009"));
    let (batch, answer) = pc.engine.send_next_batch().await.expect("send").expect("a batch");
    assert_eq!(
        (batch.batch_seq, answer.results.len()),
        (1, 0),
        "an old number: answered empty"
    );
    pc.engine
        .store()
        .expect("store")
        .ack_batch(&batch, &answer)
        .expect("ack");
    assert_eq!(pc.pending(), 1, "the unanswered op is still waiting on the PC");
    let names: Vec<String> = server_patients(&app)
        .await
        .iter()
        .filter_map(|p| p["first_name"].as_str().map(str::to_owned))
        .collect();
    assert!(
        !names.contains(&"Kept".to_owned()),
        "it was never applied: {names:?}"
    );
}

/// A batch of long records is cut by size as well as by count, so it
/// never outgrows what the server takes (it would be refused forever).
#[tokio::test]
async fn long_records_go_in_batches_the_server_accepts() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Long Notes Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    let notes = "Long history. ".repeat(700);
    for i in 0..450 {
        let mut patient = new_patient(&format!("Notes {i}"), &format!("+9198444{i:05}"));
        patient["notes"] = json!(notes);
        pc.insert("patients", patient);
    }
    let report = pc.sync().await;
    assert_eq!(pc.pending(), 0, "everything reached the server");
    assert!(report.batches >= 2, "cut by size: {report:?}");
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 450);
}

/// Cuts two one-op batches, the second while the first is on its way, as
/// the engine does.
fn two_batches(pc: &clinic_tests::pcs::Pc) -> (Batch, Batch, domain::ids::DeviceId) {
    let mut store = pc.engine.store().expect("store");
    let first = store.next_batch(1).expect("cut").expect("a batch");
    let ahead = store
        .prepare_batch_after(first.batch_seq, 1)
        .expect("cut ahead")
        .expect("a second batch");
    (first, ahead, store.device_id())
}

/// A PC sends its next batch while the one before is on its way. If both
/// answers are lost, it sends both again in order and gets the same
/// answers, a refusal included; each change is applied once.
#[tokio::test]
async fn two_batches_on_their_way_whose_answers_were_lost_are_answered_again() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Two Lost Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    pc.insert("patients", new_patient("Fits", "+919855551001"));
    pc.insert("patients", new_patient("Over", "+919855551002"));
    sqlx::query("UPDATE tenants SET max_patients = 1 WHERE id = $1")
        .bind(clinic.tenant_id)
        .execute(&app.owner_pool)
        .await
        .expect("limit");
    let (first, ahead, device) = two_batches(&pc);
    let server = pc.engine.server();
    let lost = server.push(&first.request(device)).await.expect("applied");
    let lost_ahead = server.push(&ahead.request(device)).await.expect("applied");
    assert_eq!(lost.results[0].status, OpStatus::Applied);
    assert_eq!(lost_ahead.results[0].refusal, Some(Refusal::PlanLimitReached));

    let report = pc.sync().await;
    assert_eq!(
        (report.batches, report.applied, report.refused),
        (2, 1, 1),
        "both answered again, in order"
    );
    assert_eq!(pc.pending(), 0);
    assert_eq!(
        pc.engine
            .store()
            .expect("store")
            .refused()
            .expect("refused")
            .len(),
        1
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 1);
    assert_eq!(
        app.owner_count("SELECT count(*) FROM change_log WHERE table_name = 'patients'")
            .await,
        1
    );
}

/// A batch sent ahead that reaches the server before the one before it is
/// refused as out of order and changes nothing; the PC sends both again in
/// order.
#[tokio::test]
async fn a_batch_that_overtakes_the_one_before_is_sent_again_after_it() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Overtaken Clinic").await;
    let pc = app.pc(&clinic).await;
    pc.sync().await;
    pc.insert("patients", new_patient("First", "+919855552001"));
    pc.insert("patients", new_patient("Second", "+919855552002"));
    let (_first, ahead, device) = two_batches(&pc);
    let early = pc
        .engine
        .server()
        .push(&ahead.request(device))
        .await
        .expect_err("out of order");
    assert!(
        matches!(
            early,
            ClientError::Server {
                code: ErrorCode::BatchOutOfOrder,
                ..
            }
        ),
        "{early:?}"
    );
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 0);
    let report = pc.sync().await;
    assert_eq!((report.batches, report.applied), (2, 2));
    assert_eq!(pc.pending(), 0);
    assert_eq!(app.owner_count("SELECT count(*) FROM patients").await, 2);
}
