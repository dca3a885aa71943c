//! The service hall (服务大厅) shown after login.

use maud::{html, Markup};

use super::layout::{page, Chrome};

pub fn hall(chrome: &Chrome, unit_name: &str) -> Markup {
    page(
        chrome,
        "服务大厅",
        html! {
            h1 { "服务大厅" }
            p.muted { (unit_name) }
            section.cards {
                div.card.tile {
                    h2 { "特种设备生产单位许可" }
                    p { "锅炉、压力容器、压力管道、电梯、起重机械、客运索道、大型游乐设施、场（厂）内专用机动车辆的设计、制造、安装、改造、修理单位及充装单位许可。" }
                    div.actions {
                        a.button href="/production/apply" { "在线办理" }
                    }
                    p.management {
                        a href="/production/applications" { "生产企业许可申请管理" }
                        span.badge { "直接办理" }
                    }
                }
            }
        },
    )
}

/// Renders the hall of an individual applicant.
pub fn person_hall(chrome: &Chrome, name: &str) -> Markup {
    page(
        chrome,
        "服务大厅",
        html! {
            h1 { "服务大厅" }
            p.muted { (name) }
            section.cards {
                div.card.tile {
                    h2 { "特种设备检验、检测人员资格认定申请" }
                    p { "检验人员和无损检测人员（RT、UT、MT、PT、TOFD等）资格认定的网上申请。" }
                    div.actions {
                        a.button href="/personnel/apply" { "在线办理" }
                    }
                    p.management {
                        a href="/personnel/applications" { "人员申请管理" }
                    }
                }
            }
        },
    )
}
