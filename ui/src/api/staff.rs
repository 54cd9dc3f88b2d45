//! The clinic's people (admins only; online, they live on the server).

use contract::args::StaffChangeArgs;
use contract::cmd;
use domain::api::{CreateStaffRequest, CreateStaffResponse, StaffView, UpdateStaffRequest};

use super::{ApiResult, invoke};

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
