//! The database's floor for applying a push's edits: the same rows changed
//! and logged by two set-based statements as the owner (no RLS, no
//! planning of ops, no HTTP), in a transaction that is rolled back, so the
//! clinic is left as it was. `bench sync` prints the push against it:
//! machines of this kind differ up to 2x in speed, and one machine's speed
//! moves between runs, so the absolute seconds alone say little.

use std::time::Instant;

use sqlx::PgPool;
use uuid::Uuid;

/// Median seconds of `rounds` floor applications of a note edit to each of
/// `ids`, with their log entries.
pub async fn seconds(owner: &PgPool, tenant: Uuid, ids: &[Uuid], rounds: usize) -> anyhow::Result<f64> {
    let notes: Vec<String> = (0..ids.len()).map(|n| format!("floor edit {n}")).collect();
    let user: Uuid = sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1 LIMIT 1")
        .bind(tenant)
        .fetch_one(owner)
        .await?;
    let mut times = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let mut tx = owner.begin().await?;
        // Each row by its key, as a push finds them (a hash join would scan
        // the clinic's table instead).
        for setting in [
            "SET LOCAL enable_hashjoin = off",
            "SET LOCAL enable_mergejoin = off",
        ] {
            sqlx::query(setting).execute(&mut *tx).await?;
        }
        let last: i64 = sqlx::query_scalar("SELECT last_seq FROM tenant_sync_state WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_one(&mut *tx)
            .await?;
        let seqs: Vec<i64> = (1..=ids.len() as i64).map(|n| last + n).collect();
        let hlc = format!("{:012x}-000000-{}", 1u64 << 44, Uuid::nil().simple());
        let started = Instant::now();
        // Two statements, as a push runs them: the rows, then the log.
        let update = sqlx::query(
            "UPDATE patients p SET notes = x.notes, field_hlc = p.field_hlc || jsonb_build_object('notes', $5::text), \
                    updated_at = now(), updated_by = $6, sync_seq = x.seq \
               FROM unnest($2::uuid[], $3::text[], $4::bigint[]) AS x(id, notes, seq) \
              WHERE p.tenant_id = $1 AND p.id = x.id",
        );
        let log = sqlx::query(
            "INSERT INTO change_log (tenant_id, seq, table_name, row_id, op, changes, hlc, user_id, prev_hash, hash) \
             SELECT $1, x.seq, 'patients', x.id, 'update', jsonb_build_object('notes', x.notes), $5, $6, \
                    decode(repeat('00', 32), 'hex'), decode(repeat('00', 32), 'hex') \
               FROM unnest($2::uuid[], $3::text[], $4::bigint[]) AS x(id, notes, seq)",
        );
        for statement in [update, log] {
            statement
                .bind(tenant)
                .bind(ids)
                .bind(&notes)
                .bind(&seqs)
                .bind(&hlc)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        times.push(started.elapsed().as_secs_f64());
        tx.rollback().await?;
    }
    times.sort_by(f64::total_cmp);
    eprintln!("push10k floor: {times:.2?} s");
    Ok(times[times.len() / 2])
}
