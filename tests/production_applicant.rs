//! The applicant's side of a production unit licence: drafts, pages, attachments, the
//! 已取证 door with its time rules, the management list and withdrawal.

use chrono::{Duration, Months, Utc};

use crate::support::{
    application_id, config, TestApp, BEIJING_CODE, JIANGSU_CODE, PASSWORD, PDF, VALID_UNIT,
    ZHEJIANG_CODE,
};
use xuke::domain::time::china_date;

#[tokio::test]
async fn draft_survives_logout_and_restart() {
    let app = TestApp::start();
    let id = {
        let enterprise = app.browser();
        enterprise
            .register_enterprise("江苏某某公司", JIANGSU_CODE)
            .await;
        let id = enterprise.start_first().await;
        enterprise.save_page(id, "unit", "next", VALID_UNIT).await;
        enterprise
            .save_page(
                id,
                "addresses",
                "next",
                &[
                    ("address_1_province", "32"),
                    ("address_1_city", "南京市"),
                    ("address_1_district", "江宁区"),
                    ("address_1_street", "将军大道100号"),
                ],
            )
            .await;
        // Page 3 is saved but not left: 保存 keeps the draft on the server.
        let saved = enterprise
            .save_page(
                id,
                "items",
                "save",
                &[("sub_item", "M12"), ("address_for_M12", "1")],
            )
            .await;
        assert_eq!(saved.status, 303);
        enterprise.logout().await;
        id
    };
    let app = app.restart();

    let enterprise = app.browser();
    enterprise.login(JIANGSU_CODE, PASSWORD).await;
    let list = enterprise.get("/production/applications").await;
    let rows = list.table_rows("#applications");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][4], "草稿");
    assert!(rows[0][8].contains("继续填写"));
    assert!(rows[0][8].contains("删除"));
    let resume = list.attributes("#applications a.icon-action", "href");
    assert_eq!(resume, [format!("/production/drafts/{id}/items")]);

    let items = enterprise.get(&resume[0]).await;
    assert_eq!(
        items.attributes("input[name=sub_item][checked]", "value"),
        ["M12"]
    );
    assert_eq!(
        items.attributes("select[name=address_for_M12] option[selected]", "value"),
        ["1"]
    );
    let unit = enterprise
        .get(&format!("/production/drafts/{id}/unit"))
        .await;
    assert_eq!(unit.input_value("postcode").as_deref(), Some("210000"));
}

#[tokio::test]
async fn leaving_an_invalid_page_shows_messages() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    let page = enterprise
        .save_page(
            id,
            "unit",
            "next",
            &[
                ("unit_name", "江苏某某公司"),
                ("domicile", ""),
                ("postcode", "2100"),
                ("mobile", "12345"),
                ("email", "not-an-address"),
                ("fixed_assets", "很多"),
                ("staff_total", "10"),
                ("technical_staff", "30"),
            ],
        )
        .await;
    assert_eq!(page.status, 422);
    assert_eq!(page.field_error("domicile"), "请填写住所");
    assert!(page.field_error("postcode").contains("6位数字"));
    assert!(page.field_error("mobile").contains("11位"));
    assert!(page.field_error("email").contains("电子邮箱"));
    assert!(page.field_error("fixed_assets").contains("万元"));
    assert!(page
        .field_error("technical_staff")
        .contains("不能多于职工总数"));
    assert!(page.count(".error-summary li") >= 6);
    assert_eq!(page.input_value("postcode").as_deref(), Some("2100"));
    assert_eq!(page.input_value("fixed_assets").as_deref(), Some("很多"));

    // The invalid values were saved all the same.
    let again = enterprise
        .get(&format!("/production/drafts/{id}/unit"))
        .await;
    assert_eq!(again.input_value("postcode").as_deref(), Some("2100"));

    // The page picker checks the page before jumping, like 下一页.
    let jump = enterprise
        .save_page(
            id,
            "unit",
            "goto",
            &[("goto", "technical"), ("unit_name", "江苏某某公司")],
        )
        .await;
    assert_eq!(jump.status, 422);
    let fixed = enterprise
        .save_page(id, "unit", "goto", &[("goto", "technical")])
        .await;
    assert_eq!(fixed.status, 422);
}

#[tokio::test]
async fn page_picker_jumps_after_a_valid_page() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    let mut fields = VALID_UNIT.to_vec();
    fields.push(("goto", "technical"));
    let jump = enterprise.save_page(id, "unit", "goto", &fields).await;
    assert_eq!(jump.status, 303);
    assert_eq!(
        jump.location.as_deref(),
        Some(format!("/production/drafts/{id}/technical").as_str())
    );
}

#[tokio::test]
async fn review_page_shows_every_answer() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise
        .fill_draft(id, &["32", "32"], &[("M12", "1"), ("M15", "2")])
        .await;

    let review = enterprise
        .get(&format!("/production/drafts/{id}/review"))
        .await;
    assert_eq!(
        review.count(".error-summary"),
        0,
        "{}",
        review.text(".error-summary")
    );
    let answers = review.texts(".answers dd");
    for (name, value) in VALID_UNIT.iter().skip(1) {
        assert!(
            answers.iter().any(|answer| answer == value),
            "{name} = {value} missing"
        );
    }
    for expected in [
        "1. 江苏省某市某区工业路1号",
        "2. 江苏省某市某区工业路2号",
        "生产地址1",
        "生产地址2",
        "赵质保 质量保证工程师 高级工程师",
        "钱设计 工程师",
        "12",
    ] {
        assert!(
            answers.iter().any(|answer| answer == expected),
            "{expected} missing"
        );
    }
    assert_eq!(
        review.attributes(".answers-heading a", "href").len(),
        6,
        "one 修改 link per section"
    );
    assert!(review
        .attributes(".answers-heading a", "href")
        .contains(&format!("/production/drafts/{id}/quality")));
    assert!(answers
        .iter()
        .any(|answer| answer.starts_with("business_licence.pdf（PDF")));
}

#[tokio::test]
async fn submit_needs_declaration_and_complete_pages() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    let incomplete = enterprise.submit_draft(id).await;
    assert_eq!(incomplete.status, 422);
    assert!(incomplete
        .text(".error-summary")
        .contains("申请单位基本情况"));

    enterprise.fill_draft(id, &["32"], &[("M12", "1")]).await;
    let review = format!("/production/drafts/{id}/review");
    let undeclared = enterprise
        .submit(&review, &format!("/production/drafts/{id}/submit"), &[])
        .await;
    assert_eq!(undeclared.status, 422);
    assert!(undeclared.field_error("declaration").contains("声明"));
    assert_eq!(enterprise.submit_draft(id).await.status, 303);
}

#[tokio::test]
async fn provincial_items_in_two_provinces_are_refused() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise
        .fill_draft(id, &["32", "33"], &[("M12", "1")])
        .await;
    let two_provinces = enterprise
        .save_page(
            id,
            "items",
            "next",
            &[
                ("sub_item", "M12"),
                ("address_for_M12", "1"),
                ("sub_item", "M15"),
                ("address_for_M15", "2"),
            ],
        )
        .await;
    assert_eq!(two_provinces.status, 422);
    assert!(two_provinces
        .field_error("sub_item")
        .contains("请按省份分别提交申请"));

    // SAMR sub-items at addresses in two provinces go to SAMR in one application.
    let samr = enterprise
        .save_page(
            id,
            "items",
            "next",
            &[
                ("sub_item", "M04"),
                ("address_for_M04", "1"),
                ("sub_item", "M05"),
                ("address_for_M05", "2"),
            ],
        )
        .await;
    assert_eq!(samr.status, 303);
    let review = enterprise
        .get(&format!("/production/drafts/{id}/review"))
        .await;
    assert_eq!(review.text("#draft-authority"), "国家市场监督管理总局");
}

#[tokio::test]
async fn attachment_type_is_decided_by_bytes() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;

    let renamed_pdf = enterprise
        .upload(id, "business_licence", "scan.png", PDF)
        .await;
    assert_eq!(renamed_pdf.status, 303);
    let listed = app.store.attachments_of(id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].file_type.label(), "PDF");
    assert_eq!(listed[0].file_name, "scan.png.pdf");

    let executable = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff";
    let refused = enterprise
        .upload(id, "item_table", "table.pdf", executable)
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .field_error("attachment_item_table")
        .contains("不是PDF、JPEG或PNG文件"));
    assert_eq!(app.store.attachments_of(id).unwrap().len(), 1);

    let page = enterprise
        .get(&format!("/production/drafts/{id}/attachments"))
        .await;
    let rows = page.table_rows("#attachment_business_licence table.files");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "scan.png.pdf");
    assert_eq!(rows[0][1], "PDF");
    assert_eq!(rows[0][2], "1 KB");

    // Removable while in draft.
    let remove_path = format!(
        "/production/drafts/{id}/attachments/{}/delete",
        listed[0].id
    );
    let removed = enterprise
        .submit(
            &format!("/production/drafts/{id}/attachments"),
            &remove_path,
            &[],
        )
        .await;
    assert_eq!(removed.status, 303);
    assert!(app.store.attachments_of(id).unwrap().is_empty());
}

#[tokio::test]
async fn oversized_upload_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let settings = xuke::config::Config {
        max_attachment_mib: 1,
        ..config(dir.path())
    };
    let app = TestApp::start_with(dir, settings);
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;

    let mut big = PDF.to_vec();
    big.resize(2 * 1024 * 1024, b' ');
    let refused = enterprise
        .upload(id, "business_licence", "big.pdf", &big)
        .await;
    assert_eq!(refused.status, 413);
    assert!(refused.text(".error-message").contains("1024KB"));
    assert!(app.store.attachments_of(id).unwrap().is_empty());

    // The declared length alone decides: a 50 MiB claim is refused with a tiny body.
    let token = enterprise
        .get(&format!("/production/drafts/{id}/attachments"))
        .await
        .csrf_token();
    let claimed = enterprise
        .post_declared(
            &format!("/production/drafts/{id}/upload?kind=business_licence&csrf_token={token}"),
            "multipart/form-data; boundary=x",
            50 * 1024 * 1024,
            b"--x--".to_vec(),
        )
        .await;
    assert_eq!(claimed.status, 413);

    let fits = enterprise
        .upload(id, "business_licence", "fits.pdf", &big[..900 * 1024])
        .await;
    assert_eq!(fits.status, 303);
}

#[tokio::test]
async fn next_draft_is_prefilled_from_the_last() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    enterprise.apply(&["M12"], "32").await;
    let id = enterprise.start_first().await;
    let unit = enterprise
        .get(&format!("/production/drafts/{id}/unit"))
        .await;
    assert_eq!(
        unit.input_value("domicile").as_deref(),
        Some("南京市建邺区江东中路1号")
    );
    assert_eq!(
        unit.input_value("legal_representative").as_deref(),
        Some("李法人")
    );
    let addresses = enterprise
        .get(&format!("/production/drafts/{id}/addresses"))
        .await;
    assert_eq!(
        addresses.input_value("address_1_street").as_deref(),
        Some("工业路1号")
    );
    let items = enterprise
        .get(&format!("/production/drafts/{id}/items"))
        .await;
    assert_eq!(items.count("input[name=sub_item][checked]"), 0);
}

#[tokio::test]
async fn items_page_names_the_authority_as_you_tick() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise.fill_draft(id, &["32"], &[("M12", "1")]).await;
    let samr = enterprise
        .htmx_get(&format!(
            "/production/drafts/{id}/authority?sub_item=M04&address_for_M04=1"
        ))
        .await;
    assert_eq!(samr.status, 200, "{}", samr.body);
    assert_eq!(samr.text("#draft-authority"), "国家市场监督管理总局");
    assert_eq!(samr.headers.get("vary").unwrap(), "HX-Request");
    let mixed = enterprise
        .htmx_get(&format!(
            "/production/drafts/{id}/authority?sub_item=M04&address_for_M04=1&sub_item=M12&address_for_M12=1"
        ))
        .await;
    assert!(mixed
        .text("#draft-authority")
        .contains("请分两份申请分别提交"));
}

#[tokio::test]
async fn attachments_are_private_to_the_parties() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    app.create_staff("zj-staff", 33);
    let owner = app.browser();
    owner
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = application_id(&owner.apply(&["M12"], "32").await.location.unwrap());
    let attachment = app.store.attachments_of(id).unwrap()[0].id;
    let path = format!("/production/attachments/{attachment}");

    let download = owner.get(&path).await;
    assert_eq!(download.status, 200);
    assert_eq!(
        download.headers.get("content-type").unwrap(),
        "application/pdf"
    );
    assert!(download.body.starts_with("%PDF-"));

    let stranger = app.browser();
    stranger
        .register_enterprise("浙江某某公司", ZHEJIANG_CODE)
        .await;
    assert_eq!(stranger.get(&path).await.status, 404);

    let handling = app.browser();
    handling.login("js-staff", PASSWORD).await;
    assert_eq!(handling.get(&path).await.status, 200);
    let other_province = app.browser();
    other_province.login("zj-staff", PASSWORD).await;
    assert_eq!(other_province.get(&path).await.status, 404);
}

#[tokio::test]
async fn withdraw_before_acceptance_only() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let agency = app.create_agency("江苏省特种设备安全监督检验研究院");
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let first = application_id(&enterprise.apply(&["M12"], "32").await.location.unwrap());
    let second = application_id(&enterprise.apply(&["M15"], "32").await.location.unwrap());

    let withdrawn = enterprise
        .submit(
            "/production/applications",
            &format!("/production/applications/{first}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert_eq!(
        app.store
            .application(first)
            .unwrap()
            .unwrap()
            .status
            .label(),
        "已撤回"
    );

    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let queue = staff.get("/staff/queue").await.table_rows("#queue");
    assert_eq!(queue.len(), 1, "a withdrawn application leaves the queue");
    staff.accept(second, agency).await;
    let refused = enterprise
        .submit(
            "/production/applications",
            &format!("/production/applications/{second}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.text(".error-message").contains("已受理"));
    assert_eq!(
        app.store
            .application(second)
            .unwrap()
            .unwrap()
            .status
            .label(),
        "已受理"
    );
}

#[tokio::test]
async fn deleted_draft_disappears() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise
        .upload(id, "business_licence", "scan.pdf", PDF)
        .await;
    let deleted = enterprise
        .submit(
            "/production/applications",
            &format!("/production/drafts/{id}/delete"),
            &[],
        )
        .await;
    assert_eq!(deleted.status, 303);
    assert!(enterprise
        .get("/production/applications")
        .await
        .table_rows("#applications")
        .is_empty());
    assert_eq!(
        enterprise
            .get(&format!("/production/drafts/{id}/unit"))
            .await
            .status,
        404
    );
    assert!(app.store.attachments_of(id).unwrap().is_empty());
}

#[tokio::test]
async fn list_search_filters_by_substring() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    enterprise.apply(&["M12"], "32").await;
    enterprise.apply(&["M47"], "32").await;

    let all = enterprise.get("/production/applications").await;
    assert_eq!(all.table_rows("#applications").len(), 2);
    assert_eq!(all.attributes("#q", "placeholder"), ["请输入名称"]);

    // "电梯" occurs only in the elevator sub-item.
    let filtered = enterprise
        .htmx_get("/production/applications?q=%E7%94%B5%E6%A2%AF")
        .await;
    assert_eq!(filtered.count("h1"), 0, "htmx gets the fragment only");
    let rows = filtered.table_rows("#applications");
    assert_eq!(rows.len(), 1);
    assert!(rows[0][2].contains("曳引驱动"));
}

#[tokio::test]
async fn print_view_has_fields_and_no_navigation() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise.save_page(id, "unit", "save", VALID_UNIT).await;

    let print = enterprise
        .get(&format!("/production/drafts/{id}/unit?print=1"))
        .await;
    assert_eq!(print.status, 200);
    assert_eq!(print.text("#print-page h2"), "1. 申请单位基本情况");
    let labels = print.texts("#print-page dt");
    assert!(labels.contains(&"法定代表人".to_string()));
    assert!(labels.contains(&"邮政编码".to_string()));
    assert!(print
        .texts("#print-page dd")
        .contains(&"210000".to_string()));
    assert_eq!(print.count("nav"), 0);
    assert_eq!(print.count("form"), 0);
    assert_eq!(print.count("header"), 0);
    assert_eq!(print.count("button"), 0);
    assert!(!labels.iter().any(|label| label.contains("生产地址")));
}

/// Today in China shifted by `months` (negative for the past) and `days`.
fn date_from_today(months: i32, days: i64) -> String {
    let today = china_date(Utc::now());
    let shifted = if months >= 0 {
        today + Months::new(months as u32)
    } else {
        today - Months::new((-months) as u32)
    };
    (shifted + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Posts the 已取证 form with an entered licence expiring on `expires_on`.
async fn start_licensed(
    browser: &crate::support::Browser<'_>,
    expires_on: &str,
    extra: &[(&str, &str)],
) -> crate::support::Page {
    let mut fields = vec![
        ("licence", "new"),
        ("licence_number", "TS2732001-2023"),
        ("licence_expires_on", expires_on),
        ("licence_sub_items", "M12 M15"),
    ];
    fields.extend_from_slice(extra);
    browser
        .submit(
            "/production/apply/licensed",
            "/production/apply/licensed",
            &fields,
        )
        .await
}

#[tokio::test]
async fn renewal_window_cases() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;

    let inside = start_licensed(&enterprise, &date_from_today(9, 0), &[("kind", "renewal")]).await;
    assert_eq!(inside.status, 303, "{}", inside.text(".error-summary"));

    let early = start_licensed(&enterprise, &date_from_today(13, 0), &[("kind", "renewal")]).await;
    assert_eq!(early.status, 422);
    assert!(early.field_error("kind").contains("最早可于"));

    let late = start_licensed(&enterprise, &date_from_today(3, 0), &[("kind", "renewal")]).await;
    assert_eq!(late.status, 422);
    assert!(late.field_error("late_reason").contains("说明"));
    let late_with_reason = start_licensed(
        &enterprise,
        &date_from_today(3, 0),
        &[
            ("kind", "renewal"),
            ("late_reason", "原质量保证工程师离职，换证材料准备延误"),
        ],
    )
    .await;
    assert_eq!(late_with_reason.status, 303);

    let expired =
        start_licensed(&enterprise, &date_from_today(0, -1), &[("kind", "renewal")]).await;
    assert_eq!(expired.status, 422);
    assert!(expired.field_error("licence").contains("届满失效"));
    assert!(expired.field_error("licence").contains("首次申请"));

    // The renewal draft starts with the licence's sub-items.
    let id = crate::support::draft_id(inside.location.as_deref().unwrap());
    let items = enterprise
        .get(&format!("/production/drafts/{id}/items"))
        .await;
    assert_eq!(
        items.attributes("input[name=sub_item][checked]", "value"),
        ["M12", "M15"]
    );
}

#[tokio::test]
async fn self_declaration_twice_in_a_row_is_refused() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let refused = start_licensed(
        &enterprise,
        &date_from_today(9, 0),
        &[
            ("kind", "renewal"),
            ("self_declaration", "1"),
            ("licence_self_declared", "1"),
        ],
    )
    .await;
    assert_eq!(refused.status, 422);
    assert!(refused
        .field_error("self_declaration")
        .contains("不能再采用"));
    let allowed = start_licensed(
        &enterprise,
        &date_from_today(9, 0),
        &[("kind", "renewal"), ("self_declaration", "1")],
    )
    .await;
    assert_eq!(allowed.status, 303);
}

#[tokio::test]
async fn licence_number_and_change_window_are_checked() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let bad_number = enterprise
        .submit(
            "/production/apply/licensed",
            "/production/apply/licensed",
            &[
                ("licence", "new"),
                ("licence_number", "TS273200-2023"),
                ("licence_expires_on", &date_from_today(20, 0)),
                ("licence_sub_items", "M12"),
                ("kind", "add_items"),
            ],
        )
        .await;
    assert_eq!(bad_number.status, 422);
    assert!(bad_number
        .field_error("licence_number")
        .contains("TS加7位数字"));
    assert_eq!(
        bad_number.input_value("licence_number").as_deref(),
        Some("TS273200-2023")
    );

    let expiry = date_from_today(20, 0);
    let change = |changed_on: String| {
        let expiry = expiry.clone();
        let enterprise = &enterprise;
        async move {
            start_licensed(
                enterprise,
                &expiry,
                &[
                    ("kind", "change"),
                    ("change", "unit_name"),
                    ("changed_on", &changed_on),
                    (
                        "change_description",
                        "单位名称由某某公司变更为某某集团有限公司",
                    ),
                ],
            )
            .await
        }
    };
    let too_late = change(date_from_today(-3, 0)).await;
    assert_eq!(too_late.status, 422);
    assert!(too_late.field_error("changed_on").contains("30个工作日"));
    let in_time = change(date_from_today(0, -7)).await;
    assert_eq!(in_time.status, 303, "{}", in_time.text(".error-summary"));
}

#[tokio::test]
async fn every_licensed_kind_reaches_submitted() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("北京某某公司", BEIJING_CODE)
        .await;
    let expiry = date_from_today(9, 0);
    let cases: [(&str, Vec<(&str, &str)>); 4] = [
        ("增项", vec![("kind", "add_items")]),
        ("换证", vec![("kind", "renewal")]),
        (
            "变更",
            vec![
                ("kind", "change"),
                ("change", "address_renamed"),
                ("changed_on", "TODAY"),
                ("change_description", "生产地址门牌号更名"),
            ],
        ),
        (
            "补发",
            vec![
                ("kind", "reissue"),
                ("reissue_reason", "证书遗失，已登报声明作废"),
            ],
        ),
    ];
    let today = date_from_today(0, 0);
    for (label, fields) in cases {
        let fields: Vec<(&str, &str)> = fields
            .into_iter()
            .map(|(name, value)| {
                (
                    name,
                    if value == "TODAY" {
                        today.as_str()
                    } else {
                        value
                    },
                )
            })
            .collect();
        let started = start_licensed(&enterprise, &expiry, &fields).await;
        assert_eq!(
            started.status,
            303,
            "{label}: {}",
            started.text(".error-summary")
        );
        let id = crate::support::draft_id(started.location.as_deref().unwrap());
        enterprise.fill_draft(id, &["32"], &[("M12", "1")]).await;
        if matches!(label, "增项" | "换证") {
            let page = enterprise
                .upload(
                    id,
                    "original_licence",
                    "licence.jpg",
                    b"\xff\xd8\xff\xe0JFIF",
                )
                .await;
            assert_eq!(page.status, 303, "{label}");
        }
        let submitted = enterprise.submit_draft(id).await;
        assert_eq!(
            submitted.status,
            303,
            "{label}: {}",
            submitted.text(".error-summary")
        );
        let application = app.store.application(id).unwrap().unwrap();
        assert_eq!(application.status.label(), "待受理", "{label}");
        assert_eq!(application.kind.label(), label);
        assert_eq!(application.licence.unwrap().number, "TS2732001-2023");
        // Withdraw it, since the same sub-item cannot be applied for twice at once.
        enterprise
            .submit(
                "/production/applications",
                &format!("/production/applications/{id}/withdraw"),
                &[],
            )
            .await;
    }
    // The entered licence is kept once and offered again.
    let licensed = enterprise.get("/production/apply/licensed").await;
    assert_eq!(licensed.count("input[name=licence][type=radio]"), 2);
}

#[tokio::test]
async fn same_sub_item_cannot_be_pending_twice() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let first = enterprise.apply(&["M12"], "32").await;
    assert_eq!(first.status, 303);
    let second = enterprise.apply(&["M12", "M15"], "32").await;
    assert_eq!(second.status, 422);
    assert!(second.text(".error-summary").contains("不能重复申请"));
}

#[tokio::test]
async fn entered_licence_number_of_another_unit_is_refused() {
    let app = TestApp::start();
    let owner = app.browser();
    owner
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let other = app.browser();
    other
        .register_enterprise("北京某某公司", BEIJING_CODE)
        .await;
    start_licensed(&owner, &date_from_today(20, 0), &[("kind", "add_items")]).await;
    let taken = start_licensed(&other, &date_from_today(20, 0), &[("kind", "add_items")]).await;
    assert_eq!(taken.status, 422);
    assert!(taken.field_error("licence_number").contains("其他单位"));
}

#[tokio::test]
async fn repeated_sub_item_is_kept_once() {
    let app = TestApp::start();
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let id = enterprise.start_first().await;
    enterprise.fill_draft(id, &["32"], &[("M12", "1")]).await;
    enterprise
        .save_page(
            id,
            "items",
            "next",
            &[
                ("sub_item", "M12"),
                ("sub_item", "M12"),
                ("sub_item", "M15"),
                ("address_for_M12", "1"),
                ("address_for_M15", "1"),
            ],
        )
        .await;
    let items = app.store.application(id).unwrap().unwrap().form.items;
    let ids: Vec<&str> = items
        .iter()
        .map(|choice| choice.sub_item.as_str())
        .collect();
    assert_eq!(ids, ["M12", "M15"]);
}
