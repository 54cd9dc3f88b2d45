//! Prescriptions expire by date: `domain::clinical::prescription::
//! effective_status` is the rule, and every PC applies it when it reads,
//! offline too. The stored status is the server's record of the rule,
//! written by the server alone and only the `status` field, so PCs never
//! race each other to write the same expiry (no storm of identical
//! changes, no conflicts) and a PC's newer edit of other fields stands.
//!
//! A clinic's sweep runs when one of its PCs pulls, at most once per
//! [`SWEEP_EVERY`] per server process, beside the pull (never delaying it).
//! Its change wakes the clinic's PCs like any other.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::auth::Caller;
use crate::db::{self, Tx};

pub const SWEEP_EVERY: Duration = Duration::from_secs(3600);
const FORGET_ABOVE: usize = 50_000;

/// When each clinic was last swept by this process.
#[derive(Debug, Default)]
pub struct ExpirySweeps {
    last: Mutex<HashMap<Uuid, Instant>>,
}

impl ExpirySweeps {
    /// Whether `tenant`'s sweep is due; if so it counts as started now.
    pub fn take_due(&self, tenant: Uuid) -> bool {
        let Ok(mut last) = self.last.lock() else {
            return false;
        };
        if last.get(&tenant).is_some_and(|at| at.elapsed() < SWEEP_EVERY) {
            return false;
        }
        if last.len() > FORGET_ABOVE {
            last.retain(|_, at| at.elapsed() < SWEEP_EVERY);
        }
        last.insert(tenant, Instant::now());
        true
    }
}

/// Sweeps the caller's clinic in a transaction of its own; a failure is
/// logged (the next due pull tries again).
pub async fn sweep_clinic(caller: Caller) {
    let result = async {
        let mut t = caller.begin().await?;
        let changed = sweep(&mut t.tx).await?;
        t.commit().await?;
        anyhow::Ok(changed)
    }
    .await;
    match result {
        Ok(0) => {}
        Ok(changed) => tracing::info!(changed, "prescriptions expired or renewed by date"),
        Err(err) => tracing::warn!(error = %err, "prescription expiry sweep failed"),
    }
}

/// Settles the expiry of the transaction's clinic and logs each changed
/// status (the server's own change: no user made it). Returns how many.
pub async fn sweep(tx: &mut Tx) -> anyhow::Result<usize> {
    // The clinic's log lock first, as every writer of the log takes it: a
    // push holds it while it locks the prescriptions it edits, so a sweep
    // that locked prescriptions first and the log second could deadlock
    // with it.
    db::changes::lock_counter(tx).await?;
    let ids = db::prescriptions::settle_expiry(tx).await?;
    if !ids.is_empty() {
        let rows: Vec<(&str, Uuid)> = ids.iter().map(|id| ("prescriptions", *id)).collect();
        super::server_writes::log_fields(tx, &rows, &["status"], Uuid::nil()).await?;
    }
    Ok(ids.len())
}
