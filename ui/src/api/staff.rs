//! The clinic's people (admins only; online, they live on the server).

use contract::args::{DoctorChangeArgs, StaffChangeArgs};
use contract::cmd;
use domain::api::{
    CreateStaffRequest, CreateStaffResponse, DoctorView, StaffView, UpdateDoctorRequest, UpdateStaffRequest,
};

use super::{ApiResult, invoke};

pub async fn update_doctor(doctor_id: &str, change: UpdateDoctorRequest) -> ApiResult<DoctorView> {
    invoke::<cmd::UpdateDoctor>(&DoctorChangeArgs {
        doctor_id: doctor_id.to_owned(),
        change,
    })
    .await
}

pub async fn staff() -> ApiResult<Vec<StaffView>> {
    invoke::<cmd::Staff>(&()).await
}

pub async fn add_staff(req: &CreateStaffRequest) -> ApiResult<CreateStaffResponse> {
    invoke::<cmd::AddStaff>(req).await
}

pub async fn update_staff(user_id: &str, change: UpdateStaffRequest) -> ApiResult<StaffView> {
    invoke::<cmd::UpdateStaff>(&StaffChangeArgs {
        user_id: user_id.to_owned(),
        change,
    })
    .await
}
