//! 生产企业许可申请管理: the applicant's list with search, the application page both sides
//! see, the progress timeline (申请进度查询) and the printable 受理决定书.

use maud::{html, Markup};

use super::components::file_size;
use super::drafts::{address_label, kind_details};
use super::layout::{csrf_field, page, Chrome};
use super::{date_time, long_date};
use crate::domain::application_form::{NDT_LEVELS, NDT_METHODS, RESPONSIBLE_ROLES, SPECIALTIES};
use crate::domain::{ApplicationStatus, Authorities};
use crate::store::{Agency, Application, AttachmentMeta, Event};

/// One action of a row: a link, or a button that posts.
pub struct RowAction {
    pub label: &'static str,
    pub icon: &'static str,
    pub href: String,
    pub post: bool,
}

/// One row of the management list.
pub struct ListRow {
    /// Unit name and credit code, searched but not shown as a column.
    pub unit: String,
    pub number: String,
    pub kind: &'static str,
    pub sub_items: String,
    pub authority: String,
    pub status: ApplicationStatus,
    pub submitted: String,
    pub accepted: String,
    /// The current deadline and who it binds, such as 2026-12-11（审批机关受理）.
    pub deadline: String,
    pub deadline_unscheduled: bool,
    pub actions: Vec<RowAction>,
}

pub fn list(chrome: &Chrome, query: &str, rows: &[ListRow]) -> Markup {
    page(
        chrome,
        "生产企业许可申请管理",
        html! {
            h1 { "生产企业许可申请管理" }
            div.toolbar {
                a.button href="/production/apply" { "在线办理" }
                form.search method="get" action="/production/applications" role="search" {
                    label.visually-hidden for="q" { "按名称查找申请" }
                    input #q type="search" name="q" value=(query) placeholder="请输入名称" maxlength="100"
                        hx-get="/production/applications" hx-trigger="input changed delay:200ms, search"
                        hx-target="#applications-results" hx-swap="outerHTML";
                    button.button.secondary type="submit" { "查询" }
                }
            }
            (list_results(chrome, query, rows))
        },
    )
}

/// Renders the table part of the list, which htmx swaps as the user types.
pub fn list_results(chrome: &Chrome, query: &str, rows: &[ListRow]) -> Markup {
    html! {
        section #applications-results {
            @if rows.is_empty() {
                p.empty {
                    @if query.is_empty() { "暂无申请。点击“在线办理”开始申请。" } @else { "没有找到符合条件的申请。" }
                }
            } @else {
                table.table #applications {
                    thead {
                        tr {
                            th { "申请编号" }
                            th { "申请类型" }
                            th { "申请子项目" }
                            th { "审批机关" }
                            th { "申请状态" }
                            th { "提交日期" }
                            th { "受理日期" }
                            th { "办理时限" }
                            th { "操作" }
                        }
                    }
                    tbody {
                        @for row in rows {
                            tr {
                                td { (row.number) }
                                td { (row.kind) }
                                td { (row.sub_items) }
                                td { (row.authority) }
                                td { (status_tag(row.status)) }
                                td { (row.submitted) }
                                td { (row.accepted) }
                                td {
                                    (row.deadline)
                                    @if row.deadline_unscheduled {
                                        span.flag title="该年度节假日安排尚未录入，时限仅按周末计算" { "（未含节假日）" }
                                    }
                                }
                                td.actions {
                                    @for action in &row.actions {
                                        @if action.post {
                                            form.inline method="post" action=(action.href) {
                                                (csrf_field(&chrome.csrf_token))
                                                button.icon-action type="submit" title=(action.label) {
                                                    span.icon aria-hidden="true" { (action.icon) }
                                                    span.label { (action.label) }
                                                }
                                            }
                                        } @else {
                                            a.icon-action href=(action.href) title=(action.label) {
                                                span.icon aria-hidden="true" { (action.icon) }
                                                span.label { (action.label) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn status_tag(status: ApplicationStatus) -> Markup {
    html! { span.status class={ "status-" (format!("{status:?}").to_lowercase()) } { (status.label()) } }
}

/// Inputs of the application page besides the record itself.
pub struct DetailView<'a> {
    pub application: &'a Application,
    pub events: &'a [Event],
    pub attachments: &'a [AttachmentMeta],
    pub authorities: &'a Authorities,
    /// Whether the viewer may withdraw the application now.
    pub can_withdraw: bool,
    pub back_link: (&'a str, &'a str),
    /// The procedure's facts and the forms of the actions the viewer may take.
    pub procedure: Markup,
}

pub fn detail(chrome: &Chrome, view: &DetailView<'_>) -> Markup {
    let application = view.application;
    let authority = application
        .authority
        .map(|code| view.authorities.name_of(code))
        .unwrap_or_default();
    let unit = &application.form.unit;
    page(
        chrome,
        &format!("申请 {}", application.number_label()),
        html! {
            p.no-print { a href=(view.back_link.0) { "返回" (view.back_link.1) } }
            h1 { "特种设备生产单位许可申请 " span #application-number { (application.number_label()) } }
            dl.facts {
                dt { "申请类型" } dd #application-kind { (application.kind.label()) }
                @if let Some(licence) = &application.licence {
                    dt { "依据许可证" } dd { (licence.number) }
                }
                (kind_details(&application.kind))
                dt { "申请状态" } dd #application-status { (status_tag(application.status)) }
                dt { "审批机关" } dd #application-authority { (authority) }
                @if let Some(submitted_at) = application.submitted_at {
                    dt { "提交日期" } dd { (date_time(submitted_at)) }
                }
                @if let Some(accepted_at) = application.accepted_at {
                    dt { "受理日期" } dd { (date_time(accepted_at)) }
                }
            }
            (view.procedure)
            @if view.can_withdraw {
                section.no-print {
                    form method="post" action={ "/production/applications/" (application.id) "/withdraw" } {
                        (csrf_field(&chrome.csrf_token))
                        button.button.secondary type="submit" { "撤回申请" }
                    }
                }
            }
            h2 { "申请单位基本情况" }
            dl.facts #unit-details {
                dt { "单位名称" } dd { (unit.unit_name) }
                dt { "统一社会信用代码" } dd { (unit.credit_code) }
                dt { "住所" } dd { (unit.domicile) }
                dt { "办公地址" } dd { (unit.office_address) }
                dt { "邮政编码" } dd { (unit.postcode) }
                dt { "法定代表人" } dd { (unit.legal_representative) }
                dt { "联系人" } dd { (unit.contact_name) }
                dt { "手机号码" } dd { (unit.mobile) }
                dt { "联系电话" } dd { (unit.phone) }
                dt { "电子邮箱" } dd { (unit.email) }
                dt { "固定资产（万元）" } dd { (unit.fixed_assets) }
                dt { "注册资金（万元）" } dd { (unit.registered_capital) }
                dt { "职工总数 / 专业技术人员" } dd { (unit.staff_total) " / " (unit.technical_staff) }
            }
            h2 { "申请许可项目" }
            table.table #sub-items {
                thead { tr { th { "许可类别" } th { "项目" } th { "子项目" } th { "级别" } th { "生产地址" } } }
                tbody {
                    @for sub_item in &application.sub_items {
                        tr {
                            td { (sub_item.category) }
                            td { (sub_item.item) }
                            td { (sub_item.sub_item) }
                            td { (sub_item.level) }
                            td { "生产地址" (sub_item.address) }
                        }
                    }
                }
            }
            h2 { "生产地址" }
            ol.addresses #addresses {
                @for (index, address) in application.form.addresses.iter().enumerate() {
                    li { (address_label(index + 1, address, view.authorities)) }
                }
            }
            (staff_sections(application))
            h2 { "附件材料" }
            table.table #attachments {
                thead { tr { th { "材料" } th { "文件" } th { "大小" } th { "上传时间" } } }
                tbody {
                    @for file in view.attachments {
                        tr {
                            td { (file.kind.label()) }
                            td { a href={ "/production/attachments/" (file.id) } { (file.file_name) } }
                            td { (file_size(file.size)) }
                            td { (date_time(file.uploaded_at)) }
                        }
                    }
                }
            }
            h2 { "办理进度" }
            (timeline(view.events))
        },
    )
}

/// The 质量保证体系人员 and 技术力量 pages as filed.
fn staff_sections(application: &Application) -> Markup {
    let quality = &application.form.quality;
    let technical = &application.form.technical;
    let counts = |values: &[String], labels: &[&str]| -> String {
        values
            .iter()
            .zip(labels)
            .filter(|(value, _)| !value.is_empty())
            .map(|(value, label)| format!("{label} {value}人"))
            .collect::<Vec<_>>()
            .join("，")
    };
    let ndt_labels: Vec<String> = NDT_METHODS
        .iter()
        .flat_map(|method| {
            NDT_LEVELS
                .iter()
                .map(move |level| format!("{method}-{level}"))
        })
        .collect();
    let ndt_labels: Vec<&str> = ndt_labels.iter().map(String::as_str).collect();
    html! {
        h2 { "质量保证体系人员" }
        dl.facts #quality-staff {
            dt { "质量保证工程师" }
            dd { (quality.engineer.name) "　" (quality.engineer.post) "　" (quality.engineer.title) }
            @for (index, person) in quality.responsible.iter().enumerate() {
                @if !person.name.is_empty() {
                    dt { (RESPONSIBLE_ROLES.get(index).copied().unwrap_or("其他")) "责任人员" }
                    dd { (person.name) "　" (person.title) }
                }
            }
        }
        h2 { "技术力量" }
        dl.facts #technical-strength {
            dt { "专业技术人员" } dd { (counts(&technical.specialties, &SPECIALTIES)) }
            dt { "持证焊工" } dd { (technical.welders) }
            dt { "无损检测人员" } dd { (counts(&technical.ndt, &ndt_labels)) }
        }
    }
}

pub fn timeline(events: &[Event]) -> Markup {
    html! {
        table.table #timeline {
            thead { tr { th { "时间" } th { "操作" } th { "办理角色" } th { "状态" } th { "文书及时限" } } }
            tbody {
                @for event in events {
                    tr {
                        td { (date_time(event.at)) }
                        td { (event.action.label()) }
                        td { (event.actor_role.label()) }
                        td { (event.from.map(|status| status.label()).unwrap_or("—")) " → " (event.to.label()) }
                        td {
                            (event.document.as_deref().unwrap_or(""))
                            @if let Some(comment) = &event.comment { " " span.comment { (comment) } }
                        }
                    }
                }
            }
        }
    }
}

pub fn progress(chrome: &Chrome, application: &Application, events: &[Event]) -> Markup {
    page(
        chrome,
        "申请进度查询",
        html! {
            p.no-print { a href="/production/applications" { "返回生产企业许可申请管理" } }
            h1 { "申请进度查询" }
            p { "申请编号：" strong { (application.number_label()) } "　当前状态：" strong #progress-status { (application.status.label()) } }
            (timeline(events))
        },
    )
}

pub fn acceptance_decision(
    chrome: &Chrome,
    application: &Application,
    agency: Option<&Agency>,
    authorities: &Authorities,
) -> Markup {
    let authority = application
        .authority
        .map(|code| authorities.name_of(code))
        .unwrap_or_default();
    let number = application.acceptance_number.as_deref().unwrap_or_default();
    let submitted_at = application.submitted_at.unwrap_or(application.created_at);
    let accepted_at = application.accepted_at.unwrap_or(submitted_at);
    page(
        chrome,
        "受理决定书",
        html! {
            p.no-print {
                a href={ "/production/applications/" (application.id) } { "返回申请详情" }
                " "
                button.button.secondary type="button" data-print { "打印" }
            }
            article.document #acceptance-decision {
                h1 { "特种设备生产单位许可受理决定书" }
                p.document-number { (number) }
                p { span #decision-applicant { (application.form.unit.unit_name) } "：" }
                p.body-text {
                    "你单位于" (long_date(submitted_at))
                    "提交的特种设备生产单位许可申请（" (application.kind.label()) "，申请编号：" span #decision-application { (application.number_label()) } "），申请许可项目为："
                }
                ul #decision-sub-items {
                    @for sub_item in &application.sub_items {
                        li { (sub_item.category) "　" (sub_item.item) "　" (sub_item.label()) }
                    }
                }
                p.body-text {
                    "经审查，申请材料齐全，符合法定形式，依据《中华人民共和国行政许可法》第三十二条和《特种设备生产单位许可规则》的规定，本机关决定予以受理。"
                }
                @if let Some(agency) = agency {
                    p.body-text #decision-agency {
                        "本机关委托" strong { (agency.name) } "对你单位进行鉴定评审，联系人：" (agency.contact_person) "，联系电话：" (agency.phone) "。请与该机构约定评审日期。"
                    }
                }
                p.signature #decision-authority { (authority) }
                p.signature #decision-date { (long_date(accepted_at)) }
            }
        },
    )
}
