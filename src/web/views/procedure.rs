//! The parts of the application page for the steps after filing: each party's action forms,
//! the procedure's facts, and the documents it issues.

use maud::{html, Markup};

use super::components::{error_summary, file_size, Field};
use super::layout::{csrf_field, csrf_query, page, Chrome};
use super::{date_time, long_date};
use crate::domain::application_form::FormPage;
use crate::domain::deadline::Clock;
use crate::domain::{ApplicationStatus, Authorities, Role};
use crate::store::{Agency, Application, AttachmentMeta, SATISFACTION};
use crate::web::forms::FieldErrors;
use crate::web::handlers::procedure::{
    DENIAL_REASONS, MAX_DEFECTS, MAX_PROPOSED_DATES, NON_ACCEPTANCE_REASONS,
};

/// Inputs of the procedure part of the application page.
pub struct ProcedureView<'a> {
    pub application: &'a Application,
    pub role: Role,
    pub csrf_token: &'a str,
    pub agencies: &'a [Agency],
    pub agency: Option<&'a Agency>,
    pub report: Option<&'a AttachmentMeta>,
    pub clock: Option<&'a Clock>,
    pub overdue: bool,
    pub errors: &'a FieldErrors,
}

fn field_message(errors: &FieldErrors, name: &str) -> Markup {
    html! {
        @if let Some(message) = errors.get(name) {
            p.field-message id={ (name) "-error" } { span.visually-hidden { "错误：" } (message) }
        }
    }
}

/// Renders the facts after filing and the forms of the actions the viewer may take now.
pub fn panels(view: &ProcedureView<'_>) -> Markup {
    html! {
        (error_summary(view.errors))
        (facts(view))
        @match (view.role, view.application.status) {
            (Role::AuthorityStaff, ApplicationStatus::Submitted) => (acceptance_forms(view)),
            (Role::AuthorityStaff, ApplicationStatus::ReviewReported) => (decision_forms(view)),
            (Role::AgencyStaff, ApplicationStatus::Accepted) => (propose_dates_form(view)),
            (Role::AgencyStaff, ApplicationStatus::ReviewScheduled) => (review_form(view, "review")),
            (Role::AgencyStaff, ApplicationStatus::RectificationReported) => (review_form(view, "report")),
            (Role::Enterprise, ApplicationStatus::CorrectionRequested) => (correction_panel(view)),
            (Role::Enterprise, ApplicationStatus::Accepted) => (date_panel(view)),
            (Role::Enterprise, ApplicationStatus::Rectifying) => (rectification_panel(view)),
            _ => {}
        }
        @if view.role == Role::Enterprise
            && view.application.procedure.report_received_at.is_some()
            && view.application.procedure.feedback.is_none() {
            (feedback_form(view))
        }
    }
}

fn facts(view: &ProcedureView<'_>) -> Markup {
    let application = view.application;
    let procedure = &application.procedure;
    html! {
        dl.facts #procedure {
            @if let Some(clock) = view.clock {
                dt { "办理时限" }
                dd #current-deadline.overdue[view.overdue] {
                    (clock.party.label()) (clock.step) "，截止" (clock.due.format("%Y-%m-%d"))
                    @if view.overdue { strong.flag { "（已逾期）" } }
                    @if clock.unscheduled { span.flag { "（该年度节假日安排未录入，仅按周末计算）" } }
                }
            }
            @if let Some(agency) = view.agency {
                dt { "鉴定评审机构" }
                dd #agency { (agency.name) "（联系人：" (agency.contact_person) "，电话：" (agency.phone) "）" }
            }
            @if !procedure.proposed_dates.is_empty() {
                dt { "拟定评审日期" }
                dd #proposed-dates { (procedure.proposed_dates.iter().map(|date| date.format("%Y-%m-%d").to_string()).collect::<Vec<_>>().join("、")) }
            }
            @if let Some(reason) = procedure.date_requests.last() {
                dt { "申请单位另约日期理由" } dd { (reason) }
            }
            @if let Some(date) = procedure.agreed_date {
                dt { "约定评审日期" } dd #agreed-date { (date.format("%Y-%m-%d")) }
            }
            @if let Some(review) = &procedure.review {
                dt { "评审结论" } dd #review-outcome { (review.outcome.label()) }
                @if !review.memo.is_empty() { dt { "整改备忘录" } dd #review-memo { (review.memo) } }
                @if let Some(due) = review.rectification_due { dt { "整改期限" } dd { (due.format("%Y-%m-%d")) } }
                @if let Some(at) = review.rectified_at {
                    dt { "整改完成报告" } dd { (date_time(at)) "　" (review.rectification_note) }
                }
            }
            @if let Some(report) = view.report {
                dt { "评审报告" }
                dd { a #review-report href={ "/production/attachments/" (report.id) } { (report.file_name) } " （" (file_size(report.size)) "）" }
            }
            @if let Some(feedback) = &procedure.feedback {
                @if view.role != Role::AgencyStaff {
                    dt { "评审反馈" }
                    dd #feedback {
                        "总体：" (grade(feedback.overall)) "；守时：" (grade(feedback.punctuality))
                        "；专业：" (grade(feedback.professionalism)) "；廉洁：" (grade(feedback.integrity))
                        @if !feedback.comments.is_empty() { "；意见：" (feedback.comments) }
                        @if feedback.is_low() { strong.flag { "（需跟进）" } }
                    }
                }
            }
            (documents(application))
        }
    }
}

fn grade(value: u8) -> &'static str {
    SATISFACTION
        .get(usize::from(value.saturating_sub(1)))
        .copied()
        .unwrap_or("—")
}

/// Links to every document the procedure issued.
fn documents(application: &Application) -> Markup {
    let base = format!("/production/applications/{}", application.id);
    let procedure = &application.procedure;
    html! {
        @if !procedure.corrections.is_empty() || procedure.refusal.is_some() || procedure.issued_licence.is_some() || application.acceptance_number.is_some() {
            dt { "文书" }
            dd #documents {
                @for (index, notice) in procedure.corrections.iter().enumerate() {
                    a href={ (base) "/correction-notice/" (index + 1) } { "补正告知书 " (notice.number) } " "
                }
                @if application.acceptance_number.is_some() {
                    a href={ (base) "/acceptance-decision" } { "受理决定书" } " "
                }
                @if let Some(refusal) = &procedure.refusal {
                    a href={ (base) "/refusal" } {
                        @if application.status == ApplicationStatus::NotAccepted { "不予受理决定书" } @else { "不予许可决定书" }
                        " " (refusal.number)
                    } " "
                }
                @if let Some(licence) = procedure.issued_licence {
                    a href={ "/licences/" (licence) } { "特种设备生产许可证" }
                }
            }
        }
    }
}

fn acceptance_forms(view: &ProcedureView<'_>) -> Markup {
    let id = view.application.id;
    let errors = view.errors;
    html! {
        section.decision.no-print #accept-form {
            h2 { "受理" }
            p { "申请材料齐全、符合法定形式的，予以受理，出具受理决定书，并委托鉴定评审机构。" }
            form method="post" action={ "/staff/applications/" (id) "/accept" } {
                (csrf_field(view.csrf_token))
                div.field.field-error[errors.get("agency").is_some()] {
                    label for="agency" { "鉴定评审机构" }
                    (field_message(errors, "agency"))
                    select #agency name="agency" {
                        option value="" { "请选择" }
                        @for agency in view.agencies {
                            option value=(agency.id) { (agency.name) "（" (agency.contact_person) " " (agency.phone) "）" }
                        }
                    }
                }
                button.button type="submit" { "受理" }
            }
        }
        section.decision.no-print #correct-form {
            h2 { "补正" }
            p { "申请材料不齐全或不符合法定形式的，一次告知需要补正的全部内容。每行一项，可指明所在页面。" }
            form method="post" action={ "/staff/applications/" (id) "/correct" } {
                (csrf_field(view.csrf_token))
                (field_message(errors, "defect_0"))
                table.table.entry {
                    thead { tr { th { "页面" } th { "需要补正的内容" } } }
                    tbody {
                        @for index in 0..MAX_DEFECTS {
                            tr {
                                td {
                                    select name={ "defect_" (index) "_page" } aria-label={ "第" (index + 1) "项所在页面" } {
                                        option value="" { "（不限页面）" }
                                        @for page in FormPage::ALL {
                                            @if page != FormPage::Review { option value=(page.slug()) { (page.title()) } }
                                        }
                                    }
                                }
                                td { input #{ "defect_" (index) } type="text" name={ "defect_" (index) } maxlength="500" aria-label={ "第" (index + 1) "项补正内容" }; }
                            }
                        }
                    }
                }
                button.button type="submit" { "出具补正告知书" }
            }
        }
        (refusal_form(view, "refuse", "不予受理", &NON_ACCEPTANCE_REASONS, "出具不予受理决定书"))
    }
}

fn refusal_form(
    view: &ProcedureView<'_>,
    step: &str,
    title: &str,
    reasons: &[&str],
    button: &str,
) -> Markup {
    let reason_field = format!("{step}_reason");
    let explanation_field = format!("{step}_explanation");
    html! {
        section.decision.no-print id={ (step) "-form" } {
            h2 { (title) }
            form method="post" action={ "/staff/applications/" (view.application.id) "/" (step) } {
                (csrf_field(view.csrf_token))
                fieldset id=(reason_field) {
                    legend { "理由" }
                    (field_message(view.errors, &reason_field))
                    @for reason in reasons {
                        label.check { input type="radio" name=(reason_field) value=(reason); span { (reason) } }
                    }
                }
                (Field::text(&explanation_field, "具体说明", "").max_length(1000).render(view.errors))
                button.button.danger type="submit" { (button) }
            }
        }
    }
}

fn decision_forms(view: &ProcedureView<'_>) -> Markup {
    html! {
        section.decision.no-print #approve-form {
            h2 { "准予许可" }
            p { "鉴定评审结论为符合条件的，准予许可，颁发特种设备生产许可证。" }
            form method="post" action={ "/staff/applications/" (view.application.id) "/approve" } {
                (csrf_field(view.csrf_token))
                button.button type="submit" { "准予许可并发证" }
            }
        }
        (refusal_form(view, "deny", "不予许可", &DENIAL_REASONS, "出具不予许可决定书"))
    }
}

fn propose_dates_form(view: &ProcedureView<'_>) -> Markup {
    html! {
        section.decision.no-print #propose-form {
            h2 { "协商鉴定评审时间" }
            p { "自受理之日起10个工作日内与申请单位约定评审日期。可提出一至三个日期供申请单位选择。" }
            form method="post" action={ "/agency/applications/" (view.application.id) "/dates" } {
                (csrf_field(view.csrf_token))
                @for index in 0..MAX_PROPOSED_DATES {
                    (Field::text(&format!("date_{index}"), &format!("拟定日期{}", index + 1), "").kind("date").optional().max_length(10).render(view.errors))
                }
                button.button type="submit" { "提出评审日期" }
            }
        }
    }
}

/// Renders the agency's conclusion form (`review`) or its report after rectification
/// (`report`). Both carry the report file in a multipart body.
fn review_form(view: &ProcedureView<'_>, step: &str) -> Markup {
    let errors = view.errors;
    html! {
        section.decision.no-print #review-form {
            h2 { @if step == "review" { "录入评审结论" } @else { "提交评审报告" } }
            form method="post" enctype="multipart/form-data"
                action={ "/agency/applications/" (view.application.id) "/" (step) "?" (csrf_query(view.csrf_token)) } {
                @if step == "review" {
                    fieldset #outcome {
                        legend { "评审结论" }
                        (field_message(errors, "outcome"))
                        label.check { input type="radio" name="outcome" value="conforming"; span { "符合条件" } }
                        label.check { input type="radio" name="outcome" value="rectification"; span { "整改后符合条件（填写备忘录和整改期限，报告于整改完成后提交）" } }
                        label.check { input type="radio" name="outcome" value="nonconforming"; span { "不符合条件" } }
                    }
                    div.field.field-error[errors.get("memo").is_some()] {
                        label for="memo" { "整改备忘录" span.optional { "（整改后符合条件时填写）" } }
                        (field_message(errors, "memo"))
                        textarea #memo name="memo" rows="4" maxlength="2000" {}
                    }
                    (Field::text("rectification_due", "整改期限", "").kind("date").optional().hint("自评审之日起不超过6个月").max_length(10).render(errors))
                }
                div.field.field-error[errors.get("report").is_some()] {
                    label for="report" { "评审报告" }
                    (field_message(errors, "report"))
                    input #report type="file" name="report" accept=".pdf,.jpg,.jpeg,.png";
                }
                button.button type="submit" { "提交" }
            }
        }
    }
}

fn correction_panel(view: &ProcedureView<'_>) -> Markup {
    let application = view.application;
    let Some(notice) = application.procedure.corrections.last() else {
        return html! {};
    };
    let index = application.procedure.corrections.len();
    html! {
        section.decision.no-print #correction-panel {
            h2 { "补齐补正" }
            p { "审批机关已出具" a href={ "/production/applications/" (application.id) "/correction-notice/" (index) } { "补正告知书" } "，请按以下内容修改申请书和附件，然后在“确认提交”页重新提交。" }
            ul {
                @for defect in &notice.defects {
                    li {
                        @if let Some(page) = defect.page.as_deref().and_then(FormPage::from_slug) {
                            a href={ "/production/drafts/" (application.id) "/" (page.slug()) } { (page.title()) } "："
                        }
                        (defect.text)
                    }
                }
            }
            a.button href={ "/production/drafts/" (application.id) "/review" } { "修改并重新提交" }
        }
    }
}

fn date_panel(view: &ProcedureView<'_>) -> Markup {
    let procedure = &view.application.procedure;
    let id = view.application.id;
    html! {
        @if !procedure.proposed_dates.is_empty() {
            section.decision.no-print #date-panel {
                h2 { "协商鉴定评审时间" }
                form method="post" action={ "/production/applications/" (id) "/confirm-date" } {
                    (csrf_field(view.csrf_token))
                    fieldset #date {
                        legend { "选择评审日期" }
                        (field_message(view.errors, "date"))
                        @for date in &procedure.proposed_dates {
                            label.check { input type="radio" name="date" value=(date.format("%Y-%m-%d")); span { (date.format("%Y-%m-%d")) } }
                        }
                    }
                    button.button type="submit" { "确认评审日期" }
                }
                form method="post" action={ "/production/applications/" (id) "/other-date" } {
                    (csrf_field(view.csrf_token))
                    (Field::text("other_date_reason", "以上日期均不能安排的理由", "").max_length(500).render(view.errors))
                    button.button.secondary type="submit" { "另约日期" }
                }
            }
        }
    }
}

fn rectification_panel(view: &ProcedureView<'_>) -> Markup {
    html! {
        section.decision.no-print #rectification-panel {
            h2 { "整改" }
            p { "请按备忘录所列问题在整改期限内完成整改，然后报告鉴定评审机构。" }
            form method="post" action={ "/production/applications/" (view.application.id) "/rectified" } {
                (csrf_field(view.csrf_token))
                (Field::text("rectification_note", "整改完成情况", "").max_length(2000).render(view.errors))
                button.button type="submit" { "报告整改完成" }
            }
        }
    }
}

fn feedback_form(view: &ProcedureView<'_>) -> Markup {
    let questions = [
        ("punctuality", "守时情况"),
        ("professionalism", "专业水平"),
        ("integrity", "工作作风和廉洁自律"),
        ("overall", "总体满意度"),
    ];
    html! {
        section.decision.no-print #feedback-form {
            h2 { "评审反馈表" }
            p { "请对本次鉴定评审工作作出评价。评价为“不满意”或“非常不满意”的，审批机关将跟进了解。" }
            form method="post" action={ "/production/applications/" (view.application.id) "/feedback" } {
                (csrf_field(view.csrf_token))
                @for (name, label) in questions {
                    fieldset id=(name) {
                        legend { (label) }
                        (field_message(view.errors, name))
                        @for (index, grade) in SATISFACTION.iter().enumerate() {
                            label.check.inline { input type="radio" name=(name) value=(index + 1); span { (grade) } }
                        }
                    }
                }
                div.field {
                    label for="comments" { "意见和建议" span.optional { "（选填）" } }
                    textarea #comments name="comments" rows="3" maxlength="1000" {}
                }
                button.button type="submit" { "提交评审反馈表" }
            }
        }
    }
}

/// The statement of remedies every refusal carries.
const REMEDIES: &str = "如不服本决定，可以自收到本决定书之日起60日内依法申请行政复议，或者在6个月内依法向人民法院提起行政诉讼。";

pub fn correction_notice(
    chrome: &Chrome,
    application: &Application,
    index: usize,
    authorities: &Authorities,
) -> Markup {
    let notice = &application.procedure.corrections[index];
    let authority = application
        .authority
        .map(|code| authorities.name_of(code))
        .unwrap_or_default();
    page(
        chrome,
        "补正告知书",
        html! {
            (document_links(application))
            article.document #correction-notice {
                h1 { "特种设备生产单位许可申请材料补正告知书" }
                p.document-number { (notice.number) }
                p { (application.form.unit.unit_name) "：" }
                p.body-text { "你单位提交的特种设备生产单位许可申请（申请编号：" (application.number_label()) "），经审查，申请材料不齐全或者不符合法定形式，请补正以下内容：" }
                ol #defects {
                    @for defect in &notice.defects {
                        li {
                            @if let Some(page) = defect.page.as_deref().and_then(FormPage::from_slug) { "【" (page.title()) "】" }
                            (defect.text)
                        }
                    }
                }
                p.body-text { "请补齐全部内容后重新提交。审批机关自收到补正材料之日起5个工作日内作出是否受理的决定。" }
                p.signature { (authority) }
                p.signature { (long_date(notice.issued_at)) }
            }
        },
    )
}

pub fn refusal(chrome: &Chrome, application: &Application, authorities: &Authorities) -> Markup {
    let Some(refusal) = &application.procedure.refusal else {
        return html! {};
    };
    let not_accepted = application.status == ApplicationStatus::NotAccepted;
    let title = if not_accepted {
        "不予受理决定书"
    } else {
        "不予许可决定书"
    };
    let authority = application
        .authority
        .map(|code| authorities.name_of(code))
        .unwrap_or_default();
    page(
        chrome,
        title,
        html! {
            (document_links(application))
            article.document #refusal {
                h1 { "特种设备生产单位许可" (title) }
                p.document-number { (refusal.number) }
                p { (application.form.unit.unit_name) "：" }
                p.body-text {
                    "你单位提交的特种设备生产单位许可申请（申请编号：" (application.number_label()) "），"
                    @if not_accepted { "经审查，决定不予受理。" } @else { "经审查鉴定评审报告，决定不予许可。" }
                }
                p.body-text #refusal-reason { "理由：" (refusal.reason) "。" (refusal.explanation) }
                p.body-text #remedies { (REMEDIES) }
                p.signature { (authority) }
                p.signature { (long_date(refusal.issued_at)) }
            }
        },
    )
}

fn document_links(application: &Application) -> Markup {
    html! {
        p.no-print {
            a href={ "/production/applications/" (application.id) } { "返回申请详情" }
            " "
            button.button.secondary type="button" data-print { "打印" }
        }
    }
}
