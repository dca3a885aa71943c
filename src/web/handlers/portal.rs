//! The portal: home page, registration, login and logout.

use std::sync::{Arc, OnceLock};

use chrono::Utc;
use maud::Markup;
use poem::{
    handler,
    http::StatusCode,
    session::Session,
    web::{Data, Redirect},
    IntoResponse, Response,
};

use crate::domain::application_form::looks_like_email;
use crate::domain::contact::validate_mobile;
use crate::domain::id_number::IdNumber;
use crate::domain::password::{validate_new_password, MAX_BYTES};
use crate::domain::time::{china, china_date};
use crate::domain::{CreditCode, Role};
use crate::store::{
    Account, CreateAccountError, DocumentType, LoginOutcome, NewAccount, PersonDetails,
};
use crate::web::auth::{set_notice, sign_in, sign_out, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{require, FieldErrors, FormPairs};
use crate::web::views::portal::{self, EnterpriseRegistration, PersonRegistration};
use crate::web::{AppError, AppState};

#[handler]
pub async fn home(viewer: Viewer) -> Markup {
    portal::home(&viewer.chrome())
}

#[handler]
pub async fn register_choice(viewer: Viewer) -> Markup {
    portal::register_choice(&viewer.chrome())
}

#[handler]
pub async fn register_enterprise_form(viewer: Viewer) -> Markup {
    portal::enterprise_registration(
        &viewer.chrome(),
        &EnterpriseRegistration::default(),
        &FieldErrors::default(),
    )
}

const DUPLICATE_CREDIT_CODE: &str =
    "该统一社会信用代码已注册，请直接登录；如忘记密码，请联系系统管理员重置";

#[handler]
pub async fn register_enterprise(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    form: FormPairs,
) -> Result<Response, AppError> {
    let values = EnterpriseRegistration {
        unit_name: form.get("unit_name"),
        credit_code: form.get("credit_code"),
        contact_name: form.get("contact_name"),
        mobile: form.get("mobile"),
    };
    let password = form.raw("password");
    let confirmation = form.raw("password_confirm");

    let mut errors = FieldErrors::default();
    require(&mut errors, "unit_name", "单位名称", &values.unit_name, 100);
    let credit_code = CreditCode::parse(&values.credit_code)
        .map_err(|error| errors.add("credit_code", error.to_string()))
        .ok();
    require(
        &mut errors,
        "contact_name",
        "联系人",
        &values.contact_name,
        50,
    );
    let mobile = validate_mobile(&values.mobile)
        .map_err(|message| errors.add("mobile", message))
        .ok();
    if let Err(message) = validate_new_password(&password) {
        errors.add("password", message);
    } else if confirmation != password {
        errors.add("password_confirm", "两次输入的密码不一致，请重新输入");
    }

    let invalid = |errors: &FieldErrors| {
        portal::enterprise_registration(&viewer.chrome(), &values, errors)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response()
    };
    let (Some(credit_code), Some(mobile), true) = (credit_code, mobile, errors.is_empty()) else {
        return Ok(invalid(&errors));
    };

    let store = state.store.clone();
    let login_name = credit_code.to_string();
    if blocking(move || store.account_by_login(&login_name))
        .await?
        .is_some()
    {
        errors.add("credit_code", DUPLICATE_CREDIT_CODE);
        return Ok(invalid(&errors));
    }

    let cost = state.config.bcrypt_cost;
    let password_hash = blocking(move || bcrypt::hash(password, cost))
        .await
        .map_err(|error| AppError::internal(format!("password hashing failed: {error}")))?;
    let new = NewAccount {
        role: Role::Enterprise,
        login: credit_code.to_string(),
        display_name: values.unit_name.clone(),
        password_hash,
        credit_code: Some(credit_code.to_string()),
        contact_name: values.contact_name.clone(),
        mobile,
        authority: None,
        agency: None,
        person: None,
    };
    let store = state.store.clone();
    let account =
        match blocking(move || Ok::<_, AppError>(store.create_account(new, Utc::now()))).await? {
            Ok(account) => account,
            Err(CreateAccountError::LoginTaken(_)) => {
                errors.add("credit_code", DUPLICATE_CREDIT_CODE);
                return Ok(invalid(&errors));
            }
            Err(error) => return Err(error.into()),
        };

    tracing::info!(account = account.id, "enterprise registered");
    sign_in(session, &account);
    set_notice(session, "注册成功，欢迎使用特种设备行政许可系统");
    Ok(Redirect::see_other("/hall").into_response())
}

#[handler]
pub async fn register_person_form(viewer: Viewer) -> Markup {
    portal::person_registration(
        &viewer.chrome(),
        &PersonRegistration::default(),
        &FieldErrors::default(),
    )
}

const DUPLICATE_DOCUMENT: &str = "该证件号码已注册，请直接登录；如忘记密码，请联系系统管理员重置";

/// 个人注册: the identity comes from the identity card number, or is typed for a passport.
#[handler]
pub async fn register_person(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    form: FormPairs,
) -> Result<Response, AppError> {
    let values = PersonRegistration {
        name: form.get("name"),
        document_type: form.get("document_type"),
        document_number: form.get("document_number"),
        sex: form.get("sex"),
        birth_date: form.get("birth_date"),
        mobile: form.get("mobile"),
        email: form.get("email"),
    };
    let password = form.raw("password");
    let confirmation = form.raw("password_confirm");
    let today = china_date(Utc::now());

    let mut errors = FieldErrors::default();
    require(&mut errors, "name", "姓名", &values.name, 50);
    let person = read_identity(&values, today, &mut errors);
    let mobile = validate_mobile(&values.mobile)
        .map_err(|message| errors.add("mobile", message))
        .ok();
    if !looks_like_email(&values.email) {
        errors.add("email", "请填写正确的电子邮箱，例如 name@example.com");
    }
    if let Err(message) = validate_new_password(&password) {
        errors.add("password", message);
    } else if confirmation != password {
        errors.add("password_confirm", "两次输入的密码不一致，请重新输入");
    }

    let invalid = |errors: &FieldErrors| {
        portal::person_registration(&viewer.chrome(), &values, errors)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response()
    };
    let (Some(mut person), Some(mobile), true) = (person, mobile, errors.is_empty()) else {
        return Ok(invalid(&errors));
    };
    person.email = values.email.clone();

    let cost = state.config.bcrypt_cost;
    let password_hash = blocking(move || bcrypt::hash(password, cost)).await?;
    let new = NewAccount {
        role: Role::Individual,
        login: person.document_number.clone(),
        display_name: values.name.clone(),
        password_hash,
        credit_code: None,
        contact_name: values.name.clone(),
        mobile,
        authority: None,
        agency: None,
        person: Some(person),
    };
    let store = state.store.clone();
    let account =
        match blocking(move || Ok::<_, AppError>(store.create_account(new, Utc::now()))).await? {
            Ok(account) => account,
            Err(CreateAccountError::LoginTaken(_)) => {
                errors.add("document_number", DUPLICATE_DOCUMENT);
                return Ok(invalid(&errors));
            }
            Err(error) => return Err(error.into()),
        };
    tracing::info!(account = account.id, "individual registered");
    sign_in(session, &account);
    set_notice(session, "注册成功，欢迎使用特种设备行政许可系统");
    Ok(Redirect::see_other("/hall").into_response())
}

/// Reads the document: an identity card number gives the sex and birth date; a passport
/// needs them typed.
fn read_identity(
    values: &PersonRegistration,
    today: chrono::NaiveDate,
    errors: &mut FieldErrors,
) -> Option<PersonDetails> {
    if values.document_type == "passport" {
        let number = crate::domain::credit_code::normalise(&values.document_number);
        let valid =
            (5..=20).contains(&number.len()) && number.chars().all(|c| c.is_ascii_alphanumeric());
        if !valid {
            errors.add(
                "document_number",
                "护照号码应为5至20位字母或数字，请对照护照核对",
            );
        }
        let sex = values.sex.clone();
        if sex != "男" && sex != "女" {
            errors.add("sex", "持护照注册的，请选择性别");
        }
        let birth_date = chrono::NaiveDate::parse_from_str(&values.birth_date, "%Y-%m-%d")
            .ok()
            .filter(|date| *date < today);
        if birth_date.is_none() {
            errors.add(
                "birth_date",
                "持护照注册的，请按“1985-06-30”的格式填写出生日期",
            );
        }
        return Some(PersonDetails {
            document_type: DocumentType::Passport,
            document_number: number,
            sex,
            birth_date: birth_date?,
            email: String::new(),
        })
        .filter(|_| valid);
    }
    match IdNumber::parse(&values.document_number, today) {
        Ok(number) => Some(PersonDetails {
            document_type: DocumentType::IdCard,
            document_number: number.as_str().to_string(),
            sex: number.sex().label().to_string(),
            birth_date: number.birth_date(),
            email: String::new(),
        }),
        Err(error) => {
            errors.add("document_number", error.to_string());
            None
        }
    }
}

impl From<bcrypt::BcryptError> for AppError {
    fn from(error: bcrypt::BcryptError) -> Self {
        AppError::internal(format!("bcrypt: {error}"))
    }
}

#[handler]
pub async fn login_form(viewer: Viewer) -> Response {
    if let Some(account) = &viewer.account {
        return Redirect::see_other(start_page(account)).into_response();
    }
    portal::login(&viewer.chrome(), "", &FieldErrors::default()).into_response()
}

const WRONG_CREDENTIALS: &str = "用户名或密码不正确，请重新输入；连续输错5次，账号将被锁定15分钟";

#[handler]
pub async fn login(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    form: FormPairs,
) -> Result<Response, AppError> {
    let login_name = form.get("login");
    let password = form.raw("password");

    let mut errors = FieldErrors::default();
    if login_name.is_empty() {
        errors.add("login", "请填写用户名");
    }
    if password.is_empty() {
        errors.add("password", "请填写密码");
    }
    let rejected = |errors: &FieldErrors| {
        portal::login(&viewer.chrome(), &login_name, errors)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response()
    };
    if !errors.is_empty() || password.len() > MAX_BYTES {
        errors.add("password", WRONG_CREDENTIALS);
        return Ok(rejected(&errors));
    }

    let store = state.store.clone();
    let name = login_name.clone();
    let account = blocking(move || store.account_by_login(&name)).await?;
    let now = Utc::now();
    let Some(account) = account else {
        // Spend the same time as a real check, so response times do not reveal which
        // login names exist.
        let dummy = dummy_hash(state.config.bcrypt_cost).to_string();
        blocking(move || bcrypt::verify(password, &dummy)).await?;
        tracing::info!("login failed: unknown login name");
        errors.add("password", WRONG_CREDENTIALS);
        return Ok(rejected(&errors));
    };
    let store = state.store.clone();
    let id = account.id;
    let attempt = blocking(move || store.begin_login_attempt(id, now)).await?;
    if let LoginOutcome::Locked(until) = attempt {
        // Spend the time of a real check here too.
        let dummy = dummy_hash(state.config.bcrypt_cost).to_string();
        blocking(move || bcrypt::verify(password, &dummy)).await?;
        tracing::info!(account = id, "login refused: account locked");
        errors.add("password", locked_message(until));
        return Ok(rejected(&errors));
    }

    let hash = account.password_hash.clone();
    if !blocking(move || bcrypt::verify(password, &hash)).await? {
        let store = state.store.clone();
        let lock = blocking(move || store.lock_after_failure(id, now)).await?;
        tracing::info!(
            account = id,
            locked = lock.is_some(),
            "login failed: wrong password"
        );
        let message = match lock {
            Some(until) => locked_message(until),
            None => WRONG_CREDENTIALS.to_string(),
        };
        errors.add("password", message);
        return Ok(rejected(&errors));
    }

    let store = state.store.clone();
    let id = account.id;
    blocking(move || store.record_successful_login(id)).await?;
    sign_in(session, &account);
    tracing::info!(account = account.id, role = ?account.role, "login succeeded");
    Ok(Redirect::see_other(start_page(&account)).into_response())
}

fn locked_message(until: chrono::DateTime<Utc>) -> String {
    format!(
        "密码连续输错次数过多，账号已锁定，请于{}后再试",
        until.with_timezone(&china()).format("%H:%M")
    )
}

/// Returns a bcrypt hash of a random password, to verify against when the login is unknown.
fn dummy_hash(cost: u32) -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| bcrypt::hash(rand::random::<u64>().to_string(), cost).unwrap_or_default())
}

/// Returns the page an account lands on after login.
fn start_page(account: &Account) -> &'static str {
    match account.role {
        Role::Enterprise | Role::Individual => "/hall",
        Role::AuthorityStaff => "/staff/queue",
        Role::AgencyStaff => "/agency/queue",
    }
}

#[handler]
pub async fn logout(viewer: Viewer, session: &Session) -> Redirect {
    if let Some(account) = &viewer.account {
        tracing::info!(account = account.id, "logged out");
    }
    sign_out(session);
    Redirect::see_other("/")
}
