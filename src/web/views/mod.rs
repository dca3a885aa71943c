//! maud views: one layout, shared form components, and one module per group of screens.

pub mod applications;
pub mod apply;
pub mod components;
pub mod drafts;
pub mod hall;
pub mod layout;
pub mod licences;
pub mod messages;
pub mod personnel;
pub mod portal;
pub mod procedure;
pub mod staff;

use chrono::{DateTime, Utc};

use crate::domain::time::china;

/// Formats a date as the documents print it, in China time: 2026-12-04.
pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&china()).format("%Y-%m-%d").to_string()
}

/// Formats a date and time in China time: 2026-12-04 16:05.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.with_timezone(&china())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Formats a date in the long form of official documents: 2026年12月04日.
pub fn long_date(at: DateTime<Utc>) -> String {
    at.with_timezone(&china())
        .format("%Y年%m月%d日")
        .to_string()
}
