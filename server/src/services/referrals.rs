//! Taking in a referral: the new patient (checked as a pushed one would
//! be, and against the plan) and their history, logged for every PC and
//! audited, in the caller's transaction.

use std::collections::BTreeMap;

use chrono::Utc;
use domain::api::{AuditAction, AuditEvent, ReferralImported};
use domain::plan::within_limit;
use domain::sync::tables;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::Writes;
use crate::auth::TenantTx;
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::fhir::referral::Referral;

pub async fn import(t: &mut TenantTx, referral: &Referral) -> ApiResult<ReferralImported> {
    let user = t.auth.sub.as_uuid();
    // The row lock serialises concurrent imports against the patient limit.
    let tenant = super::clinic_open_for_new(t, "patients").await?;
    let limit = tenant.limits().max_patients;
    if !within_limit(limit, db::tenants::usage(&mut t.tx).await?.patients, 1) {
        return Err(ApiError::PlanLimitReached(format!(
            "your plan allows {limit} patients; upgrade your plan to add more"
        )));
    }
    let text = |name: &str| {
        referral
            .patient
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let (mobile, first_name) = (text("mobile_number"), text("first_name"));
    if db::referrals::same_identity(&mut t.tx, mobile, first_name)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!(
            "{first_name} with mobile number {mobile} is already a patient of this clinic"
        )));
    }
    let patient = Uuid::now_v7();
    let mut fields: Map<String, Value> = referral.patient.clone();
    fields.insert(
        "notes".into(),
        json!(format!(
            "Referred from another clinic ({}); their history is kept read-only under \"Referral history\".",
            referral.source
        )),
    );
    let spec = tables::table("patients").ok_or_else(|| ApiError::Internal(anyhow::anyhow!("patients")))?;
    crate::sync::rows::insert(&mut t.tx, spec, patient, &fields, &Map::new(), user, 0).await?;
    let records: Vec<(Uuid, _)> = referral.records.iter().map(|r| (Uuid::now_v7(), r)).collect();
    db::referrals::insert_records(&mut t.tx, patient, &referral.source, &records, user).await?;
    let mut writes = Writes::default();
    writes.inserted("patients", patient);
    writes.inserted_all(records.iter().map(|(id, _)| ("referral_records", *id)));
    writes.log(&mut t.tx, user).await?;
    let mut by_kind: BTreeMap<String, u32> = BTreeMap::new();
    for (_, r) in &records {
        *by_kind.entry(r.kind.to_owned()).or_default() += 1;
    }
    let event = AuditEvent {
        id: Uuid::now_v7(),
        action: AuditAction::Import,
        entity_table: "patients".into(),
        entity_id: Some(patient),
        details: json!({"what": "fhir_referral", "source": referral.source, "records": by_kind,
                        "skipped": referral.skipped}),
        occurred_at: Utc::now(),
    };
    db::audit::record(&mut t.tx, user, t.auth.did.as_uuid(), &[event]).await?;
    let last = text("last_name");
    Ok(ReferralImported {
        patient_id: patient,
        patient_name: if last.is_empty() {
            first_name.to_owned()
        } else {
            format!("{first_name} {last}")
        },
        records: by_kind,
        skipped: referral.skipped.clone(),
        source: referral.source.clone(),
    })
}
