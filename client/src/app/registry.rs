//! The PC's registry database: known clinics, offline sign-in verifiers
//! and settings. One file per PC, in the app data directory.

use std::path::Path;

use contract::app::{SessionUser, SubscriptionView};
use domain::user::Role;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::StoreError;

const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../../migrations/app/0001_registry.sql")),
    (2, include_str!("../../migrations/app/0002_offline_lock.sql")),
];

/// user id, full name, role, doctor id, verifier, locked until.
type LocalUserRow = (String, String, String, Option<String>, String, Option<String>);

#[derive(Debug)]
pub struct Registry {
    conn: Connection,
}

/// A user who signed in on this PC online before.
#[derive(Debug, Clone)]
pub struct LocalUser {
    pub tenant_id: String,
    pub user: SessionUser,
    pub verifier: String,
    /// Offline sign-in waits until then after too many wrong passwords.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
}

impl Registry {
    /// The registry's file in the app's data directory.
    pub fn path_in(dir: &Path) -> std::path::PathBuf {
        dir.join("app.sqlite3")
    }

    /// Opens (creating, encrypting and migrating as needed) the registry.
    pub fn open(dir: &Path, key: &crate::store::StoreKey) -> Result<Self, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::Invalid(format!("cannot create {}: {e}", dir.display())))?;
        let mut conn = crate::store::cipher::open(&Self::path_in(dir), key)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        crate::store::migrate::apply(&mut conn, MIGRATIONS)?;
        Ok(Self { conn })
    }

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    pub fn delete_setting(&self, key: &str) -> Result<(), StoreError> {
        self.conn.execute("DELETE FROM settings WHERE key = ?1", [key])?;
        Ok(())
    }

    pub fn remember_clinic(&self, tenant_id: &str, code: &str, name: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO clinics (tenant_id, code, name) VALUES (?1, ?2, ?3) \
             ON CONFLICT (tenant_id) DO UPDATE SET code = excluded.code, name = excluded.name",
            params![tenant_id, code, name],
        )?;
        Ok(())
    }

    /// (tenant id, name) of the clinic with this code, if known here.
    pub fn clinic_by_code(&self, code: &str) -> Result<Option<(String, String)>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT tenant_id, name FROM clinics WHERE code = ?1",
                [code.trim().to_uppercase()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    pub fn save_subscription(&self, tenant_id: &str, view: &SubscriptionView) -> Result<(), StoreError> {
        let json = serde_json::to_string(view).map_err(|e| StoreError::Invalid(e.to_string()))?;
        self.conn.execute(
            "UPDATE clinics SET subscription = ?2 WHERE tenant_id = ?1",
            params![tenant_id, json],
        )?;
        Ok(())
    }

    pub fn subscription(&self, tenant_id: &str) -> Result<Option<SubscriptionView>, StoreError> {
        let json: Option<Option<String>> = self
            .conn
            .query_row(
                "SELECT subscription FROM clinics WHERE tenant_id = ?1",
                [tenant_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(json.flatten().and_then(|j| serde_json::from_str(&j).ok()))
    }

    pub fn save_user(&self, tenant_id: &str, user: &SessionUser, verifier: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO local_users (tenant_id, email, user_id, full_name, role, doctor_id, verifier, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) \
             ON CONFLICT (tenant_id, email) DO UPDATE SET user_id = excluded.user_id, full_name = excluded.full_name, \
               role = excluded.role, doctor_id = excluded.doctor_id, verifier = excluded.verifier, \
               updated_at = excluded.updated_at",
            params![
                tenant_id,
                user.email,
                user.id,
                user.full_name,
                user.role.as_str(),
                user.doctor_id,
                verifier,
                chrono::Utc::now().to_rfc3339()
            ],
        )?;
        Ok(())
    }

    pub fn user(&self, tenant_id: &str, email: &str) -> Result<Option<LocalUser>, StoreError> {
        let row: Option<LocalUserRow> = self
            .conn
            .query_row(
                "SELECT user_id, full_name, role, doctor_id, verifier, locked_until \
                   FROM local_users WHERE tenant_id = ?1 AND email = ?2",
                params![tenant_id, email.trim().to_lowercase()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
            .optional()?;
        row.map(|(id, full_name, role, doctor_id, verifier, locked_until)| {
            Ok(LocalUser {
                tenant_id: tenant_id.to_owned(),
                user: SessionUser {
                    id,
                    full_name,
                    email: email.trim().to_lowercase(),
                    role: Role::parse(&role).ok_or_else(|| StoreError::Corrupt(format!("role {role}")))?,
                    doctor_id,
                },
                verifier,
                locked_until: locked_until
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
                    .map(|t| t.with_timezone(&chrono::Utc)),
            })
        })
        .transpose()
    }

    /// Counts a wrong offline password; the `max`-th locks the account on
    /// this PC until `until`. Returns the failures so far.
    pub fn note_offline_failure(
        &self,
        tenant_id: &str,
        email: &str,
        max: i64,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<i64, StoreError> {
        Ok(self.conn.query_row(
            "UPDATE local_users SET failed_attempts = failed_attempts + 1, \
                    locked_until = CASE WHEN failed_attempts + 1 >= ?3 THEN ?4 ELSE locked_until END \
              WHERE tenant_id = ?1 AND email = ?2 RETURNING failed_attempts",
            params![tenant_id, email.trim().to_lowercase(), max, until.to_rfc3339()],
            |r| r.get(0),
        )?)
    }

    pub fn clear_offline_failures(&self, tenant_id: &str, email: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE local_users SET failed_attempts = 0, locked_until = NULL WHERE tenant_id = ?1 AND email = ?2",
            params![tenant_id, email.trim().to_lowercase()],
        )?;
        Ok(())
    }

    /// Forgets one user's offline sign-in (the clinic deactivated them).
    pub fn forget_user(&self, tenant_id: &str, email: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "DELETE FROM local_users WHERE tenant_id = ?1 AND email = ?2",
            params![tenant_id, email.trim().to_lowercase()],
        )?;
        Ok(())
    }

    /// Forgets a clinic: its entry, everyone's offline sign-in verifiers
    /// and the settings kept for it, in one transaction. Returns the user
    /// ids whose keychain entries are to go too.
    pub fn forget_clinic(&mut self, tenant_id: &str) -> Result<Vec<String>, StoreError> {
        let tx = self.conn.transaction()?;
        let users = {
            let mut stmt = tx.prepare("SELECT user_id FROM local_users WHERE tenant_id = ?1")?;
            stmt.query_map([tenant_id], |r| r.get(0))?
                .collect::<Result<Vec<String>, _>>()?
        };
        tx.execute("DELETE FROM local_users WHERE tenant_id = ?1", [tenant_id])?;
        tx.execute("DELETE FROM clinics WHERE tenant_id = ?1", [tenant_id])?;
        tx.execute("DELETE FROM settings WHERE key LIKE '%:' || ?1", [tenant_id])?;
        tx.commit()?;
        Ok(users)
    }
}
