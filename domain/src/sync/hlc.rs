//! Hybrid logical clocks: wall-clock milliseconds, a counter for events in
//! the same millisecond, and the device id as tie-breaker. Their string form
//! sorts exactly like the clock, so the server and SQLite compare them as
//! plain text.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::ids::DeviceId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Hlc {
    pub wall_ms: u64,
    pub counter: u32,
    pub node: DeviceId,
}

/// Largest wall time we accept ahead of our own clock: a PC whose clock is
/// hours fast must not win every conflict for hours.
pub const MAX_DRIFT_MS: u64 = 5 * 60 * 1000;

impl Hlc {
    pub fn zero(node: DeviceId) -> Self {
        Self {
            wall_ms: 0,
            counter: 0,
            node,
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let bad = || ValidationError::new("hlc", "is not a clock value");
        let mut parts = raw.split('-');
        let (Some(wall), Some(counter), Some(node), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        if wall.len() != 12 || counter.len() != 6 || node.len() != 32 {
            return Err(bad());
        }
        Ok(Self {
            wall_ms: u64::from_str_radix(wall, 16).map_err(|_| bad())?,
            counter: u32::from_str_radix(counter, 16).map_err(|_| bad())?,
            node: DeviceId::parse(node).map_err(|_| bad())?,
        })
    }
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.encode() {
            Some(text) => f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?),
            None => self.fmt_wide(f),
        }
    }
}

/// Length of a clock's string form: 12 + 6 hex digits and a device id's
/// 32, joined by two dashes.
const TEXT_LEN: usize = 52;

impl Hlc {
    /// The string form, written straight into a buffer: a server writes it
    /// for every op of every batch, and the formatter's padded hex was a
    /// measurable part of applying one. `None` for a clock too wide for the
    /// fixed form (which `parse` refuses anyway).
    fn encode(&self) -> Option<[u8; TEXT_LEN]> {
        if self.wall_ms >> 48 != 0 || self.counter >> 24 != 0 {
            return None;
        }
        let mut text = [b'-'; TEXT_LEN];
        hex_into(&mut text[..12], self.wall_ms);
        hex_into(&mut text[13..19], u64::from(self.counter));
        self.node.as_uuid().simple().encode_lower(&mut text[20..]);
        Some(text)
    }

    /// The same form through the formatter, for clocks wider than it.
    fn fmt_wide(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:012x}-{:06x}-{}",
            self.wall_ms,
            self.counter,
            self.node.as_uuid().simple()
        )
    }
}

/// `value`'s lowest hex digits, lower case, filling `out`.
fn hex_into(out: &mut [u8], mut value: u64) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for digit in out.iter_mut().rev() {
        *digit = DIGITS[(value & 0xf) as usize];
        value >>= 4;
    }
}

impl Ord for Hlc {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.wall_ms, self.counter, self.node).cmp(&(other.wall_ms, other.counter, other.node))
    }
}

impl PartialOrd for Hlc {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Hlc {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hlc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        Hlc::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// The clock of one device. Time is passed in so this stays pure.
#[derive(Debug, Clone)]
pub struct HlcClock {
    last: Hlc,
}

impl HlcClock {
    pub fn new(node: DeviceId) -> Self {
        Self {
            last: Hlc::zero(node),
        }
    }

    /// Resumes from the last value this device issued or saw.
    pub fn resume(last: Hlc) -> Self {
        Self { last }
    }

    pub fn last(&self) -> Hlc {
        self.last
    }

    /// A timestamp for a local event, later than every one issued or seen.
    pub fn tick(&mut self, now_ms: u64) -> Hlc {
        if now_ms > self.last.wall_ms {
            self.last.wall_ms = now_ms;
            self.last.counter = 0;
        } else {
            self.last.counter += 1;
        }
        self.last
    }

    /// Takes in a remote timestamp so later local events order after it.
    /// A remote clock too far ahead of ours is refused.
    pub fn observe(&mut self, remote: &Hlc, now_ms: u64) -> Result<(), ValidationError> {
        if remote.wall_ms > now_ms.saturating_add(MAX_DRIFT_MS) {
            return Err(ValidationError::new(
                "hlc",
                "is too far in the future: check the PC's clock",
            ));
        }
        let wall = now_ms.max(self.last.wall_ms).max(remote.wall_ms);
        let counter = match (wall == self.last.wall_ms, wall == remote.wall_ms) {
            (true, true) => self.last.counter.max(remote.counter) + 1,
            (true, false) => self.last.counter + 1,
            (false, true) => remote.counter + 1,
            (false, false) => 0,
        };
        self.last.wall_ms = wall;
        self.last.counter = counter;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_order_equals_clock_order() {
        let node = DeviceId::new();
        let mut clock = HlcClock::new(node);
        let mut previous = clock.tick(1_000);
        for now in [1_000, 999, 1_001, 5_000, 5_000, 4_000] {
            let next = clock.tick(now);
            assert!(next > previous);
            assert!(next.to_string() > previous.to_string());
            assert_eq!(Hlc::parse(&next.to_string()), Ok(next));
            previous = next;
        }
    }

    #[test]
    fn observe_moves_past_remote_events() {
        let mut a = HlcClock::new(DeviceId::new());
        let mut b = HlcClock::new(DeviceId::new());
        let remote = b.tick(10_000);
        a.observe(&remote, 9_000).expect("within drift");
        assert!(a.tick(9_000) > remote);
        let far = Hlc {
            wall_ms: 10_000 + MAX_DRIFT_MS + 1,
            counter: 0,
            node: DeviceId::new(),
        };
        assert!(a.observe(&far, 10_000).is_err());
    }

    /// What the formatter writes, to hold the fast form to it.
    struct Wide(Hlc);

    impl fmt::Display for Wide {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.fmt_wide(f)
        }
    }

    #[test]
    fn the_fast_string_form_is_the_formatted_one() {
        let node = DeviceId::new();
        let edges = [(0, 0), (1, 1), (0xfff, 0xabc), ((1 << 48) - 1, (1 << 24) - 1)];
        let wide = [(1 << 48, 0), (0, 1 << 24), (u64::MAX, u32::MAX)];
        for (wall_ms, counter) in edges.into_iter().chain(wide) {
            let hlc = Hlc {
                wall_ms,
                counter,
                node,
            };
            assert_eq!(hlc.to_string(), Wide(hlc).to_string(), "{wall_ms} {counter}");
        }
        let mut clock = HlcClock::new(node);
        let now = clock.tick(1_764_800_000_000);
        assert_eq!(now.to_string().len(), TEXT_LEN);
        assert_eq!(Hlc::parse(&now.to_string()), Ok(now));
    }

    #[test]
    fn parse_refuses_garbage() {
        assert!(Hlc::parse("").is_err());
        assert!(Hlc::parse("zz-00-00").is_err());
        let ok = HlcClock::new(DeviceId::new()).tick(1).to_string();
        assert!(Hlc::parse(&format!("{ok}-x")).is_err());
    }
}
