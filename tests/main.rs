//! Integration tests: the whole system through poem's TestClient on a temporary data folder.

mod support;

mod access;
mod admin_cli;
mod journey;
mod login;
mod personnel;
mod production_applicant;
mod production_procedure;
mod registration;
mod restart;
mod security;
mod server_process;
