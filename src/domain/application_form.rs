//! The multi-page 许可申请书: its pages, the values as typed (so a draft keeps even invalid
//! input), and the checks each page must pass before it is left.

use serde::{Deserialize, Serialize};

use super::authority::{Authorities, Authority, AuthorityCode, RoutingError};
use super::catalogue::{Catalogue, SubItem};
use super::contact::validate_mobile;

/// The pages of the form, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormPage {
    Unit,
    Addresses,
    Items,
    Quality,
    Technical,
    Attachments,
    Review,
}

impl FormPage {
    pub const ALL: [FormPage; 7] = [
        FormPage::Unit,
        FormPage::Addresses,
        FormPage::Items,
        FormPage::Quality,
        FormPage::Technical,
        FormPage::Attachments,
        FormPage::Review,
    ];

    /// Returns the path segment of the page.
    pub fn slug(self) -> &'static str {
        match self {
            FormPage::Unit => "unit",
            FormPage::Addresses => "addresses",
            FormPage::Items => "items",
            FormPage::Quality => "quality",
            FormPage::Technical => "technical",
            FormPage::Attachments => "attachments",
            FormPage::Review => "review",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            FormPage::Unit => "申请单位基本情况",
            FormPage::Addresses => "生产地址",
            FormPage::Items => "申请许可项目",
            FormPage::Quality => "质量保证体系人员",
            FormPage::Technical => "技术力量",
            FormPage::Attachments => "附件材料",
            FormPage::Review => "确认提交",
        }
    }

    pub fn from_slug(slug: &str) -> Option<FormPage> {
        FormPage::ALL.into_iter().find(|page| page.slug() == slug)
    }

    /// Returns the 1-based position of the page.
    pub fn number(self) -> usize {
        FormPage::ALL
            .iter()
            .position(|page| *page == self)
            .unwrap_or(0)
            + 1
    }

    pub fn next(self) -> Option<FormPage> {
        FormPage::ALL.get(self.number()).copied()
    }
}

/// 申请单位基本情况, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitDetails {
    pub unit_name: String,
    pub credit_code: String,
    /// 住所 on the business licence.
    pub domicile: String,
    pub office_address: String,
    pub postcode: String,
    pub legal_representative: String,
    pub contact_name: String,
    pub phone: String,
    pub mobile: String,
    pub email: String,
    /// 固定资产, in 万元.
    pub fixed_assets: String,
    /// 注册资金, in 万元.
    pub registered_capital: String,
    pub staff_total: String,
    pub technical_staff: String,
    /// A branch (分支机构) that applies on its own needs the head office's authorisation.
    pub branch_alone: bool,
}

/// One numbered production address (生产地址).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AddressRow {
    pub province: String,
    pub city: String,
    pub district: String,
    pub street: String,
}

impl AddressRow {
    pub fn province_code(&self) -> Option<AuthorityCode> {
        self.province.parse().ok()
    }

    pub fn is_blank(&self) -> bool {
        self.province.is_empty()
            && self.city.is_empty()
            && self.district.is_empty()
            && self.street.is_empty()
    }
}

/// A chosen sub-item and the number of the address it is produced at.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ItemChoice {
    pub sub_item: String,
    pub address: String,
}

/// A person of the quality assurance system.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityPerson {
    pub name: String,
    pub post: String,
    pub title: String,
}

/// The processes whose responsible persons (质量控制系统责任人员) the form lists.
pub const RESPONSIBLE_ROLES: [&str; 8] = [
    "设计",
    "工艺",
    "材料",
    "焊接",
    "无损检测",
    "理化",
    "热处理",
    "检验与试验",
];

/// 质量保证体系人员: the quality assurance engineer and the persons responsible for each
/// process, one per entry of `RESPONSIBLE_ROLES`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QualityStaff {
    pub engineer: QualityPerson,
    pub responsible: Vec<QualityPerson>,
}

/// Specialties whose technical staff the form counts.
pub const SPECIALTIES: [&str; 6] = ["机械", "焊接", "材料", "无损检测", "电气", "其他"];

/// Non-destructive testing methods and levels the form counts staff for.
pub const NDT_METHODS: [&str; 6] = ["RT", "UT", "MT", "PT", "TOFD", "PA"];
pub const NDT_LEVELS: [&str; 3] = ["I", "II", "III"];

/// 技术力量: staff counts as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TechnicalStrength {
    /// One count per entry of `SPECIALTIES`.
    pub specialties: Vec<String>,
    /// 持证焊工 (certified welders).
    pub welders: String,
    /// One count per method and level, method-major over `NDT_METHODS` × `NDT_LEVELS`.
    pub ndt: Vec<String>,
}

/// The whole 许可申请书 as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationForm {
    pub unit: UnitDetails,
    pub addresses: Vec<AddressRow>,
    pub items: Vec<ItemChoice>,
    pub quality: QualityStaff,
    pub technical: TechnicalStrength,
    /// The applicant ticked the declaration on the last page.
    pub declaration: bool,
}

/// A message on one field of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub message: String,
}

/// The messages of one page, in field order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if !self.0.iter().any(|problem| problem.field == field) {
            self.0.push(Problem {
                field,
                message: message.into(),
            });
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn require(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, format!("请填写{label}"));
        } else if value.chars().count() > max {
            self.add(field, format!("{label}不能超过{max}个字"));
        }
    }

    fn limit(&mut self, field: &str, label: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add(field, format!("{label}不能超过{max}个字"));
        }
    }
}

/// Inputs of the page checks besides the form: the data tables and the attachments present.
pub struct CheckContext<'a> {
    pub catalogue: &'a Catalogue,
    pub authorities: &'a Authorities,
    /// Attachment kinds that must be uploaded for this application.
    pub required_attachments: Vec<super::attachment::AttachmentKind>,
    /// Attachment kinds uploaded so far.
    pub uploaded_attachments: Vec<super::attachment::AttachmentKind>,
}

impl ApplicationForm {
    /// Returns the chosen catalogue rows that exist, in choice order.
    pub fn sub_items<'a>(&self, catalogue: &'a Catalogue) -> Vec<&'a SubItem> {
        self.items
            .iter()
            .filter_map(|choice| catalogue.get(&choice.sub_item))
            .collect()
    }

    /// Derives the approving authority from the chosen sub-items and the provinces of the
    /// addresses they are tied to.
    pub fn authority<'a>(
        &self,
        catalogue: &Catalogue,
        authorities: &'a Authorities,
    ) -> Result<&'a Authority, RoutingError> {
        let sub_items = self.sub_items(catalogue);
        let provinces: Vec<AuthorityCode> = self
            .items
            .iter()
            .filter_map(|choice| self.address_of(choice))
            .filter_map(AddressRow::province_code)
            .collect();
        authorities.derive(&sub_items, &provinces)
    }

    /// Returns the address a choice is tied to, by its 1-based number.
    pub fn address_of(&self, choice: &ItemChoice) -> Option<&AddressRow> {
        let number: usize = choice.address.parse().ok()?;
        self.addresses.get(number.checked_sub(1)?)
    }

    /// Checks one page; the review page checks the declaration and every other page.
    pub fn check(&self, page: FormPage, context: &CheckContext<'_>) -> Problems {
        let mut problems = Problems::default();
        match page {
            FormPage::Unit => self.check_unit(&mut problems),
            FormPage::Addresses => self.check_addresses(context, &mut problems),
            FormPage::Items => self.check_items(context, &mut problems),
            FormPage::Quality => self.check_quality(&mut problems),
            FormPage::Technical => self.check_technical(&mut problems),
            FormPage::Attachments => check_attachments(context, &mut problems),
            FormPage::Review => {
                if !self.declaration {
                    problems.add("declaration", "请阅读并勾选声明后再提交");
                }
            }
        }
        problems
    }

    /// Returns the pages that do not pass their checks, with their problems, for the review
    /// page.
    pub fn incomplete_pages(&self, context: &CheckContext<'_>) -> Vec<(FormPage, Problems)> {
        FormPage::ALL
            .into_iter()
            .filter(|page| *page != FormPage::Review)
            .map(|page| (page, self.check(page, context)))
            .filter(|(_, problems)| !problems.is_empty())
            .collect()
    }

    fn check_unit(&self, problems: &mut Problems) {
        let unit = &self.unit;
        problems.require("unit_name", "单位名称", &unit.unit_name, 100);
        problems.require("domicile", "住所", &unit.domicile, 200);
        problems.require("office_address", "办公地址", &unit.office_address, 200);
        if !(unit.postcode.len() == 6 && unit.postcode.bytes().all(|b| b.is_ascii_digit())) {
            problems.add("postcode", "邮政编码应为6位数字，例如210000");
        }
        problems.require(
            "legal_representative",
            "法定代表人",
            &unit.legal_representative,
            50,
        );
        problems.require("contact_name", "联系人", &unit.contact_name, 50);
        problems.limit("phone", "联系电话", &unit.phone, 30);
        if !unit.phone.is_empty() && !looks_like_phone(&unit.phone) {
            problems.add("phone", "联系电话格式不正确，例如 025-12345678");
        }
        if let Err(message) = validate_mobile(&unit.mobile) {
            problems.add("mobile", message);
        }
        if !looks_like_email(&unit.email) {
            problems.add("email", "请填写正确的电子邮箱，例如 name@example.com");
        }
        check_amount(problems, "fixed_assets", "固定资产", &unit.fixed_assets);
        check_amount(
            problems,
            "registered_capital",
            "注册资金",
            &unit.registered_capital,
        );
        let total = check_count(problems, "staff_total", "职工总数", &unit.staff_total, true);
        let technical = check_count(
            problems,
            "technical_staff",
            "专业技术人员数",
            &unit.technical_staff,
            true,
        );
        if let (Some(total), Some(technical)) = (total, technical) {
            if total == 0 {
                problems.add("staff_total", "职工总数应大于0");
            } else if technical > total {
                problems.add("technical_staff", "专业技术人员数不能多于职工总数");
            }
        }
    }

    fn check_addresses(&self, context: &CheckContext<'_>, problems: &mut Problems) {
        if self.addresses.is_empty() {
            problems.add("address_1_province", "请至少填写一个生产地址");
        }
        for (index, address) in self.addresses.iter().enumerate() {
            let number = index + 1;
            let field = |name: &str| format!("address_{number}_{name}");
            let known_province = address
                .province_code()
                .and_then(|code| context.authorities.get(code))
                .is_some_and(|authority| authority.code != super::authority::SAMR);
            if !known_province {
                problems.add(field("province"), format!("请选择生产地址{number}所在省份"));
            }
            problems.require(
                &field("city"),
                &format!("生产地址{number}的市"),
                &address.city,
                50,
            );
            problems.require(
                &field("district"),
                &format!("生产地址{number}的区（县）"),
                &address.district,
                50,
            );
            problems.require(
                &field("street"),
                &format!("生产地址{number}的详细地址"),
                &address.street,
                200,
            );
        }
    }

    fn check_items(&self, context: &CheckContext<'_>, problems: &mut Problems) {
        if self.items.is_empty() {
            problems.add("sub_item", "请至少选择一个申请许可的子项目");
            return;
        }
        for choice in &self.items {
            let Some(sub_item) = context.catalogue.get(&choice.sub_item) else {
                problems.add("sub_item", "所选子项目不在许可目录中，请重新勾选");
                continue;
            };
            if self.address_of(choice).is_none() {
                problems.add(
                    format!("address_for_{}", sub_item.id),
                    format!("请为“{}”选择生产地址", sub_item.label()),
                );
            }
        }
        if problems.is_empty() {
            if let Err(error) = self.authority(context.catalogue, context.authorities) {
                problems.add("sub_item", error.to_string());
            }
        }
    }

    fn check_quality(&self, problems: &mut Problems) {
        let engineer = &self.quality.engineer;
        problems.require("engineer_name", "质量保证工程师姓名", &engineer.name, 50);
        problems.require("engineer_post", "质量保证工程师职务", &engineer.post, 50);
        problems.require("engineer_title", "质量保证工程师职称", &engineer.title, 50);
        let mut named = 0;
        for (index, person) in self.quality.responsible.iter().enumerate() {
            let role = RESPONSIBLE_ROLES.get(index).copied().unwrap_or("其他");
            problems.limit(
                &format!("responsible_{index}_name"),
                &format!("{role}责任人员姓名"),
                &person.name,
                50,
            );
            problems.limit(
                &format!("responsible_{index}_title"),
                &format!("{role}责任人员职称"),
                &person.title,
                50,
            );
            if !person.name.trim().is_empty() {
                named += 1;
                if person.title.trim().is_empty() {
                    problems.add(
                        format!("responsible_{index}_title"),
                        format!("请填写{role}责任人员的职称"),
                    );
                }
            }
        }
        if named == 0 {
            problems.add("responsible_0_name", "请至少填写一名质量控制系统责任人员");
        }
    }

    fn check_technical(&self, problems: &mut Problems) {
        for (index, count) in self.technical.specialties.iter().enumerate() {
            let specialty = SPECIALTIES.get(index).copied().unwrap_or("其他");
            check_count(
                problems,
                &format!("specialty_{index}"),
                &format!("{specialty}专业人员数"),
                count,
                false,
            );
        }
        check_count(
            problems,
            "welders",
            "持证焊工人数",
            &self.technical.welders,
            false,
        );
        for (index, count) in self.technical.ndt.iter().enumerate() {
            let method = NDT_METHODS[index / NDT_LEVELS.len() % NDT_METHODS.len()];
            let level = NDT_LEVELS[index % NDT_LEVELS.len()];
            check_count(
                problems,
                &format!("ndt_{method}_{level}"),
                &format!("{method}-{level}无损检测人员数"),
                count,
                false,
            );
        }
    }
}

fn check_attachments(context: &CheckContext<'_>, problems: &mut Problems) {
    for kind in &context.required_attachments {
        if !context.uploaded_attachments.contains(kind) {
            problems.add(
                format!("attachment_{}", kind.slug()),
                format!("请上传{}", kind.label()),
            );
        }
    }
}

/// Checks an amount in 万元: a non-negative number with at most 4 decimals.
fn check_amount(problems: &mut Problems, field: &str, label: &str, value: &str) {
    let value = value.trim();
    if value.is_empty() {
        problems.add(field, format!("请填写{label}（万元）"));
        return;
    }
    let valid = value
        .parse::<f64>()
        .is_ok_and(|amount| amount >= 0.0 && amount.is_finite())
        && value
            .split_once('.')
            .is_none_or(|(_, decimals)| decimals.len() <= 4)
        && value.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !valid {
        problems.add(field, format!("{label}应为以万元为单位的数字，例如1200.5"));
    }
}

/// Checks a head count; returns it when valid.
fn check_count(
    problems: &mut Problems,
    field: &str,
    label: &str,
    value: &str,
    required: bool,
) -> Option<u32> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            problems.add(field, format!("请填写{label}"));
        }
        return None;
    }
    match value.parse::<u32>() {
        Ok(count) if count <= 1_000_000 => Some(count),
        _ => {
            problems.add(field, format!("{label}应为不小于0的整数"));
            None
        }
    }
}

/// Checks the rough shape of an e-mail address: one @, something before it and a dotted
/// domain after it, no spaces.
pub fn looks_like_email(email: &str) -> bool {
    let allowed = |c: char| c.is_alphanumeric() || "._%+-@".contains(c);
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && email.chars().all(allowed)
                && email.chars().count() <= 100
        }
        None => false,
    }
}

/// Checks a fixed-line telephone number: digits with the usual separators, such as
/// 025-12345678 or (025) 1234 5678 转 801.
pub fn looks_like_phone(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (7..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " -+()（）转".contains(c) || c == 'x')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attachment::AttachmentKind;

    const CATALOGUE: &str = include_str!("../../assets/data/production-catalogue.csv");
    const AUTHORITIES: &str = include_str!("../../assets/data/authorities.csv");

    fn context<'a>(catalogue: &'a Catalogue, authorities: &'a Authorities) -> CheckContext<'a> {
        CheckContext {
            catalogue,
            authorities,
            required_attachments: vec![AttachmentKind::BusinessLicence],
            uploaded_attachments: vec![],
        }
    }

    fn address(province: &str) -> AddressRow {
        AddressRow {
            province: province.into(),
            city: "南京市".into(),
            district: "江宁区".into(),
            street: "将军大道100号".into(),
        }
    }

    #[test]
    fn pages_in_order() {
        assert_eq!(FormPage::Unit.next(), Some(FormPage::Addresses));
        assert_eq!(FormPage::Attachments.next(), Some(FormPage::Review));
        assert_eq!(FormPage::Review.next(), None);
        assert_eq!(FormPage::Items.number(), 3);
        assert_eq!(FormPage::from_slug("quality"), Some(FormPage::Quality));
    }

    #[test]
    fn empty_unit_page_names_every_field() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let problems =
            ApplicationForm::default().check(FormPage::Unit, &context(&catalogue, &authorities));
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "unit_name",
                "domicile",
                "office_address",
                "postcode",
                "legal_representative",
                "contact_name",
                "mobile",
                "email",
                "fixed_assets",
                "registered_capital",
                "staff_total",
                "technical_staff"
            ]
        );
    }

    #[test]
    fn provincial_items_in_two_provinces_need_two_applications() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let form = ApplicationForm {
            addresses: vec![address("32"), address("33")],
            items: vec![
                ItemChoice {
                    sub_item: "M12".into(),
                    address: "1".into(),
                },
                ItemChoice {
                    sub_item: "M15".into(),
                    address: "2".into(),
                },
            ],
            ..ApplicationForm::default()
        };
        let problems = form.check(FormPage::Items, &context(&catalogue, &authorities));
        assert!(problems.0[0].message.contains("请按省份分别提交申请"));
    }

    #[test]
    fn samr_items_at_two_provinces_go_to_samr() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let form = ApplicationForm {
            addresses: vec![address("32"), address("33")],
            items: vec![
                ItemChoice {
                    sub_item: "M04".into(),
                    address: "1".into(),
                },
                ItemChoice {
                    sub_item: "M05".into(),
                    address: "2".into(),
                },
            ],
            ..ApplicationForm::default()
        };
        assert_eq!(form.authority(&catalogue, &authorities).unwrap().code, 10);
    }

    #[test]
    fn item_without_address_is_reported() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let form = ApplicationForm {
            addresses: vec![address("32")],
            items: vec![ItemChoice {
                sub_item: "M12".into(),
                address: "3".into(),
            }],
            ..ApplicationForm::default()
        };
        let problems = form.check(FormPage::Items, &context(&catalogue, &authorities));
        assert_eq!(problems.0[0].field, "address_for_M12");
    }

    #[test]
    fn missing_attachment_is_reported() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let authorities = Authorities::from_csv(AUTHORITIES).unwrap();
        let problems = ApplicationForm::default()
            .check(FormPage::Attachments, &context(&catalogue, &authorities));
        assert_eq!(problems.0[0].field, "attachment_business_licence");
    }

    #[test]
    fn email_and_phone_shapes() {
        assert!(looks_like_email("contact@example.com"));
        assert!(!looks_like_email("a@b.c\"><script>"));
        assert!(!looks_like_email("a b@example.com"));
        assert!(!looks_like_email("@example.com"));
        assert!(looks_like_phone("025-12345678"));
        assert!(looks_like_phone("(025) 1234 5678 转 801"));
        assert!(!looks_like_phone("call me"));
        assert!(!looks_like_phone("12"));
    }

    #[test]
    fn amounts_and_counts() {
        let mut problems = Problems::default();
        check_amount(&mut problems, "a", "固定资产", "1200.5");
        check_amount(&mut problems, "b", "固定资产", "-3");
        check_amount(&mut problems, "c", "固定资产", "1e9");
        assert_eq!(problems.0.len(), 2);
        assert_eq!(
            check_count(&mut problems, "d", "人数", "12", true),
            Some(12)
        );
        assert_eq!(check_count(&mut problems, "e", "人数", "1.5", true), None);
    }
}
