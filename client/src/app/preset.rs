//! What IT fixes for a PC: a JSON file (`$CLINIC_CONFIG`, else
//! `/etc/clinic-desktop/config.json`; an empty `CLINIC_CONFIG` means none)
//! and the environment variables `CLINIC_SERVER_URL` and `CLINIC_CODE`
//! (which win). A file that cannot be read or understood never stops the
//! app: the set-up and sign-in screens say what is wrong with it, and the
//! PC is set up by hand meanwhile.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where the .deb's README tells IT to put the preset.
pub const DEFAULT_PATH: &str = "/etc/clinic-desktop/config.json";

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub server_url: Option<String>,
    pub clinic_code: Option<String>,
    pub idle_minutes: Option<u32>,
    /// A one-time code from the clinic's admin ("Add a PC"): the PC joins
    /// the clinic at its first start.
    #[serde(default)]
    pub enrolment_code: Option<String>,
    /// The PC's name in the admin's list (default: its host name).
    #[serde(default)]
    pub device_name: Option<String>,
    /// The update channel to follow (default `stable`).
    #[serde(default)]
    pub update_channel: Option<String>,
    /// Install only this version (IT decides when to move).
    #[serde(default)]
    pub pinned_version: Option<String>,
    /// What is wrong with the preset file, in words for IT.
    #[serde(skip)]
    pub problem: Option<String>,
}

impl Preset {
    /// The file named by the environment (or the default), then the
    /// environment's own values on top.
    pub fn load() -> Self {
        let (path, named) = match std::env::var("CLINIC_CONFIG") {
            Ok(path) if path.trim().is_empty() => (None, false),
            Ok(path) => (Some(PathBuf::from(path)), true),
            Err(_) => (Some(PathBuf::from(DEFAULT_PATH)), false),
        };
        let mut preset = path.map_or_else(Self::default, |p| Self::from_file(&p, named));
        if let Ok(url) = std::env::var("CLINIC_SERVER_URL")
            && !url.trim().is_empty()
        {
            preset.server_url = Some(url);
        }
        if let Ok(code) = std::env::var("CLINIC_CODE")
            && !code.trim().is_empty()
        {
            preset.clinic_code = Some(code);
        }
        preset
    }

    /// Reads a preset file. A missing file is no preset, unless it was
    /// named explicitly (`required`); unreadable or invalid content is a
    /// preset with only its [`problem`](Self::problem) set.
    pub fn from_file(path: &Path, required: bool) -> Self {
        let shown = path.display();
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Self::default(),
            Err(e) => return Self::problem(format!("The settings file {shown} could not be read: {e}.")),
        };
        let preset: Self = match serde_json::from_str(&text) {
            Ok(preset) => preset,
            Err(e) => {
                return Self::problem(format!(
                    "The settings file {shown} is not valid: {e}. Ask your IT department to correct it."
                ));
            }
        };
        match preset.check() {
            Ok(()) => preset,
            Err(why) => Self::problem(format!(
                "The settings file {shown} is not valid: {why}. Ask your IT department to correct it."
            )),
        }
    }

    fn problem(message: String) -> Self {
        tracing::warn!(problem = %message, "preset file ignored");
        Self {
            problem: Some(message),
            ..Self::default()
        }
    }

    /// The rules a JSON parser cannot state.
    fn check(&self) -> Result<(), String> {
        if let Some(url) = &self.server_url {
            contract::app::parse_server_url(url).map_err(|e| format!("server_url {}", e.message))?;
        }
        if let Some(code) = &self.clinic_code {
            domain::tenant::TenantCode::parse(code).map_err(|e| format!("clinic_code {}", e.message))?;
        }
        if let Some(code) = &self.enrolment_code {
            domain::api::split_enrolment_code(code).map_err(|e| format!("enrolment_code {}", e.message))?;
            if self.server_url.is_none() {
                return Err("an enrolment_code needs the server_url too".into());
            }
        }
        if let Some(minutes) = self.idle_minutes
            && !(1..=480).contains(&minutes)
        {
            return Err("idle_minutes must be between 1 and 480".into());
        }
        if let Some(channel) = &self.update_channel
            && (channel.is_empty()
                || channel.len() > 20
                || !channel
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'))
        {
            return Err("update_channel must be 1 to 20 of a-z, 0-9 and '-'".into());
        }
        if let Some(pin) = &self.pinned_version
            && (!pin.starts_with(|c: char| c.is_ascii_digit())
                || pin.len() > 40
                || !pin
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-+".contains(c)))
        {
            return Err("pinned_version must be a version such as 0.2.0".into());
        }
        if let Some(name) = &self.device_name {
            domain::text::line("device_name", name, domain::text::NAME_MAX).map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn preset_in(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("config.json");
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn a_valid_file_is_read_from_its_path() {
        let (_dir, path) = preset_in(
            r#"{"server_url": "https://clinic.example.org", "enrolment_code": "SUNRISE_7KQ_2MX_4DP.23456789ABCDEFGHJKMN",
                "device_name": "Reception", "idle_minutes": 10, "update_channel": "stable", "pinned_version": "0.2.0"}"#,
        );
        let preset = Preset::from_file(&path, true);
        assert_eq!(preset.problem, None);
        assert_eq!(preset.server_url.as_deref(), Some("https://clinic.example.org"));
        assert_eq!(preset.device_name.as_deref(), Some("Reception"));
        assert_eq!(preset.pinned_version.as_deref(), Some("0.2.0"));
    }

    #[test]
    fn a_missing_corrupt_or_wrong_file_says_what_is_wrong_and_presets_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let absent = dir.path().join("none.json");
        assert_eq!(
            Preset::from_file(&absent, false),
            Preset::default(),
            "no file, no preset"
        );
        let named = Preset::from_file(&absent, true);
        assert!(
            named
                .problem
                .as_deref()
                .unwrap_or_default()
                .contains("could not be read")
        );
        for (text, says) in [
            ("{ not json", "not valid"),
            (
                r#"{"server_url": "https://a.example", "enrollment_code": "x"}"#,
                "unknown field `enrollment_code`",
            ),
            (r#"{"server_url": "ftp://a.example"}"#, "server_url"),
            (
                r#"{"enrolment_code": "SUNRISE_7KQ_2MX_4DP.23456789ABCDEFGHJKMN"}"#,
                "needs the server_url",
            ),
            (
                r#"{"server_url": "https://a.example", "enrolment_code": "short"}"#,
                "enrolment_code",
            ),
            (r#"{"idle_minutes": 0}"#, "idle_minutes"),
            (r#"{"update_channel": "stable&x=1"}"#, "update_channel"),
            (r#"{"pinned_version": "latest"}"#, "pinned_version"),
        ] {
            let (_dir, path) = preset_in(text);
            let preset = Preset::from_file(&path, true);
            let problem = preset.problem.clone().unwrap_or_default();
            assert!(problem.contains(says), "{text}: {problem}");
            assert_eq!(preset.server_url, None, "{text}: nothing of it is used");
        }
    }
}
