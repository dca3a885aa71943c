//! Route handlers: parse and validate the request, ask the domain and the store, render.

pub mod applications;
pub mod apply;
pub mod drafts;
pub mod hall;
pub mod licences;
pub mod messages;
pub mod personnel;
pub mod portal;
pub mod procedure;
pub mod staff;
