//! A test server on a temporary data folder and a small browser that keeps cookies and parses
//! the pages it gets.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use chrono::Utc;
use poem::{endpoint::BoxEndpoint, http::header, test::TestClient, Response};
use scraper::{Html, Selector};
use tempfile::TempDir;

use xuke::config::Config;
use xuke::domain::Role;
use xuke::store::{NewAccount, Store};
use xuke::web::{self, AppState};

/// bcrypt cost for tests: the minimum, so registrations take milliseconds.
pub const TEST_BCRYPT_COST: u32 = 4;

pub const PASSWORD: &str = "Secret2026";

/// Valid credit codes: Jiangsu (32), Zhejiang (33), Beijing (11), Fujian (35).
pub const JIANGSU_CODE: &str = "913200001347826539";
pub const ZHEJIANG_CODE: &str = "91330100MA2H4K5L6G";
pub const BEIJING_CODE: &str = "91110000100006485K";
pub const FUJIAN_CODE: &str = "91350100M000100Y43";

pub struct TestApp {
    pub dir: TempDir,
    pub client: TestClient<BoxEndpoint<'static, Response>>,
    pub store: Arc<Store>,
}

pub fn config(dir: &Path) -> Config {
    Config {
        bcrypt_cost: TEST_BCRYPT_COST,
        ..Config::with_data_dir(dir)
    }
}

impl TestApp {
    pub fn start() -> TestApp {
        let dir = tempfile::tempdir().expect("temporary folder");
        TestApp::start_in(dir)
    }

    pub fn start_in(dir: TempDir) -> TestApp {
        let config = config(dir.path());
        TestApp::start_with(dir, config)
    }

    /// Starts on `dir` with settings changed from the test defaults.
    pub fn start_with(dir: TempDir, config: Config) -> TestApp {
        let state = AppState::open(config).expect("system starts");
        let store = state.store.clone();
        let endpoint = web::endpoint(state).expect("endpoint builds");
        TestApp {
            dir,
            client: TestClient::new(endpoint),
            store,
        }
    }

    /// Stops the server and starts a new one on the same data folder.
    pub fn restart(self) -> TestApp {
        let TestApp { dir, client, store } = self;
        drop(client);
        drop(store);
        TestApp::start_in(dir)
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    pub fn browser(&self) -> Browser<'_> {
        Browser {
            client: &self.client,
            cookies: Mutex::new(BTreeMap::new()),
        }
    }

    /// Registers a review agency directly in the store; returns its id.
    pub fn create_agency(&self, name: &str) -> u64 {
        self.store
            .create_agency(name, "孙评审", "025-87654321", Utc::now())
            .expect("agency created")
            .id
    }

    /// Creates a staff account of review agency `agency` directly in the store.
    pub fn create_agency_staff(&self, login: &str, agency: u64) {
        let hash = bcrypt::hash(PASSWORD, TEST_BCRYPT_COST).unwrap();
        self.store
            .create_account(
                NewAccount {
                    role: Role::AgencyStaff,
                    login: login.into(),
                    display_name: format!("{login}评审员"),
                    password_hash: hash,
                    credit_code: None,
                    contact_name: String::new(),
                    mobile: String::new(),
                    authority: None,
                    agency: Some(agency),
                    person: None,
                },
                Utc::now(),
            )
            .expect("agency staff account created");
    }

    /// Creates a staff account of `authority` directly in the store.
    pub fn create_staff(&self, login: &str, authority: u8) {
        let hash = bcrypt::hash(PASSWORD, TEST_BCRYPT_COST).unwrap();
        self.store
            .create_account(
                NewAccount {
                    role: Role::AuthorityStaff,
                    login: login.into(),
                    display_name: format!("{login}工作人员"),
                    password_hash: hash,
                    credit_code: None,
                    contact_name: String::new(),
                    mobile: String::new(),
                    authority: Some(authority),
                    agency: None,
                    person: None,
                },
                Utc::now(),
            )
            .expect("staff account created");
    }
}

/// A response read to the end.
pub struct Page {
    pub status: u16,
    pub location: Option<String>,
    pub headers: poem::http::HeaderMap,
    pub body: String,
}

impl Page {
    pub fn html(&self) -> Html {
        Html::parse_document(&self.body)
    }

    /// Returns the trimmed text of every element matching `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html()
            .select(&selector)
            .map(|element| normalise_space(&element.text().collect::<String>()))
            .collect()
    }

    /// Returns the text of the first element matching `selector`, or an empty string.
    pub fn text(&self, selector: &str) -> String {
        self.texts(selector).into_iter().next().unwrap_or_default()
    }

    pub fn count(&self, selector: &str) -> usize {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html().select(&selector).count()
    }

    /// Returns the value of attribute `name` on each element matching `selector`.
    pub fn attributes(&self, selector: &str, name: &str) -> Vec<String> {
        let selector = Selector::parse(selector).expect("valid selector");
        self.html()
            .select(&selector)
            .filter_map(|element| element.value().attr(name).map(str::to_string))
            .collect()
    }

    /// Returns the value of the input named `name`.
    pub fn input_value(&self, name: &str) -> Option<String> {
        self.attributes(&format!("input[name=\"{name}\"]"), "value")
            .into_iter()
            .next()
    }

    /// Returns the message shown on field `name`, without the hidden 错误： prefix.
    pub fn field_error(&self, name: &str) -> String {
        self.text(&format!("#{name}-error"))
            .trim_start_matches("错误：")
            .to_string()
    }

    pub fn csrf_token(&self) -> String {
        self.input_value("csrf_token").unwrap_or_else(|| {
            panic!(
                "page has no form with a CSRF token: status {}, heading {:?}, message {:?}",
                self.status,
                self.text("h1"),
                self.text(".error-message")
            )
        })
    }

    /// Returns the rows of the table matching `selector`, each a list of trimmed cell texts.
    pub fn table_rows(&self, selector: &str) -> Vec<Vec<String>> {
        let rows = Selector::parse(&format!("{selector} tbody tr")).unwrap();
        let cells = Selector::parse("td").unwrap();
        self.html()
            .select(&rows)
            .map(|row| {
                row.select(&cells)
                    .map(|cell| normalise_space(&cell.text().collect::<String>()))
                    .collect()
            })
            .collect()
    }

    pub fn table_headers(&self, selector: &str) -> Vec<String> {
        self.texts(&format!("{selector} thead th"))
    }
}

fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sends requests like a browser: keeps the cookies the server sets and sends them back.
pub struct Browser<'a> {
    client: &'a TestClient<BoxEndpoint<'static, Response>>,
    cookies: Mutex<BTreeMap<String, String>>,
}

impl Browser<'_> {
    fn cookie_header(&self) -> String {
        self.cookies
            .lock()
            .unwrap()
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned()
    }

    pub fn set_cookie(&self, name: &str, value: &str) {
        self.cookies
            .lock()
            .unwrap()
            .insert(name.to_string(), value.to_string());
    }

    async fn read(&self, response: poem::test::TestResponse) -> Page {
        let response = response.0;
        for value in response.headers().get_all(header::SET_COOKIE) {
            let cookie = poem::web::cookie::Cookie::parse(value.to_str().unwrap()).unwrap();
            let expired =
                cookie.value_str().is_empty() || cookie.max_age().is_some_and(|age| age.is_zero());
            let mut cookies = self.cookies.lock().unwrap();
            if expired {
                cookies.remove(cookie.name());
            } else {
                cookies.insert(cookie.name().to_string(), cookie.value_str().to_string());
            }
        }
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let location = headers
            .get(header::LOCATION)
            .map(|value| value.to_str().unwrap().to_string());
        let body = response.into_body().into_string().await.unwrap();
        Page {
            status,
            location,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(path)
            .header(header::COOKIE, self.cookie_header())
            .send()
            .await;
        self.read(response).await
    }

    /// Sends a GET as htmx does, asking for a fragment.
    pub async fn htmx_get(&self, path: &str) -> Page {
        let response = self
            .client
            .get(path)
            .header(header::COOKIE, self.cookie_header())
            .header("HX-Request", "true")
            .send()
            .await;
        self.read(response).await
    }

    /// POSTs `fields` url-encoded, exactly as given (no token is added).
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let response = self
            .client
            .post(path)
            .header(header::COOKIE, self.cookie_header())
            .content_type("application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await;
        self.read(response).await
    }

    /// Opens `form_page`, then POSTs `fields` to `path` with the page's CSRF token, as a
    /// person filling in the form would.
    pub async fn submit(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let mut page = self.get(form_page).await;
        if let Some(location) = page.location.clone() {
            page = self.get(&location).await;
        }
        let token = page.csrf_token();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Registers an enterprise and stays signed in.
    pub async fn register_enterprise(&self, unit_name: &str, credit_code: &str) -> Page {
        self.submit(
            "/register/enterprise",
            "/register/enterprise",
            &[
                ("unit_name", unit_name),
                ("credit_code", credit_code),
                ("contact_name", "王联系"),
                ("mobile", "13812345678"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
    }

    pub async fn login(&self, login: &str, password: &str) -> Page {
        self.submit(
            "/login",
            "/login",
            &[("login", login), ("password", password)],
        )
        .await
    }

    pub async fn logout(&self) -> Page {
        self.submit("/hall", "/logout", &[]).await
    }

    /// 首次申请 → 点击进入: starts a draft and returns its id.
    pub async fn start_first(&self) -> u64 {
        let started = self
            .submit("/production/apply", "/production/apply/first", &[])
            .await;
        assert_eq!(started.status, 303, "starting a draft");
        draft_id(started.location.as_deref().unwrap())
    }

    /// POSTs one page of draft `id` with `fields` and the button `op`.
    pub async fn save_page(&self, id: u64, page: &str, op: &str, fields: &[(&str, &str)]) -> Page {
        let path = format!("/production/drafts/{id}/{page}");
        let mut all = vec![("op", op)];
        all.extend_from_slice(fields);
        self.submit(&path, &path, &all).await
    }

    /// Uploads a file as the attachment `kind` of draft `id` through the upload form's own
    /// action URL, with a declared length as browsers send it.
    pub async fn upload(&self, id: u64, kind: &str, file_name: &str, bytes: &[u8]) -> Page {
        self.post_multipart(
            &format!("/production/drafts/{id}/attachments"),
            &format!("/production/drafts/{id}/upload?kind={kind}&"),
            &[],
            Some(("file", file_name, bytes)),
        )
        .await
    }

    /// POSTs a multipart form of the page `form_page` to the action URL that starts with
    /// `action_prefix`, exactly as the page wrote it with its CSRF token in the query string.
    /// The body has text `fields` and an optional file part (field name, file name, bytes).
    pub async fn post_multipart(
        &self,
        form_page: &str,
        action_prefix: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, &[u8])>,
    ) -> Page {
        let page = self.get(form_page).await;
        let action = page
            .attributes("form[enctype=\"multipart/form-data\"]", "action")
            .into_iter()
            .find(|action| action.starts_with(action_prefix))
            .unwrap_or_else(|| panic!("no upload form posting to {action_prefix} on {form_page}"));
        let boundary = "xukeTestBoundary7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        if let Some((name, file_name, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.post_declared(
            &action,
            &format!("multipart/form-data; boundary={boundary}"),
            body.len(),
            body,
        )
        .await
    }

    /// POSTs `body` with a declared `content_length` that need not match it, as a client
    /// that lies about its length would.
    pub async fn post_declared(
        &self,
        path: &str,
        content_type: &str,
        content_length: usize,
        body: Vec<u8>,
    ) -> Page {
        let response = self
            .client
            .post(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_LENGTH, content_length.to_string())
            .content_type(content_type)
            .body(body)
            .send()
            .await;
        self.read(response).await
    }

    /// Fills every page of draft `id` with valid values: one address per province in
    /// `provinces`, and `items` as (sub-item id, address number) pairs.
    pub async fn fill_draft(&self, id: u64, provinces: &[&str], items: &[(&str, &str)]) {
        // Keep the unit name the draft was prefilled with, as a person would.
        let prefilled = self.get(&format!("/production/drafts/{id}/unit")).await;
        let unit_name = prefilled.input_value("unit_name").unwrap_or_default();
        let mut unit_fields: Vec<(&str, &str)> = VALID_UNIT.to_vec();
        unit_fields[0] = ("unit_name", &unit_name);
        let unit = self.save_page(id, "unit", "next", &unit_fields).await;
        assert_eq!(
            unit.status,
            303,
            "unit page: {}",
            unit.text(".error-summary")
        );

        let mut address_fields: Vec<(String, String)> = Vec::new();
        for (index, province) in provinces.iter().enumerate() {
            let number = index + 1;
            address_fields.push((format!("address_{number}_province"), province.to_string()));
            address_fields.push((format!("address_{number}_city"), "某市".into()));
            address_fields.push((format!("address_{number}_district"), "某区".into()));
            address_fields.push((
                format!("address_{number}_street"),
                format!("工业路{number}号"),
            ));
        }
        let fields: Vec<(&str, &str)> = address_fields
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect();
        let addresses = self.save_page(id, "addresses", "next", &fields).await;
        assert_eq!(
            addresses.status,
            303,
            "addresses page: {}",
            addresses.text(".error-summary")
        );

        let address_names: Vec<String> = items
            .iter()
            .map(|(sub_item, _)| format!("address_for_{sub_item}"))
            .collect();
        let mut fields: Vec<(&str, &str)> = Vec::new();
        for ((sub_item, address), name) in items.iter().zip(&address_names) {
            fields.push(("sub_item", sub_item));
            fields.push((name.as_str(), address));
        }
        let chosen = self.save_page(id, "items", "next", &fields).await;
        assert_eq!(
            chosen.status,
            303,
            "items page: {}",
            chosen.text(".error-summary")
        );

        let quality = self.save_page(id, "quality", "next", VALID_QUALITY).await;
        assert_eq!(
            quality.status,
            303,
            "quality page: {}",
            quality.text(".error-summary")
        );
        let technical = self
            .save_page(
                id,
                "technical",
                "next",
                &[("welders", "12"), ("specialty_0", "5")],
            )
            .await;
        assert_eq!(technical.status, 303, "technical page");

        for kind in ["business_licence", "item_table"] {
            let uploaded = self.upload(id, kind, &format!("{kind}.pdf"), PDF).await;
            assert_eq!(
                uploaded.status,
                303,
                "upload {kind}: {}",
                uploaded.text(".field-message")
            );
        }
    }

    /// Takes a step on application `id` from its page, as staff or agency staff would:
    /// `path` is the form's action.
    pub async fn act(&self, id: u64, path: &str, fields: &[(&str, &str)]) -> Page {
        self.submit(&format!("/production/applications/{id}"), path, fields)
            .await
    }

    /// Accepts application `id` as authority staff, naming review agency `agency`.
    pub async fn accept(&self, id: u64, agency: u64) -> Page {
        let agency = agency.to_string();
        self.act(
            id,
            &format!("/staff/applications/{id}/accept"),
            &[("agency", agency.as_str())],
        )
        .await
    }

    /// Ticks the declaration and submits draft `id`.
    pub async fn submit_draft(&self, id: u64) -> Page {
        let review = format!("/production/drafts/{id}/review");
        self.submit(
            &review,
            &format!("/production/drafts/{id}/submit"),
            &[("declaration", "1")],
        )
        .await
    }

    /// Files a complete first application for `sub_items`, all at one address in
    /// `province`; returns the response to 提交.
    pub async fn apply(&self, sub_items: &[&str], province: &str) -> Page {
        let id = self.start_first().await;
        let items: Vec<(&str, &str)> = sub_items.iter().map(|sub_item| (*sub_item, "1")).collect();
        self.fill_draft(id, &[province], &items).await;
        self.submit_draft(id).await
    }
}

/// A minimal PDF: the type is decided by its first bytes.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

pub const VALID_UNIT: &[(&str, &str)] = &[
    ("unit_name", "江苏某某压力容器制造有限公司"),
    ("domicile", "南京市建邺区江东中路1号"),
    ("office_address", "南京市建邺区江东中路1号"),
    ("postcode", "210000"),
    ("legal_representative", "李法人"),
    ("contact_name", "王联系"),
    ("phone", "025-12345678"),
    ("mobile", "13812345678"),
    ("email", "contact@example.com"),
    ("fixed_assets", "1200.5"),
    ("registered_capital", "5000"),
    ("staff_total", "120"),
    ("technical_staff", "30"),
];

pub const VALID_QUALITY: &[(&str, &str)] = &[
    ("engineer_name", "赵质保"),
    ("engineer_post", "质量保证工程师"),
    ("engineer_title", "高级工程师"),
    ("responsible_0_name", "钱设计"),
    ("responsible_0_title", "工程师"),
];

/// Returns the draft id in a redirect to `/production/drafts/{id}/{page}`.
pub fn draft_id(location: &str) -> u64 {
    location
        .split('/')
        .nth(3)
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no draft id in {location}"))
}

/// Returns the id at the end of a redirect to `/production/applications/{id}`.
pub fn application_id(location: &str) -> u64 {
    location
        .rsplit('/')
        .next()
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("no application id in {location}"))
}
