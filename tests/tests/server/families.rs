//! A family (everyone on one mobile number) holds at most 10 people, on
//! the server too: two PCs offline can each add the tenth, and a batch
//! cannot pass the limit by spreading additions over its ops.

use clinic_tests::TestApp;
use clinic_tests::pc::{Device, patient};
use domain::sync::OpKind;
use serde_json::json;
use uuid::Uuid;

const FAMILY: &str = "+919845012345";

async fn family_size(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM patients WHERE mobile_number = $1 AND deleted_at IS NULL")
        .bind(FAMILY)
        .fetch_one(&app.owner_pool)
        .await
        .expect("family size")
}

#[tokio::test]
async fn the_eleventh_family_member_is_refused_by_the_server() {
    let app = TestApp::spawn().await;
    let clinic = app.register_clinic("Big Family Clinic").await;
    let mut owner = Device::new(clinic.device_id, &clinic.access_token);
    let mut desk = app
        .staff_member(&clinic, "receptionist", "desk.family@example.org")
        .await
        .device();

    let nine: Vec<_> = (1..=9)
        .map(|n| {
            owner.op(
                "patients",
                Uuid::now_v7(),
                OpKind::Insert,
                patient(&format!("Member{n}"), FAMILY),
            )
        })
        .collect();
    assert_eq!(owner.push(&app, &nine).await.op_results(), vec!["applied"; 9]);

    // Both PCs registered "the tenth" while offline; the later push loses.
    let tenth = owner.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Tenth", FAMILY),
    );
    assert_eq!(owner.push(&app, &[tenth]).await.op_results(), ["applied"]);
    let eleventh = desk.op(
        "patients",
        Uuid::now_v7(),
        OpKind::Insert,
        patient("Eleventh", FAMILY),
    );
    let refused = desk.push(&app, &[eleventh]).await;
    assert_eq!(refused.op_results(), ["validation_failed"], "{:?}", refused.body);
    let message = refused.body["results"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("10 family members"), "{message}");
    assert_eq!(family_size(&app).await, 10);

    // Moving someone in from another number is joining too.
    let outsider = Uuid::now_v7();
    let insert = desk.op(
        "patients",
        outsider,
        OpKind::Insert,
        patient("Outsider", "+919845099999"),
    );
    assert_eq!(desk.push(&app, &[insert]).await.op_results(), ["applied"]);
    let move_in = desk.op(
        "patients",
        outsider,
        OpKind::Update,
        json!({"mobile_number": FAMILY}),
    );
    assert_eq!(
        desk.push(&app, &[move_in]).await.op_results(),
        ["validation_failed"]
    );

    // A batch that first deletes a member has room for one more, and no
    // more than one.
    let member = nine[0].row_id;
    let batch = [
        owner.op("patients", member, OpKind::Delete, json!({})),
        owner.op(
            "patients",
            Uuid::now_v7(),
            OpKind::Insert,
            patient("Newborn", FAMILY),
        ),
        owner.op(
            "patients",
            Uuid::now_v7(),
            OpKind::Insert,
            patient("Twin", FAMILY),
        ),
    ];
    let reply = owner.push(&app, &batch).await;
    assert_eq!(
        reply.op_results(),
        ["applied", "applied", "validation_failed"],
        "{:?}",
        reply.body
    );
    assert_eq!(family_size(&app).await, 10);
}
