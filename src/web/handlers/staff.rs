//! The workbenches: the authority staff's queue with its deadlines and search, and the
//! review agency's list.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use poem::{handler, http::header, web::Data, IntoResponse, Response};

use super::applications::clock_starts;
use crate::domain::deadline::current_clock;
use crate::domain::time::china_date;
use crate::domain::{ApplicationStatus, Role};
use crate::search::SearchQuery;
use crate::store::Application;
use crate::web::auth::Viewer;
use crate::web::blocking::blocking;
use crate::web::forms::FormPairs;
use crate::web::views::date_time;
use crate::web::views::staff::{self, QueueRow, QueueSection, QueueView};
use crate::web::{AppError, AppState};

/// Most applications a search shows.
const SEARCH_LIMIT: usize = 200;

fn row(state: &AppState, application: &Application, today: NaiveDate) -> QueueRow {
    let clock = current_clock(
        application.status,
        &clock_starts(application),
        &state.calendar,
    );
    let mut notes = Vec::new();
    if application.status == ApplicationStatus::Submitted
        && !application.procedure.corrections.is_empty()
    {
        notes.push("补正后重新提交".to_string());
    }
    if let Some(feedback) = application
        .procedure
        .feedback
        .as_ref()
        .filter(|f| f.is_low())
    {
        notes.push(format!(
            "评审反馈需跟进：{}",
            crate::store::SATISFACTION
                .get(usize::from(feedback.overall.saturating_sub(1)))
                .unwrap_or(&"")
        ));
    }
    if clock.as_ref().is_some_and(|clock| clock.unscheduled) {
        notes.push("时限所在年度节假日安排未录入".to_string());
    }
    QueueRow {
        id: application.id,
        number: application.number_label().to_string(),
        kind: application.kind.label(),
        unit_name: application.form.unit.unit_name.clone(),
        credit_code: application.form.unit.credit_code.clone(),
        sub_items: application.sub_items_label(),
        status: application.status.label(),
        submitted: application.submitted_at.map(date_time).unwrap_or_default(),
        due: clock
            .as_ref()
            .map(|clock| {
                format!(
                    "{}（{}{}）",
                    clock.due.format("%Y-%m-%d"),
                    clock.party.label(),
                    clock.step
                )
            })
            .unwrap_or_default(),
        overdue: clock.as_ref().is_some_and(|clock| clock.is_overdue(today)),
        note: notes.join("；"),
    }
}

/// Rows of `applications` in `statuses`, the earliest deadline first.
fn section_rows(
    state: &AppState,
    applications: &[Application],
    today: NaiveDate,
    keep: impl Fn(&Application) -> bool,
) -> Vec<QueueRow> {
    let mut rows: Vec<QueueRow> = applications
        .iter()
        .filter(|application| keep(application))
        .map(|application| row(state, application, today))
        .collect();
    rows.sort_by(|a, b| a.due.cmp(&b.due));
    rows
}

/// Renders a workbench: only its tables for htmx, the whole page otherwise.
fn render(viewer: &Viewer, view: &QueueView<'_>) -> Response {
    let markup = if viewer.htmx {
        staff::results(view)
    } else {
        staff::queue(&viewer.chrome(), view)
    };
    markup
        .with_header(header::VARY, "HX-Request")
        .into_response()
}

#[handler]
pub async fn queue(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AuthorityStaff)?;
    let authority = account
        .authority
        .ok_or_else(|| AppError::internal("staff account without authority"))?;
    let query: String = form.get("q").chars().take(100).collect();
    let today = china_date(Utc::now());

    let store = state.store.clone();
    let search = state.search.clone();
    let text = query.clone();
    let applications = blocking(move || {
        if text.is_empty() {
            return Ok(store.applications_for_authority(authority)?);
        }
        // A query of punctuation alone has nothing to search for, so it finds nothing
        // rather than everything.
        if !text.chars().any(char::is_alphanumeric) {
            return Ok(Vec::new());
        }
        let ids = search
            .index()
            .search(&SearchQuery {
                text,
                authority_code: Some(authority.into()),
                applicant_account: None,
                limit: SEARCH_LIMIT,
            })
            .map_err(|error| AppError::internal(error.to_string()))?;
        let mut found: Vec<Application> = Vec::with_capacity(ids.len());
        for id in ids {
            // The authority filter ran in the index; checking the record again keeps a
            // stale index from showing another authority's application.
            if let Some(application) = store.application(id)? {
                if application.authority == Some(authority) && application.status.is_filed() {
                    found.push(application);
                }
            }
        }
        Ok::<_, AppError>(found)
    })
    .await?;

    let sections = if query.is_empty() {
        vec![
            QueueSection {
                id: "queue",
                title: "待受理申请",
                empty: "暂无待受理的申请。",
                rows: section_rows(&state, &applications, today, |application| {
                    application.status == ApplicationStatus::Submitted
                }),
            },
            QueueSection {
                id: "decisions",
                title: "待作出许可决定",
                empty: "暂无待审批的申请。",
                rows: section_rows(&state, &applications, today, |application| {
                    application.status == ApplicationStatus::ReviewReported
                }),
            },
            QueueSection {
                id: "follow-ups",
                title: "评审反馈需跟进",
                empty: "暂无需跟进的评审反馈。",
                rows: section_rows(&state, &applications, today, |application| {
                    application
                        .procedure
                        .feedback
                        .as_ref()
                        .is_some_and(|feedback| feedback.is_low())
                }),
            },
        ]
    } else {
        vec![QueueSection {
            id: "queue",
            title: "查询结果",
            empty: "没有找到符合条件的申请。",
            rows: applications
                .iter()
                .map(|application| row(&state, application, today))
                .collect(),
        }]
    };
    let authority_name = state.authorities.name_of(authority);
    let view = QueueView {
        title: "审批工作台",
        subtitle: &authority_name,
        path: "/staff/queue",
        query: &query,
        sections,
    };
    Ok(render(&viewer, &view))
}

#[handler]
pub async fn agency_queue(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AgencyStaff)?;
    let agency_id = account
        .agency
        .ok_or_else(|| AppError::internal("agency staff account without agency"))?;
    let query: String = form.get("q").chars().take(100).collect();
    let today = china_date(Utc::now());
    let store = state.store.clone();
    let (agency, mut applications) = blocking(move || {
        Ok::<_, AppError>((
            store.agency(agency_id)?,
            store.applications_for_agency(agency_id)?,
        ))
    })
    .await?;
    if !query.is_empty() {
        applications.retain(|application| {
            let text = format!(
                "{} {} {} {}",
                application.number_label(),
                application.form.unit.unit_name,
                application.sub_items_label(),
                application.form.unit.credit_code
            );
            query.split_whitespace().all(|term| text.contains(term))
        });
    }
    let active = |application: &Application| {
        matches!(
            application.status,
            ApplicationStatus::Accepted
                | ApplicationStatus::ReviewScheduled
                | ApplicationStatus::Rectifying
                | ApplicationStatus::RectificationReported
        )
    };
    let sections = vec![
        QueueSection {
            id: "queue",
            title: "评审中的申请",
            empty: "暂无委托评审的申请。",
            rows: section_rows(&state, &applications, today, active),
        },
        QueueSection {
            id: "done",
            title: "已提交评审报告",
            empty: "暂无。",
            rows: section_rows(&state, &applications, today, |application| {
                !active(application)
            }),
        },
    ];
    let agency_name = agency.map(|agency| agency.name).unwrap_or_default();
    let view = QueueView {
        title: "评审工作台",
        subtitle: &agency_name,
        path: "/agency/queue",
        query: &query,
        sections,
    };
    Ok(render(&viewer, &view))
}
