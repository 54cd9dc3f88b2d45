//! The platform's global medicine catalog (`medicines` rows without a
//! clinic), written by the operator as the owner role. Values reach their
//! columns through `jsonb_populate_record`, so Postgres converts the lists
//! to arrays and checks the same constraints a clinic's rows meet.

use serde_json::{Map, Value};
use uuid::Uuid;

use super::Tx;

/// The descriptive columns the operator sets (clinics price and stock
/// medicines themselves, so a global row carries no price).
const COLUMNS: &str = "name, generic_name, composition, strength, category, dosage_forms, contraindications";

/// One global medicine as the operator reads it.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct GlobalMedicine {
    pub id: Uuid,
    pub name: String,
    pub generic_name: Option<String>,
    pub composition: String,
    pub strength: Option<String>,
    pub category: Option<String>,
    pub dosage_forms: Vec<String>,
    pub contraindications: Vec<String>,
    pub is_active: bool,
}

const SELECT: &str = "SELECT id, name, generic_name, composition, strength, category, dosage_forms, \
     contraindications, is_active FROM medicines WHERE tenant_id IS NULL AND deleted_at IS NULL";

pub async fn insert(tx: &mut Tx, id: Uuid, fields: &Map<String, Value>) -> sqlx::Result<()> {
    let sql = format!(
        "INSERT INTO medicines (id, tenant_id, {COLUMNS}) \
         SELECT $1, NULL, {COLUMNS} FROM jsonb_populate_record(NULL::medicines, $2)"
    );
    write(tx, sql, id, fields).await
}

/// The global medicine `id`, locked for a change (none: no such global row;
/// a clinic's own medicine is not the operator's).
pub async fn for_update(tx: &mut Tx, id: Uuid) -> sqlx::Result<Option<GlobalMedicine>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} AND id = $1 FOR UPDATE")))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
}

pub async fn update(tx: &mut Tx, id: Uuid, fields: &Map<String, Value>) -> sqlx::Result<()> {
    let sql = format!(
        "UPDATE medicines SET ({COLUMNS}) = (SELECT {COLUMNS} FROM jsonb_populate_record(NULL::medicines, $2)), \
                updated_at = now() \
          WHERE id = $1 AND tenant_id IS NULL"
    );
    write(tx, sql, id, fields).await
}

/// Runs `sql` (built from [`COLUMNS`] only) with the row's id and fields.
async fn write(tx: &mut Tx, sql: String, id: Uuid, fields: &Map<String, Value>) -> sqlx::Result<()> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(sqlx::types::Json(fields))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn retire(tx: &mut Tx, id: Uuid) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE medicines SET is_active = false, updated_at = now() WHERE id = $1 AND tenant_id IS NULL",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Global medicines whose name or generic name contains `search`, by name.
pub async fn list(tx: &mut Tx, search: &str) -> sqlx::Result<Vec<GlobalMedicine>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} AND ($1 = '' OR name ILIKE '%' || $1 || '%' OR generic_name ILIKE '%' || $1 || '%') \
          ORDER BY lower(name), id LIMIT 500"
    )))
    .bind(search)
    .fetch_all(&mut **tx)
    .await
}
