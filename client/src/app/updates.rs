//! What the app's updater needs from the session: where this PC asks for
//! updates (its server, IT's channel and pin) with a fresh sign-in, and an
//! admin's "later" kept on this PC.

use contract::app::UpdateSource;

use super::{AppCore, CommandResult};

/// Registry setting: until when an admin put off the ready update.
const DEFERRED_UNTIL: &str = "update_deferred_until";

impl AppCore {
    /// The update endpoint for the Tauri updater, with a current access
    /// token (refreshed first if it expired).
    pub async fn update_source(&self) -> CommandResult<UpdateSource> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        // Any signed-in request renews an expired access token.
        let _: serde_json::Value = server.get("/plans").await?;
        let channel = self
            .preset
            .update_channel
            .clone()
            .unwrap_or_else(|| "stable".into());
        let mut endpoint = format!(
            "{}/api/v1/updates/{{{{target}}}}/{{{{arch}}}}/{{{{current_version}}}}?channel={channel}",
            server.base()
        );
        if let Some(pin) = &self.preset.pinned_version {
            endpoint.push_str(&format!("&pinned={pin}"));
        }
        Ok(UpdateSource {
            endpoint,
            token: server.access_token(),
        })
    }

    /// Puts the ready update off on this PC until `until` (RFC 3339).
    pub async fn defer_update(&self, until: &str) -> CommandResult<()> {
        self.with_session(|_| Ok(())).await?;
        Ok(self.registry()?.set_setting(DEFERRED_UNTIL, until)?)
    }

    /// Until when the ready update is put off, if it is.
    pub fn update_deferred_until(&self) -> CommandResult<Option<String>> {
        let until = self.registry()?.setting(DEFERRED_UNTIL)?;
        Ok(until.filter(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok_and(|t| t > chrono::Utc::now())))
    }
}
