//! Access tokens this process has already verified. A PC sends the same
//! token with every request until it refreshes it (minutes later), and
//! checking its HS256 signature and decoding its claims again each time
//! was a fifth of the server's work for an idle pull answered from memory
//! (measured with `perf` under `bench load`).
//!
//! What keeps a remembered token exact:
//! - it is found only by the whole token text, so a hit is the very string
//!   whose signature was checked; a token differing in any byte misses and
//!   is verified in full (and refused if forged);
//! - its expiry is checked again on every hit, with the same leeway as the
//!   full check;
//! - the map's hasher is keyed at random per process, so tokens cannot be
//!   made to collide into one bucket (no flooding, no timing probe of a
//!   stored token's bytes);
//! - whether the sign-in is still live is not this module's question: that
//!   is checked per request as before (`crate::auth::live`).

use std::collections::HashMap;
use std::sync::Mutex;

use super::jwt::Claims;

/// More distinct live tokens than this (each PC holds one at a time) and
/// the expired ones go; if all are live, everything goes.
const KEEP_AT_MOST: usize = 20_000;

#[derive(Debug, Default)]
pub struct VerifiedTokens {
    by_token: Mutex<HashMap<Box<str>, Claims>>,
}

/// What a look-up found.
#[derive(Debug, PartialEq, Eq)]
pub enum Remembered {
    /// Verified before and not expired at `now`.
    Valid(Claims),
    /// Verified before, but expired at `now`.
    Expired,
    /// Never verified by this process (or forgotten).
    Unknown,
}

impl VerifiedTokens {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Box<str>, Claims>> {
        self.by_token
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The claims of `token` if it was verified before, judged at `now`
    /// (seconds) with `leeway` seconds past its expiry.
    pub fn get(&self, token: &str, now: i64, leeway: i64) -> Remembered {
        let mut by_token = self.lock();
        let Some(claims) = by_token.get(token) else {
            return Remembered::Unknown;
        };
        if claims.exp < now - leeway {
            by_token.remove(token);
            return Remembered::Expired;
        }
        Remembered::Valid(claims.clone())
    }

    /// Remembers `claims` as the verified content of `token`.
    pub fn keep(&self, token: &str, claims: &Claims, now: i64, leeway: i64) {
        let mut by_token = self.lock();
        if by_token.len() >= KEEP_AT_MOST {
            by_token.retain(|_, c| c.exp >= now - leeway);
            if by_token.len() >= KEEP_AT_MOST {
                by_token.clear();
            }
        }
        by_token.insert(token.into(), claims.clone());
    }

    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::ids::{DeviceId, TenantId, UserId};
    use domain::user::Role;
    use uuid::Uuid;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: UserId::from_uuid(Uuid::from_u128(1)),
            tid: TenantId::from_uuid(Uuid::from_u128(2)),
            role: Role::Doctor,
            did: DeviceId::from_uuid(Uuid::from_u128(3)),
            sid: Uuid::from_u128(4),
            pwc: false,
            iat: exp - 600,
            exp,
        }
    }

    #[test]
    fn a_kept_token_is_found_by_its_whole_text_only() {
        let tokens = VerifiedTokens::default();
        tokens.keep("a.b.c", &claims(1_000), 500, 5);
        assert_eq!(tokens.get("a.b.c", 500, 5), Remembered::Valid(claims(1_000)));
        assert_eq!(tokens.get("a.b.d", 500, 5), Remembered::Unknown);
        assert_eq!(tokens.get("a.b.c ", 500, 5), Remembered::Unknown);
    }

    #[test]
    fn a_kept_token_expires_with_the_same_leeway_and_is_dropped() {
        let tokens = VerifiedTokens::default();
        tokens.keep("t", &claims(1_000), 500, 5);
        assert_eq!(tokens.get("t", 1_005, 5), Remembered::Valid(claims(1_000)));
        assert_eq!(tokens.get("t", 1_006, 5), Remembered::Expired);
        assert!(tokens.is_empty(), "an expired token is forgotten");
    }

    #[test]
    fn past_the_limit_expired_tokens_go_first() {
        let tokens = VerifiedTokens::default();
        for i in 0..KEEP_AT_MOST {
            // Half already expired at 2,000.
            let exp = if i % 2 == 0 { 1_000 } else { 3_000 };
            tokens.keep(&format!("t{i}"), &claims(exp), 500, 5);
        }
        tokens.keep("new", &claims(3_000), 2_000, 5);
        assert_eq!(tokens.len(), KEEP_AT_MOST / 2 + 1);
        assert_eq!(tokens.get("t1", 2_000, 5), Remembered::Valid(claims(3_000)));
        assert_eq!(tokens.get("new", 2_000, 5), Remembered::Valid(claims(3_000)));
    }
}
