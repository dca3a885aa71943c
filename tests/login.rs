//! 登录 / 退出, and the lock after repeated wrong passwords.

use crate::support::{TestApp, JIANGSU_CODE, PASSWORD};

#[tokio::test]
async fn login_logout_and_login_again() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let logout = browser.logout().await;
    assert_eq!(logout.status, 303);
    assert_eq!(
        browser.get("/hall").await.location.as_deref(),
        Some("/login")
    );

    // Any usual spelling of the credit code logs in.
    let login = browser.login("913200001347826539 ", PASSWORD).await;
    assert_eq!(login.location.as_deref(), Some("/hall"));
    assert_eq!(browser.get("/hall").await.status, 200);
}

#[tokio::test]
async fn wrong_password_keeps_login_and_says_so() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    browser.logout().await;

    let page = browser.login(JIANGSU_CODE, "Wrong2026").await;
    assert_eq!(page.status, 422);
    assert!(page
        .field_error("password")
        .starts_with("用户名或密码不正确"));
    assert_eq!(page.input_value("login").as_deref(), Some(JIANGSU_CODE));

    let unknown = browser.login("913300000000000000", PASSWORD).await;
    assert_eq!(unknown.status, 422);
    assert!(unknown
        .field_error("password")
        .starts_with("用户名或密码不正确"));
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    browser.logout().await;

    for _ in 0..4 {
        browser.login(JIANGSU_CODE, "Wrong2026").await;
    }
    let fifth = browser.login(JIANGSU_CODE, "Wrong2026").await;
    assert!(fifth.field_error("password").contains("账号已锁定"));

    let correct = browser.login(JIANGSU_CODE, PASSWORD).await;
    assert_eq!(correct.status, 422);
    assert!(correct.field_error("password").contains("账号已锁定"));
}

#[tokio::test]
async fn login_renews_the_session_id() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    let before = browser
        .cookie("xuke-session")
        .expect("registration signs in");

    let response = browser.login(JIANGSU_CODE, PASSWORD).await;
    let session_cookie = response
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_string())
        .find(|cookie| cookie.starts_with("xuke-session="))
        .expect("login sets a session cookie");
    assert!(session_cookie.contains("HttpOnly"));
    assert!(session_cookie.contains("SameSite=Lax"));
    let after = browser.cookie("xuke-session").unwrap();
    assert_ne!(before, after);

    let stale = app.browser();
    stale.set_cookie("xuke-session", &before);
    assert_eq!(stale.get("/hall").await.location.as_deref(), Some("/login"));
}

#[tokio::test]
async fn parallel_guesses_stop_at_the_lock() {
    let app = TestApp::start();
    let browser = app.browser();
    browser
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    browser.logout().await;

    // Twelve wrong guesses at once, then the right password: only five may be checked.
    let guesses: Vec<_> = (0..12)
        .map(|_| browser.login(JIANGSU_CODE, "Wrong2026"))
        .collect();
    futures_join(guesses).await;
    let account = app.store.account_by_login(JIANGSU_CODE).unwrap().unwrap();
    assert_eq!(account.failed_logins, 5);
    let correct = browser.login(JIANGSU_CODE, PASSWORD).await;
    assert_eq!(correct.status, 422);
    assert!(correct.field_error("password").contains("账号已锁定"));
}

/// Awaits every future, polling them together.
async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|context| {
        let mut pending = false;
        for (future, output) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(context) {
                    std::task::Poll::Ready(value) => *output = Some(value),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}
