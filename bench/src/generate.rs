//! A realistic clinic of N rows, written straight into PostgreSQL as the
//! owner: patients, appointments, prescriptions and their items.

use uuid::Uuid;

#[derive(Debug, Clone, Copy)]
pub struct Mix {
    pub patients: i64,
    pub appointments: i64,
    pub prescriptions: i64,
    pub items: i64,
}

impl Mix {
    pub fn for_rows(rows: i64) -> Self {
        let patients = rows / 4;
        let appointments = rows * 3 / 10;
        let prescriptions = rows / 5;
        Self {
            patients,
            appointments,
            prescriptions,
            items: rows - patients - appointments - prescriptions,
        }
    }
}

pub async fn clinic(
    owner: &sqlx::PgPool,
    tenant: Uuid,
    doctor: Uuid,
    user: Uuid,
    mix: Mix,
) -> anyhow::Result<()> {
    let mut tx = owner.begin().await?;
    // Plan limits would stop a trial at 1,000 patients.
    sqlx::query("UPDATE tenants SET plan = 'enterprise', max_patients = -1, max_offices = -1, max_doctors = -1, max_storage_bytes = -1 WHERE id = $1")
        .bind(tenant)
        .execute(&mut *tx)
        .await?;
    let steps = [
        "CREATE TEMP TABLE gen_p ON COMMIT DROP AS SELECT g, gen_random_uuid() AS id FROM generate_series(1, $4::bigint) g",
        "CREATE TEMP TABLE gen_a ON COMMIT DROP AS SELECT g, gen_random_uuid() AS id FROM generate_series(1, $5::bigint) g",
        "CREATE TEMP TABLE gen_r ON COMMIT DROP AS SELECT g, gen_random_uuid() AS id FROM generate_series(1, $6::bigint) g",
        "INSERT INTO patients (tenant_id, id, mobile_number, first_name, last_name, date_of_birth, gender, relationship,
             allergies, blood_group, address, notes, created_by, updated_by)
         SELECT $1, id, '+91' || (9000000000 + g)::text, 'Patient' || g, 'Family' || (g % 997),
             date '1950-01-01' + (g % 25000)::int, (ARRAY['male', 'female', 'other'])[1 + g % 3], 'self',
             CASE WHEN g % 10 = 0 THEN ARRAY['penicillin'] ELSE '{}'::text[] END,
             (ARRAY['A+', 'B+', 'O+', 'AB-'])[1 + g % 4], g || ' Residency Road, Bengaluru',
             'Regular patient; no known chronic conditions.', $3, $3
           FROM gen_p",
        "INSERT INTO appointments (tenant_id, id, appointment_number, patient_id, doctor_id, office_id, appointment_date,
             appointment_time, duration_minutes, appointment_type, reason, status, created_by, updated_by)
         SELECT $1, a.id, 'APT' || to_char(date '2020-01-01' + (a.g / 20)::int, 'YYYYMMDD') || lpad((a.g % 10000)::text, 4, '0'),
             p.id, $2, 'main', date '2020-01-01' + (a.g / 20)::int, time '08:00' + (a.g % 20) * interval '30 minutes',
             30, 'scheduled', 'Follow-up visit', 'completed', $3, $3
           FROM gen_a a JOIN gen_p p ON p.g = 1 + a.g % $4",
        "INSERT INTO prescriptions (tenant_id, id, prescription_number, patient_id, doctor_id, visit_date, chief_complaint,
             diagnosis, general_instructions, status, valid_until, created_by, updated_by)
         SELECT $1, r.id, 'RX' || to_char(date '2020-01-01' + (r.g / 50)::int, 'YYYYMMDD') || lpad((r.g % 10000)::text, 4, '0'),
             p.id, $2, date '2020-01-01' + (r.g / 50)::int, 'Tooth pain', 'Irreversible pulpitis, lower left molar',
             'Take after food. Return if swelling increases.', 'active',
             date '2020-01-01' + (r.g / 50)::int + 30, $3, $3
           FROM gen_r r JOIN gen_p p ON p.g = 1 + r.g % $4",
        "INSERT INTO prescription_items (tenant_id, id, prescription_id, medicine_name, dosage, frequency, duration,
             instructions, quantity, unit_price_minor, total_minor, sort_order, created_by, updated_by)
         SELECT $1, gen_random_uuid(), r.id, (ARRAY['Amoxicillin 500 mg', 'Ibuprofen 400 mg', 'Paracetamol 650 mg'])[1 + i % 3],
             '1 tablet', '1-0-1', '5 days', 'After food', 10, 250, 2500, (i / $6)::int, $3, $3
           FROM generate_series(1, $7::bigint) i JOIN gen_r r ON r.g = 1 + i % $6",
    ];
    for sql in steps {
        sqlx::query(sql)
            .bind(tenant)
            .bind(doctor)
            .bind(user)
            .bind(mix.patients.max(1))
            .bind(mix.appointments)
            .bind(mix.prescriptions.max(1))
            .bind(mix.items)
            .execute(&mut *tx)
            .await?;
    }
    // As the server's daily sweep keeps them: expired after their last
    // valid day. Left active, the first pull of the bench's PC would start
    // a sweep of every one of them, which the timed push would wait on.
    sqlx::query(
        "UPDATE prescriptions SET status = 'expired' \
          WHERE tenant_id = $1 AND status = 'active' AND valid_until < current_date",
    )
    .bind(tenant)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    sqlx::query("ANALYZE").execute(owner).await?;
    Ok(())
}
