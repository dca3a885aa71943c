//! The applicant's journey and the staff's acceptance in real headless Chromium, driven over
//! WebDriver: typing Chinese, htmx updates and file uploads as a browser sends them.

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

use crate::support::{JIANGSU_CODE, PASSWORD, PDF, TEST_BCRYPT_COST};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A child process that is killed when the test ends, pass or fail.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_port(port: u16, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn xuke(data_dir: &Path, args: &[&str], stdin: Option<&str>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_xuke"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env("XUKE_BCRYPT_COST", TEST_BCRYPT_COST.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    assert!(child.wait().unwrap().success(), "xuke {args:?} failed");
}

async fn fill(browser: &Client, name: &str, value: &str) {
    let field = browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(&format!("[name=\"{name}\"]")))
        .await
        .unwrap_or_else(|error| panic!("field {name}: {error}"));
    field.clear().await.unwrap();
    field.send_keys(value).await.unwrap();
}

async fn click(browser: &Client, css: &str) {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("element {css}: {error}"))
        .click()
        .await
        .unwrap();
}

async fn text(browser: &Client, css: &str) -> String {
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("element {css}: {error}"))
        .text()
        .await
        .unwrap()
}

/// Waits until the element `css` contains `expected`, as an htmx swap takes a moment.
async fn wait_for_text(browser: &Client, css: &str, expected: &str) {
    let started = Instant::now();
    loop {
        let current = text(browser, css).await;
        if current.contains(expected) {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{css} shows {current:?}, expected {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Saves a screenshot of the current page as `name`.png into the folder named by
/// XUKE_SCREENSHOT_DIR, when it is set, for looking at the pages by eye.
async fn screenshot(browser: &Client, name: &str) {
    if let Ok(folder) = std::env::var("XUKE_SCREENSHOT_DIR") {
        let png = browser.screenshot().await.unwrap();
        std::fs::write(Path::new(&folder).join(format!("{name}.png")), png).unwrap();
    }
}

async fn path(browser: &Client) -> String {
    browser.current_url().await.unwrap().path().to_string()
}

/// Waits until the browser has navigated to a path ending with `suffix`; a click on a
/// submit button returns before the next page loads.
async fn wait_for_path(browser: &Client, suffix: &str) -> String {
    let started = Instant::now();
    loop {
        let current = path(browser).await;
        if current.ends_with(suffix) {
            // Let the new document finish loading before it is queried.
            browser
                .wait()
                .for_element(Locator::Css("footer, main"))
                .await
                .unwrap();
            return current;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "still on {current}, expected a path ending with {suffix}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn applicant_and_staff_in_chromium() {
    assert!(
        Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists(),
        "the browser test needs Debian's chromium and chromium-driver: \
         apt-get install -y chromium chromium-driver (.ci/run installs them)"
    );
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    xuke(
        &data,
        &[
            "admin",
            "create-user",
            "--authority",
            "32",
            "--login",
            "js-staff",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    xuke(
        &data,
        &[
            "admin",
            "create-agency",
            "--name",
            "江苏省特种设备安全监督检验研究院",
            "--contact",
            "孙评审",
            "--phone",
            "025-87654321",
        ],
        None,
    );

    let port = free_port();
    let _server = Running(
        Command::new(env!("CARGO_BIN_EXE_xuke"))
            .arg("serve")
            .env("XUKE_DATA_DIR", &data)
            .env("XUKE_LISTEN", format!("127.0.0.1:{port}"))
            .env("XUKE_BCRYPT_COST", TEST_BCRYPT_COST.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let driver_port = free_port();
    let _driver = Running(
        Command::new(CHROMEDRIVER)
            .arg(format!("--port={driver_port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for_port(port, "xuke");
    wait_for_port(driver_port, "chromedriver");

    let profile = dir.path().join("profile");
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=1280,1400",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let browser = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{driver_port}"))
        .await
        .expect("chromedriver session");
    let base = format!("http://127.0.0.1:{port}");

    // 企业注册 with Chinese typed into the form.
    browser
        .goto(&format!("{base}/register/enterprise"))
        .await
        .unwrap();
    fill(&browser, "unit_name", "江苏某某压力容器制造有限公司").await;
    fill(&browser, "credit_code", JIANGSU_CODE).await;
    fill(&browser, "contact_name", "王联系").await;
    fill(&browser, "mobile", "13812345678").await;
    fill(&browser, "password", PASSWORD).await;
    fill(&browser, "password_confirm", PASSWORD).await;
    click(&browser, "form.form button[type=submit]").await;
    wait_for_path(&browser, "/hall").await;
    screenshot(&browser, "1-hall").await;
    assert_eq!(
        text(&browser, ".site-header .user").await,
        "江苏某某压力容器制造有限公司"
    );

    // 在线办理 → 首次申请 → the pages of the 许可申请书.
    click(&browser, ".tile .actions a").await;
    wait_for_path(&browser, "/production/apply").await;
    click(&browser, ".card form button").await;
    let unit = wait_for_path(&browser, "/unit").await;
    let draft = unit.split('/').nth(3).unwrap().to_string();
    for (name, value) in crate::support::VALID_UNIT.iter().skip(1) {
        fill(&browser, name, value).await;
    }
    click(&browser, "button[value=next]").await;
    wait_for_path(&browser, "/addresses").await;
    browser
        .find(Locator::Css("select[name=address_1_province]"))
        .await
        .unwrap()
        .select_by_value("32")
        .await
        .unwrap();
    fill(&browser, "address_1_city", "南京市").await;
    fill(&browser, "address_1_district", "江宁区").await;
    fill(&browser, "address_1_street", "将军大道100号").await;
    click(&browser, "button[value=next]").await;

    // Ticking a sub-item names the authority through htmx.
    wait_for_path(&browser, "/items").await;
    let category = browser
        .find(Locator::XPath("//summary[contains(., '制造单位许可')]"))
        .await
        .unwrap();
    category.click().await.unwrap();
    click(&browser, "input[name=sub_item][value=M12]").await;
    wait_for_text(&browser, "#draft-authority", "江苏省市场监督管理局").await;
    screenshot(&browser, "2-items").await;
    click(&browser, "button[value=next]").await;

    wait_for_path(&browser, "/quality").await;
    for (name, value) in crate::support::VALID_QUALITY {
        fill(&browser, name, value).await;
    }
    click(&browser, "button[value=next]").await;
    wait_for_path(&browser, "/technical").await;
    fill(&browser, "welders", "12").await;
    click(&browser, "button[value=next]").await;

    // Uploads through the browser's own multipart forms.
    wait_for_path(&browser, "/attachments").await;
    let scan = dir.path().join("scan.pdf");
    std::fs::write(&scan, PDF).unwrap();
    for kind in ["business_licence", "item_table"] {
        browser
            .find(Locator::Css(&format!("#file-{kind}")))
            .await
            .unwrap()
            .send_keys(&scan.display().to_string())
            .await
            .unwrap();
        click(&browser, &format!("#attachment_{kind} .upload-form button")).await;
        wait_for_text(&browser, &format!("#attachment_{kind}"), "scan.pdf").await;
    }
    click(&browser, "button[value=next]").await;

    // Check the review page, declare, submit.
    wait_for_path(&browser, "/review").await;
    screenshot(&browser, "3-review").await;
    assert_eq!(
        text(&browser, "#draft-authority").await,
        "江苏省市场监督管理局"
    );
    click(&browser, "input[name=declaration]").await;
    click(&browser, "form[action$=submit] button[type=submit]").await;
    wait_for_path(&browser, &format!("/production/applications/{draft}")).await;
    assert_eq!(text(&browser, "#application-status").await, "待受理");
    let number = text(&browser, "#application-number").await;

    // Staff of the Jiangsu bureau accept it naming the agency.
    click(&browser, "form[action='/logout'] button").await;
    wait_for_path(&browser, "/").await;
    browser.goto(&format!("{base}/login")).await.unwrap();
    fill(&browser, "login", "js-staff").await;
    fill(&browser, "password", PASSWORD).await;
    click(&browser, "form.form button[type=submit]").await;
    wait_for_path(&browser, "/staff/queue").await;
    screenshot(&browser, "4-queue").await;
    assert!(text(&browser, "#queue").await.contains(&number));
    browser
        .goto(&format!("{base}/production/applications/{draft}"))
        .await
        .unwrap();
    browser
        .find(Locator::Css("select[name=agency]"))
        .await
        .unwrap()
        .select_by_value("1")
        .await
        .unwrap();
    click(&browser, "#accept-form button[type=submit]").await;
    wait_for_text(&browser, "#application-status", "已受理").await;
    screenshot(&browser, "5-accepted").await;
    assert!(text(&browser, "#agency")
        .await
        .contains("江苏省特种设备安全监督检验研究院"));

    browser.close().await.unwrap();
}
