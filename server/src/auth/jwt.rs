//! Short-lived access tokens: HS256 JWTs carrying tenant, user, role and
//! device. Only HS256 is accepted, so `alg: none` and algorithm swaps fail.

use chrono::Utc;
use domain::ids::{DeviceId, TenantId, UserId};
use domain::user::Role;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::ApiError;

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
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "iat", "sub", "sid"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
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

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                ErrorKind::ExpiredSignature => ApiError::TokenExpired,
                _ => ApiError::Unauthorized("the access token is not valid"),
            })
    }
}
