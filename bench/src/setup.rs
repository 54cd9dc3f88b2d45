//! A private PostgreSQL, the server on port 0, and a registered clinic.

use std::path::Path;

use clinic_server::pgcluster::PrivateCluster;
use clinic_server::{AppState, Config};
use serde_json::{Value, json};

pub const DATABASE: &str = "bench";
pub const PASSWORD: &str = "Bench-Password-2026";

pub struct Env {
    /// Kept so Postgres runs until the benchmark ends (dropping it stops it).
    pub _cluster: PrivateCluster,
    pub base: String,
    pub owner: sqlx::PgPool,
}

pub async fn start(dir: &Path) -> anyhow::Result<Env> {
    // fsync off like the tests: we measure our code, not this disk.
    let cluster = PrivateCluster::start(dir, false)?;
    let addr = cluster.addr.clone();
    addr.create_roles().await?;
    addr.create_database(DATABASE, None).await?;
    clinic_server::migrate::up(&addr.owner_url(DATABASE)).await?;
    let mut config = Config::new(
        addr.app_url(DATABASE),
        b"bench-secret-bench-secret-bench-secret".to_vec(),
    );
    config.max_connections = 16;
    config.access_ttl_seconds = 3 * 3600;
    let state = AppState::connect(&config).await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(clinic_server::serve(listener, state, std::future::pending()));
    let owner = sqlx::PgPool::connect(&addr.owner_url(DATABASE)).await?;
    Ok(Env {
        _cluster: cluster,
        base,
        owner,
    })
}

pub struct Clinic {
    pub tenant: uuid::Uuid,
    pub code: String,
    pub email: String,
    pub doctor: uuid::Uuid,
}

pub async fn register(base: &str) -> anyhow::Result<Clinic> {
    let email = "owner@bench.example".to_owned();
    let reply: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/clinics"))
        .json(
            &json!({"clinic_name": "Bench Clinic", "owner_name": "Dr Bench", "email": email,
                      "password": PASSWORD, "owner_is_doctor": true}),
        )
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let uuid = |v: &Value| uuid::Uuid::parse_str(v.as_str().unwrap_or_default());
    Ok(Clinic {
        tenant: uuid(&reply["tenant"]["id"])?,
        code: reply["tenant"]["code"].as_str().unwrap_or_default().to_owned(),
        email,
        doctor: uuid(&reply["user"]["doctor_id"])?,
    })
}

/// Signs a PC in; returns (access token, user id).
pub async fn login(base: &str, clinic: &Clinic, device: uuid::Uuid) -> anyhow::Result<(String, uuid::Uuid)> {
    let reply: Value = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"clinic_code": clinic.code, "email": clinic.email, "password": PASSWORD, "device_id": device}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let token = reply["access_token"].as_str().unwrap_or_default().to_owned();
    let user = uuid::Uuid::parse_str(reply["user"]["id"].as_str().unwrap_or_default())?;
    Ok((token, user))
}

/// A server with a registered clinic of `rows` generated rows (see
/// `generate`), its Postgres in `dir`.
pub async fn generated_clinic(dir: &Path, rows: i64) -> anyhow::Result<(Env, Clinic)> {
    let env = start(dir).await?;
    let clinic = register(&env.base).await?;
    let owner_user: uuid::Uuid = sqlx::query_scalar("SELECT id FROM users WHERE tenant_id = $1")
        .bind(clinic.tenant)
        .fetch_one(&env.owner)
        .await?;
    let mix = crate::generate::Mix::for_rows(rows);
    eprintln!("generating {rows} rows: {mix:?} ...");
    let started = std::time::Instant::now();
    crate::generate::clinic(&env.owner, clinic.tenant, clinic.doctor, owner_user, mix).await?;
    eprintln!("  generated in {:.1} s", started.elapsed().as_secs_f64());
    Ok((env, clinic))
}
