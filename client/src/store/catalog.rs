//! The medicine catalog (global + the clinic's own) and short keys.

use super::Store;
use super::values::string_list;
use crate::error::StoreError;
use contract::screens::catalog::{MedicineRow, ShortKeyLine, ShortKeyRow};
use serde_json::{Map, Value, json};

// Global catalog rows reach a PC only through the snapshot and carry no
// per-field clocks ('{}'); every clinic row was written through sync and
// has them. That is how a PC tells the platform's rows from its own.
// A retired medicine leaves the search but is still found by id: a
// prescription or short key that names it keeps its allergy checks.
const MEDICINE: &str = "SELECT id, name, generic_name, coalesce(composition, ''), strength, dosage_forms, \
     category, contraindications, field_hlc = '{}', price_minor FROM medicines \
     WHERE deleted_at IS NULL";

fn medicine(r: &rusqlite::Row<'_>) -> rusqlite::Result<MedicineRow> {
    Ok(MedicineRow {
        id: r.get(0)?,
        name: r.get(1)?,
        generic_name: r.get(2)?,
        composition: r.get(3)?,
        strength: r.get(4)?,
        dosage_forms: string_list(r.get(5)?),
        category: r.get(6)?,
        contraindications: string_list(r.get(7)?),
        global: r.get(8)?,
        price_minor: r.get(9)?,
    })
}

impl Store {
    /// Medicines whose name, generic name or composition contains `query`;
    /// names that start with it first.
    pub fn search_medicines(&self, query: &str, limit: usize) -> Result<Vec<MedicineRow>, StoreError> {
        let q = query.trim().replace(['%', '_'], "");
        let sql = format!(
            "{MEDICINE} AND coalesce(is_active, 1) = 1 AND (?1 = '' OR name LIKE '%' || ?1 || '%' OR generic_name LIKE '%' || ?1 || '%' \
               OR composition LIKE '%' || ?1 || '%') \
             ORDER BY lower(name) <> lower(?1), name NOT LIKE ?1 || '%', length(name), name COLLATE NOCASE \
             LIMIT ?2"
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params![q, limit as i64], medicine)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Prescription items (as written to the table) priced as the catalog
    /// has their medicines now, with each line's total: a prescription
    /// keeps what it cost when prescribed, and the visit's bill suggests
    /// that. A medicine typed freely, or not priced, stays without one.
    pub fn priced_items(
        &self,
        items: Vec<Map<String, Value>>,
    ) -> Result<Vec<Map<String, Value>>, StoreError> {
        items
            .into_iter()
            .map(|mut item| {
                let unit = match item.get("medicine_id").and_then(Value::as_str) {
                    Some(id) => self.medicine(id)?.and_then(|m| m.price_minor),
                    None => None,
                };
                let quantity = item.get("quantity").and_then(Value::as_i64);
                let total = unit
                    .zip(quantity)
                    .and_then(|(unit, quantity)| domain::money::line_total(unit, quantity).ok());
                item.insert("unit_price_minor".into(), json!(unit));
                item.insert("total_minor".into(), json!(total));
                Ok(item)
            })
            .collect()
    }

    pub fn medicine(&self, id: &str) -> Result<Option<MedicineRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(&format!("{MEDICINE} AND id = ?1"))?;
        let mut rows = stmt.query_map([id], medicine)?;
        Ok(rows.next().transpose()?)
    }

    /// Short keys the doctor `me` may use: the clinic's shared keys and
    /// their own private ones, by code, each with its medicine lines.
    pub fn short_keys(&self, me: Option<&str>) -> Result<Vec<ShortKeyRow>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, code, name, description, owner_doctor_id, coalesce(usage_count, 0) FROM short_keys \
             WHERE deleted_at IS NULL AND (owner_doctor_id IS NULL OR owner_doctor_id = ?1) ORDER BY code",
        )?;
        let keys = stmt.query_map([me], |r| {
            let owner: Option<String> = r.get(4)?;
            Ok(ShortKeyRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                description: r.get(3)?,
                private: owner.is_some(),
                editable: true,
                usage_count: r.get(5)?,
                lines: Vec::new(),
            })
        })?;
        let mut keys: Vec<ShortKeyRow> = keys.collect::<Result<_, _>>()?;
        let mut lines = self.conn().prepare_cached(
            "SELECT l.short_key_id, l.medicine_id, coalesce(m.name, '?'), l.default_dosage, l.default_frequency, \
                    l.default_duration, coalesce(l.default_instructions, '') \
               FROM short_key_medicines l LEFT JOIN medicines m ON m.id = l.medicine_id \
              WHERE l.deleted_at IS NULL ORDER BY l.short_key_id, l.sort_order",
        )?;
        let all = lines.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ShortKeyLine {
                    medicine_id: r.get(1)?,
                    medicine_name: r.get(2)?,
                    dosage: r.get(3)?,
                    frequency: r.get(4)?,
                    duration: r.get(5)?,
                    instructions: r.get(6)?,
                },
            ))
        })?;
        for found in all {
            let (key_id, line) = found?;
            if let Some(key) = keys.iter_mut().find(|k| k.id == key_id) {
                key.lines.push(line);
            }
        }
        Ok(keys)
    }

    /// Ids of a key's live medicine lines (to replace them on edit).
    pub fn short_key_line_ids(&self, key: &str) -> Result<Vec<String>, StoreError> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id FROM short_key_medicines WHERE short_key_id = ?1 AND deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([key], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Whether another live key already has `code` in this clinic.
    pub fn short_key_code_taken(&self, code: &str, except: Option<&str>) -> Result<bool, StoreError> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM short_keys WHERE code = ?1 AND deleted_at IS NULL \
                 AND (?2 IS NULL OR id <> ?2))",
            )?
            .query_row(rusqlite::params![code, except], |r| r.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use domain::ids::TenantId;
    use domain::sync::{Change, Hlc, OpKind};
    use serde_json::json;
    use uuid::Uuid;

    use super::*;

    fn change(seq: i64, row: Uuid, kind: OpKind, global: bool, fields: Value) -> Change {
        Change {
            seq,
            table: "medicines".into(),
            row_id: row,
            kind,
            global,
            fields: fields.as_object().cloned().unwrap_or_default(),
            hlc: Hlc::parse(&format!("0190000000{seq:02}-000000-{}", "1".repeat(32))).expect("hlc"),
        }
    }

    #[test]
    fn the_platforms_medicines_stay_read_only_and_a_retired_one_is_still_found_by_id() {
        let dir = tempfile::tempdir().expect("dir");
        let mut store = Store::open_plain(dir.path(), TenantId::from_uuid(Uuid::now_v7())).expect("store");
        let (platform, own) = (Uuid::now_v7(), Uuid::now_v7());
        let ondansetron = json!({"name": "Ondansetron", "composition": "Ondansetron 4 mg",
                                 "contraindications": ["QT prolongation"], "is_active": true});
        let mouthwash = json!({"name": "Ondansetron Rinse", "composition": "Chlorhexidine"});
        store
            .apply_page(
                &[
                    change(1, platform, OpKind::Insert, true, ondansetron),
                    change(2, own, OpKind::Insert, false, mouthwash),
                    change(3, platform, OpKind::Update, true, json!({"strength": "8 mg"})),
                ],
                3,
            )
            .expect("page");
        let found = store.search_medicines("ondansetron", 10).expect("search");
        let seen: Vec<(&str, bool, Option<&str>)> = found
            .iter()
            .map(|m| (m.name.as_str(), m.global, m.strength.as_deref()))
            .collect();
        assert_eq!(
            seen,
            [
                ("Ondansetron", true, Some("8 mg")),
                ("Ondansetron Rinse", false, None)
            ]
        );

        store
            .apply_page(
                &[change(
                    4,
                    platform,
                    OpKind::Update,
                    true,
                    json!({"is_active": false}),
                )],
                4,
            )
            .expect("retire");
        let names: Vec<String> = store
            .search_medicines("ondansetron", 10)
            .expect("search")
            .into_iter()
            .map(|m| m.name)
            .collect();
        assert_eq!(names, ["Ondansetron Rinse"]);
        let retired = store
            .medicine(&platform.to_string())
            .expect("read")
            .expect("by id");
        assert_eq!(
            (retired.global, retired.contraindications),
            (true, vec!["QT prolongation".to_owned()])
        );
    }
}
