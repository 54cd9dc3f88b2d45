//! A referral's rows: the check that the patient is new here, and the
//! history records, all in one statement.

use serde_json::json;
use uuid::Uuid;

use super::Tx;
use crate::fhir::referral::Record;

/// A live patient of this clinic with the same identity (mobile number and
/// first name, as `patients_identity_unique` has it).
pub async fn same_identity(tx: &mut Tx, mobile: &str, first_name: &str) -> sqlx::Result<Option<Uuid>> {
    sqlx::query_scalar(
        "SELECT id FROM patients \
         WHERE tenant_id = app_tenant() AND mobile_number = $1 AND lower(first_name) = lower($2) \
           AND deleted_at IS NULL",
    )
    .bind(mobile)
    .bind(first_name)
    .fetch_optional(&mut **tx)
    .await
}

/// Inserts `records` of `patient` with the ids given, noting `source` on
/// each, by `user`. One statement whatever their number.
pub async fn insert_records(
    tx: &mut Tx,
    patient: Uuid,
    source: &str,
    records: &[(Uuid, &Record)],
    user: Uuid,
) -> sqlx::Result<()> {
    let rows: Vec<serde_json::Value> = records
        .iter()
        .map(|(id, r)| {
            json!({
                "id": id, "kind": r.kind, "occurred_on": r.occurred_on, "title": r.title,
                "detail": r.detail, "author": r.author, "source_ref": r.source_ref,
            })
        })
        .collect();
    sqlx::query(
        "INSERT INTO referral_records \
           (tenant_id, id, patient_id, kind, occurred_on, title, detail, author, source, source_ref, \
            created_by, updated_by) \
         SELECT app_tenant(), r.id, $1, r.kind, r.occurred_on, r.title, r.detail, r.author, $2, r.source_ref, $3, $3 \
         FROM jsonb_to_recordset($4) AS r(id uuid, kind text, occurred_on date, title text, detail text, \
                                         author text, source_ref text)",
    )
    .bind(patient)
    .bind(source)
    .bind(user)
    .bind(sqlx::types::Json(rows))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
