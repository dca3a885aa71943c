//! 生产企业许可申请管理: the applicant's list, the application page both sides see, and the
//! printable 受理决定书.

use maud::{html, Markup};

use super::layout::{csrf_field, page, Chrome};
use super::{date, date_time, long_date};
use crate::domain::{ApplicationStatus, Authorities};
use crate::store::{Application, Event};

pub fn list(chrome: &Chrome, applications: &[Application], authorities: &Authorities) -> Markup {
    page(
        chrome,
        "生产企业许可申请管理",
        html! {
            h1 { "生产企业许可申请管理" }
            p { a.button href="/production/apply" { "在线办理" } }
            @if applications.is_empty() {
                p.empty { "暂无申请。点击“在线办理”开始首次申请。" }
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
                            th { "操作" }
                        }
                    }
                    tbody {
                        @for application in applications {
                            tr {
                                td { (application.number) }
                                td { "首次申请" }
                                td { (application.sub_items_label()) }
                                td { (authorities.name_of(application.authority)) }
                                td { (status_tag(application.status)) }
                                td { (date(application.submitted_at)) }
                                td { (application.accepted_at.map(date).unwrap_or_default()) }
                                td.actions { (document_links(application)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn status_tag(status: ApplicationStatus) -> Markup {
    html! { span.status class={ "status-" (format!("{status:?}").to_lowercase()) } { (status.label()) } }
}

fn document_links(application: &Application) -> Markup {
    html! {
        a href={ "/production/applications/" (application.id) } { "查看" }
        @if application.acceptance_number.is_some() {
            " "
            a href={ "/production/applications/" (application.id) "/acceptance-decision" } { "受理决定书" }
        }
    }
}

/// What the application page shows besides the record itself.
pub struct DetailView<'a> {
    pub application: &'a Application,
    pub events: &'a [Event],
    pub authorities: &'a Authorities,
    /// Whether the viewer may accept the application now.
    pub can_accept: bool,
    pub back_link: (&'a str, &'a str),
}

pub fn detail(chrome: &Chrome, view: &DetailView<'_>) -> Markup {
    let application = view.application;
    let authority = view.authorities.name_of(application.authority);
    let province = view
        .authorities
        .get(application.production_address.province)
        .map(|authority| authority.province.clone())
        .unwrap_or_default();
    let applicant = &application.applicant;
    page(
        chrome,
        &format!("申请 {}", application.number),
        html! {
            p.no-print { a href=(view.back_link.0) { "返回" (view.back_link.1) } }
            h1 { "特种设备生产单位许可申请 " span #application-number { (application.number) } }
            dl.facts {
                dt { "申请类型" } dd { "首次申请" }
                dt { "申请状态" } dd #application-status { (status_tag(application.status)) }
                dt { "审批机关" } dd #application-authority { (authority) }
                dt { "提交日期" } dd { (date_time(application.submitted_at)) }
                @if let Some(accepted_at) = application.accepted_at {
                    dt { "受理日期" } dd { (date_time(accepted_at)) }
                }
            }
            @if view.can_accept {
                section.decision.no-print {
                    h2 { "受理" }
                    p { "经审查，申请材料齐全、符合法定形式的，予以受理，并向申请单位出具受理决定书。" }
                    form method="post" action={ "/staff/applications/" (application.id) "/accept" } {
                        (csrf_field(&chrome.csrf_token))
                        button.button type="submit" { "受理" }
                    }
                }
            }
            @if application.acceptance_number.is_some() {
                p { a.button.secondary href={ "/production/applications/" (application.id) "/acceptance-decision" } { "受理决定书" } }
            }
            h2 { "申请单位基本情况" }
            dl.facts {
                dt { "单位名称" } dd { (applicant.unit_name) }
                dt { "统一社会信用代码" } dd { (applicant.credit_code) }
                dt { "住所" } dd { (applicant.domicile) }
                dt { "法定代表人" } dd { (applicant.legal_representative) }
                dt { "联系人" } dd { (applicant.contact_name) }
                dt { "手机号码" } dd { (applicant.mobile) }
                @if !applicant.phone.is_empty() { dt { "固定电话" } dd { (applicant.phone) } }
                @if !applicant.email.is_empty() { dt { "电子邮箱" } dd { (applicant.email) } }
            }
            h2 { "申请许可项目" }
            table.table #sub-items {
                thead { tr { th { "许可类别" } th { "项目" } th { "子项目" } th { "级别" } } }
                tbody {
                    @for sub_item in &application.sub_items {
                        tr {
                            td { (sub_item.category) }
                            td { (sub_item.item) }
                            td { (sub_item.sub_item) }
                            td { (sub_item.level) }
                        }
                    }
                }
            }
            h2 { "生产地址" }
            p { (province) " " (application.production_address.detail) }
            h2 { "办理进度" }
            ol.timeline #timeline {
                @for event in view.events {
                    li {
                        span.when { (date_time(event.at)) }
                        span.what { (event.action.label()) }
                        span.who { (event.actor_role.label()) }
                        span.status { (event.from.map(|status| status.label()).unwrap_or("—")) " → " (event.to.label()) }
                        @if let Some(document) = &event.document { span.document { (document) } }
                    }
                }
            }
        },
    )
}

pub fn acceptance_decision(
    chrome: &Chrome,
    application: &Application,
    authorities: &Authorities,
) -> Markup {
    let authority = authorities.name_of(application.authority);
    let number = application.acceptance_number.as_deref().unwrap_or_default();
    let accepted_at = application.accepted_at.unwrap_or(application.submitted_at);
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
                p { span #decision-applicant { (application.applicant.unit_name) } "：" }
                p.body-text {
                    "你单位于" (long_date(application.submitted_at))
                    "提交的特种设备生产单位许可申请（申请编号：" span #decision-application { (application.number) } "），申请许可项目为："
                }
                ul #decision-sub-items {
                    @for sub_item in &application.sub_items {
                        li { (sub_item.category) "　" (sub_item.item) "　" (sub_item.label()) }
                    }
                }
                p.body-text {
                    "经审查，申请材料齐全，符合法定形式，依据《中华人民共和国行政许可法》第三十二条和《特种设备生产单位许可规则》的规定，本机关决定予以受理。"
                }
                p.signature #decision-authority { (authority) }
                p.signature #decision-date { (long_date(accepted_at)) }
            }
        },
    )
}
