//! Taking in a referral: another clinic's FHIR export of one patient goes
//! to the server, which makes the new patient with read-only history (new
//! ids, provenance on each record); a sync then brings them to this PC.

use contract::screens::import::ReferralFile;
use domain::api::ReferralImported;
use serde_json::Value;

use super::{decoded, invalid};
use crate::app::{AppCore, CommandResult};

/// The server takes referrals up to 8 MiB; base64 and JSON framing aside,
/// a file this large would not fit.
const MAX_REFERRAL_BYTES: usize = 8 * 1024 * 1024 - 64 * 1024;

impl AppCore {
    pub async fn import_referral(&self, file: ReferralFile) -> CommandResult<ReferralImported> {
        let bytes = decoded(
            &file.base64,
            MAX_REFERRAL_BYTES,
            "The referral is larger than 8 MB: ask the other clinic for this one patient's export.",
        )?;
        let bundle: Value = serde_json::from_slice(&bytes).map_err(|_| {
            invalid("This is not a FHIR JSON file: choose the .fhir.json file the other clinic sent.")
        })?;
        if bundle.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
            return Err(invalid(
                "This JSON file is not a FHIR Bundle: choose the patient export the other clinic sent.",
            ));
        }
        let (server, engine) = self
            .with_session(|s| Ok((s.server.clone(), s.engine.clone())))
            .await?;
        let imported: ReferralImported = server.post("/fhir/referrals", &bundle).await?;
        tracing::info!(records = imported.record_count(), "referral imported");
        // One round now, so the chart opens on this PC at once. The patient
        // is on the server either way: if this round fails, the next brings
        // them.
        if let Err(err) = engine.sync_once().await {
            tracing::warn!(error = %err, "sync after a referral import failed");
        }
        Ok(imported)
    }
}
