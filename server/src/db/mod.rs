//! All SQL of the server. Every function takes the caller's transaction, so
//! the tenant context set on it covers every statement.

pub mod audit;
pub mod changes;
pub mod doctors;
pub mod sessions;
pub mod short_keys;
pub mod sync;
pub mod tenants;
pub mod users;

use domain::ids::TenantId;
use sqlx::{Postgres, Transaction};

pub type Tx = Transaction<'static, Postgres>;

/// Scopes the rest of the transaction to one clinic (RLS reads this).
/// Transaction-local (`is_local = true`): it ends with the transaction.
pub async fn set_tenant(tx: &mut Tx, tenant: TenantId) -> sqlx::Result<()> {
    sqlx::query("SELECT set_config('app.current_tenant_id', $1, true)")
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
