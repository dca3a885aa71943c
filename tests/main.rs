//! Integration tests: the whole system through poem's TestClient on a temporary data folder,
//! the real binary for the command line and shutdown, and one journey in headless Chromium.

mod support;

mod access;
mod admin_cli;
mod browser;
mod journey;
mod login;
mod personnel;
mod production_applicant;
mod production_procedure;
mod registration;
mod restart;
mod security;
mod server_process;
