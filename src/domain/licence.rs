//! Licences a unit already has (已取证), and the time rules for applying on the strength of
//! one: the renewal window, the change window and self-declaration renewal.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::authority::Authorities;
use super::calendar::WorkingCalendar;

/// A licence number in the `TS` format, such as `TS2710692-2023`: activity, equipment class,
/// two digits of the issuing authority, a three-digit unit serial, and the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceNumber(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LicenceNumberError {
    #[error("请填写许可证编号")]
    Empty,
    #[error(
        "许可证编号格式应为TS加7位数字、短横线和4位年份，例如TS2710692-2023，请对照许可证核对"
    )]
    Malformed,
    #[error("许可证编号第3-4位“{0}”不是发证机关代码（10为国家市场监督管理总局，其他为省级代码），请对照许可证核对")]
    UnknownAuthority(String),
    #[error("许可证编号中的年份{0}不正确，请对照许可证核对")]
    ImplausibleYear(i32),
}

impl LicenceNumber {
    /// Checks the format, the authority digits against `authorities` and that the year is
    /// not later than `this_year`.
    pub fn parse(
        input: &str,
        authorities: &Authorities,
        this_year: i32,
    ) -> Result<LicenceNumber, LicenceNumberError> {
        let text: String = super::credit_code::normalise(input);
        if text.is_empty() {
            return Err(LicenceNumberError::Empty);
        }
        let bytes = text.as_bytes();
        let well_formed = bytes.len() == 14
            && text.starts_with("TS")
            && bytes[2..9].iter().all(u8::is_ascii_digit)
            && bytes[9] == b'-'
            && bytes[10..].iter().all(u8::is_ascii_digit);
        if !well_formed {
            return Err(LicenceNumberError::Malformed);
        }
        let authority = &text[4..6];
        let known = authority
            .parse::<u8>()
            .ok()
            .and_then(|code| authorities.get(code))
            .is_some();
        if !known {
            return Err(LicenceNumberError::UnknownAuthority(authority.to_string()));
        }
        let year: i32 = text[10..]
            .parse()
            .map_err(|_| LicenceNumberError::Malformed)?;
        if !(1990..=this_year).contains(&year) {
            return Err(LicenceNumberError::ImplausibleYear(year));
        }
        Ok(LicenceNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The position of a renewal filing date against the window of 6-12 months before expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenewalWindow {
    /// More than 12 months before expiry: too early, the window opens on the given date.
    TooEarly { opens: NaiveDate },
    /// 6-12 months before expiry.
    Inside,
    /// Less than 6 months before expiry: allowed with a written reason.
    Late,
    /// After the expiry date, the last day of validity: the licence has lapsed and a new
    /// application is needed.
    Expired,
}

/// Classifies a renewal filed on `today` for a licence that expires on `expires_on`.
pub fn renewal_window(today: NaiveDate, expires_on: NaiveDate) -> RenewalWindow {
    if today > expires_on {
        return RenewalWindow::Expired;
    }
    let opens = expires_on
        .checked_sub_months(Months::new(12))
        .unwrap_or(expires_on);
    let late_from = expires_on
        .checked_sub_months(Months::new(6))
        .unwrap_or(expires_on);
    if today < opens {
        RenewalWindow::TooEarly { opens }
    } else if today <= late_from {
        RenewalWindow::Inside
    } else {
        RenewalWindow::Late
    }
}

/// Working days within which a change (变更) must be applied for.
pub const CHANGE_LIMIT_WORKING_DAYS: u32 = 30;

/// Checks that a change on `changed_on` is applied for on `today`, within 30 working days.
/// Returns the last day allowed when it is too late.
pub fn change_deadline_missed(
    calendar: &WorkingCalendar,
    changed_on: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let last_day = calendar
        .add_working_days(changed_on, CHANGE_LIMIT_WORKING_DAYS)
        .date;
    (today > last_day).then_some(last_day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHORITIES: &str = include_str!("../../assets/data/authorities.csv");
    const HOLIDAYS: &str = include_str!("../../assets/data/holidays.csv");

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn licence_numbers() {
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let parse = |text| LicenceNumber::parse(text, &authorities, 2026);
        assert_eq!(parse("TS2710692-2023").unwrap().as_str(), "TS2710692-2023");
        assert_eq!(
            parse(" ts2732001-2024 ").unwrap().as_str(),
            "TS2732001-2024"
        );
        assert_eq!(parse(""), Err(LicenceNumberError::Empty));
        assert_eq!(parse("TS271069-2023"), Err(LicenceNumberError::Malformed));
        assert_eq!(parse("TX2710692-2023"), Err(LicenceNumberError::Malformed));
        assert_eq!(parse("TS2710692/2023"), Err(LicenceNumberError::Malformed));
        assert_eq!(
            parse("TS2799692-2023"),
            Err(LicenceNumberError::UnknownAuthority("99".into()))
        );
        assert_eq!(
            parse("TS2710692-2031"),
            Err(LicenceNumberError::ImplausibleYear(2031))
        );
    }

    #[test]
    fn renewal_window_cases() {
        let expiry = date("2027-09-30");
        assert_eq!(
            renewal_window(date("2026-09-29"), expiry),
            RenewalWindow::TooEarly {
                opens: date("2026-09-30")
            }
        );
        assert_eq!(
            renewal_window(date("2026-09-30"), expiry),
            RenewalWindow::Inside
        );
        assert_eq!(
            renewal_window(date("2027-03-30"), expiry),
            RenewalWindow::Inside
        );
        assert_eq!(
            renewal_window(date("2027-03-31"), expiry),
            RenewalWindow::Late
        );
        assert_eq!(
            renewal_window(date("2027-09-29"), expiry),
            RenewalWindow::Late
        );
        assert_eq!(
            renewal_window(date("2027-09-30"), expiry),
            RenewalWindow::Late
        );
        assert_eq!(
            renewal_window(date("2027-10-01"), expiry),
            RenewalWindow::Expired
        );
    }

    #[test]
    fn change_window_counts_working_days() {
        let calendar = WorkingCalendar::from_csv(HOLIDAYS).unwrap();
        // 30 working days after 1 September 2026 cross the National Day holidays.
        let changed = date("2026-09-01");
        let last = calendar.add_working_days(changed, 30).date;
        assert_eq!(last, date("2026-10-19"));
        assert_eq!(change_deadline_missed(&calendar, changed, last), None);
        assert_eq!(
            change_deadline_missed(&calendar, changed, date("2026-10-20")),
            Some(last)
        );
    }
}
