//! Secrets in the OS keychain (`keyring`): the refresh token of a signed-in
//! user. Never in a plain file, never logged.

use crate::error::StoreError;

const SERVICE: &str = "clinic-desktop";

#[derive(Debug, Clone, Default)]
pub struct Secrets;

fn entry(tenant: &str, user: &str) -> Result<keyring::Entry, StoreError> {
    keyring::Entry::new(SERVICE, &format!("refresh:{tenant}:{user}"))
        .map_err(|e| StoreError::Invalid(format!("keychain unavailable: {e}")))
}

impl Secrets {
    pub fn save_refresh(&self, tenant: &str, user: &str, token: &str) -> Result<(), StoreError> {
        entry(tenant, user)?
            .set_password(token)
            .map_err(|e| StoreError::Invalid(format!("could not store the sign-in in the keychain: {e}")))
    }

    pub fn refresh(&self, tenant: &str, user: &str) -> Result<Option<String>, StoreError> {
        match entry(tenant, user)?.get_password() {
            Ok(token) => Ok(Some(token)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(StoreError::Invalid(format!("keychain unavailable: {e}"))),
        }
    }

    pub fn forget(&self, tenant: &str, user: &str) -> Result<(), StoreError> {
        match entry(tenant, user)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(StoreError::Invalid(format!("could not clear the keychain: {e}"))),
        }
    }
}
