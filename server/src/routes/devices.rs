//! The clinic's PCs (admin only): the list with what each last reported,
//! and removing one. A removed PC's sign-ins end at once, its every later
//! request is refused with `device_revoked`, and it wipes the clinic's data
//! it kept when it hears so.

use axum::extract::Path;
use domain::api::DeviceView;
use domain::ids::DeviceId;
use domain::user::Role;

use crate::auth::Caller;
use crate::db;
use crate::db::devices::DeviceRow;
use crate::error::{ApiError, ApiResult};

fn view(row: DeviceRow, asking: DeviceId) -> DeviceView {
    DeviceView {
        id: DeviceId::from_uuid(row.id),
        name: row.name,
        first_seen_at: row.first_seen_at,
        last_seen_at: row.last_seen_at,
        app_version: row.app_version,
        last_pulled_seq: row.last_pulled_seq,
        clinic_seq: row.clinic_seq,
        pending_changes: row.pending_changes,
        last_user_name: row.last_user_name,
        revoked_at: row.revoked_at,
        this_pc: row.id == asking.as_uuid(),
    }
}

/// The clinic's PCs, in use first (most recently seen), then removed ones.
#[utoipa::path(
    get, path = "/devices", tag = "devices",
    security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<DeviceView>),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden: admins only"),
    )
)]
pub async fn list(caller: Caller) -> ApiResult<axum::Json<Vec<DeviceView>>> {
    caller.require(&[Role::Admin])?;
    let asking = caller.auth.did;
    let mut t = caller.begin().await?;
    let rows = db::devices::list(&mut t.tx).await?;
    t.commit().await?;
    Ok(axum::Json(rows.into_iter().map(|r| view(r, asking)).collect()))
}

/// Remove a PC from the clinic (admin only). Its sign-ins end now; its
/// next request of any kind is refused with `device_revoked`, and changes
/// it has not sent are lost. The PC asking cannot remove itself.
#[utoipa::path(
    post, path = "/devices/{id}/revoke", tag = "devices",
    params(("id" = String, Path, description = "device id")),
    security(("bearer" = [])),
    responses(
        (status = 200, body = DeviceView),
        (status = 403, body = domain::error::ErrorBody, description = "forbidden: admins only"),
        (status = 404, body = domain::error::ErrorBody, description = "not_found: no such PC in this clinic"),
        (status = 409, body = domain::error::ErrorBody, description = "conflict: this is the PC asking"),
    )
)]
#[tracing::instrument(skip_all, err(level = "info"), fields(tenant = %caller.auth.tid, device = %id))]
pub async fn revoke(caller: Caller, Path(id): Path<String>) -> ApiResult<axum::Json<DeviceView>> {
    // A stolen PC must be removable whatever the clinic's subscription.
    let caller = caller.even_when_suspended();
    caller.require(&[Role::Admin])?;
    let device = DeviceId::parse(&id).map_err(|_| ApiError::NotFound("device"))?;
    if device == caller.auth.did {
        return Err(ApiError::Conflict(
            "this is the PC you are using; remove it from another PC".into(),
        ));
    }
    let (admin, asking) = (caller.auth.sub, caller.auth.did);
    let mut t = caller.begin().await?;
    let row = db::devices::revoke(&mut t.tx, device.as_uuid(), admin.as_uuid())
        .await?
        .ok_or(ApiError::NotFound("device"))?;
    t.commit().await?;
    tracing::info!(by = %admin, "PC removed from the clinic");
    Ok(axum::Json(view(row, asking)))
}
