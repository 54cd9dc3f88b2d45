//! The clinic's standing as this PC last heard it with a pull. While the
//! platform has the clinic suspended, local writes are refused here, in
//! the one place every write passes, with the reason people read on the
//! banner: nothing piles up on the PC that the server would refuse later.

use domain::tenant::Standing;
use rusqlite::{Connection, OptionalExtension};

use super::{Store, key, set_state};
use crate::error::StoreError;

impl Store {
    /// Why the clinic cannot write, while it is suspended.
    pub fn clinic_suspended(&self) -> Result<Option<String>, StoreError> {
        suspension(self.conn())
    }

    /// Records what the server said with the last pull.
    pub fn set_standing(&self, standing: &Standing) -> Result<(), StoreError> {
        if standing.writable() {
            self.conn()
                .prepare_cached("DELETE FROM sync_state WHERE key = ?1")?
                .execute([key::SUSPENDED])?;
            Ok(())
        } else {
            set_state(self.conn(), key::SUSPENDED, &standing.explanation())
        }
    }
}

fn suspension(conn: &Connection) -> Result<Option<String>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM sync_state WHERE key = ?1")?
        .query_row([key::SUSPENDED], |r| r.get(0))
        .optional()?)
}

/// Refuses a local write while the clinic is suspended.
pub(super) fn refuse_if_suspended(conn: &Connection) -> Result<(), StoreError> {
    match suspension(conn)? {
        Some(why) => Err(StoreError::ClinicSuspended(why)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use domain::ids::TenantId;
    use domain::tenant::TenantStatus;
    use serde_json::json;

    use super::*;

    fn patient() -> serde_json::Map<String, serde_json::Value> {
        json!({"first_name": "Asha", "mobile_number": "+919845012345",
               "date_of_birth": "1990-01-01", "gender": "female"})
        .as_object()
        .cloned()
        .unwrap_or_default()
    }

    #[test]
    fn a_suspension_refuses_every_local_write_until_it_is_lifted() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store =
            Store::open_plain(dir.path(), TenantId::from_uuid(uuid::Uuid::now_v7())).expect("store");
        let id = store.insert("patients", patient()).expect("before");
        store
            .set_standing(&Standing {
                status: TenantStatus::Suspended,
                reason: Some("unpaid".into()),
            })
            .expect("standing");
        let refused = store.insert("patients", patient()).expect_err("suspended");
        assert!(
            matches!(&refused, StoreError::ClinicSuspended(why) if why.contains("unpaid")),
            "{refused:?}"
        );
        let edit = store.update(
            "patients",
            id,
            json!({"first_name": "Ashu"})
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        assert!(matches!(edit, Err(StoreError::ClinicSuspended(_))));
        assert!(matches!(
            store.delete("patients", id),
            Err(StoreError::ClinicSuspended(_))
        ));
        assert_eq!(
            store.pending_count().expect("pending"),
            1,
            "only the first write is queued"
        );

        store
            .set_standing(&Standing {
                status: TenantStatus::Active,
                reason: None,
            })
            .expect("standing");
        assert_eq!(store.clinic_suspended().expect("read"), None);
        store.insert("patients", patient()).expect("writes again");
    }
}
