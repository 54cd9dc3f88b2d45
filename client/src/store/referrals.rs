//! A patient's history brought in with a referral, for the chart.

use contract::screens::ReferralRecordRow;

use super::Store;
use crate::error::StoreError;

impl Store {
    /// The referral records of `patient`, newest first (undated last).
    pub fn patient_referral_history(&self, patient: &str) -> Result<Vec<ReferralRecordRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, kind, occurred_on, title, detail, author, source FROM referral_records \
             WHERE patient_id = ?1 AND deleted_at IS NULL \
             ORDER BY occurred_on IS NULL, occurred_on DESC, kind LIMIT 1000",
        )?;
        let rows = stmt.query_map([patient], |r| {
            let day: Option<String> = r.get(2)?;
            Ok(ReferralRecordRow {
                id: r.get(0)?,
                kind: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                occurred_on: day.and_then(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
                title: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                detail: r.get(4)?,
                author: r.get(5)?,
                source: r.get::<_, Option<String>>(6)?.unwrap_or_default(),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
