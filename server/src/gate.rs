//! Each clinic's share of the database pool. One clinic's requests queue
//! behind its own earlier ones; they can never hold every pooled
//! connection and make the other clinics wait.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};

/// Above this many tracked clinics, idle entries are dropped on the next entry.
const PRUNE_ABOVE: usize = 256;

#[derive(Debug, Clone)]
pub struct ClinicGate {
    per_clinic: usize,
    wait: Duration,
    clinics: Arc<Mutex<HashMap<Uuid, Arc<Semaphore>>>>,
}

impl ClinicGate {
    /// `per_clinic` concurrent database units per clinic; a request waits
    /// at most `wait` for one before it is answered `server_busy`.
    pub fn new(per_clinic: usize, wait: Duration) -> Self {
        Self {
            per_clinic: per_clinic.max(1),
            wait,
            clinics: Arc::default(),
        }
    }

    /// The share for a pool of `connections`: a third, so at least two
    /// thirds stay free for every other clinic.
    pub fn share_of(connections: u32) -> usize {
        (connections as usize / 3).max(1)
    }

    /// Waits for one of the clinic's units; hold the permit for as long as
    /// the request uses a pooled connection.
    pub async fn enter(&self, clinic: Uuid) -> ApiResult<OwnedSemaphorePermit> {
        let semaphore = self.semaphore(clinic);
        match tokio::time::timeout(self.wait, semaphore.acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            Ok(Err(closed)) => Err(ApiError::Internal(closed.into())),
            Err(_elapsed) => {
                tracing::warn!(tenant = %clinic, "clinic's database share stayed full; request refused");
                Err(ApiError::ServerBusy)
            }
        }
    }

    fn semaphore(&self, clinic: Uuid) -> Arc<Semaphore> {
        // A poisoned lock only means another request panicked mid-insert;
        // the map itself is still whole.
        let mut clinics = self.clinics.lock().unwrap_or_else(|poison| poison.into_inner());
        if clinics.len() > PRUNE_ABOVE {
            // Nobody holds or waits for a semaphore whose only owner is the map.
            clinics.retain(|_, semaphore| Arc::strong_count(semaphore) > 1);
        }
        clinics
            .entry(clinic)
            .or_insert_with(|| Arc::new(Semaphore::new(self.per_clinic)))
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_clinic_waits_while_another_enters() {
        let gate = ClinicGate::new(2, Duration::from_millis(50));
        let (busy, calm) = (Uuid::new_v4(), Uuid::new_v4());
        let held = [
            gate.enter(busy).await.expect("first"),
            gate.enter(busy).await.expect("second"),
        ];
        assert!(matches!(gate.enter(busy).await, Err(ApiError::ServerBusy)));
        let _calm = gate.enter(calm).await.expect("another clinic is not held up");
        drop(held);
        let _again = gate.enter(busy).await.expect("free again once released");
    }

    #[test]
    fn the_share_leaves_most_of_the_pool_to_others() {
        assert_eq!(ClinicGate::share_of(10), 3);
        assert_eq!(ClinicGate::share_of(2), 1);
    }
}
