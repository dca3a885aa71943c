//! Inspection and NDT personnel qualification: apply, manage, process to a certificate.

use chrono::{Datelike, Months, NaiveDate, Utc};

use crate::support::{Browser, Page, TestApp, PASSWORD};
use xuke::domain::time::china_date;

/// A JPEG photo: the type is decided by its first bytes.
const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01photo";

/// Certificates held: code, level, first issue date, expiry.
type Held<'a> = [(&'a str, &'a str, &'a str, &'a str)];

/// Employers' credit codes: Jiangsu and Zhejiang.
const JIANGSU_EMPLOYER: &str = "913200001347826539";
const ZHEJIANG_EMPLOYER: &str = "91330100MA2H4K5L6G";

fn today() -> NaiveDate {
    china_date(Utc::now())
}

/// Builds a valid identity card number of someone born on `birth`.
fn id_number(birth: NaiveDate, sequence: u32) -> String {
    let body = format!("110105{}{sequence:03}", birth.format("%Y%m%d"));
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .chars()
        .zip(weights)
        .map(|(digit, weight)| digit.to_digit(10).unwrap() * weight)
        .sum();
    let check = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'][(sum % 11) as usize];
    format!("{body}{check}")
}

/// Birth date of someone `years` old today.
fn aged(years: u32) -> NaiveDate {
    today() - Months::new(years * 12)
}

fn date_in_months(months: i32) -> String {
    let date = if months >= 0 {
        today() + Months::new(months as u32)
    } else {
        today() - Months::new((-months) as u32)
    };
    date.format("%Y-%m-%d").to_string()
}

async fn register(browser: &Browser<'_>, birth: NaiveDate, sequence: u32) {
    let number = id_number(birth, sequence);
    let page = browser
        .submit(
            "/register/person",
            "/register/person",
            &[
                ("name", "李检测"),
                ("document_type", "id_card"),
                ("document_number", &number),
                ("mobile", "13912345678"),
                ("email", "li@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.text(".error-summary"));
}

/// Files an application for `code`-`level` with `category`, an employer and the held
/// certificates (code, level, first issue, expiry).
async fn apply(
    browser: &Browser<'_>,
    code: &str,
    level: &str,
    category: &str,
    employer: &str,
    held: &[(&str, &str, &str, &str)],
    photo: &[u8],
) -> Page {
    let query = serde_urlencoded::to_string([("item", code), ("level", level)]).unwrap();
    let mut fields: Vec<(String, String)> = vec![
        ("category".into(), category.into()),
        ("education".into(), "本科".into()),
        ("major".into(), "材料成型及控制工程".into()),
        ("title".into(), "工程师".into()),
        ("years_of_work".into(), "8".into()),
        ("mobile".into(), "13912345678".into()),
        ("mailing_address".into(), "南京市江宁区将军大道100号".into()),
        ("employer_name".into(), "某某检测有限公司".into()),
        ("employer_credit_code".into(), employer.into()),
        ("in_work".into(), "1".into()),
        ("no_violations".into(), "1".into()),
    ];
    for (index, (code, level, first, expires)) in held.iter().enumerate() {
        fields.push((format!("held_{index}_code"), code.to_string()));
        fields.push((format!("held_{index}_level"), level.to_string()));
        fields.push((format!("held_{index}_first"), first.to_string()));
        fields.push((format!("held_{index}_expires"), expires.to_string()));
    }
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    browser
        .post_multipart(
            &format!("/personnel/apply/form?{query}"),
            "/personnel/apply/form?",
            &fields,
            Some(("photo", "photo.jpg", photo)),
        )
        .await
}

fn id_of(page: &Page) -> u64 {
    page.location
        .as_deref()
        .and_then(|location| location.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no application id: {} {}",
                page.status,
                page.text(".error-summary")
            )
        })
}

fn status(app: &TestApp, id: u64) -> &'static str {
    app.store
        .personnel_application(id)
        .unwrap()
        .unwrap()
        .status
        .label()
}

async fn step(staff: &Browser<'_>, id: u64, name: &str, fields: &[(&str, &str)]) -> Page {
    staff
        .submit(
            &format!("/personnel/applications/{id}"),
            &format!("/staff/personnel/{id}/{name}"),
            fields,
        )
        .await
}

#[tokio::test]
async fn initial_certificate_end_to_end() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let person = app.browser();
    register(&person, aged(30), 1).await;

    let hall = person.get("/hall").await;
    assert_eq!(
        hall.attributes(".tile .actions a", "href"),
        ["/personnel/apply"]
    );
    let choose = person.get("/personnel/apply").await;
    assert!(choose
        .attributes("input[name=item]", "value")
        .contains(&"RT|II".to_string()));
    let form = person.get("/personnel/apply/form?item=RT%7CII").await;
    assert_eq!(form.text("#item"), "RT-II 射线胶片照相检测");
    let live = person
        .htmx_get(&format!(
            "/personnel/apply/authority?item=RT&level=II&employer_credit_code={ZHEJIANG_EMPLOYER}"
        ))
        .await;
    assert_eq!(live.text("#personnel-authority"), "浙江省市场监督管理局");
    assert_eq!(form.input_value("name").as_deref(), Some("李检测"));

    let filed = apply(&person, "RT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await;
    assert_eq!(filed.status, 303, "{}", filed.text(".error-summary"));
    let id = id_of(&filed);

    // 人员申请管理: exactly the real columns, and the search box.
    let list = person.get("/personnel/applications").await;
    assert_eq!(
        list.table_headers("#personnel-applications"),
        [
            "序号",
            "申请年度",
            "人员类型",
            "项目代号",
            "项目名称",
            "申请类别",
            "申请状态",
            "提交机构",
            "申请日期",
            "受理日期",
            "操作"
        ]
    );
    let rows = list.table_rows("#personnel-applications");
    assert_eq!(rows[0][0], "1");
    assert_eq!(rows[0][1], today().year().to_string());
    assert_eq!(rows[0][2], "无损检测人员");
    assert_eq!(rows[0][3], "RT-II");
    assert_eq!(rows[0][4], "射线胶片照相检测");
    assert_eq!(rows[0][5], "取证");
    assert_eq!(rows[0][6], "待受理");
    assert_eq!(rows[0][7], "江苏省市场监督管理局");
    assert_eq!(rows[0][9], "");
    assert_eq!(list.attributes("#q", "placeholder"), ["请输入名称"]);
    let found = person
        .htmx_get("/personnel/applications?q=%E7%85%A7%E7%9B%B8")
        .await;
    assert_eq!(found.table_rows("#personnel-applications").len(), 1);
    let missing = person
        .htmx_get("/personnel/applications?q=%E6%B6%A1%E6%B5%81")
        .await;
    assert!(missing.table_rows("#personnel-applications").is_empty());

    // The authority: 材料已接收, 受理, exams with one resit, 发证.
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let queue = staff.get("/staff/personnel").await;
    assert_eq!(queue.table_rows("#personnel-queue").len(), 1);
    assert!(queue.table_rows("#personnel-queue")[0][6].contains("受理"));
    assert_eq!(step(&staff, id, "receive", &[]).await.status, 303);
    assert_eq!(status(&app, id), "材料已接收");
    assert_eq!(step(&staff, id, "accept", &[]).await.status, 303);
    assert_eq!(status(&app, id), "已受理");
    let notice = person
        .get(&format!("/personnel/applications/{id}/acceptance-notice"))
        .await;
    assert!(notice.text("#notice-number").starts_with("特人受字〔"));
    assert!(notice.text("#personnel-notice").contains("RT-II"));
    assert_eq!(step(&staff, id, "exam", &[]).await.status, 303);
    assert_eq!(status(&app, id), "待考试");
    let bad_score = step(
        &staff,
        id,
        "score",
        &[("subject", "theory"), ("score", "101")],
    )
    .await;
    assert_eq!(bad_score.status, 422);
    step(
        &staff,
        id,
        "score",
        &[("subject", "theory"), ("score", "65")],
    )
    .await;
    assert_eq!(status(&app, id), "待考试");
    step(
        &staff,
        id,
        "score",
        &[("subject", "theory"), ("score", "80")],
    )
    .await;
    step(
        &staff,
        id,
        "score",
        &[("subject", "practical"), ("score", "90")],
    )
    .await;
    assert_eq!(status(&app, id), "考试合格");
    let third = step(
        &staff,
        id,
        "score",
        &[("subject", "theory"), ("score", "99")],
    )
    .await;
    assert_eq!(third.status, 409);
    assert_eq!(step(&staff, id, "certify", &[]).await.status, 303);
    assert_eq!(status(&app, id), "已发证");

    let certificate = person
        .get(&format!("/personnel/applications/{id}/certificate"))
        .await;
    let number = certificate.text("#certificate-number");
    assert!(number.starts_with("RY32"));
    assert_eq!(
        certificate.text("#certificate-item"),
        "RT-II 射线胶片照相检测"
    );
    let expiry = certificate.text("#certificate-expiry");
    assert_eq!(&expiry[..4], (today().year() + 5).to_string());
    let public = app.browser().get(&format!("/verify?q={number}")).await;
    let rows = public.table_rows("#verify-person");
    assert_eq!(rows[0][1], "李检测");
    assert_eq!(rows[0][5], "有效");

    let timeline = person
        .get(&format!("/personnel/applications/{id}"))
        .await
        .table_rows("#timeline");
    let actions: Vec<&str> = timeline.iter().map(|row| row[1].as_str()).collect();
    assert_eq!(
        actions,
        [
            "提交",
            "材料已接收",
            "受理",
            "安排考试",
            "录入理论考试成绩",
            "录入理论考试成绩",
            "录入实际操作考试成绩",
            "发证"
        ]
    );
    assert_eq!(
        person
            .get("/personnel/applications")
            .await
            .table_rows("#personnel-applications")[0][6],
        "已发证"
    );

    // The individual reads a message for every step, each linking to the application.
    let messages = person.get("/messages").await;
    let texts = messages.texts("#messages li");
    assert_eq!(texts.len(), 8, "{texts:?}");
    let links = messages.attributes("#messages li a", "href");
    assert!(links
        .iter()
        .all(|link| *link == format!("/personnel/applications/{id}")));
}

#[tokio::test]
async fn authority_routing_by_item_and_level() {
    let app = TestApp::start();
    let person = app.browser();
    register(&person, aged(40), 1).await;
    let ut_three = [("UT", "III", "2020-01-01", &*date_in_months(30))];
    let cases: [(&str, &str, &Held, &str); 3] = [
        ("RT", "II", &[], "浙江省市场监督管理局"),
        ("RT", "III", &[], "国家市场监督管理总局"),
        ("TOFD", "II", &ut_three, "国家市场监督管理总局"),
    ];
    for (code, level, held, expected) in cases {
        let form = person
            .get(&format!("/personnel/apply/form?item={code}&level={level}"))
            .await;
        if expected == "国家市场监督管理总局" {
            assert_eq!(form.text("#personnel-authority"), expected);
        }
        let filed = apply(
            &person,
            code,
            level,
            "initial",
            ZHEJIANG_EMPLOYER,
            held,
            JPEG,
        )
        .await;
        let id = id_of(&filed);
        let application = app.store.personnel_application(id).unwrap().unwrap();
        assert_eq!(
            person
                .get(&format!("/personnel/applications/{id}"))
                .await
                .status,
            200
        );
        assert_eq!(
            application.authority,
            if expected == "国家市场监督管理总局" {
                10
            } else {
                33
            },
            "{code}-{level}"
        );
    }
}

#[tokio::test]
async fn age_limits_for_first_certificate_and_renewal() {
    let app = TestApp::start();
    let held_in_window = [("MT", "II", "2021-01-01", &*date_in_months(9))];
    let cases: [(u32, &str, bool); 6] = [
        (17, "initial", false),
        (18, "initial", true),
        (60, "initial", true),
        (61, "initial", false),
        (65, "renewal_review", true),
        (66, "renewal_review", false),
    ];
    for (index, (years, category, allowed)) in cases.into_iter().enumerate() {
        let person = app.browser();
        register(&person, aged(years), index as u32 + 1).await;
        let held: &[(&str, &str, &str, &str)] = if category == "initial" {
            &[]
        } else {
            &held_in_window
        };
        let page = apply(&person, "MT", "II", category, JIANGSU_EMPLOYER, held, JPEG).await;
        assert_eq!(
            page.status == 303,
            allowed,
            "{years} {category}: {}",
            page.text(".error-summary")
        );
        if !allowed {
            assert!(page.text(".error-summary").contains("周岁"));
        }
    }
}

#[tokio::test]
async fn prerequisites_and_renewal_windows() {
    let app = TestApp::start();
    let person = app.browser();
    register(&person, aged(40), 1).await;

    let no_ut = apply(
        &person,
        "TOFD",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &[],
        JPEG,
    )
    .await;
    assert_eq!(no_ut.status, 422);
    assert!(no_ut.text(".error-summary").contains("UT-II证书满2年"));
    let recent_rt = [("RT", "II", &*date_in_months(-12), &*date_in_months(48))];
    let too_recent = apply(
        &person,
        "RT(D)",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &recent_rt,
        JPEG,
    )
    .await;
    assert_eq!(too_recent.status, 422);
    let old_rt = [("RT", "II", &*date_in_months(-30), &*date_in_months(30))];
    assert_eq!(
        apply(
            &person,
            "RT(D)",
            "II",
            "initial",
            JIANGSU_EMPLOYER,
            &old_rt,
            JPEG
        )
        .await
        .status,
        303
    );

    let early = [("UT", "II", "2020-01-01", &*date_in_months(24))];
    let refused = apply(
        &person,
        "UT",
        "II",
        "renewal_review",
        JIANGSU_EMPLOYER,
        &early,
        JPEG,
    )
    .await;
    assert!(refused.text(".error-summary").contains("6至18个月"));
    let expired = [("UT", "II", "2018-01-01", &*date_in_months(-6))];
    let review = apply(
        &person,
        "UT",
        "II",
        "renewal_review",
        JIANGSU_EMPLOYER,
        &expired,
        JPEG,
    )
    .await;
    assert!(review.text(".error-summary").contains("只能“考试换证”"));
    let lapsed = [("UT", "II", "2018-01-01", &*date_in_months(-14))];
    let anew = apply(
        &person,
        "UT",
        "II",
        "renewal_exam",
        JIANGSU_EMPLOYER,
        &lapsed,
        JPEG,
    )
    .await;
    assert!(anew.text(".error-summary").contains("重新申请"));
    let exam = apply(
        &person,
        "UT",
        "II",
        "renewal_exam",
        JIANGSU_EMPLOYER,
        &expired,
        JPEG,
    )
    .await;
    assert_eq!(exam.status, 303, "{}", exam.text(".error-summary"));

    // A second open application for the same item.
    let again = apply(
        &person,
        "UT",
        "II",
        "renewal_exam",
        JIANGSU_EMPLOYER,
        &expired,
        JPEG,
    )
    .await;
    assert!(again.text(".error-summary").contains("不能重复申请"));
}

#[tokio::test]
async fn review_renewal_and_change_need_no_exam() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let person = app.browser();
    register(&person, aged(45), 1).await;
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let held = [
        ("MT", "II", "2021-01-01", &*date_in_months(9)),
        ("PT", "II", "2022-03-01", &*date_in_months(20)),
    ];
    let mut last = 0;
    for (code, category) in [("MT", "renewal_review"), ("PT", "change")] {
        let id = id_of(&apply(&person, code, "II", category, JIANGSU_EMPLOYER, &held, JPEG).await);
        last = id;
        step(&staff, id, "accept", &[]).await;
        let exam = step(&staff, id, "exam", &[]).await;
        assert_eq!(exam.status, 409);
        assert_eq!(step(&staff, id, "certify", &[]).await.status, 303);
        assert_eq!(status(&app, id), "已发证", "{category}");
    }
    // A change keeps the term of the certificate it changes.
    let changed = app.store.personnel_application(last).unwrap().unwrap();
    assert_eq!(
        changed.certificate.unwrap().expires_on.to_string(),
        date_in_months(20)
    );

    // A change without the certificate, and a second 取证 for a certified item, are refused.
    let no_pt = apply(&person, "UT", "II", "change", JIANGSU_EMPLOYER, &[], JPEG).await;
    assert!(no_pt
        .text(".error-summary")
        .contains("变更须持有有效的UT-II证书"));
    let again = apply(&person, "MT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await;
    assert!(again.text(".error-summary").contains("不能重复取证"));
}

#[tokio::test]
async fn held_certificate_rows_are_checked() {
    let app = TestApp::start();
    let person = app.browser();
    register(&person, aged(40), 1).await;
    let future = [("UT", "III", "2099-01-01", "2100-01-01")];
    let page = apply(
        &person,
        "TOFD",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &future,
        JPEG,
    )
    .await;
    assert!(page.field_error("held_0_first").contains("不能晚于今天"));
    let reversed = [("UT", "III", "2024-01-01", "2023-01-01")];
    let page = apply(
        &person,
        "TOFD",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &reversed,
        JPEG,
    )
    .await;
    assert!(page
        .field_error("held_0_expires")
        .contains("晚于首次取证日期"));
    let unknown = [("UT", "IV", "2020-01-01", "2030-01-01")];
    let page = apply(
        &person,
        "TOFD",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &unknown,
        JPEG,
    )
    .await;
    assert!(page
        .field_error("held_0_code")
        .contains("不是有效的项目和级别"));
}

#[tokio::test]
async fn correction_then_resubmission() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let person = app.browser();
    register(&person, aged(30), 1).await;
    let id = id_of(&apply(&person, "PT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await);
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    step(
        &staff,
        id,
        "correct",
        &[("defects", "照片不清晰；学历证明缺失")],
    )
    .await;
    assert_eq!(status(&app, id), "需补正");
    let detail = person.get(&format!("/personnel/applications/{id}")).await;
    assert!(detail.text("#personnel-defects").contains("照片不清晰"));
    let notice = person
        .get(&format!("/personnel/applications/{id}/correction-notice/1"))
        .await;
    assert_eq!(
        notice.texts("#notice-defects li"),
        ["照片不清晰", "学历证明缺失"]
    );
    let resubmitted = person
        .post_multipart(
            &format!("/personnel/applications/{id}/resubmit"),
            &format!("/personnel/applications/{id}/resubmit"),
            &[
                ("category", "initial"),
                ("education", "硕士"),
                ("major", "无损检测"),
                ("years_of_work", "6"),
                ("mobile", "13912345678"),
                ("mailing_address", "南京市"),
                ("employer_name", "某某检测有限公司"),
                ("employer_credit_code", JIANGSU_EMPLOYER),
                ("in_work", "1"),
                ("no_violations", "1"),
            ],
            Some(("photo", "clear.png", b"\x89PNG\r\n\x1a\n....")),
        )
        .await;
    assert_eq!(
        resubmitted.status,
        303,
        "{}",
        resubmitted.text(".error-summary")
    );
    assert_eq!(status(&app, id), "待受理");
    let application = app.store.personnel_application(id).unwrap().unwrap();
    assert_eq!(application.form.education, "硕士");
    assert!(application.filed_at > application.submitted_at);
}

#[tokio::test]
async fn withdraw_before_acceptance_only() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let person = app.browser();
    register(&person, aged(30), 1).await;
    let first = id_of(&apply(&person, "MT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await);
    let second = id_of(&apply(&person, "PT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await);
    let withdrawn = person
        .submit(
            "/personnel/applications",
            &format!("/personnel/applications/{first}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(withdrawn.status, 303);
    assert_eq!(status(&app, first), "已撤销");

    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    step(&staff, second, "accept", &[]).await;
    let refused = person
        .submit(
            "/personnel/applications",
            &format!("/personnel/applications/{second}/withdraw"),
            &[],
        )
        .await;
    assert_eq!(refused.status, 409);
    assert!(refused.text(".error-message").contains("已受理"));
}

#[tokio::test]
async fn others_cannot_open_the_application() {
    let app = TestApp::start();
    app.create_staff("zj-staff", 33);
    let person = app.browser();
    register(&person, aged(30), 1).await;
    let id = id_of(&apply(&person, "MT", "II", "initial", JIANGSU_EMPLOYER, &[], JPEG).await);
    let stranger = app.browser();
    register(&stranger, aged(31), 3).await;
    assert_eq!(
        stranger
            .get(&format!("/personnel/applications/{id}"))
            .await
            .status,
        404
    );
    assert_eq!(
        stranger
            .get(&format!("/personnel/applications/{id}/photo"))
            .await
            .status,
        404
    );
    let other_province = app.browser();
    other_province.login("zj-staff", PASSWORD).await;
    assert_eq!(
        other_province
            .get(&format!("/personnel/applications/{id}"))
            .await
            .status,
        404
    );
    let accept = other_province
        .submit(
            "/staff/personnel",
            &format!("/staff/personnel/{id}/accept"),
            &[],
        )
        .await;
    assert_eq!(accept.status, 404);
    assert_eq!(status(&app, id), "待受理");
}

#[tokio::test]
async fn photo_type_is_decided_by_bytes() {
    let app = TestApp::start();
    let person = app.browser();
    register(&person, aged(30), 1).await;
    let exe = apply(
        &person,
        "MT",
        "II",
        "initial",
        JIANGSU_EMPLOYER,
        &[],
        b"MZ\x90\x00rest",
    )
    .await;
    assert_eq!(exe.status, 422);
    assert!(exe.field_error("photo").contains("JPEG或PNG"));
    assert_eq!(
        exe.input_value("major").as_deref(),
        Some("材料成型及控制工程")
    );
}
