//! Authentication: argon2id passwords, short-lived JWT access tokens,
//! rotating refresh tokens and the extractor that turns a verified token
//! into a tenant-scoped database transaction.

pub mod extractor;
pub mod jwt;
pub mod live;
pub mod password;
pub mod refresh;
pub mod verified;

pub use extractor::{Auth, Caller, PendingPasswordCaller, TenantTx};
pub use jwt::{Claims, JwtKeys};
