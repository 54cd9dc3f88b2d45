//! An admin's download of the clinic's backup, encrypted with a
//! passphrase the admin chose (restore it with `clinic-server restore
//! FILE` and `CLINIC_BACKUP_PASSPHRASE`).

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use domain::api::{AuditAction, AuditEvent, BackupPassphrase, BackupRequest};
use domain::user::Role;

use crate::auth::Caller;
use crate::backup::crypt::{self, Lock};
use crate::db;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;

/// The clinic's backup (admin only, audited): every record, the change
/// log and its chain at one instant, gzip inside age with the passphrase.
/// A passphrase that starts or ends with a space is refused (422).
#[utoipa::path(
    post, path = "/tenant/backup", tag = "tenant",
    request_body = BackupRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, content_type = "application/octet-stream", body = Vec<u8>,
         description = "an age-encrypted clinic backup"),
        (status = 403, body = domain::error::ErrorBody, description = "not an admin"),
        (status = 422, body = domain::error::ErrorBody, description = "the passphrase is too short"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, user = %caller.auth.sub))]
pub async fn download(caller: Caller, ApiJson(req): ApiJson<BackupRequest>) -> ApiResult<Response> {
    caller.require(&[Role::Admin])?;
    // Taking its own data away is a read, suspended or not.
    let caller = caller.even_when_suspended();
    let passphrase = BackupPassphrase::parse(&req.passphrase).map_err(|e| ApiError::Validation(vec![e]))?;
    let mut t = caller.begin_snapshot().await?;
    let mut gzipped = crypt::gzip_buffer();
    let manifest = crate::backup::take::write_rows(&mut t.tx, &mut gzipped)
        .await
        .map_err(|e| ApiError::Internal(e.into()))?;
    let gzipped = gzipped.finish().map_err(|e| ApiError::Internal(e.into()))?;
    // scrypt takes about a second: not on the async threads.
    let lock = Lock::Passphrase(passphrase.expose().to_owned().into());
    let sealed = tokio::task::spawn_blocking(move || crypt::seal_gzipped(&gzipped, &lock))
        .await
        .map_err(|e| ApiError::Internal(e.into()))?
        .map_err(|e| ApiError::Internal(e.into()))?;
    let rows: u64 = manifest.tables.iter().map(|s| s.rows).sum();
    let event = AuditEvent {
        id: uuid::Uuid::now_v7(),
        action: AuditAction::Export,
        entity_table: "tenants".into(),
        entity_id: Some(manifest.clinic.id),
        details: serde_json::json!({"what": "backup", "rows": rows, "bytes": sealed.len()}),
        occurred_at: chrono::Utc::now(),
    };
    db::audit::record(&mut t.tx, t.auth.sub.as_uuid(), t.auth.did.as_uuid(), &[event]).await?;
    t.commit().await?;
    let name = format!(
        "attachment; filename=\"{}-{}.clinic-backup\"",
        manifest.clinic.code,
        manifest.taken_at.format("%Y%m%d-%H%M")
    );
    Ok((
        [
            (CONTENT_TYPE, "application/octet-stream".to_owned()),
            (CONTENT_DISPOSITION, name),
        ],
        sealed,
    )
        .into_response())
}
