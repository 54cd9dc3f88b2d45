//! Importing patients from a spreadsheet: open the file (kept in memory
//! for this sign-in), map its columns, check every row (a dry run that
//! writes nothing), then import the accepted rows in one transaction:
//! all of them or, on any failure, none.

mod check;
mod referral;
pub mod sheet;

use base64::Engine;
use contract::app::{CommandCode, CommandError};
use contract::screens::import::{
    ColumnMapping, ImportDone, ImportFile, ImportReport, ImportRequest, ImportSheet, guess_mapping,
};

use super::{AppCore, CommandResult};
pub use check::{Checked, check_rows};

/// The largest file the window may hand over (about 100,000 rows of CSV).
const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
/// Rows shown on the mapping screen.
const SAMPLE_ROWS: usize = 5;

/// The file being imported on this PC.
#[derive(Debug, Clone)]
pub(crate) struct OpenImport {
    id: String,
    file_name: String,
    sheet: sheet::Sheet,
}

fn invalid(message: impl Into<String>) -> CommandError {
    CommandError::new(CommandCode::ValidationFailed, message)
}

/// A file's bytes as the window sent them (base64), refused with
/// `too_large` past `max` bytes.
fn decoded(base64: &str, max: usize, too_large: &str) -> CommandResult<Vec<u8>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.as_bytes())
        .map_err(|_| invalid("The file did not arrive whole; choose it again."))?;
    if bytes.len() > max {
        return Err(invalid(too_large));
    }
    Ok(bytes)
}

impl AppCore {
    /// Reads the file and guesses which column is which.
    pub async fn import_open(&self, file: ImportFile) -> CommandResult<ImportSheet> {
        let bytes = decoded(
            &file.base64,
            MAX_FILE_BYTES,
            "The file is larger than 20 MB: split it and import the parts.",
        )?;
        let sheet = sheet::read(&file.name, &bytes).map_err(|e| invalid(e.to_string()))?;
        let opened = ImportSheet {
            id: uuid::Uuid::now_v7().to_string(),
            file_name: file.name.clone(),
            headers: sheet.headers.clone(),
            rows: sheet.rows.len(),
            mapping: guess_mapping(&sheet.headers, file.date_style),
            sample: sheet.rows.iter().take(SAMPLE_ROWS).cloned().collect(),
        };
        let open = OpenImport {
            id: opened.id.clone(),
            file_name: file.name,
            sheet,
        };
        self.with_session(|s| {
            *slot(s)? = Some(open);
            Ok(())
        })
        .await?;
        Ok(opened)
    }

    /// The dry run: every row checked, nothing written.
    pub async fn import_check(&self, request: ImportRequest) -> CommandResult<ImportReport> {
        Ok(self.checked(&request).await?.report)
    }

    /// Imports the rows the dry run accepted, in one transaction, and
    /// forgets the file.
    pub async fn import_commit(&self, request: ImportRequest) -> CommandResult<ImportDone> {
        let checked = self.checked(&request).await?;
        // The plan's limit as the server says now (as last seen, offline).
        let limit = self
            .subscription()
            .await?
            .map(|v| v.max_patients)
            .filter(|max| *max >= 0);
        let imported = checked.accepted.len();
        self.with_session(|s| {
            let mut store = s.engine.store()?;
            if let Some(max) = limit {
                let after = store.count("patients")? + imported as i64;
                if after > max {
                    return Err(CommandError::new(
                        CommandCode::PlanLimitReached,
                        format!(
                            "Your plan allows {max} patients; this import would make {after}. Import fewer rows or upgrade the plan."
                        ),
                    ));
                }
            }
            let mut writes = store.writes()?;
            for row in checked.accepted {
                writes.insert("patients", row.fields)?;
            }
            writes.commit()?;
            drop(store);
            s.engine.local_change();
            *slot(s)? = None;
            Ok(())
        })
        .await?;
        tracing::info!(
            imported,
            skipped = checked.report.rejected.len(),
            "patients imported"
        );
        Ok(ImportDone {
            imported,
            skipped: checked.report.rejected.len(),
        })
    }

    async fn checked(&self, request: &ImportRequest) -> CommandResult<Checked> {
        let (open, existing, tenant) = self
            .with_session(|s| {
                let open = slot(s)?.clone().filter(|o| o.id == request.id).ok_or_else(|| {
                    CommandError::new(
                        CommandCode::NotFound,
                        "Choose the file again: it is no longer open.",
                    )
                })?;
                Ok((
                    open,
                    s.engine.store()?.patient_identities()?,
                    s.view.tenant_id.clone(),
                ))
            })
            .await?;
        check_mapping(&request.mapping, open.sheet.headers.len())?;
        let today = chrono::Local::now().date_naive();
        tracing::debug!(file = %open.file_name, rows = open.sheet.rows.len(), "import checked");
        let calling_code = self.clinic_calling_code(&tenant);
        Ok(check_rows(
            &open.sheet.rows,
            &request.mapping,
            &existing,
            today,
            calling_code.as_deref(),
        ))
    }
}

fn slot(session: &super::Session) -> CommandResult<std::sync::MutexGuard<'_, Option<OpenImport>>> {
    session
        .import
        .lock()
        .map_err(|_| CommandError::new(CommandCode::Internal, "the import is unavailable"))
}

fn check_mapping(mapping: &ColumnMapping, columns: usize) -> CommandResult<()> {
    if mapping.columns.len() != columns {
        return Err(invalid(
            "The mapping does not match the file's columns; choose the file again.",
        ));
    }
    mapping.check().map_err(CommandError::invalid)
}
