//! 生产单位许可填报: the two doors, and the 已取证 start from a licence held.

use maud::{html, Markup};

use super::components::{error_summary, Field};
use super::layout::{csrf_field, page, Chrome};
use crate::domain::ChangeKind;
use crate::store::Licence;
use crate::web::forms::{FieldErrors, FormPairs};

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
                    form method="post" action="/production/apply/first" {
                        (csrf_field(&chrome.csrf_token))
                        button.button type="submit" { "点击进入" }
                    }
                }
                div.card {
                    h2 { "已取证" }
                    p { "已取得许可证的单位办理增项、换证、变更或补发。" }
                    a.button href="/production/apply/licensed" { "点击进入" }
                }
            }
        },
    )
}

/// The 已取证 page: the unit's licences, an earlier licence to enter, and what to apply for.
pub struct LicensedView<'a> {
    pub licences: &'a [Licence],
    pub values: &'a FormPairs,
    pub errors: &'a FieldErrors,
}

pub fn licensed(chrome: &Chrome, view: &LicensedView<'_>) -> Markup {
    let values = view.values;
    let errors = view.errors;
    let selected_licence = values.get("licence");
    let kind = values.get("kind");
    page(
        chrome,
        "已取证",
        html! {
            h1 { "已取证：增项、换证、变更、补发" }
            (error_summary(errors))
            form.form method="post" action="/production/apply/licensed" novalidate {
                (csrf_field(&chrome.csrf_token))
                fieldset #licence {
                    legend { "选择许可证" }
                    @if let Some(message) = errors.get("licence") {
                        p.field-message #licence-error { (message) }
                    }
                    @for licence in view.licences {
                        label.check {
                            input type="radio" name="licence" value=(licence.id)
                                checked[selected_licence == licence.id.to_string()];
                            span { (licence.number) "　有效期至" (licence.expires_on.format("%Y-%m-%d")) }
                        }
                    }
                    label.check {
                        input type="radio" name="licence" value="new" checked[selected_licence == "new" || view.licences.is_empty()];
                        span { "录入系统外取得的许可证" }
                    }
                    div.indent {
                        (Field::text("licence_number", "许可证编号", &values.get("licence_number")).optional().hint("例如 TS2732001-2023").max_length(20).render(errors))
                        (Field::text("licence_expires_on", "有效期至", &values.get("licence_expires_on")).optional().kind("date").max_length(10).render(errors))
                        (Field::text("licence_sub_items", "许可子项目编号", &values.get("licence_sub_items")).optional().hint("许可目录中的子项目编号，以空格分隔，例如 M12 M15（见“首次申请”的项目选择页）").max_length(200).render(errors))
                        label.check {
                            input type="checkbox" name="licence_self_declared" value="1" checked[values.get("licence_self_declared") == "1"];
                            span { "该证上次换证采用自我声明承诺换证" }
                        }
                    }
                }
                fieldset #kind {
                    legend { "申请类型" }
                    @if let Some(message) = errors.get("kind") {
                        p.field-message #kind-error { (message) }
                    }
                    @for (value, label, hint) in [
                        ("add_items", "增项", "增加许可子项目或生产地址"),
                        ("renewal", "换证", "许可证有效期届满前6至12个月申请"),
                        ("change", "变更", "单位名称、地址、级别等变更，应在变更之日起30个工作日内申请"),
                        ("reissue", "补发", "许可证遗失或损毁"),
                    ] {
                        label.check {
                            input type="radio" name="kind" value=(value) checked[kind == value];
                            span { strong { (label) } "　" span.muted { (hint) } }
                        }
                    }
                }
                fieldset #renewal {
                    legend { "换证" }
                    label.check {
                        input type="checkbox" name="self_declaration" value="1" checked[values.get("self_declaration") == "1"];
                        span { "采用自我声明承诺换证" }
                    }
                    @if let Some(message) = errors.get("self_declaration") {
                        p.field-message #self_declaration-error { (message) }
                    }
                    (Field::text("late_reason", "逾期申请说明", &values.get("late_reason")).optional().hint("在有效期届满前6个月内才申请换证的，须书面说明理由").max_length(500).render(errors))
                }
                fieldset #change {
                    legend { "变更" }
                    div.field.field-error[errors.get("change").is_some()] {
                        label for="change" { "变更类型" }
                        @if let Some(message) = errors.get("change") { p.field-message #change-error { (message) } }
                        select #change name="change" {
                            option value="" { "请选择变更类型" }
                            @for change in ChangeKind::ALL {
                                option value=(change.slug()) selected[values.get("change") == change.slug()] { (change.label()) }
                            }
                        }
                    }
                    (Field::text("changed_on", "变更日期", &values.get("changed_on")).optional().kind("date").max_length(10).render(errors))
                    (Field::text("change_description", "变更说明", &values.get("change_description")).optional().max_length(500).render(errors))
                }
                fieldset #reissue {
                    legend { "补发" }
                    (Field::text("reissue_reason", "补发原因", &values.get("reissue_reason")).optional().hint("例如：证书遗失，已登报声明作废").max_length(500).render(errors))
                }
                button.button type="submit" { "下一步" }
            }
        },
    )
}
