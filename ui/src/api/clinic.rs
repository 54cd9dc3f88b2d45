//! Doctors, the day's appointments, the walk-in queue and patient charts.

use contract::screens::DoctorOption;
use contract::screens::PatientChart;
use contract::screens::appointments::{
    AppointmentForm, AppointmentRow, DayQuery, DayView, FreeTimes, RescheduleForm, SlotQuery, StatusChange,
    WalkInForm,
};

use contract::cmd;

use super::{ApiResult, invoke};

pub async fn clinic_doctors() -> ApiResult<Vec<DoctorOption>> {
    invoke::<cmd::ClinicDoctors>(&()).await
}

pub async fn day_view(query: &DayQuery) -> ApiResult<DayView> {
    invoke::<cmd::DayView>(&query.to_owned()).await
}

/// Free start times (`HH:MM`) of a doctor on a day, or why there are none.
pub async fn free_slots(query: &SlotQuery) -> ApiResult<FreeTimes> {
    invoke::<cmd::FreeSlots>(&query.to_owned()).await
}

pub async fn book_appointment(form: &AppointmentForm) -> ApiResult<AppointmentRow> {
    invoke::<cmd::BookAppointment>(form).await
}

pub async fn add_walk_in(form: &WalkInForm) -> ApiResult<AppointmentRow> {
    invoke::<cmd::AddWalkIn>(form).await
}

pub async fn set_appointment_status(change: &StatusChange) -> ApiResult<AppointmentRow> {
    invoke::<cmd::SetAppointmentStatus>(change).await
}

pub async fn reschedule_appointment(form: &RescheduleForm) -> ApiResult<AppointmentRow> {
    invoke::<cmd::RescheduleAppointment>(form).await
}

pub async fn patient_chart(id: &str) -> ApiResult<PatientChart> {
    invoke::<cmd::PatientChart>(&id.to_owned()).await
}
