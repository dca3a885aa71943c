//! 特种设备检验、检测人员资格认定: the individual's application and list, and the authority's
//! processing to a certificate.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use maud::Markup;
use poem::{
    handler,
    http::{header, StatusCode},
    session::Session,
    web::{Data, Multipart, Path, Redirect},
    IntoResponse, Response,
};

use crate::domain::attachment::FileType;
use crate::domain::authority::SAMR;
use crate::domain::catalogue::ApprovalScope;
use crate::domain::contact::validate_mobile;
use crate::domain::eligibility::{self, Category, HeldCertificate};
use crate::domain::personnel::PersonnelItem;
use crate::domain::personnel_application::{PersonnelStatus, Subject};
use crate::domain::time::china_date;
use crate::domain::{CreditCode, Role};
use crate::store::{
    Account, Defect, HeldRecord, NewPersonnelApplication, PersonnelActionError,
    PersonnelApplication, PersonnelCommand, PersonnelForm,
};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{FieldErrors, FormPairs};
use crate::web::views::personnel::{self as view, DetailView, FormView, HELD_ROWS};
use crate::web::{AppError, AppState};

/// Largest photo accepted.
const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// Working days to decide on acceptance, and to issue the certificate after the scores.
const ACCEPTANCE_DAYS: u32 = 5;
const CERTIFICATE_DAYS: u32 = 20;

impl From<PersonnelActionError> for AppError {
    fn from(error: PersonnelActionError) -> Self {
        match error {
            PersonnelActionError::NotFound(_) => AppError::NotFound,
            PersonnelActionError::Rule(rule) => AppError::Conflict(rule.to_string()),
            PersonnelActionError::Store(store) => store.into(),
        }
    }
}

/// Finds the item and level named by the query (`item=RT|II`, or `item=RT&level=II`).
fn chosen_item<'a>(state: &'a AppState, pairs: &FormPairs) -> Option<(&'a PersonnelItem, String)> {
    let item = pairs.get("item");
    let (code, level) = match item.split_once('|') {
        Some((code, level)) => (code.to_string(), level.to_string()),
        None => (item, pairs.get("level")),
    };
    let found = state.personnel_items.get(&code)?;
    let valid_level = if found.levels.is_empty() {
        level.is_empty()
    } else {
        found.levels.contains(&level)
    };
    valid_level.then_some((found, level))
}

#[handler]
pub async fn choose(viewer: Viewer, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    viewer.with_role(Role::Individual)?;
    Ok(view::choose(
        &viewer.chrome(),
        &state.personnel_items,
        &FieldErrors::default(),
    ))
}

/// Returns the 提交机构 as the form shows it before submission.
fn authority_text(state: &AppState, item: &PersonnelItem, level: &str, employer: &str) -> String {
    match item.scope(level) {
        Some(ApprovalScope::Samr) => state.authorities.name_of(SAMR),
        _ => match CreditCode::parse(employer) {
            Ok(code) => state.authorities.name_of(code.province_code()),
            Err(_) => {
                "工作单位所在省的市场监督管理部门（按工作单位统一社会信用代码确定）".to_string()
            }
        },
    }
}

fn prefill(account: &Account) -> FormPairs {
    let person = account.person.as_ref();
    FormPairs(vec![
        ("name".into(), account.display_name.clone()),
        (
            "sex".into(),
            person.map(|p| p.sex.clone()).unwrap_or_default(),
        ),
        (
            "birth_date".into(),
            person.map(|p| p.birth_date.to_string()).unwrap_or_default(),
        ),
        ("mobile".into(), account.mobile.clone()),
    ])
}

#[handler]
pub async fn form_page(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Individual)?;
    let Some((item, level)) = chosen_item(&state, &pairs) else {
        let mut errors = FieldErrors::default();
        errors.add("item", "请选择人员类型和申请项目");
        return Ok(
            view::choose(&viewer.chrome(), &state.personnel_items, &errors)
                .with_status(StatusCode::UNPROCESSABLE_ENTITY)
                .into_response(),
        );
    };
    let values = prefill(account);
    let authority = authority_text(&state, item, &level, "");
    Ok(view::application_form(
        &viewer.chrome(),
        &FormView {
            personnel_type: item.personnel_type.label(),
            code: &item.code,
            level: &level,
            item_name: &item.name,
            authority: &authority,
            values: &values,
            errors: &FieldErrors::default(),
            action: "/personnel/apply/form".into(),
            button: "提交",
        },
    )
    .into_response())
}

/// Renders the 提交机构 for htmx as the applicant types the employer's credit code.
#[handler]
pub async fn derived_authority(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    viewer.with_role(Role::Individual)?;
    let (item, level) = chosen_item(&state, &pairs).ok_or(AppError::NotFound)?;
    let text = authority_text(&state, item, &level, &pairs.get("employer_credit_code"));
    Ok(view::authority_cell(&text)
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

/// Reads a multipart form: its text fields and the photo, if one was chosen.
async fn read_multipart(
    mut multipart: Multipart,
) -> Result<(FormPairs, Option<Vec<u8>>), AppError> {
    let mut pairs = FormPairs::default();
    let mut photo = None;
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?
    {
        let name = part.name().unwrap_or("").to_string();
        let bytes = part
            .bytes()
            .await
            .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?;
        if name == "photo" {
            if !bytes.is_empty() {
                photo = Some(bytes);
            }
        } else {
            let text = String::from_utf8_lossy(&bytes).chars().take(2000).collect();
            pairs.0.push((name, text));
        }
    }
    Ok((pairs, photo))
}

/// Checks the form and the rules of the qualification; returns the form, category and
/// authority, or the messages.
fn check_form(
    state: &AppState,
    account: &Account,
    item: &PersonnelItem,
    level: &str,
    pairs: &FormPairs,
    open_items: &[String],
    errors: &mut FieldErrors,
) -> Option<(PersonnelForm, Category, u8)> {
    let today = china_date(Utc::now());
    let category = Category::from_slug(&pairs.get("category"));
    if category.is_none() {
        errors.add("category", "请选择申请类别");
    }
    let person = account.person.as_ref();
    let mut form = PersonnelForm {
        name: account.display_name.clone(),
        sex: person.map(|p| p.sex.clone()).unwrap_or_default(),
        birth_date: person.map(|p| p.birth_date),
        document_number: person
            .map(|p| p.document_number.clone())
            .unwrap_or_default(),
        education: pairs.get("education"),
        major: pairs.get("major"),
        title: pairs.get("title"),
        years_of_work: pairs.get("years_of_work"),
        employer_name: pairs.get("employer_name"),
        employer_credit_code: pairs.get("employer_credit_code"),
        mailing_address: pairs.get("mailing_address"),
        mobile: pairs.get("mobile"),
        held: Vec::new(),
        in_work: pairs.get("in_work") == "1",
        no_violations: pairs.get("no_violations") == "1",
    };
    if form.title.chars().count() > 50 {
        errors.add("title", "职称不能超过50个字");
    }
    for (field, label, max) in [
        ("education", "学历", 20),
        ("major", "所学专业", 50),
        ("employer_name", "工作单位名称", 100),
        ("mailing_address", "通讯地址", 200),
    ] {
        crate::web::forms::require(errors, field, label, &pairs.get(field), max);
    }
    if form
        .years_of_work
        .parse::<u8>()
        .map_or(true, |years| years > 50)
    {
        errors.add("years_of_work", "从事相关工作年限应为0至50的整数");
    }
    match validate_mobile(&form.mobile) {
        Ok(mobile) => form.mobile = mobile,
        Err(message) => errors.add("mobile", message),
    }
    let employer = CreditCode::parse(&form.employer_credit_code)
        .map_err(|error| errors.add("employer_credit_code", error.to_string()))
        .ok();
    if let Some(code) = &employer {
        form.employer_credit_code = code.to_string();
    }
    for index in 0..HELD_ROWS {
        let field = |suffix: &str| format!("held_{index}_{suffix}");
        let code = pairs.get(&field("code")).to_uppercase();
        if code.is_empty() {
            continue;
        }
        let first = NaiveDate::parse_from_str(&pairs.get(&field("first")), "%Y-%m-%d").ok();
        let expires = NaiveDate::parse_from_str(&pairs.get(&field("expires")), "%Y-%m-%d").ok();
        if first.is_none() {
            errors.add(field("first"), "请按“2020-06-30”的格式填写首次取证日期");
        }
        if expires.is_none() {
            errors.add(field("expires"), "请按“2025-06-30”的格式填写有效期");
        }
        let held_level = pairs.get(&field("level")).to_uppercase();
        let known = state.personnel_items.get(&code).is_some_and(|held_item| {
            if held_item.levels.is_empty() {
                held_level.is_empty()
            } else {
                held_item.levels.contains(&held_level)
            }
        });
        if !known {
            errors.add(
                field("code"),
                format!("证书“{code}-{held_level}”不是有效的项目和级别，请核对"),
            );
        }
        if let (Some(first_issued), Some(expires_on)) = (first, expires) {
            if first_issued > today {
                errors.add(field("first"), "首次取证日期不能晚于今天");
            } else if expires_on <= first_issued {
                errors.add(field("expires"), "有效期应晚于首次取证日期");
            }
            form.held.push(HeldRecord {
                code,
                level: held_level,
                first_issued,
                expires_on,
            });
        }
    }
    if !form.in_work {
        errors.add(
            "in_work",
            "请确认未脱离检验、检测工作岗位6个月以上；不符合的不能申请",
        );
    }
    if !form.no_violations {
        errors.add("no_violations", "请确认声明内容");
    }

    let category = category?;
    let held: Vec<HeldCertificate> = form
        .held
        .iter()
        .map(|held| HeldCertificate {
            code: held.code.clone(),
            level: held.level.clone(),
            first_issued: held.first_issued,
            expires_on: held.expires_on,
        })
        .collect();
    let refusals = eligibility::check(&eligibility::Request {
        birth_date: form.birth_date?,
        today,
        category,
        code: &item.code,
        level,
        held: &held,
        open_items,
    });
    for (index, refusal) in refusals.into_iter().enumerate() {
        errors.add(format!("eligibility_{index}"), refusal);
    }

    let authority = match item.scope(level) {
        Some(ApprovalScope::Samr) => SAMR,
        _ => {
            let province = employer?.province_code();
            if state.authorities.get(province).is_none() || province == SAMR {
                errors.add(
                    "employer_credit_code",
                    "无法从工作单位统一社会信用代码确定所在省份，请核对",
                );
                return None;
            }
            province
        }
    };
    errors.is_empty().then_some((form, category, authority))
}

fn check_photo(
    photo: Option<Vec<u8>>,
    required: bool,
    errors: &mut FieldErrors,
) -> Option<(FileType, Vec<u8>)> {
    let Some(bytes) = photo else {
        if required {
            errors.add("photo", "请上传一寸免冠照片（JPEG或PNG）");
        }
        return None;
    };
    if bytes.len() > MAX_PHOTO_BYTES {
        errors.add("photo", "照片超过2MB，请压缩后重新上传");
        return None;
    }
    match FileType::detect(&bytes) {
        Some(file_type @ (FileType::Jpeg | FileType::Png)) => Some((file_type, bytes)),
        _ => {
            errors.add("photo", "照片应为JPEG或PNG图片，请重新选择");
            None
        }
    }
}

/// Returns the number of a valid certificate this system issued to `account` for the item.
async fn certificate_held(
    state: &AppState,
    account: u64,
    code: &str,
    level: &str,
) -> Result<Option<String>, AppError> {
    let store = state.store.clone();
    let applications = blocking(move || store.personnel_applications_of(account)).await?;
    let today = china_date(Utc::now());
    Ok(applications
        .into_iter()
        .filter(|application| application.code == code && application.level == level)
        .filter_map(|application| application.certificate)
        .find(|issued| issued.expires_on >= today)
        .map(|issued| issued.number))
}

async fn open_items(
    state: &AppState,
    account: u64,
    except: Option<u64>,
) -> Result<Vec<String>, AppError> {
    let store = state.store.clone();
    let applications = blocking(move || store.personnel_applications_of(account)).await?;
    Ok(applications
        .iter()
        .filter(|application| application.status.is_open() && Some(application.id) != except)
        .map(PersonnelApplication::display_code)
        .collect())
}

#[handler]
pub async fn submit(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    query: poem::web::Query<std::collections::HashMap<String, String>>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Individual)?.clone();
    let item_pairs = FormPairs(query.0.into_iter().collect());
    let Some((item, level)) = chosen_item(&state, &item_pairs) else {
        return Err(AppError::BadRequest(
            "申请项目无效，请从“在线办理”重新选择".into(),
        ));
    };
    let (pairs, photo) = read_multipart(multipart).await?;
    let open = open_items(&state, account.id, None).await?;
    let mut errors = FieldErrors::default();
    let checked = check_form(&state, &account, item, &level, &pairs, &open, &mut errors);
    let photo = check_photo(photo, true, &mut errors);
    if pairs.get("category") == Category::Initial.slug() {
        if let Some(number) = certificate_held(&state, account.id, &item.code, &level).await? {
            errors.add(
                "category",
                format!("您已持有有效的该项目证书（{number}），请申请换证或变更，不能重复取证"),
            );
        }
    }
    let (Some((form, category, authority)), Some(photo), true) =
        (checked, photo, errors.is_empty())
    else {
        let mut values = prefill(&account);
        values.0.extend(pairs.0.iter().cloned());
        if errors.get("photo").is_none() {
            errors.add("photo", "为安全起见，重新提交时请再次选择照片");
        }
        let authority = authority_text(&state, item, &level, &pairs.get("employer_credit_code"));
        return Ok(view::application_form(
            &viewer.chrome(),
            &FormView {
                personnel_type: item.personnel_type.label(),
                code: &item.code,
                level: &level,
                item_name: &item.name,
                authority: &authority,
                values: &values,
                errors: &errors,
                action: "/personnel/apply/form".into(),
                button: "提交",
            },
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    };

    let new = NewPersonnelApplication {
        applicant_account: account.id,
        personnel_type: item.personnel_type.label().to_string(),
        code: item.code.clone(),
        level: level.clone(),
        item_name: item.name.clone(),
        category,
        authority,
        form,
        photo,
    };
    let store = state.store.clone();
    let actor = account.actor();
    let calendar = state.calendar.clone();
    let application = blocking(move || {
        let due = |status, today| due_date(&calendar, status, today);
        store.submit_personnel_application(new, &actor, Utc::now(), &due)
    })
    .await?;
    tracing::info!(application = application.id, authority, item = %application.display_code(), "personnel application submitted");
    set_notice(
        session,
        format!(
            "申请已提交，申请编号{}，提交机构：{}",
            application.number,
            state.authorities.name_of(authority)
        ),
    );
    Ok(Redirect::see_other(format!("/personnel/applications/{}", application.id)).into_response())
}

/// Returns whether every space-separated term occurs in the row's item name, code, status
/// or authority.
fn matches(application: &PersonnelApplication, authority: &str, query: &str) -> bool {
    let text = format!(
        "{} {} {} {} {} {}",
        application.item_name,
        application.display_code(),
        application.status.label(),
        authority,
        application.category.label(),
        application.personnel_type
    )
    .to_lowercase();
    query
        .split_whitespace()
        .all(|term| text.contains(&term.to_lowercase()))
}

#[handler]
pub async fn list(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Individual)?;
    let store = state.store.clone();
    let id = account.id;
    let applications = blocking(move || store.personnel_applications_of(id)).await?;
    let query: String = pairs.get("q").chars().take(100).collect();
    let rows: Vec<(usize, &PersonnelApplication, String)> = applications
        .iter()
        .map(|application| {
            (
                application,
                state.authorities.name_of(application.authority),
            )
        })
        .filter(|(application, authority)| matches(application, authority, &query))
        .enumerate()
        .map(|(index, (application, authority))| (index + 1, application, authority))
        .collect();
    let chrome = viewer.chrome();
    let markup = if viewer.htmx {
        view::list_results(&chrome, &rows)
    } else {
        view::list(&chrome, &query, &rows)
    };
    Ok(markup
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

/// Loads an application its applicant or the 提交机构's staff may see; anyone else gets
/// "not found".
async fn visible(
    state: &AppState,
    account: &Account,
    id: u64,
) -> Result<PersonnelApplication, AppError> {
    let store = state.store.clone();
    let application = blocking(move || store.personnel_application(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let allowed = match account.role {
        Role::Individual => application.applicant_account == account.id,
        Role::AuthorityStaff => account.authority == Some(application.authority),
        _ => false,
    };
    if allowed {
        Ok(application)
    } else {
        tracing::warn!(
            account = account.id,
            application = id,
            "refused to show another party's personnel application"
        );
        Err(AppError::NotFound)
    }
}

/// Returns the deadline a status starts on `today`: 5 working days to decide on acceptance, 20 to
/// issue the certificate once it is due.
fn due_date(
    calendar: &crate::domain::calendar::WorkingCalendar,
    status: PersonnelStatus,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let days = match status {
        PersonnelStatus::Submitted | PersonnelStatus::MaterialsReceived => ACCEPTANCE_DAYS,
        PersonnelStatus::ExamPassed | PersonnelStatus::Accepted => CERTIFICATE_DAYS,
        _ => return None,
    };
    Some(calendar.add_working_days(today, days).date)
}

fn deadline(state: &AppState, application: &PersonnelApplication) -> Option<String> {
    let (start, days, step) = match application.status {
        PersonnelStatus::Submitted | PersonnelStatus::MaterialsReceived => {
            (application.filed_at, ACCEPTANCE_DAYS, "受理")
        }
        PersonnelStatus::ExamPassed => (application.exam_results_at?, CERTIFICATE_DAYS, "发证"),
        PersonnelStatus::Accepted
            if !matches!(
                application.category,
                Category::Initial | Category::RenewalByExam
            ) =>
        {
            (application.accepted_at?, CERTIFICATE_DAYS, "发证")
        }
        _ => return None,
    };
    let due = state.calendar.add_working_days(china_date(start), days);
    Some(format!(
        "{}前{}{}",
        due.date,
        step,
        if due.unscheduled {
            "（未含节假日）"
        } else {
            ""
        }
    ))
}

#[handler]
pub async fn detail(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible(&state, account, id).await?;
    render_detail(&viewer, &state, &application, &FieldErrors::default()).await
}

async fn render_detail(
    viewer: &Viewer,
    state: &AppState,
    application: &PersonnelApplication,
    errors: &FieldErrors,
) -> Result<Markup, AppError> {
    let store = state.store.clone();
    let id = application.id;
    let events = blocking(move || store.events_of(id)).await?;
    let authority = state.authorities.name_of(application.authority);
    let staff = viewer
        .account
        .as_ref()
        .is_some_and(|account| account.role == Role::AuthorityStaff);
    Ok(view::detail(
        &viewer.chrome(),
        &DetailView {
            application,
            authority: &authority,
            events: &events,
            staff,
            deadline: deadline(state, application),
            errors,
        },
    ))
}

#[handler]
pub async fn photo_file(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    let application = visible(&state, account, id).await?;
    let store = state.store.clone();
    let bytes = blocking(move || store.personnel_photo(id))
        .await?
        .ok_or(AppError::NotFound)?;
    let mime = application
        .photo
        .map(FileType::mime)
        .unwrap_or("image/jpeg");
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(bytes))
}

async fn run(
    state: &AppState,
    account: &Account,
    id: u64,
    command: PersonnelCommand,
) -> Result<PersonnelApplication, AppError> {
    let store = state.store.clone();
    let actor = account.actor();
    let action = command.action();
    let calendar = state.calendar.clone();
    let result = blocking(move || {
        let due = |status, today| due_date(&calendar, status, today);
        store.act_on_personnel_application(id, command, &actor, Utc::now(), &due)
    })
    .await;
    match &result {
        Ok(application) => tracing::info!(
            application = id,
            account = account.id,
            action = action.label(),
            status = application.status.label(),
            "personnel application status changed"
        ),
        Err(error) => {
            tracing::info!(application = id, account = account.id, %error, "personnel action rejected")
        }
    }
    result
}

#[handler]
pub async fn withdraw(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
) -> Result<Redirect, AppError> {
    let account = viewer.with_role(Role::Individual)?.clone();
    visible(&state, &account, id).await?;
    let application = run(&state, &account, id, PersonnelCommand::Withdraw).await?;
    set_notice(session, format!("申请{}已撤销", application.number));
    Ok(Redirect::see_other("/personnel/applications"))
}

#[handler]
pub async fn resubmit_form(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.with_role(Role::Individual)?;
    let application = visible(&state, account, id).await?;
    let item = state
        .personnel_items
        .get(&application.code)
        .ok_or(AppError::NotFound)?;
    let form = &application.form;
    let mut values = prefill(account);
    values.0.extend([
        (
            "category".to_string(),
            application.category.slug().to_string(),
        ),
        ("education".into(), form.education.clone()),
        ("major".into(), form.major.clone()),
        ("title".into(), form.title.clone()),
        ("years_of_work".into(), form.years_of_work.clone()),
        ("employer_name".into(), form.employer_name.clone()),
        (
            "employer_credit_code".into(),
            form.employer_credit_code.clone(),
        ),
        ("mailing_address".into(), form.mailing_address.clone()),
        ("in_work".into(), "1".into()),
        ("no_violations".into(), "1".into()),
    ]);
    for (index, held) in form.held.iter().enumerate() {
        values
            .0
            .push((format!("held_{index}_code"), held.code.clone()));
        values
            .0
            .push((format!("held_{index}_level"), held.level.clone()));
        values
            .0
            .push((format!("held_{index}_first"), held.first_issued.to_string()));
        values
            .0
            .push((format!("held_{index}_expires"), held.expires_on.to_string()));
    }
    let authority = state.authorities.name_of(application.authority);
    Ok(view::application_form(
        &viewer.chrome(),
        &FormView {
            personnel_type: &application.personnel_type,
            code: &item.code,
            level: &application.level,
            item_name: &item.name,
            authority: &authority,
            values: &values,
            errors: &FieldErrors::default(),
            action: format!("/personnel/applications/{id}/resubmit"),
            button: "补正后重新提交",
        },
    ))
}

#[handler]
pub async fn resubmit(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Individual)?.clone();
    let application = visible(&state, &account, id).await?;
    let item = state
        .personnel_items
        .get(&application.code)
        .ok_or(AppError::NotFound)?;
    let (pairs, photo) = read_multipart(multipart).await?;
    let open = open_items(&state, account.id, Some(id)).await?;
    let mut errors = FieldErrors::default();
    let checked = check_form(
        &state,
        &account,
        item,
        &application.level,
        &pairs,
        &open,
        &mut errors,
    );
    let photo = check_photo(photo, false, &mut errors);
    match checked {
        Some((_, _, authority)) if authority != application.authority => errors.add(
            "employer_credit_code",
            "补正后提交机构不能改变；如工作单位已变更到其他省份，请撤销后重新申请",
        ),
        _ => {}
    }
    let Some((form, _, _)) = checked.filter(|_| errors.is_empty()) else {
        return Ok(render_detail(&viewer, &state, &application, &errors)
            .await?
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response());
    };
    let updated = run(
        &state,
        &account,
        id,
        PersonnelCommand::Resubmit {
            form: Box::new(form),
            photo,
        },
    )
    .await?;
    set_notice(session, format!("申请{}已重新提交", updated.number));
    Ok(Redirect::see_other(format!("/personnel/applications/{id}")).into_response())
}

#[handler]
pub async fn staff_queue(viewer: Viewer, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let account = viewer.with_role(Role::AuthorityStaff)?;
    let authority = account
        .authority
        .ok_or_else(|| AppError::internal("staff account without authority"))?;
    let store = state.store.clone();
    let applications = blocking(move || store.personnel_applications_for(authority)).await?;
    let rows: Vec<(&PersonnelApplication, String)> = applications
        .iter()
        .filter(|application| {
            !matches!(
                application.status,
                PersonnelStatus::Certified
                    | PersonnelStatus::Withdrawn
                    | PersonnelStatus::NotAccepted
                    | PersonnelStatus::ExamFailed
            )
        })
        .map(|application| {
            (
                application,
                deadline(&state, application).unwrap_or_default(),
            )
        })
        .collect();
    Ok(view::staff_queue(
        &viewer.chrome(),
        &state.authorities.name_of(authority),
        &rows,
    ))
}

#[handler]
pub async fn staff_step(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, step)): Path<(u64, String)>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AuthorityStaff)?.clone();
    let application = visible(&state, &account, id).await?;
    let mut errors = FieldErrors::default();
    let command = match step.as_str() {
        "receive" => Some(PersonnelCommand::ReceiveMaterials),
        "accept" => Some(PersonnelCommand::Accept),
        "exam" => Some(PersonnelCommand::ArrangeExam),
        "certify" => Some(PersonnelCommand::Certify),
        "correct" => {
            let defects: Vec<Defect> = pairs
                .get("defects")
                .split(['；', ';'])
                .map(str::trim)
                .filter(|text| !text.is_empty())
                .map(|text| Defect {
                    page: None,
                    text: text.chars().take(500).collect(),
                })
                .collect();
            if defects.is_empty() {
                errors.add("defects", "请填写需要补正的全部内容，以分号分隔");
            }
            Some(PersonnelCommand::RequestCorrection { defects })
        }
        "refuse" => {
            let reason = pairs.get("reason");
            if reason.chars().count() < 5 {
                errors.add("reason", "请写明不予受理的理由（不少于5个字）");
            }
            Some(PersonnelCommand::RefuseAcceptance {
                reason,
                explanation: String::new(),
            })
        }
        "score" => {
            let subject = match pairs.get("subject").as_str() {
                "theory" => Some(Subject::Theory),
                "practical" => Some(Subject::Practical),
                _ => None,
            };
            let score = pairs
                .get("score")
                .parse::<u8>()
                .ok()
                .filter(|score| *score <= 100);
            if subject.is_none() {
                errors.add("subject", "请选择考试科目");
            }
            if score.is_none() {
                errors.add("score", "成绩应为0至100的整数");
            }
            subject
                .zip(score)
                .map(|(subject, score)| PersonnelCommand::RecordScore { subject, score })
        }
        _ => return Err(AppError::NotFound),
    };
    let Some(command) = command.filter(|_| errors.is_empty()) else {
        return Ok(render_detail(&viewer, &state, &application, &errors)
            .await?
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response());
    };
    let updated = run(&state, &account, id, command).await?;
    set_notice(
        session,
        format!("已办理：当前状态“{}”", updated.status.label()),
    );
    Ok(Redirect::see_other(format!("/personnel/applications/{id}")).into_response())
}

#[handler]
pub async fn certificate(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible(&state, account, id).await?;
    if application.certificate.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(view::certificate(
        &viewer.chrome(),
        &application,
        &state.authorities.name_of(application.authority),
    ))
}

#[handler]
pub async fn acceptance_notice(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible(&state, account, id).await?;
    if application.acceptance_number.is_none() {
        return Err(AppError::NotFound);
    }
    let authority = state.authorities.name_of(application.authority);
    Ok(view::notice(
        &viewer.chrome(),
        &application,
        &authority,
        None,
    ))
}

#[handler]
pub async fn correction_notice(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path((id, index)): Path<(u64, usize)>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible(&state, account, id).await?;
    if index == 0 || index > application.corrections.len() {
        return Err(AppError::NotFound);
    }
    let authority = state.authorities.name_of(application.authority);
    Ok(view::notice(
        &viewer.chrome(),
        &application,
        &authority,
        Some(index - 1),
    ))
}
