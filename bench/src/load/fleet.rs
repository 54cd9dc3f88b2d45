//! Many clinics at once, written straight into the database as the owner
//! (registering a thousand clinics through the API would time argon2, not
//! the server): each clinic has an admin, patients and PCs with live
//! sign-ins, and each PC an access token signed with the server's secret.

use clinic_server::auth::jwt::{Grant, JwtKeys};
use domain::ids::{DeviceId, TenantId, UserId};
use domain::user::Role;
use uuid::Uuid;

/// The server's signing secret in this benchmark (it starts the server).
pub const SECRET: &[u8] = b"load-bench-secret-load-bench-secret!";

pub fn tenant_id(clinic: u32) -> Uuid {
    id(&format!("00000000-0000-7000-9000-{clinic:012x}"))
}

pub fn user_id(clinic: u32) -> Uuid {
    id(&format!("00000000-0000-7000-a000-{clinic:012x}"))
}

pub fn device_id(clinic: u32, pc: u32) -> Uuid {
    id(&format!("00000000-0000-7{pc:03x}-b000-{clinic:012x}"))
}

fn family_id(clinic: u32, pc: u32) -> Uuid {
    id(&format!("00000000-0000-7{pc:03x}-c000-{clinic:012x}"))
}

pub fn patient_id(clinic: u32, patient: u32) -> Uuid {
    id(&format!("00000000-0000-7{patient:03x}-8000-{clinic:012x}"))
}

fn id(text: &str) -> Uuid {
    Uuid::parse_str(text).unwrap_or_default()
}

/// One PC of one clinic, signed in as the clinic's admin.
#[derive(Debug, Clone)]
pub struct Pc {
    pub clinic: u32,
    pub device: Uuid,
    pub token: String,
}

/// Writes `clinics` clinics of `patients` patients and `pcs` PCs each.
pub async fn create(owner: &sqlx::PgPool, clinics: u32, patients: u32, pcs: u32) -> anyhow::Result<()> {
    // The SQL builds the same ids as the functions above.
    let statements = [
        "INSERT INTO tenants (id, code, name, plan, status, subscription_ends_at, max_offices, max_doctors, \
             max_patients, max_storage_bytes, contact_email) \
         SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'LOAD_' || g, \
                'Load clinic ' || g, 'premium', 'active', now() + interval '1 year', -1, -1, -1, -1, \
                'load' || g || '@bench.example' \
           FROM generate_series(1, $1) g",
        "INSERT INTO tenant_sync_state (tenant_id) \
         SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid FROM generate_series(1, $1) g",
        "INSERT INTO users (tenant_id, id, email, full_name, role, password_hash, created_by, updated_by) \
         SELECT t, u, 'admin@load.example', 'Dr Load', 'admin', \
                '$argon2id$v=19$m=19456,t=2,p=1$bm90LWEtcmVhbC1zYWx0$bm90LWEtcmVhbC1oYXNoLW5ldmVyLXVzZWQ', u, u \
           FROM (SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid t, \
                        ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid u \
                   FROM generate_series(1, $1) g) x",
        "INSERT INTO patients (tenant_id, id, mobile_number, first_name, last_name, date_of_birth, gender, \
             created_by, updated_by) \
         SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7' || lpad(to_hex(p), 3, '0') || '-8000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                '+9198' || lpad((g * 1000 + p)::text, 8, '0'), 'Patient' || p, 'Clinic' || g, \
                date '1950-01-01' + (p * 97 % 20000)::int, (ARRAY['male', 'female'])[1 + p % 2], \
                ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid \
           FROM generate_series(1, $1) g, generate_series(1, $2) p",
        "INSERT INTO devices (tenant_id, id, user_id, secret_hash) \
         SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7' || lpad(to_hex(k), 3, '0') || '-b000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, sha256(g::text::bytea) \
           FROM generate_series(1, $1) g, generate_series(0, $3 - 1) k",
        "INSERT INTO refresh_tokens (tenant_id, id, family_id, user_id, device_id, token_hash, expires_at) \
         SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, gen_random_uuid(), \
                ('00000000-0000-7' || lpad(to_hex(k), 3, '0') || '-c000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7000-a000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                ('00000000-0000-7' || lpad(to_hex(k), 3, '0') || '-b000-' || lpad(to_hex(g), 12, '0'))::uuid, \
                sha256((g * 100 + k)::text::bytea), now() + interval '1 day' \
           FROM generate_series(1, $1) g, generate_series(0, $3 - 1) k",
    ];
    let mut tx = owner.begin().await?;
    for sql in statements {
        sqlx::query(sql)
            .bind(i64::from(clinics))
            .bind(i64::from(patients))
            .bind(i64::from(pcs))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    // As a clinic database is after its first night, not in the minutes
    // after a bulk load: rows frozen and hinted, statistics fresh. Else
    // autovacuum's pass over the new rows, and the first reads setting
    // each row's hint bits, land in the timed phases.
    sqlx::query("VACUUM (FREEZE, ANALYZE)").execute(owner).await?;
    Ok(())
}

/// Every PC's access token, as the server would issue at sign-in.
pub fn sign_in_all(clinics: u32, pcs: u32) -> anyhow::Result<Vec<Pc>> {
    let keys = JwtKeys::new(SECRET, 6 * 3600)?;
    let mut signed = Vec::with_capacity((clinics * pcs) as usize);
    for pc in 0..pcs {
        for clinic in 1..=clinics {
            let device = device_id(clinic, pc);
            let token = keys.issue(&Grant {
                tenant: TenantId::from_uuid(tenant_id(clinic)),
                user: UserId::from_uuid(user_id(clinic)),
                role: Role::Admin,
                device: DeviceId::from_uuid(device),
                session: family_id(clinic, pc),
                must_change_password: false,
            })?;
            signed.push(Pc {
                clinic,
                device,
                token,
            });
        }
    }
    Ok(signed)
}
