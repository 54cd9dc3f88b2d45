//! The operator's global medicine catalog (`clinic-server admin medicine`):
//! each add, change and retirement reaches every clinic through its own
//! change log, marked global, with the chain intact and an audit row; bad
//! input and a clinic's own medicine are refused and change nothing.

use clinic_server::operator::{AdminAction, MedicineAction, MedicineArgs, OperatorError, execute};
use clinic_tests::TestApp;
use clinic_tests::pc::Device;
use domain::sync::OpKind;
use serde_json::{Value, json};
use uuid::Uuid;

async fn run(app: &TestApp, action: MedicineAction) -> Result<String, OperatorError> {
    execute(&app.owner_pool, "ops.anita", &AdminAction::Medicine { action }).await
}

fn named(name: &str, composition: &str) -> MedicineArgs {
    MedicineArgs {
        name: Some(name.to_owned()),
        composition: Some(composition.to_owned()),
        ..MedicineArgs::default()
    }
}

/// The changes of `row` a PC pulls after `since`.
async fn pulled_for(app: &TestApp, pc: &Device, since: i64, row: Uuid) -> Vec<Value> {
    let pulled = pc.pull(app, since).await;
    assert_eq!(pulled.status, 200, "{:?}", pulled.body);
    pulled.body["changes"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c["row_id"] == json!(row))
        .collect()
}

async fn cursor(app: &TestApp, pc: &Device) -> i64 {
    pc.pull(app, 0).await.body["cursor"].as_i64().expect("cursor")
}

async fn global_id(app: &TestApp, name: &str) -> Uuid {
    sqlx::query_scalar("SELECT id FROM medicines WHERE tenant_id IS NULL AND name = $1")
        .bind(name)
        .fetch_one(&app.owner_pool)
        .await
        .expect("the global row")
}

async fn chain_is_intact(app: &TestApp, code: &str) {
    let code = domain::tenant::TenantCode::parse(code).expect("code");
    let report = clinic_server::sync::chain::verify_clinic(&app.owner_pool, &code)
        .await
        .expect("verify")
        .expect("the clinic exists");
    assert_eq!((&report.first_bad, report.head_mismatch), (&None, false));
}

#[tokio::test]
async fn a_global_medicine_reaches_every_clinic_through_its_log() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic_as("Global Meds A", true).await;
    let b = app.register_clinic("Global Meds B").await;
    let mut pc_a = Device::new(a.device_id, &a.access_token);
    let pc_b = Device::new(b.device_id, &b.access_token);
    let (since_a, since_b) = (cursor(&app, &pc_a).await, cursor(&app, &pc_b).await);

    let said = run(
        &app,
        MedicineAction::Add {
            text: MedicineArgs {
                strength: Some("4 mg".into()),
                dosage_forms: Some("tablet, syrup".into()),
                ..named("Ondansetron Global", "Ondansetron 4 mg")
            },
        },
    )
    .await
    .expect("add");
    let id = global_id(&app, "Ondansetron Global").await;
    assert!(said.contains(&id.to_string()), "{said}");
    for (pc, since) in [(&pc_a, since_a), (&pc_b, since_b)] {
        let changes = pulled_for(&app, pc, since, id).await;
        assert_eq!(changes.len(), 1, "{changes:?}");
        let change = &changes[0];
        assert_eq!(
            (&change["kind"], &change["global"]),
            (&json!("insert"), &json!(true))
        );
        assert_eq!(change["fields"]["name"], "Ondansetron Global");
        assert_eq!(change["fields"]["strength"], "4 mg");
        assert_eq!(change["fields"]["dosage_forms"], json!(["tablet", "syrup"]));
        assert_eq!(
            change["fields"]["price_minor"],
            Value::Null,
            "clinics price it themselves"
        );
    }

    // Changing one field keeps the others; retiring hides it, not deletes it.
    let (since_a, since_b) = (cursor(&app, &pc_a).await, cursor(&app, &pc_b).await);
    let strength = MedicineArgs {
        strength: Some("8 mg".into()),
        ..MedicineArgs::default()
    };
    run(&app, MedicineAction::Change { id, text: strength })
        .await
        .expect("change");
    run(&app, MedicineAction::Retire { id }).await.expect("retire");
    for (pc, since) in [(&pc_a, since_a), (&pc_b, since_b)] {
        let changes = pulled_for(&app, pc, since, id).await;
        let seen: Vec<(&Value, &Value, &Value, &Value)> = changes
            .iter()
            .map(|c| {
                (
                    &c["global"],
                    &c["fields"]["name"],
                    &c["fields"]["strength"],
                    &c["fields"]["is_active"],
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    &json!(true),
                    &json!("Ondansetron Global"),
                    &json!("8 mg"),
                    &json!(true)
                ),
                (
                    &json!(true),
                    &json!("Ondansetron Global"),
                    &json!("8 mg"),
                    &json!(false)
                ),
            ]
        );
    }
    let again = run(&app, MedicineAction::Retire { id }).await;
    assert!(
        matches!(again, Err(OperatorError::AlreadyRetired(_))),
        "{again:?}"
    );

    // A clinic's own medicine is the clinic's: not global, and not the operator's.
    let own = Uuid::now_v7();
    let op = pc_a.op(
        "medicines",
        own,
        OpKind::Insert,
        json!({"name": "House Mouthwash", "composition": "Chlorhexidine 0.2%"}),
    );
    assert_eq!(pc_a.push(&app, &[op]).await.op_results(), ["applied"]);
    let own_change = pulled_for(&app, &pc_a, since_a, own).await;
    assert_eq!(own_change.len(), 1);
    assert_eq!(own_change[0].get("global"), None, "{own_change:?}");
    let refused = run(
        &app,
        MedicineAction::Change {
            id: own,
            text: named("Taken Over", "x"),
        },
    )
    .await;
    assert!(
        matches!(refused, Err(OperatorError::UnknownMedicine(i)) if i == own),
        "{refused:?}"
    );

    // A medicine without what it contains is refused, naming the flag.
    let before: i64 = sqlx::query_scalar("SELECT count(*) FROM medicines WHERE tenant_id IS NULL")
        .fetch_one(&app.owner_pool)
        .await
        .expect("count");
    let bad = run(
        &app,
        MedicineAction::Add {
            text: named("No Contents", "  "),
        },
    )
    .await;
    match bad {
        Err(OperatorError::BadMedicine(said)) => assert!(said.contains("--composition"), "{said}"),
        other => panic!("{other:?}"),
    }
    let after: i64 = sqlx::query_scalar("SELECT count(*) FROM medicines WHERE tenant_id IS NULL")
        .fetch_one(&app.owner_pool)
        .await
        .expect("count");
    assert_eq!(before, after, "nothing added");

    // Every action is audited once; both clinics' chains still verify.
    let audited: Vec<String> = sqlx::query_scalar(
        "SELECT action FROM operator_audit WHERE clinic_id IS NULL AND details->>'id' = $1 ORDER BY id",
    )
    .bind(id.to_string())
    .fetch_all(&app.owner_pool)
    .await
    .expect("audit");
    assert_eq!(audited, ["add_medicine", "change_medicine", "retire_medicine"]);
    chain_is_intact(&app, &a.code).await;
    chain_is_intact(&app, &b.code).await;
    let listed = run(
        &app,
        MedicineAction::List {
            search: "ondansetron glo".into(),
        },
    )
    .await
    .expect("list");
    assert_eq!(listed, format!("{id}  Ondansetron Global 8 mg  (retired)"));
}

/// A clinic reads the global catalog but cannot change it: a PC's edit or
/// delete of a global medicine is refused as not found (for a clinic's
/// writes the row is not there), not a failed batch; the row stays as the
/// operator left it, and the rest of the batch applies.
#[tokio::test]
async fn a_clinic_cannot_change_a_global_medicine_by_push() {
    let app = TestApp::spawn().await;
    let a = app.register_clinic_as("Global Meds Pushers", true).await;
    let mut pc = Device::new(a.device_id, &a.access_token);
    run(
        &app,
        MedicineAction::Add {
            text: named("Cetirizine Global", "Cetirizine 10 mg"),
        },
    )
    .await
    .expect("add");
    let id = global_id(&app, "Cetirizine Global").await;

    let edit = pc.op(
        "medicines",
        id,
        OpKind::Update,
        json!({"name": "Renamed By A Clinic"}),
    );
    let delete = pc.op("medicines", id, OpKind::Delete, json!({}));
    let own = pc.op(
        "medicines",
        Uuid::now_v7(),
        OpKind::Insert,
        json!({"name": "House Syrup", "composition": "Honey"}),
    );
    let reply = pc.push(&app, &[edit, delete, own]).await;
    assert_eq!(reply.status, 200, "{:?}", reply.body);
    assert_eq!(
        reply.op_results(),
        ["not_found", "not_found", "applied"],
        "{:?}",
        reply.body
    );

    let (name, deleted): (String, bool) = sqlx::query_as(
        "SELECT name, deleted_at IS NOT NULL FROM medicines WHERE id = $1 AND tenant_id IS NULL",
    )
    .bind(id)
    .fetch_one(&app.owner_pool)
    .await
    .expect("the global row");
    assert_eq!((name.as_str(), deleted), ("Cetirizine Global", false));
    chain_is_intact(&app, &a.code).await;
}
