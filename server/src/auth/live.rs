//! Whether a token's sign-in is still live: not signed out, the password
//! not changed since, the user not deactivated, the PC not removed; and
//! whether its clinic may write (not suspended by the platform). Checked
//! on every request that opens a transaction, cached for a few seconds so
//! the check costs one query per sign-in per [`RECHECK_AFTER`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::auth::Claims;
use crate::db::sessions::{Liveness, SessionCheck};
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};

/// How stale a "still live" answer may be: an ended sign-in (or a
/// suspension) takes effect within this long on every server process.
pub const RECHECK_AFTER: Duration = Duration::from_secs(5);
const FORGET_ABOVE: usize = 50_000;

/// Between half of `max` and `max`, fixed for `key`. Answers remembered
/// together (every PC's, after the server starts) would otherwise all
/// expire together, and every PC go to the database in the same moment,
/// again and again: spread over the range, they expire a few at a time.
pub fn staggered(max: Duration, key: Uuid) -> Duration {
    let share = f64::from(key.as_u128() as u16) / f64::from(u16::MAX);
    max.mul_f64(0.5 + 0.5 * share)
}

#[derive(Debug, Default)]
pub struct LiveSessions {
    checked: Mutex<HashMap<Uuid, (SessionCheck, Instant)>>,
}

impl LiveSessions {
    /// Refuses a token whose sign-in has ended, and a write (`writes`)
    /// while the clinic is suspended. `tx` is scoped to the token's clinic.
    pub async fn ensure(&self, tx: &mut Tx, claims: &Claims, writes: bool) -> ApiResult<()> {
        // A cached "suspended" is not trusted to refuse a write: the
        // operator may have just reactivated the clinic.
        let check = match self.cached(claims.sid) {
            Some(check) if !(writes && check.suspension.is_some()) => check,
            _ => {
                let check = db::sessions::check(tx, claims.sid, claims.did.as_uuid()).await?;
                self.remember(claims.sid, check.clone());
                check
            }
        };
        match (check.liveness, check.suspension) {
            (Liveness::Ended, _) => Err(ApiError::Unauthorized("this sign-in has ended; sign in again")),
            (Liveness::DeviceRevoked, _) => Err(ApiError::DeviceRevoked),
            (Liveness::Live, Some(suspension)) if writes => Err(ApiError::ClinicSuspended(suspension.reason)),
            (Liveness::Live, _) => Ok(()),
        }
    }

    /// Whether `session` was found live within [`RECHECK_AFTER`].
    pub fn known_live(&self, session: Uuid) -> bool {
        self.cached(session)
            .is_some_and(|check| check.liveness == Liveness::Live)
    }

    fn cached(&self, session: Uuid) -> Option<SessionCheck> {
        let checked = self.checked.lock().ok()?;
        let (check, at) = checked.get(&session)?;
        // An ended sign-in never comes back: that answer does not expire.
        (check.liveness != Liveness::Live || at.elapsed() < staggered(RECHECK_AFTER, session))
            .then(|| check.clone())
    }

    fn remember(&self, session: Uuid, check: SessionCheck) {
        if let Ok(mut checked) = self.checked.lock() {
            if checked.len() > FORGET_ABOVE {
                checked.retain(|_, (check, at)| {
                    check.liveness == Liveness::Live && at.elapsed() < RECHECK_AFTER
                });
            }
            checked.insert(session, (check, Instant::now()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staggered_times_stay_within_the_limit_and_spread_over_its_second_half() {
        let max = Duration::from_secs(10);
        let times: Vec<Duration> = (0..1000).map(|_| staggered(max, Uuid::new_v4())).collect();
        assert!(times.iter().all(|t| *t >= max / 2 && *t <= max));
        assert!(times.iter().any(|t| *t < Duration::from_secs(6)));
        assert!(times.iter().any(|t| *t > Duration::from_secs(9)));
        let key = Uuid::new_v4();
        assert_eq!(staggered(max, key), staggered(max, key), "fixed for a key");
    }
}
