//! Clinical rules (docs/DOMAIN.md): appointment and prescription status
//! machines, per-clinic numbers, short key codes and dosage notation.
//! Pure functions, shared by the PC, the server and the UI.

pub mod alerts;
pub mod appointment;
pub mod dosage;
pub mod numbering;
pub mod prescription;
pub mod review;
pub mod short_key;
