//! Files people take out of the clinic, saved in the Downloads folder: an
//! admin's backup (the server writes it, every record at one instant,
//! encrypted with the passphrase the admin chose) and FHIR exports of a
//! patient or the whole clinic. The server records who took each.

use std::path::{Path, PathBuf};

use contract::app::{CommandCode, CommandError};
use contract::screens::ExportedFile;
use domain::api::{BackupPassphrase, BackupRequest};

use super::{AppCore, CommandResult};

/// `$XDG_DOWNLOAD_DIR`, else `~/Downloads`, else the app's data folder.
pub(super) fn downloads_dir(data_dir: &Path) -> PathBuf {
    std::env::var_os("XDG_DOWNLOAD_DIR")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join("Downloads")))
        .unwrap_or_else(|| data_dir.to_owned())
}

/// A name the server suggested, if it is a plain file name.
fn safe_name(suggested: Option<String>, clinic_code: &str) -> String {
    suggested
        .filter(|n| {
            !n.is_empty()
                && n.len() <= 100
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
                && !n.starts_with('.')
        })
        .unwrap_or_else(|| format!("{clinic_code}.clinic-backup"))
}

impl AppCore {
    pub async fn download_backup(&self, passphrase: String) -> CommandResult<ExportedFile> {
        BackupPassphrase::parse(&passphrase).map_err(|e| CommandError::invalid(vec![e]))?;
        let (server, code) = self
            .with_session(|s| Ok((s.server.clone(), s.view.clinic_code.clone())))
            .await?;
        let (suggested, bytes) = server
            .post_for_file("/tenant/backup", &BackupRequest { passphrase })
            .await?;
        let saved = self.save_download(&safe_name(suggested, &code), &bytes, "backup")?;
        tracing::info!(bytes = bytes.len(), "clinic backup saved");
        Ok(saved)
    }

    /// A patient's record (or, without an id, every patient's) as a FHIR
    /// R4 Bundle from the server (doctors and admins; audited there).
    pub async fn export_fhir(&self, patient: Option<String>) -> CommandResult<ExportedFile> {
        let (server, code) = self
            .with_session(|s| Ok((s.server.clone(), s.view.clinic_code.clone())))
            .await?;
        let (path, name) = match &patient {
            Some(id) => {
                let id = super::errors::id_of(id, "patient")?;
                (
                    format!("/fhir/Patient/{id}/$everything"),
                    format!("patient-{}.fhir.json", id.simple()),
                )
            }
            None => (
                "/fhir/Patient/$everything".to_owned(),
                format!("{code}-all-patients.fhir.json"),
            ),
        };
        let (_, bytes) = server.get_file(&path).await?;
        self.save_download(&name, &bytes, "FHIR export")
    }

    fn save_download(&self, name: &str, bytes: &[u8], what: &str) -> CommandResult<ExportedFile> {
        let path = self.downloads.join(name);
        save_private(&path, bytes).map_err(|e| {
            CommandError::new(
                CommandCode::Internal,
                format!(
                    "The {what} could not be saved in {}: {e}",
                    self.downloads.display()
                ),
            )
        })?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes: bytes.len() as u64,
        })
    }
}

/// Written whole or not at all, readable by this user only.
fn save_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_suggested_names_are_used() {
        let ok = Some("SUNRISE-20261201-1200.clinic-backup".to_owned());
        assert_eq!(safe_name(ok, "X"), "SUNRISE-20261201-1200.clinic-backup");
        for bad in ["../../etc/passwd", ".hidden", "a/b", ""] {
            assert_eq!(
                safe_name(Some(bad.to_owned()), "SUN"),
                "SUN.clinic-backup",
                "{bad}"
            );
        }
        assert_eq!(safe_name(None, "SUN"), "SUN.clinic-backup");
    }
}
