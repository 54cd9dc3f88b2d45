//! The clinic's doctors as this PC knows them (synced from the server), for
//! booking and prescribing offline.

use contract::screens::DoctorOption;
use domain::doctor::{Office, WeeklyAvailability};
use domain::time_off::TimeOff;

use super::Store;
use crate::error::StoreError;

const SQL: &str = "SELECT d.id, d.user_id, coalesce(u.full_name, d.licence_number, 'Doctor'), d.licence_number, \
     d.specialization, d.qualification, coalesce(d.consultation_minutes, 15), d.offices, d.availability, d.time_off, \
     d.consultation_fee_minor \
     FROM doctors d LEFT JOIN users u ON u.id = d.user_id AND u.deleted_at IS NULL \
     WHERE d.deleted_at IS NULL AND coalesce(d.is_active, 1) = 1";

fn json_or_default<T: serde::de::DeserializeOwned + Default>(raw: Option<String>) -> T {
    raw.and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default()
}

fn option(r: &rusqlite::Row<'_>, me: Option<&str>) -> rusqlite::Result<DoctorOption> {
    let user_id: String = r.get(1)?;
    let minutes: i64 = r.get(6)?;
    Ok(DoctorOption {
        id: r.get(0)?,
        is_me: me == Some(user_id.as_str()),
        user_id,
        name: r.get(2)?,
        licence_number: r.get(3)?,
        specialization: r.get(4)?,
        qualification: r.get(5)?,
        consultation_minutes: u32::try_from(minutes).unwrap_or(15),
        offices: json_or_default::<Vec<Office>>(r.get(7)?),
        availability: json_or_default::<WeeklyAvailability>(r.get(8)?),
        time_off: json_or_default::<Vec<TimeOff>>(r.get(9)?),
        consultation_fee_minor: r.get(10)?,
    })
}

impl Store {
    /// Active doctors by name; `is_me` marks the signed-in user's record.
    pub fn doctors(&self) -> Result<Vec<DoctorOption>, StoreError> {
        let me = self.actor.map(|a| a.to_string());
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{SQL} ORDER BY 3 COLLATE NOCASE"))?;
        let rows = stmt.query_map([], |r| option(r, me.as_deref()))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn doctor(&self, id: &str) -> Result<Option<DoctorOption>, StoreError> {
        let me = self.actor.map(|a| a.to_string());
        let mut stmt = self.conn().prepare_cached(&format!("{SQL} AND d.id = ?1"))?;
        let mut rows = stmt.query_map([id], |r| option(r, me.as_deref()))?;
        Ok(rows.next().transpose()?)
    }

    /// The doctor record of the signed-in user, if they are a doctor.
    pub fn my_doctor(&self) -> Result<Option<DoctorOption>, StoreError> {
        Ok(self.doctors()?.into_iter().find(|d| d.is_me))
    }
}
