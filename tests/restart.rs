//! Data, sessions and the search index survive a restart on the same data folder.

use crate::support::{application_id, TestApp, JIANGSU_CODE, PASSWORD};

#[tokio::test]
async fn data_survives_restart() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let (id, number, session) = {
        let enterprise = app.browser();
        enterprise
            .register_enterprise("江苏某某压力容器制造有限公司", JIANGSU_CODE)
            .await;
        let id = application_id(&enterprise.apply(&["M12"], "32").await.location.unwrap());
        let number = enterprise
            .get(&format!("/production/applications/{id}"))
            .await
            .text("#application-number");
        (id, number, enterprise.cookie("xuke-session").unwrap())
    };

    let app = app.restart();

    // The session is stored server-side, so the browser is still signed in.
    let enterprise = app.browser();
    enterprise.set_cookie("xuke-session", &session);
    let rows = enterprise
        .get("/production/applications")
        .await
        .table_rows("#applications");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], number);

    // Passwords and the search index are still there.
    let staff = app.browser();
    assert_eq!(
        staff.login("js-staff", PASSWORD).await.location.as_deref(),
        Some("/staff/queue")
    );
    let found = staff.get("/staff/queue?q=%E5%8E%8B%E5%8A%9B").await;
    assert_eq!(found.table_rows("#queue").len(), 1);

    // Numbers keep counting after a restart.
    let next = application_id(&enterprise.apply(&["M15"], "32").await.location.unwrap());
    assert!(next > id);
    let application = app.store.application(next).unwrap().unwrap();
    assert_ne!(application.number.as_deref(), Some(number.as_str()));
}

#[tokio::test]
async fn rebuilt_index_matches_the_store() {
    let app = TestApp::start();
    app.create_staff("js-staff", 32);
    let enterprise = app.browser();
    enterprise
        .register_enterprise("江苏某某公司", JIANGSU_CODE)
        .await;
    enterprise.apply(&["M12"], "32").await;
    let dir = app.data_dir();
    let app = {
        let TestApp {
            dir: temp,
            client,
            store,
        } = app;
        drop(client);
        drop(store);
        // Losing the derived index loses nothing: it is rebuilt from the event log.
        std::fs::remove_dir_all(dir.join("index")).unwrap();
        TestApp::start_in(temp)
    };
    let staff = app.browser();
    staff.login("js-staff", PASSWORD).await;
    let found = staff.get("/staff/queue?q=%E6%B1%9F%E8%8B%8F").await;
    assert_eq!(found.table_rows("#queue").len(), 1);
}
