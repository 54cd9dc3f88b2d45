//! A referral bundle (another clinic's `$everything` of one patient) read
//! into a new patient's fields and read-only history records. Nothing here
//! touches the database; every refusal names what is wrong.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use domain::ValidationError;
use domain::patient::{BloodGroup, Gender};
use domain::phone::PhoneNumber;
use fhir_model::r4b::codes::{AdministrativeGender, ContactPointSystem, ContactPointUse};
use fhir_model::r4b::resources::{Bundle, Patient, Resource};
use serde_json::{Map, Value, json};

use super::parts::{fit, full_name, given_and_family};
use super::records::{self, Record};

/// At most this many entries in one referral.
pub const MAX_ENTRIES: usize = 5_000;
/// The LOINC code of a blood group observation.
const BLOOD_GROUP: &str = "882-1";

/// What a referral brings: the patient's fields (as a pushed insert would
/// carry them) and their history.
#[derive(Debug)]
pub struct Referral {
    pub patient: Map<String, Value>,
    pub records: Vec<Record>,
    /// Provenance of every record: which bundle, of when.
    pub source: String,
    /// Resource types not brought in, with how many of each.
    pub skipped: BTreeMap<String, u32>,
}

fn invalid(message: impl Into<String>) -> ValidationError {
    ValidationError::new("bundle", message)
}

/// Reads `bundle`, which must hold exactly one Patient.
pub fn read(bundle: &Bundle, today: NaiveDate) -> Result<Referral, ValidationError> {
    if bundle.entry.len() > MAX_ENTRIES {
        return Err(invalid(format!(
            "holds {} entries; a referral holds at most {MAX_ENTRIES}",
            bundle.entry.len()
        )));
    }
    let resources: Vec<(Option<&str>, &Resource)> = bundle
        .entry
        .iter()
        .flatten()
        .filter_map(|e| e.resource.as_ref().map(|r| (e.full_url.as_deref(), r)))
        .collect();
    let patients: Vec<&Patient> = resources
        .iter()
        .filter_map(|(_, r)| match r {
            Resource::Patient(p) => Some(p),
            _ => None,
        })
        .collect();
    let patient = match patients.as_slice() {
        [one] => *one,
        [] => {
            return Err(invalid(
                "holds no Patient: export one patient's record ($everything)",
            ));
        }
        many => {
            return Err(invalid(format!(
                "holds {} patients: a referral is one patient's record ($everything)",
                many.len()
            )));
        }
    };
    let names = names_by_reference(&resources);
    let mut fields = patient_fields(patient, today)?;
    let mut history = records::History::new(&names);
    let mut allergies: Vec<String> = Vec::new();
    let mut skipped: BTreeMap<String, u32> = BTreeMap::new();
    for (_, resource) in &resources {
        match resource {
            Resource::Patient(_) | Resource::Practitioner(_) | Resource::Medication(_) => {}
            Resource::Observation(o) if records::is_coded(&o.code, BLOOD_GROUP) => {
                match records::observed_text(o).as_deref().and_then(BloodGroup::parse) {
                    Some(group) => {
                        fields.insert("blood_group".into(), json!(group.as_str()));
                    }
                    None => history.observation(o),
                }
            }
            Resource::AllergyIntolerance(a) => {
                if let Some(substance) = a.code.as_ref().and_then(super::parts::concept) {
                    let substance = fit(&substance, 100);
                    if !allergies.iter().any(|s| s.eq_ignore_ascii_case(&substance)) {
                        allergies.push(substance);
                    }
                }
                history.allergy(a);
            }
            Resource::Appointment(a) => history.appointment(a),
            Resource::MedicationRequest(m) => history.medication(m),
            Resource::Observation(o) => history.observation(o),
            Resource::Procedure(p) => history.procedure(p),
            Resource::DocumentReference(d) => history.document(d),
            Resource::RelatedPerson(r) => history.family(r),
            other => *skipped.entry(other.resource_type().to_string()).or_default() += 1,
        }
    }
    fields.insert("allergies".into(), json!(allergies));
    let source = fit(
        &format!(
            "FHIR Bundle {} of {}",
            bundle.id.as_deref().unwrap_or("without id"),
            bundle
                .timestamp
                .as_ref()
                .map_or_else(|| "unknown date".to_owned(), |t| t.0.date().to_string())
        ),
        500,
    );
    domain::sync::validate::fields("patients", &fields, today)
        .map_err(|e| invalid(format!("the patient's {} {}", e.field, e.message)))?;
    Ok(Referral {
        patient: fields,
        records: history.into_records(),
        source,
        skipped,
    })
}

/// Display names of the people and medicines entries refer to, by the
/// references that reach them (`urn:uuid:…` and `Type/id`).
fn names_by_reference(resources: &[(Option<&str>, &Resource)]) -> HashMap<String, String> {
    let mut names = HashMap::new();
    for (full_url, resource) in resources {
        let (kind, id, name) = match resource {
            Resource::Practitioner(p) => ("Practitioner", p.id.clone(), full_name(&p.name)),
            Resource::Medication(m) => (
                "Medication",
                m.id.clone(),
                m.code.as_ref().and_then(super::parts::concept),
            ),
            _ => continue,
        };
        let Some(name) = name else { continue };
        if let Some(url) = full_url {
            names.insert((*url).to_owned(), name.clone());
        }
        if let Some(id) = id {
            names.insert(format!("{kind}/{id}"), name);
        }
    }
    names
}

fn patient_fields(p: &Patient, today: NaiveDate) -> Result<Map<String, Value>, ValidationError> {
    let (first, last) = given_and_family(&p.name).ok_or_else(|| invalid("the patient has no name"))?;
    let born = p
        .birth_date
        .as_ref()
        .and_then(super::parts::date)
        .ok_or_else(|| invalid("the patient has no date of birth"))?;
    let phones: Vec<_> = p
        .telecom
        .iter()
        .flatten()
        .filter(|t| t.system == Some(ContactPointSystem::Phone))
        .collect();
    let mobile = phones
        .iter()
        .find(|t| t.r#use == Some(ContactPointUse::Mobile))
        .or_else(|| phones.first())
        .and_then(|t| t.value.as_deref())
        .ok_or_else(|| invalid("the patient has no phone number"))?;
    let mobile =
        PhoneNumber::parse(mobile).map_err(|e| invalid(format!("the patient's phone {}", e.message)))?;
    let gender = match p.gender {
        Some(AdministrativeGender::Male) => Gender::Male,
        Some(AdministrativeGender::Female) => Gender::Female,
        Some(AdministrativeGender::Other) => Gender::Other,
        _ => Gender::Undisclosed,
    };
    let mut fields = Map::new();
    fields.insert("first_name".into(), json!(fit(&first, 120)));
    fields.insert("last_name".into(), json!(last.map(|l| fit(&l, 120))));
    fields.insert("mobile_number".into(), json!(mobile.as_str()));
    fields.insert("date_of_birth".into(), json!(born.min(today).to_string()));
    fields.insert("gender".into(), json!(gender.as_str()));
    fields.insert("relationship".into(), json!("self"));
    let email = p
        .telecom
        .iter()
        .flatten()
        .find(|t| t.system == Some(ContactPointSystem::Email))
        .and_then(|t| t.value.clone());
    fields.insert("email".into(), json!(email.map(|e| fit(&e, 254))));
    let address = p.address.iter().flatten().next().and_then(|a| {
        a.text.clone().or_else(|| {
            let mut parts: Vec<String> = a.line.iter().flatten().cloned().collect();
            parts.extend(a.city.clone());
            parts.extend(a.postal_code.clone());
            (!parts.is_empty()).then(|| parts.join(", "))
        })
    });
    fields.insert("address".into(), json!(address.map(|a| fit(&a, 500))));
    if let Some(contact) = records::emergency_contact(p) {
        fields.insert("emergency_contact".into(), contact);
    }
    Ok(fields)
}
