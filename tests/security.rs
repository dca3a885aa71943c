//! CSRF on every POST, body limits and the security headers.

use crate::support::{TestApp, JIANGSU_CODE, PASSWORD};

#[tokio::test]
async fn post_without_csrf_token_is_rejected() {
    let app = TestApp::start();
    let browser = app.browser();
    // Visit the form first so the browser has the CSRF cookie, then omit the token.
    browser.get("/register/enterprise").await;
    let page = browser
        .post(
            "/register/enterprise",
            &[
                ("unit_name", "江苏某某公司"),
                ("credit_code", JIANGSU_CODE),
                ("contact_name", "王联系"),
                ("mobile", "13812345678"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 403);
    assert_eq!(page.text("h1"), "表单已失效");
    assert!(app.store.account_by_login(JIANGSU_CODE).unwrap().is_none());
}

#[tokio::test]
async fn forged_csrf_token_is_rejected() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let forged = browser
        .post("/logout", &[("csrf_token", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA")])
        .await;
    assert_eq!(forged.status, 403);
    // A token from another browser's cookie does not fit this browser's cookie.
    let other = app.browser();
    let other_token = other.get("/login").await.csrf_token();
    let borrowed = browser
        .post("/logout", &[("csrf_token", &other_token)])
        .await;
    assert_eq!(borrowed.status, 403);
    assert_eq!(browser.get("/hall").await.status, 200, "still signed in");
}

#[tokio::test]
async fn htmx_header_token_is_accepted() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let hall = browser.get("/hall").await;
    let header = hall.attributes("body", "hx-headers").pop().unwrap();
    let token: serde_json::Value = serde_json::from_str(&header).unwrap();
    assert_eq!(token["X-CSRF-Token"], hall.csrf_token().as_str());
}

#[tokio::test]
async fn oversized_form_is_rejected() {
    let app = TestApp::start();
    let browser = app.browser();
    let token = browser.get("/register/enterprise").await.csrf_token();
    let huge = "甲".repeat(30_000);
    let page = browser
        .post(
            "/register/enterprise",
            &[("csrf_token", &token), ("unit_name", &huge)],
        )
        .await;
    assert_eq!(page.status, 413);
}

#[tokio::test]
async fn pages_carry_security_headers() {
    let app = TestApp::start();
    let page = app.browser().get("/").await;
    let policy = page.headers.get("content-security-policy").unwrap();
    let policy = policy.to_str().unwrap();
    assert!(policy.contains("script-src 'self'"));
    assert!(policy.contains("frame-ancestors 'none'"));
    assert_eq!(
        page.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert_eq!(page.headers.get("x-frame-options").unwrap(), "DENY");
}

#[tokio::test]
async fn user_input_is_escaped() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("<script>alert(1)</script>某某公司", JIANGSU_CODE)
        .await;
    let hall = browser.get("/hall").await;
    assert_eq!(hall.count("main script"), 0);
    assert_eq!(
        hall.text(".site-header .user"),
        "<script>alert(1)</script>某某公司"
    );
}

#[tokio::test]
async fn framework_errors_are_chinese_pages() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let unknown = browser.get("/nope").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.text("h1"), "页面不存在");
    let bad_id = browser.get("/production/applications/abc").await;
    assert_eq!(bad_id.status, 400);
    assert_eq!(bad_id.text("h1"), "请求无效");
    let wrong_method = browser.get("/logout").await;
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.text(".error-message").contains("按钮"));
}

#[tokio::test]
async fn pages_are_not_cached() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let hall = browser.get("/hall").await;
    assert_eq!(hall.headers.get("cache-control").unwrap(), "no-store");
}
