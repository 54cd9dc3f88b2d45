//! "Forgot the clinic code?": the code is e-mailed to the address asked
//! for, never shown to whoever asked.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{ClinicCodeReminderRequest, ClinicCodeReminderResponse};
use domain::user::Email;

use crate::app::AppState;
use crate::error::ApiResult;
use crate::json::ApiJson;

/// One reminder per address in this time, however often it is asked for:
/// the route cannot be used to flood someone's inbox.
const COOLDOWN: Duration = Duration::from_secs(10 * 60);
/// Addresses remembered at most; older entries are dropped first.
const REMEMBERED: usize = 10_000;

/// When each address was last sent a reminder (this process only).
#[derive(Debug, Clone, Default)]
pub struct Reminders(Arc<Mutex<HashMap<String, Instant>>>);

impl Reminders {
    /// Whether `email` may be sent a reminder now; records it if so.
    fn allow(&self, email: &str) -> bool {
        let now = Instant::now();
        let Ok(mut sent) = self.0.lock() else {
            return false;
        };
        if sent.len() >= REMEMBERED {
            sent.retain(|_, at| now.duration_since(*at) < COOLDOWN);
        }
        match sent.get(email) {
            Some(at) if now.duration_since(*at) < COOLDOWN => false,
            _ if sent.len() >= REMEMBERED => false,
            _ => {
                sent.insert(email.to_owned(), now);
                true
            }
        }
    }
}

/// E-mails the clinic code(s) of the accounts that use `email`. Answers
/// the same, at once, whether or not the address is known: the look-up
/// and the mail happen after the answer.
#[utoipa::path(
    post, path = "/auth/clinic-code-reminder", tag = "auth",
    request_body = ClinicCodeReminderRequest,
    responses(
        (status = 202, body = ClinicCodeReminderResponse),
        (status = 400, body = domain::error::ErrorBody, description = "malformed_json"),
        (status = 422, body = domain::error::ErrorBody, description = "validation_failed"),
        (status = 429, body = domain::error::ErrorBody, description = "rate_limited (see Retry-After)"),
    )
)]
pub async fn remind(
    State(state): State<AppState>,
    peer: crate::throttle::Peer,
    ApiJson(req): ApiJson<ClinicCodeReminderRequest>,
) -> ApiResult<(StatusCode, axum::Json<ClinicCodeReminderResponse>)> {
    let email = Email::parse(&req.email)?;
    state.throttle.address(peer)?;
    if state.mailer.is_some() && state.code_reminders.allow(email.as_str()) {
        tokio::spawn(send_reminder(state, email));
    }
    Ok((
        StatusCode::ACCEPTED,
        axum::Json(ClinicCodeReminderResponse::sent()),
    ))
}

async fn send_reminder(state: AppState, email: Email) {
    let Some(mailer) = state.mailer.clone() else {
        return;
    };
    let looked_up = async {
        let mut tx = state.pool.begin().await?;
        let clinics = crate::db::tenants::codes_for_email(&mut tx, email.as_str()).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(clinics)
    };
    let clinics = match looked_up.await {
        Ok(clinics) => clinics,
        Err(err) => {
            tracing::warn!(error = %err, "could not look up clinic codes for a reminder");
            return;
        }
    };
    if clinics.is_empty() {
        return;
    }
    let body = crate::mail::clinic_code_reminder(&clinics);
    if let Err(err) = mailer.send(email.as_str(), "Your clinic code", body).await {
        tracing::warn!(error = %err, "could not e-mail a clinic code reminder");
    }
}
