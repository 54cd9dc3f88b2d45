//! Turning a failed statement into a typed refusal of the op.

use domain::sync::Refusal;

/// Maps a database error raised by one op's statement to why the op is
/// refused; `None` for faults that are not the op's fault (retry later).
pub fn classify(err: &sqlx::Error) -> Option<(Refusal, String)> {
    let db = err.as_database_error()?;
    let code = db.code()?;
    let constraint = db.constraint().unwrap_or_default().to_owned();
    let refusal = match code.as_ref() {
        "23514" if constraint.ends_with("_issued_immutable") => Refusal::Immutable,
        // The trigger's message names both states in words.
        "23514" if constraint.ends_with("_status_transition") => Refusal::ValidationFailed,
        "23P01" if constraint == "appointments_no_doctor_clash" => Refusal::AppointmentClash,
        "23502" | "23514" | "22P02" | "22007" | "22008" | "22003" | "22001" | "22023" | "22P05" => {
            Refusal::ValidationFailed
        }
        "23505" => Refusal::Duplicate,
        "23503" => Refusal::MissingReference,
        "42501" => Refusal::Forbidden,
        c if c.starts_with("22") => Refusal::ValidationFailed,
        _ => return None,
    };
    let message = match refusal {
        Refusal::Immutable if constraint.starts_with("invoices") => {
            "an issued bill cannot be changed; void it and bill again".to_owned()
        }
        Refusal::Immutable => "an issued prescription cannot be changed; write an amending one".to_owned(),
        Refusal::AppointmentClash => "the doctor already has an appointment at that time".to_owned(),
        // The trigger's message names the bill that stands.
        Refusal::Duplicate if constraint == "invoices_one_per_visit" => format!(
            "{}: another PC billed it first. Discard this bill and take the payment on that one",
            db.message()
        ),
        Refusal::Duplicate => format!("a record with the same identity already exists ({constraint})"),
        Refusal::MissingReference if constraint == "payments_tenant_id_invoice_id_fkey" => {
            "the bill this payment was taken on is not on the server (it was refused): take the payment \
             on the bill that stands"
                .to_owned()
        }
        Refusal::MissingReference => format!("it refers to a record that does not exist ({constraint})"),
        _ => db.message().to_owned(),
    };
    Some((refusal, message))
}
