//! The statutory clocks of a production unit licence application (TSG 07-2019), counted on
//! the working-day calendar: which limit runs in each status and when it ends.

use chrono::{Months, NaiveDate};

use super::application::ApplicationStatus;
use super::calendar::WorkingCalendar;

/// Working days to accept, ask for corrections or refuse, from filing or resubmission.
pub const ACCEPTANCE_WORKING_DAYS: u32 = 5;
/// Working days for the review agency to agree the review date, from acceptance.
pub const SCHEDULING_WORKING_DAYS: u32 = 10;
/// Working days for the authority to decide, from receiving the review report.
pub const DECISION_WORKING_DAYS: u32 = 20;
/// Months the applicant has to rectify after the review.
pub const RECTIFICATION_MONTHS: u32 = 6;
/// Months the whole review may take from acceptance; 24 for A-class boiler installation.
pub const REVIEW_MONTHS: u32 = 12;
pub const REVIEW_MONTHS_BOILER_INSTALLATION: u32 = 24;

/// The party that must act by the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Authority,
    Agency,
    Applicant,
}

impl Party {
    pub fn label(self) -> &'static str {
        match self {
            Party::Authority => "审批机关",
            Party::Agency => "鉴定评审机构",
            Party::Applicant => "申请单位",
        }
    }
}

/// The limit that runs now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    pub due: NaiveDate,
    pub party: Party,
    /// What is due, such as 受理 or 约定评审日期.
    pub step: &'static str,
    /// The count passed through a year whose holiday schedule is not loaded.
    pub unscheduled: bool,
}

impl Clock {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        today > self.due
    }
}

/// The dates the clocks start from, in China dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClockStarts {
    /// Filing, or the latest resubmission after corrections.
    pub filed_on: Option<NaiveDate>,
    pub accepted_on: Option<NaiveDate>,
    pub rectification_due: Option<NaiveDate>,
    pub report_received_on: Option<NaiveDate>,
    /// The application includes A-class boiler installation, whose review may take 2 years.
    pub boiler_installation: bool,
}

/// Returns the clock that runs in `status`, if any.
pub fn current_clock(
    status: ApplicationStatus,
    starts: &ClockStarts,
    calendar: &WorkingCalendar,
) -> Option<Clock> {
    let working = |start: Option<NaiveDate>, days: u32, party: Party, step: &'static str| {
        let deadline = calendar.add_working_days(start?, days);
        Some(Clock {
            due: deadline.date,
            party,
            step,
            unscheduled: deadline.unscheduled,
        })
    };
    match status {
        ApplicationStatus::Submitted => working(
            starts.filed_on,
            ACCEPTANCE_WORKING_DAYS,
            Party::Authority,
            "受理",
        ),
        ApplicationStatus::Accepted => working(
            starts.accepted_on,
            SCHEDULING_WORKING_DAYS,
            Party::Agency,
            "约定评审日期",
        ),
        ApplicationStatus::Rectifying => Some(Clock {
            due: starts.rectification_due?,
            party: Party::Applicant,
            step: "完成整改",
            unscheduled: false,
        }),
        ApplicationStatus::ReviewScheduled | ApplicationStatus::RectificationReported => {
            Some(Clock {
                due: review_limit(starts)?,
                party: Party::Agency,
                step: "完成鉴定评审",
                unscheduled: false,
            })
        }
        ApplicationStatus::ReviewReported => working(
            starts.report_received_on,
            DECISION_WORKING_DAYS,
            Party::Authority,
            "作出许可决定",
        ),
        _ => None,
    }
}

/// Returns the last day of the whole review: 1 year from acceptance, 2 for A-class boiler
/// installation.
pub fn review_limit(starts: &ClockStarts) -> Option<NaiveDate> {
    let months = if starts.boiler_installation {
        REVIEW_MONTHS_BOILER_INSTALLATION
    } else {
        REVIEW_MONTHS
    };
    starts.accepted_on?.checked_add_months(Months::new(months))
}

/// Returns the latest rectification deadline the agency may set for a review on
/// `reviewed_on`.
pub fn latest_rectification_due(reviewed_on: NaiveDate) -> NaiveDate {
    reviewed_on
        .checked_add_months(Months::new(RECTIFICATION_MONTHS))
        .unwrap_or(reviewed_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOLIDAYS: &str = include_str!("../../assets/data/holidays.csv");

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn acceptance_clock_crosses_spring_festival() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        let starts = ClockStarts {
            filed_on: Some(date("2026-02-12")),
            ..ClockStarts::default()
        };
        let clock = current_clock(ApplicationStatus::Submitted, &starts, &calendar).unwrap();
        // 13 Feb, the adjusted Saturday 14 Feb, then 24, 25, 26 Feb after the holidays.
        assert_eq!(clock.due, date("2026-02-26"));
        assert_eq!(clock.party, Party::Authority);
        assert!(clock.is_overdue(date("2026-02-27")));
        assert!(!clock.is_overdue(date("2026-02-26")));
    }

    #[test]
    fn resubmission_restarts_the_clock() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        let first = ClockStarts {
            filed_on: Some(date("2026-11-02")),
            ..ClockStarts::default()
        };
        let again = ClockStarts {
            filed_on: Some(date("2026-11-20")),
            ..ClockStarts::default()
        };
        let status = ApplicationStatus::Submitted;
        assert_eq!(
            current_clock(status, &first, &calendar).unwrap().due,
            date("2026-11-09")
        );
        assert_eq!(
            current_clock(status, &again, &calendar).unwrap().due,
            date("2026-11-27")
        );
    }

    #[test]
    fn review_limit_doubles_for_boiler_installation() {
        let mut starts = ClockStarts {
            accepted_on: Some(date("2026-03-02")),
            ..ClockStarts::default()
        };
        assert_eq!(review_limit(&starts), Some(date("2027-03-02")));
        starts.boiler_installation = true;
        assert_eq!(review_limit(&starts), Some(date("2028-03-02")));
    }

    #[test]
    fn no_clock_after_decision() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        let starts = ClockStarts::default();
        assert_eq!(
            current_clock(ApplicationStatus::Approved, &starts, &calendar),
            None
        );
    }
}
