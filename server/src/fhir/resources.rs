//! The clinic's records as FHIR R4B resources (fhir-model's typed models,
//! never hand-written JSON). Each function maps one row.

use fhir_model::BuilderError;
use fhir_model::r4b::codes::{
    AdministrativeGender, AppointmentStatus, ContactPointSystem, ContactPointUse, DocumentReferenceStatus,
    EventStatus, ObservationStatus, ParticipationStatus,
};
use fhir_model::r4b::resources::{
    AllergyIntolerance, Appointment, AppointmentParticipant, DocumentReference, DocumentReferenceContent,
    Medication, MedicationRequest, MedicationRequestMedication, Observation, ObservationEffective,
    ObservationValue, Patient, PatientContact, Practitioner, PractitionerQualification, Procedure,
    ProcedurePerformed, ProcedurePerformer, RelatedPerson,
};
use fhir_model::r4b::types::{Annotation, Attachment, ContactPoint, Dosage, HumanName, Identifier};
use fhir_model::{DateTime, Instant};
use uuid::Uuid;

use super::build::{LOINC, RECORD_ID_SYSTEM, coded, date, derived_id, instant, reference, text, tooth};
use crate::db::fhir::{
    AppointmentRow, AttachmentRow, DentalObservationRow, DentalProcedureRow, DoctorRow, PatientRow,
    PrescriptionItemRow,
};

type Built<T> = Result<T, BuilderError>;

fn record_id(id: Uuid) -> Built<Identifier> {
    Identifier::builder()
        .system(RECORD_ID_SYSTEM.to_owned())
        .value(id.to_string())
        .build()
}

fn name(given: &str, family: Option<&str>) -> Built<HumanName> {
    let full = match family {
        Some(f) if !f.is_empty() => format!("{given} {f}"),
        _ => given.to_owned(),
    };
    let builder = HumanName::builder()
        .given(vec![Some(given.to_owned())])
        .text(full);
    // FHIR strings are never empty: no family name, no element.
    match family.filter(|f| !f.is_empty()) {
        Some(f) => builder.family(f.to_owned()).build(),
        None => builder.build(),
    }
}

fn phone(number: &str) -> Built<ContactPoint> {
    ContactPoint::builder()
        .system(ContactPointSystem::Phone)
        .value(number.to_owned())
        .r#use(ContactPointUse::Mobile)
        .build()
}

fn gender(stored: &str) -> AdministrativeGender {
    match stored {
        "male" => AdministrativeGender::Male,
        "female" => AdministrativeGender::Female,
        "other" => AdministrativeGender::Other,
        _ => AdministrativeGender::Unknown,
    }
}

fn note(words: &str) -> Built<Annotation> {
    Annotation::builder().text(words.to_owned()).build()
}

pub fn patient(p: &PatientRow) -> Built<Patient> {
    let mut telecom = vec![Some(phone(&p.mobile_number)?)];
    if let Some(email) = &p.email {
        telecom.push(Some(
            ContactPoint::builder()
                .system(ContactPointSystem::Email)
                .value(email.clone())
                .build()?,
        ));
    }
    let mut contact = Vec::new();
    if let Some(emergency) = &p.emergency_contact
        && let Some(who) = emergency.get("name").and_then(|v| v.as_str())
    {
        let mut c = PatientContact::builder()
            .relationship(vec![Some(coded(
                "http://terminology.hl7.org/CodeSystem/v2-0131",
                "C",
                "Emergency Contact",
            )?)])
            .name(name(who, None)?);
        if let Some(number) = emergency.get("phone").and_then(|v| v.as_str()) {
            c = c.telecom(vec![Some(phone(number)?)]);
        }
        contact.push(Some(c.build()?));
    }
    let mut builder = Patient::builder()
        .id(p.id.to_string())
        .identifier(vec![Some(record_id(p.id)?)])
        .active(true)
        .name(vec![Some(name(&p.first_name, p.last_name.as_deref())?)])
        .telecom(telecom)
        .gender(gender(&p.gender))
        .birth_date(date(p.date_of_birth))
        .contact(contact);
    if let Some(address) = &p.address {
        builder = builder.address(vec![Some(
            fhir_model::r4b::types::Address::builder()
                .text(address.clone())
                .build()?,
        )]);
    }
    builder.build()
}

/// `member` as a relative of `of` (they share a mobile number).
pub fn related_person(member: &PatientRow, of: &PatientRow) -> Built<RelatedPerson> {
    // HL7 v3 RoleCode, as the member relates to the number's main member.
    let (code, display) = match member.relationship.as_str() {
        "spouse" => ("SPS", "spouse"),
        "child" => ("CHILD", "child"),
        "parent" => ("PRN", "parent"),
        "sibling" => ("SIB", "sibling"),
        "self" => ("FAMMEMB", "family member (main member of the number)"),
        _ => ("FAMMEMB", "family member"),
    };
    RelatedPerson::builder()
        .id(derived_id(of.id, member.id.as_bytes()).to_string())
        .identifier(vec![Some(record_id(member.id)?)])
        .patient(reference("Patient", of.id)?)
        .relationship(vec![Some(coded(
            "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
            code,
            display,
        )?)])
        .name(vec![Some(name(&member.first_name, member.last_name.as_deref())?)])
        .telecom(vec![Some(phone(&member.mobile_number)?)])
        .gender(gender(&member.gender))
        .birth_date(date(member.date_of_birth))
        .build()
}

pub fn practitioner(d: &DoctorRow) -> Built<Practitioner> {
    let mut identifiers = vec![Some(record_id(d.id)?)];
    if let Some(licence) = &d.licence_number {
        identifiers.push(Some(
            Identifier::builder()
                .system("urn:clinic:medical-licence".to_owned())
                .value(licence.clone())
                .build()?,
        ));
    }
    let mut qualification = vec![Some(
        PractitionerQualification::builder()
            .code(text(&d.specialization)?)
            .build()?,
    )];
    if let Some(q) = &d.qualification {
        qualification.push(Some(PractitionerQualification::builder().code(text(q)?).build()?));
    }
    Practitioner::builder()
        .id(d.id.to_string())
        .identifier(identifiers)
        .active(true)
        .name(vec![Some(
            HumanName::builder().text(d.full_name.clone()).build()?,
        )])
        .qualification(qualification)
        .build()
}

pub fn appointment(a: &AppointmentRow) -> Built<Appointment> {
    let status = match a.status.as_str() {
        "scheduled" | "confirmed" => AppointmentStatus::Booked,
        "in_progress" => AppointmentStatus::Arrived,
        "completed" => AppointmentStatus::Fulfilled,
        "no_show" => AppointmentStatus::Noshow,
        _ => AppointmentStatus::Cancelled,
    };
    // The clinic's wall-clock time; the server keeps no time zone for it.
    let start = a.appointment_date.and_time(a.appointment_time).and_utc();
    let end = start + chrono::Duration::minutes(i64::from(a.duration_minutes));
    let participant = |kind: &str, id: Uuid| {
        AppointmentParticipant::builder()
            .actor(reference(kind, id)?)
            .status(ParticipationStatus::Accepted)
            .build()
    };
    let mut builder = Appointment::builder()
        .id(a.id.to_string())
        .identifier(vec![Some(
            Identifier::builder()
                .system("urn:clinic:appointment-number".to_owned())
                .value(a.appointment_number.clone())
                .build()?,
        )])
        .status(status)
        .description(a.reason.clone())
        .start(instant(start))
        .end(instant(end))
        .participant(vec![
            Some(participant("Patient", a.patient_id)?),
            Some(participant("Practitioner", a.doctor_id)?),
        ]);
    if let Some(notes) = &a.notes {
        builder = builder.comment(notes.clone());
    }
    builder.build()
}

/// The medicine of an item: the catalog's, or the name as written.
pub fn medication_id(item: &PrescriptionItemRow) -> Uuid {
    item.medicine_id
        .unwrap_or_else(|| derived_id(item.id, item.medicine_name.as_bytes()))
}

pub fn medication(item: &PrescriptionItemRow) -> Built<Medication> {
    let mut code = text(&item.medicine_name)?;
    if let Some(composition) = &item.composition {
        code = text(&format!("{} ({composition})", item.medicine_name))?;
    }
    Medication::builder()
        .id(medication_id(item).to_string())
        .code(code)
        .build()
}

pub fn medication_request(item: &PrescriptionItemRow) -> Built<MedicationRequest> {
    let status = match item.status.as_str() {
        "draft" => "draft",
        "active" => "active",
        "dispensed" | "completed" => "completed",
        "cancelled" => "cancelled",
        _ => "stopped",
    };
    let mut dosage = format!("{} · {} · {}", item.dosage, item.frequency, item.duration);
    if let Some(instructions) = &item.instructions {
        dosage.push_str(&format!(" · {instructions}"));
    }
    MedicationRequest::builder()
        .id(item.id.to_string())
        .identifier(vec![Some(record_id(item.id)?)])
        .group_identifier(
            Identifier::builder()
                .system("urn:clinic:prescription-number".to_owned())
                .value(item.prescription_number.clone())
                .build()?,
        )
        .status(status.to_owned())
        .intent("order".to_owned())
        .medication(MedicationRequestMedication::Reference(reference(
            "Medication",
            medication_id(item),
        )?))
        .subject(reference("Patient", item.patient_id)?)
        .authored_on(DateTime::Date(date(item.visit_date)))
        .requester(reference("Practitioner", item.doctor_id)?)
        .reason_code(vec![Some(text(&item.diagnosis)?)])
        .dosage_instruction(vec![Some(Dosage::builder().text(dosage).build()?)])
        .note(vec![Some(note(&format!("Quantity: {}", item.quantity))?)])
        .build()
}

pub fn allergy(p: &PatientRow, substance: &str) -> Built<AllergyIntolerance> {
    AllergyIntolerance::builder()
        .id(derived_id(p.id, substance.as_bytes()).to_string())
        .clinical_status(coded(
            "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
            "active",
            "Active",
        )?)
        .code(text(substance)?)
        .patient(reference("Patient", p.id)?)
        .recorded_date(DateTime::DateTime(instant(p.updated_at)))
        .build()
}

pub fn blood_group(p: &PatientRow, group: &str) -> Built<Observation> {
    Observation::builder()
        .id(derived_id(p.id, b"blood-group").to_string())
        .status(ObservationStatus::Final)
        .code(coded(LOINC, "882-1", "ABO and Rh group [Type] in Blood")?)
        .subject(reference("Patient", p.id)?)
        .value(ObservationValue::String(group.to_owned()))
        .build()
}

pub fn dental_observation(o: &DentalObservationRow) -> Built<Observation> {
    let mut summary = o.condition_type.replace('_', " ");
    if let Some(surface) = &o.tooth_surface {
        summary.push_str(&format!(", {surface} surface"));
    }
    if let Some(severity) = &o.severity {
        summary.push_str(&format!(", {severity}"));
    }
    let mut builder = Observation::builder()
        .id(o.id.to_string())
        .identifier(vec![Some(record_id(o.id)?)])
        .status(ObservationStatus::Final)
        .category(vec![Some(text("dental")?)])
        .code(text(&o.condition_type.replace('_', " "))?)
        .subject(reference("Patient", o.patient_id)?)
        .effective(ObservationEffective::DateTime(DateTime::DateTime(instant(
            o.created_at,
        ))))
        .performer(vec![Some(reference("Practitioner", o.doctor_id)?)])
        .value(ObservationValue::String(summary))
        .body_site(tooth(o.tooth_number)?);
    if let Some(notes) = &o.observation_notes {
        builder = builder.note(vec![Some(note(notes)?)]);
    }
    builder.build()
}

pub fn dental_procedure(p: &DentalProcedureRow) -> Built<Procedure> {
    let status = match p.status.as_str() {
        "planned" => EventStatus::Preparation,
        "in_progress" => EventStatus::InProgress,
        "completed" => EventStatus::Completed,
        _ => EventStatus::NotDone,
    };
    let mut builder = Procedure::builder()
        .id(p.id.to_string())
        .identifier(vec![Some(record_id(p.id)?)])
        .status(status)
        .code(coded(
            super::build::CDT_SYSTEM,
            &p.procedure_code,
            &p.procedure_name,
        )?)
        .subject(reference("Patient", p.patient_id)?)
        .performer(vec![Some(
            ProcedurePerformer::builder()
                .actor(reference("Practitioner", p.doctor_id)?)
                .build()?,
        )])
        .body_site(
            p.tooth_numbers
                .iter()
                .map(|t| tooth(*t).map(Some))
                .collect::<Built<Vec<_>>>()?,
        );
    if let Some(day) = p.completed_date.or(p.procedure_date) {
        builder = builder.performed(ProcedurePerformed::DateTime(DateTime::Date(date(day))));
    }
    if let Some(notes) = &p.notes {
        builder = builder.note(vec![Some(note(notes)?)]);
    }
    builder.build()
}

pub fn attachment(a: &AttachmentRow) -> Built<DocumentReference> {
    let taken: Instant = instant(a.taken_at.unwrap_or(a.created_at));
    let mut file = Attachment::builder()
        .content_type(a.mime_type.clone())
        .title(a.file_name.clone())
        // The bytes are kept by content hash and moved separately.
        .url(format!("urn:sha256:{}", a.sha256));
    if let Ok(size) = u32::try_from(a.size_bytes) {
        file = file.size(size);
    }
    let mut builder = DocumentReference::builder()
        .id(a.id.to_string())
        .identifier(vec![Some(record_id(a.id)?)])
        .status(DocumentReferenceStatus::Current)
        .r#type(text(&a.kind.replace('_', " "))?)
        .subject(reference("Patient", a.patient_id)?)
        .date(taken)
        .content(vec![Some(
            DocumentReferenceContent::builder()
                .attachment(file.build()?)
                .build()?,
        )]);
    if let Some(caption) = &a.caption {
        builder = builder.description(caption.clone());
    }
    builder.build()
}
