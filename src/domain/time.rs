//! Dates as the authorities count them: calendar days in China Standard Time (UTC+8).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// China Standard Time, which has no daylight saving.
pub fn china() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset")
}

/// Returns the calendar date in China at the instant `at`.
pub fn china_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&china()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn late_utc_evening_is_next_day_in_china() {
        let at = DateTime::parse_from_rfc3339("2026-12-03T17:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            china_date(at),
            NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
        );
    }
}
