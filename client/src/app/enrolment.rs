//! Enrolment with IT's preset: at its first start a PC whose preset file
//! carries an enrolment code joins that clinic under its name, keeps the
//! device secret it gets in the keychain, and offers the clinic at sign-in.
//! Admins make the codes ("Add a PC").

use contract::app::{CommandCode, CommandError, EnrolmentView};
use domain::api::{EnrolRequest, EnrolResponse, EnrolmentCode};
use sha2::{Digest, Sha256};

use super::{AppCore, CommandResult, LAST_CLINIC_CODE};
use crate::error::ClientError;

/// The registry setting that records a code's use: keyed by the code's
/// hash, so the code itself is not kept in a plain file.
fn used_key(code: &str) -> String {
    let digest = Sha256::digest(code.trim().to_ascii_uppercase().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("enrolled:{hex}")
}

/// The PC's own name: its host name, else a plain one.
fn host_name() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "Clinic PC".to_owned())
}

/// Why the server refused the code, in words for IT.
fn refused(err: ClientError) -> CommandError {
    let (code, why) = match &err {
        ClientError::Server { message, .. } => (CommandCode::EnrolmentRefused, message.clone()),
        ClientError::Offline(_) | ClientError::ServerFault { .. } => {
            return CommandError::new(
                CommandCode::Offline,
                "This PC could not reach the clinic server to join the clinic. It tries again at the next start.",
            );
        }
        other => (CommandCode::EnrolmentRefused, other.to_string()),
    };
    CommandError::new(
        code,
        format!("This PC could not join the clinic: {why}. Ask your IT department for a new enrolment code."),
    )
}

impl AppCore {
    /// Joins the clinic named by the preset's enrolment code, once.
    /// `None` when the preset has no code.
    pub async fn enrol_preset(&self) -> CommandResult<Option<EnrolmentView>> {
        let Some(code) = self.preset.enrolment_code.clone() else {
            return Ok(None);
        };
        let key = used_key(&code);
        if let Some(saved) = self.registry()?.setting(&key)? {
            return Ok(serde_json::from_str(&saved).ok());
        }
        let device = self.device_id()?;
        let request = EnrolRequest {
            code,
            device_id: device,
            name: self.preset.device_name.clone().unwrap_or_else(host_name),
        };
        let reply: EnrolResponse = self
            .server()?
            .post("/devices/enrol", &request)
            .await
            .map_err(refused)?;
        self.keep_device_secret(&reply.clinic_code, device, Some(&reply.device_secret))?;
        self.forget_removal(&reply.clinic_code);
        let view = EnrolmentView {
            clinic_code: reply.clinic_code,
            clinic_name: reply.clinic_name,
            device_name: reply.device_name,
        };
        let registry = self.registry()?;
        registry.set_setting(LAST_CLINIC_CODE, &view.clinic_code)?;
        let saved = serde_json::to_string(&view)
            .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))?;
        registry.set_setting(&key, &saved)?;
        tracing::info!(clinic = %view.clinic_code, "this PC joined the clinic");
        Ok(Some(view))
    }

    /// A one-time code that enrols another PC (admins only).
    pub async fn create_enrolment(&self, name: Option<String>) -> CommandResult<EnrolmentCode> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let body = domain::api::CreateEnrolmentRequest { name };
        Ok(server.post("/devices/enrolments", &body).await?)
    }
}
