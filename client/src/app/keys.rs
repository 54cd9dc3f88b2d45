//! The keys of this PC's encrypted databases, kept in the OS keychain: one
//! for the registry and one per clinic. A database whose key is gone can
//! never be read again; it is set aside and made anew (a clinic's records
//! then come back from the server, and what the PC had not synced is lost,
//! which the person is told).

use std::path::Path;

use domain::ids::{DeviceId, TenantId};

use super::registry::Registry;
use super::secrets::Secrets;
use crate::error::StoreError;
use crate::store::{Store, StoreKey, cipher};

/// The keychain name of the registry's key.
const REGISTRY: &str = "registry";

/// What the person is told when a clinic's key was lost.
pub const CLINIC_KEY_LOST: &str = "This PC's key to the clinic's records was missing from its keychain, so the \
     copy on this PC could not be read. The clinic's records are being downloaded again from the server; changes \
     made on this PC that had not been synced are lost.";

/// Held while a key is looked up and, if missing, made and kept: the
/// keychain has no compare-and-set, so two cores of one process asking at
/// once would each make one and the later would lock the earlier's
/// database out.
static MAKING_KEYS: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The key named `name`, made and kept when there is none yet.
fn key_for(secrets: &Secrets, name: &str) -> Result<(StoreKey, bool), StoreError> {
    let _making = MAKING_KEYS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(key) = secrets.db_key(name)? {
        return Ok((key, false));
    }
    let key = StoreKey::generate();
    secrets.save_db_key(name, &key)?;
    Ok((key, true))
}

/// Opens the registry; one whose key is lost is made anew (this PC then
/// forgets its clinics, offline sign-ins and settings, and gets a new id).
pub fn open_registry(dir: &Path, secrets: &Secrets) -> Result<Registry, StoreError> {
    let (key, _) = key_for(secrets, REGISTRY)?;
    match Registry::open(dir, &key) {
        Err(StoreError::KeyMismatch) => {
            tracing::error!("the registry's key is not in the keychain: starting a new registry");
            cipher::remove_database(&Registry::path_in(dir))?;
            Registry::open(dir, &key)
        }
        other => other,
    }
}

/// Opens a clinic's store. `Ok((store, true))` when its key was lost and
/// the store was started anew (to be filled from the server).
pub fn open_clinic(
    dir: &Path,
    tenant: TenantId,
    device: DeviceId,
    secrets: &Secrets,
) -> Result<(Store, bool), StoreError> {
    let name = tenant.to_string();
    let (key, _) = key_for(secrets, &name)?;
    match Store::open_as(dir, tenant, Some(device), &key) {
        Err(StoreError::KeyMismatch) => {
            tracing::error!(tenant = %tenant, "a clinic's key is not in the keychain: its store starts anew");
            cipher::remove_database(&Store::path_for(dir, tenant))?;
            let fresh = StoreKey::generate();
            secrets.save_db_key(&name, &fresh)?;
            Ok((Store::open_as(dir, tenant, Some(device), &fresh)?, true))
        }
        other => other.map(|store| (store, false)),
    }
}

/// Opens a clinic's store only if it exists and its key is known.
pub fn open_existing_clinic(
    dir: &Path,
    tenant: TenantId,
    device: DeviceId,
    secrets: &Secrets,
) -> Result<Option<Store>, StoreError> {
    if !Store::path_for(dir, tenant).exists() {
        return Ok(None);
    }
    match secrets.db_key(&tenant.to_string())? {
        Some(key) => match Store::open_as(dir, tenant, Some(device), &key) {
            Err(StoreError::KeyMismatch) => Ok(None),
            other => other.map(Some),
        },
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Several cores of one process (the PCs of a test, or two windows'
    /// start-up) asking for a key nobody has made yet must all get the
    /// same one: a key made twice leaves a database nobody can open.
    /// Needs a secret service, as the test script provides.
    #[test]
    fn a_key_asked_for_at_once_is_made_once() {
        let name = format!("test-{}", uuid::Uuid::new_v4());
        let keys: Vec<String> = std::thread::scope(|scope| {
            let askers: Vec<_> = (0..8)
                .map(|_| scope.spawn(|| key_for(&Secrets, &name).map(|(key, _)| key.to_hex())))
                .collect();
            askers
                .into_iter()
                .map(|a| a.join().expect("thread").expect("keychain"))
                .collect()
        });
        Secrets.forget_db_key(&name).expect("clean up");
        assert!(keys.windows(2).all(|pair| pair[0] == pair[1]), "{keys:?}");
    }
}
