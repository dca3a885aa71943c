//! The workbenches of authority staff (审批工作台) and review agency staff (评审工作台).

use maud::{html, Markup};

use super::layout::{page, Chrome};

/// One application in a workbench table.
pub struct QueueRow {
    pub id: u64,
    pub number: String,
    pub kind: &'static str,
    pub unit_name: String,
    pub credit_code: String,
    pub sub_items: String,
    pub status: &'static str,
    pub submitted: String,
    /// The current deadline, such as 2026-12-11（审批机关受理）.
    pub due: String,
    pub overdue: bool,
    /// A remark such as 补正后重新提交 or 评审反馈：不满意.
    pub note: String,
}

/// A titled table of a workbench.
pub struct QueueSection {
    pub id: &'static str,
    pub title: &'static str,
    pub empty: &'static str,
    pub rows: Vec<QueueRow>,
}

/// A workbench page: its sections, or the search results when a query is given.
pub struct QueueView<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub sections: Vec<QueueSection>,
}

pub fn queue(chrome: &Chrome, view: &QueueView<'_>) -> Markup {
    page(
        chrome,
        view.title,
        html! {
            h1 { (view.title) }
            p.muted #staff-authority { (view.subtitle) }
            form.search method="get" action=(view.path) role="search" {
                label.visually-hidden for="q" { "查询申请" }
                input #q type="search" name="q" value=(view.query) placeholder="请输入名称"
                    maxlength="100"
                    hx-get=(view.path) hx-trigger="input changed delay:300ms, search"
                    hx-target="#queue-results" hx-swap="outerHTML";
                button.button.secondary type="submit" { "查询" }
            }
            (results(view))
        },
    )
}

/// The tables of the page, which htmx swaps as the user types.
pub fn results(view: &QueueView<'_>) -> Markup {
    html! {
        section #queue-results {
            @for section in &view.sections {
                h2 { (section.title) }
                @if section.rows.is_empty() {
                    p.empty { (section.empty) }
                } @else {
                    (table(section))
                }
            }
        }
    }
}

fn table(section: &QueueSection) -> Markup {
    html! {
        table.table id=(section.id) {
            thead {
                tr {
                    th { "申请编号" }
                    th { "申请类型" }
                    th { "申请单位" }
                    th { "统一社会信用代码" }
                    th { "申请子项目" }
                    th { "申请状态" }
                    th { "提交时间" }
                    th { "办理时限" }
                    th { "操作" }
                }
            }
            tbody {
                @for row in &section.rows {
                    tr.overdue[row.overdue] {
                        td { (row.number) }
                        td { (row.kind) }
                        td { (row.unit_name) }
                        td { (row.credit_code) }
                        td { (row.sub_items) }
                        td { (row.status) @if !row.note.is_empty() { br; span.flag { (row.note) } } }
                        td { (row.submitted) }
                        td { (row.due) @if row.overdue { strong.flag { "（已逾期）" } } }
                        td { a href={ "/production/applications/" (row.id) } { "办理" } }
                    }
                }
            }
        }
    }
}
