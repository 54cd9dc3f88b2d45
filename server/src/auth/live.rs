//! Whether a token's sign-in is still live: not signed out, the password
//! not changed since, the user not deactivated, the PC not removed. Checked
//! on every request that opens a transaction, cached for a few seconds so
//! the check costs one query per sign-in per [`RECHECK_AFTER`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::auth::Claims;
use crate::db::sessions::Liveness;
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};

/// How stale a "still live" answer may be: an ended sign-in stops working
/// within this long on every server process.
pub const RECHECK_AFTER: Duration = Duration::from_secs(5);
const FORGET_ABOVE: usize = 50_000;

#[derive(Debug, Default)]
pub struct LiveSessions {
    checked: Mutex<HashMap<Uuid, (Liveness, Instant)>>,
}

impl LiveSessions {
    /// Refuses a token whose sign-in has ended. `tx` is scoped to the
    /// token's clinic.
    pub async fn ensure(&self, tx: &mut Tx, claims: &Claims) -> ApiResult<()> {
        let live = match self.cached(claims.sid) {
            Some(live) => live,
            None => {
                let live = db::sessions::liveness(tx, claims.sid, claims.did.as_uuid()).await?;
                self.remember(claims.sid, live);
                live
            }
        };
        match live {
            Liveness::Live => Ok(()),
            Liveness::Ended => Err(ApiError::Unauthorized("this sign-in has ended; sign in again")),
            Liveness::DeviceRevoked => Err(ApiError::DeviceRevoked),
        }
    }

    fn cached(&self, session: Uuid) -> Option<Liveness> {
        let checked = self.checked.lock().ok()?;
        let (live, at) = checked.get(&session)?;
        // An ended sign-in never comes back: that answer does not expire.
        (*live != Liveness::Live || at.elapsed() < RECHECK_AFTER).then_some(*live)
    }

    fn remember(&self, session: Uuid, live: Liveness) {
        if let Ok(mut checked) = self.checked.lock() {
            if checked.len() > FORGET_ABOVE {
                checked.retain(|_, (live, at)| *live == Liveness::Live && at.elapsed() < RECHECK_AFTER);
            }
            checked.insert(session, (live, Instant::now()));
        }
    }
}
