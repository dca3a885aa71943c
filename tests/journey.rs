//! The whole first slice: an enterprise registers, fills in the 许可申请书 with real
//! catalogue items, submits, and staff of the authority accept the application.

use crate::support::{application_id, TestApp, JIANGSU_CODE, PASSWORD};

#[tokio::test]
async fn register_apply_accept() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let agency = app.create_agency("江苏省特种设备安全监督检验研究院");
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

    // 在线办理 → 生产单位许可填报 (直接办理) → 首次申请 (点击进入) and 已取证.
    let doors = enterprise.get("/production/apply").await;
    assert!(doors.text("h1").starts_with("生产单位许可填报"));
    assert_eq!(doors.text("h1 .badge"), "直接办理");
    assert_eq!(doors.texts(".card h2"), ["首次申请", "已取证"]);
    assert_eq!(
        doors.texts(".card button, .card a.button"),
        ["点击进入", "点击进入"]
    );

    // The draft opens on page 1, prefilled from the account.
    let id = enterprise.start_first().await;
    let unit = enterprise
        .get(&format!("/production/drafts/{id}/unit"))
        .await;
    assert_eq!(
        unit.input_value("unit_name").as_deref(),
        Some("江苏某某压力容器制造有限公司")
    );
    assert_eq!(
        unit.input_value("credit_code").as_deref(),
        Some(JIANGSU_CODE)
    );
    assert_eq!(unit.input_value("mobile").as_deref(), Some("13812345678"));
    assert_eq!(unit.count(".page-picker li"), 7);

    // The items page lists all 120 catalogue rows; a mixed selection is refused.
    let items = enterprise
        .get(&format!("/production/drafts/{id}/items"))
        .await;
    assert_eq!(items.count("input[name=sub_item]"), 120);
    enterprise
        .fill_draft(id, &["32"], &[("M12", "1"), ("M15", "1")])
        .await;
    let mixed = enterprise
        .save_page(
            id,
            "items",
            "next",
            &[
                ("sub_item", "M04"),
                ("address_for_M04", "1"),
                ("sub_item", "M12"),
                ("address_for_M12", "1"),
            ],
        )
        .await;
    assert_eq!(mixed.status, 422);
    assert!(mixed
        .text(".error-summary")
        .contains("请分两份申请分别提交"));
    assert_eq!(
        mixed.attributes("input[name=sub_item][checked]", "value"),
        ["M04", "M12"]
    );
    let fixed = enterprise
        .save_page(
            id,
            "items",
            "next",
            &[
                ("sub_item", "M12"),
                ("address_for_M12", "1"),
                ("sub_item", "M15"),
                ("address_for_M15", "1"),
            ],
        )
        .await;
    assert_eq!(fixed.status, 303);
    let review = enterprise
        .get(&format!("/production/drafts/{id}/review"))
        .await;
    assert_eq!(review.text("#draft-authority"), "江苏省市场监督管理局");

    // 提交.
    let submitted = enterprise.submit_draft(id).await;
    assert_eq!(
        submitted.status,
        303,
        "{}",
        submitted.text(".error-summary")
    );
    assert_eq!(application_id(submitted.location.as_deref().unwrap()), id);
    let detail = enterprise
        .get(&format!("/production/applications/{id}"))
        .await;
    let number = detail.text("#application-number");
    assert!(number.starts_with("XK20"));
    assert!(number.contains("-32-"));
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
            "办理时限",
            "操作"
        ]
    );
    let rows = list.table_rows("#applications");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], number);
    assert_eq!(rows[0][1], "首次申请");
    assert_eq!(
        rows[0][2],
        "固定式压力容器/中、低压容器（D级）；气瓶/无缝气瓶（B1级）"
    );
    assert_eq!(rows[0][3], "江苏省市场监督管理局");
    assert_eq!(rows[0][4], "待受理");
    assert_eq!(rows[0][5].len(), 10);
    assert_eq!(rows[0][6], "");
    assert!(rows[0][7].ends_with("（审批机关受理）"));

    // Staff of the Jiangsu bureau see it in their queue and accept it.
    let staff = app.browser();
    let login = staff.login("js-staff", PASSWORD).await;
    assert_eq!(login.location.as_deref(), Some("/staff/queue"));
    let queue = staff.get("/staff/queue").await;
    assert_eq!(queue.text("#staff-authority"), "江苏省市场监督管理局");
    let queue_rows = queue.table_rows("#queue");
    assert_eq!(queue_rows.len(), 1);
    assert_eq!(queue_rows[0][0], number);
    assert_eq!(queue_rows[0][2], "江苏某某压力容器制造有限公司");

    let staff_view = staff.get(&format!("/production/applications/{id}")).await;
    assert_eq!(
        staff_view.texts(".decision button"),
        ["受理", "出具补正告知书", "出具不予受理决定书"]
    );
    let without_agency = staff
        .act(id, &format!("/staff/applications/{id}/accept"), &[])
        .await;
    assert_eq!(without_agency.status, 422);
    assert!(without_agency
        .field_error("agency")
        .contains("鉴定评审机构"));
    let accepted = staff.accept(id, agency).await;
    assert_eq!(accepted.status, 303);
    let decision_path = format!("/production/applications/{id}/acceptance-decision");

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
        assert!(decision
            .text("#decision-agency")
            .contains("江苏省特种设备安全监督检验研究院"));
        assert!(decision.text("#decision-agency").contains("025-87654321"));
    }

    // Status and acceptance date on the applicant's list; the queue is empty again.
    let rows = enterprise
        .get("/production/applications")
        .await
        .table_rows("#applications");
    assert_eq!(rows[0][4], "已受理");
    assert_eq!(rows[0][6], rows[0][5]);
    assert!(rows[0][8].contains("受理决定书"));
    assert!(!rows[0][8].contains("撤回"));
    assert!(staff
        .get("/staff/queue")
        .await
        .table_rows("#queue")
        .is_empty());

    // The timeline has every event; accepting twice is refused with a message.
    let progress = enterprise
        .get(&format!("/production/applications/{id}/progress"))
        .await;
    let timeline = progress.table_rows("#timeline");
    assert_eq!(timeline.len(), 3);
    assert_eq!(timeline[0][1], "新建草稿");
    assert_eq!(timeline[1][1], "提交");
    assert_eq!(timeline[1][2], "企业用户");
    assert_eq!(timeline[2][1], "受理");
    assert_eq!(timeline[2][2], "审批机关工作人员");
    let again = staff.accept(id, agency).await;
    assert_eq!(again.status, 409);
    assert!(again.text(".error-message").contains("已受理"));
}

#[tokio::test]
async fn events_record_each_change_in_a_hash_chain() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let agency = app.create_agency("江苏省特种设备安全监督检验研究院");
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(&enterprise.apply(&["M12"], "32").await.location.unwrap());
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    staff.accept(id, agency).await;

    let events = app.store.events_of(id).unwrap();
    assert_eq!(events.len(), 3);
    assert_eq!(events[0].from, None);
    assert_eq!(events[0].to.label(), "草稿");
    assert_eq!(events[1].from.map(|status| status.label()), Some("草稿"));
    assert_eq!(events[1].to.label(), "待受理");
    assert_eq!(events[2].to.label(), "已受理");
    assert_eq!(events[2].prev_hash, events[1].hash);
    assert!(events[2]
        .document
        .as_deref()
        .unwrap()
        .starts_with("特许受字〔"));
    assert_eq!(app.store.verify_event_chain().unwrap(), Ok(3));

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
    assert_eq!(application.authority, Some(10));
    assert!(application.number.unwrap().contains("-10-"));
}
