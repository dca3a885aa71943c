//! The working-day calendar (工作日) that statutory limits count in: weekends and public
//! holidays are not working days, and the weekend days the State Council moves work to
//! (调休) are. The schedule is data, published once a year.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Deserialize;

/// The kind of a date in the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// A public holiday, including the weekdays inside a holiday period.
    Holiday,
    /// A weekend day that is worked in exchange for a holiday.
    Workday,
}

#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("holiday schedule row {row}: {source}")]
    Csv { row: usize, source: csv::Error },
    #[error("holiday schedule row {row}: invalid date {value:?}, expected YYYY-MM-DD")]
    InvalidDate { row: usize, value: String },
    #[error("holiday schedule row {row}: unknown kind {value:?}, expected holiday or workday")]
    UnknownKind { row: usize, value: String },
}

#[derive(Deserialize)]
struct CsvRow {
    date: String,
    kind: String,
    #[allow(dead_code)]
    name: String,
}

/// A date reached by counting working days, and whether the count passed through a year
/// without a published schedule, where only weekends were skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub date: NaiveDate,
    pub unscheduled: bool,
}

/// Holidays and adjusted working days by date, with the years the schedule covers.
#[derive(Debug, Clone, Default)]
pub struct WorkingCalendar {
    days: BTreeMap<NaiveDate, DayKind>,
    years: BTreeSet<i32>,
}

impl WorkingCalendar {
    /// Parses `date,kind,name` rows, where kind is `holiday` or `workday`.
    pub fn from_csv(text: &str) -> Result<WorkingCalendar, CalendarError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut calendar = WorkingCalendar::default();
        for (index, record) in reader.deserialize::<CsvRow>().enumerate() {
            let row = index + 2;
            let record = record.map_err(|source| CalendarError::Csv { row, source })?;
            let date = NaiveDate::parse_from_str(record.date.trim(), "%Y-%m-%d").map_err(|_| {
                CalendarError::InvalidDate {
                    row,
                    value: record.date.clone(),
                }
            })?;
            let kind = match record.kind.trim() {
                "holiday" => DayKind::Holiday,
                "workday" => DayKind::Workday,
                other => {
                    return Err(CalendarError::UnknownKind {
                        row,
                        value: other.to_string(),
                    })
                }
            };
            calendar.days.insert(date, kind);
            calendar.years.insert(date.year());
        }
        Ok(calendar)
    }

    /// Returns whether the schedule for `year` is loaded.
    pub fn has_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(date.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Returns the date `count` working days after `start`. The day of `start` itself is not
    /// counted, because a limit runs from the day after the event that starts it.
    pub fn add_working_days(&self, start: NaiveDate, count: u32) -> Deadline {
        let mut date = start;
        let mut unscheduled = false;
        let mut remaining = count;
        while remaining > 0 {
            date += Duration::days(1);
            unscheduled |= !self.has_year(date.year());
            if self.is_working_day(date) {
                remaining -= 1;
            }
        }
        Deadline { date, unscheduled }
    }

    /// Counts the working days after `start` up to and including `end`.
    pub fn working_days_between(&self, start: NaiveDate, end: NaiveDate) -> u32 {
        let mut count = 0;
        let mut date = start;
        while date < end {
            date += Duration::days(1);
            if self.is_working_day(date) {
                count += 1;
            }
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOLIDAYS: &str = include_str!("../../assets/data/holidays.csv");

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn spring_festival_2026_is_skipped() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        // Friday 13 February; the Saturday 14th is worked, 15-23 are holidays.
        let deadline = calendar.add_working_days(date("2026-02-13"), 5);
        assert_eq!(deadline.date, date("2026-02-27"));
        assert!(!deadline.unscheduled);
        assert!(calendar.is_working_day(date("2026-02-14")));
        assert!(calendar.is_working_day(date("2026-02-28")));
        assert!(!calendar.is_working_day(date("2026-02-23")));
    }

    #[test]
    fn plain_weekend_is_skipped() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        // Thursday 3 December 2026 plus 5 working days is Thursday 10 December.
        assert_eq!(
            calendar.add_working_days(date("2026-12-03"), 5).date,
            date("2026-12-10")
        );
    }

    #[test]
    fn year_without_schedule_is_flagged() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        let deadline = calendar.add_working_days(date("2026-12-28"), 5);
        assert_eq!(deadline.date, date("2027-01-04"));
        assert!(deadline.unscheduled);
    }

    #[test]
    fn counts_days_between() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        assert_eq!(
            calendar.working_days_between(date("2026-09-30"), date("2026-10-12")),
            4
        );
    }

    #[test]
    fn rejects_unknown_kind() {
        let text = "date,kind,name\n2026-01-01,party,x\n";
        assert!(matches!(
            WorkingCalendar::from_csv(text),
            Err(CalendarError::UnknownKind { row: 2, .. })
        ));
    }
}
