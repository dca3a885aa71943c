//! The applicant's management list and the pages both sides of an application may open.

use std::sync::Arc;

use chrono::Utc;
use maud::Markup;
use poem::{
    handler,
    http::header,
    session::Session,
    web::{Data, Path, Redirect},
    IntoResponse, Response,
};

use crate::domain::application::may_view;
use crate::domain::time::china_date;
use crate::domain::{Action, ApplicationStatus, Role};
use crate::store::{Account, Application};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::FormPairs;
use crate::web::views::applications::{self, DetailView, ListRow, RowAction};
use crate::web::views::date;
use crate::web::{AppError, AppState};

/// Working days the authority has to accept, correct or refuse a filed application.
const ACCEPTANCE_LIMIT_WORKING_DAYS: u32 = 5;

#[handler]
pub async fn list(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let store = state.store.clone();
    let id = account.id;
    let applications = blocking(move || store.applications_of_applicant(id)).await?;
    let query: String = form.get("q").chars().take(100).collect();

    let rows: Vec<ListRow> = applications
        .iter()
        .map(|application| list_row(&state, application))
        .filter(|row| matches_query(row, &query))
        .collect();
    let chrome = viewer.chrome();
    let markup = if viewer.htmx {
        applications::list_results(&chrome, &query, &rows)
    } else {
        applications::list(&chrome, &query, &rows)
    };
    Ok(markup
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

/// Whether every space-separated term of `query` occurs in the row's number, kind,
/// sub-items, authority or status.
fn matches_query(row: &ListRow, query: &str) -> bool {
    let haystack = format!(
        "{} {} {} {} {}",
        row.number,
        row.kind,
        row.sub_items,
        row.authority,
        row.status.label()
    )
    .to_lowercase();
    query
        .split_whitespace()
        .all(|term| haystack.contains(&term.to_lowercase()))
}

fn list_row(state: &AppState, application: &Application) -> ListRow {
    let id = application.id;
    let draft = application.status == ApplicationStatus::Draft;
    let sub_items = if draft {
        application
            .form
            .sub_items(&state.catalogue)
            .iter()
            .map(|sub_item| sub_item.label())
            .collect::<Vec<_>>()
            .join("；")
    } else {
        application.sub_items_label()
    };
    let authority = match application.authority {
        Some(code) => state.authorities.name_of(code),
        None => application
            .form
            .authority(&state.catalogue, &state.authorities)
            .map(|authority| authority.name.clone())
            .unwrap_or_default(),
    };
    let (deadline, deadline_unscheduled) = match (application.status, application.submitted_at) {
        (ApplicationStatus::Submitted, Some(submitted_at)) => {
            let due = state
                .calendar
                .add_working_days(china_date(submitted_at), ACCEPTANCE_LIMIT_WORKING_DAYS);
            (
                format!("{}（审批机关受理）", due.date.format("%Y-%m-%d")),
                due.unscheduled,
            )
        }
        _ => (String::new(), false),
    };

    let mut actions = Vec::new();
    if draft {
        let page = if application.current_page.is_empty() {
            "unit"
        } else {
            application.current_page.as_str()
        };
        actions.push(RowAction {
            label: "继续填写",
            icon: "✎",
            href: format!("/production/drafts/{id}/{page}"),
            post: false,
        });
        actions.push(RowAction {
            label: "删除",
            icon: "✕",
            href: format!("/production/drafts/{id}/delete"),
            post: true,
        });
    } else {
        actions.push(RowAction {
            label: "查看",
            icon: "👁",
            href: format!("/production/applications/{id}"),
            post: false,
        });
        actions.push(RowAction {
            label: "申请进度查询",
            icon: "⏱",
            href: format!("/production/applications/{id}/progress"),
            post: false,
        });
        if application.acceptance_number.is_some() {
            actions.push(RowAction {
                label: "受理决定书",
                icon: "📄",
                href: format!("/production/applications/{id}/acceptance-decision"),
                post: false,
            });
        }
        if application.status == ApplicationStatus::Submitted {
            actions.push(RowAction {
                label: "撤回",
                icon: "↩",
                href: format!("/production/applications/{id}/withdraw"),
                post: true,
            });
        }
    }

    ListRow {
        number: application.number_label().to_string(),
        kind: application.kind.label(),
        sub_items,
        authority,
        status: application.status,
        submitted: application.submitted_at.map(date).unwrap_or_default(),
        accepted: application.accepted_at.map(date).unwrap_or_default(),
        deadline,
        deadline_unscheduled,
        actions,
    }
}

/// Loads an application the viewer may see. Anyone else gets "not found", so that ids of
/// other units' applications reveal nothing.
pub async fn visible_application(
    state: &AppState,
    account: &Account,
    id: u64,
) -> Result<Application, AppError> {
    let store = state.store.clone();
    let application = blocking(move || store.application(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if may_view(&account.actor(), &application.parties(), application.status) {
        Ok(application)
    } else {
        tracing::warn!(
            account = account.id,
            application = id,
            "refused to show another party's application"
        );
        Err(AppError::NotFound)
    }
}

#[handler]
pub async fn detail(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    if application.status == ApplicationStatus::Draft {
        return Ok(Redirect::see_other(format!("/production/drafts/{id}/review")).into_response());
    }
    let store = state.store.clone();
    let (events, attachments) =
        blocking(move || Ok::<_, AppError>((store.events_of(id)?, store.attachments_of(id)?)))
            .await?;
    let staff = account.role == Role::AuthorityStaff;
    let view = DetailView {
        application: &application,
        events: &events,
        attachments: &attachments,
        authorities: &state.authorities,
        can_accept: staff && application.status == ApplicationStatus::Submitted,
        can_withdraw: !staff && application.status == ApplicationStatus::Submitted,
        back_link: if staff {
            ("/staff/queue", "审批工作台")
        } else {
            ("/production/applications", "生产企业许可申请管理")
        },
    };
    Ok(applications::detail(&viewer.chrome(), &view).into_response())
}

/// 申请进度查询: every event with its date and the role that acted.
#[handler]
pub async fn progress(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    let store = state.store.clone();
    let events = blocking(move || store.events_of(id)).await?;
    Ok(applications::progress(
        &viewer.chrome(),
        &application,
        &events,
    ))
}

#[handler]
pub async fn acceptance_decision(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    if application.acceptance_number.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(applications::acceptance_decision(
        &viewer.chrome(),
        &application,
        &state.authorities,
    ))
}

/// 撤回: the applicant withdraws an application the authority has not accepted yet.
#[handler]
pub async fn withdraw(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
) -> Result<Redirect, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    visible_application(&state, &account, id).await?;
    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    let withdrawn = blocking(move || {
        let withdrawn = store.act_on_application(id, Action::Withdraw, &actor, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(withdrawn)
    })
    .await
    .inspect_err(|error| tracing::info!(application = id, %error, "withdrawal rejected"))?;
    tracing::info!(
        application = id,
        account = account.id,
        "application withdrawn"
    );
    set_notice(session, format!("申请{}已撤回", withdrawn.number_label()));
    Ok(Redirect::see_other("/production/applications"))
}

/// Sends an attachment to its applicant or to staff of the authority handling it.
#[handler]
pub async fn download(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(attachment_id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    let store = state.store.clone();
    let meta = blocking(move || store.attachment(attachment_id))
        .await?
        .ok_or(AppError::NotFound)?;
    visible_application(&state, account, meta.application_id).await?;
    let store = state.store.clone();
    let bytes = blocking(move || store.attachment_bytes(attachment_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let disposition = format!(
        "attachment; filename=\"attachment-{attachment_id}\"; filename*=UTF-8''{}",
        percent_encode(&meta.file_name)
    );
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, meta.file_type.mime())
        .header(header::CONTENT_DISPOSITION, disposition)
        .header(header::CACHE_CONTROL, "private, no-store")
        .body(bytes))
}

/// Percent-encodes a file name for the RFC 5987 `filename*` parameter.
fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
