//! Server tests through the HTTP API and through SQL run as the app role.

mod auth;
mod availability;
mod backup;
mod catalog;
mod clinic_code;
mod clinical;
mod clinical_rules;
mod dev_cluster;
mod device_admin;
mod devices;
mod doctors;
mod enrolment;
mod fuzz;
mod input;
mod migrations;
mod openapi;
mod protocol_doc;
mod rls;
mod sessions;
mod sign_in_limits;
mod sync;
mod sync_parity;
mod sync_trust;
mod tenant;
mod updates;
mod whole_server;
