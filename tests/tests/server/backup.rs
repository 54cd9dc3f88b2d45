//! Per-clinic backup and restore: into a fresh server every table and the
//! change log's chain come back equal; a changed file is refused and
//! changes nothing; a clinic the server has is replaced only when asked,
//! and a copy can sit beside it.

use clinic_server::backup::BackupError;
use clinic_server::backup::restore::Options;
use clinic_tests::backups::age_key;
use clinic_tests::pc::{Device, patient};
use clinic_tests::{Clinic, TestApp, uuid};
use domain::sync::OpKind;
use serde_json::json;
use uuid::Uuid;

/// A clinic with a little of everything that needs care on restore: its
/// own medicine (ids unique across the server), a dispensed prescription
/// (the status machine refuses to insert one) with an item of it.
async fn clinic_with_records(app: &TestApp) -> Clinic {
    let clinic = app.register_clinic_as("Backup Clinic", true).await;
    let doctor = uuid(&clinic.body["user"]["doctor_id"]);
    let mut pc = Device::new(clinic.device_id, &clinic.access_token);
    let (patient_id, medicine, rx) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    let ops = vec![
        pc.op("patients", patient_id, OpKind::Insert, patient("Meera", "+919800000301")),
        pc.op("patients", Uuid::now_v7(), OpKind::Insert, patient("Kiran", "+919800000302")),
        pc.op(
            "medicines",
            medicine,
            OpKind::Insert,
            json!({"name": "Clinic Syrup", "composition": "House blend 5 ml", "dosage_forms": ["syrup"]}),
        ),
        pc.op(
            "prescriptions",
            rx,
            OpKind::Insert,
            json!({"prescription_number": "RX203001010001", "patient_id": patient_id, "doctor_id": doctor,
                   "visit_date": "2030-01-01", "diagnosis": "Cough", "valid_until": "2030-01-31", "status": "active"}),
        ),
        pc.op(
            "prescription_items",
            Uuid::now_v7(),
            OpKind::Insert,
            json!({"prescription_id": rx, "medicine_id": medicine, "medicine_name": "Clinic Syrup",
                   "dosage": "5 ml", "frequency": "1-0-1", "duration": "5 days", "quantity": 1}),
        ),
    ];
    let reply = pc.push(app, &ops).await;
    assert!(
        reply.op_results().iter().all(|r| r == "applied"),
        "{:?}",
        reply.body
    );
    let dispense = pc.op(
        "prescriptions",
        rx,
        OpKind::Update,
        json!({"status": "dispensed"}),
    );
    assert_eq!(pc.push(app, &[dispense]).await.op_results(), ["applied"]);
    clinic
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_server_with_every_row_and_the_chain() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let source = TestApp::spawn().await;
    let demo = demo::run(&source.base).await.expect("demo clinic");
    let tenant = tenant_for(&source, &demo.clinic_code)
        .await
        .expect("the demo clinic");
    let file = source.take_backup(&demo.clinic_code, &key, dir.path()).await;
    let bytes = std::fs::read(&file).expect("read backup");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    assert!(
        !bytes
            .windows(demo.clinic_code.len())
            .any(|w| w == demo.clinic_code.as_bytes()),
        "nothing readable without the key"
    );

    let target = TestApp::spawn().await;
    let restored = target
        .restore_backup(&file, &key, &Options::default())
        .await
        .expect("restore");
    assert_eq!(restored.clinic.id, tenant);
    assert!(!restored.relinked && !restored.replaced);

    let before = source.clinic_fingerprint(tenant).await;
    let after = target.clinic_fingerprint(tenant).await;
    assert_eq!(before, after, "every table's rows come back equal");
    let patients = before.iter().find(|(t, ..)| t == "patients").expect("patients");
    assert_eq!(patients.1, 200);
    let (seq, hash) = source.chain_head(tenant).await;
    assert!(seq > 200, "{seq}");
    assert_eq!(
        target.chain_head(tenant).await,
        (seq, hash),
        "the chain's head is equal"
    );
    let code = domain::tenant::TenantCode::parse(&demo.clinic_code).expect("code");
    let report = clinic_server::sync::chain::verify_clinic(&target.owner_pool, &code)
        .await
        .expect("verify")
        .expect("the clinic exists");
    assert!(report.first_bad.is_none() && !report.head_mismatch);
    assert_eq!(report.checked, seq);

    // The restored clinic works: its owner signs in, and a PC holding a
    // cursor of the old epoch is told to take a snapshot.
    let device = Uuid::now_v7();
    let login = target
        .login(&demo.clinic_code, &demo.sign_ins[0].1, demo::PASSWORD, device)
        .await;
    assert_eq!(login.status, reqwest::StatusCode::OK, "{:?}", login.body);
    let token = login.body["access_token"].as_str();
    let old_epoch = Uuid::now_v7();
    let pull = target
        .get(&format!("/sync/pull?since=1&limit=10&epoch={old_epoch}"), token)
        .await;
    assert_eq!(pull.body["snapshot_required"], true, "{:?}", pull.body);
    let epoch = pull.body["epoch"].as_str().expect("epoch").to_owned();
    let pull = target
        .get(&format!("/sync/pull?since=1&limit=10&epoch={epoch}"), token)
        .await;
    assert_eq!(pull.body["snapshot_required"], false, "{:?}", pull.body);
}

#[tokio::test]
async fn a_changed_or_foreign_backup_is_refused_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let source = TestApp::spawn().await;
    let clinic = clinic_with_records(&source).await;
    let file = source.take_backup(&clinic.code, &key, dir.path()).await;
    let bytes = std::fs::read(&file).expect("read");
    let target = TestApp::spawn().await;

    // One byte changed in the payload, and one in the last chunk.
    for at in [bytes.len() / 2, bytes.len() - 3] {
        let mut changed = bytes.clone();
        changed[at] ^= 0x01;
        let bad = dir.path().join("changed.clinic-backup");
        std::fs::write(&bad, &changed).expect("write");
        let err = target
            .restore_backup(&bad, &key, &Options::default())
            .await
            .expect_err("a changed file is refused");
        assert!(matches!(err, BackupError::Decrypt(_)), "byte {at}: {err}");
    }
    // Cut short.
    let short = dir.path().join("short.clinic-backup");
    std::fs::write(&short, &bytes[..bytes.len() - 40]).expect("write");
    let err = target.restore_backup(&short, &key, &Options::default()).await;
    assert!(matches!(err, Err(BackupError::Decrypt(_))), "{err:?}");
    // Another operator's key.
    let stranger = age_key(dir.path(), "stranger");
    let err = target.restore_backup(&file, &stranger, &Options::default()).await;
    assert!(matches!(err, Err(BackupError::Decrypt(_))), "{err:?}");

    assert_eq!(
        tenant_for(&target, &clinic.code).await,
        None,
        "nothing was written"
    );
    // The untouched file still restores.
    target
        .restore_backup(&file, &key, &Options::default())
        .await
        .expect("the original restores");
}

/// The clinic with `code` on `app`'s server (the lookup sees every clinic).
async fn tenant_for(app: &TestApp, code: &str) -> Option<Uuid> {
    sqlx::query_scalar("SELECT tenant_id_for_code($1)")
        .bind(code)
        .fetch_one(&app.owner_pool)
        .await
        .expect("lookup")
}

#[tokio::test]
async fn a_live_clinic_is_replaced_only_when_asked_and_a_copy_sits_beside_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let app = TestApp::spawn().await;
    let clinic = clinic_with_records(&app).await;
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;
    let original = app.clinic_fingerprint(clinic.tenant_id).await;

    let err = app
        .restore_backup(&file, &key, &Options::default())
        .await
        .expect_err("the clinic exists here");
    assert!(
        matches!(&err, BackupError::Conflict(m) if m.contains("--replace")),
        "{err}"
    );

    let copy = app
        .restore_backup(
            &file,
            &key,
            &Options {
                as_new_clinic: true,
                ..Options::default()
            },
        )
        .await
        .expect("a copy");
    assert_ne!(copy.clinic.id, clinic.tenant_id);
    assert_ne!(copy.clinic.code, clinic.code);
    assert!(
        copy.relinked,
        "the copy's own medicine has a new id, so its log is re-linked"
    );
    let copied = app.clinic_fingerprint(copy.clinic.id).await;
    let counts = |f: &[(String, i64, String)]| f.iter().map(|(t, n, _)| (t.clone(), *n)).collect::<Vec<_>>();
    assert_eq!(counts(&copied), counts(&original));
    let same = |t: &str| copied.iter().find(|r| r.0 == t) == original.iter().find(|r| r.0 == t);
    assert!(same("patients") && same("users") && same("prescriptions"));
    assert!(!same("medicines"), "new medicine ids");
    assert_eq!(
        app.clinic_fingerprint(clinic.tenant_id).await,
        original,
        "the original is untouched"
    );
    let code = domain::tenant::TenantCode::parse(&copy.clinic.code).expect("code");
    let report = clinic_server::sync::chain::verify_clinic(&app.owner_pool, &code)
        .await
        .expect("verify")
        .expect("the copy exists");
    assert!(report.first_bad.is_none() && !report.head_mismatch, "{report:?}");
    let login = app
        .login(
            &copy.clinic.code,
            &clinic.owner_email,
            clinic_tests::OWNER_PASSWORD,
            Uuid::now_v7(),
        )
        .await;
    assert_eq!(
        login.status,
        reqwest::StatusCode::OK,
        "the copy's owner signs in: {:?}",
        login.body
    );
}

#[tokio::test]
async fn an_admin_downloads_the_clinics_backup_with_a_passphrase_and_it_is_audited() {
    let app = TestApp::spawn().await;
    let clinic = clinic_with_records(&app).await;
    let doctor = app.doctor(&clinic, "dr.backup@example.org", "KA-55501").await;
    let download = |token: String, passphrase: &str| {
        app.http
            .post(format!("{}/api/v1/tenant/backup", app.base))
            .bearer_auth(token)
            .json(&json!({ "passphrase": passphrase }))
            .send()
    };
    let refused = download(doctor.access_token.clone(), "long enough passphrase")
        .await
        .expect("send");
    assert_eq!(refused.status(), reqwest::StatusCode::FORBIDDEN, "admins only");
    let short = download(clinic.access_token.clone(), "too short")
        .await
        .expect("send");
    assert_eq!(short.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = short.json().await.expect("json");
    assert_eq!(body["fields"][0]["field"], "passphrase", "{body}");

    let passphrase = "green kettle quiet morning";
    let reply = download(clinic.access_token.clone(), passphrase)
        .await
        .expect("send");
    assert_eq!(reply.status(), reqwest::StatusCode::OK);
    let disposition = reply.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(disposition.contains(&format!("{}-", clinic.code)) && disposition.ends_with(".clinic-backup\""));
    let bytes = reply.bytes().await.expect("body");
    assert!(bytes.starts_with(b"age-encryption.org/v1"));

    // The operator restores it elsewhere with the passphrase.
    let target = TestApp::spawn().await;
    let key = clinic_server::backup::crypt::Key::Passphrase(passphrase.to_owned().into());
    let input =
        clinic_server::backup::crypt::open(std::io::Cursor::new(bytes.to_vec()), &key).expect("opens");
    clinic_server::backup::restore::restore(&target.owner_pool, input, &Options::default())
        .await
        .expect("restore");
    let mut before = app.clinic_fingerprint(clinic.tenant_id).await;
    let mut after = target.clinic_fingerprint(clinic.tenant_id).await;
    // The download's own audit event came after its snapshot.
    before.retain(|(t, ..)| t != "audit_events");
    after.retain(|(t, ..)| t != "audit_events");
    assert_eq!(before, after);
    let wrong = clinic_server::backup::crypt::Key::Passphrase("another passphrase here".to_owned().into());
    let bytes = bytes.to_vec();
    assert!(matches!(
        clinic_server::backup::crypt::open(std::io::Cursor::new(bytes), &wrong),
        Err(BackupError::Decrypt(_))
    ));

    let audited: Vec<(String, serde_json::Value)> = sqlx::query_as(
        "SELECT action, details FROM audit_events WHERE tenant_id = $1 AND entity_table = 'tenants'",
    )
    .bind(clinic.tenant_id)
    .fetch_all(&app.owner_pool)
    .await
    .expect("audit");
    assert_eq!(audited.len(), 1, "{audited:?}");
    assert_eq!(audited[0].0, "export");
    assert_eq!(audited[0].1["what"], "backup");
}

#[tokio::test]
async fn rows_of_a_forged_backup_that_name_another_clinic_land_in_the_restored_one() {
    use std::io::{BufRead, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let app = TestApp::spawn().await;
    let clinic = clinic_with_records(&app).await;
    let victim = app.register_clinic("Victim Clinic").await;
    let victim_before = app.clinic_fingerprint(victim.tenant_id).await;
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;

    // Whoever has the operator's public key can write a backup: one that
    // moves a patient into the victim clinic.
    let opened = clinic_server::backup::crypt::open(
        std::fs::File::open(&file).expect("file"),
        &clinic_server::backup::crypt::Key::identity_file(&key.identity_file).expect("key"),
    )
    .expect("opens");
    let mut forged = Vec::new();
    for line in opened.lines() {
        let line = line.expect("line");
        let mut value: serde_json::Value = serde_json::from_str(&line).expect("json");
        if value.get("first_name").is_some_and(|n| n == "Meera") {
            value["tenant_id"] = json!(victim.tenant_id);
        }
        forged.push(value.to_string());
    }
    let lock = clinic_server::backup::crypt::Lock::recipient(&key.recipient).expect("recipient");
    let forged_file = dir.path().join("forged.clinic-backup");
    let mut sealed = clinic_server::backup::crypt::Sealed::new(
        std::fs::File::create(&forged_file).expect("create"),
        &lock,
    )
    .expect("seal");
    sealed.write_all(forged.join("\n").as_bytes()).expect("write");
    sealed.write_all(b"\n").expect("write");
    sealed.finish().expect("finish");

    app.restore_backup(
        &forged_file,
        &key,
        &Options {
            replace: true,
            ..Options::default()
        },
    )
    .await
    .expect("restores");
    assert_eq!(
        app.clinic_fingerprint(victim.tenant_id).await,
        victim_before,
        "the victim is untouched"
    );
    let meera: i64 =
        sqlx::query_scalar("SELECT count(*) FROM patients WHERE tenant_id = $1 AND first_name = 'Meera'")
            .bind(clinic.tenant_id)
            .fetch_one(&app.owner_pool)
            .await
            .expect("count");
    assert_eq!(meera, 1, "the row landed in the clinic being restored");
}
