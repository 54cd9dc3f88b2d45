//! What the server writes itself: accounts, clinics and doctors. Each
//! operation runs in the caller's transaction and records every synced row
//! it touches in [`Writes`], whose `log` puts them in the change log, so
//! every PC learns them by pull. Handlers parse the request, call one
//! function here, and answer.

pub mod accounts;
pub mod clinics;
pub mod doctors;
pub mod referrals;
pub mod session;
pub mod staff;
mod writes;

pub use writes::Writes;

use chrono::Utc;

use crate::auth::TenantTx;
use crate::db::{self, tenants::TenantRow};
use crate::error::{ApiError, ApiResult};

/// The caller's clinic, its row locked so that concurrent additions are
/// counted one after another against the plan, once its subscription is
/// known to allow new records; otherwise why, naming `what` was refused.
pub async fn clinic_open_for_new(t: &mut TenantTx, what: &str) -> ApiResult<TenantRow> {
    let tenant = db::tenants::current(&mut t.tx, true).await?;
    let sub = tenant.subscription().map_err(ApiError::Internal)?;
    if sub.can_create_records(Utc::now()) {
        Ok(tenant)
    } else {
        Err(ApiError::TenantInactive(format!(
            "the clinic's subscription is not active; renew it to add {what}"
        )))
    }
}
