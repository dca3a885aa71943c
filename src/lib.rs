//! xuke (许可): the special equipment administrative licensing system as one binary.
//!
//! `domain` holds the pure licensing rules, `store` the redb system of record, `search` the
//! tantivy index derived from it, and `web` the poem routes and maud views.

pub mod assets;
pub mod config;
pub mod domain;
pub mod search;
pub mod server;
pub mod store;
pub mod web;
