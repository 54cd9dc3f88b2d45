//! Short-lived access tokens: HS256 JWTs carrying tenant, user, role and
//! device. Only HS256 is accepted, so `alg: none` and algorithm swaps fail.

use std::sync::Arc;

use chrono::Utc;
use domain::ids::{DeviceId, TenantId, UserId};
use domain::user::Role;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::verified::{Remembered, VerifiedTokens};
use crate::error::ApiError;

/// Seconds a token is still taken after its expiry (clock skew between
/// server processes).
const LEEWAY_SECONDS: i64 = 5;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user.
    pub sub: UserId,
    /// The clinic: the only source of tenant context for a request.
    pub tid: TenantId,
    pub role: Role,
    /// The PC the token was issued to.
    pub did: DeviceId,
    /// The sign-in (refresh-token family) the token belongs to: ending it
    /// (sign-out, password change, deactivation) ends the token within
    /// seconds, not at its expiry.
    pub sid: Uuid,
    /// Set when the user must change a temporary password first.
    #[serde(default)]
    pub pwc: bool,
    pub iat: i64,
    pub exp: i64,
}

/// Who an access token is for.
#[derive(Debug, Clone)]
pub struct Grant {
    pub tenant: TenantId,
    pub user: UserId,
    pub role: Role,
    pub device: DeviceId,
    pub session: Uuid,
    pub must_change_password: bool,
}

#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    /// Shared by every clone (each holds the same secret).
    verified: Arc<VerifiedTokens>,
    pub access_ttl_seconds: i64,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("access_ttl_seconds", &self.access_ttl_seconds)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// `secret` must hold at least 32 bytes of randomness.
    pub fn new(secret: &[u8], access_ttl_seconds: i64) -> anyhow::Result<Self> {
        anyhow::ensure!(secret.len() >= 32, "the JWT secret must be at least 32 bytes");
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = LEEWAY_SECONDS.unsigned_abs();
        validation.set_required_spec_claims(&["exp", "iat", "sub", "sid"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            verified: Arc::default(),
            access_ttl_seconds,
        })
    }

    pub fn issue(&self, grant: &Grant) -> anyhow::Result<String> {
        let now = Utc::now().timestamp();
        let claims = Claims {
            sub: grant.user,
            tid: grant.tenant,
            role: grant.role,
            did: grant.device,
            sid: grant.session,
            pwc: grant.must_change_password,
            iat: now,
            exp: now + self.access_ttl_seconds,
        };
        Ok(jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a token signed with this secret and not expired. A
    /// token verified before is found in memory (see [`super::verified`]).
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let now = Utc::now().timestamp();
        match self.verified.get(token, now, LEEWAY_SECONDS) {
            Remembered::Valid(claims) => return Ok(claims),
            Remembered::Expired => return Err(ApiError::TokenExpired),
            Remembered::Unknown => {}
        }
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => ApiError::TokenExpired,
                _ => ApiError::Unauthorized("the access token is not valid"),
            })?;
        self.verified.keep(token, &claims, now, LEEWAY_SECONDS);
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        Grant {
            tenant: TenantId::from_uuid(Uuid::from_u128(1)),
            user: UserId::from_uuid(Uuid::from_u128(2)),
            role: Role::Doctor,
            device: DeviceId::from_uuid(Uuid::from_u128(3)),
            session: Uuid::from_u128(4),
            must_change_password: false,
        }
    }

    #[test]
    fn a_token_verified_once_is_answered_from_memory_and_a_changed_one_is_not() {
        let keys = JwtKeys::new(&[9u8; 32], 600).expect("keys");
        let token = keys.issue(&grant()).expect("issue");
        let first = keys.verify(&token).expect("valid");
        assert_eq!(keys.verified.len(), 1);
        assert_eq!(keys.clone().verify(&token).expect("valid again"), first);
        // One signature character changed: the whole text misses the
        // memory and the full check refuses it.
        let at = token.len() - 5;
        let swapped = if &token[at..=at] == "A" { "B" } else { "A" };
        let forged = format!("{}{swapped}{}", &token[..at], &token[at + 1..]);
        assert!(matches!(keys.verify(&forged), Err(ApiError::Unauthorized(_))));
        assert_eq!(keys.verified.len(), 1, "a refused token is not kept");
    }

    #[test]
    fn an_expired_token_is_refused_as_expired_and_not_kept() {
        let keys = JwtKeys::new(&[9u8; 32], -120).expect("keys");
        let token = keys.issue(&grant()).expect("issue");
        assert!(matches!(keys.verify(&token), Err(ApiError::TokenExpired)));
        assert!(keys.verified.is_empty());
    }
}
