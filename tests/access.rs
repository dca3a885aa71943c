//! Who may see and act on an application.

use crate::support::{
    application_id, TestApp, BEIJING_CODE, JIANGSU_CODE, PASSWORD, ZHEJIANG_CODE,
};

#[tokio::test]
async fn another_enterprise_cannot_open_the_application() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let agency = app.create_agency("江苏省特种设备安全监督检验研究院");
    let owner = app.browser();
    owner
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(&owner.apply(&["M12"], "32").await.location.unwrap());
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    staff.accept(id, agency).await;

    let stranger = app.browser();
    stranger
        .register_enterprise("浙江某某公司", ZHEJIANG_CODE)
        .await;
    let detail = stranger
        .get(&format!("/production/applications/{id}"))
        .await;
    assert_eq!(detail.status, 404);
    assert!(!detail.body.contains("江苏某某公司"));
    let decision = stranger
        .get(&format!(
            "/production/applications/{id}/acceptance-decision"
        ))
        .await;
    assert_eq!(decision.status, 404);
    assert!(stranger
        .get("/production/applications")
        .await
        .table_rows("#applications")
        .is_empty());
}

#[tokio::test]
async fn jiangsu_staff_do_not_see_samr_applications() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    app.create_staff("samr-staff", 10);
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
        .await;
    let samr_id = application_id(&enterprise.apply(&["M04"], "32").await.location.unwrap());

    let jiangsu = app.browser();
    jiangsu.login("js-staff", PASSWORD).await;
    assert!(jiangsu
        .get("/staff/queue")
        .await
        .table_rows("#queue")
        .is_empty());
    let search = jiangsu.get("/staff/queue?q=%E5%8E%8B%E5%8A%9B").await;
    assert!(search.table_rows("#queue").is_empty());
    let detail = jiangsu
        .get(&format!("/production/applications/{samr_id}"))
        .await;
    assert_eq!(detail.status, 404);
    let accept = jiangsu
        .submit(
            "/staff/queue",
            &format!("/staff/applications/{samr_id}/accept"),
            &[],
        )
        .await;
    assert_eq!(accept.status, 404);
    let application = app.store.application(samr_id).unwrap().unwrap();
    assert_eq!(application.status.label(), "待受理");

    let samr = app.browser();
    samr.login("samr-staff", PASSWORD).await;
    let rows = samr.get("/staff/queue").await.table_rows("#queue");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "江苏某某压力容器制造有限公司");
}

#[tokio::test]
async fn staff_search_finds_substrings_within_their_authority() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let first = app.browser();
    first
        .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
        .await;
    first.apply(&["M12"], "32").await;
    let second = app.browser();
    second
        .register_enterprise("北京某某电梯有限公司", BEIJING_CODE)
        .await;
    // A Beijing unit with a production address in Jiangsu applies to the Jiangsu bureau.
    second.apply(&["M47"], "32").await;

    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let found = staff.htmx_get("/staff/queue?q=%E5%AE%B9%E5%99%A8").await;
    assert_eq!(found.headers.get("vary").unwrap(), "HX-Request");
    assert_eq!(found.count("h1"), 0, "htmx gets the fragment only");
    let rows = found.table_rows("#queue");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "江苏某某压力容器制造有限公司");

    let punctuation = staff.get("/staff/queue?q=%22*%28").await;
    assert!(punctuation.table_rows("#queue").is_empty());

    let by_code = staff.get(&format!("/staff/queue?q={BEIJING_CODE}")).await;
    let rows = by_code.table_rows("#queue");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][2], "北京某某电梯有限公司");
}

#[tokio::test]
async fn applicants_cannot_call_staff_actions() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(&enterprise.apply(&["M12"], "32").await.location.unwrap());

    let accept = enterprise
        .submit(
            "/production/applications",
            &format!("/staff/applications/{id}/accept"),
            &[],
        )
        .await;
    assert_eq!(accept.status, 403);
    assert_eq!(enterprise.get("/staff/queue").await.status, 403);
    let application = app.store.application(id).unwrap().unwrap();
    assert_eq!(application.status.label(), "待受理");
}

#[tokio::test]
async fn pages_need_login() {
    let app = TestApp::start();
    let anonymous = app.browser();
    for path in [
        "/hall",
        "/production/apply",
        "/production/applications",
        "/production/applications/1",
        "/staff/queue",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/login"), "{path}");
    }
}
