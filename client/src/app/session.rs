//! Signing in and out. Online sign-in stores a local argon2id verifier so
//! the same person can sign in on this PC when the server is unreachable;
//! the refresh token goes to the OS keychain.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use contract::app::{CommandCode, CommandError, SessionUser, SessionView};
use domain::ErrorCode;
use domain::api::{LoginResponse, RegisterClinicRequest, RegisterClinicResponse, TokenPair, UserView};
use domain::date::DateStyle;
use domain::ids::{TenantId, UserId};
use domain::tenant::TenantSettings;
use serde_json::json;
use tokio::sync::watch;

use super::{AppCore, CommandResult};
use crate::engine::SyncEngine;
use crate::error::ClientError;

/// The date style of a clinic: its country's, from the default calling code.
pub(crate) fn date_style_of(settings: &TenantSettings) -> DateStyle {
    DateStyle::for_calling_code(settings.default_country_calling_code.as_deref())
}

async fn verifier(password: String) -> CommandResult<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .await
    .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))?
    .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))
}

pub(super) async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
    })
    .await
    .unwrap_or(false)
}

fn session_user(user: &UserView) -> SessionUser {
    SessionUser {
        id: user.id.to_string(),
        full_name: user.full_name.clone(),
        email: user.email.as_str().to_owned(),
        role: user.role,
        doctor_id: user.doctor_id.map(|d| d.to_string()),
    }
}

/// What an online sign-in or registration gives us.
pub(super) struct SignedIn {
    pub(super) view: SessionView,
    pub(super) access: Option<String>,
    pub(super) refresh: Option<String>,
    /// This PC's digit in APT/RX numbers (online sign-ins only).
    pub(super) number_slot: Option<u8>,
    /// The clinic's settings as the server answered (online only).
    pub(super) settings: Option<TenantSettings>,
}

impl AppCore {
    pub async fn register_clinic(&self, mut req: RegisterClinicRequest) -> CommandResult<SessionView> {
        req.validate().map_err(CommandError::invalid)?;
        let device = self.device_id()?;
        req.device_id = Some(device);
        let password = req.password.clone();
        let server = self.server()?;
        let reply: RegisterClinicResponse = server.post("/clinics", &req).await?;
        self.keep_device_secret(reply.tenant.code.as_str(), device, reply.device_secret.as_deref())?;
        let view = SessionView {
            tenant_id: reply.tenant.id.to_string(),
            clinic_code: reply.tenant.code.to_string(),
            clinic_name: reply.tenant.name.clone(),
            user: session_user(&reply.user),
            must_change_password: false,
            offline: false,
            // Filled by `start` from the clinic's settings.
            date_style: DateStyle::default(),
            idle_minutes: contract::app::DEFAULT_IDLE_MINUTES,
            currency: "INR".into(),
            number_style: Default::default(),
            notice: None,
        };
        self.remember(&view, &password).await?;
        self.start(SignedIn {
            view,
            access: Some(reply.access_token),
            refresh: Some(reply.refresh_token),
            number_slot: reply.number_slot,
            settings: Some(reply.settings),
        })
        .await
    }

    /// Signs in online; when the server cannot be reached, offline with
    /// the verifier kept from an earlier online sign-in on this PC.
    pub async fn sign_in(
        &self,
        clinic_code: &str,
        email: &str,
        password: &str,
    ) -> CommandResult<SessionView> {
        contract::app::check_sign_in(clinic_code, email, password).map_err(CommandError::invalid)?;
        let server = self.server()?;
        let device = self.device_id()?;
        let device_secret = self.secrets.device_secret(clinic_code, &device.to_string())?;
        let body = json!({"clinic_code": clinic_code, "email": email, "password": password,
                          "device_id": device, "device_secret": device_secret});
        match server.post::<_, LoginResponse>("/auth/login", &body).await {
            Ok(reply) => {
                self.keep_device_secret(clinic_code, device, reply.device_secret.as_deref())?;
                self.forget_removal(clinic_code);
                let view = SessionView {
                    tenant_id: reply.tenant.id.to_string(),
                    clinic_code: reply.tenant.code.to_string(),
                    clinic_name: reply.tenant.name.clone(),
                    user: session_user(&reply.user),
                    must_change_password: reply.must_change_password,
                    offline: false,
                    date_style: DateStyle::default(),
                    idle_minutes: contract::app::DEFAULT_IDLE_MINUTES,
                    currency: "INR".into(),
                    number_style: Default::default(),
                    notice: None,
                };
                if !reply.must_change_password {
                    self.remember(&view, password).await?;
                }
                self.start(SignedIn {
                    view,
                    access: Some(reply.access_token),
                    refresh: Some(reply.refresh_token),
                    number_slot: reply.number_slot,
                    settings: Some(reply.settings),
                })
                .await
            }
            Err(ClientError::Offline(_) | ClientError::ServerFault { .. }) => {
                self.sign_in_offline(clinic_code, email, password).await
            }
            Err(ClientError::Server {
                code: ErrorCode::DeviceRevoked,
                ..
            }) => Err(self.removed_at_sign_in(clinic_code)),
            Err(err) => Err(err.into()),
        }
    }

    /// The server refused this PC at sign-in because an admin removed it:
    /// whatever is still here of that clinic goes, and the person is told.
    fn removed_at_sign_in(&self, clinic_code: &str) -> CommandError {
        let known = self.registry().and_then(|r| Ok(r.clinic_by_code(clinic_code)?));
        let name = match known {
            Ok(Some((tenant, name))) => {
                self.erase_clinic(&tenant, clinic_code, &name);
                name
            }
            _ => self
                .removed_from(clinic_code)
                .unwrap_or_else(|| "this clinic".to_owned()),
        };
        super::removal::removed_error(&name)
    }

    /// Keeps a device secret the server has just issued to this PC.
    pub(super) fn keep_device_secret(
        &self,
        clinic_code: &str,
        device: domain::ids::DeviceId,
        secret: Option<&str>,
    ) -> CommandResult<()> {
        let Some(secret) = secret else { return Ok(()) };
        Ok(self
            .secrets
            .save_device_secret(clinic_code, &device.to_string(), secret)?)
    }

    /// Keeps the clinic, the user and the offline verifier on this PC.
    async fn remember(&self, view: &SessionView, password: &str) -> CommandResult<()> {
        let hash = verifier(password.to_owned()).await?;
        let registry = self.registry()?;
        registry.remember_clinic(&view.tenant_id, &view.clinic_code, &view.clinic_name)?;
        // The sign-in screen offers it next time: staff of one clinic
        // should not have to type the code every morning.
        registry.set_setting(super::LAST_CLINIC_CODE, &view.clinic_code)?;
        Ok(registry.save_user(&view.tenant_id, &view.user, &hash)?)
    }

    /// Opens the clinic's store and starts its sync engine.
    pub(super) async fn start(&self, signed: SignedIn) -> CommandResult<SessionView> {
        self.sign_out_quietly().await;
        let SignedIn {
            mut view,
            access,
            refresh,
            number_slot,
            settings,
        } = signed;
        let tenant = TenantId::parse(&view.tenant_id)
            .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))?;
        let (mut store, key_lost) = super::keys::open_clinic(
            &self.data_dir.join("clinics"),
            tenant,
            self.device_id()?,
            &self.secrets,
        )?;
        if key_lost {
            view.notice = Some(super::keys::CLINIC_KEY_LOST.to_owned());
        }
        if let Ok(user) = UserId::parse(&view.user.id) {
            store.set_actor(user);
        }
        if let Some(slot) = number_slot {
            store.set_number_slot(slot)?;
        }
        let server = self.server()?;
        server.set_token(access);
        if let Some(settings) = &settings {
            // A sign-in's answer carries no logo: the plan refresh brings it.
            self.cache_settings_keeping_logo(&view.tenant_id, settings)?;
        }
        self.apply_clinic_settings(&mut view);
        if let Some(refresh) = &refresh {
            self.secrets
                .save_refresh(&view.tenant_id, &view.user.id, refresh)?;
        }
        let secrets = self.secrets.clone();
        let (tenant_key, user_key) = (view.tenant_id.clone(), view.user.id.clone());
        server.set_refresh_token(
            refresh,
            Some(Arc::new(move |token: &str| {
                if let Err(err) = secrets.save_refresh(&tenant_key, &user_key, token) {
                    tracing::warn!(error = %err, "could not keep the rotated sign-in");
                }
            })),
        );
        let engine = Arc::new(SyncEngine::new(store, server.clone()));
        let (stop, stop_rx) = watch::channel(false);
        if !view.must_change_password {
            tokio::spawn(engine.clone().run(stop_rx));
        }
        *self.session.lock().await = Some(super::Session {
            view: view.clone(),
            engine,
            server,
            stop,
            import: std::sync::Mutex::new(None),
        });
        Ok(view)
    }

    pub async fn change_password(&self, current: &str, new: &str) -> CommandResult<SessionView> {
        let (server, mut view) = self
            .with_session(|s| Ok((s.server.clone(), s.view.clone())))
            .await?;
        let email = domain::user::Email::parse(&view.user.email).ok();
        domain::user::check_new_password(new, email.as_ref()).map_err(|e| CommandError::invalid(vec![e]))?;
        let pair: TokenPair = server
            .post(
                "/auth/password",
                &json!({"current_password": current, "new_password": new}),
            )
            .await?;
        view.must_change_password = false;
        self.remember(&view, new).await?;
        self.start(SignedIn {
            view,
            access: Some(pair.access_token),
            refresh: Some(pair.refresh_token),
            number_slot: None,
            // Cached from the sign-in that asked for the new password.
            settings: None,
        })
        .await
    }

    /// Signs out: stops sync, ends the sign-in on the server when it can be
    /// reached, and clears the tokens from the keychain.
    pub async fn sign_out(&self) -> CommandResult<()> {
        let session = self.session.lock().await.take();
        let Some(session) = session else { return Ok(()) };
        let _ = session.stop.send(true);
        let refresh = self
            .secrets
            .refresh(&session.view.tenant_id, &session.view.user.id)?;
        if let Some(refresh) = refresh {
            let _ = session
                .server
                .post::<_, serde_json::Value>("/auth/logout", &json!({"refresh_token": refresh}))
                .await;
        }
        Ok(self
            .secrets
            .forget(&session.view.tenant_id, &session.view.user.id)?)
    }

    /// The clinic's country calling code as this PC last saw it: numbers
    /// typed without one belong to it.
    pub(crate) fn clinic_calling_code(&self, tenant: &str) -> Option<String> {
        self.cached_clinic_settings(tenant)
            .ok()
            .and_then(|s| s.default_country_calling_code)
    }

    /// What a session follows of the clinic's settings kept on this PC
    /// (the one source for the session's screens and for prints): its date
    /// style, day-month-year until the settings have been seen, and its idle
    /// timeout, IT's preset for this PC first.
    pub(crate) fn apply_clinic_settings(&self, view: &mut SessionView) {
        let settings = self.cached_clinic_settings(&view.tenant_id).unwrap_or_default();
        view.date_style = date_style_of(&settings);
        let money = settings.money_format();
        view.currency = money.currency.code().to_owned();
        view.number_style = money.style;
        view.idle_minutes = self
            .preset
            .idle_minutes
            .or(settings.idle_timeout_minutes)
            .unwrap_or(contract::app::DEFAULT_IDLE_MINUTES);
    }

    async fn sign_out_quietly(&self) {
        if let Some(old) = self.session.lock().await.take() {
            let _ = old.stop.send(true);
        }
    }
}
