//! What the server writes itself: accounts, clinics and doctors. Each
//! operation runs in the caller's transaction and records every synced row
//! it touches in [`Writes`], whose `log` puts them in the change log, so
//! every PC learns them by pull. Handlers parse the request, call one
//! function here, and answer.

pub mod accounts;
pub mod clinics;
pub mod doctors;
pub mod referrals;
pub mod session;
mod writes;

pub use writes::Writes;
