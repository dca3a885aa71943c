//! The printable licence certificate and the public verification page (许可证查询).

use chrono::NaiveDate;
use maud::{html, Markup};

use super::layout::{page, Chrome};
use crate::domain::certificate::Validity;
use crate::domain::Authorities;
use crate::store::{Licence, PersonnelCertificate};

pub fn certificate(chrome: &Chrome, licence: &Licence, authorities: &Authorities) -> Markup {
    let authority = licence
        .authority
        .map(|code| authorities.name_of(code))
        .unwrap_or_default();
    page(
        chrome,
        "特种设备生产许可证",
        html! {
            p.no-print { button.button.secondary type="button" data-print { "打印" } }
            article.document.certificate #certificate {
                h1 { "中华人民共和国特种设备生产许可证" }
                p.document-number { "编号：" span #licence-number { (licence.number) } }
                dl.facts {
                    dt { "单位名称" } dd #licence-unit { (licence.unit_name) }
                    dt { "住所" } dd { (licence.domicile) }
                    dt { "生产地址" } dd { @for address in &licence.addresses { div { (address) } } }
                    dt { "许可项目" }
                    dd {
                        table.table #licence-items {
                            thead { tr { th { "许可类别" } th { "项目" } th { "子项目" } th { "级别" } } }
                            tbody {
                                @for item in &licence.sub_items {
                                    tr { td { (item.category) } td { (item.item) } td { (item.sub_item) } td { (item.level) } }
                                }
                            }
                        }
                    }
                    dt { "发证机关" } dd #licence-authority { (authority) }
                    dt { "发证日期" } dd { (licence.issued_on.map(|date| date.format("%Y-%m-%d").to_string()).unwrap_or_default()) }
                    dt { "有效期至" } dd #licence-expiry { (licence.expires_on.format("%Y-%m-%d")) }
                }
                figure.qr {
                    img #licence-qr src={ "/licences/" (licence.id) "/qr.svg" } alt="扫码核验许可证" width="160" height="160";
                    figcaption { "扫码核验" }
                }
            }
        },
    )
}

/// One row of the verification results.
pub struct VerifiedLicence<'a> {
    pub licence: &'a Licence,
    pub validity: Validity,
}

/// A personnel certificate found by its number.
pub struct VerifiedPerson {
    pub name: String,
    pub item: String,
    pub authority: String,
    pub certificate: PersonnelCertificate,
    pub validity: Validity,
}

pub fn verify(
    chrome: &Chrome,
    query: &str,
    results: &[VerifiedLicence<'_>],
    person: Option<&VerifiedPerson>,
    authorities: &Authorities,
    today: NaiveDate,
) -> Markup {
    page(
        chrome,
        "许可证查询",
        html! {
            h1 { "特种设备许可证及人员证书查询" }
            p { "输入许可证编号或单位名称，核验生产许可证是否有效；输入人员证书编号，核验检验、检测人员证书。" }
            form.search method="get" action="/verify" role="search" {
                label.visually-hidden for="q" { "证书编号或单位名称" }
                input #q type="search" name="q" value=(query) placeholder="证书编号或单位名称" maxlength="100";
                button.button type="submit" { "查询" }
            }
            @if let Some(person) = person {
                table.table #verify-person {
                    thead { tr { th { "证书编号" } th { "姓名" } th { "项目" } th { "发证机关" } th { "证书有效期" } th { "状态" } } }
                    tbody {
                        tr {
                            td { (person.certificate.number) }
                            td { (person.name) }
                            td { (person.item) }
                            td { (person.authority) }
                            td { (person.certificate.expires_on) }
                            td.validity { (person.validity.label()) }
                        }
                    }
                }
            }
            @if !query.is_empty() && person.is_none() {
                @if results.is_empty() {
                    p.empty #no-result { "未查询到与“" (query) "”相符的许可证或人员证书。" }
                } @else {
                    table.table #verify-results {
                        thead { tr { th { "许可证编号" } th { "单位名称" } th { "许可项目" } th { "发证机关" } th { "证书有效期" } th { "状态" } } }
                        tbody {
                            @for result in results {
                                @let licence = result.licence;
                                tr {
                                    td { (licence.number) }
                                    td { (licence.unit_name) }
                                    td { (licence.sub_items.iter().map(|item| item.label()).collect::<Vec<_>>().join("；")) }
                                    td { (licence.authority.map(|code| authorities.name_of(code)).unwrap_or_default()) }
                                    td { (licence.expires_on.format("%Y-%m-%d")) }
                                    td.validity {
                                        (result.validity.label())
                                        @if let Some(number) = &licence.replaced_by { "（已换发" (number) "）" }
                                    }
                                }
                            }
                        }
                    }
                    p.muted { "数据更新时间：" (today.format("%Y-%m-%d")) }
                }
            }
        },
    )
}
