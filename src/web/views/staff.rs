//! The authority staff's workbench (审批工作台): the acceptance queue and search.

use maud::{html, Markup};

use super::layout::{page, Chrome};
use super::{date, date_time};
use crate::store::Application;

/// The queue page: 待受理 applications, or the search results when a query is given.
pub struct QueueView<'a> {
    pub authority_name: &'a str,
    pub query: &'a str,
    pub applications: &'a [Application],
}

pub fn queue(chrome: &Chrome, view: &QueueView<'_>) -> Markup {
    page(
        chrome,
        "审批工作台",
        html! {
            h1 { "审批工作台" }
            p.muted #staff-authority { (view.authority_name) }
            form.search method="get" action="/staff/queue" role="search" {
                label.visually-hidden for="q" { "查询申请" }
                input #q type="search" name="q" value=(view.query) placeholder="请输入名称"
                    maxlength="100"
                    hx-get="/staff/queue" hx-trigger="input changed delay:300ms, search"
                    hx-target="#queue-results" hx-swap="outerHTML";
                button.button.secondary type="submit" { "查询" }
            }
            (results(view))
        },
    )
}

/// The list part of the queue page, which htmx swaps as the user types.
pub fn results(view: &QueueView<'_>) -> Markup {
    html! {
        section #queue-results {
            @if view.query.is_empty() {
                h2 { "待受理申请" }
            } @else {
                h2 { "查询结果" }
            }
            @if view.applications.is_empty() {
                p.empty {
                    @if view.query.is_empty() { "暂无待受理的申请。" } @else { "没有找到符合条件的申请。" }
                }
            } @else {
                table.table #queue {
                    thead {
                        tr {
                            th { "申请编号" }
                            th { "申请类型" }
                            th { "申请单位" }
                            th { "统一社会信用代码" }
                            th { "申请子项目" }
                            th { "申请状态" }
                            th { "提交时间" }
                            th { "受理日期" }
                            th { "操作" }
                        }
                    }
                    tbody {
                        @for application in view.applications {
                            tr {
                                td { (application.number_label()) }
                                td { (application.kind.label()) }
                                td { (application.form.unit.unit_name) }
                                td { (application.form.unit.credit_code) }
                                td { (application.sub_items_label()) }
                                td { (application.status.label()) }
                                td { (application.submitted_at.map(date_time).unwrap_or_default()) }
                                td { (application.accepted_at.map(date).unwrap_or_default()) }
                                td { a href={ "/production/applications/" (application.id) } { "办理" } }
                            }
                        }
                    }
                }
            }
        }
    }
}
