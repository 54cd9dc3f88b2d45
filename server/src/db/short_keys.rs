//! The four starter short keys of a dental clinic (docs/DOMAIN.md: pain,
//! post-extraction, root canal, gum infection), written by the server so
//! they enter the change log once instead of being made on several PCs.

use uuid::Uuid;

use super::Tx;

/// One medicine line: global catalog name, dosage, 1-0-1 frequency, duration, instructions.
type Line = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const DENTAL_KEYS: [(&str, &str, &[Line]); 4] = [
    (
        "PAIN",
        "Dental pain",
        &[
            (
                "Ibuprofen + Paracetamol",
                "1 tablet",
                "1-0-1",
                "3 days",
                "After food",
            ),
            (
                "Pantoprazole 40",
                "1 tablet",
                "1-0-0",
                "3 days",
                "Before breakfast",
            ),
        ],
    ),
    (
        "EXT",
        "After extraction",
        &[
            ("Amoxicillin 500", "1 capsule", "1-1-1", "5 days", "After food"),
            (
                "Ibuprofen + Paracetamol",
                "1 tablet",
                "1-0-1",
                "3 days",
                "After food",
            ),
            (
                "Chlorhexidine mouthwash 0.2%",
                "10 ml",
                "1-0-1",
                "7 days",
                "Rinse from the day after extraction",
            ),
        ],
    ),
    (
        "RCT",
        "Root canal",
        &[
            (
                "Amoxicillin + Clavulanate 625",
                "1 tablet",
                "1-0-1",
                "5 days",
                "After food",
            ),
            (
                "Aceclofenac + Paracetamol",
                "1 tablet",
                "1-0-1",
                "3 days",
                "After food",
            ),
        ],
    ),
    (
        "GUM",
        "Gum infection",
        &[
            (
                "Metronidazole 400",
                "1 tablet",
                "1-1-1",
                "5 days",
                "After food; no alcohol",
            ),
            (
                "Chlorhexidine mouthwash 0.2%",
                "10 ml",
                "1-0-1",
                "10 days",
                "Rinse for 30 seconds",
            ),
            (
                "Metronidazole dental gel",
                "Apply",
                "1-0-1",
                "5 days",
                "Massage on the gums",
            ),
        ],
    ),
];

/// Whether a specialization is a dental one (dental screens and keys).
pub fn is_dental(specialization: &str) -> bool {
    let s = specialization.to_lowercase();
    [
        "dent",
        "endodont",
        "orthodont",
        "periodont",
        "prosthodont",
        "oral",
        "bds",
        "mds",
    ]
    .iter()
    .any(|k| s.contains(k))
}

/// Adds the dental keys whose codes the clinic does not use yet; returns
/// the rows written (for the change log). Idempotent.
pub async fn seed_dental(tx: &mut Tx, by: Uuid) -> sqlx::Result<Vec<(&'static str, Uuid)>> {
    let mut written = Vec::new();
    for (code, name, lines) in DENTAL_KEYS {
        let key = Uuid::now_v7();
        let inserted = sqlx::query(
            "INSERT INTO short_keys (tenant_id, id, code, name, description, created_by, updated_by) \
             SELECT app_tenant(), $1, $2, $3, 'Starter key for dental clinics', $4, $4 \
              WHERE NOT EXISTS (SELECT 1 FROM short_keys WHERE tenant_id = app_tenant() AND code = $2 \
                                AND deleted_at IS NULL)",
        )
        .bind(key)
        .bind(code)
        .bind(name)
        .bind(by)
        .execute(&mut **tx)
        .await?;
        if inserted.rows_affected() == 0 {
            continue;
        }
        written.push(("short_keys", key));
        for (order, (medicine, dosage, frequency, duration, instructions)) in lines.iter().enumerate() {
            let line = Uuid::now_v7();
            let added = sqlx::query(
                "INSERT INTO short_key_medicines (tenant_id, id, short_key_id, medicine_id, default_dosage, \
                   default_frequency, default_duration, default_instructions, sort_order, created_by, updated_by) \
                 SELECT app_tenant(), $1, $2, m.id, $4, $5, $6, $7, $8, $9, $9 \
                   FROM medicines m WHERE m.tenant_id IS NULL AND m.name = $3 AND m.deleted_at IS NULL",
            )
            .bind(line)
            .bind(key)
            .bind(medicine)
            .bind(dosage)
            .bind(frequency)
            .bind(duration)
            .bind(instructions)
            .bind(order as i32)
            .bind(by)
            .execute(&mut **tx)
            .await?;
            if added.rows_affected() == 1 {
                written.push(("short_key_medicines", line));
            }
        }
    }
    Ok(written)
}
