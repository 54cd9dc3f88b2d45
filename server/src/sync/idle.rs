//! Idle pulls answered from memory. Most pulls of an online clinic find
//! nothing new; each used to cost a transaction (three round trips) only
//! to learn that the clinic's sequence had not moved. This process already
//! hears every move of every clinic's sequence (the NOTIFY each change-log
//! append sends at commit), so it can remember, per PC, the last answer
//! that said "nothing new" and give it again until the clinic is heard
//! to move.
//!
//! What keeps a remembered answer exact:
//! - it is given only to the same PC, for the same cursor and epoch and the
//!   same report (app version, pending count) as the pull that made it;
//! - every NOTIFY for the clinic, and every write through this process
//!   (at its commit, before its reply), makes the clinic's remembered
//!   answers stale, so a PC that hears of a change and pulls goes to the
//!   database; an answer whose pull started before such a wake is never
//!   used (the wake count is read before the pull's transaction opens);
//! - while the listener is not connected nothing is given from memory, and
//!   a reconnect forgets everything (notifications may have been missed);
//! - an answer is given for at most [`NOTE_EVERY`] (from half of it, so
//!   that PCs remembered together do not all go back together), so the
//!   database still hears from each online PC (its "last seen") at least
//!   twice a minute.
//!
//! What it may miss: a change committed through another server process in
//! the moment before its NOTIFY reaches this one is answered "nothing new",
//! exactly as a pull made that moment earlier would be; the PC hears the
//! change on its live stream and pulls again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use domain::sync::{PROTOCOL_VERSION, PullResponse};
use domain::tenant::Standing;
use uuid::Uuid;

pub use super::wakes::Stamp;
use super::wakes::Wakes;
use crate::auth::live::staggered;

/// How long one "nothing new" answer may be given again.
pub const NOTE_EVERY: Duration = Duration::from_secs(30);
/// Above this many remembered PCs, the ones past [`NOTE_EVERY`] go.
const FORGET_ABOVE: usize = 100_000;

/// What identifies an idle pull: the PC, its clinic, its cursor and what
/// it reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleAsk {
    pub tenant: Uuid,
    pub device: Uuid,
    pub since: i64,
    pub epoch: Option<Uuid>,
    pub app_version: Option<String>,
    pub pending: Option<i32>,
}

/// The parts of a "nothing new" answer that the database supplied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdleAnswer {
    pub epoch: Uuid,
    pub open_conflicts: Option<i64>,
    pub standing: Standing,
}

impl IdleAnswer {
    /// The pull's reply: no changes, the cursor where it was.
    fn reply(self, since: i64) -> PullResponse {
        PullResponse {
            protocol: PROTOCOL_VERSION,
            changes: Vec::new(),
            cursor: since,
            has_more: false,
            snapshot_required: false,
            open_conflicts: self.open_conflicts,
            epoch: Some(self.epoch),
            standing: Some(self.standing),
        }
    }

    /// The reply as the JSON body a pull answers with.
    pub fn body(self, since: i64) -> serde_json::Result<Bytes> {
        serde_json::to_vec(&self.reply(since)).map(Bytes::from)
    }
}

#[derive(Debug)]
struct Remembered {
    ask: IdleAsk,
    /// The reply's JSON, serialized once: given again as it is (sharing
    /// the bytes, not copying them).
    body: Bytes,
    stamp: Stamp,
    at: Instant,
}

#[derive(Debug, Default)]
struct State {
    /// Moves heard per clinic.
    wakes: Wakes,
    by_device: HashMap<Uuid, Remembered>,
}

#[derive(Debug, Default)]
pub struct IdlePulls {
    state: Mutex<State>,
}

impl IdlePulls {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The listener connected (`true`: nothing heard before counts) or
    /// lost its connection (`false`: nothing is answered from memory).
    pub fn listening(&self, up: bool) {
        let mut state = self.lock();
        state.wakes.listening(up);
        state.by_device.clear();
    }

    /// `tenant`'s sequence moved, or something else in its pull's answer
    /// changed: its remembered answers are stale.
    pub fn wake(&self, tenant: Uuid) {
        self.lock().wakes.wake(tenant);
    }

    /// Taken before a pull's transaction opens.
    pub fn stamp(&self, tenant: Uuid) -> Option<Stamp> {
        self.lock().wakes.stamp(tenant)
    }

    /// Keeps the answer of a pull that found nothing new (`stamp` taken
    /// before it began).
    pub fn remember(&self, ask: IdleAsk, answer: IdleAnswer, stamp: Stamp) {
        let Ok(body) = answer.body(ask.since) else {
            return;
        };
        let mut state = self.lock();
        if state.by_device.len() > FORGET_ABOVE {
            state.by_device.retain(|_, r| r.at.elapsed() < NOTE_EVERY);
        }
        state.by_device.insert(
            ask.device,
            Remembered {
                ask,
                body,
                stamp,
                at: Instant::now(),
            },
        );
    }

    /// The remembered reply (its JSON body) to exactly this ask, if still
    /// current.
    pub fn answer(&self, ask: &IdleAsk) -> Option<Bytes> {
        let state = self.lock();
        let remembered = state.by_device.get(&ask.device)?;
        (state.wakes.is_current(ask.tenant, remembered.stamp)
            && remembered.ask == *ask
            && remembered.at.elapsed() < staggered(NOTE_EVERY, ask.device))
        .then(|| remembered.body.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::tenant::TenantStatus;

    fn ask(since: i64) -> IdleAsk {
        IdleAsk {
            tenant: Uuid::from_u128(1),
            device: Uuid::from_u128(2),
            since,
            epoch: Some(Uuid::from_u128(3)),
            app_version: Some("1.0.0".into()),
            pending: Some(0),
        }
    }

    fn nothing_new() -> IdleAnswer {
        IdleAnswer {
            epoch: Uuid::from_u128(3),
            open_conflicts: Some(0),
            standing: Standing {
                status: TenantStatus::Active,
                reason: None,
            },
        }
    }

    fn listening() -> IdlePulls {
        let idle = IdlePulls::default();
        idle.listening(true);
        idle
    }

    #[test]
    fn only_the_same_ask_gets_the_remembered_answer() {
        let idle = listening();
        let stamp = idle.stamp(ask(7).tenant).expect("listening");
        idle.remember(ask(7), nothing_new(), stamp);
        assert_eq!(idle.answer(&ask(7)), nothing_new().body(7).ok());
        let reply: PullResponse =
            serde_json::from_slice(&idle.answer(&ask(7)).expect("remembered")).expect("a pull reply");
        assert_eq!((reply.cursor, reply.changes.len(), reply.has_more), (7, 0, false));
        assert_eq!(idle.answer(&ask(6)), None, "another cursor");
        let other_report = IdleAsk {
            pending: Some(3),
            ..ask(7)
        };
        assert_eq!(idle.answer(&other_report), None, "another report");
        let other_epoch = IdleAsk {
            epoch: None,
            ..ask(7)
        };
        assert_eq!(idle.answer(&other_epoch), None, "another epoch");
    }

    #[test]
    fn a_wake_of_the_clinic_makes_its_answers_stale_and_others_stay() {
        let idle = listening();
        let stamp = idle.stamp(ask(7).tenant).expect("listening");
        idle.remember(ask(7), nothing_new(), stamp);
        idle.wake(Uuid::from_u128(99));
        assert!(idle.answer(&ask(7)).is_some(), "another clinic moved");
        idle.wake(ask(7).tenant);
        assert_eq!(idle.answer(&ask(7)), None);
    }

    #[test]
    fn a_pull_that_began_before_a_wake_is_not_remembered_as_current() {
        let idle = listening();
        let stamp = idle.stamp(ask(7).tenant).expect("listening");
        // The clinic moves while the pull's transaction is open.
        idle.wake(ask(7).tenant);
        idle.remember(ask(7), nothing_new(), stamp);
        assert_eq!(idle.answer(&ask(7)), None);
    }

    #[test]
    fn nothing_is_answered_from_memory_while_the_listener_is_down_or_after_it_reconnects() {
        let idle = IdlePulls::default();
        assert_eq!(idle.stamp(ask(7).tenant), None, "never connected");
        idle.listening(true);
        let stamp = idle.stamp(ask(7).tenant).expect("listening");
        idle.remember(ask(7), nothing_new(), stamp);
        idle.listening(false);
        assert_eq!(idle.answer(&ask(7)), None);
        assert_eq!(idle.stamp(ask(7).tenant), None);
        idle.listening(true);
        assert_eq!(idle.answer(&ask(7)), None, "moves may have been missed");
    }
}
