//! Print layouts, the print preview and the PDF of a prescription. The
//! preview and the PDF draw the same laid-out page, so what the doctor sees
//! is what prints. Printing and exporting are recorded for the audit trail.

use chrono::{Datelike, Local, NaiveDate};
use contract::app::{CommandCode, CommandError};
use contract::print::{PageDoc, PrintData, PrintItem, PrintLayout, PrintPatient, choose};
use contract::screens::ExportedFile;
use contract::screens::prescriptions::PrescriptionView;
use domain::api::AuditAction;
use domain::api::TenantOverview;
use domain::clinical::dosage::DailyPattern;
use domain::date::{self, DateStyle};
use domain::tenant::TenantSettings;
use serde_json::json;

use super::clinical::fields_of;
use super::prescribing::{Loaded, load};
use super::session::date_style_of;
use super::{AppCore, CommandResult, errors};

use crate::store::Store;

const CLINIC_SETTINGS_KEY: &str = "clinic_settings";
/// The fingerprint of the logo kept with the settings ("" for none).
const LOGO_FINGERPRINT_KEY: &str = "clinic_logo_fingerprint";

fn age_on(dob: &str, today: NaiveDate) -> Option<String> {
    let dob = NaiveDate::parse_from_str(dob, "%Y-%m-%d").ok()?;
    let mut years = today.year() - dob.year();
    if (today.month(), today.day()) < (dob.month(), dob.day()) {
        years -= 1;
    }
    Some(format!("{years} y"))
}

/// `1-0-1` printed with its words: "1-0-1 (morning, night)".
fn frequency_words(raw: &str) -> String {
    match DailyPattern::parse(raw) {
        Some(p) => format!("{raw} ({})", p.describe()),
        None => raw.to_owned(),
    }
}

fn layouts(store: &Store) -> CommandResult<Vec<PrintLayout>> {
    Ok(store
        .list("print_layouts", 500)?
        .iter()
        .filter_map(PrintLayout::from_row)
        .collect())
}

/// A stored date as printed: the clinic's long form (`1 Dec 2026`,
/// `Dec 1, 2026`), which cannot be misread whoever holds the paper.
fn printed_date(raw: &str, style: DateStyle) -> String {
    date::reformat(raw, style, date::format_long)
}

/// Everything printed, formatted for people.
/// The clinic's letterhead from its settings (the registered name when
/// the settings give none), for prescriptions and receipts alike.
pub(crate) struct Letterhead {
    pub name: String,
    pub address: String,
    pub phone: Option<String>,
    pub logo: Option<String>,
}

impl Letterhead {
    pub(crate) fn of(clinic: &TenantSettings, registered_name: &str) -> Self {
        Self {
            name: clinic
                .clinic_name
                .clone()
                .unwrap_or_else(|| registered_name.to_owned()),
            address: clinic.address.clone().unwrap_or_default(),
            phone: clinic.phone.clone(),
            logo: clinic.logo.clone(),
        }
    }
}

fn print_data(loaded: &Loaded, clinic: &TenantSettings, clinic_name: &str) -> PrintData {
    let Loaded {
        view: rx,
        patient,
        doctor,
    } = loaded;
    let now = Local::now().naive_local();
    let today = now.date();
    let style = date_style_of(clinic);
    let head = Letterhead::of(clinic, clinic_name);
    PrintData {
        clinic_name: head.name,
        clinic_address: head.address,
        clinic_phone: head.phone,
        logo: head.logo,
        doctor_name: rx.doctor_name.clone(),
        doctor_qualification: doctor.as_ref().and_then(|d| d.qualification.clone()),
        doctor_specialization: doctor.as_ref().and_then(|d| d.specialization.clone()),
        licence_number: rx.licence_number.clone(),
        office_name: doctor
            .as_ref()
            .map(|d| d.office_name(&rx.form.office_id))
            .unwrap_or_else(|| rx.form.office_id.clone()),
        prescription_number: rx.number.clone(),
        visit_date: printed_date(&rx.form.visit_date, style),
        valid_until: printed_date(&rx.valid_until, style),
        patient: PrintPatient {
            name: rx.patient_name.clone(),
            age: patient.as_ref().and_then(|p| age_on(&p.date_of_birth, today)),
            gender: patient.as_ref().map(|p| p.gender.clone()).unwrap_or_default(),
            mobile: patient
                .as_ref()
                .map(|p| p.mobile_number.clone())
                .unwrap_or_default(),
            blood_group: patient.as_ref().and_then(|p| p.blood_group.clone()),
            allergies: rx.patient_allergies.clone(),
        },
        chief_complaint: Some(rx.form.chief_complaint.clone()).filter(|c| !c.trim().is_empty()),
        diagnosis: rx.form.diagnosis.clone(),
        items: rx
            .form
            .items
            .iter()
            .map(|i| PrintItem {
                medicine: i.medicine_name.clone(),
                dosage: i.dosage.clone(),
                frequency: frequency_words(&i.frequency),
                duration: i.duration.clone(),
                quantity: i.quantity.trim().parse().ok(),
                instructions: Some(i.instructions.clone()).filter(|s| !s.trim().is_empty()),
            })
            .collect(),
        general_instructions: Some(rx.form.general_instructions.clone()).filter(|s| !s.trim().is_empty()),
        follow_up_date: Some(rx.form.follow_up_date.as_str())
            .filter(|s| !s.trim().is_empty())
            .map(|d| printed_date(d, style)),
        printed_at: date::format_date_time(now, style),
        status: rx.status.as_str().to_owned(),
    }
}

impl AppCore {
    pub async fn print_layouts(&self) -> CommandResult<Vec<PrintLayout>> {
        self.read(layouts).await
    }

    /// Creates (no id) or changes a layout; synced like every record.
    pub async fn save_print_layout(&self, layout: PrintLayout) -> CommandResult<PrintLayout> {
        let layout = layout.validate().map_err(CommandError::invalid)?;
        let fields = layout.to_fields();
        let id = self
            .write(|store| match &layout.id {
                Some(id) => {
                    let uuid = errors::id_of(id, "layout")?;
                    store.update("print_layouts", uuid, fields)?;
                    Ok(uuid)
                }
                None => Ok(store.insert("print_layouts", fields)?),
            })
            .await?;
        Ok(PrintLayout {
            id: Some(id.to_string()),
            ..layout
        })
    }

    /// The clinic's settings as last seen online (printing works offline).
    pub(crate) fn cached_clinic_settings(&self, tenant: &str) -> CommandResult<TenantSettings> {
        let raw = self
            .registry()?
            .setting(&format!("{CLINIC_SETTINGS_KEY}:{tenant}"))?;
        Ok(raw
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default())
    }

    fn store_clinic_settings(&self, tenant: &str, settings: &TenantSettings) -> CommandResult<()> {
        let text = serde_json::to_string(settings)
            .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))?;
        Ok(self
            .registry()?
            .set_setting(&format!("{CLINIC_SETTINGS_KEY}:{tenant}"), &text)?)
    }

    /// Keeps the settings of an overview that carries the logo.
    pub(crate) fn cache_clinic_settings(&self, tenant: &str, overview: &TenantOverview) -> CommandResult<()> {
        self.store_clinic_settings(tenant, &overview.settings)?;
        let fingerprint = overview.logo_fingerprint.as_deref().unwrap_or_default();
        Ok(self
            .registry()?
            .set_setting(&format!("{LOGO_FINGERPRINT_KEY}:{tenant}"), fingerprint)?)
    }

    /// Keeps settings that come without the logo (a sign-in's answer, a
    /// refresh whose fingerprint matches), with the logo this PC has.
    pub(crate) fn cache_settings_keeping_logo(
        &self,
        tenant: &str,
        settings: &TenantSettings,
    ) -> CommandResult<()> {
        let logo = self.cached_clinic_settings(tenant)?.logo;
        self.store_clinic_settings(
            tenant,
            &TenantSettings {
                logo,
                ..settings.clone()
            },
        )
    }

    /// Keeps the settings of an overview asked for without the logo: the
    /// logo this PC has stays while its fingerprint matches, else the
    /// settings are fetched once more with it.
    pub(crate) async fn refresh_clinic_settings(
        &self,
        server: &crate::http::ServerClient,
        tenant: &str,
        overview: &TenantOverview,
    ) -> CommandResult<()> {
        let kept = self
            .registry()?
            .setting(&format!("{LOGO_FINGERPRINT_KEY}:{tenant}"))?;
        let current = overview.logo_fingerprint.as_deref().unwrap_or_default();
        if kept.as_deref() == Some(current) {
            return self.cache_settings_keeping_logo(tenant, &overview.settings);
        }
        let full: TenantOverview = server.get("/tenant").await?;
        self.cache_clinic_settings(tenant, &full)
    }

    /// A prescription (with its patient and doctor) and the layout chosen
    /// for its doctor and office, read in one go.
    async fn with_layout(&self, id: &str) -> CommandResult<(Loaded, PrintLayout)> {
        self.read(|store| {
            let loaded = load(store, id)?;
            let layout = choose(
                &layouts(store)?,
                &loaded.view.doctor_id,
                &loaded.view.form.office_id,
            );
            Ok::<_, CommandError>((loaded, layout))
        })
        .await
    }

    /// The laid-out pages of a prescription with its chosen layout.
    async fn laid_out(&self, id: &str) -> CommandResult<(PrescriptionView, PrintLayout, PageDoc)> {
        let (loaded, layout) = self.with_layout(id).await?;
        let (tenant, clinic_name) = self
            .with_session(|s| Ok((s.view.tenant_id.clone(), s.view.clinic_name.clone())))
            .await?;
        let clinic = self.cached_clinic_settings(&tenant)?;
        let doc = printing::layout(&print_data(&loaded, &clinic, &clinic_name), &layout);
        Ok((loaded.view, layout, doc))
    }

    pub async fn print_preview(&self, id: &str) -> CommandResult<PageDoc> {
        Ok(self.laid_out(id).await?.2)
    }

    /// Records that the prescription was printed (when, with which layout).
    pub async fn print_prescription(&self, id: &str) -> CommandResult<PrescriptionView> {
        // The preview on screen is what prints; only the layout is needed here.
        let (loaded, layout) = self.with_layout(id).await?;
        self.note_printed(&loaded.view, &layout, AuditAction::Print)
            .await?;
        self.prescription(id).await
    }

    /// Writes the prescription's PDF under the data directory's `exports`,
    /// in the clinic's own folder.
    pub async fn export_prescription_pdf(&self, id: &str) -> CommandResult<ExportedFile> {
        let (rx, layout, doc) = self.laid_out(id).await?;
        let pdf = printing::to_pdf(&doc, &format!("Prescription {}", rx.number)).map_err(|e| {
            CommandError::new(CommandCode::Internal, format!("The PDF could not be made: {e}"))
        })?;
        let tenant = self.with_session(|s| Ok(s.view.tenant_id.clone())).await?;
        let tenant = domain::ids::TenantId::parse(&tenant)
            .map_err(|e| CommandError::new(CommandCode::Internal, e.to_string()))?;
        let dir = super::removal::exports_dir(&self.data_dir, tenant);
        let path = dir.join(format!("{}.pdf", rx.number));
        std::fs::create_dir_all(&dir)
            .and_then(|()| std::fs::write(&path, &pdf))
            .map_err(|e| {
                CommandError::new(CommandCode::Internal, format!("The PDF could not be saved: {e}"))
            })?;
        self.note_printed(&rx, &layout, AuditAction::Export).await?;
        Ok(ExportedFile {
            path: path.display().to_string(),
            bytes: pdf.len() as u64,
        })
    }

    /// printed_at and the layout go on the prescription (a synced write that
    /// the server allows on issued ones); the act goes to the audit trail.
    async fn note_printed(
        &self,
        rx: &PrescriptionView,
        layout: &PrintLayout,
        action: AuditAction,
    ) -> CommandResult<()> {
        let uuid = errors::id_of(&rx.id, "prescription")?;
        let fields = fields_of(&[
            ("printed_at", json!(chrono::Utc::now().to_rfc3339())),
            ("print_layout_id", json!(layout.id)),
        ]);
        self.write(|store| Ok(store.update("prescriptions", uuid, fields)?))
            .await?;
        let details = json!({"number": rx.number, "layout": layout.name, "preset": layout.preset});
        self.audit(action, "prescriptions", Some(&rx.id), details).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(code: &str) -> TenantSettings {
        TenantSettings {
            default_country_calling_code: Some(code.to_owned()),
            ..TenantSettings::default()
        }
    }

    #[test]
    fn prints_dates_in_the_clinic_style() {
        let india = date_style_of(&settings("91"));
        let usa = date_style_of(&settings("1"));
        assert_eq!(printed_date("2026-12-01", india), "1 Dec 2026");
        assert_eq!(printed_date("2026-12-01", usa), "Dec 1, 2026");
        assert_eq!(
            date_style_of(&TenantSettings::default()),
            DateStyle::DayMonthYear,
            "a clinic without a country prints day first"
        );
        assert_eq!(printed_date("not a date", india), "not a date");
    }
}
