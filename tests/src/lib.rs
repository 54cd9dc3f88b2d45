//! The one test harness: a private PostgreSQL cluster per test run (a fresh
//! database per test, cloned from a migrated template), the server on port
//! 0 connected as the application role, a real SMTP listener, and typed
//! helpers for the API.

pub mod backups;
pub mod binaries;
pub mod cluster;
pub mod gui;
pub mod gui_steps;
pub mod network;
pub mod pcs;
pub mod pdf;
pub mod releases;
pub mod scale_out;
pub mod smtp;
pub mod staff;
pub mod two_pcs;
pub mod watchdog;

use std::sync::atomic::{AtomicUsize, Ordering};

use clinic_server::{AppState, Config};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sqlx::postgres::PgPoolOptions;
use sqlx::{PgPool, Postgres, Transaction};
use uuid::Uuid;

pub use pdf::{pdf_text, printed_images};
pub use smtp::{Mail, SmtpCapture};

/// The password every helper-registered owner gets.
pub const OWNER_PASSWORD: &str = "Correct-Horse-42";

#[derive(Debug)]
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    pub http: reqwest::Client,
    pub database: String,
    /// Connections as the application role (RLS applies).
    pub app_pool: PgPool,
    /// Connections as the owner (bypasses RLS): for checking what was
    /// written, never for proving isolation.
    pub owner_pool: PgPool,
    pub smtp: SmtpCapture,
    pub jwt_secret: Vec<u8>,
    /// The device secrets the server issued, by (clinic code, device), as
    /// each PC's keychain would keep them: `login` presents them.
    device_secrets: std::sync::Mutex<std::collections::HashMap<(String, Uuid), String>>,
    /// The server's configuration, for [`TestApp::another_node`].
    config: Config,
}

/// A clinic registered through the API, with its owner signed in.
#[derive(Debug, Clone)]
pub struct Clinic {
    pub tenant_id: Uuid,
    pub code: String,
    pub owner_email: String,
    pub owner_id: Uuid,
    pub device_id: Uuid,
    pub access_token: String,
    pub refresh_token: String,
    pub body: Value,
}

/// An HTTP answer: status and JSON body (Null when there is none).
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
}

impl Reply {
    /// The stable error code of an error reply.
    pub fn code(&self) -> &str {
        self.body["error"].as_str().unwrap_or("")
    }

    /// Per op of a push reply: its refusal code, else its status.
    pub fn op_results(&self) -> Vec<String> {
        self.body["results"]
            .as_array()
            .map(|r| {
                r.iter()
                    .map(|x| {
                        x["refusal"]
                            .as_str()
                            .or(x["status"].as_str())
                            .unwrap_or("?")
                            .to_owned()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// Starts a server with `config` on a port of its own; returns its base URL.
async fn start_node(config: &Config) -> String {
    let state = AppState::connect(config)
        .await
        .expect("server connects as the app role");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let base = format!("http://{}", listener.local_addr().expect("local addr"));
    tokio::spawn(clinic_server::serve(listener, state, std::future::pending()));
    base
}

static DATABASES: AtomicUsize = AtomicUsize::new(0);

/// A device secret is per clinic (code as typed, any case) and device.
fn secret_key(code: &str, device: Uuid) -> (String, Uuid) {
    (code.trim().to_ascii_uppercase(), device)
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server on its own fresh database; `tweak` adjusts the config.
    pub async fn spawn_with(tweak: impl FnOnce(&mut Config)) -> Self {
        let cluster = cluster::shared();
        let database = format!(
            "t{}_{}",
            std::process::id(),
            DATABASES.fetch_add(1, Ordering::SeqCst)
        );
        cluster.create_test_database(&database).await;
        let smtp = SmtpCapture::start().await;
        let jwt_secret: Vec<u8> = format!("test-secret-{}-{}", Uuid::new_v4(), Uuid::new_v4()).into_bytes();
        let mut config = Config::new(cluster.addr.app_url(&database), jwt_secret.clone());
        config.smtp_url = Some(format!("smtp://127.0.0.1:{}", smtp.port));
        config.max_connections = 8;
        // Tests sign in and register far faster than people; the test of
        // the limits sets its own.
        let plenty = clinic_server::throttle::Allowance {
            burst: 100_000,
            per: std::time::Duration::from_secs(1),
        };
        config.rate_limits = clinic_server::throttle::RateLimits {
            sign_in_per_address: plenty,
            sign_in_per_clinic: plenty,
            registrations_per_address: plenty,
        };
        tweak(&mut config);
        let base = start_node(&config).await;
        let pool = |url: String| async move {
            PgPoolOptions::new()
                .max_connections(4)
                .connect(&url)
                .await
                .expect("test pool")
        };
        Self {
            base,
            http: reqwest::Client::new(),
            app_pool: pool(cluster.addr.app_url(&database)).await,
            owner_pool: pool(cluster.addr.owner_url(&database)).await,
            database,
            smtp,
            jwt_secret,
            device_secrets: Default::default(),
            config,
        }
    }

    /// A second server process's worth of server (its own pool, listener
    /// and memory) on the same database and secret, as behind a load
    /// balancer: requests go to its `base`; the rest is shared.
    pub async fn another_node(&self) -> Self {
        Self {
            base: start_node(&self.config).await,
            http: reqwest::Client::new(),
            database: self.database.clone(),
            app_pool: self.app_pool.clone(),
            owner_pool: self.owner_pool.clone(),
            smtp: self.smtp.clone(),
            jwt_secret: self.jwt_secret.clone(),
            device_secrets: Default::default(),
            config: self.config.clone(),
        }
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
        token: Option<&str>,
    ) -> Reply {
        let mut req = self.http.request(method, format!("{}/api/v1{path}", self.base));
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("request reaches the server");
        Self::reply(resp).await
    }

    /// The reply, its body parsed when it is JSON; another kind of body
    /// (a backup file, a FHIR bundle) is kept as text.
    async fn reply(resp: reqwest::Response) -> Reply {
        let status = resp.status();
        let json = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_none_or(|v| v.starts_with("application/json"));
        let text = String::from_utf8_lossy(&resp.bytes().await.expect("response body")).into_owned();
        let body = if text.is_empty() {
            Value::Null
        } else if !json {
            Value::String(text)
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON reply {status}: {text}"))
        };
        Reply { status, body }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send(reqwest::Method::GET, path, None, token).await
    }

    pub async fn post(&self, path: &str, body: &Value, token: Option<&str>) -> Reply {
        self.send(reqwest::Method::POST, path, Some(body), token).await
    }

    pub async fn patch(&self, path: &str, body: &Value, token: Option<&str>) -> Reply {
        self.send(reqwest::Method::PATCH, path, Some(body), token).await
    }

    /// Sends raw bytes as a JSON body (for malformed-input tests).
    pub async fn post_raw(&self, path: &str, body: &'static str, token: Option<&str>) -> Reply {
        let mut req = self
            .http
            .post(format!("{}/api/v1{path}", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        Self::reply(req.send().await.expect("request reaches the server")).await
    }

    pub async fn register_clinic(&self, name: &str) -> Clinic {
        self.register_clinic_as(name, false).await
    }

    /// Moves clinic `code` to `plan` as the operator would (e.g. `basic`
    /// for a clinic with several offices).
    pub async fn set_plan(&self, code: &str, plan: &str) {
        let change = clinic_server::operator::AdminAction::Plan {
            clinic: code.to_owned(),
            plan: plan.to_owned(),
            limits: Default::default(),
            until: None,
        };
        clinic_server::operator::execute(&self.owner_pool, "ops", &change)
            .await
            .expect("the plan changes");
    }

    pub async fn register_clinic_as(&self, name: &str, owner_is_doctor: bool) -> Clinic {
        let email = format!("owner.{}@example.org", Uuid::new_v4().simple());
        let reply = self
            .post(
                "/clinics",
                &json!({
                    "clinic_name": name,
                    "owner_name": "Dr Asha Rao",
                    "email": email,
                    "password": OWNER_PASSWORD,
                    "owner_is_doctor": owner_is_doctor,
                }),
                None,
            )
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
        let b = &reply.body;
        let code = b["tenant"]["code"].as_str().expect("code");
        self.keep_device_secret(code, uuid(&b["device_id"]), b);
        Clinic {
            tenant_id: uuid(&b["tenant"]["id"]),
            code: b["tenant"]["code"].as_str().expect("code").to_owned(),
            owner_email: email,
            owner_id: uuid(&b["user"]["id"]),
            device_id: uuid(&b["device_id"]),
            access_token: b["access_token"].as_str().expect("access").to_owned(),
            refresh_token: b["refresh_token"].as_str().expect("refresh").to_owned(),
            body: reply.body.clone(),
        }
    }

    /// Signs in from `device`, presenting the secret the server issued to
    /// it earlier (and keeping one it issues now), as a real PC does.
    pub async fn login(&self, code: &str, email: &str, password: &str, device: Uuid) -> Reply {
        let reply = self
            .post(
                "/auth/login",
                &json!({"clinic_code": code, "email": email, "password": password,
                        "device_id": device, "device_secret": self.device_secret(code, device)}),
                None,
            )
            .await;
        self.keep_device_secret(code, device, &reply.body);
        reply
    }

    /// The secret the server issued to `device` at `code`, if any.
    pub fn device_secret(&self, code: &str, device: Uuid) -> Option<String> {
        self.device_secrets
            .lock()
            .ok()?
            .get(&secret_key(code, device))
            .cloned()
    }

    fn keep_device_secret(&self, code: &str, device: Uuid, body: &Value) {
        if let (Some(secret), Ok(mut secrets)) = (body["device_secret"].as_str(), self.device_secrets.lock())
        {
            secrets.insert(secret_key(code, device), secret.to_owned());
        }
    }

    /// Adds a doctor as the clinic's admin; returns the raw reply.
    pub async fn add_doctor(&self, clinic: &Clinic, email: &str, licence: &str) -> Reply {
        self.post(
            "/doctors",
            &json!({
                "full_name": "Dr Vikram Iyer",
                "email": email,
                "licence_number": licence,
                "specialization": "Endodontics",
                "experience_years": 9,
                "consultation_fee_minor": 50_000,
                "offices": [{"id": "main", "name": "Main clinic", "is_primary": true}],
            }),
            Some(&clinic.access_token),
        )
        .await
    }

    /// A transaction as the application role, scoped to `tenant` (or to
    /// no tenant at all), exactly as the server scopes its requests.
    pub async fn app_tx(&self, tenant: Option<Uuid>) -> Transaction<'static, Postgres> {
        let mut tx = self.app_pool.begin().await.expect("begin");
        if let Some(tenant) = tenant {
            sqlx::query("SELECT set_config('app.current_tenant_id', $1, true)")
                .bind(tenant.to_string())
                .execute(&mut *tx)
                .await
                .expect("set tenant");
        }
        tx
    }

    /// Counts rows as the owner (sees every clinic).
    pub async fn owner_count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql)
            .fetch_one(&self.owner_pool)
            .await
            .expect("owner count")
    }

    /// `owner_count` of a query about one clinic (`$1`).
    pub async fn owner_count_in(&self, sql: &'static str, tenant: Uuid) -> i64 {
        sqlx::query_scalar(sql)
            .bind(tenant)
            .fetch_one(&self.owner_pool)
            .await
            .expect("owner count")
    }
}

pub fn uuid(v: &Value) -> Uuid {
    v.as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .unwrap_or_else(|| panic!("not a uuid: {v}"))
}

/// Sync helpers: a PC of a clinic as the protocol sees it.
pub mod pc {
    use domain::ids::DeviceId;
    use domain::sync::{Hlc, HlcClock, Op, OpKind, PROTOCOL_VERSION};
    use serde_json::{Map, Value, json};
    use uuid::Uuid;

    use super::{Reply, TestApp};

    /// A signed-in device with its own clock and batch numbering.
    #[derive(Debug)]
    pub struct Device {
        pub id: Uuid,
        pub token: String,
        pub clock: HlcClock,
        pub next_batch: i64,
    }

    impl Device {
        pub fn new(id: Uuid, token: &str) -> Self {
            Self {
                id,
                token: token.to_owned(),
                clock: HlcClock::new(DeviceId::from_uuid(id)),
                next_batch: 1,
            }
        }

        pub fn hlc(&mut self) -> Hlc {
            let now = u64::try_from(chrono::Utc::now().timestamp_millis()).unwrap_or_default();
            self.clock.tick(now)
        }

        pub fn op(&mut self, table: &str, row_id: Uuid, kind: OpKind, fields: Value) -> Op {
            let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
            Op {
                op_id: Uuid::now_v7(),
                table: table.to_owned(),
                row_id,
                kind,
                fields,
                hlc: self.hlc(),
            }
        }

        /// Pushes `ops` as this device's next batch.
        pub async fn push(&mut self, app: &TestApp, ops: &[Op]) -> Reply {
            let seq = self.next_batch;
            self.next_batch += 1;
            self.push_as(app, seq, ops).await
        }

        pub async fn push_as(&self, app: &TestApp, batch_seq: i64, ops: &[Op]) -> Reply {
            app.post(
                "/sync/push",
                &json!({"protocol": PROTOCOL_VERSION, "device_id": self.id, "batch_seq": batch_seq, "ops": ops}),
                Some(&self.token),
            )
            .await
        }

        pub async fn pull(&self, app: &TestApp, since: i64) -> Reply {
            app.get(&format!("/sync/pull?since={since}&limit=5000"), Some(&self.token))
                .await
        }
    }

    /// A clinic registered by its owner (also its doctor), the owner's
    /// device, and one patient pushed through it.
    pub async fn clinic_with_patient(
        app: &TestApp,
        clinic: &str,
        mobile: &str,
    ) -> (super::Clinic, Device, Uuid) {
        let clinic = app.register_clinic_as(clinic, true).await;
        let mut pc = Device::new(clinic.device_id, &clinic.access_token);
        let patient_id = Uuid::now_v7();
        let op = pc.op("patients", patient_id, OpKind::Insert, patient("Kavya", mobile));
        assert_eq!(pc.push(app, &[op]).await.op_results(), ["applied"]);
        (clinic, pc, patient_id)
    }

    pub fn patient(first_name: &str, mobile: &str) -> Value {
        json!({
            "first_name": first_name,
            "mobile_number": mobile,
            "date_of_birth": "1990-04-01",
            "gender": "female",
        })
    }
}
