//! The desktop app's core without Tauri: settings (with IT presets),
//! sign-in online and offline, the session's store and sync engine,
//! patients, doctors and the subscription. The Tauri commands are one call
//! each on this; it is tested headless.

mod backup;
mod billing;
mod clinical;
mod enrolment;
mod errors;
pub mod import;
mod keys;
mod offline;
mod patients;
mod prescribing;
mod preset;
mod printing;
mod receipts;
pub mod registry;
mod removal;
pub mod reports;
mod review;
pub mod secrets;
mod session;
mod staff;
mod updates;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use contract::app::{AppSettings, CommandCode, CommandError, SessionView, SubscriptionView, SyncStatus};
use domain::user::Role;
use tokio::sync::watch;
use uuid::Uuid;

use crate::engine::SyncEngine;
use crate::http::ServerClient;
use registry::Registry;
use secrets::Secrets;

pub use preset::Preset;

pub type CommandResult<T> = Result<T, CommandError>;

/// Registry setting: the code of the clinic last signed in to on this PC.
const LAST_CLINIC_CODE: &str = "last_clinic_code";

pub(crate) struct Session {
    view: SessionView,
    engine: Arc<SyncEngine>,
    server: ServerClient,
    stop: watch::Sender<bool>,
    /// A spreadsheet being imported; it goes with the sign-in.
    import: Mutex<Option<import::OpenImport>>,
}

pub struct AppCore {
    data_dir: PathBuf,
    /// Where files the user asked for go (a clinic backup).
    downloads: PathBuf,
    preset: Preset,
    registry: Mutex<Registry>,
    secrets: Secrets,
    session: tokio::sync::Mutex<Option<Session>>,
}

impl std::fmt::Debug for AppCore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppCore")
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

impl AppCore {
    pub fn new(data_dir: &Path, preset: Preset) -> CommandResult<Self> {
        let registry = keys::open_registry(data_dir, &Secrets)?;
        Ok(Self {
            data_dir: data_dir.to_owned(),
            downloads: backup::downloads_dir(data_dir),
            preset,
            registry: Mutex::new(registry),
            secrets: Secrets,
            session: tokio::sync::Mutex::new(None),
        })
    }

    /// Saves downloads (a clinic backup) in `dir` instead of the user's
    /// Downloads folder.
    pub fn with_downloads(mut self, dir: &Path) -> Self {
        dir.clone_into(&mut self.downloads);
        self
    }

    fn registry(&self) -> CommandResult<MutexGuard<'_, Registry>> {
        self.registry
            .lock()
            .map_err(|_| CommandError::new(CommandCode::Internal, "the app's registry is unavailable"))
    }

    /// This PC's id, made once and used for every clinic on it.
    fn device_id(&self) -> CommandResult<domain::ids::DeviceId> {
        let registry = self.registry()?;
        if let Some(id) = registry.setting("device_id")? {
            return domain::ids::DeviceId::parse(&id)
                .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()));
        }
        let id = domain::ids::DeviceId::new();
        registry.set_setting("device_id", &id.to_string())?;
        Ok(id)
    }

    pub fn settings(&self) -> CommandResult<AppSettings> {
        let registry = self.registry()?;
        let saved = registry.setting("server_url")?;
        let last_code = registry.setting(LAST_CLINIC_CODE)?;
        Ok(AppSettings {
            preset: self.preset.server_url.is_some(),
            server_url: self.preset.server_url.clone().or(saved),
            clinic_code: self.preset.clinic_code.clone(),
            last_clinic_code: last_code,
            preset_problem: self.preset.problem.clone(),
        })
    }

    /// Saves the server address after checking the server answers there.
    pub async fn set_server_url(&self, url: &str) -> CommandResult<AppSettings> {
        if self.preset.server_url.is_some() {
            return Err(CommandError::new(
                CommandCode::Forbidden,
                "The server address is set by your IT department.",
            ));
        }
        let url = contract::app::parse_server_url(url).map_err(|e| CommandError::invalid(vec![e]))?;
        let reachable = reqwest::Client::new()
            .get(format!("{url}/openapi.json"))
            .timeout(std::time::Duration::from_secs(5))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success());
        if !reachable {
            return Err(CommandError::new(
                CommandCode::Offline,
                "No clinic server answers at that address. Check it, or ask your IT department.",
            ));
        }
        self.registry()?.set_setting("server_url", &url)?;
        self.settings()
    }

    fn server(&self) -> CommandResult<ServerClient> {
        let url = self.settings()?.server_url.ok_or_else(|| {
            CommandError::new(
                CommandCode::ServerNotConfigured,
                "Enter the clinic server's address first.",
            )
        })?;
        Ok(ServerClient::new(&url)?)
    }

    pub async fn session(&self) -> Option<SessionView> {
        let mut view = self.session.lock().await.as_ref().map(|s| s.view.clone())?;
        // The clinic's settings may have changed since sign-in.
        self.apply_clinic_settings(&mut view);
        Some(view)
    }

    /// Whether the current user may call a command declared with `access`.
    pub async fn allow(&self, access: contract::Access) -> CommandResult<()> {
        match access {
            contract::Access::Open => Ok(()),
            contract::Access::SignedIn => self.with_session(|_| Ok(())).await,
            contract::Access::Admin => {
                self.require_role(&[Role::Admin], "Only the clinic's admins can do this.")
                    .await
            }
            contract::Access::Billing => {
                self.require_role(
                    &[Role::Admin, Role::Doctor, Role::Receptionist],
                    "Only the clinic's admins, doctors and receptionists handle bills, payments and reports.",
                )
                .await
            }
            contract::Access::Clinical => {
                self.require_role(
                    &[Role::Admin, Role::Doctor],
                    "Only the clinic's doctors and admins can do this.",
                )
                .await
            }
        }
    }

    async fn require_role(&self, allowed: &[Role], refusal: &str) -> CommandResult<()> {
        self.with_session(|s| {
            if allowed.contains(&s.view.user.role) {
                Ok(())
            } else {
                Err(CommandError::new(CommandCode::Forbidden, refusal))
            }
        })
        .await
    }

    /// Runs `f` on the signed-in session. When the server has said this
    /// PC was removed from the clinic, the session ends here and the
    /// clinic's data on the PC is erased instead.
    async fn with_session<T>(&self, f: impl FnOnce(&Session) -> CommandResult<T>) -> CommandResult<T> {
        let mut guard = self.session.lock().await;
        if let Some(session) = guard.take_if(|s| s.server.device_removed()) {
            drop(guard);
            return Err(self.end_removed_session(session));
        }
        let session = guard
            .as_ref()
            .ok_or_else(|| CommandError::new(CommandCode::NotSignedIn, "Please sign in."))?;
        f(session)
    }

    /// A read of the clinic's store (store or command errors alike).
    async fn read<T, E: Into<CommandError>>(
        &self,
        f: impl FnOnce(&crate::store::Store) -> Result<T, E>,
    ) -> CommandResult<T> {
        self.with_session(|s| f(&*s.engine.store()?).map_err(Into::into))
            .await
    }

    /// Local writes; the engine is told there is something to push.
    async fn write<T>(
        &self,
        f: impl FnOnce(&mut crate::store::Store) -> CommandResult<T>,
    ) -> CommandResult<T> {
        self.with_session(|s| {
            let out = f(&mut *s.engine.store()?)?;
            s.engine.local_change();
            Ok(out)
        })
        .await
    }

    /// Records a view, print or export for the server's audit trail.
    async fn audit(
        &self,
        action: domain::api::AuditAction,
        table: &str,
        id: Option<&str>,
        details: serde_json::Value,
    ) -> CommandResult<()> {
        self.read(|store| store.record_audit(action, table, id, &details))
            .await
    }

    pub async fn sync_status(&self) -> CommandResult<SyncStatus> {
        self.with_session(|s| Ok(s.engine.status().borrow().clone()))
            .await
    }

    /// Asks the engine to sync now (it runs in the background).
    pub async fn sync_now(&self) -> CommandResult<()> {
        self.with_session(|s| {
            s.engine.local_change();
            Ok(())
        })
        .await
    }

    pub async fn subscription(&self) -> CommandResult<Option<SubscriptionView>> {
        let (server, tenant) = self
            .with_session(|s| Ok((s.server.clone(), s.view.tenant_id.clone())))
            .await?;
        match server
            .get::<domain::api::TenantOverview>("/tenant?include_logo=false")
            .await
        {
            Ok(overview) => {
                let view = SubscriptionView {
                    plan: overview.tenant.plan,
                    status: overview.effective_status,
                    days_left: overview.days_until_expiry,
                    max_doctors: overview.tenant.limits.max_doctors,
                    doctors: overview.usage.doctors,
                    max_patients: overview.tenant.limits.max_patients,
                    patients: overview.usage.patients,
                };
                self.registry()?.save_subscription(&tenant, &view)?;
                self.refresh_clinic_settings(&server, &tenant, &overview).await?;
                Ok(Some(view))
            }
            Err(err) if err.is_transient() => Ok(self.registry()?.subscription(&tenant)?),
            Err(err) => Err(err.into()),
        }
    }

    /// The clinic's PCs, as the server knows them (admins only).
    pub async fn devices(&self) -> CommandResult<Vec<domain::api::DeviceView>> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        Ok(server.get("/devices").await?)
    }

    /// Removes a PC from the clinic: it is refused from now on and erases
    /// the clinic's data when it next reaches the server.
    pub async fn revoke_device(&self, id: &str) -> CommandResult<domain::api::DeviceView> {
        let id = domain::ids::DeviceId::parse(id)
            .map_err(|_| CommandError::new(CommandCode::NotFound, "There is no such PC."))?;
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let path = format!("/devices/{id}/revoke");
        Ok(server.post(&path, &serde_json::json!({})).await?)
    }

    /// The clinic's settings (online only: they live on the server).
    pub async fn clinic_settings(&self) -> CommandResult<domain::tenant::TenantSettings> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let overview: domain::api::TenantOverview = server.get("/tenant").await?;
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        self.cache_clinic_settings(&tenant, &overview)?;
        Ok(overview.settings)
    }

    pub async fn save_clinic_settings(
        &self,
        settings: domain::tenant::TenantSettings,
    ) -> CommandResult<domain::tenant::TenantSettings> {
        let settings = settings.validate().map_err(CommandError::invalid)?;
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let overview: domain::api::TenantOverview = server.patch("/tenant/settings", &settings).await?;
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        self.cache_clinic_settings(&tenant, &overview)?;
        Ok(overview.settings)
    }

    /// "Forgot the clinic code?": the server e-mails the code to `email`
    /// if an account uses it, and answers the same either way.
    pub async fn remind_clinic_code(&self, email: &str) -> CommandResult<String> {
        let email = domain::user::Email::parse(email).map_err(|e| CommandError::invalid(vec![e]))?;
        let reply: domain::api::ClinicCodeReminderResponse = self
            .server()?
            .post(
                "/auth/clinic-code-reminder",
                &domain::api::ClinicCodeReminderRequest {
                    email: email.as_str().to_owned(),
                },
            )
            .await?;
        Ok(reply.message)
    }

    pub async fn refused(&self) -> CommandResult<Vec<crate::store::outbox::RefusedOp>> {
        self.read(|store| store.refused()).await
    }

    pub async fn discard_refused(&self, op_id: &str) -> CommandResult<()> {
        let id =
            Uuid::parse_str(op_id).map_err(|_| CommandError::new(CommandCode::NotFound, "no such change"))?;
        self.with_session(|s| Ok(s.engine.store()?.discard_refused(id)?))
            .await
    }
}
