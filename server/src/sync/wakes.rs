//! What this process has heard, per clinic, through its NOTIFY listener:
//! how many times each clinic was woken since the listener last connected.
//! Whatever this process remembers about a clinic (an idle pull's answer,
//! a sign-in found live) is kept with the [`Stamp`] taken before it was
//! read from the database, and trusted only while the stamp is current:
//! no wake of the clinic heard since, and the listener connected all along
//! (a reconnect may have missed notifications, so it starts a new
//! generation in which no earlier stamp is current).

use std::collections::HashMap;

use uuid::Uuid;

/// Where one clinic's wakes stood; `None` from [`Wakes::stamp`] while the
/// listener is down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    generation: u64,
    wakes: u64,
}

#[derive(Debug, Default)]
pub struct Wakes {
    listening: bool,
    generation: u64,
    /// Wakes heard per clinic in this generation.
    counts: HashMap<Uuid, u64>,
}

impl Wakes {
    /// The listener connected (`true`) or lost its connection (`false`):
    /// either way no earlier stamp is current any more.
    pub fn listening(&mut self, up: bool) {
        self.listening = up;
        self.generation += 1;
        self.counts.clear();
    }

    pub fn is_listening(&self) -> bool {
        self.listening
    }

    /// Something about `tenant` changed.
    pub fn wake(&mut self, tenant: Uuid) {
        *self.counts.entry(tenant).or_default() += 1;
    }

    /// Where `tenant` stands now; take it before reading what it guards.
    pub fn stamp(&self, tenant: Uuid) -> Option<Stamp> {
        self.listening.then(|| Stamp {
            generation: self.generation,
            wakes: self.counts.get(&tenant).copied().unwrap_or(0),
        })
    }

    /// Whether nothing about `tenant` was heard since `stamp` was taken.
    pub fn is_current(&self, tenant: Uuid, stamp: Stamp) -> bool {
        self.stamp(tenant) == Some(stamp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_is_current_until_its_clinic_wakes_or_the_listener_reconnects() {
        let (clinic, other) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut wakes = Wakes::default();
        assert_eq!(wakes.stamp(clinic), None, "never connected");
        wakes.listening(true);
        let stamp = wakes.stamp(clinic).expect("listening");
        wakes.wake(other);
        assert!(wakes.is_current(clinic, stamp), "another clinic woke");
        wakes.wake(clinic);
        assert!(!wakes.is_current(clinic, stamp));

        let stamp = wakes.stamp(clinic).expect("listening");
        wakes.listening(false);
        assert!(!wakes.is_current(clinic, stamp), "listener down");
        wakes.listening(true);
        assert!(
            !wakes.is_current(clinic, stamp),
            "a reconnect may have missed wakes"
        );
    }
}
