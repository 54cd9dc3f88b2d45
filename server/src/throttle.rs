//! Rate limits on the routes that cost an argon2 hash or send mail:
//! per client address and per clinic, answered `429 rate_limited` with
//! `Retry-After`. The per-account lock stops guessing one password; these
//! stop one address (or a crowd against one clinic) from spending the
//! server's CPU that every clinic shares.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{Quota, RateLimiter};

use crate::error::{ApiError, ApiResult};

/// How many attempts each key may make: a burst, refilled evenly over a period.
#[derive(Debug, Clone, Copy)]
pub struct Allowance {
    pub burst: u32,
    pub per: Duration,
}

impl Allowance {
    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(self.per / burst.get())
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    /// Sign-ins, password changes and code reminders from one address.
    pub sign_in_per_address: Allowance,
    /// Sign-ins at one clinic, from anywhere.
    pub sign_in_per_clinic: Allowance,
    /// New clinics from one address.
    pub registrations_per_address: Allowance,
}

impl Default for RateLimits {
    /// A clinic of ten PCs all signing in at opening time stays well inside.
    fn default() -> Self {
        Self {
            sign_in_per_address: Allowance {
                burst: 30,
                per: Duration::from_secs(60),
            },
            sign_in_per_clinic: Allowance {
                burst: 60,
                per: Duration::from_secs(60),
            },
            registrations_per_address: Allowance {
                burst: 5,
                per: Duration::from_secs(3600),
            },
        }
    }
}

type Keyed<K> = RateLimiter<K, governor::state::keyed::DefaultKeyedStateStore<K>, DefaultClock>;

/// Above this many remembered keys, keys whose allowance is full again are forgotten.
const FORGET_ABOVE: usize = 10_000;

#[derive(Debug)]
pub struct Throttle {
    sign_in_per_address: Keyed<IpAddr>,
    sign_in_per_clinic: Keyed<String>,
    registrations_per_address: Keyed<IpAddr>,
    clock: DefaultClock,
}

impl Throttle {
    pub fn new(limits: RateLimits) -> Self {
        Self {
            sign_in_per_address: RateLimiter::keyed(limits.sign_in_per_address.quota()),
            sign_in_per_clinic: RateLimiter::keyed(limits.sign_in_per_clinic.quota()),
            registrations_per_address: RateLimiter::keyed(limits.registrations_per_address.quota()),
            clock: DefaultClock::default(),
        }
    }

    /// A sign-in attempt (or password check) from `peer` at `clinic_code`.
    pub fn sign_in(&self, peer: Peer, clinic_code: &str) -> ApiResult<()> {
        self.check(&self.sign_in_per_address, &peer.0)?;
        let clinic = clinic_code.trim().to_ascii_uppercase();
        self.check(&self.sign_in_per_clinic, &clinic)
    }

    /// Work that costs as much as a sign-in but names no clinic.
    pub fn address(&self, peer: Peer) -> ApiResult<()> {
        self.check(&self.sign_in_per_address, &peer.0)
    }

    pub fn registration(&self, peer: Peer) -> ApiResult<()> {
        self.check(&self.registrations_per_address, &peer.0)
    }

    fn check<K>(&self, limiter: &Keyed<K>, key: &K) -> ApiResult<()>
    where
        K: std::hash::Hash + Eq + Clone,
    {
        if limiter.len() > FORGET_ABOVE {
            limiter.retain_recent();
        }
        limiter.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::RateLimited(wait.as_secs() + 1)
        })
    }
}

/// The client's address: the TCP peer, or, when the peer is the trusted
/// reverse proxy, the address that proxy appended to `X-Forwarded-For`.
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub IpAddr);

impl FromRequestParts<crate::AppState> for Peer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &crate::AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("serve with connect info")))?;
        if state.trusted_proxy != Some(peer) {
            return Ok(Self(peer));
        }
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|v| v.trim().parse::<IpAddr>().ok())
            .next_back();
        Ok(Self(forwarded.unwrap_or(peer)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_then_a_wait() {
        let limits = RateLimits {
            sign_in_per_address: Allowance {
                burst: 3,
                per: Duration::from_secs(60),
            },
            ..RateLimits::default()
        };
        let throttle = Throttle::new(limits);
        let (one, other) = (Peer([10, 0, 0, 1].into()), Peer([10, 0, 0, 2].into()));
        for _ in 0..3 {
            throttle.sign_in(one, "ABC-1234").expect("inside the burst");
        }
        match throttle.sign_in(one, "ABC-1234") {
            Err(ApiError::RateLimited(seconds)) => assert!((1..=21).contains(&seconds), "{seconds}"),
            other => panic!("expected rate_limited, got {other:?}"),
        }
        throttle
            .sign_in(other, "abc-1234")
            .expect("another address has its own allowance");
    }
}
