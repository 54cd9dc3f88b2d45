//! FHIR R4 (R4B models) export: one patient's record, or the whole
//! clinic's, as a Bundle of Patient, RelatedPerson, Practitioner,
//! Appointment, MedicationRequest + Medication, AllergyIntolerance,
//! Observation, Procedure and DocumentReference resources.

mod build;
pub mod referral;
mod resources;

use std::collections::BTreeSet;

use fhir_model::BuilderError;
use fhir_model::r4b::codes::BundleType;
use fhir_model::r4b::resources::{Bundle, BundleEntry, Resource};
use uuid::Uuid;

use build::derived_id;

use crate::db::fhir::{PatientRow, Records};
use crate::db::{self, Tx};

/// `patient`'s `$everything` (with their family as RelatedPerson), or the
/// whole clinic's when `None`; `None` back when no such patient exists.
pub async fn everything(tx: &mut Tx, patient: Option<Uuid>) -> anyhow::Result<Option<Bundle>> {
    let records = db::fhir::records(tx, patient).await?;
    if patient.is_some_and(|id| !records.patients.iter().any(|p| p.id == id)) {
        return Ok(None);
    }
    Ok(Some(bundle(&records, patient)?))
}

/// The resources of `records`, each once, in a searchset Bundle.
pub fn bundle(records: &Records, focus: Option<Uuid>) -> Result<Bundle, BuilderError> {
    let in_scope: Vec<&PatientRow> = records
        .patients
        .iter()
        .filter(|p| focus.is_none_or(|id| p.id == id))
        .collect();
    let mut resources: Vec<(Uuid, Resource)> = Vec::new();
    for p in &in_scope {
        resources.push((p.id, resources::patient(p)?.into()));
        for member in records
            .patients
            .iter()
            .filter(|m| m.mobile_number == p.mobile_number && m.id != p.id)
        {
            let related = resources::related_person(member, p)?;
            resources.push((derived_id(p.id, member.id.as_bytes()), related.into()));
        }
        for substance in &p.allergies {
            resources.push((
                derived_id(p.id, substance.as_bytes()),
                resources::allergy(p, substance)?.into(),
            ));
        }
        if let Some(group) = p.blood_group.as_deref().filter(|g| *g != "unknown") {
            resources.push((
                derived_id(p.id, b"blood-group"),
                resources::blood_group(p, group)?.into(),
            ));
        }
    }
    let mut doctors = BTreeSet::new();
    for a in &records.appointments {
        doctors.insert(a.doctor_id);
        resources.push((a.id, resources::appointment(a)?.into()));
    }
    let mut medications = BTreeSet::new();
    for item in &records.items {
        doctors.insert(item.doctor_id);
        if medications.insert(resources::medication_id(item)) {
            resources.push((
                resources::medication_id(item),
                resources::medication(item)?.into(),
            ));
        }
        resources.push((item.id, resources::medication_request(item)?.into()));
    }
    for o in &records.observations {
        doctors.insert(o.doctor_id);
        resources.push((o.id, resources::dental_observation(o)?.into()));
    }
    for p in &records.procedures {
        doctors.insert(p.doctor_id);
        resources.push((p.id, resources::dental_procedure(p)?.into()));
    }
    for a in &records.attachments {
        resources.push((a.id, resources::attachment(a)?.into()));
    }
    for d in records.doctors.iter().filter(|d| doctors.contains(&d.id)) {
        resources.push((d.id, resources::practitioner(d)?.into()));
    }
    let total = u32::try_from(resources.len()).unwrap_or(u32::MAX);
    let entries = resources
        .into_iter()
        .map(|(id, resource)| {
            BundleEntry::builder()
                .full_url(build::full_url(id))
                .resource(resource)
                .build()
                .map(Some)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Bundle::builder()
        .id(Uuid::now_v7().to_string())
        .r#type(BundleType::Searchset)
        .timestamp(build::instant(chrono::Utc::now()))
        .total(total)
        .entry(entries)
        .build()
}
