//! `clinic-server verify-chain`: re-computes one clinic's change-log hash
//! chain as the owner role and names the first entry that does not match.

use domain::tenant::TenantCode;
use sqlx::PgPool;

use crate::db::{self, changes::ChainReport};

/// Verifies the chain of the clinic with `code`; `None` when no clinic has it.
pub async fn verify_clinic(pool: &PgPool, code: &TenantCode) -> anyhow::Result<Option<ChainReport>> {
    let mut tx = pool.begin().await?;
    // One consistent instant, and no lock: pushes go on meanwhile.
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        .execute(&mut *tx)
        .await?;
    let Some(tenant) = db::tenants::id_for_code(&mut tx, code).await? else {
        return Ok(None);
    };
    db::set_tenant(&mut tx, tenant).await?;
    let report = db::changes::verify_chain(&mut tx).await?;
    tx.commit().await?;
    Ok(Some(report))
}

/// The report in words, and whether the chain is intact.
pub fn describe(code: &TenantCode, report: &ChainReport) -> (String, bool) {
    match (&report.first_bad, report.head_mismatch) {
        (Some(bad), _) => (
            format!(
                "{code}: the chain breaks at entry {} ({} {} of {}): it or an entry before it was changed or \
                 removed; {} entries before it are intact",
                bad.seq, bad.op, bad.table, bad.row_id, report.checked
            ),
            false,
        ),
        (None, true) => (
            format!(
                "{code}: the {} entries link up, but the clinic's recorded head is not the last one: entries were \
                 removed from the end",
                report.checked
            ),
            false,
        ),
        (None, false) => (
            format!("{code}: the chain of {} entries is intact", report.checked),
            true,
        ),
    }
}
