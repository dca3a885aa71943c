//! The procedure after filing: corrections, acceptance, the review agency's work, feedback,
//! the licence and its public verification; the refusal paths; access between parties.

use chrono::{Duration, Utc};

use crate::support::{application_id, Browser, TestApp, JIANGSU_CODE, PASSWORD, PDF};
use xuke::domain::time::china_date;

fn in_days(days: i64) -> String {
    (china_date(Utc::now()) + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

struct Parties<'a> {
    enterprise: Browser<'a>,
    staff: Browser<'a>,
    agency: Browser<'a>,
    other_agency: Browser<'a>,
    agency_id: u64,
}

async fn parties(app: &TestApp) -> Parties<'_> {
    app.create_staff("js-staff", 32);
    let agency_id = app.create_agency("江苏省特种设备安全监督检验研究院");
    let other_id = app.create_agency("浙江省特种设备科学研究院");
    app.create_agency_staff("js-review", agency_id);
    app.create_agency_staff("zj-review", other_id);
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
        .await;
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let agency = app.browser();
    agency.login("js-review", PASSWORD).await;
    let other_agency = app.browser();
    other_agency.login("zj-review", PASSWORD).await;
    Parties {
        enterprise,
        staff,
        agency,
        other_agency,
        agency_id,
    }
}

fn status(app: &TestApp, id: u64) -> &'static str {
    app.store.application(id).unwrap().unwrap().status.label()
}

#[tokio::test]
async fn whole_life_to_verified_licence() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    let first_filed = app
        .store
        .application(id)
        .unwrap()
        .unwrap()
        .procedure
        .filed_at;

    // 补正: every defect at once, one tied to a page.
    let corrected = p
        .staff
        .act(
            id,
            &format!("/staff/applications/{id}/correct"),
            &[
                ("defect_0_page", "unit"),
                ("defect_0", "法定代表人与营业执照不一致"),
                ("defect_1", "申请许可项目表未盖章"),
            ],
        )
        .await;
    assert_eq!(corrected.status, 303);
    assert_eq!(status(&app, id), "待补正");

    // The applicant is shown the notice, the 补齐补正 icon, the marked page and a message.
    let list = p.enterprise.get("/production/applications").await;
    // One message for the filing, one for the correction notice.
    assert_eq!(list.text("#messages-link .unread-count"), "2");
    assert!(list.table_rows("#applications")[0][8].contains("补齐补正"));
    let notice = p
        .enterprise
        .get(&format!(
            "/production/applications/{id}/correction-notice/1"
        ))
        .await;
    assert_eq!(
        notice.texts("#defects li"),
        [
            "【申请单位基本情况】法定代表人与营业执照不一致",
            "申请许可项目表未盖章"
        ]
    );
    let page = p
        .enterprise
        .get(&format!("/production/drafts/{id}/unit"))
        .await;
    assert_eq!(
        page.texts("#correction-banner li"),
        ["法定代表人与营业执照不一致"]
    );
    assert_eq!(page.count(".page-picker .correction-mark"), 1);

    // Fix and resubmit; the acceptance clock starts again.
    let mut fields = crate::support::VALID_UNIT.to_vec();
    fields[0] = ("unit_name", "江苏某某压力容器制造有限公司");
    fields[4] = ("legal_representative", "李正确");
    assert_eq!(
        p.enterprise
            .save_page(id, "unit", "next", &fields)
            .await
            .status,
        303
    );
    let resubmitted = p.enterprise.submit_draft(id).await;
    assert_eq!(
        resubmitted.status,
        303,
        "{}",
        resubmitted.text(".error-summary")
    );
    assert_eq!(status(&app, id), "待受理");
    let refiled = app.store.application(id).unwrap().unwrap();
    assert!(refiled.procedure.filed_at > first_filed);
    assert_eq!(refiled.form.unit.legal_representative, "李正确");
    let queue = p.staff.get("/staff/queue").await.table_rows("#queue");
    assert!(queue[0][5].contains("补正后重新提交"));

    // 受理, naming the agency. Another agency is shown nothing.
    assert_eq!(p.staff.accept(id, p.agency_id).await.status, 303);
    assert_eq!(status(&app, id), "已受理");
    assert!(p
        .other_agency
        .get("/agency/queue")
        .await
        .table_rows("#queue")
        .is_empty());
    assert_eq!(
        p.other_agency
            .get(&format!("/production/applications/{id}"))
            .await
            .status,
        404
    );
    let agency_rows = p.agency.get("/agency/queue").await.table_rows("#queue");
    assert_eq!(agency_rows.len(), 1);
    assert!(agency_rows[0][7].contains("约定评审日期"));

    // 协商鉴定评审时间: dates proposed, one refused with a reason, then one agreed.
    let dates_path = format!("/agency/applications/{id}/dates");
    let (first, second) = (in_days(10), in_days(12));
    let proposed = p
        .agency
        .act(id, &dates_path, &[("date_0", &first), ("date_1", &second)])
        .await;
    assert_eq!(proposed.status, 303);
    let refused = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/other-date"),
            &[("other_date_reason", "该两日生产线停产检修，无法接受评审")],
        )
        .await;
    assert_eq!(refused.status, 303);
    // The review happens on the agreed day, so the conclusion can be recorded today.
    let third = in_days(0);
    p.agency.act(id, &dates_path, &[("date_0", &third)]).await;
    let unoffered = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &first)],
        )
        .await;
    assert_eq!(unoffered.status, 422);
    let confirmed = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &third)],
        )
        .await;
    assert_eq!(confirmed.status, 303);
    assert_eq!(status(&app, id), "待评审");
    for browser in [&p.staff, &p.agency, &p.enterprise] {
        let detail = browser.get(&format!("/production/applications/{id}")).await;
        assert_eq!(detail.text("#agreed-date"), third);
    }

    // 整改后符合条件, with a memo and a deadline; the applicant reports completion.
    let review_path = format!("/agency/applications/{id}/review");
    let detail_path = format!("/production/applications/{id}");
    let rectification = p
        .agency
        .post_multipart(
            &detail_path,
            &review_path,
            &[
                ("outcome", "rectification"),
                ("memo", "1. 焊接工艺评定报告缺签字；2. 无损检测记录不完整"),
                ("rectification_due", &in_days(60)),
            ],
            None,
        )
        .await;
    assert_eq!(
        rectification.status,
        303,
        "{}",
        rectification.text(".error-summary")
    );
    assert_eq!(status(&app, id), "整改中");
    let rectified = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/rectified"),
            &[("rectification_note", "已补签焊接工艺评定报告并补齐检测记录")],
        )
        .await;
    assert_eq!(rectified.status, 303);
    assert_eq!(status(&app, id), "整改完成");

    // The report, uploaded by the agency.
    let report = p
        .agency
        .post_multipart(
            &detail_path,
            &format!("/agency/applications/{id}/report"),
            &[],
            Some(("report", "评审报告.pdf", PDF)),
        )
        .await;
    assert_eq!(report.status, 303, "{}", report.text(".error-summary"));
    assert_eq!(status(&app, id), "待审批");
    let staff_view = p.staff.get(&detail_path).await;
    assert_eq!(staff_view.text("#review-outcome"), "整改后符合条件");
    assert_eq!(staff_view.text("#review-report"), "评审报告.pdf");
    assert!(staff_view
        .text("#current-deadline")
        .contains("作出许可决定"));

    // 评审反馈表 with a low rating reaches the authority's follow-ups.
    let feedback = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/feedback"),
            &[
                ("punctuality", "2"),
                ("professionalism", "2"),
                ("integrity", "3"),
                ("overall", "4"),
                ("comments", "评审组迟到半天"),
            ],
        )
        .await;
    assert_eq!(feedback.status, 303);
    let follow_ups = p.staff.get("/staff/queue").await.table_rows("#follow-ups");
    assert_eq!(follow_ups.len(), 1);
    assert!(follow_ups[0][5].contains("不满意"));

    // 准予许可: the certificate, its QR code and the public verification.
    let approved = p
        .staff
        .act(id, &format!("/staff/applications/{id}/approve"), &[])
        .await;
    assert_eq!(approved.status, 303);
    assert_eq!(status(&app, id), "准予许可");
    let application = app.store.application(id).unwrap().unwrap();
    let licence_id = application.procedure.issued_licence.unwrap();
    let certificate = p.enterprise.get(&format!("/licences/{licence_id}")).await;
    let number = certificate.text("#licence-number");
    let year = china_date(Utc::now()).format("%Y").to_string();
    assert_eq!(number, format!("TS2232001-{year}"));
    assert_eq!(
        certificate.text("#licence-unit"),
        "江苏某某压力容器制造有限公司"
    );
    assert_eq!(
        certificate.text("#licence-authority"),
        "江苏省市场监督管理局"
    );
    let expiry = certificate.text("#licence-expiry");
    assert_eq!(&expiry[..4], (year.parse::<i32>().unwrap() + 4).to_string());
    let qr = p
        .enterprise
        .get(&format!("/licences/{licence_id}/qr.svg"))
        .await;
    assert_eq!(qr.headers.get("content-type").unwrap(), "image/svg+xml");
    assert!(qr.body.contains("<svg"));

    let public = app.browser();
    let by_number = public.get(&format!("/verify?q={number}")).await;
    let rows = by_number.table_rows("#verify-results");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][1], "江苏某某压力容器制造有限公司");
    assert_eq!(rows[0][2], "固定式压力容器/中、低压容器（D级）");
    assert_eq!(rows[0][5], "有效");
    let by_name = public
        .get("/verify?q=%E5%8E%8B%E5%8A%9B%E5%AE%B9%E5%99%A8")
        .await;
    assert_eq!(by_name.table_rows("#verify-results").len(), 1);
    let unknown = public.get("/verify?q=TS2299999-2020").await;
    assert_eq!(unknown.count("#no-result"), 1);

    // Every change by another party left a message.
    let messages = p.enterprise.get("/messages").await;
    let texts = messages.texts("#messages li");
    for action in [
        "补正",
        "受理",
        "提出评审日期",
        "录入评审结论",
        "提交评审报告",
        "准予许可",
    ] {
        assert!(
            texts.iter().any(|text| text.contains(action)),
            "{action} message missing"
        );
    }
    assert_eq!(
        p.enterprise
            .get("/hall")
            .await
            .count("#messages-link .unread-count"),
        0
    );

    // The timeline contains every step, in a sound hash chain.
    let actions: Vec<&str> = app
        .store
        .events_of(id)
        .unwrap()
        .iter()
        .map(|event| event.action.label())
        .collect();
    assert_eq!(
        actions,
        [
            "新建草稿",
            "提交",
            "补正",
            "补正后重新提交",
            "受理",
            "提出评审日期",
            "另约评审日期",
            "提出评审日期",
            "确认评审日期",
            "录入评审结论",
            "报告整改完成",
            "提交评审报告",
            "准予许可"
        ]
    );
    assert_eq!(app.store.verify_event_chain().unwrap(), Ok(13));
    let progress = p
        .enterprise
        .get(&format!("/production/applications/{id}/progress"))
        .await;
    assert_eq!(progress.table_rows("#timeline").len(), 13);
}

#[tokio::test]
async fn refusal_to_accept_states_remedies() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    let missing = p
        .staff
        .act(
            id,
            &format!("/staff/applications/{id}/refuse"),
            &[("refuse_explanation", "说明")],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(missing.field_error("refuse_reason").contains("法定理由"));
    let refused = p
        .staff
        .act(
            id,
            &format!("/staff/applications/{id}/refuse"),
            &[
                ("refuse_reason", "申请人被撤销许可证未满3年"),
                ("refuse_explanation", "该单位原许可证于2025年被撤销"),
            ],
        )
        .await;
    assert_eq!(refused.status, 303);
    assert_eq!(status(&app, id), "不予受理");
    let document = p
        .enterprise
        .get(&format!("/production/applications/{id}/refusal"))
        .await;
    assert!(document.text("h1").contains("不予受理决定书"));
    assert!(document
        .text("#refusal-reason")
        .contains("撤销许可证未满3年"));
    assert!(document.text("#remedies").contains("行政复议"));
    assert!(document.text("#remedies").contains("行政诉讼"));

    // Nothing follows a refusal.
    let accept = p.staff.accept(id, p.agency_id).await;
    assert_eq!(accept.status, 409);
}

#[tokio::test]
async fn nonconforming_review_leads_to_denial() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    p.staff.accept(id, p.agency_id).await;
    let date = in_days(0);
    p.agency
        .act(
            id,
            &format!("/agency/applications/{id}/dates"),
            &[("date_0", &date)],
        )
        .await;
    p.enterprise
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &date)],
        )
        .await;

    let detail = format!("/production/applications/{id}");
    let no_report = p
        .agency
        .post_multipart(
            &detail,
            &format!("/agency/applications/{id}/review"),
            &[("outcome", "nonconforming")],
            None,
        )
        .await;
    assert_eq!(no_report.status, 422);
    assert!(no_report.field_error("report").contains("评审报告"));
    let not_a_pdf = p
        .agency
        .post_multipart(
            &detail,
            &format!("/agency/applications/{id}/review"),
            &[("outcome", "nonconforming")],
            Some(("report", "report.pdf", b"MZ\x90\x00")),
        )
        .await;
    assert_eq!(not_a_pdf.status, 422);
    let reported = p
        .agency
        .post_multipart(
            &detail,
            &format!("/agency/applications/{id}/review"),
            &[("outcome", "nonconforming")],
            Some(("report", "report.pdf", PDF)),
        )
        .await;
    assert_eq!(reported.status, 303);
    assert_eq!(status(&app, id), "待审批");

    let denied = p
        .staff
        .act(
            id,
            &format!("/staff/applications/{id}/deny"),
            &[
                ("deny_reason", "鉴定评审结论为不符合条件"),
                ("deny_explanation", "质量保证体系未有效实施"),
            ],
        )
        .await;
    assert_eq!(denied.status, 303);
    assert_eq!(status(&app, id), "不予许可");
    let document = p.enterprise.get(&format!("{detail}/refusal")).await;
    assert!(document.text("h1").contains("不予许可决定书"));
    assert!(document.text("#remedies").contains("行政复议"));
    assert!(app
        .store
        .application(id)
        .unwrap()
        .unwrap()
        .procedure
        .issued_licence
        .is_none());
}

#[tokio::test]
async fn agency_steps_respect_dates_and_status() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    p.staff.accept(id, p.agency_id).await;
    let dates_path = format!("/agency/applications/{id}/dates");
    let far = p
        .agency
        .act(id, &dates_path, &[("date_0", "9999-12-31")])
        .await;
    assert_eq!(far.status, 422);
    assert!(far.field_error("date_0").contains("一年之内"));
    let other_date = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/other-date"),
            &[("other_date_reason", "没有日期可选也要另约")],
        )
        .await;
    assert_eq!(other_date.status, 409);

    let later = in_days(7);
    p.agency.act(id, &dates_path, &[("date_0", &later)]).await;
    p.enterprise
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &later)],
        )
        .await;
    let detail = format!("/production/applications/{id}");
    let early = p
        .agency
        .post_multipart(
            &detail,
            &format!("/agency/applications/{id}/review"),
            &[("outcome", "conforming")],
            Some(("report", "report.pdf", PDF)),
        )
        .await;
    assert_eq!(early.status, 409);
    assert!(early.text(".error-message").contains("评审后才能录入"));
    assert!(app
        .store
        .attachments_of(id)
        .unwrap()
        .iter()
        .all(|file| file.kind.label() != "评审报告"));
}

#[tokio::test]
async fn nonconforming_review_cannot_be_approved() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    p.staff.accept(id, p.agency_id).await;
    let today = in_days(0);
    p.agency
        .act(
            id,
            &format!("/agency/applications/{id}/dates"),
            &[("date_0", &today)],
        )
        .await;
    p.enterprise
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &today)],
        )
        .await;
    p.agency
        .post_multipart(
            &format!("/production/applications/{id}"),
            &format!("/agency/applications/{id}/review"),
            &[("outcome", "nonconforming")],
            Some(("report", "report.pdf", PDF)),
        )
        .await;
    let approve = p
        .staff
        .act(id, &format!("/staff/applications/{id}/approve"), &[])
        .await;
    assert_eq!(approve.status, 409);
    assert!(approve.text(".error-message").contains("不符合条件"));
    assert_eq!(status(&app, id), "待审批");
}

#[tokio::test]
async fn illegal_steps_are_refused_with_a_message() {
    let app = TestApp::start();
    let p = parties(&app).await;
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());

    let approve_early = p
        .staff
        .act(id, &format!("/staff/applications/{id}/approve"), &[])
        .await;
    assert_eq!(approve_early.status, 409);
    assert!(approve_early
        .text(".error-message")
        .contains("不能执行“准予许可”操作"));
    let rectified_early = p
        .enterprise
        .act(
            id,
            &format!("/production/applications/{id}/rectified"),
            &[("rectification_note", "已全部整改完成")],
        )
        .await;
    assert_eq!(rectified_early.status, 409);
    assert_eq!(status(&app, id), "待受理");

    // Parties cannot take each other's steps.
    let applicant_accepts = p.enterprise.accept(id, p.agency_id).await;
    assert_eq!(applicant_accepts.status, 403);
    let agency = p.agency_id.to_string();
    let agency_accepts = p
        .agency
        .submit(
            "/agency/queue",
            &format!("/staff/applications/{id}/accept"),
            &[("agency", agency.as_str())],
        )
        .await;
    assert_eq!(agency_accepts.status, 403);
    let staff_confirms = p
        .staff
        .act(
            id,
            &format!("/production/applications/{id}/confirm-date"),
            &[("date", &in_days(5))],
        )
        .await;
    assert_eq!(staff_confirms.status, 403);
    assert_eq!(status(&app, id), "待受理");
}

#[tokio::test]
async fn other_province_cannot_act() {
    let app = TestApp::start();
    let p = parties(&app).await;
    app.create_staff("zj-staff", 33);
    app.create_staff("samr-staff", 10);
    let id = application_id(&p.enterprise.apply(&["M12"], "32").await.location.unwrap());
    for login in ["zj-staff", "samr-staff"] {
        let staff = app.browser();
        staff.login(login, PASSWORD).await;
        assert_eq!(
            staff
                .get(&format!("/production/applications/{id}"))
                .await
                .status,
            404
        );
        let path = format!("/staff/applications/{id}/correct");
        let attempt = staff
            .submit("/staff/queue", &path, &[("defect_0", "越权补正")])
            .await;
        assert_eq!(attempt.status, 404, "{login}");
    }
    assert_eq!(status(&app, id), "待受理");
}
