//! Referral import: another clinic's FHIR R4 `$everything` of one patient
//! becomes a new patient here with read-only history. Every id is new;
//! each record notes the bundle and the resource it came from.

mod parts;
mod read;
mod records;

pub use read::{MAX_ENTRIES, Referral, read};
pub use records::Record;
