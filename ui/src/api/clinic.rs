//! Doctors, the day's appointments, the walk-in queue and patient charts.

use domain::screens::DoctorOption;
use domain::screens::PatientChart;
use domain::screens::appointments::{
    AppointmentForm, AppointmentRow, DayQuery, DayView, SlotQuery, StatusChange, WalkInForm,
};
use serde_json::json;

use super::{ApiResult, call};

pub async fn clinic_doctors() -> ApiResult<Vec<DoctorOption>> {
    call("clinic_doctors", &json!({})).await
}

pub async fn day_view(query: &DayQuery) -> ApiResult<DayView> {
    call("day_view", &json!({ "query": query })).await
}

/// Free start times (`HH:MM`) of a doctor on a day.
pub async fn free_slots(query: &SlotQuery) -> ApiResult<Vec<String>> {
    call("free_slots", &json!({ "query": query })).await
}

pub async fn book_appointment(form: &AppointmentForm) -> ApiResult<AppointmentRow> {
    call("book_appointment", &json!({ "form": form })).await
}

pub async fn add_walk_in(form: &WalkInForm) -> ApiResult<AppointmentRow> {
    call("add_walk_in", &json!({ "form": form })).await
}

pub async fn set_appointment_status(change: &StatusChange) -> ApiResult<AppointmentRow> {
    call("set_appointment_status", &json!({ "change": change })).await
}

pub async fn patient_chart(id: &str) -> ApiResult<PatientChart> {
    call("patient_chart", &json!({ "id": id })).await
}
