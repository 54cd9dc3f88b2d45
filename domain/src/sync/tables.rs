//! The one description of every synced table. The server builds its SQL
//! from it, the PC's store mirrors it, and nothing else in sync is
//! specific to an entity.
//!
//! Listed columns are the data fields a change may carry. Every synced
//! table also has the bookkeeping columns `tenant_id, id, created_at,
//! created_by, updated_at, updated_by, deleted_at, sync_seq, field_hlc`,
//! which the sync engine fills in itself.

pub use super::spec::{Column, Kind, Limited, Push, TableSpec};
use super::spec::{c, d};
use crate::user::Role;

use Kind::{Bool, Date, Int, Json, Text, Time, Timestamp, Uuid as U};

const ADMIN: &[Role] = &[Role::Admin];
const CLINICAL: &[Role] = &[Role::Admin, Role::Doctor];
const FRONT_DESK: &[Role] = &[Role::Admin, Role::Doctor, Role::Nurse, Role::Receptionist];
/// Who bills a visit and takes its payment.
const BILLING: &[Role] = &[Role::Admin, Role::Doctor, Role::Receptionist];
/// Nobody: the table's rows are voided, never deleted.
const NOBODY: &[Role] = &[];

/// Synced tables in dependency order: a parent comes before its children,
/// so applying a snapshot table by table never breaks a foreign key.
pub const TABLES: &[TableSpec] = &[
    TableSpec {
        name: "users",
        // Never the password hash or lock state: only what a PC shows.
        columns: &[
            c("email", Text),
            c("full_name", Text),
            c("role", Text),
            d("is_active", Bool, "true"),
        ],
        push: Push::PullOnly,
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "doctors",
        columns: &[
            c("user_id", U),
            c("licence_number", Text),
            c("specialization", Text),
            c("qualification", Text),
            c("experience_years", Int),
            c("consultation_fee_minor", Int),
            d("consultation_minutes", Int, "15"),
            d("offices", Json, "[]"),
            d("availability", Json, "{}"),
            d("time_off", Json, "[]"),
            d("is_active", Bool, "true"),
        ],
        push: Push::PullOnly,
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "patients",
        columns: &[
            c("mobile_number", Text),
            c("first_name", Text),
            c("last_name", Text),
            c("date_of_birth", Date),
            c("gender", Text),
            d("relationship", Text, "\"self\""),
            c("email", Text),
            c("address", Text),
            c("emergency_contact", Json),
            d("allergies", Json, "[]"),
            c("blood_group", Text),
            c("notes", Text),
            c("archived_at", Timestamp),
        ],
        push: Push::Writers(FRONT_DESK),
        deleters: Some(ADMIN),
        limited: Some(Limited::Patients),
        needs_active_subscription: true,
    },
    TableSpec {
        name: "medicines",
        columns: &[
            c("name", Text),
            c("generic_name", Text),
            c("composition", Text),
            c("manufacturer", Text),
            d("dosage_forms", Json, "[]"),
            c("strength", Text),
            c("category", Text),
            c("price_minor", Int),
            d("prescription_required", Bool, "true"),
            c("atc_code", Text),
            d("contraindications", Json, "[]"),
            d("side_effects", Json, "[]"),
            d("is_active", Bool, "true"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "short_keys",
        columns: &[
            c("code", Text),
            c("name", Text),
            c("description", Text),
            c("owner_doctor_id", U),
            d("usage_count", Int, "0"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "short_key_medicines",
        columns: &[
            c("short_key_id", U),
            c("medicine_id", U),
            c("default_dosage", Text),
            c("default_frequency", Text),
            c("default_duration", Text),
            c("default_instructions", Text),
            d("sort_order", Int, "0"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "appointments",
        columns: &[
            c("appointment_number", Text),
            c("patient_id", U),
            c("doctor_id", U),
            c("office_id", Text),
            c("appointment_date", Date),
            c("appointment_time", Time),
            d("duration_minutes", Int, "30"),
            d("appointment_type", Text, "\"scheduled\""),
            c("reason", Text),
            d("status", Text, "\"scheduled\""),
            c("queue_number", Int),
            c("checked_in_at", Timestamp),
            c("notes", Text),
            c("cancellation_reason", Text),
            c("rescheduled_from_id", U),
            c("archived_at", Timestamp),
        ],
        push: Push::Writers(FRONT_DESK),
        deleters: Some(ADMIN),
        limited: None,
        needs_active_subscription: true,
    },
    TableSpec {
        name: "print_layouts",
        columns: &[
            c("doctor_id", U),
            c("office_id", Text),
            c("name", Text),
            d("preset", Text, "\"classic\""),
            d("paper", Text, "\"a4\""),
            d("orientation", Text, "\"portrait\""),
            d(
                "margins_mm",
                Json,
                "{\"top\": 15, \"right\": 15, \"bottom\": 15, \"left\": 15}",
            ),
            d("options", Json, "{}"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "prescriptions",
        columns: &[
            c("prescription_number", Text),
            c("patient_id", U),
            c("doctor_id", U),
            c("appointment_id", U),
            c("office_id", Text),
            c("visit_date", Date),
            c("chief_complaint", Text),
            c("diagnosis", Text),
            c("symptoms", Text),
            c("clinical_notes", Text),
            c("general_instructions", Text),
            c("follow_up_date", Date),
            d("status", Text, "\"draft\""),
            c("valid_until", Date),
            c("issued_at", Timestamp),
            c("printed_at", Timestamp),
            c("print_layout_id", U),
            c("amends_prescription_id", U),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: true,
    },
    TableSpec {
        name: "prescription_items",
        columns: &[
            c("prescription_id", U),
            c("medicine_id", U),
            c("medicine_name", Text),
            c("dosage", Text),
            c("frequency", Text),
            c("duration", Text),
            c("instructions", Text),
            c("quantity", Int),
            c("unit_price_minor", Int),
            c("total_minor", Int),
            d("generic_substitution_allowed", Bool, "true"),
            d("sort_order", Int, "0"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "dental_observations",
        columns: &[
            c("patient_id", U),
            c("doctor_id", U),
            c("appointment_id", U),
            c("prescription_id", U),
            c("tooth_number", Int),
            c("tooth_surface", Text),
            c("condition_type", Text),
            c("severity", Text),
            c("observation_notes", Text),
            d("treatment_required", Bool, "false"),
            d("treatment_done", Bool, "false"),
            c("treatment_date", Date),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "dental_procedures",
        columns: &[
            c("patient_id", U),
            c("doctor_id", U),
            c("observation_id", U),
            c("appointment_id", U),
            c("prescription_id", U),
            c("procedure_code", Text),
            c("procedure_name", Text),
            d("tooth_numbers", Json, "[]"),
            c("description", Text),
            c("estimated_cost_minor", Int),
            c("actual_cost_minor", Int),
            c("duration_minutes", Int),
            d("status", Text, "\"planned\""),
            c("procedure_date", Date),
            c("completed_date", Date),
            c("notes", Text),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "dental_observation_templates",
        columns: &[
            c("condition_type", Text),
            c("tooth_surface", Text),
            c("severity", Text),
            c("template_text", Text),
            c("owner_doctor_id", U),
            d("display_order", Int, "0"),
            d("usage_count", Int, "0"),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "case_studies",
        columns: &[
            c("patient_id", U),
            c("doctor_id", U),
            c("title", Text),
            c("chief_complaint", Text),
            d("observation_ids", Json, "[]"),
            d("procedure_ids", Json, "[]"),
            c("pre_treatment", Text),
            c("treatment_summary", Text),
            c("outcome", Text),
            c("narrative", Text),
            d("status", Text, "\"draft\""),
            c("finalized_at", Timestamp),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        name: "dental_attachments",
        columns: &[
            c("patient_id", U),
            c("observation_id", U),
            c("procedure_id", U),
            c("case_study_id", U),
            c("kind", Text),
            c("file_name", Text),
            c("mime_type", Text),
            c("size_bytes", Int),
            c("sha256", Text),
            c("caption", Text),
            c("taken_at", Timestamp),
        ],
        push: Push::Writers(CLINICAL),
        deleters: None,
        limited: Some(Limited::Storage),
        needs_active_subscription: false,
    },
    TableSpec {
        // History brought in with a referral (another clinic's FHIR
        // export): written by the server only, read-only on every PC.
        name: "referral_records",
        columns: &[
            c("patient_id", U),
            c("kind", Text),
            c("occurred_on", Date),
            c("title", Text),
            c("detail", Text),
            c("author", Text),
            c("source", Text),
            c("source_ref", Text),
        ],
        push: Push::PullOnly,
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        // A visit's bill (domain::billing): lines fixed at issue, voided
        // rather than deleted; whether it is paid comes from `payments`.
        name: "invoices",
        columns: &[
            c("invoice_number", Text),
            c("patient_id", U),
            c("doctor_id", U),
            c("appointment_id", U),
            c("prescription_id", U),
            c("issued_on", Date),
            c("currency", Text),
            d("lines", Json, "[]"),
            d("total_minor", Int, "0"),
            d("status", Text, "\"issued\""),
            c("void_reason", Text),
            c("notes", Text),
        ],
        push: Push::Writers(BILLING),
        deleters: Some(NOBODY),
        limited: None,
        needs_active_subscription: false,
    },
    TableSpec {
        // Money taken against an invoice, with its receipt number: never
        // changed or deleted once taken.
        name: "payments",
        columns: &[
            c("receipt_number", Text),
            c("invoice_id", U),
            c("patient_id", U),
            c("amount_minor", Int),
            c("mode", Text),
            c("reference", Text),
            c("paid_at", Timestamp),
        ],
        push: Push::AppendOnly(BILLING),
        deleters: None,
        limited: None,
        needs_active_subscription: false,
    },
];

pub fn table(name: &str) -> Option<&'static TableSpec> {
    TABLES.iter().find(|t| t.name == name)
}

/// Bookkeeping columns every synced table has, filled by the engine.
pub const SYSTEM_COLUMNS: &[&str] = &[
    "tenant_id",
    "id",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
    "deleted_at",
    "sync_seq",
    "field_hlc",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_never_system_columns() {
        let mut names: Vec<_> = TABLES.iter().map(|t| t.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TABLES.len());
        for t in TABLES {
            for col in t.columns {
                assert!(!SYSTEM_COLUMNS.contains(&col.name), "{}.{}", t.name, col.name);
                assert!(
                    col.name
                        .chars()
                        .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
                );
            }
        }
    }

    #[test]
    fn every_default_is_json_of_its_columns_kind() {
        for t in TABLES {
            for col in t.columns.iter().filter(|c| c.default.is_some()) {
                let value = col
                    .default_value()
                    .unwrap_or_else(|| panic!("{}.{} default is not JSON", t.name, col.name));
                let fields = serde_json::Map::from_iter([(col.name.to_owned(), value)]);
                assert_eq!(t.check_fields(&fields), Ok(()), "{}.{}", t.name, col.name);
            }
        }
    }

    #[test]
    fn receptionists_book_but_do_not_prescribe() {
        let rx = table("prescriptions").expect("described");
        assert!(rx.may_push(Role::Doctor));
        assert!(!rx.may_push(Role::Receptionist));
        assert!(table("appointments").is_some_and(|t| t.may_push(Role::Receptionist)));
        assert!(table("users").is_some_and(|t| !t.may_push(Role::Admin)));
        assert!(table("referral_records").is_some_and(|t| !t.may_push(Role::Admin)));
        assert!(
            table("payments").is_some_and(|t| t.may_push(Role::Receptionist) && !t.may_push(Role::Nurse))
        );
    }
}
