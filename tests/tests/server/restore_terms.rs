//! A restore rolls a clinic's records back, not its contract with the
//! platform: the plan, limits, trial and subscription ends and a suspension
//! the operator set after the backup was taken stay as they are.

use chrono::{Days, Utc};
use clinic_server::operator::{AdminAction, LimitChanges, execute};
use clinic_tests::TestApp;
use clinic_tests::backups::age_key;
use uuid::Uuid;

async fn terms(app: &TestApp, tenant: Uuid) -> String {
    sqlx::query_scalar(
        "SELECT row(plan, status, status_reason, trial_ends_at, subscription_ends_at, max_offices, \
                    max_doctors, max_patients, max_storage_bytes)::text FROM tenants WHERE id = $1",
    )
    .bind(tenant)
    .fetch_one(&app.owner_pool)
    .await
    .expect("terms")
}

#[tokio::test]
async fn a_replaced_clinic_keeps_the_terms_the_operator_set_after_its_backup() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = age_key(dir.path(), "operator");
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Terms Clinic").await;
    let file = app.take_backup(&clinic.code, &key, dir.path()).await;
    let at_backup = terms(&app, clinic.tenant_id).await;

    let upgrade = AdminAction::Plan {
        clinic: clinic.code.clone(),
        plan: "premium".into(),
        limits: LimitChanges {
            max_doctors: Some(40),
            ..LimitChanges::default()
        },
        until: Utc::now().date_naive().checked_add_days(Days::new(365)),
    };
    let suspend = AdminAction::Suspend {
        clinic: clinic.code.clone(),
        reason: "Cheque bounced".into(),
    };
    for action in [upgrade, suspend] {
        execute(&app.owner_pool, "ops", &action).await.expect("operator");
    }
    let set_since = terms(&app, clinic.tenant_id).await;
    assert_ne!(set_since, at_backup);

    let restored = app.restore_replacing(&file, &key).await.expect("restores");
    assert!(restored.replaced);
    assert_eq!(
        terms(&app, clinic.tenant_id).await,
        set_since,
        "a suspended, upgraded clinic stays suspended and upgraded"
    );
}
