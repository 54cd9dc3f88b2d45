//! Status words, chip colours and action labels for appointments and
//! prescriptions. Colour only carries meaning: green done, amber waiting,
//! red stopped, blue in progress.

use contract::screens::appointments::AppointmentType;
use domain::clinical::appointment::AppointmentStatus;
use domain::clinical::prescription::PrescriptionStatus;
use yew::prelude::*;

/// A gender as every screen spells it (lists, chart and form alike).
pub fn gender_label(raw: &str) -> String {
    match domain::patient::Gender::parse(raw) {
        Some(domain::patient::Gender::Undisclosed) => "Prefer not to say".into(),
        Some(gender) => gender.title(),
        None => raw.to_owned(),
    }
}

pub fn appt_label(s: AppointmentStatus) -> &'static str {
    use AppointmentStatus::*;
    match s {
        Scheduled => "Scheduled",
        Confirmed => "Confirmed",
        InProgress => "With doctor",
        Completed => "Completed",
        Cancelled => "Cancelled",
        NoShow => "No-show",
        Rescheduled => "Rescheduled",
    }
}

fn appt_tone(s: AppointmentStatus) -> &'static str {
    use AppointmentStatus::*;
    match s {
        Scheduled | Rescheduled => "neutral",
        Confirmed | InProgress => "blue",
        Completed => "green",
        Cancelled | NoShow => "red",
    }
}

/// The button that moves an appointment to `to`.
pub fn appt_action(to: AppointmentStatus) -> &'static str {
    use AppointmentStatus::*;
    match to {
        Scheduled => "Schedule",
        Confirmed => "Confirm",
        InProgress => "Start",
        Completed => "Complete",
        Cancelled => "Cancel",
        NoShow => "No-show",
        Rescheduled => "Reschedule",
    }
}

pub fn appt_type_label(t: AppointmentType) -> &'static str {
    match t {
        AppointmentType::Scheduled => "Booked",
        AppointmentType::WalkIn => "Walk-in",
    }
}

pub fn rx_label(s: PrescriptionStatus) -> &'static str {
    use PrescriptionStatus::*;
    match s {
        Draft => "Draft",
        Active => "Issued",
        Dispensed => "Dispensed",
        Completed => "Completed",
        Cancelled => "Cancelled",
        Expired => "Expired",
    }
}

fn rx_tone(s: PrescriptionStatus) -> &'static str {
    use PrescriptionStatus::*;
    match s {
        Draft => "amber",
        Active => "blue",
        Dispensed | Completed => "green",
        Cancelled | Expired => "red",
    }
}

/// The button that moves a prescription to `to` (draft to active is
/// "Issue", shown on its own).
pub fn rx_action(to: PrescriptionStatus) -> &'static str {
    use PrescriptionStatus::*;
    match to {
        Draft => "Back to draft",
        Active => "Renew for 30 days",
        Dispensed => "Mark dispensed",
        Completed => "Mark completed",
        Cancelled => "Cancel prescription",
        Expired => "Mark expired",
    }
}

pub fn appt_chip(s: AppointmentStatus, testid: &'static str) -> Html {
    html! { <span class={classes!("chip", appt_tone(s))} data-testid={testid}>{ appt_label(s) }</span> }
}

/// Whether a bill is paid, as a chip.
pub fn bill_chip(s: domain::billing::PaymentState, testid: &'static str) -> Html {
    use domain::billing::PaymentState::*;
    let tone = match s {
        Paid => "green",
        PartPaid => "amber",
        Unpaid | Overpaid => "red",
        Void => "neutral",
    };
    html! { <span class={classes!("chip", tone)} data-testid={testid}>{ s.title() }</span> }
}

pub fn rx_chip(s: PrescriptionStatus, testid: &'static str) -> Html {
    html! { <span class={classes!("chip", rx_tone(s))} data-testid={testid}>{ rx_label(s) }</span> }
}

/// "Not synced yet" beside a row still waiting in the outbox.
pub fn pending_marker(pending: bool) -> Html {
    if pending {
        html! { <span class="chip amber small" data-testid="appt-pending" title="Saved on this PC; not on the server yet">{ "Not synced" }</span> }
    } else {
        html! {}
    }
}
