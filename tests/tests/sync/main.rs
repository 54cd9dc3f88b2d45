//! Several PCs of one clinic, each with its own SQLite store and sync
//! engine, against the real server on real PostgreSQL.

mod billed_twice;
mod billing;
mod clinical_core;
mod convergence;
mod demo;
mod desktop_core;
mod doctor_hours;
mod encryption;
mod faults;
mod forget_here;
mod gc;
mod global_medicines;
mod import;
mod nullable;
mod offline_sign_in;
mod property;
mod referral;
mod refusals;
mod removal;
mod reschedule;
mod restore;
mod review;
mod scale_out;
mod session_settings;
mod suspension;
