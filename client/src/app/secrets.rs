//! Secrets in the OS keychain (`keyring`): the refresh token of a signed-in
//! user and this PC's device secret per clinic. Never in a plain file,
//! never logged.

use crate::error::StoreError;

const SERVICE: &str = "clinic-desktop";

#[derive(Debug, Clone, Default)]
pub struct Secrets;

fn entry(tenant: &str, user: &str) -> Result<keyring::Entry, StoreError> {
    named(&format!("refresh:{tenant}:{user}"))
}

fn named(name: &str) -> Result<keyring::Entry, StoreError> {
    keyring::Entry::new(SERVICE, name).map_err(|e| StoreError::Invalid(format!("keychain unavailable: {e}")))
}

/// The device secret's entry: by clinic code, which the sign-in screen
/// knows before the clinic's id is known.
fn device_entry(clinic_code: &str, device: &str) -> Result<keyring::Entry, StoreError> {
    named(&format!(
        "device:{}:{device}",
        clinic_code.trim().to_ascii_uppercase()
    ))
}

/// Deletes an entry; one that is not there is already deleted.
fn delete(entry: keyring::Entry) -> Result<(), StoreError> {
    match entry.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(StoreError::Invalid(format!("could not clear the keychain: {e}"))),
    }
}

fn read(entry: keyring::Entry) -> Result<Option<String>, StoreError> {
    match entry.get_password() {
        Ok(secret) => Ok(Some(secret)),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(StoreError::Invalid(format!("keychain unavailable: {e}"))),
    }
}

impl Secrets {
    pub fn save_refresh(&self, tenant: &str, user: &str, token: &str) -> Result<(), StoreError> {
        entry(tenant, user)?
            .set_password(token)
            .map_err(|e| StoreError::Invalid(format!("could not store the sign-in in the keychain: {e}")))
    }

    pub fn refresh(&self, tenant: &str, user: &str) -> Result<Option<String>, StoreError> {
        read(entry(tenant, user)?)
    }

    /// Keeps the secret the clinic's server issued to this PC.
    pub fn save_device_secret(
        &self,
        clinic_code: &str,
        device: &str,
        secret: &str,
    ) -> Result<(), StoreError> {
        device_entry(clinic_code, device)?
            .set_password(secret)
            .map_err(|e| {
                StoreError::Invalid(format!("could not store this PC's identity in the keychain: {e}"))
            })
    }

    pub fn device_secret(&self, clinic_code: &str, device: &str) -> Result<Option<String>, StoreError> {
        read(device_entry(clinic_code, device)?)
    }

    pub fn forget(&self, tenant: &str, user: &str) -> Result<(), StoreError> {
        delete(entry(tenant, user)?)
    }

    pub fn forget_device_secret(&self, clinic_code: &str, device: &str) -> Result<(), StoreError> {
        delete(device_entry(clinic_code, device)?)
    }

    /// The key of one of this PC's databases (`registry`, or a clinic's
    /// id). `None` when the keychain has none.
    pub fn db_key(&self, name: &str) -> Result<Option<crate::store::StoreKey>, StoreError> {
        Ok(read(named(&format!("db-key:{name}"))?)?.and_then(|hex| crate::store::StoreKey::from_hex(&hex)))
    }

    pub fn save_db_key(&self, name: &str, key: &crate::store::StoreKey) -> Result<(), StoreError> {
        named(&format!("db-key:{name}"))?
            .set_password(&key.to_hex())
            .map_err(|e| StoreError::Invalid(format!("could not keep a database key in the keychain: {e}")))
    }

    pub fn forget_db_key(&self, name: &str) -> Result<(), StoreError> {
        delete(named(&format!("db-key:{name}"))?)
    }
}
