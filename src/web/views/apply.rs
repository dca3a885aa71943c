//! 生产单位许可填报: the doors, the choice of sub-items and province, and the application form.

use maud::{html, Markup};

use super::components::{error_summary, province_select, Field};
use super::layout::{csrf_field, page, Chrome};
use crate::domain::catalogue::ApprovalScope;
use crate::domain::{Authorities, Authority, Catalogue, RoutingError, SubItem};
use crate::web::forms::FieldErrors;

pub fn doors(chrome: &Chrome) -> Markup {
    page(
        chrome,
        "生产单位许可填报",
        html! {
            h1 { "生产单位许可填报" span.badge { "直接办理" } }
            section.cards {
                div.card {
                    h2 { "首次申请" }
                    p { "尚未取得特种设备生产许可证的单位，首次申请许可。" }
                    a.button href="/production/apply/first" { "点击进入" }
                }
                div.card {
                    h2 { "已取证" }
                    p { "已取得许可证的单位办理增项、换证、变更或补发。" }
                    p.muted { "暂未开放。" }
                }
            }
        },
    )
}

/// The state of the sub-item choice: what is ticked, the province, and the derived
/// authority or why there is none.
pub struct Selection<'a> {
    pub sub_items: Vec<&'a SubItem>,
    pub province: Option<u8>,
    pub authority: Result<&'a Authority, RoutingError>,
}

impl Selection<'_> {
    fn is_selected(&self, id: &str) -> bool {
        self.sub_items.iter().any(|sub_item| sub_item.id == id)
    }
}

pub fn select_items(
    chrome: &Chrome,
    catalogue: &Catalogue,
    authorities: &Authorities,
    selection: &Selection<'_>,
    errors: &FieldErrors,
) -> Markup {
    page(
        chrome,
        "首次申请 - 选择申请许可项目",
        html! {
            h1 { "首次申请：选择申请许可项目" }
            p { "按许可类别、项目、子项目和级别勾选申请许可的子项目，并选择生产地址所在省份。系统按《特种设备生产单位许可目录》确定审批机关：由国家市场监督管理总局审批的子项目与由省级市场监督管理部门审批的子项目不能在同一份申请中提交。" }
            (error_summary(errors))
            form.form method="get" action="/production/apply/first/form"
                hx-get="/production/apply/first/authority" hx-trigger="change"
                hx-target="#derived-authority" hx-swap="outerHTML" {
                (province_select("province", "生产地址所在省份", selection.province, authorities, errors))
                div.field.field-error[errors.get("sub_item").is_some()] id="sub_item" {
                    h2 { "申请许可的子项目" }
                    @if let Some(message) = errors.get("sub_item") {
                        p.field-message { span.visually-hidden { "错误：" } (message) }
                    }
                    @for group in catalogue.grouped() {
                        details.category open[group.items.iter().flat_map(|item| &item.sub_items).any(|s| selection.is_selected(&s.id))] {
                            summary { (group.category) }
                            @for item in &group.items {
                                fieldset.item {
                                    legend { (item.item) }
                                    @for sub_item in &item.sub_items {
                                        label.check {
                                            input type="checkbox" name="sub_item" value=(sub_item.id)
                                                checked[selection.is_selected(&sub_item.id)];
                                            span { (sub_item.sub_item) }
                                            @if !sub_item.level.is_empty() {
                                                span.level { (sub_item.level_label()) "级" }
                                            }
                                            (scope_badge(sub_item.scope))
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (derived_authority(selection))
                button.button type="submit" { "下一步" }
            }
        },
    )
}

fn scope_badge(scope: ApprovalScope) -> Markup {
    match scope {
        ApprovalScope::Samr => html! { span.scope.samr { "总局审批" } },
        ApprovalScope::Provincial => html! { span.scope { "省局审批" } },
    }
}

/// The box that names the approving authority; htmx replaces it as the choice changes.
pub fn derived_authority(selection: &Selection<'_>) -> Markup {
    html! {
        div #derived-authority.derived aria-live="polite" {
            @match &selection.authority {
                Ok(authority) => {
                    span.label { "审批机关：" }
                    strong { (authority.name) }
                }
                Err(RoutingError::NoSubItems | RoutingError::MissingProvince) => {
                    span.muted { "勾选子项目并选择省份后，系统显示审批机关。" }
                }
                Err(error) => p.field-message { (error.to_string()) }
            }
        }
    }
}

/// The values of the one-page application form.
#[derive(Debug, Default, Clone)]
pub struct ApplicationValues {
    pub unit_name: String,
    pub credit_code: String,
    pub domicile: String,
    pub legal_representative: String,
    pub contact_name: String,
    pub mobile: String,
    pub phone: String,
    pub email: String,
    pub address_detail: String,
}

pub fn application_form(
    chrome: &Chrome,
    selection: &Selection<'_>,
    authority: &Authority,
    province_name: &str,
    values: &ApplicationValues,
    errors: &FieldErrors,
) -> Markup {
    page(
        chrome,
        "首次申请 - 填写申请信息",
        html! {
            h1 { "首次申请：填写申请信息" }
            (error_summary(errors))
            section.summary-box {
                h2 { "申请许可项目" }
                table.table {
                    thead { tr { th { "许可类别" } th { "项目" } th { "子项目" } th { "级别" } } }
                    tbody {
                        @for sub_item in &selection.sub_items {
                            tr {
                                td { (sub_item.category) }
                                td { (sub_item.item) }
                                td { (sub_item.sub_item) }
                                td { (sub_item.level_label()) }
                            }
                        }
                    }
                }
                p { "审批机关：" strong #authority-name { (authority.name) } }
                p { a href={ "/production/apply/first?" (selection_query(selection)) } { "修改申请许可项目" } }
            }
            form.form method="post" action="/production/apply/first/form" novalidate {
                (csrf_field(&chrome.csrf_token))
                @for sub_item in &selection.sub_items {
                    input type="hidden" name="sub_item" value=(sub_item.id);
                }
                @if let Some(province) = selection.province {
                    input type="hidden" name="province" value=(province);
                }
                fieldset {
                    legend { "申请单位基本情况" }
                    (Field::text("unit_name", "单位名称", &values.unit_name).hint("与营业执照上的名称一致").render(errors))
                    (Field::text("credit_code", "统一社会信用代码", &values.credit_code).readonly().optional().render(errors))
                    (Field::text("domicile", "住所", &values.domicile).hint("营业执照上的住所").max_length(200).render(errors))
                    (Field::text("legal_representative", "法定代表人", &values.legal_representative).max_length(50).render(errors))
                }
                fieldset {
                    legend { "生产地址" }
                    p { "所在省份：" strong { (province_name) } }
                    (Field::text("address_detail", "详细地址", &values.address_detail).hint("市、区（县）、街道和门牌号").max_length(200).render(errors))
                }
                fieldset {
                    legend { "联系方式" }
                    (Field::text("contact_name", "联系人", &values.contact_name).max_length(50).render(errors))
                    (Field::text("mobile", "手机号码", &values.mobile).kind("tel").max_length(20).render(errors))
                    (Field::text("phone", "固定电话", &values.phone).kind("tel").optional().max_length(30).render(errors))
                    (Field::text("email", "电子邮箱", &values.email).kind("email").optional().max_length(100).render(errors))
                }
                p { "提交后申请进入审批机关的待受理队列，审批机关在5个工作日内作出受理、补正或不予受理的决定。" }
                button.button type="submit" { "提交" }
            }
        },
    )
}

/// The selection as a query string, to go back to the choice with it kept.
fn selection_query(selection: &Selection<'_>) -> String {
    let mut pairs: Vec<(&str, String)> = selection
        .sub_items
        .iter()
        .map(|sub_item| ("sub_item", sub_item.id.clone()))
        .collect();
    if let Some(province) = selection.province {
        pairs.push(("province", province.to_string()));
    }
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}
