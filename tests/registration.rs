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
    assert_eq!(
        page.attributes(".card a.button", "href"),
        ["/register/person", "/register/enterprise"]
    );
}

async fn register_person(app: &TestApp, fields: &[(&str, &str)]) -> crate::support::Page {
    // The given fields come first, so they win over the defaults after them.
    let mut all = fields.to_vec();
    all.extend_from_slice(&[
        ("name", "张三"),
        ("document_type", "id_card"),
        ("mobile", "13912345678"),
        ("email", "zhang@example.com"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]);
    app.browser()
        .submit("/register/person", "/register/person", &all)
        .await
}

#[tokio::test]
async fn person_registers_with_identity_card() {
    let app = TestApp::start();
    let page = register_person(&app, &[("document_number", "11010519491231002x")]).await;
    assert_eq!(page.status, 303, "{}", page.text(".error-summary"));
    let account = app
        .store
        .account_by_login("11010519491231002X")
        .unwrap()
        .unwrap();
    let person = account.person.unwrap();
    assert_eq!(person.document_number, "11010519491231002X");
    assert_eq!(person.sex, "女");
    assert_eq!(person.birth_date.to_string(), "1949-12-31");
}

#[tokio::test]
async fn invalid_identity_numbers_come_back_with_message() {
    let app = TestApp::start();
    let cases = [
        ("110105194912310021", "校验位不正确"),
        ("11010519900230001X", "不存在"),
        ("11010520300101001X", "晚于今天"),
        ("110105491231002", "15位身份证号码已停止使用"),
    ];
    for (number, expected) in cases {
        let page = register_person(&app, &[("document_number", number)]).await;
        assert_eq!(page.status, 422, "{number}");
        assert!(
            page.field_error("document_number").contains(expected),
            "{number}"
        );
        assert_eq!(page.input_value("document_number").as_deref(), Some(number));
        assert_eq!(page.input_value("name").as_deref(), Some("张三"));
    }
}

#[tokio::test]
async fn identity_number_registers_once() {
    let app = TestApp::start();
    register_person(&app, &[("document_number", "440524188001010014")]).await;
    let again = register_person(&app, &[("document_number", "440524188001010014")]).await;
    assert_eq!(again.status, 422);
    assert!(again.field_error("document_number").contains("已注册"));
}

#[tokio::test]
async fn passport_holder_gives_sex_and_birth_date() {
    let app = TestApp::start();
    let missing = register_person(
        &app,
        &[
            ("document_type", "passport"),
            ("document_number", "E12345678"),
        ],
    )
    .await;
    assert_eq!(missing.status, 422);
    assert!(missing.field_error("birth_date").contains("出生日期"));
    let page = register_person(
        &app,
        &[
            ("document_type", "passport"),
            ("document_number", "E12345678"),
            ("sex", "男"),
            ("birth_date", "1985-06-30"),
        ],
    )
    .await;
    assert_eq!(page.status, 303);
    let account = app.store.account_by_login("e12345678").unwrap().unwrap();
    assert_eq!(account.person.unwrap().sex, "男");
}
