//! The public portal (公共服务门户): home, registration and login.

use maud::{html, Markup};

use super::components::{error_summary, Field};
use super::layout::{csrf_field, page, Chrome};
use crate::web::forms::FieldErrors;

pub fn home(chrome: &Chrome) -> Markup {
    page(
        chrome,
        "公共服务门户",
        html! {
            section.hero {
                h1 { "特种设备行政许可系统 · 公共服务门户" }
                p { "锅炉、压力容器、电梯、起重机械等特种设备生产单位许可，以及特种设备检验、检测人员资格认定的网上申请与办理。" }
                div.actions {
                    a.button href="/login" { "登录" }
                    a.button.secondary href="/register" { "注册" }
                }
            }
            section.cards {
                div.card {
                    h2 { "特种设备生产单位许可" }
                    p { "设计、制造、安装、改造、修理和充装单位，按《特种设备生产单位许可目录》在线申请许可，查询办理进度。" }
                }
                div.card {
                    h2 { "特种设备检验、检测人员资格认定" }
                    p { "检验人员和无损检测人员在线申请资格认定。" }
                }
            }
        },
    )
}

pub fn register_choice(chrome: &Chrome) -> Markup {
    page(
        chrome,
        "注册",
        html! {
            h1 { "注册" }
            section.cards {
                div.card {
                    h2 { "个人注册" }
                    p { "适用于申请特种设备检验人员、无损检测人员资格认定的个人。" }
                    a.button href="/register/person" { "个人注册" }
                }
                div.card {
                    h2 { "企业注册" }
                    p { "适用于申请特种设备生产单位许可（含充装单位许可）的企业和其他组织。" }
                    a.button href="/register/enterprise" { "企业注册" }
                }
            }
            section.explainer {
                h2 { "用户类型选择说明" }
                ul {
                    li { "以单位名义申请特种设备生产单位许可的，请选择" strong { "企业注册" } "，使用营业执照上的统一社会信用代码注册，一个统一社会信用代码只能注册一个账号。" }
                    li { "以个人名义申请检验、检测人员资格认定的，请选择" strong { "个人注册" } "，使用本人身份证件注册。" }
                    li { "审批机关和鉴定评审机构的工作人员无需注册，账号由系统管理员开设。" }
                }
            }
        },
    )
}

/// Values the enterprise registration form shows back: those typed, never the passwords.
#[derive(Debug, Default, Clone)]
pub struct EnterpriseRegistration {
    pub unit_name: String,
    pub credit_code: String,
    pub contact_name: String,
    pub mobile: String,
}

pub fn enterprise_registration(
    chrome: &Chrome,
    values: &EnterpriseRegistration,
    errors: &FieldErrors,
) -> Markup {
    page(
        chrome,
        "企业注册",
        html! {
            h1 { "企业注册" }
            (error_summary(errors))
            form.form method="post" action="/register/enterprise" novalidate {
                (csrf_field(&chrome.csrf_token))
                (Field::text("unit_name", "单位名称", &values.unit_name)
                    .hint("与营业执照上的名称一致")
                    .autocomplete("organization")
                    .render(errors))
                (Field::text("credit_code", "统一社会信用代码", &values.credit_code)
                    .hint("18位，见营业执照；注册后作为登录用户名")
                    .max_length(40)
                    .render(errors))
                (Field::text("contact_name", "联系人", &values.contact_name)
                    .autocomplete("name")
                    .max_length(50)
                    .render(errors))
                (Field::text("mobile", "手机号码", &values.mobile)
                    .kind("tel")
                    .autocomplete("tel")
                    .max_length(20)
                    .render(errors))
                (Field::text("password", "密码", "")
                    .kind("password")
                    .hint("至少8位，须同时包含字母和数字")
                    .autocomplete("new-password")
                    .max_length(72)
                    .render(errors))
                (Field::text("password_confirm", "确认密码", "")
                    .kind("password")
                    .autocomplete("new-password")
                    .max_length(72)
                    .render(errors))
                button.button type="submit" { "注册" }
            }
            p { "已有账号？" a href="/login" { "登录" } }
        },
    )
}

pub fn login(chrome: &Chrome, login: &str, errors: &FieldErrors) -> Markup {
    page(
        chrome,
        "登录",
        html! {
            h1 { "登录" }
            (error_summary(errors))
            form.form method="post" action="/login" novalidate {
                (csrf_field(&chrome.csrf_token))
                (Field::text("login", "用户名", login)
                    .hint("企业用户填写统一社会信用代码；个人用户填写证件号码；工作人员填写登录名")
                    .autocomplete("username")
                    .max_length(40)
                    .render(errors))
                (Field::text("password", "密码", "")
                    .kind("password")
                    .autocomplete("current-password")
                    .max_length(72)
                    .render(errors))
                button.button type="submit" { "登录" }
            }
            p { "还没有账号？" a href="/register" { "注册" } }
        },
    )
}

/// Values the individual registration form shows back: those typed, never the passwords.
#[derive(Debug, Default, Clone)]
pub struct PersonRegistration {
    pub name: String,
    pub document_type: String,
    pub document_number: String,
    pub sex: String,
    pub birth_date: String,
    pub mobile: String,
    pub email: String,
}

pub fn person_registration(
    chrome: &Chrome,
    values: &PersonRegistration,
    errors: &FieldErrors,
) -> Markup {
    let passport = values.document_type == "passport";
    page(
        chrome,
        "个人注册",
        html! {
            h1 { "个人注册" }
            (error_summary(errors))
            form.form method="post" action="/register/person" novalidate {
                (csrf_field(&chrome.csrf_token))
                (Field::text("name", "姓名", &values.name).hint("与身份证件上的姓名一致").autocomplete("name").max_length(50).render(errors))
                div.field.field-error[errors.get("document_type").is_some()] {
                    label for="document_type" { "证件类型" }
                    select #document_type name="document_type" {
                        option value="id_card" selected[!passport] { "居民身份证" }
                        option value="passport" selected[passport] { "护照（外籍人员）" }
                    }
                }
                (Field::text("document_number", "证件号码", &values.document_number)
                    .hint("身份证号码为18位，末位X可小写；注册后作为登录用户名")
                    .max_length(30)
                    .render(errors))
                fieldset #passport-details {
                    legend { "持护照注册时填写" }
                    p.hint { "持居民身份证注册的，性别和出生日期由身份证号码自动确定。" }
                    div.field.field-error[errors.get("sex").is_some()] {
                        label for="sex" { "性别" }
                        @if let Some(message) = errors.get("sex") { p.field-message #sex-error { (message) } }
                        select #sex name="sex" {
                            option value="" { "请选择" }
                            option value="男" selected[values.sex == "男"] { "男" }
                            option value="女" selected[values.sex == "女"] { "女" }
                        }
                    }
                    (Field::text("birth_date", "出生日期", &values.birth_date).kind("date").optional().max_length(10).render(errors))
                }
                (Field::text("mobile", "手机号码", &values.mobile).kind("tel").autocomplete("tel").max_length(20).render(errors))
                (Field::text("email", "电子邮箱", &values.email).kind("email").autocomplete("email").max_length(100).render(errors))
                (Field::text("password", "密码", "").kind("password").hint("至少8位，须同时包含字母和数字").autocomplete("new-password").max_length(72).render(errors))
                (Field::text("password_confirm", "确认密码", "").kind("password").autocomplete("new-password").max_length(72).render(errors))
                button.button type="submit" { "注册" }
            }
            p { "已有账号？" a href="/login" { "登录" } }
        },
    )
}
