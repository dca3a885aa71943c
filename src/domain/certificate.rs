//! Licence certificates (特种设备生产许可证): the `TS` number and the term.

use chrono::{Months, NaiveDate};

use super::application::ApplicationKind;
use super::authority::AuthorityCode;

/// Years a production unit licence is valid.
pub const TERM_YEARS: u32 = 4;

/// Returns the activity digit of a licence number, from the licence category. Manufacturing (2) and
/// filling (4) are known from issued certificates.
// NOTE: the digits for design (1) and installation, repair and modification (3) follow the
// order of the catalogue and are unconfirmed.
pub fn activity_digit(category: &str) -> u8 {
    match category {
        "设计单位许可" => 1,
        "制造单位许可" => 2,
        "安装改造修理单位许可" => 3,
        "充装单位许可" => 4,
        _ => 0,
    }
}

/// The equipment-class digit, from the first digit of the equipment code in the special
/// equipment catalogue (锅炉 1000, 压力容器 2000, 电梯 3000, 起重机械 4000, 场(厂)内专用机动车辆
/// 5000, 大型游乐设施 6000, 压力管道元件 7000, 压力管道 8000, 客运索道 9000).
// NOTE: safety accessories (安全附件, code F000) and foreign makers have no digit of their own
// here, so they take 0 until a real certificate shows the practice.
pub fn equipment_digit(item: &str) -> u8 {
    let classes: [(&str, u8); 9] = [
        ("压力管道元件", 7),
        ("压力管道", 8),
        ("管道", 8),
        ("锅炉", 1),
        ("压力容器", 2),
        ("气瓶", 2),
        ("电梯", 3),
        ("起重机械", 4),
        ("客运索道", 9),
    ];
    let more: [(&str, u8); 3] = [("专用机动车辆", 5), ("大型游乐设施", 6), ("承压类", 8)];
    classes
        .iter()
        .chain(more.iter())
        .find(|(word, _)| item.contains(word))
        .map(|(_, digit)| *digit)
        .unwrap_or(0)
}

/// Formats a licence number: `TS`, activity, class, two authority digits, a three-digit unit
/// serial, `-`, the year of issue.
pub fn licence_number(
    activity: u8,
    equipment: u8,
    authority: AuthorityCode,
    unit_serial: u64,
    year: i32,
) -> String {
    format!("TS{activity}{equipment}{authority:02}{unit_serial:03}-{year}")
}

/// Returns the expiry of a licence issued on `issued_on` for an application of `kind`. A
/// first licence and a renewal run 4 years. Adding items, a change and a reissue keep the
/// expiry of the licence they start from.
pub fn expiry(
    kind: &ApplicationKind,
    issued_on: NaiveDate,
    previous_expiry: Option<NaiveDate>,
) -> NaiveDate {
    let full_term = || {
        issued_on
            .checked_add_months(Months::new(TERM_YEARS * 12))
            .unwrap_or(issued_on)
    };
    match kind {
        ApplicationKind::First | ApplicationKind::Renewal { .. } => full_term(),
        ApplicationKind::AddItems
        | ApplicationKind::Change { .. }
        | ApplicationKind::Reissue { .. } => previous_expiry.unwrap_or_else(full_term),
    }
}

/// The state of a certificate on `today`, for the public verification page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    Valid,
    Expired,
    Withdrawn,
}

impl Validity {
    pub fn of(expires_on: NaiveDate, withdrawn: bool, today: NaiveDate) -> Validity {
        if withdrawn {
            Validity::Withdrawn
        } else if today > expires_on {
            Validity::Expired
        } else {
            Validity::Valid
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Validity::Valid => "有效",
            Validity::Expired => "已过期",
            Validity::Withdrawn => "已撤销",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn number_matches_known_certificate_shape() {
        let number = licence_number(
            activity_digit("制造单位许可"),
            equipment_digit("压力管道元件制造"),
            10,
            692,
            2023,
        );
        assert_eq!(number, "TS2710692-2023");
        assert_eq!(licence_number(2, 2, 32, 7, 2026), "TS2232007-2026");
    }

    #[test]
    fn equipment_digits() {
        assert_eq!(
            equipment_digit("锅炉制造(含安装(散装锅炉除外)、修理、改造)"),
            1
        );
        assert_eq!(equipment_digit("压力容器制造(含安装、修理、改造)"), 2);
        assert_eq!(equipment_digit("电梯安装(含修理)"), 3);
        assert_eq!(equipment_digit("压力管道设计"), 8);
        assert_eq!(equipment_digit("移动式压力容器、气瓶充装"), 2);
    }

    #[test]
    fn term_by_kind() {
        let issued = date("2026-12-04");
        assert_eq!(
            expiry(&ApplicationKind::First, issued, None),
            date("2030-12-04")
        );
        assert_eq!(
            expiry(&ApplicationKind::AddItems, issued, Some(date("2028-05-01"))),
            date("2028-05-01")
        );
    }

    #[test]
    fn validity() {
        let today = date("2026-12-04");
        assert_eq!(
            Validity::of(date("2027-01-01"), false, today),
            Validity::Valid
        );
        assert_eq!(
            Validity::of(date("2026-12-04"), false, today),
            Validity::Valid
        );
        assert_eq!(
            Validity::of(date("2026-12-03"), false, today),
            Validity::Expired
        );
        assert_eq!(
            Validity::of(date("2027-01-01"), true, today),
            Validity::Withdrawn
        );
    }
}
