//! Whether a token's sign-in is still live: not signed out, the password
//! not changed since, the user not deactivated, the PC not removed; and
//! whether its clinic may write (not suspended by the platform). Checked
//! on every request that opens a transaction, and remembered.
//!
//! Every change that can end a sign-in or suspend a clinic (a token
//! revoked or deleted, a user deactivated or deleted, a PC removed, the
//! clinic's status) sends a `clinic_sessions` NOTIFY from a trigger, at
//! commit, whatever code path made it. While this process's listener is
//! connected and nothing was heard of the clinic since a check began, the
//! answer holds for up to [`RECHECK_HEARD`]; once something is heard, the
//! clinic's sign-ins are checked again, so an ended one is refused as soon
//! as its notification arrives. While the listener is down, an answer
//! holds for at most [`RECHECK_AFTER`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use uuid::Uuid;

use crate::auth::Claims;
use crate::db::sessions::{Liveness, SessionCheck};
use crate::db::{self, Tx};
use crate::error::{ApiError, ApiResult};
use crate::sync::wakes::{Stamp, Wakes};

/// How stale a "still live" answer may be while nothing can be heard (the
/// listener is down): an ended sign-in (or a suspension) then takes effect
/// within this long on every server process.
pub const RECHECK_AFTER: Duration = Duration::from_secs(5);
/// How long a "still live" answer is kept while nothing was heard of its
/// clinic: a safety net, should a notification ever be lost.
pub const RECHECK_HEARD: Duration = Duration::from_secs(60);
const FORGET_ABOVE: usize = 50_000;

/// Between half of `max` and `max`, fixed for `key`. Answers remembered
/// together (every PC's, after the server starts) would otherwise all
/// expire together, and every PC go to the database in the same moment,
/// again and again: spread over the range, they expire a few at a time.
pub fn staggered(max: Duration, key: Uuid) -> Duration {
    let share = f64::from(key.as_u128() as u16) / f64::from(u16::MAX);
    max.mul_f64(0.5 + 0.5 * share)
}

#[derive(Debug)]
struct Checked {
    check: SessionCheck,
    tenant: Uuid,
    at: Instant,
    /// Taken before the check's transaction opened.
    stamp: Option<Stamp>,
}

#[derive(Debug, Default)]
struct State {
    /// Session notifications heard per clinic.
    wakes: Wakes,
    checked: HashMap<Uuid, Checked>,
}

impl State {
    fn cached(&self, session: Uuid) -> Option<SessionCheck> {
        let checked = self.checked.get(&session)?;
        // An ended sign-in never comes back: that answer does not expire.
        if checked.check.liveness != Liveness::Live {
            return Some(checked.check.clone());
        }
        let limit = if !self.wakes.is_listening() {
            // Nothing can be heard: the answer holds briefly.
            RECHECK_AFTER
        } else if checked
            .stamp
            .is_some_and(|stamp| self.wakes.is_current(checked.tenant, stamp))
        {
            RECHECK_HEARD
        } else {
            // Heard of the clinic since, or checked before the listener
            // connected: check again.
            return None;
        };
        (checked.at.elapsed() < staggered(limit, session)).then(|| checked.check.clone())
    }
}

#[derive(Debug, Default)]
pub struct LiveSessions {
    state: Mutex<State>,
}

impl LiveSessions {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The listener connected or lost its connection.
    pub fn listening(&self, up: bool) {
        self.lock().wakes.listening(up);
    }

    /// A sign-in of `tenant` may have ended, or its standing changed.
    pub fn wake(&self, tenant: Uuid) {
        self.lock().wakes.wake(tenant);
    }

    /// Taken before the transaction a check runs in opens.
    pub fn stamp(&self, tenant: Uuid) -> Option<Stamp> {
        self.lock().wakes.stamp(tenant)
    }

    /// Refuses a token whose sign-in has ended, and a write (`writes`)
    /// while the clinic is suspended. `tx` is scoped to the token's clinic
    /// and was opened after `stamp` was taken.
    pub async fn ensure(
        &self,
        tx: &mut Tx,
        claims: &Claims,
        writes: bool,
        stamp: Option<Stamp>,
    ) -> ApiResult<()> {
        // A cached "suspended" is not trusted to refuse a write: the
        // operator may have just reactivated the clinic.
        let cached = self.lock().cached(claims.sid);
        match cached {
            Some(check) if !(writes && check.suspension.is_some()) => admit(check, writes),
            _ => {
                let check = db::sessions::check(tx, claims.sid, claims.did.as_uuid()).await?;
                self.settle(claims, check, writes, stamp)
            }
        }
    }

    /// Remembers and applies a check made in the caller's own statement
    /// (the pull page asks it with the page), as [`Self::ensure`] would.
    pub fn settle(
        &self,
        claims: &Claims,
        check: SessionCheck,
        writes: bool,
        stamp: Option<Stamp>,
    ) -> ApiResult<()> {
        self.remember(claims, check.clone(), stamp);
        admit(check, writes)
    }

    /// Whether `session` is known live without asking the database.
    pub fn known_live(&self, session: Uuid) -> bool {
        self.lock()
            .cached(session)
            .is_some_and(|check| check.liveness == Liveness::Live)
    }

    fn remember(&self, claims: &Claims, check: SessionCheck, stamp: Option<Stamp>) {
        let mut state = self.lock();
        if state.checked.len() > FORGET_ABOVE {
            state.checked.retain(|_, checked| {
                checked.check.liveness == Liveness::Live && checked.at.elapsed() < RECHECK_HEARD
            });
        }
        let checked = Checked {
            check,
            tenant: claims.tid.as_uuid(),
            at: Instant::now(),
            stamp,
        };
        state.checked.insert(claims.sid, checked);
    }
}

fn admit(check: SessionCheck, writes: bool) -> ApiResult<()> {
    match (check.liveness, check.suspension) {
        (Liveness::Ended, _) => Err(ApiError::Unauthorized("this sign-in has ended; sign in again")),
        (Liveness::DeviceRevoked, _) => Err(ApiError::DeviceRevoked),
        (Liveness::Live, Some(suspension)) if writes => Err(ApiError::ClinicSuspended(suspension.reason)),
        (Liveness::Live, _) => Ok(()),
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

    const CLINIC: Uuid = Uuid::from_u128(1);
    const SESSION: Uuid = Uuid::from_u128(7);

    /// A state holding a "live" answer for SESSION checked `ago`, with a
    /// stamp taken then if the listener was up.
    fn checked_live(ago: Duration, listening: bool) -> State {
        let mut state = State::default();
        state.wakes.listening(listening);
        let checked = Checked {
            check: SessionCheck {
                liveness: Liveness::Live,
                suspension: None,
            },
            tenant: CLINIC,
            at: Instant::now().checked_sub(ago).expect("uptime"),
            stamp: state.wakes.stamp(CLINIC),
        };
        state.checked.insert(SESSION, checked);
        state
    }

    #[test]
    fn a_live_answer_holds_while_nothing_is_heard_of_its_clinic_and_not_once_something_is() {
        let mut state = checked_live(RECHECK_AFTER * 2, true);
        assert!(
            state.cached(SESSION).is_some(),
            "nothing heard: past RECHECK_AFTER"
        );
        state.wakes.wake(Uuid::from_u128(2));
        assert!(state.cached(SESSION).is_some(), "another clinic's sign-in ended");
        state.wakes.wake(CLINIC);
        assert_eq!(state.cached(SESSION), None, "one of its clinic's sign-ins ended");

        let mut state = checked_live(Duration::ZERO, true);
        state.wakes.wake(CLINIC);
        assert_eq!(
            state.cached(SESSION),
            None,
            "heard from, however recent the check"
        );
        let mut state = checked_live(Duration::ZERO, false);
        state.wakes.listening(true);
        assert_eq!(
            state.cached(SESSION),
            None,
            "checked before the listener connected"
        );
        assert_eq!(
            checked_live(RECHECK_HEARD, true).cached(SESSION),
            None,
            "past the safety net"
        );
    }

    #[test]
    fn without_the_listener_a_live_answer_holds_only_briefly() {
        assert!(checked_live(Duration::ZERO, false).cached(SESSION).is_some());
        assert_eq!(checked_live(RECHECK_AFTER, false).cached(SESSION), None);
        let mut state = checked_live(RECHECK_AFTER * 2, true);
        state.wakes.listening(false);
        assert_eq!(state.cached(SESSION), None, "the listener went down");
    }
}
