//! Clinics: creation, look-up by code, settings and usage.

use chrono::{DateTime, Utc};
use domain::api::TenantView;
use domain::ids::TenantId;
use domain::plan::{Plan, PlanLimits};
use domain::tenant::{Subscription, TenantCode, TenantSettings, TenantStatus, Usage};
use uuid::Uuid;

use super::Tx;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TenantRow {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub plan: String,
    pub status: String,
    pub trial_ends_at: Option<DateTime<Utc>>,
    pub subscription_ends_at: Option<DateTime<Utc>>,
    pub max_offices: i64,
    pub max_doctors: i64,
    pub max_patients: i64,
    pub max_storage_bytes: i64,
    pub settings: sqlx::types::Json<serde_json::Value>,
    pub status_reason: Option<String>,
    /// Changes whenever the logo does; the logo itself is read apart.
    pub logo_fingerprint: Option<String>,
}

impl TenantRow {
    pub fn limits(&self) -> PlanLimits {
        PlanLimits::new(
            self.max_offices,
            self.max_doctors,
            self.max_patients,
            self.max_storage_bytes,
        )
    }

    pub fn subscription(&self) -> anyhow::Result<Subscription> {
        Ok(Subscription {
            plan: Plan::parse(&self.plan).ok_or_else(|| anyhow::anyhow!("unknown plan {}", self.plan))?,
            status: TenantStatus::parse(&self.status)
                .ok_or_else(|| anyhow::anyhow!("unknown status {}", self.status))?,
            trial_ends_at: self.trial_ends_at,
            subscription_ends_at: self.subscription_ends_at,
        })
    }

    /// Settings as stored; unknown keys from a newer server are ignored.
    pub fn settings(&self) -> TenantSettings {
        serde_json::from_value(self.settings.0.clone()).unwrap_or_default()
    }

    pub fn view(&self) -> anyhow::Result<TenantView> {
        let sub = self.subscription()?;
        Ok(TenantView {
            id: TenantId::from_uuid(self.id),
            code: TenantCode::parse(&self.code)?,
            name: self.name.clone(),
            plan: sub.plan,
            status: sub.status,
            trial_ends_at: self.trial_ends_at,
            subscription_ends_at: self.subscription_ends_at,
            limits: self.limits(),
        })
    }
}

macro_rules! columns {
    () => {
        "id, code, name, plan, status, trial_ends_at, subscription_ends_at, \
         max_offices, max_doctors, max_patients, max_storage_bytes, settings, status_reason, logo_fingerprint"
    };
}

#[derive(Debug)]
pub struct NewTenant<'a> {
    pub id: TenantId,
    pub code: &'a TenantCode,
    pub name: &'a str,
    pub contact_email: &'a str,
    pub trial_ends_at: DateTime<Utc>,
    pub settings: serde_json::Value,
}

/// Inserts a trial clinic; `None` when the code is already taken (the
/// caller picks another). The transaction's tenant must be `new.id`.
pub async fn insert_trial(tx: &mut Tx, new: &NewTenant<'_>) -> sqlx::Result<Option<TenantRow>> {
    let limits = Plan::Trial.limits();
    let sql = concat!(
        "INSERT INTO tenants (id, code, name, plan, status, trial_ends_at, max_offices, max_doctors, \
             max_patients, max_storage_bytes, contact_email, settings) \
         VALUES ($1, $2, $3, 'trial', 'active', $4, $5, $6, $7, $8, $9, $10) \
         ON CONFLICT (code) DO NOTHING RETURNING ",
        columns!()
    );
    let row = sqlx::query_as::<_, TenantRow>(sql)
        .bind(new.id.as_uuid())
        .bind(new.code.as_str())
        .bind(new.name)
        .bind(new.trial_ends_at)
        .bind(limits.max_offices)
        .bind(limits.max_doctors)
        .bind(limits.max_patients)
        .bind(limits.max_storage_bytes)
        .bind(new.contact_email)
        .bind(sqlx::types::Json(&new.settings))
        .fetch_optional(&mut **tx)
        .await?;
    if row.is_some() {
        sqlx::query("INSERT INTO tenant_sync_state (tenant_id) VALUES ($1)")
            .bind(new.id.as_uuid())
            .execute(&mut **tx)
            .await?;
    }
    Ok(row)
}

/// The id of the clinic with this code, found before any tenant context
/// exists (through the owner's narrow SECURITY DEFINER function).
pub async fn id_for_code(tx: &mut Tx, code: &TenantCode) -> sqlx::Result<Option<TenantId>> {
    let id: Option<Uuid> = sqlx::query_scalar("SELECT tenant_id_for_code($1)")
        .bind(code.as_str())
        .fetch_one(&mut **tx)
        .await?;
    Ok(id.map(TenantId::from_uuid))
}

/// Code and name of every clinic where an active account uses `email`
/// (for the reminder mail; see `clinic_codes_for_email`).
pub async fn codes_for_email(tx: &mut Tx, email: &str) -> sqlx::Result<Vec<(String, String)>> {
    sqlx::query_as("SELECT code, clinic_name FROM clinic_codes_for_email($1)")
        .bind(email)
        .fetch_all(&mut **tx)
        .await
}

/// The current clinic. `lock` takes its row lock, which serialises
/// limit-checked creations (two admins adding the 5th doctor at once).
pub async fn current(tx: &mut Tx, lock: bool) -> sqlx::Result<TenantRow> {
    let sql = if lock {
        concat!(
            "SELECT ",
            columns!(),
            " FROM tenants WHERE id = app_tenant() FOR UPDATE"
        )
    } else {
        concat!("SELECT ", columns!(), " FROM tenants WHERE id = app_tenant()")
    };
    sqlx::query_as::<_, TenantRow>(sql).fetch_one(&mut **tx).await
}

/// Stores `settings` (their logo is ignored) and, when `logo` is given,
/// the logo: `Some(None)` removes it.
pub async fn update_settings(
    tx: &mut Tx,
    settings: &TenantSettings,
    logo: Option<Option<&str>>,
) -> sqlx::Result<TenantRow> {
    let sql = concat!(
        "UPDATE tenants SET settings = $1, \
             logo = CASE WHEN $2 THEN $3 ELSE logo END, \
             logo_fingerprint = CASE WHEN $2 THEN left(md5($3), 16) ELSE logo_fingerprint END, \
             updated_at = now() \
          WHERE id = app_tenant() RETURNING ",
        columns!()
    );
    let without_logo = TenantSettings {
        logo: None,
        ..settings.clone()
    };
    sqlx::query_as::<_, TenantRow>(sql)
        .bind(sqlx::types::Json(without_logo))
        .bind(logo.is_some())
        .bind(logo.flatten())
        .fetch_one(&mut **tx)
        .await
}

/// The clinic's logo (a `data:` URL), if it has one.
pub async fn logo(tx: &mut Tx) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT logo FROM tenants WHERE id = app_tenant()")
        .fetch_one(&mut **tx)
        .await
}

/// What the clinic uses now, in one round trip.
pub async fn usage(tx: &mut Tx) -> sqlx::Result<Usage> {
    let (offices, doctors, patients, storage_bytes): (i64, i64, i64, i64) = sqlx::query_as(
        "SELECT \
           (SELECT count(DISTINCT o->>'id') FROM doctors d, jsonb_array_elements(d.offices) o \
             WHERE d.deleted_at IS NULL AND d.is_active), \
           (SELECT count(*) FROM doctors WHERE deleted_at IS NULL AND is_active), \
           (SELECT count(*) FROM patients WHERE deleted_at IS NULL), \
           (SELECT coalesce(sum(size_bytes), 0)::bigint FROM dental_attachments WHERE deleted_at IS NULL)",
    )
    .fetch_one(&mut **tx)
    .await?;
    Ok(Usage {
        offices,
        doctors,
        patients,
        storage_bytes,
    })
}

/// Distinct office ids of the clinic's active doctors, leaving one doctor out.
pub async fn office_ids_except(tx: &mut Tx, except_doctor: Option<Uuid>) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar(
        "SELECT DISTINCT o->>'id' FROM doctors d, jsonb_array_elements(d.offices) o \
          WHERE d.deleted_at IS NULL AND d.is_active AND d.id IS DISTINCT FROM $1",
    )
    .bind(except_doctor)
    .fetch_all(&mut **tx)
    .await
}
