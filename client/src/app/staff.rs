//! The clinic's people, online only: they live on the server. Each change
//! is followed by a sync, so this PC's copy of the clinic's users (which
//! offline sign-in reads) follows at once.

use contract::app::CommandError;
use contract::args::{DoctorChangeArgs, StaffChangeArgs};
use domain::api::{CreateStaffRequest, CreateStaffResponse, DoctorView, StaffView};
use domain::ids::{DoctorId, UserId};

use super::{AppCore, CommandResult};

impl AppCore {
    pub async fn doctors(&self) -> CommandResult<Vec<DoctorView>> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        Ok(server.get("/doctors").await?)
    }

    /// Changes a doctor's profile: an admin any doctor's, a doctor their
    /// own (the server decides which).
    pub async fn update_doctor(&self, args: DoctorChangeArgs) -> CommandResult<DoctorView> {
        args.change.validate().map_err(CommandError::invalid)?;
        let doctor = DoctorId::parse(&args.doctor_id).map_err(|e| CommandError::invalid(vec![e]))?;
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let changed = server.patch(&format!("/doctors/{doctor}"), &args.change).await?;
        self.sync_now().await?;
        Ok(changed)
    }

    /// Everyone in the clinic, active first (admins only).
    pub async fn staff(&self) -> CommandResult<Vec<StaffView>> {
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        Ok(server.get("/staff").await?)
    }

    /// Adds a person of any role; checked here first, so a form shows its
    /// field errors without a round trip.
    pub async fn add_staff(&self, req: CreateStaffRequest) -> CommandResult<CreateStaffResponse> {
        req.validate().map_err(CommandError::invalid)?;
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let created = server.post("/staff", &req).await?;
        self.sync_now().await?;
        Ok(created)
    }

    /// Changes a person's role or whether they may sign in.
    pub async fn update_staff(&self, args: StaffChangeArgs) -> CommandResult<StaffView> {
        args.change.validate().map_err(CommandError::invalid)?;
        let user = UserId::parse(&args.user_id).map_err(|e| CommandError::invalid(vec![e]))?;
        let server = self.with_session(|s| Ok(s.server.clone())).await?;
        let changed = server.patch(&format!("/staff/{user}"), &args.change).await?;
        self.sync_now().await?;
        Ok(changed)
    }
}
