//! A PC an admin removed from a clinic: when the server says so
//! (`device_revoked`), the PC erases what it kept of that clinic, which is
//! its database, its exported PDFs, the offline sign-in verifiers and the
//! keychain entries, and says why at the next sign-in. Changes it had not
//! sent are lost by design; the admin's confirm said how many.

use std::path::{Path, PathBuf};

use contract::app::{CommandCode, CommandError};
use domain::ids::TenantId;

use super::{AppCore, CommandResult, LAST_CLINIC_CODE, Session};
use crate::store::{Store, cipher};

/// The setting that remembers, per clinic code, the name of a clinic that
/// removed this PC (for the sign-in screen's explanation).
fn removed_key(clinic_code: &str) -> String {
    format!("removed_from:{}", clinic_code.trim().to_ascii_uppercase())
}

/// What the person at the PC is told.
pub fn removed_error(clinic_name: &str) -> CommandError {
    CommandError::new(
        CommandCode::DeviceRevoked,
        format!(
            "This PC was removed from {clinic_name} by an administrator. \
             The clinic's data on this PC has been erased; ask your administrator if this is a mistake."
        ),
    )
}

/// Where a clinic's exported PDFs go (one folder per clinic, so removing
/// one clinic's never touches another's).
pub fn exports_dir(data_dir: &Path, tenant: TenantId) -> PathBuf {
    data_dir
        .join("exports")
        .join(format!("clinic-{}", tenant.as_uuid().simple()))
}

impl AppCore {
    /// Ends a session whose PC was removed and erases the clinic here.
    pub(super) fn end_removed_session(&self, session: Session) -> CommandError {
        let _ = session.stop.send(true);
        let (tenant, code, name) = (
            session.view.tenant_id.clone(),
            session.view.clinic_code.clone(),
            session.view.clinic_name.clone(),
        );
        // The store closes with the engine; on this OS the files can go
        // while it is still open.
        drop(session);
        self.erase_clinic(&tenant, &code, &name);
        removed_error(&name)
    }

    /// Erases everything this PC kept of a clinic that removed it, its
    /// identity included, and remembers why for the sign-in screen.
    pub(super) fn erase_clinic(&self, tenant_id: &str, clinic_code: &str, clinic_name: &str) {
        tracing::warn!(
            tenant = tenant_id,
            "this PC was removed from the clinic: erasing its data here"
        );
        self.erase_clinic_data(tenant_id, clinic_code);
        if let Ok(device) = self.device_id()
            && let Err(err) = self
                .secrets
                .forget_device_secret(clinic_code, &device.to_string())
        {
            tracing::error!(error = %err, "could not clear this PC's identity from the keychain");
        }
        if let Ok(registry) = self.registry() {
            let _ = registry.set_setting(&removed_key(clinic_code), clinic_name);
        }
    }

    /// Erases this PC's copy of a clinic: its database, exports, offline
    /// sign-ins, sign-ins and database key in the keychain. Each part is
    /// tried even when another fails (what could not go is logged for IT).
    pub(super) fn erase_clinic_data(&self, tenant_id: &str, clinic_code: &str) {
        if let Ok(tenant) = TenantId::parse(tenant_id) {
            let db = Store::path_for(&self.data_dir.join("clinics"), tenant);
            if let Err(err) = cipher::remove_database(&db) {
                tracing::error!(error = %err, "could not erase the clinic's database");
            }
            if let Err(err) = std::fs::remove_dir_all(exports_dir(&self.data_dir, tenant))
                && err.kind() != std::io::ErrorKind::NotFound
            {
                tracing::error!(error = %err, "could not erase the clinic's exports");
            }
        }
        let users = self
            .registry()
            .and_then(|mut r| Ok(r.forget_clinic(tenant_id)?))
            .unwrap_or_else(|err| {
                tracing::error!(error = %err.message, "could not forget the clinic's sign-ins");
                Vec::new()
            });
        for user in users {
            if let Err(err) = self.secrets.forget(tenant_id, &user) {
                tracing::error!(error = %err, "could not clear a sign-in from the keychain");
            }
        }
        if let Err(err) = self.secrets.forget_db_key(tenant_id) {
            tracing::error!(error = %err, "could not clear the clinic's key from the keychain");
        }
        if let Ok(registry) = self.registry() {
            let last = registry.setting(LAST_CLINIC_CODE).ok().flatten();
            if last.is_some_and(|c| c.eq_ignore_ascii_case(clinic_code)) {
                let _ = registry.set_setting(LAST_CLINIC_CODE, "");
            }
        }
    }

    /// Signs out and removes this clinic's data from this PC (a shared or
    /// borrowed PC, or one leaving the clinic's use). The PC stays the
    /// clinic's: signing in again downloads the records anew. Changes not
    /// yet synced are refused unless `discard_unsynced`.
    pub async fn forget_clinic_here(&self, discard_unsynced: bool) -> CommandResult<()> {
        let pending = self
            .with_session(|s| Ok(s.engine.store()?.pending_count()?))
            .await?;
        if pending > 0 && !discard_unsynced {
            return Err(CommandError::new(
                CommandCode::Conflict,
                format!(
                    "{pending} change(s) made on this PC have not reached the server yet. Sync first, or confirm that they may be lost."
                ),
            ));
        }
        let (tenant, code) = self
            .with_session(|s| Ok((s.view.tenant_id.clone(), s.view.clinic_code.clone())))
            .await?;
        self.sign_out().await?;
        self.erase_clinic_data(&tenant, &code);
        tracing::info!(tenant = %tenant, discarded = pending, "this clinic's data was removed from this PC");
        Ok(())
    }

    /// The name of the clinic with this code if it removed this PC.
    pub(super) fn removed_from(&self, clinic_code: &str) -> Option<String> {
        self.registry()
            .ok()?
            .setting(&removed_key(clinic_code))
            .ok()
            .flatten()
    }

    /// The clinic took this PC back (a sign-in succeeded): no explanation
    /// of an old removal is due any more.
    pub(super) fn forget_removal(&self, clinic_code: &str) {
        if let Ok(registry) = self.registry()
            && registry
                .setting(&removed_key(clinic_code))
                .ok()
                .flatten()
                .is_some()
        {
            let _ = registry.delete_setting(&removed_key(clinic_code));
        }
    }
}
