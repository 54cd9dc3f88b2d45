//! One read-only history record per clinical resource of a referral:
//! a kind, a day, a one-line title and the details, who did it, and the
//! resource it came from.

use std::collections::HashMap;

use chrono::NaiveDate;
use fhir_model::r4b::resources::{
    AllergyIntolerance, Appointment, DocumentReference, MedicationRequest, MedicationRequestMedication,
    Observation, ObservationEffective, ObservationValue, Patient, Procedure, ProcedurePerformed,
    RelatedPerson,
};
use fhir_model::r4b::types::{CodeableConcept, Reference};
use serde_json::{Value, json};

use super::parts::{concept, date, date_time, fit, full_name, instant_date, joined, notes};

/// A history record before it gets its id and provenance.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub kind: &'static str,
    pub occurred_on: Option<NaiveDate>,
    pub title: String,
    pub detail: Option<String>,
    pub author: Option<String>,
    /// The resource in the sending system (`Type/id`).
    pub source_ref: Option<String>,
}

/// Collects records, naming people and medicines by the bundle's entries.
pub struct History<'a> {
    names: &'a HashMap<String, String>,
    records: Vec<Record>,
}

impl<'a> History<'a> {
    pub fn new(names: &'a HashMap<String, String>) -> Self {
        Self {
            names,
            records: Vec::new(),
        }
    }

    /// The records, oldest first (undated ones last).
    pub fn into_records(mut self) -> Vec<Record> {
        self.records
            .sort_by_key(|r| (r.occurred_on.is_none(), r.occurred_on, r.kind));
        self.records
    }

    fn name_of(&self, r: Option<&Reference>) -> Option<String> {
        let r = r?;
        r.reference
            .as_ref()
            .and_then(|key| self.names.get(key).cloned())
            .or_else(|| r.display.clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: &'static str,
        occurred_on: Option<NaiveDate>,
        title: Option<String>,
        detail: Option<String>,
        author: Option<String>,
        resource: (&str, Option<&String>),
    ) {
        let title = title.unwrap_or_else(|| kind.to_owned());
        self.records.push(Record {
            kind,
            occurred_on,
            title: fit(&title, 500),
            detail: detail.map(|d| fit(&d, 5000)),
            author: author.map(|a| fit(&a, 200)),
            source_ref: resource.1.map(|id| fit(&format!("{}/{id}", resource.0), 500)),
        });
    }

    pub fn appointment(&mut self, a: &Appointment) {
        let doctor = a
            .participant
            .iter()
            .flatten()
            .filter_map(|p| p.actor.as_ref())
            .find(|r| {
                r.r#type.as_deref() == Some("Practitioner")
                    || r.reference
                        .as_deref()
                        .is_some_and(|s| s.starts_with("Practitioner/"))
            });
        let title = joined(&[Some("Appointment".into()), a.description.clone()]);
        let detail = joined(&[Some(format!("Status: {}", a.status)), a.comment.clone()]);
        let author = self.name_of(doctor);
        self.push(
            "appointment",
            a.start.as_ref().and_then(instant_date),
            title,
            detail,
            author,
            ("Appointment", a.id.as_ref()),
        );
    }

    pub fn medication(&mut self, m: &MedicationRequest) {
        let medicine = match &m.medication {
            MedicationRequestMedication::CodeableConcept(c) => concept(c),
            MedicationRequestMedication::Reference(r) => self.name_of(Some(r)),
        };
        let dosage = m
            .dosage_instruction
            .iter()
            .flatten()
            .filter_map(|d| d.text.clone())
            .collect::<Vec<_>>()
            .join("; ");
        let reasons = codes(&m.reason_code);
        let prescription = m.group_identifier.as_ref().and_then(|i| i.value.clone());
        let detail = joined(&[
            (!dosage.is_empty()).then_some(dosage),
            reasons.map(|r| format!("For: {r}")),
            notes(&m.note),
            prescription.map(|p| format!("Prescription {p}")),
            Some(format!("Status: {}", m.status)),
        ]);
        let author = self.name_of(m.requester.as_ref());
        self.push(
            "medication",
            m.authored_on.as_ref().and_then(date_time),
            medicine,
            detail,
            author,
            ("MedicationRequest", m.id.as_ref()),
        );
    }

    pub fn allergy(&mut self, a: &AllergyIntolerance) {
        let substance = a.code.as_ref().and_then(concept);
        let status = a.clinical_status.as_ref().and_then(concept);
        let author = self.name_of(a.recorder.as_ref());
        self.push(
            "allergy",
            a.recorded_date.as_ref().and_then(date_time),
            substance.map(|s| format!("Allergy: {s}")),
            joined(&[status.map(|s| format!("Status: {s}")), notes(&a.note)]),
            author,
            ("AllergyIntolerance", a.id.as_ref()),
        );
    }

    pub fn observation(&mut self, o: &Observation) {
        let site = o.body_site.as_ref().and_then(concept);
        let on = match &o.effective {
            Some(ObservationEffective::DateTime(at)) => date_time(at),
            Some(ObservationEffective::Instant(at)) => instant_date(at),
            _ => o.issued.as_ref().and_then(instant_date),
        };
        let author = self.name_of(o.performer.iter().flatten().next());
        self.push(
            "observation",
            on,
            joined(&[concept(&o.code), site]),
            joined(&[observed_text(o), notes(&o.note)]),
            author,
            ("Observation", o.id.as_ref()),
        );
    }

    pub fn procedure(&mut self, p: &Procedure) {
        let code = p.code.as_ref().map(|c| {
            let words = concept(c).unwrap_or_default();
            match c.coding.iter().flatten().find_map(|k| k.code.clone()) {
                Some(code) if !words.contains(&code) => format!("{words} ({code})"),
                _ => words,
            }
        });
        let on = match &p.performed {
            Some(ProcedurePerformed::DateTime(at)) => date_time(at),
            _ => None,
        };
        let author = self.name_of(p.performer.iter().flatten().map(|x| &x.actor).next());
        self.push(
            "procedure",
            on,
            joined(&[code, codes(&p.body_site)]),
            joined(&[Some(format!("Status: {}", p.status)), notes(&p.note)]),
            author,
            ("Procedure", p.id.as_ref()),
        );
    }

    pub fn document(&mut self, d: &DocumentReference) {
        let file = d.content.iter().flatten().next().map(|c| &c.attachment);
        let title = joined(&[
            d.r#type.as_ref().and_then(concept),
            file.and_then(|f| f.title.clone()),
        ]);
        let kept_elsewhere = file.map(|f| {
            let kind = f.content_type.clone().unwrap_or_else(|| "file".into());
            match f.size {
                Some(size) => format!("{kind}, {size} bytes, kept by the sending clinic"),
                None => format!("{kind}, kept by the sending clinic"),
            }
        });
        self.push(
            "document",
            d.date.as_ref().and_then(instant_date),
            title,
            joined(&[d.description.clone(), kept_elsewhere]),
            None,
            ("DocumentReference", d.id.as_ref()),
        );
    }

    pub fn family(&mut self, r: &RelatedPerson) {
        let relation = codes(&r.relationship);
        let phone = r.telecom.iter().flatten().find_map(|t| t.value.clone());
        let born = r.birth_date.as_ref().and_then(date).map(|d| format!("born {d}"));
        self.push(
            "family",
            None,
            joined(&[full_name(&r.name), relation]).map(|t| format!("Family: {t}")),
            joined(&[phone, born]),
            None,
            ("RelatedPerson", r.id.as_ref()),
        );
    }
}

fn codes(concepts: &[Option<CodeableConcept>]) -> Option<String> {
    let words: Vec<String> = concepts.iter().flatten().filter_map(concept).collect();
    (!words.is_empty()).then(|| words.join(", "))
}

/// Whether `c` carries `code` (of any system).
pub fn is_coded(c: &CodeableConcept, code: &str) -> bool {
    c.coding.iter().flatten().any(|k| k.code.as_deref() == Some(code))
}

/// An observation's value in words.
pub fn observed_text(o: &Observation) -> Option<String> {
    match o.value.as_ref()? {
        ObservationValue::String(s) => Some(s.clone()),
        ObservationValue::CodeableConcept(c) => concept(c),
        ObservationValue::Boolean(b) => Some(if *b { "yes" } else { "no" }.to_owned()),
        ObservationValue::Integer(n) => Some(n.to_string()),
        ObservationValue::Quantity(q) => {
            let value = q.value.map(|v| v.to_string());
            joined(&[value, q.unit.clone()]).map(|s| s.replace(" · ", " "))
        }
        _ => None,
    }
}

/// The patient's emergency contact (relationship code "C"), as the
/// clinic stores it.
pub fn emergency_contact(p: &Patient) -> Option<Value> {
    let contact = p
        .contact
        .iter()
        .flatten()
        .find(|c| c.relationship.iter().flatten().any(|r| is_coded(r, "C")))?;
    let name = contact
        .name
        .as_ref()
        .and_then(|n| full_name(std::slice::from_ref(&Some(n.clone()))))?;
    let phone = contact.telecom.iter().flatten().find_map(|t| t.value.clone());
    Some(json!({"name": fit(&name, 120), "phone": phone.map(|p| fit(&p, 20))}))
}
