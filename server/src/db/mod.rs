//! The server's SQL for its own tables and requests. Every function takes
//! the caller's transaction, so the tenant context set on it covers every
//! statement. (The generic row SQL of sync, built from the table
//! descriptions, lives in `sync/rows.rs` and `sync/snapshot.rs`.)

pub mod audit;
pub mod changes;
pub mod devices;
pub mod doctors;
pub mod enrolments;
pub mod fhir;
pub mod global_medicines;
pub mod operator;
pub mod prescriptions;
pub mod pull;
pub mod referrals;
pub mod releases;
pub mod sessions;
pub mod short_keys;
pub mod staff;
pub mod sync;
pub mod tenants;
pub mod users;

use domain::ids::TenantId;
use sqlx::{Postgres, Transaction};

pub type Tx = Transaction<'static, Postgres>;

/// The transaction-local setting `app_tenant()` (and so RLS) reads.
const TENANT_SETTING: &str = "app.current_tenant_id";

/// `begin` (a `BEGIN` statement) followed by scoping the transaction to
/// `tenant`, sent as one simple-protocol query: one round trip instead of
/// two for every request. `SET LOCAL`, not `SELECT set_config(…)`: a
/// simple query is parsed on every transaction, and a SELECT is also
/// planned and returns a row; that statement was all of the load bench's
/// measured RLS overhead (the policies cost nothing measurable). The id is
/// a parsed UUID, so writing it into the text is safe.
pub fn begin_scoped(begin: &str, tenant: TenantId) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(format!(
        "{begin}; SET LOCAL {TENANT_SETTING} = '{}'",
        tenant.as_uuid()
    ))
}

/// Scopes the rest of the transaction to one clinic (RLS reads this).
/// Transaction-local (`is_local = true`): it ends with the transaction.
pub async fn set_tenant(tx: &mut Tx, tenant: TenantId) -> sqlx::Result<()> {
    sqlx::query("SELECT set_config($1, $2, true)")
        .bind(TENANT_SETTING)
        .bind(tenant.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Whether a connection coming back to the pool is clean: outside any
/// transaction and without a clinic set. A request cancelled while its
/// `BEGIN` was in flight leaves the server inside a transaction that the
/// driver does not know about; such a connection is closed, never reused.
///
/// Sent as one simple-protocol query, which is the first statement of its
/// own implicit transaction and so starts at that transaction's timestamp;
/// inside a transaction left open the two differ.
pub async fn leaves_no_transaction(conn: &mut sqlx::PgConnection) -> sqlx::Result<bool> {
    use sqlx::Row;
    let row = sqlx::raw_sql(
        "SELECT transaction_timestamp() = statement_timestamp() \
            AND coalesce(current_setting('app.current_tenant_id', true), '') = ''",
    )
    .fetch_one(conn)
    .await?;
    let clean: bool = row.try_get(0)?;
    if !clean {
        tracing::warn!("a connection came back inside a transaction; closed instead of reused");
    }
    Ok(clean)
}
