//! Clinic PCs for tests: a real client store in a temp dir, signed in to
//! the test server, with the real sync engine.

use std::sync::Arc;

use client::{ServerClient, Store, SyncEngine};
use domain::ids::{TenantId, UserId};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::{Clinic, OWNER_PASSWORD, TestApp};

#[derive(Debug)]
pub struct Pc {
    pub engine: Arc<SyncEngine>,
    pub dir: tempfile::TempDir,
    pub tenant: TenantId,
}

/// The key the test PCs encrypt their stores with (the app keeps a random
/// one per clinic in the keychain; these PCs have no keychain).
pub fn store_key() -> client::store::StoreKey {
    client::store::StoreKey::from_hex(&"7e".repeat(32)).expect("a key")
}

impl TestApp {
    /// A new PC of `clinic`, signed in as its owner. Not yet synced.
    pub async fn pc(&self, clinic: &Clinic) -> Pc {
        self.pc_at(clinic, &self.base).await
    }

    /// A new PC of `clinic` that talks to the server at `base` (another
    /// server of the same database, or a proxy in front of several).
    pub async fn pc_at(&self, clinic: &Clinic, base: &str) -> Pc {
        let dir = tempfile::tempdir().expect("tempdir");
        let tenant = TenantId::from_uuid(clinic.tenant_id);
        let store = Store::open(dir.path(), tenant, &store_key()).expect("open store");
        self.sign_in(store, clinic, dir, base).await
    }

    /// The same PC after a restart: reopens its store from `dir`.
    pub async fn restart(&self, pc: Pc, clinic: &Clinic) -> Pc {
        self.restart_with(pc, clinic, |_| {}).await
    }

    /// The same PC after a restart, with `between` run on its closed store
    /// file first (what an older app version left behind, say).
    pub async fn restart_with(&self, pc: Pc, clinic: &Clinic, between: impl FnOnce(&std::path::Path)) -> Pc {
        let Pc { engine, dir, tenant } = pc;
        drop(engine);
        between(&Store::path_for(dir.path(), tenant));
        let store = Store::open(dir.path(), tenant, &store_key()).expect("reopen store");
        self.sign_in(store, clinic, dir, &self.base).await
    }

    async fn sign_in(&self, mut store: Store, clinic: &Clinic, dir: tempfile::TempDir, base: &str) -> Pc {
        let login = self
            .login(
                &clinic.code,
                &clinic.owner_email,
                OWNER_PASSWORD,
                store.device_id().as_uuid(),
            )
            .await;
        assert_eq!(login.status, reqwest::StatusCode::OK, "{:?}", login.body);
        store.set_actor(UserId::from_uuid(crate::uuid(&login.body["user"]["id"])));
        let server = ServerClient::new(base).expect("client");
        server.set_token(login.body["access_token"].as_str().map(str::to_owned));
        let tenant = store.tenant();
        Pc {
            engine: Arc::new(SyncEngine::new(store, server)),
            dir,
            tenant,
        }
    }
}

impl Pc {
    pub async fn sync(&self) -> client::SyncReport {
        self.engine.sync_once().await.expect("sync")
    }

    pub fn insert(&self, table: &str, fields: Value) -> Uuid {
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        let id = self
            .engine
            .store()
            .expect("store")
            .insert(table, fields)
            .expect("local insert");
        self.engine.local_change();
        id
    }

    pub fn update(&self, table: &str, id: Uuid, fields: Value) {
        let fields: Map<String, Value> = fields.as_object().cloned().unwrap_or_default();
        self.engine
            .store()
            .expect("store")
            .update(table, id, fields)
            .expect("local update");
    }

    pub fn delete(&self, table: &str, id: Uuid) {
        self.engine
            .store()
            .expect("store")
            .delete(table, id)
            .expect("local delete");
    }

    pub fn rows(&self, table: &str) -> Vec<Map<String, Value>> {
        self.engine
            .store()
            .expect("store")
            .list(table, 100_000)
            .expect("list")
    }

    pub fn pending(&self) -> i64 {
        self.engine
            .store()
            .expect("store")
            .pending_count()
            .expect("pending")
    }
}

/// Live patients on the server as PCs see them, by id.
pub async fn server_patients(app: &TestApp) -> Vec<Map<String, Value>> {
    let rows: Vec<sqlx::types::Json<Map<String, Value>>> = sqlx::query_scalar(
        "SELECT jsonb_build_object('id', id::text, 'first_name', first_name, 'last_name', last_name, \
             'mobile_number', mobile_number, 'notes', notes, 'address', address) \
           FROM patients WHERE deleted_at IS NULL ORDER BY id",
    )
    .fetch_all(&app.owner_pool)
    .await
    .expect("server rows");
    rows.into_iter().map(|r| r.0).collect()
}

/// The same projection of a PC's patients.
pub fn pc_patients(pc: &Pc) -> Vec<Map<String, Value>> {
    pc.rows("patients")
        .into_iter()
        .map(|r| {
            [
                "id",
                "first_name",
                "last_name",
                "mobile_number",
                "notes",
                "address",
            ]
            .iter()
            .map(|k| (k.to_string(), r.get(*k).cloned().unwrap_or(Value::Null)))
            .collect()
        })
        .collect()
}

pub fn new_patient(first_name: &str, mobile: &str) -> Value {
    json!({"first_name": first_name, "mobile_number": mobile, "date_of_birth": "1985-06-15", "gender": "other"})
}

/// What the patient form sends for a woman born 12/04/1990 (set other
/// fields with struct update syntax where a test needs them).
pub fn patient_form(first: &str, last: &str, mobile: &str) -> contract::app::PatientForm {
    contract::app::PatientForm {
        first_name: first.into(),
        last_name: last.into(),
        mobile_number: mobile.into(),
        gender: "female".into(),
        date_of_birth: "1990-04-12".into(),
        ..contract::app::PatientForm::default()
    }
}

/// A PC's desktop core (no window) in `dir`, fixed to `server_url` as an
/// IT preset would fix it.
pub fn desk_core(dir: &std::path::Path, server_url: &str) -> client::app::AppCore {
    let preset = client::app::Preset {
        server_url: Some(server_url.to_owned()),
        ..client::app::Preset::default()
    };
    client::app::AppCore::new(dir, preset).expect("desktop core")
}

/// What the window's register form sends: no licence number or speciality
/// (set them with struct update syntax where a test needs them).
pub fn registration(
    clinic: &str,
    owner: &str,
    email: &str,
    password: &str,
    owner_is_doctor: bool,
) -> domain::api::RegisterClinicRequest {
    domain::api::RegisterClinicRequest {
        clinic_name: clinic.into(),
        owner_name: owner.into(),
        email: email.into(),
        password: password.into(),
        owner_is_doctor,
        device_id: None,
        licence_number: None,
        specialization: None,
    }
}

/// Waits (up to 20 s) until the desktop core reports that an admin removed
/// its PC: the refusal its session ends with.
pub async fn wait_until_removed(core: &client::app::AppCore) -> contract::app::CommandError {
    let started = std::time::Instant::now();
    loop {
        match core.sync_status().await {
            Err(e) if e.code == contract::app::CommandCode::DeviceRevoked => return e,
            other => assert!(
                started.elapsed() < std::time::Duration::from_secs(20),
                "the PC still works: {other:?}"
            ),
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Waits until the desktop core has synced with nothing pending, online and
/// without an error; panics after `within`.
pub async fn settled(core: &client::app::AppCore, within: std::time::Duration) {
    status_until(core, within, |s| {
        s.pending == 0 && s.online && s.last_error.is_none() && s.last_sync_at.is_some()
    })
    .await;
}

/// Waits until the desktop core's sync status passes `done`, and returns
/// it; panics after `within` with the last status seen.
pub async fn status_until(
    core: &client::app::AppCore,
    within: std::time::Duration,
    done: impl Fn(&contract::app::SyncStatus) -> bool,
) -> contract::app::SyncStatus {
    let started = std::time::Instant::now();
    loop {
        let status = core.sync_status().await;
        if let Ok(status) = &status
            && done(status)
        {
            return status.clone();
        }
        assert!(
            started.elapsed() < within,
            "the PC never reached the state waited for: {status:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
