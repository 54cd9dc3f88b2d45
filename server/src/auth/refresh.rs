//! Refresh tokens: `rt1.<tenant>.<token id>.<secret>`. The tenant and id say
//! where to look; only the SHA-256 of the 32-byte secret is stored, and it
//! is compared in constant time. A forged tenant finds no such token there.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::ids::TenantId;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

const PREFIX: &str = "rt1";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefreshToken {
    pub tenant: TenantId,
    pub id: Uuid,
    secret: [u8; 32],
}

impl RefreshToken {
    pub fn generate(tenant: TenantId) -> Self {
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        Self {
            tenant,
            id: Uuid::now_v7(),
            secret,
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let mut parts = raw.trim().split('.');
        if parts.next()? != PREFIX {
            return None;
        }
        let tenant = TenantId::parse(parts.next()?).ok()?;
        let id = Uuid::parse_str(parts.next()?).ok()?;
        let secret: [u8; 32] = URL_SAFE_NO_PAD.decode(parts.next()?).ok()?.try_into().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(Self { tenant, id, secret })
    }

    pub fn encode(&self) -> String {
        format!(
            "{PREFIX}.{}.{}.{}",
            self.tenant.as_uuid().simple(),
            self.id.simple(),
            URL_SAFE_NO_PAD.encode(self.secret)
        )
    }

    pub fn hash(&self) -> Vec<u8> {
        Sha256::digest(self.secret).to_vec()
    }

    pub fn matches(&self, stored_hash: &[u8]) -> bool {
        self.hash().ct_eq(stored_hash).into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_parse_round_trip() {
        let token = RefreshToken::generate(TenantId::new());
        let parsed = RefreshToken::parse(&token.encode()).expect("parses");
        assert_eq!(parsed, token);
        assert!(parsed.matches(&token.hash()));
        assert!(!RefreshToken::generate(token.tenant).matches(&token.hash()));
    }

    #[test]
    fn garbage_is_refused() {
        let good = RefreshToken::generate(TenantId::new()).encode();
        for bad in [
            "",
            "rt1",
            "rt2.a.b.c",
            &format!("{good}.x"),
            &good.replace("rt1.", "rt1.zz"),
        ] {
            assert!(RefreshToken::parse(bad).is_none(), "{bad}");
        }
    }
}
