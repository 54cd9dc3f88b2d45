//! Prescriptions as the server itself writes them: only their expiry.

use uuid::Uuid;

use super::Tx;

/// Brings the stored `active`/`expired` of the clinic's issued
/// prescriptions in line with their last valid day (expired after it,
/// active again once renewed) and returns the ids it changed. Touches
/// nothing already right, so running it twice changes nothing.
pub async fn settle_expiry(tx: &mut Tx) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "UPDATE prescriptions \
            SET status = CASE WHEN valid_until < current_date THEN 'expired' ELSE 'active' END, \
                updated_at = now() \
          WHERE deleted_at IS NULL AND status IN ('active', 'expired') \
            AND (status = 'expired') <> (valid_until < current_date) \
         RETURNING id",
    )
    .fetch_all(&mut **tx)
    .await
}
