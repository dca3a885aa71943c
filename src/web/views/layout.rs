//! The page frame shared by every screen, and the error page.

use maud::{html, Markup, DOCTYPE};

use crate::domain::Role;

/// htmx settings: swap 422 responses so invalid forms come back in place, inject no inline
/// styles and never evaluate strings, so the Content-Security-Policy needs no exceptions.
const HTMX_CONFIG: &str = r#"{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"responseHandling":[{"code":"204","swap":false},{"code":"[23]..","swap":true},{"code":"422","swap":true},{"code":"[45]..","swap":false,"error":true}]}"#;

/// Everything around a page's content: who is signed in, the CSRF token and a notice.
pub struct Chrome {
    pub user_name: Option<String>,
    pub role: Option<Role>,
    pub csrf_token: String,
    pub notice: Option<String>,
    /// Unread in-app messages of an enterprise.
    pub unread: usize,
}

/// A full HTML page with the site header and `content` in the main area.
pub fn page(chrome: &Chrome, title: &str, content: Markup) -> Markup {
    let csrf_header = serde_json::json!({ "X-CSRF-Token": chrome.csrf_token }).to_string();
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title))
            body hx-headers=(csrf_header) {
                header.site-header.no-print {
                    a.brand href="/" { "特种设备行政许可系统" }
                    nav {
                        @if let Some(name) = &chrome.user_name {
                            @match chrome.role {
                                Some(Role::AuthorityStaff) => {
                                    a href="/staff/queue" { "审批工作台" }
                                    a href="/staff/personnel" { "人员资格认定" }
                                },
                                Some(Role::AgencyStaff) => a href="/agency/queue" { "评审工作台" },
                                Some(Role::Individual) => {
                                    a href="/hall" { "服务大厅" }
                                    a href="/personnel/applications" { "人员申请管理" }
                                    (messages_link(chrome.unread))
                                },
                                _ => {
                                    a href="/hall" { "服务大厅" }
                                    (messages_link(chrome.unread))
                                },
                            }
                            span.user { (name) }
                            form.inline method="post" action="/logout" {
                                (csrf_field(&chrome.csrf_token))
                                button.link type="submit" { "退出" }
                            }
                        } @else {
                            a href="/login" { "登录" }
                            a href="/register" { "注册" }
                        }
                    }
                }
                main #main {
                    @if let Some(notice) = &chrome.notice {
                        div.notice role="status" { (notice) }
                    }
                    (content)
                }
                footer.site-footer.no-print {
                    "特种设备行政许可系统 · 依据《特种设备生产单位许可规则》(TSG 07-2019) 及检验、检测人员考核规则办理"
                }
            }
        }
    }
}

/// Renders the header link to 站内消息 with the unread count.
fn messages_link(unread: usize) -> Markup {
    html! {
        a #messages-link href="/messages" {
            "站内消息"
            @if unread > 0 { span.unread-count { (unread) } }
        }
    }
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " - 特种设备行政许可系统" }
            meta name="htmx-config" content=(HTMX_CONFIG);
            link rel="stylesheet" href="/static/xuke.css";
            script src="/static/htmx-2.0.11.min.js" defer {}
            script src="/static/xuke.js" defer {}
        }
    }
}

/// Builds the query string that carries the CSRF token of an upload form, percent-encoded because
/// the base64 token contains `+` and `/`.
pub fn csrf_query(token: &str) -> String {
    serde_urlencoded::to_string([("csrf_token", token)]).unwrap_or_default()
}

/// Renders the hidden field that carries the CSRF token in a plain form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name="csrf_token" value=(token); }
}

/// Renders the page for a failed request, without the signed-in header.
pub fn error_page(title: &str, message: &str) -> Markup {
    html! {
        (DOCTYPE)
        html lang="zh-CN" {
            (head(title))
            body {
                header.site-header { a.brand href="/" { "特种设备行政许可系统" } }
                main #main {
                    h1 { (title) }
                    p.error-message { (message) }
                    p { a href="/" { "返回首页" } }
                }
            }
        }
    }
}
