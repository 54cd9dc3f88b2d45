//! Prescriptions, the medicine catalog and short keys, on this PC first.

use chrono::Local;
use contract::app::{CommandCode, CommandError, PatientRow};
use contract::screens::DoctorOption;
use contract::screens::catalog::{MedicineForm, MedicineRow, ShortKeyForm, ShortKeyRow};
use contract::screens::prescriptions::{
    ItemForm, MedicineAlert, MedicineFacts, PrescriptionForm, PrescriptionRow, PrescriptionView, alerts_for,
};
use domain::ValidationError;
use domain::clinical::numbering::Series;
use domain::clinical::prescription::{self, PrescriptionStatus};
use domain::clinical::short_key::ShortKeyCode;
use serde_json::json;

use super::clinical::fields_of;
use super::{AppCore, CommandResult, errors};
use crate::store::Store;
use crate::store::appointments::next_number;

/// The signed-in user's doctor record: only doctors prescribe and own keys.
fn me_as_doctor(store: &Store) -> CommandResult<DoctorOption> {
    store.my_doctor()?.ok_or_else(|| {
        CommandError::new(
            CommandCode::Forbidden,
            "Only a doctor can do this; sign in as the doctor.",
        )
    })
}

/// Alerts for every line of a form against the patient's allergies/notes.
fn alerts(store: &Store, form: &PrescriptionForm) -> CommandResult<Vec<MedicineAlert>> {
    match store.patient(form.patient_id.trim())? {
        Some(patient) => alerts_for_patient(store, form, &patient),
        None => Ok(Vec::new()),
    }
}

fn alerts_for_patient(
    store: &Store,
    form: &PrescriptionForm,
    patient: &PatientRow,
) -> CommandResult<Vec<MedicineAlert>> {
    let notes = patient.notes.clone().unwrap_or_default();
    let mut out = Vec::new();
    for (i, item) in form.items.iter().enumerate() {
        let found = match item.medicine_id.trim() {
            "" => None,
            id => store.medicine(id)?,
        };
        let no_contra = Vec::new();
        let facts = match &found {
            Some(m) => MedicineFacts {
                name: &m.name,
                generic_name: m.generic_name.as_deref(),
                composition: &m.composition,
                category: m.category.as_deref(),
                contraindications: &m.contraindications,
            },
            None => MedicineFacts {
                name: &item.medicine_name,
                generic_name: None,
                composition: &item.medicine_name,
                category: None,
                contraindications: &no_contra,
            },
        };
        out.extend(alerts_for(i, facts, &patient.allergies, &notes));
    }
    Ok(out)
}

/// A prescription with the patient and doctor records it names, each read
/// once (the detail page and printing both need them).
pub(super) struct Loaded {
    pub view: PrescriptionView,
    pub patient: Option<PatientRow>,
    pub doctor: Option<DoctorOption>,
}

pub(super) fn load(store: &Store, id: &str) -> CommandResult<Loaded> {
    let (form, meta) = store
        .prescription_form(id)?
        .ok_or_else(|| errors::not_found("prescription"))?;
    let patient = store.patient(&form.patient_id)?;
    let doctor = store.doctor(&meta.doctor_id)?;
    let amends_number = match &meta.amends_id {
        Some(a) => store.prescription_number(a)?,
        None => None,
    };
    let alerts = match &patient {
        Some(p) => alerts_for_patient(store, &form, p)?,
        None => Vec::new(),
    };
    let view = PrescriptionView {
        id: id.to_owned(),
        number: meta.number,
        status: meta.status,
        editable: meta.status.editable(),
        // Expiry follows the date alone, so nobody marks it by hand.
        next: meta
            .status
            .next()
            .iter()
            .copied()
            .filter(|s| *s != PrescriptionStatus::Expired)
            .collect(),
        alerts,
        patient_name: patient.as_ref().map(PatientRow::full_name).unwrap_or_default(),
        patient_allergies: patient.as_ref().map(|p| p.allergies.clone()).unwrap_or_default(),
        doctor_id: meta.doctor_id,
        doctor_name: doctor.as_ref().map(|d| d.name.clone()).unwrap_or_default(),
        licence_number: doctor.as_ref().and_then(|d| d.licence_number.clone()),
        valid_until: meta.valid_until,
        printed_at: meta.printed_at,
        amends_number,
        form,
    };
    Ok(Loaded {
        view,
        patient,
        doctor,
    })
}

impl AppCore {
    pub async fn search_medicines(&self, query: &str) -> CommandResult<Vec<MedicineRow>> {
        self.read(|store| store.search_medicines(query, 50)).await
    }

    /// Adds one of the clinic's own medicines (admins and doctors).
    pub async fn add_medicine(&self, form: MedicineForm) -> CommandResult<MedicineRow> {
        let fields = form
            .validate(self.money().await?)
            .map_err(CommandError::invalid)?;
        let id = self.write(|store| Ok(store.insert("medicines", fields)?)).await?;
        self.read(|store| store.medicine(&id.to_string()))
            .await?
            .ok_or_else(|| errors::not_found("medicine"))
    }

    pub async fn short_keys(&self) -> CommandResult<Vec<ShortKeyRow>> {
        self.read(|store| {
            let me = store.my_doctor()?.map(|d| d.id);
            store.short_keys(me.as_deref())
        })
        .await
    }

    /// Creates or changes a key with its lines, in one transaction.
    pub async fn save_short_key(&self, form: ShortKeyForm) -> CommandResult<ShortKeyRow> {
        let checked = form.validate().map_err(CommandError::invalid)?;
        let code = checked.code.as_str().to_owned();
        self.write(|store| {
            if store.short_key_code_taken(&code, form.id.as_deref())? {
                return Err(CommandError::invalid(vec![ValidationError::new(
                    "code",
                    format!("/{code} is already used in this clinic."),
                )]));
            }
            let owner = if form.private {
                Some(me_as_doctor(store)?.id)
            } else {
                None
            };
            let old_lines = match &form.id {
                Some(id) => store.short_key_line_ids(id)?,
                None => Vec::new(),
            };
            let mut key = checked.key.clone();
            key.insert("owner_doctor_id".into(), json!(owner));
            let mut writes = store.writes()?;
            let key_id = match &form.id {
                Some(id) => {
                    let id = errors::id_of(id, "short key")?;
                    writes.update("short_keys", id, key)?;
                    id
                }
                None => {
                    key.insert("usage_count".into(), json!(0));
                    writes.insert("short_keys", key)?
                }
            };
            for old in &old_lines {
                writes.delete("short_key_medicines", errors::id_of(old, "line")?)?;
            }
            for mut line in checked.lines.clone() {
                line.insert("short_key_id".into(), json!(key_id.to_string()));
                writes.insert("short_key_medicines", line)?;
            }
            Ok(writes.commit()?)
        })
        .await?;
        self.short_keys()
            .await?
            .into_iter()
            .find(|k| k.code == code)
            .ok_or_else(|| errors::not_found("short key"))
    }

    pub async fn delete_short_key(&self, id: &str) -> CommandResult<()> {
        let key = errors::id_of(id, "short key")?;
        self.write(|store| {
            let lines = store.short_key_line_ids(id)?;
            let mut writes = store.writes()?;
            for line in &lines {
                writes.delete("short_key_medicines", errors::id_of(line, "line")?)?;
            }
            writes.delete("short_keys", key)?;
            Ok(writes.commit()?)
        })
        .await
    }

    /// `/CODE` typed in the medicine box: the key's lines as items, and
    /// one more use counted.
    pub async fn expand_short_key(&self, code: &str) -> CommandResult<Vec<ItemForm>> {
        let code = ShortKeyCode::parse(code).map_err(|e| CommandError::invalid(vec![e]))?;
        let key = self
            .short_keys()
            .await?
            .into_iter()
            .find(|k| k.code == code.as_str())
            .ok_or_else(|| {
                CommandError::new(
                    CommandCode::NotFound,
                    format!("There is no short key /{}.", code.as_str()),
                )
            })?;
        let id = errors::id_of(&key.id, "short key")?;
        self.write(|store| {
            Ok(store.update(
                "short_keys",
                id,
                fields_of(&[("usage_count", json!(key.usage_count + 1))]),
            )?)
        })
        .await?;
        Ok(key
            .lines
            .into_iter()
            .map(|l| ItemForm {
                medicine_id: l.medicine_id,
                medicine_name: l.medicine_name,
                dosage: l.dosage,
                frequency: l.frequency,
                duration: l.duration,
                instructions: l.instructions,
                quantity: String::new(),
                generic_substitution_allowed: true,
            })
            .collect())
    }

    pub async fn prescriptions(&self, query: &str) -> CommandResult<Vec<PrescriptionRow>> {
        self.read(|store| store.search_prescriptions(query, 200)).await
    }

    pub async fn prescription(&self, id: &str) -> CommandResult<PrescriptionView> {
        self.read(|store| load(store, id).map(|l| l.view)).await
    }

    pub async fn prescription_alerts(&self, form: PrescriptionForm) -> CommandResult<Vec<MedicineAlert>> {
        self.read(|store| alerts(store, &form)).await
    }

    /// Saves a draft (new: numbered on this PC) or changes a draft/active
    /// one; its items are replaced in the same transaction.
    pub async fn save_prescription(&self, form: PrescriptionForm) -> CommandResult<PrescriptionView> {
        self.save_with(form, None).await
    }

    /// Saves; a new one may amend an issued prescription (`amends`).
    async fn save_with(
        &self,
        form: PrescriptionForm,
        amends: Option<String>,
    ) -> CommandResult<PrescriptionView> {
        let checked = form.validate().map_err(CommandError::invalid)?;
        let id = self
            .write(|store| {
                let doctor = me_as_doctor(store)?;
                store
                    .patient(&checked.patient_id.to_string())?
                    .ok_or_else(|| errors::not_found("patient"))?;
                let existing = match &form.id {
                    Some(id) => Some(
                        store
                            .prescription_form(id)?
                            .ok_or_else(|| errors::not_found("prescription"))?,
                    ),
                    None => None,
                };
                if let Some((_, meta)) = &existing
                    && !meta.status.editable()
                {
                    return Err(CommandError::new(
                        CommandCode::Conflict,
                        "This prescription is issued and cannot be changed. Amend it with a new one.",
                    ));
                }
                let old_items = match &form.id {
                    Some(id) => store.prescription_items(id)?,
                    None => Vec::new(),
                };
                let slot = store.number_slot()?;
                let items = store.priced_items(checked.items.clone())?;
                let mut fields = checked.fields.clone();
                fields.insert(
                    "valid_until".into(),
                    json!(prescription::valid_until(checked.visit_date).to_string()),
                );
                let mut writes = store.writes()?;
                let id = match &form.id {
                    Some(id) => {
                        let id = errors::id_of(id, "prescription")?;
                        writes.update("prescriptions", id, fields)?;
                        id
                    }
                    None => {
                        let today = Local::now().date_naive();
                        let number = next_number(writes.tx(), Series::Prescription, today, slot)?;
                        fields.insert("prescription_number".into(), json!(number));
                        fields.insert("doctor_id".into(), json!(doctor.id));
                        fields.insert("status".into(), json!("draft"));
                        fields.insert("amends_prescription_id".into(), json!(amends));
                        writes.insert("prescriptions", fields)?
                    }
                };
                for (old, _) in &old_items {
                    writes.delete("prescription_items", errors::id_of(old, "item")?)?;
                }
                for mut item in items {
                    item.insert("prescription_id".into(), json!(id.to_string()));
                    writes.insert("prescription_items", item)?;
                }
                writes.commit()?;
                Ok(id)
            })
            .await?;
        self.prescription(&id.to_string()).await
    }

    /// Moves a prescription along its status machine (draft -> active issues it).
    pub async fn set_prescription_status(
        &self,
        id: &str,
        to: PrescriptionStatus,
    ) -> CommandResult<PrescriptionView> {
        let uuid = errors::id_of(id, "prescription")?;
        self.write(|store| {
            let (_, meta) = store
                .prescription_form(id)?
                .ok_or_else(|| errors::not_found("prescription"))?;
            if to == PrescriptionStatus::Expired {
                return Err(CommandError::invalid(vec![ValidationError::new(
                    "status",
                    "A prescription expires by itself after its last valid day.",
                )]));
            }
            meta.status
                .transition(to)
                .map_err(|e| CommandError::new(CommandCode::ValidationFailed, e.message))?;
            let mut fields = fields_of(&[("status", json!(to.as_str()))]);
            if to == PrescriptionStatus::Active {
                // Issued or renewed today: valid for the next 30 days.
                let today = chrono::Local::now().date_naive();
                fields.insert(
                    "valid_until".into(),
                    json!(prescription::valid_until(today).to_string()),
                );
            }
            if meta.status == PrescriptionStatus::Draft && to == PrescriptionStatus::Active {
                fields.insert("issued_at".into(), json!(chrono::Utc::now().to_rfc3339()));
            }
            Ok(store.update("prescriptions", uuid, fields)?)
        })
        .await?;
        self.prescription(id).await
    }

    /// A new draft copying an issued prescription, marked as amending it.
    pub async fn amend_prescription(&self, id: &str) -> CommandResult<PrescriptionView> {
        let old = self.prescription(id).await?;
        let mut form = old.form.clone();
        form.id = None;
        form.visit_date = Local::now().date_naive().to_string();
        self.save_with(form, Some(old.id)).await
    }
}
