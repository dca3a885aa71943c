//! 特种设备检验、检测人员资格认定: choosing the item, the application form, 人员申请管理,
//! the application page, the staff queue and the certificate.

use maud::{html, Markup};

use super::components::{checkbox, error_summary, Field};
use super::layout::{csrf_field, csrf_query, page, Chrome};
use super::{date, date_time};
use crate::domain::eligibility::Category;
use crate::domain::personnel::{display_code, PersonnelItems, PersonnelType};
use crate::domain::personnel_application::{PersonnelStatus, Subject, PASS_MARK};
use crate::store::{Event, PersonnelApplication};
use crate::web::forms::{FieldErrors, FormPairs};

/// Rows of already-held certificates the form offers.
pub const HELD_ROWS: usize = 3;

pub fn choose(chrome: &Chrome, items: &PersonnelItems, errors: &FieldErrors) -> Markup {
    page(
        chrome,
        "检验、检测人员资格认定申请",
        html! {
            h1 { "特种设备检验、检测人员资格认定申请" span.badge { "在线办理" } }
            (error_summary(errors))
            form.form method="get" action="/personnel/apply/form" {
                @for personnel_type in [PersonnelType::Ndt, PersonnelType::Inspection] {
                    fieldset {
                        legend { "人员类型：" (personnel_type.label()) }
                        @for item in items.all().iter().filter(|item| item.personnel_type == personnel_type) {
                            @if item.levels.is_empty() {
                                label.check {
                                    input type="radio" name="item" value=(item.code);
                                    span { (item.code) "　" (item.name) }
                                }
                            } @else {
                                @for level in &item.levels {
                                    label.check {
                                        input type="radio" name="item" value={ (item.code) "|" (level) };
                                        span { (display_code(&item.code, level)) "　" (item.name) }
                                    }
                                }
                            }
                        }
                    }
                }
                button.button type="submit" { "下一步" }
            }
        },
    )
}

/// Everything the application form shows.
pub struct FormView<'a> {
    pub personnel_type: &'a str,
    pub code: &'a str,
    pub level: &'a str,
    pub item_name: &'a str,
    /// The derived 提交机构, or how it will be derived.
    pub authority: &'a str,
    pub values: &'a FormPairs,
    pub errors: &'a FieldErrors,
    /// Target of the form: the application form, or the resubmission after corrections.
    pub action: String,
    pub button: &'a str,
}

pub fn application_form(chrome: &Chrome, view: &FormView<'_>) -> Markup {
    let values = view.values;
    let errors = view.errors;
    let category = values.get("category");
    let item_query = serde_urlencoded::to_string([("item", view.code), ("level", view.level)])
        .unwrap_or_default();
    page(
        chrome,
        "资格认定申请表",
        html! {
            h1 { "特种设备检验、检测人员资格认定申请表" }
            dl.facts.compact {
                dt { "人员类型" } dd { (view.personnel_type) }
                dt { "项目" } dd #item { (display_code(view.code, view.level)) "　" (view.item_name) }
                dt { "提交机构" } (authority_cell(view.authority))
            }
            (error_summary(errors))
            form.form method="post" enctype="multipart/form-data"
                action={ (view.action) "?" (item_query) "&" (csrf_query(&chrome.csrf_token)) } novalidate {
                div.field.field-error[errors.get("category").is_some()] {
                    label for="category" { "申请类别" }
                    @if let Some(message) = errors.get("category") { p.field-message #category-error { (message) } }
                    select #category name="category" {
                        @for option in Category::ALL {
                            option value=(option.slug()) selected[category == option.slug()] { (option.label()) }
                        }
                    }
                }
                fieldset {
                    legend { "个人信息" }
                    (Field::text("name", "姓名", &values.get("name")).readonly().render(errors))
                    (Field::text("sex", "性别", &values.get("sex")).readonly().render(errors))
                    (Field::text("birth_date", "出生日期", &values.get("birth_date")).readonly().render(errors))
                    (Field::text("education", "学历", &values.get("education")).hint("例如：大专、本科").max_length(20).render(errors))
                    (Field::text("major", "所学专业", &values.get("major")).max_length(50).render(errors))
                    (Field::text("title", "职称", &values.get("title")).optional().max_length(50).render(errors))
                    (Field::text("years_of_work", "从事相关工作年限（年）", &values.get("years_of_work")).max_length(2).render(errors))
                    (Field::text("mobile", "手机号码", &values.get("mobile")).kind("tel").max_length(20).render(errors))
                    (Field::text("mailing_address", "通讯地址", &values.get("mailing_address")).max_length(200).render(errors))
                }
                fieldset {
                    legend { "工作单位" }
                    (Field::text("employer_name", "单位名称", &values.get("employer_name")).max_length(100).render(errors))
                    div hx-get={ "/personnel/apply/authority?" (item_query) } hx-trigger="change from:#employer_credit_code"
                        hx-include="#employer_credit_code" hx-target="#personnel-authority" hx-swap="outerHTML" {}
                    (Field::text("employer_credit_code", "单位统一社会信用代码", &values.get("employer_credit_code")).hint("省级审批的项目，按工作单位所在省份确定提交机构").max_length(40).render(errors))
                }
                div.field.field-error[errors.get("photo").is_some()] #photo-field {
                    label for="photo" { "一寸免冠照片" }
                    div.hint { "JPEG或PNG格式，不超过2MB；按文件内容识别格式。" }
                    @if let Some(message) = errors.get("photo") { p.field-message #photo-error { (message) } }
                    input #photo type="file" name="photo" accept=".jpg,.jpeg,.png,image/jpeg,image/png";
                }
                fieldset #held {
                    legend { "已持有的证书" span.optional { "（换证、申请TOFD、PA、RT(D)等须填写）" } }
                    table.table.entry {
                        thead { tr { th { "项目代号" } th { "级别" } th { "首次取证日期" } th { "有效期至" } } }
                        tbody {
                            @for index in 0..HELD_ROWS {
                                tr {
                                    @for (suffix, label, kind) in [("code", "项目代号", "text"), ("level", "级别", "text"), ("first", "首次取证日期", "date"), ("expires", "有效期至", "date")] {
                                        @let name = format!("held_{index}_{suffix}");
                                        td.field-error[errors.get(&name).is_some()] {
                                            input id=(name) name=(name) type=(kind) value=(values.get(&name)) maxlength="20" aria-label={ "第" (index + 1) "张证书" (label) };
                                            @if let Some(message) = errors.get(&name) { p.field-message id={ (name) "-error" } { (message) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                fieldset #declarations {
                    legend { "声明" }
                    (checkbox("in_work", "本人未脱离检验、检测工作岗位6个月以上", values.get("in_work") == "1", errors))
                    (checkbox("no_violations", "本人无违反特种设备法律法规的行为，所填信息真实有效", values.get("no_violations") == "1", errors))
                }
                button.button type="submit" { (view.button) }
            }
        },
    )
}

/// Renders the cell naming the 提交机构. htmx replaces it as the employer's code is typed.
pub fn authority_cell(text: &str) -> Markup {
    html! { dd #personnel-authority aria-live="polite" { (text) } }
}

/// The rows of 人员申请管理, already filtered.
pub fn list(
    chrome: &Chrome,
    query: &str,
    applications: &[(usize, &PersonnelApplication, String)],
) -> Markup {
    page(
        chrome,
        "人员申请管理",
        html! {
            h1 { "人员申请管理" }
            div.toolbar {
                a.button href="/personnel/apply" { "在线办理" }
                form.search method="get" action="/personnel/applications" role="search" {
                    label.visually-hidden for="q" { "查找申请" }
                    input #q type="search" name="q" value=(query) placeholder="请输入名称" maxlength="100"
                        hx-get="/personnel/applications" hx-trigger="input changed delay:200ms, search"
                        hx-target="#personnel-results" hx-swap="outerHTML";
                    button.button.secondary type="submit" { "查询" }
                }
            }
            (list_results(chrome, applications))
        },
    )
}

pub fn list_results(
    chrome: &Chrome,
    applications: &[(usize, &PersonnelApplication, String)],
) -> Markup {
    html! {
        section #personnel-results {
            table.table #personnel-applications {
                thead {
                    tr {
                        th { "序号" } th { "申请年度" } th { "人员类型" } th { "项目代号" } th { "项目名称" }
                        th { "申请类别" } th { "申请状态" } th { "提交机构" } th { "申请日期" } th { "受理日期" } th { "操作" }
                    }
                }
                tbody {
                    @for (index, application, authority) in applications {
                        tr {
                            td { (index) }
                            td { (application.submitted_at.format("%Y")) }
                            td { (application.personnel_type) }
                            td { (application.display_code()) }
                            td { (application.item_name) }
                            td { (application.category.label()) }
                            td { (application.status.label()) }
                            td { (authority) }
                            td { (date(application.submitted_at)) }
                            td { (application.accepted_at.map(date).unwrap_or_default()) }
                            td.actions {
                                a.icon-action href={ "/personnel/applications/" (application.id) } { span.icon aria-hidden="true" { "👁" } span.label { "查看" } }
                                @if matches!(application.status, PersonnelStatus::Submitted | PersonnelStatus::MaterialsReceived | PersonnelStatus::CorrectionRequested) {
                                    form.inline method="post" action={ "/personnel/applications/" (application.id) "/withdraw" } {
                                        (csrf_field(&chrome.csrf_token))
                                        button.icon-action type="submit" { span.icon aria-hidden="true" { "↩" } span.label { "撤销" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            @if applications.is_empty() { p.empty { "暂无申请。" } }
        }
    }
}

/// Inputs of the application page besides the record.
pub struct DetailView<'a> {
    pub application: &'a PersonnelApplication,
    pub authority: &'a str,
    pub events: &'a [Event],
    pub staff: bool,
    pub deadline: Option<String>,
    pub errors: &'a FieldErrors,
}

pub fn detail(chrome: &Chrome, view: &DetailView<'_>) -> Markup {
    let application = view.application;
    let form = &application.form;
    let id = application.id;
    page(
        chrome,
        &format!("申请 {}", application.number),
        html! {
            p.no-print { a href=(if view.staff { "/staff/personnel" } else { "/personnel/applications" }) { "返回" } }
            h1 { "资格认定申请 " span #personnel-number { (application.number) } }
            (error_summary(view.errors))
            div.person-header {
                img.photo src={ "/personnel/applications/" (id) "/photo" } alt="申请人照片" width="90" height="126";
                dl.facts {
                    dt { "申请状态" } dd #personnel-status { (application.status.label()) }
                    dt { "项目" } dd { (application.display_code()) "　" (application.item_name) }
                    dt { "申请类别" } dd { (application.category.label()) }
                    dt { "提交机构" } dd { (view.authority) }
                    @if let Some(deadline) = &view.deadline { dt { "办理时限" } dd #personnel-deadline { (deadline) } }
                    dt { "申请日期" } dd { (date_time(application.submitted_at)) }
                    @if let Some(at) = application.accepted_at { dt { "受理日期" } dd { (date_time(at)) } }
                    dt { "姓名" } dd { (form.name) "（" (form.sex) "，" (form.birth_date.map(|d| d.to_string()).unwrap_or_default()) "）" }
                    dt { "学历 / 专业 / 职称" } dd { (form.education) " / " (form.major) " / " (form.title) }
                    dt { "工作单位" } dd { (form.employer_name) "（" (form.employer_credit_code) "）" }
                    dt { "通讯地址" } dd { (form.mailing_address) }
                    @for held in &form.held {
                        dt { "已持证书" } dd { (display_code(&held.code, &held.level)) "，首次取证" (held.first_issued) "，有效期至" (held.expires_on) }
                    }
                    @if !application.exam.theory.is_empty() || !application.exam.practical.is_empty() {
                        dt { "考试成绩" }
                        dd #exam-scores {
                            "理论：" (scores(&application.exam.theory)) "；实际操作：" (scores(&application.exam.practical)) "（合格分数" (PASS_MARK) "分）"
                        }
                    }
                    @if let Some(notice) = application.corrections.last() {
                        dt { "补正告知" }
                        dd #personnel-defects {
                            a href={ "/personnel/applications/" (id) "/correction-notice/" (application.corrections.len()) } { (notice.number) }
                            "：" (notice.defects.iter().map(|d| d.text.clone()).collect::<Vec<_>>().join("；"))
                        }
                    }
                    @if let Some(number) = &application.acceptance_number {
                        dt { "受理通知书" }
                        dd { a #acceptance-notice-link href={ "/personnel/applications/" (id) "/acceptance-notice" } { (number) } }
                    }
                    @if let Some(refusal) = &application.refusal {
                        dt { "不予受理" } dd { (refusal.number) "：" (refusal.reason) "。" (refusal.explanation) }
                    }
                    @if let Some(certificate) = &application.certificate {
                        dt { "证书" }
                        dd { a #personnel-certificate href={ "/personnel/applications/" (id) "/certificate" } { (certificate.number) } }
                    }
                }
            }
            @if !view.staff && application.status == PersonnelStatus::CorrectionRequested {
                p { a.button href={ "/personnel/applications/" (id) "/resubmit" } { "补正后重新提交" } }
            }
            @if view.staff { (staff_actions(chrome, application)) }
            h2 { "办理进度" }
            (super::applications::timeline(view.events))
        },
    )
}

fn scores(list: &[u8]) -> String {
    if list.is_empty() {
        "—".to_string()
    } else {
        list.iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn staff_actions(chrome: &Chrome, application: &PersonnelApplication) -> Markup {
    let base = format!("/staff/personnel/{}", application.id);
    let button = |step: &str, label: &str| {
        html! {
            form.inline method="post" action={ (base) "/" (step) } {
                (csrf_field(&chrome.csrf_token))
                button.button type="submit" { (label) }
            }
        }
    };
    html! {
        section.decision.no-print #personnel-actions {
            h2 { "办理" }
            @match application.status {
                PersonnelStatus::Submitted | PersonnelStatus::MaterialsReceived => {
                    @if application.status == PersonnelStatus::Submitted { (button("receive", "材料已接收")) " " }
                    (button("accept", "受理"))
                    form method="post" action={ (base) "/correct" } {
                        (csrf_field(&chrome.csrf_token))
                        (Field::text("defects", "补正内容（一次告知全部，以分号分隔）", "").optional().max_length(1000).render(&FieldErrors::default()))
                        button.button.secondary type="submit" { "补正" }
                    }
                    form method="post" action={ (base) "/refuse" } {
                        (csrf_field(&chrome.csrf_token))
                        (Field::text("reason", "不予受理理由", "").optional().max_length(500).render(&FieldErrors::default()))
                        button.button.danger type="submit" { "不予受理" }
                    }
                }
                PersonnelStatus::Accepted => {
                    @if matches!(application.category, Category::Initial | Category::RenewalByExam) {
                        (button("exam", "安排考试"))
                    } @else {
                        (button("certify", "发证"))
                    }
                }
                PersonnelStatus::AwaitingExam => {
                    form method="post" action={ (base) "/score" } {
                        (csrf_field(&chrome.csrf_token))
                        div.field {
                            label for="subject" { "考试科目" }
                            select #subject name="subject" {
                                option value="theory" { (Subject::Theory.label()) }
                                option value="practical" { (Subject::Practical.label()) }
                            }
                        }
                        (Field::text("score", "成绩（0-100）", "").max_length(3).render(&FieldErrors::default()))
                        button.button type="submit" { "录入成绩" }
                    }
                }
                PersonnelStatus::ExamPassed => (button("certify", "发证")),
                _ => p.muted { "当前状态无需办理。" },
            }
        }
    }
}

/// Renders the staff queue of personnel applications.
pub fn staff_queue(
    chrome: &Chrome,
    authority: &str,
    rows: &[(&PersonnelApplication, String)],
) -> Markup {
    page(
        chrome,
        "人员资格认定审批",
        html! {
            h1 { "人员资格认定审批" }
            p.muted { (authority) }
            table.table #personnel-queue {
                thead { tr { th { "申请编号" } th { "姓名" } th { "项目代号" } th { "申请类别" } th { "申请状态" } th { "申请日期" } th { "办理时限" } th { "操作" } } }
                tbody {
                    @for (application, deadline) in rows {
                        tr {
                            td { (application.number) }
                            td { (application.form.name) }
                            td { (application.display_code()) }
                            td { (application.category.label()) }
                            td { (application.status.label()) }
                            td { (date(application.submitted_at)) }
                            td { (deadline) }
                            td { a href={ "/personnel/applications/" (application.id) } { "办理" } }
                        }
                    }
                }
            }
            @if rows.is_empty() { p.empty { "暂无待办理的申请。" } }
        },
    )
}

pub fn certificate(chrome: &Chrome, application: &PersonnelApplication, authority: &str) -> Markup {
    let Some(certificate) = &application.certificate else {
        return html! {};
    };
    page(
        chrome,
        "特种设备检验、检测人员证",
        html! {
            p.no-print { button.button.secondary type="button" data-print { "打印" } }
            article.document.certificate #personnel-certificate-document {
                h1 { "特种设备检验、检测人员证" }
                p.document-number { "证书编号：" span #certificate-number { (certificate.number) } }
                div.person-header {
                    img.photo src={ "/personnel/applications/" (application.id) "/photo" } alt="持证人照片" width="90" height="126";
                    dl.facts {
                        dt { "姓名" } dd #certificate-name { (application.form.name) }
                        dt { "性别" } dd { (application.form.sex) }
                        dt { "工作单位" } dd { (application.form.employer_name) }
                        dt { "人员类型" } dd { (application.personnel_type) }
                        dt { "项目及级别" } dd #certificate-item { (application.display_code()) "　" (application.item_name) }
                        dt { "发证机关" } dd { (authority) }
                        dt { "发证日期" } dd { (certificate.issued_on) }
                        dt { "有效期至" } dd #certificate-expiry { (certificate.expires_on) }
                    }
                }
            }
        },
    )
}

/// The printable 受理通知书 or 补正告知书 of a personnel application.
pub fn notice(
    chrome: &Chrome,
    application: &PersonnelApplication,
    authority: &str,
    correction: Option<usize>,
) -> Markup {
    let (title, number, issued) =
        match correction.and_then(|index| application.corrections.get(index)) {
            Some(notice) => ("补正告知书", notice.number.clone(), notice.issued_at),
            None => (
                "受理通知书",
                application.acceptance_number.clone().unwrap_or_default(),
                application.accepted_at.unwrap_or(application.submitted_at),
            ),
        };
    page(
        chrome,
        title,
        html! {
            p.no-print {
                a href={ "/personnel/applications/" (application.id) } { "返回申请详情" }
                " "
                button.button.secondary type="button" data-print { "打印" }
            }
            article.document #personnel-notice {
                h1 { "特种设备检验、检测人员资格认定" (title) }
                p.document-number #notice-number { (number) }
                p { (application.form.name) "：" }
                p.body-text {
                    "你于" (super::long_date(application.submitted_at)) "提交的" (application.display_code()) "（" (application.item_name) "）"
                    (application.category.label()) "申请（申请编号：" (application.number) "），"
                    @if correction.is_some() { "申请材料不齐全，请补正以下全部内容后重新提交：" } @else { "经审查，材料齐全，决定予以受理。请按通知参加考试。" }
                }
                @if let Some(notice) = correction.and_then(|index| application.corrections.get(index)) {
                    ol #notice-defects { @for defect in &notice.defects { li { (defect.text) } } }
                }
                p.signature { (authority) }
                p.signature { (super::long_date(issued)) }
            }
        },
    )
}
