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
use crate::domain::attachment::AttachmentKind;
use crate::domain::deadline::{current_clock, ClockStarts};
use crate::domain::time::china_date;
use crate::domain::{ApplicationStatus, Role};
use crate::store::{Account, Application, Command};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{FieldErrors, FormPairs};
use crate::web::views::applications::{self, DetailView, ListRow, RowAction};
use crate::web::views::date;
use crate::web::views::procedure::{self, ProcedureView};
use crate::web::{AppError, AppState};

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

/// Returns whether every space-separated term of `query` occurs in the row's number, kind,
/// sub-items, authority, status or unit.
fn matches_query(row: &ListRow, query: &str) -> bool {
    let haystack = format!(
        "{} {} {} {} {} {}",
        row.number,
        row.kind,
        row.sub_items,
        row.authority,
        row.status.label(),
        row.unit
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
    let clock = current_clock(
        application.status,
        &clock_starts(application),
        &state.calendar,
    );
    let (deadline, deadline_unscheduled) = match &clock {
        Some(clock) => (
            format!(
                "{}（{}{}）",
                clock.due.format("%Y-%m-%d"),
                clock.party.label(),
                clock.step
            ),
            clock.unscheduled,
        ),
        None => (String::new(), false),
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
        if application.status == ApplicationStatus::CorrectionRequested {
            actions.push(RowAction {
                label: "补齐补正",
                icon: "✎",
                href: format!("/production/applications/{id}#correction-panel"),
                post: false,
            });
        }
        if application.acceptance_number.is_some() {
            actions.push(RowAction {
                label: "受理决定书",
                icon: "📄",
                href: format!("/production/applications/{id}/acceptance-decision"),
                post: false,
            });
        }
        if application.status == ApplicationStatus::Accepted
            && !application.procedure.proposed_dates.is_empty()
        {
            actions.push(RowAction {
                label: "协商鉴定评审时间",
                icon: "📅",
                href: format!("/production/applications/{id}#date-panel"),
                post: false,
            });
        }
        if application.procedure.report_received_at.is_some()
            && application.procedure.feedback.is_none()
        {
            actions.push(RowAction {
                label: "评审反馈表",
                icon: "☑",
                href: format!("/production/applications/{id}#feedback-form"),
                post: false,
            });
        }
        if let Some(licence) = application.procedure.issued_licence {
            actions.push(RowAction {
                label: "许可证",
                icon: "🏅",
                href: format!("/licences/{licence}"),
                post: false,
            });
        }
        if matches!(
            application.status,
            ApplicationStatus::Submitted | ApplicationStatus::CorrectionRequested
        ) {
            actions.push(RowAction {
                label: "撤回",
                icon: "↩",
                href: format!("/production/applications/{id}/withdraw"),
                post: true,
            });
        }
    }

    ListRow {
        unit: format!(
            "{} {}",
            application.form.unit.unit_name, application.form.unit.credit_code
        ),
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
    Ok(
        render_detail(&viewer, &state, &application, &FieldErrors::default())
            .await?
            .into_response(),
    )
}

/// Renders the application page for the viewer's role, with `errors` on the form of a step
/// that failed.
pub async fn render_detail(
    viewer: &Viewer,
    state: &AppState,
    application: &Application,
    errors: &FieldErrors,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let store = state.store.clone();
    let id = application.id;
    let agency_id = application.procedure.agency;
    let for_staff = account.role == Role::AuthorityStaff;
    let snapshot = application.clone();
    let (events, attachments, agencies, agency, report) = blocking(move || {
        let events = store.events_of(id)?;
        let attachments = store.attachments_of(id)?;
        let agencies = if for_staff {
            store.agencies()?
        } else {
            Vec::new()
        };
        let agency = match agency_id {
            Some(agency) => store.agency(agency)?,
            None => None,
        };
        let report = store.review_report(&snapshot)?;
        Ok::<_, AppError>((events, attachments, agencies, agency, report))
    })
    .await?;
    let attachments: Vec<_> = attachments
        .into_iter()
        .filter(|file| file.kind != AttachmentKind::ReviewReport)
        .collect();

    let today = china_date(Utc::now());
    let clock = current_clock(
        application.status,
        &clock_starts(application),
        &state.calendar,
    );
    let back_link = match account.role {
        Role::AuthorityStaff => ("/staff/queue", "审批工作台"),
        Role::AgencyStaff => ("/agency/queue", "评审工作台"),
        Role::Enterprise | Role::Individual => ("/production/applications", "生产企业许可申请管理"),
    };
    let chrome = viewer.chrome();
    let procedure = ProcedureView {
        application,
        role: account.role,
        csrf_token: &chrome.csrf_token,
        agencies: &agencies,
        agency: agency.as_ref(),
        report: report.as_ref(),
        clock: clock.as_ref(),
        overdue: clock.as_ref().is_some_and(|clock| clock.is_overdue(today)),
        errors,
    };
    let view = DetailView {
        application,
        events: &events,
        attachments: &attachments,
        authorities: &state.authorities,
        can_withdraw: account.role == Role::Enterprise
            && matches!(
                application.status,
                ApplicationStatus::Submitted | ApplicationStatus::CorrectionRequested
            ),
        back_link,
        procedure: procedure::panels(&procedure),
    };
    Ok(applications::detail(&chrome, &view))
}

/// Returns the dates the statutory clocks of `application` start from.
pub fn clock_starts(application: &Application) -> ClockStarts {
    let procedure = &application.procedure;
    ClockStarts {
        filed_on: procedure
            .filed_at
            .or(application.submitted_at)
            .map(china_date),
        accepted_on: application.accepted_at.map(china_date),
        rectification_due: procedure
            .review
            .as_ref()
            .and_then(|review| review.rectification_due),
        report_received_on: procedure.report_received_at.map(china_date),
        boiler_installation: application.sub_items.iter().any(|item| item.id == "I03"),
    }
}

#[handler]
pub async fn correction_notice(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path((id, index)): Path<(u64, usize)>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    if index == 0 || index > application.procedure.corrections.len() {
        return Err(AppError::NotFound);
    }
    Ok(procedure::correction_notice(
        &viewer.chrome(),
        &application,
        index - 1,
        &state.authorities,
    ))
}

#[handler]
pub async fn refusal(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    if application.procedure.refusal.is_none() {
        return Err(AppError::NotFound);
    }
    Ok(procedure::refusal(
        &viewer.chrome(),
        &application,
        &state.authorities,
    ))
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
    let store = state.store.clone();
    let agency = match application.procedure.agency {
        Some(agency) => blocking(move || store.agency(agency)).await?,
        None => None,
    };
    Ok(applications::acceptance_decision(
        &viewer.chrome(),
        &application,
        agency.as_ref(),
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
        let withdrawn = store.act_on_application(id, Command::Withdraw, &actor, Utc::now())?;
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
