//! Small pieces every FHIR resource of the export is made of: codes,
//! references, dates.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use fhir_model::r4b::types::{CodeableConcept, Coding, Reference};
use fhir_model::{BuilderError, Date, Instant};
use uuid::Uuid;

/// Teeth in FDI notation, the code system FHIR's dental examples use.
pub const TOOTH_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/ex-tooth";
/// The American Dental Association's procedure codes (D0120 ...).
pub const CDT_SYSTEM: &str = "http://www.ada.org/cdt";
pub const LOINC: &str = "http://loinc.org";
/// This product's own ids of records, for provenance.
pub const RECORD_ID_SYSTEM: &str = "urn:clinic:record-id";

pub fn text(words: &str) -> Result<CodeableConcept, BuilderError> {
    CodeableConcept::builder().text(words.to_owned()).build()
}

pub fn coded(system: &str, code: &str, display: &str) -> Result<CodeableConcept, BuilderError> {
    CodeableConcept::builder()
        .coding(vec![Some(
            Coding::builder()
                .system(system.to_owned())
                .code(code.to_owned())
                .display(display.to_owned())
                .build()?,
        )])
        .text(display.to_owned())
        .build()
}

/// A reference inside the bundle. Every record's id is a UUID, so entries
/// are `urn:uuid:<id>` and resolve within the bundle wherever it goes.
pub fn reference(kind: &str, id: Uuid) -> Result<Reference, BuilderError> {
    Reference::builder()
        .reference(full_url(id))
        .r#type(kind.to_owned())
        .build()
}

/// A stable id for a resource made from part of a record (an allergy of a
/// patient, a family member as a relative): the same export gives the same
/// ids. UUIDv8 over SHA-256 of the record's id and the part.
pub fn derived_id(base: Uuid, part: &[u8]) -> Uuid {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(base.as_bytes())
        .chain_update(part)
        .finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

pub fn full_url(id: Uuid) -> String {
    format!("urn:uuid:{id}")
}

pub fn date(day: NaiveDate) -> Date {
    let month = u8::try_from(day.month())
        .ok()
        .and_then(|m| fhir_model::time::Month::try_from(m).ok())
        .unwrap_or(fhir_model::time::Month::January);
    let day_of_month = u8::try_from(day.day()).unwrap_or(1);
    fhir_model::time::Date::from_calendar_date(day.year(), month, day_of_month)
        .map_or(Date::Year(day.year()), Date::Date)
}

pub fn instant(at: DateTime<Utc>) -> Instant {
    let at = fhir_model::time::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .unwrap_or(fhir_model::time::OffsetDateTime::UNIX_EPOCH);
    Instant(at)
}

/// A tooth as a body site.
pub fn tooth(number: i16) -> Result<CodeableConcept, BuilderError> {
    let code = number.to_string();
    coded(TOOTH_SYSTEM, &code, &format!("Tooth {code} (FDI)"))
}
