//! 企业注册: validation messages, values kept, one account per credit code.

use crate::support::{TestApp, FUJIAN_CODE, JIANGSU_CODE, PASSWORD};

async fn register_with(app: &TestApp, credit_code: &str) -> crate::support::Page {
    app.browser()
        .submit(
            "/register/enterprise",
            "/register/enterprise",
            &[
                ("unit_name", "江苏某某压力容器制造有限公司"),
                ("credit_code", credit_code),
                ("contact_name", "王联系"),
                ("mobile", "13812345678"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
}

#[tokio::test]
async fn registration_signs_in_and_opens_hall() {
    let app = TestApp::start();
    let browser = app.browser();
    let response = browser
        .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
        .await;
    assert_eq!(response.status, 303);
    assert_eq!(response.location.as_deref(), Some("/hall"));

    let hall = browser.get("/hall").await;
    assert_eq!(hall.status, 200);
    assert_eq!(
        hall.text(".notice"),
        "注册成功，欢迎使用特种设备行政许可系统"
    );
    assert_eq!(
        hall.text(".site-header .user"),
        "江苏某某压力容器制造有限公司"
    );
}

#[tokio::test]
async fn invalid_credit_codes_come_back_with_message() {
    let app = TestApp::start();
    let cases = [
        ("913200001347826538", "校验位不正确"),
        ("91320000134782I539", "不使用字母I、O、S、V、Z"),
        ("91320000134782O539", "不使用字母I、O、S、V、Z"),
        ("91320000134782S539", "不使用字母I、O、S、V、Z"),
        ("91320000134782V539", "不使用字母I、O、S、V、Z"),
        ("91320000134782Z539", "不使用字母I、O、S、V、Z"),
        ("91320000134782653", "应为18位，当前为17位"),
    ];
    for (code, expected) in cases {
        let page = register_with(&app, code).await;
        assert_eq!(page.status, 422, "{code}");
        assert!(
            page.field_error("credit_code").contains(expected),
            "{code}: {}",
            page.field_error("credit_code")
        );
        assert_eq!(page.input_value("credit_code").as_deref(), Some(code));
        assert_eq!(
            page.input_value("unit_name").as_deref(),
            Some("江苏某某压力容器制造有限公司")
        );
        assert_eq!(page.input_value("mobile").as_deref(), Some("13812345678"));
        assert_eq!(page.input_value("password").as_deref(), Some(""));
        assert_eq!(
            page.attributes(".error-summary a", "href"),
            ["#credit_code"]
        );
    }
}

#[tokio::test]
async fn duplicate_credit_code_is_rejected() {
    let app = TestApp::start();
    assert_eq!(register_with(&app, JIANGSU_CODE).await.status, 303);

    // The same code typed in lower case with spaces and full-width digits.
    let page = register_with(&app, " ９１３２０００01347826539 ").await;
    assert_eq!(page.status, 422);
    assert!(page.field_error("credit_code").contains("已注册"));
    assert_eq!(
        page.input_value("unit_name").as_deref(),
        Some("江苏某某压力容器制造有限公司")
    );
}

#[tokio::test]
async fn other_fields_are_checked() {
    let app = TestApp::start();
    let page = app
        .browser()
        .submit(
            "/register/enterprise",
            "/register/enterprise",
            &[
                ("unit_name", ""),
                ("credit_code", FUJIAN_CODE),
                ("contact_name", "王联系"),
                ("mobile", "1381234"),
                ("password", "abc12345"),
                ("password_confirm", "abc12346"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.field_error("unit_name"), "请填写单位名称");
    assert!(page.field_error("mobile").contains("11位"));
    assert!(page.field_error("password_confirm").contains("不一致"));
    assert_eq!(page.field_error("credit_code"), "");
    assert_eq!(
        page.attributes(".error-summary a", "href"),
        ["#unit_name", "#mobile", "#password_confirm"]
    );
}

#[tokio::test]
async fn registration_page_explains_user_types() {
    let app = TestApp::start();
    let page = app.browser().get("/register").await;
    assert_eq!(page.status, 200);
    let headings = page.texts("h2");
    assert!(headings.contains(&"个人注册".to_string()));
    assert!(headings.contains(&"企业注册".to_string()));
    assert!(headings.contains(&"用户类型选择说明".to_string()));
}
