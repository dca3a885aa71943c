//! The conditions to apply for an NDT or inspector qualification, under the rules of TSG Z8001-2019
//! (NDT personnel) and TSG Z8002-2022 (inspection personnel): age, the renewal window,
//! prerequisite certificates, and one open application per item.

use chrono::{Datelike, Months, NaiveDate};

use super::personnel::display_code;

/// 申请类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 取证: a first certificate.
    Initial,
    /// 考试换证: renewal by examination.
    RenewalByExam,
    /// 审核换证: renewal by review, without examination.
    RenewalByReview,
    /// 变更: a change, such as of employer.
    Change,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Initial,
        Category::RenewalByExam,
        Category::RenewalByReview,
        Category::Change,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::Initial => "取证",
            Category::RenewalByExam => "考试换证",
            Category::RenewalByReview => "审核换证",
            Category::Change => "变更",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Category::Initial => "initial",
            Category::RenewalByExam => "renewal_exam",
            Category::RenewalByReview => "renewal_review",
            Category::Change => "change",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.slug() == slug)
    }

    pub fn is_renewal(self) -> bool {
        matches!(self, Category::RenewalByExam | Category::RenewalByReview)
    }
}

/// A certificate the applicant already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCertificate {
    pub code: String,
    pub level: String,
    pub first_issued: NaiveDate,
    pub expires_on: NaiveDate,
}

/// Inputs of the eligibility rules.
pub struct Request<'a> {
    pub birth_date: NaiveDate,
    pub today: NaiveDate,
    pub category: Category,
    pub code: &'a str,
    pub level: &'a str,
    pub held: &'a [HeldCertificate],
    /// Display codes (`RT-II`) of the applicant's applications still open.
    pub open_items: &'a [String],
}

/// Full years of age on `today`.
pub fn age(birth_date: NaiveDate, today: NaiveDate) -> i32 {
    let mut years = today.year() - birth_date.year();
    if (today.month(), today.day()) < (birth_date.month(), birth_date.day()) {
        years -= 1;
    }
    years
}

/// Checks every rule; returns all the reasons the application is refused, each citing its
/// rule, or nothing when it may be filed.
pub fn check(request: &Request<'_>) -> Vec<String> {
    let mut refusals = Vec::new();
    let age = age(request.birth_date, request.today);
    let item = display_code(request.code, request.level);

    match request.category {
        Category::Initial if !(18..=60).contains(&age) => refusals.push(format!(
            "取证申请人年龄应为18至60周岁（TSG Z8001-2019），您现年{age}周岁"
        )),
        category if category.is_renewal() && age > 65 => refusals.push(format!(
            "换证申请人年龄不应超过65周岁（TSG Z8001-2019），您现年{age}周岁"
        )),
        _ => {}
    }

    if request.category.is_renewal() {
        check_renewal(request, &item, &mut refusals);
    }
    if request.category == Category::Change {
        let holds = request.held.iter().any(|certificate| {
            certificate.code == request.code
                && certificate.level == request.level
                && certificate.expires_on >= request.today
        });
        if !holds {
            refusals.push(format!(
                "变更须持有有效的{item}证书，请在“已持有证书”中填写该证书；未持证的请申请“取证”"
            ));
        }
    }
    if request.category == Category::Initial {
        check_prerequisites(request, &mut refusals);
    }
    if request.open_items.contains(&item) {
        refusals.push(format!(
            "您已有一份{item}项目的申请正在办理，同一项目不能重复申请；如需重新申请，请先撤销原申请"
        ));
    }
    refusals
}

fn check_renewal(request: &Request<'_>, item: &str, refusals: &mut Vec<String>) {
    let held = request
        .held
        .iter()
        .find(|certificate| certificate.code == request.code && certificate.level == request.level);
    let Some(held) = held else {
        refusals.push(format!(
            "换证须持有{item}项目证书，请在“已持有证书”中填写该证书"
        ));
        return;
    };
    let expiry = held.expires_on;
    let shown = expiry.format("%Y-%m-%d");
    if request.today >= expiry {
        let year_after = expiry.checked_add_months(Months::new(12)).unwrap_or(expiry);
        if request.today > year_after {
            refusals.push(format!(
                "{item}证书已于{shown}到期超过1年（TSG Z8001-2019），不能换证，请按“取证”重新申请"
            ));
        } else if request.category == Category::RenewalByReview {
            refusals.push(format!(
                "{item}证书已于{shown}到期，到期1年内只能“考试换证”（TSG Z8001-2019），请改选申请类别"
            ));
        }
        return;
    }
    let opens = expiry.checked_sub_months(Months::new(18)).unwrap_or(expiry);
    let closes = expiry.checked_sub_months(Months::new(6)).unwrap_or(expiry);
    if request.today < opens || request.today > closes {
        refusals.push(format!(
            "换证应在证书有效期届满前6至18个月内申请（TSG Z8001-2019），{item}证书有效期至{shown}，可申请期间为{}至{}",
            opens.format("%Y-%m-%d"),
            closes.format("%Y-%m-%d")
        ));
    }
}

/// TOFD-II and PA-II need UT-II held 2 years or UT-III; RT(D)-II needs RT-II held 2 years
/// or RT-III.
fn check_prerequisites(request: &Request<'_>, refusals: &mut Vec<String>) {
    let base = match (request.code, request.level) {
        ("TOFD", "II") | ("PA", "II") => "UT",
        ("RT(D)", "II") => "RT",
        _ => return,
    };
    let valid = |certificate: &&HeldCertificate| {
        certificate.code == base && certificate.expires_on > request.today
    };
    let two_years_ago = request
        .today
        .checked_sub_months(Months::new(24))
        .unwrap_or(request.today);
    let qualifies = request.held.iter().filter(valid).any(|certificate| {
        certificate.level == "III"
            || (certificate.level == "II" && certificate.first_issued <= two_years_ago)
    });
    if !qualifies {
        refusals.push(format!(
            "申请{}须持有{base}-II证书满2年或持有{base}-III证书（TSG Z8001-2019）",
            display_code(request.code, request.level)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    const TODAY: &str = "2026-12-04";

    fn request<'a>(
        birth: &str,
        category: Category,
        code: &'a str,
        level: &'a str,
        held: &'a [HeldCertificate],
    ) -> Request<'a> {
        Request {
            birth_date: date(birth),
            today: date(TODAY),
            category,
            code,
            level,
            held,
            open_items: &[],
        }
    }

    fn certificate(code: &str, level: &str, first: &str, expires: &str) -> HeldCertificate {
        HeldCertificate {
            code: code.into(),
            level: level.into(),
            first_issued: date(first),
            expires_on: date(expires),
        }
    }

    #[test]
    fn initial_age_bounds() {
        let cases = [
            ("2009-12-05", false), // 16 years
            ("2008-12-05", false), // 17
            ("2008-12-04", true),  // 18 today
            ("1966-12-04", true),  // 60 today
            ("1965-12-04", false), // 61
        ];
        for (birth, allowed) in cases {
            let refusals = check(&request(birth, Category::Initial, "MT", "II", &[]));
            assert_eq!(refusals.is_empty(), allowed, "{birth}: {refusals:?}");
        }
    }

    #[test]
    fn renewal_age_bounds() {
        let held = [certificate("MT", "II", "2022-06-01", "2027-09-01")];
        for (birth, allowed) in [("1961-12-04", true), ("1960-12-04", false)] {
            let refusals = check(&request(birth, Category::RenewalByExam, "MT", "II", &held));
            assert_eq!(refusals.is_empty(), allowed, "{birth}: {refusals:?}");
        }
    }

    #[test]
    fn renewal_windows() {
        let birth = "1980-01-01";
        let cases = [
            ("2027-09-01", Category::RenewalByReview, true), // 9 months ahead
            ("2028-12-01", Category::RenewalByReview, false), // 24 months ahead
            ("2027-03-01", Category::RenewalByReview, false), // 3 months ahead
            ("2026-06-01", Category::RenewalByExam, true),   // expired 6 months ago
            ("2026-06-01", Category::RenewalByReview, false), // exam only
            ("2025-06-01", Category::RenewalByExam, false),  // expired over a year
        ];
        for (expiry, category, allowed) in cases {
            let held = [certificate("UT", "II", "2020-06-01", expiry)];
            let refusals = check(&request(birth, category, "UT", "II", &held));
            assert_eq!(
                refusals.is_empty(),
                allowed,
                "{expiry} {category:?}: {refusals:?}"
            );
        }
    }

    #[test]
    fn tofd_needs_ut_two_years_or_ut_three() {
        let birth = "1980-01-01";
        let none: [HeldCertificate; 0] = [];
        assert!(!check(&request(birth, Category::Initial, "TOFD", "II", &none)).is_empty());
        let recent = [certificate("UT", "II", "2025-06-01", "2030-06-01")];
        assert!(!check(&request(birth, Category::Initial, "TOFD", "II", &recent)).is_empty());
        let old = [certificate("UT", "II", "2024-12-04", "2029-12-04")];
        assert!(check(&request(birth, Category::Initial, "TOFD", "II", &old)).is_empty());
        let three = [certificate("UT", "III", "2026-01-01", "2031-01-01")];
        assert!(check(&request(birth, Category::Initial, "PA", "II", &three)).is_empty());
    }

    #[test]
    fn rt_digital_needs_rt() {
        let birth = "1980-01-01";
        let ut = [certificate("UT", "III", "2020-01-01", "2030-01-01")];
        assert!(!check(&request(birth, Category::Initial, "RT(D)", "II", &ut)).is_empty());
        let rt = [certificate("RT", "II", "2023-01-01", "2028-01-01")];
        assert!(check(&request(birth, Category::Initial, "RT(D)", "II", &rt)).is_empty());
    }

    #[test]
    fn change_needs_the_certificate() {
        let birth = "1980-01-01";
        let none: [HeldCertificate; 0] = [];
        assert!(!check(&request(birth, Category::Change, "PT", "II", &none)).is_empty());
        let other = [certificate("MT", "II", "2022-01-01", "2027-01-01")];
        assert!(!check(&request(birth, Category::Change, "PT", "II", &other)).is_empty());
        let same = [certificate("PT", "II", "2022-01-01", "2027-01-01")];
        assert!(check(&request(birth, Category::Change, "PT", "II", &same)).is_empty());
    }

    #[test]
    fn second_open_application_is_refused() {
        let open = vec!["MT-II".to_string()];
        let request = Request {
            open_items: &open,
            ..request("1980-01-01", Category::Initial, "MT", "II", &[])
        };
        let refusals = check(&request);
        assert_eq!(refusals.len(), 1);
        assert!(refusals[0].contains("不能重复申请"));
    }
}
