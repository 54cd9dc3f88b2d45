//! The desktop app as a user meets it: a real WebKit window (Tauri) under
//! Xvfb, driven through tauri-driver, against the real server.

mod account;
mod backup;
mod billing;
mod clinical;
mod first_day;
mod flows;
mod import;
mod pcs;
mod platform;
mod presets;
mod staff;
mod updates;
