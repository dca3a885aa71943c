//! `xuke admin create-user` run as a real process on a data folder.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{TestApp, TEST_BCRYPT_COST};

fn create_user(
    data_dir: &std::path::Path,
    args: &[&str],
    stdin: Option<&str>,
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .arg("admin")
        .arg("create-user")
        .arg("--data-dir")
        .arg(data_dir)
        .arg("--bcrypt-cost")
        .arg(TEST_BCRYPT_COST.to_string())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("xuke binary runs");
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn created_staff_can_log_in() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_user(
        dir.path(),
        &[
            "--authority",
            "江苏省市场监督管理局",
            "--login",
            "js-zhang",
            "--name",
            "张审批",
            "--password-stdin",
        ],
        Some("Jiangsu2026\n"),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let generated = create_user(
        dir.path(),
        &["--authority", "10", "--login", "samr-li"],
        None,
    );
    assert!(generated.status.success());
    let stdout = String::from_utf8(generated.stdout).unwrap();
    let password = stdout
        .lines()
        .find_map(|line| {
            line.split_once('：')
                .filter(|(label, _)| label.contains("初始密码"))
        })
        .map(|(_, password)| password.trim().to_string())
        .expect("generated password printed");
    assert_eq!(password.len(), 16);

    let duplicate = create_user(
        dir.path(),
        &["--authority", "32", "--login", "JS-ZHANG"],
        None,
    );
    assert!(!duplicate.status.success());

    let app = TestApp::start_in(dir);
    let staff = app.browser();
    assert_eq!(
        staff
            .login("js-zhang", "Jiangsu2026")
            .await
            .location
            .as_deref(),
        Some("/staff/queue")
    );
    assert_eq!(
        staff.get("/staff/queue").await.text("#staff-authority"),
        "江苏省市场监督管理局"
    );
    let samr = app.browser();
    assert_eq!(
        samr.login("samr-li", &password).await.location.as_deref(),
        Some("/staff/queue")
    );
    assert_eq!(
        samr.get("/staff/queue").await.text("#staff-authority"),
        "国家市场监督管理总局"
    );
}

#[tokio::test]
async fn unknown_authority_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_user(
        dir.path(),
        &["--authority", "99", "--login", "nobody"],
        None,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown authority"));
}

#[test]
fn administrator_replaces_holiday_schedule() {
    let dir = tempfile::tempdir().unwrap();
    let schedule = dir.path().join("holidays.csv");
    let mut text = String::from_utf8(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/data/holidays.csv"
        ))
        .unwrap(),
    )
    .unwrap();
    text.push_str("2027-01-01,holiday,元旦\n");
    std::fs::write(&schedule, &text).unwrap();

    let output = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(["admin", "set-holidays", "--data-dir"])
        .arg(dir.path())
        .arg("--file")
        .arg(&schedule)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let state = xuke::web::AppState::open(crate::support::config(dir.path())).unwrap();
    assert!(state.calendar.has_year(2027));
    let friday = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let deadline = state.calendar.add_working_days(friday, 1);
    assert_eq!(
        deadline.date,
        chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap()
    );
    assert!(!deadline.unscheduled);
    drop(state);

    std::fs::write(&schedule, "date,kind,name\n2027-13-01,holiday,x\n").unwrap();
    let invalid = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(["admin", "set-holidays", "--data-dir"])
        .arg(dir.path())
        .arg("--file")
        .arg(&schedule)
        .output()
        .unwrap();
    assert!(!invalid.status.success());
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("invalid date"));
}

#[test]
fn agency_staff_account_needs_a_registered_agency() {
    let dir = tempfile::tempdir().unwrap();
    let missing = create_user(
        dir.path(),
        &["--role", "agency-staff", "--agency", "7", "--login", "rev"],
        None,
    );
    assert!(!missing.status.success());
    let agency = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(["admin", "create-agency", "--data-dir"])
        .arg(dir.path())
        .args([
            "--name",
            "江苏省特种设备安全监督检验研究院",
            "--contact",
            "孙评审",
            "--phone",
            "025-87654321",
        ])
        .output()
        .unwrap();
    assert!(agency.status.success());
    assert!(String::from_utf8_lossy(&agency.stdout).contains("编号 1"));
    let created = create_user(
        dir.path(),
        &["--role", "agency-staff", "--agency", "1", "--login", "rev"],
        None,
    );
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(String::from_utf8_lossy(&created.stdout).contains("江苏省特种设备安全监督检验研究院"));
}

#[test]
fn reset_password_lets_a_user_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let created = create_user(
        dir.path(),
        &["--authority", "32", "--login", "js-wang"],
        None,
    );
    assert!(created.status.success());
    let reset = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(["admin", "reset-password", "--data-dir"])
        .arg(dir.path())
        .args([
            "--login",
            "JS-WANG",
            "--password-stdin",
            "--bcrypt-cost",
            "4",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            child.stdin.take().unwrap().write_all(b"Renewed2026\n")?;
            child.wait_with_output()
        })
        .unwrap();
    assert!(reset.status.success());
    let store = xuke::store::Store::open(&dir.path().join("xuke.redb")).unwrap();
    let account = store.account_by_login("js-wang").unwrap().unwrap();
    assert!(bcrypt::verify("Renewed2026", &account.password_hash).unwrap());
}

#[test]
fn staff_login_cannot_be_a_credit_code() {
    let dir = tempfile::tempdir().unwrap();
    let output = create_user(
        dir.path(),
        &["--authority", "32", "--login", "913200001347826539"],
        None,
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("credit code"));
}

#[test]
fn administrator_corrects_personnel_items() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("items.csv");
    let mut text = String::from_utf8(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/assets/data/personnel-items.csv"
        ))
        .unwrap(),
    )
    .unwrap();
    text = text.replace("Y-RQ,压力容器检验员", "Y-RR,压力容器检验员");
    std::fs::write(&file, &text).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(["admin", "set-personnel-items", "--data-dir"])
        .arg(dir.path())
        .arg("--file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let state = xuke::web::AppState::open(crate::support::config(dir.path())).unwrap();
    assert!(state.personnel_items.get("Y-RR").is_some());
    assert!(state.personnel_items.get("Y-RQ").is_none());
}
