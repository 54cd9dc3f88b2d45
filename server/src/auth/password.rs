//! Password hashing (argon2id) and temporary passwords.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::Rng;
use rand::rngs::OsRng;

/// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
fn hasher() -> Argon2<'static> {
    // The parameters are constants inside the documented ranges.
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes on a blocking thread: argon2 is deliberately slow and must not
/// stall the async runtime.
pub async fn hash(password: String) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))
    })
    .await?
}

/// Checks `password` against a stored PHC string; a malformed hash is a
/// mismatch, not an error a caller could tell apart.
pub async fn verify(password: String, stored: String) -> anyhow::Result<bool> {
    Ok(tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|parsed| hasher().verify_password(password.as_bytes(), &parsed).is_ok())
            .unwrap_or(false)
    })
    .await?)
}

/// Verifies against the hash of a random password when the e-mail or clinic
/// is unknown, so that a failed sign-in takes the same time either way.
pub async fn burn_equal_time(password: String) -> anyhow::Result<()> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let dummy = DUMMY.get_or_try_init(|| hash(temporary())).await?;
    verify(password, dummy.clone()).await.map(|_| ())
}

/// A temporary password of 16 characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), holding every character class the password policy asks for.
/// A new temporary password and its hash. Hashing is deliberately slow:
/// callers make this before they hold a database connection.
pub async fn temporary_hashed() -> anyhow::Result<(String, String)> {
    let password = temporary();
    let hash = hash(password.clone()).await?;
    Ok((password, hash))
}

pub fn temporary() -> String {
    const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
    const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
    const DIGITS: &[u8] = b"23456789";
    const SYMBOLS: &[u8] = b"-_!@#%+=";
    let mut rng = OsRng;
    let all: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    let mut chars: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS]
        .iter()
        .map(|set| set[rng.gen_range(0..set.len())])
        .collect();
    while chars.len() < 16 {
        chars.push(all[rng.gen_range(0..all.len())]);
    }
    // Fisher-Yates so the guaranteed classes are not always in front.
    for i in (1..chars.len()).rev() {
        chars.swap(i, rng.gen_range(0..=i));
    }
    chars.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hash_then_verify() {
        let stored = hash("Correct-Horse-42".into()).await.expect("hash");
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify("Correct-Horse-42".into(), stored.clone())
                .await
                .expect("verify")
        );
        assert!(!verify("wrong".into(), stored).await.expect("verify"));
        assert!(!verify("x".into(), "not a hash".into()).await.expect("verify"));
        burn_equal_time("x".into()).await.expect("dummy hash parses");
    }

    #[test]
    fn temporary_passwords_satisfy_the_policy() {
        for _ in 0..200 {
            let pw = temporary();
            assert_eq!(pw.len(), 16);
            assert!(domain::user::check_new_password(&pw, None).is_ok(), "{pw}");
        }
        assert_ne!(temporary(), temporary());
    }
}
