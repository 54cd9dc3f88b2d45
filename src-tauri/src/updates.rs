//! Updates of the app itself, through the Tauri updater: after sign-in and
//! daily the window asks; a newer release from the clinic's server is
//! downloaded and its signature checked against the public key this build
//! carries, then waits for the user to restart. A release whose signature
//! does not match is refused with the reason and never installed; nothing
//! interrupts work in progress.

use std::sync::Mutex;

use client::app::AppCore;
use contract::app::{CommandCode, CommandError, UpdateView};
use tauri::{AppHandle, Runtime};
use tauri_plugin_updater::{Update, UpdaterExt};

/// The public key updates must be signed with: the release key when
/// `scripts/bundle.sh` builds (`CLINIC_UPDATER_PUBKEY`), else the test
/// key in `keys/` that the tests sign with.
pub const PUBKEY: &str = env!("CLINIC_UPDATER_PUBKEY");
/// The test key, which no release build may trust.
const TEST_PUBKEY: &str = include_str!("../keys/test-updater.pub");

/// How long an admin's "later" lasts.
const DEFER_DAYS: i64 = 7;

#[derive(Default)]
pub struct Updates {
    view: Mutex<UpdateView>,
    ready: Mutex<Option<(Update, Vec<u8>)>>,
}

fn error(message: impl Into<String>) -> CommandError {
    CommandError::new(CommandCode::Internal, message)
}

/// Whether this build may update itself at all.
fn trusted_key() -> Result<(), String> {
    if !cfg!(debug_assertions) && PUBKEY.trim() == TEST_PUBKEY.trim() {
        return Err("this build trusts only the test key, so it does not update itself".into());
    }
    Ok(())
}

impl Updates {
    fn snapshot(&self, core: &AppCore) -> UpdateView {
        let mut view = self.view.lock().map(|v| v.clone()).unwrap_or_default();
        view.current_version = client::http::APP_VERSION.to_owned();
        view.deferred_until = core.update_deferred_until().ok().flatten();
        view
    }

    fn set(&self, change: impl FnOnce(&mut UpdateView)) {
        if let Ok(mut view) = self.view.lock() {
            change(&mut view);
        }
    }

    /// Asks the clinic's server; downloads and checks a newer release.
    pub async fn check<R: Runtime>(
        &self,
        app: &AppHandle<R>,
        core: &AppCore,
    ) -> Result<UpdateView, CommandError> {
        if let Err(why) = trusted_key() {
            self.set(|v| v.error = Some(why));
            return Ok(self.snapshot(core));
        }
        let source = core.update_source().await?;
        let mut builder = app
            .updater_builder()
            .endpoints(vec![source.endpoint.parse().map_err(|e| error(format!("{e}")))?])
            .map_err(|e| error(e.to_string()))?;
        if let Some(token) = &source.token {
            builder = builder
                .header("Authorization", format!("Bearer {token}"))
                .map_err(|e| error(e.to_string()))?;
        }
        let updater = builder.build().map_err(|e| error(e.to_string()))?;
        let offered = match updater.check().await {
            Ok(offered) => offered,
            Err(err) => {
                tracing::info!(error = %err, "update check failed");
                self.set(|v| v.error = Some(format!("Could not check for updates: {err}")));
                return Ok(self.snapshot(core));
            }
        };
        let Some(update) = offered else {
            self.set(|v| *v = UpdateView::default());
            return Ok(self.snapshot(core));
        };
        let version = update.version.clone();
        let notes = update.body.clone();
        match update.download(|_, _| {}, || {}).await {
            Ok(bytes) => {
                tracing::info!(%version, "update downloaded and its signature checked");
                if let Ok(mut ready) = self.ready.lock() {
                    *ready = Some((update, bytes));
                }
                self.set(|v| {
                    v.ready = Some(version);
                    v.notes = notes;
                    v.refused = None;
                    v.error = None;
                });
            }
            Err(err) => {
                // A signature that does not match is a refusal, not a retry.
                tracing::warn!(%version, error = %err, "update refused");
                if let Ok(mut ready) = self.ready.lock() {
                    *ready = None;
                }
                self.set(|v| {
                    v.ready = None;
                    v.refused = Some(format!("Update {version} was refused: {err}"));
                    v.error = None;
                });
            }
        }
        Ok(self.snapshot(core))
    }

    /// Installs the ready update (its signature is checked again) and
    /// restarts into it.
    pub fn install<R: Runtime>(&self, app: &AppHandle<R>) -> Result<(), CommandError> {
        let ready = self.ready.lock().ok().and_then(|mut r| r.take());
        let Some((update, bytes)) = ready else {
            return Err(CommandError::new(
                CommandCode::NotFound,
                "No update is ready to install.",
            ));
        };
        if let Err(err) = update.install(&bytes) {
            tracing::error!(error = %err, "the update could not be installed");
            return Err(error(format!("The update could not be installed: {err}")));
        }
        app.restart()
    }

    /// An admin's "later": the banner rests on this PC for a week.
    pub async fn defer(&self, core: &AppCore) -> Result<UpdateView, CommandError> {
        let until = chrono::Utc::now() + chrono::Duration::days(DEFER_DAYS);
        core.defer_update(&until.to_rfc3339()).await?;
        Ok(self.snapshot(core))
    }
}

/// The window's commands on updates: one call each.
pub mod commands {
    use client::app::AppCore;
    use contract::app::CommandError;
    use contract::{Command, cmd};
    use tauri::{AppHandle, State};

    use super::Updates;

    type Args<C> = <C as Command>::Args;
    type Answer<C> = Result<<C as Command>::Output, CommandError>;

    #[tauri::command]
    pub async fn check_for_update(
        app: AppHandle,
        core: State<'_, AppCore>,
        updates: State<'_, Updates>,
        args: Args<cmd::CheckForUpdate>,
    ) -> Answer<cmd::CheckForUpdate> {
        let () = args;
        updates.check(&app, &core).await
    }

    #[tauri::command]
    pub fn install_update(
        app: AppHandle,
        updates: State<'_, Updates>,
        args: Args<cmd::InstallUpdate>,
    ) -> Answer<cmd::InstallUpdate> {
        let () = args;
        updates.install(&app)
    }

    #[tauri::command]
    pub async fn defer_update(
        core: State<'_, AppCore>,
        updates: State<'_, Updates>,
        args: Args<cmd::DeferUpdate>,
    ) -> Answer<cmd::DeferUpdate> {
        let () = args;
        updates.defer(&core).await
    }
}
