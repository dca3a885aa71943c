//! The whole first slice: an enterprise registers, applies with real catalogue items, and
//! staff of the authority accept the application.

use crate::support::{application_id, TestApp, JIANGSU_CODE, PASSWORD};

#[tokio::test]
async fn register_apply_accept() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let enterprise = app.browser();

    // Portal, registration and the service hall.
    let portal = enterprise.get("/").await;
    assert_eq!(
        portal.attributes(".hero a", "href"),
        ["/login", "/register"]
    );
    enterprise
        .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
        .await;
    let hall = enterprise.get("/hall").await;
    assert_eq!(hall.text(".tile h2"), "特种设备生产单位许可");
    assert_eq!(hall.text(".tile .actions a"), "在线办理");
    assert_eq!(hall.text(".tile .management a"), "生产企业许可申请管理");
    assert_eq!(hall.text(".tile .management .badge"), "直接办理");

    // 在线办理 → 生产单位许可填报 (直接办理) → 首次申请 (点击进入).
    let doors = enterprise.get("/production/apply").await;
    assert!(doors.text("h1").starts_with("生产单位许可填报"));
    assert_eq!(doors.text("h1 .badge"), "直接办理");
    assert_eq!(
        doors.attributes(".card a", "href"),
        ["/production/apply/first"]
    );
    assert_eq!(doors.text(".card a"), "点击进入");

    // The choice lists all 120 catalogue rows, with the province from the credit code.
    let choice = enterprise.get("/production/apply/first").await;
    assert_eq!(choice.count("input[name=sub_item]"), 120);
    assert_eq!(
        choice.attributes("select[name=province] option[selected]", "value"),
        ["32"]
    );

    // The derived authority as htmx shows it while the applicant ticks boxes.
    let samr = enterprise
        .htmx_get("/production/apply/first/authority?sub_item=M04&province=32")
        .await;
    assert_eq!(
        samr.text("#derived-authority strong"),
        "国家市场监督管理总局"
    );
    assert_eq!(samr.headers.get("vary").unwrap(), "HX-Request");
    let provincial = enterprise
        .htmx_get("/production/apply/first/authority?sub_item=M12&sub_item=M15&province=32")
        .await;
    assert_eq!(
        provincial.text("#derived-authority strong"),
        "江苏省市场监督管理局"
    );

    // A selection that needs two authorities is refused with the reason.
    let mixed = enterprise
        .get("/production/apply/first/form?sub_item=M04&sub_item=M12&province=32")
        .await;
    assert_eq!(mixed.status, 422);
    assert!(mixed
        .text(".error-summary")
        .contains("请分两份申请分别提交"));
    assert_eq!(
        mixed.attributes("input[name=sub_item][checked]", "value"),
        ["M04", "M12"]
    );

    // The form is prefilled from the account and shows the authority.
    let form = enterprise
        .get("/production/apply/first/form?sub_item=M12&sub_item=M15&province=32")
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.text("#authority-name"), "江苏省市场监督管理局");
    assert_eq!(
        form.input_value("unit_name").as_deref(),
        Some("江苏某某压力容器制造有限公司")
    );
    assert_eq!(
        form.input_value("credit_code").as_deref(),
        Some(JIANGSU_CODE)
    );
    assert_eq!(form.input_value("contact_name").as_deref(), Some("王联系"));

    // 提交.
    let submitted = enterprise.apply(&["M12", "M15"], "32").await;
    assert_eq!(submitted.status, 303);
    let id = application_id(submitted.location.as_deref().unwrap());
    let detail = enterprise
        .get(&format!("/production/applications/{id}"))
        .await;
    let number = detail.text("#application-number");
    assert!(number.starts_with("XK2026-32-") || number.starts_with("XK20"));
    assert_eq!(detail.text("#application-status"), "待受理");
    assert!(detail.text(".notice").contains(&number));

    // The management list.
    let list = enterprise.get("/production/applications").await;
    assert_eq!(
        list.table_headers("#applications"),
        [
            "申请编号",
            "申请类型",
            "申请子项目",
            "审批机关",
            "申请状态",
            "提交日期",
            "受理日期",
            "操作"
        ]
    );
    let rows = list.table_rows("#applications");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], number);
    assert_eq!(
        rows[0][2],
        "固定式压力容器/中、低压容器（D级）；气瓶/无缝气瓶（B1级）"
    );
    assert_eq!(rows[0][3], "江苏省市场监督管理局");
    assert_eq!(rows[0][4], "待受理");
    assert_eq!(rows[0][5].len(), 10);
    assert_eq!(rows[0][6], "");

    // Staff of the Jiangsu bureau see it in their queue and accept it.
    let staff = app.browser();
    let login = staff.login("js-staff", PASSWORD).await;
    assert_eq!(login.location.as_deref(), Some("/staff/queue"));
    let queue = staff.get("/staff/queue").await;
    assert_eq!(queue.text("#staff-authority"), "江苏省市场监督管理局");
    let queue_rows = queue.table_rows("#queue");
    assert_eq!(queue_rows.len(), 1);
    assert_eq!(queue_rows[0][0], number);
    assert_eq!(queue_rows[0][1], "江苏某某压力容器制造有限公司");

    let staff_view = staff.get(&format!("/production/applications/{id}")).await;
    assert_eq!(staff_view.texts(".decision button"), ["受理"]);
    let accept_path = format!("/staff/applications/{id}/accept");
    let accepted = staff
        .submit(&format!("/production/applications/{id}"), &accept_path, &[])
        .await;
    assert_eq!(accepted.status, 303);
    let decision_path = format!("/production/applications/{id}/acceptance-decision");
    assert_eq!(accepted.location.as_deref(), Some(decision_path.as_str()));

    // The 受理决定书, the same for both sides.
    for browser in [&staff, &enterprise] {
        let decision = browser.get(&decision_path).await;
        assert_eq!(decision.status, 200);
        assert_eq!(
            decision.text("#acceptance-decision h1"),
            "特种设备生产单位许可受理决定书"
        );
        assert!(decision.text(".document-number").starts_with("特许受字〔"));
        assert_eq!(
            decision.text("#decision-applicant"),
            "江苏某某压力容器制造有限公司"
        );
        assert_eq!(decision.text("#decision-application"), number);
        assert_eq!(decision.texts("#decision-sub-items li").len(), 2);
        assert_eq!(decision.text("#decision-authority"), "江苏省市场监督管理局");
        assert!(decision.text("#decision-date").ends_with("日"));
    }

    // Status and acceptance date on the applicant's list; the queue is empty again.
    let rows = enterprise
        .get("/production/applications")
        .await
        .table_rows("#applications");
    assert_eq!(rows[0][4], "已受理");
    assert_eq!(rows[0][6], rows[0][5]);
    assert!(rows[0][7].contains("受理决定书"));
    assert!(staff
        .get("/staff/queue")
        .await
        .table_rows("#queue")
        .is_empty());

    // The timeline has both events; accepting twice is refused with a message.
    let detail = enterprise
        .get(&format!("/production/applications/{id}"))
        .await;
    let timeline = detail.texts("#timeline li");
    assert_eq!(timeline.len(), 2);
    assert!(timeline[0].contains("提交"));
    assert!(timeline[0].contains("企业用户"));
    assert!(timeline[1].contains("受理"));
    assert!(timeline[1].contains("审批机关工作人员"));
    let again = staff
        .submit(&format!("/production/applications/{id}"), &accept_path, &[])
        .await;
    assert_eq!(again.status, 409);
    assert!(again.text(".error-message").contains("已受理"));
}

#[tokio::test]
async fn events_record_each_change_in_a_hash_chain() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(&enterprise.apply(&["M12"], "32").await.location.unwrap());
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    staff
        .submit(
            &format!("/production/applications/{id}"),
            &format!("/staff/applications/{id}/accept"),
            &[],
        )
        .await;

    let events = app.store.events_of(id).unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[0].from, None);
    assert_eq!(events[0].to.label(), "待受理");
    assert_eq!(events[1].from.map(|status| status.label()), Some("待受理"));
    assert_eq!(events[1].to.label(), "已受理");
    assert_eq!(events[1].prev_hash, events[0].hash);
    assert!(events[1]
        .document
        .as_deref()
        .unwrap()
        .starts_with("特许受字〔"));
    assert_eq!(app.store.verify_event_chain().unwrap(), Ok(2));

    let mut forged = events[0].clone();
    forged.actor_account += 1;
    app.store.tamper_with_event(&forged).unwrap();
    let broken = app.store.verify_event_chain().unwrap().unwrap_err();
    assert_eq!(broken.seq, 1);
}

#[tokio::test]
async fn samr_items_in_any_province_go_to_samr() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(
        &enterprise
            .apply(&["M04", "M05"], "32")
            .await
            .location
            .unwrap(),
    );
    let application = app.store.application(id).unwrap().unwrap();
    assert_eq!(application.authority, 10);
    assert!(application.number.contains("-10-"));
}

#[tokio::test]
async fn form_errors_keep_values_and_selection() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let page = enterprise
        .submit(
            "/production/apply/first/form?sub_item=M12&province=32",
            "/production/apply/first/form",
            &[
                ("sub_item", "M12"),
                ("province", "32"),
                ("unit_name", "江苏某某公司"),
                ("domicile", ""),
                ("legal_representative", "李法人"),
                ("address_detail", "南京市江宁区将军大道100号"),
                ("contact_name", "王联系"),
                ("mobile", "12345"),
                ("email", "not-an-address"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.field_error("domicile"), "请填写住所");
    assert!(page.field_error("mobile").contains("11位"));
    assert!(page.field_error("email").contains("格式不正确"));
    assert_eq!(
        page.input_value("legal_representative").as_deref(),
        Some("李法人")
    );
    assert_eq!(page.attributes("input[name=sub_item]", "value"), ["M12"]);
    assert!(app.store.applications_of_applicant(1).unwrap().is_empty());
}
