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
