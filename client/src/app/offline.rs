//! Signing in with the server out of reach, against the argon2id verifier
//! kept from an earlier online sign-in on this PC. The same rules as the
//! server's where the PC can know them: an account the clinic deactivated
//! (as synced to this PC) is refused, and five wrong passwords lock the
//! account on this PC for 15 minutes.

use chrono::{DateTime, Duration, Utc};
use contract::app::{CommandCode, CommandError, SessionView};
use domain::date::DateStyle;
use domain::ids::TenantId;
use domain::user::Role;

use super::session::{SignedIn, verify};
use super::{AppCore, CommandResult};
use crate::store::SyncedUser;

/// Wrong passwords after which offline sign-in waits, as the server does.
pub const MAX_FAILURES: i64 = 5;
/// How long it waits.
pub const LOCK_MINUTES: i64 = 15;

fn unknown() -> CommandError {
    CommandError::new(
        CommandCode::UnknownOfflineUser,
        "The server cannot be reached, and you have not signed in on this PC before. \
         Sign in once while connected; after that you can work offline here.",
    )
}

fn wrong_password() -> CommandError {
    CommandError::new(
        CommandCode::InvalidCredentials,
        "Wrong clinic code, e-mail or password.",
    )
}

fn locked(until: DateTime<Utc>) -> CommandError {
    let minutes = (until - Utc::now()).num_minutes().max(0) + 1;
    CommandError::new(
        CommandCode::RateLimited,
        format!(
            "Too many wrong passwords for this account on this PC. Try again in {minutes} minutes, \
             or sign in when the server can be reached."
        ),
    )
}

fn deactivated() -> CommandError {
    CommandError::new(
        CommandCode::InvalidCredentials,
        "This account was deactivated by the clinic's admin; it cannot sign in on this PC.",
    )
}

impl AppCore {
    pub(super) async fn sign_in_offline(
        &self,
        clinic_code: &str,
        email: &str,
        password: &str,
    ) -> CommandResult<SessionView> {
        if let Some(name) = self.removed_from(clinic_code) {
            return Err(super::removal::removed_error(&name));
        }
        let (tenant_id, clinic_name) = self
            .registry()?
            .clinic_by_code(clinic_code)?
            .ok_or_else(unknown)?;
        let local = self.registry()?.user(&tenant_id, email)?.ok_or_else(unknown)?;
        if let Some(until) = local.locked_until.filter(|until| *until > Utc::now()) {
            return Err(locked(until));
        }
        if !verify(password.to_owned(), local.verifier.clone()).await {
            let until = Utc::now() + Duration::minutes(LOCK_MINUTES);
            let failures = self
                .registry()?
                .note_offline_failure(&tenant_id, email, MAX_FAILURES, until)?;
            tracing::info!(failures, "offline sign-in: wrong password");
            return Err(if failures >= MAX_FAILURES {
                locked(until)
            } else {
                wrong_password()
            });
        }
        let synced = self.synced_user(&tenant_id, &local.user.id)?;
        if synced.as_ref().is_some_and(|u| !u.active) {
            // Its verifier goes: this account has no business on this PC.
            self.registry()?.forget_user(&tenant_id, email)?;
            return Err(deactivated());
        }
        let mut user = local.user;
        // An admin may have changed their role since they last signed in
        // online here: the synced copy is the newer word.
        if let Some(role) = synced.and_then(|u| u.role).and_then(|r| Role::parse(&r)) {
            user.role = role;
        }
        self.registry()?.clear_offline_failures(&tenant_id, email)?;
        let refresh = self.secrets.refresh(&tenant_id, &user.id)?;
        let view = SessionView {
            tenant_id,
            clinic_code: clinic_code.trim().to_uppercase(),
            clinic_name,
            user,
            must_change_password: false,
            offline: true,
            date_style: DateStyle::default(),
            idle_minutes: contract::app::DEFAULT_IDLE_MINUTES,
            currency: "INR".into(),
            number_style: Default::default(),
            notice: None,
        };
        self.start(SignedIn {
            view,
            access: None,
            refresh,
            number_slot: None,
            settings: None,
        })
        .await
    }

    /// The user as last synced to this PC, `None` when not synced yet
    /// (they signed in online here, which the server allowed).
    fn synced_user(&self, tenant_id: &str, user_id: &str) -> CommandResult<Option<SyncedUser>> {
        let (Ok(tenant), Ok(user)) = (TenantId::parse(tenant_id), uuid::Uuid::parse_str(user_id)) else {
            return Ok(None);
        };
        let store = super::keys::open_existing_clinic(
            &self.data_dir.join("clinics"),
            tenant,
            self.device_id()?,
            &self.secrets,
        )?;
        Ok(store.map_or(Ok(None), |s| s.synced_user(user))?)
    }
}
