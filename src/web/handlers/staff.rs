//! The authority staff's queue, search and acceptance.

use std::sync::Arc;

use chrono::Utc;
use poem::{
    handler,
    http::header,
    session::Session,
    web::{Data, Path, Redirect},
    IntoResponse, Response,
};

use crate::domain::{Action, ApplicationStatus, Role};
use crate::search::SearchQuery;
use crate::store::{ActionError, Application};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::FormPairs;
use crate::web::views::staff::{self, QueueView};
use crate::web::{AppError, AppState};

/// Most applications a search shows.
const SEARCH_LIMIT: usize = 200;

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

    let store = state.store.clone();
    let search = state.search.clone();
    let text = query.clone();
    let applications = blocking(move || {
        if text.is_empty() {
            let mut waiting = store.applications_for_authority(authority)?;
            waiting.retain(|application| application.status == ApplicationStatus::Submitted);
            return Ok(waiting);
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

    let authority_name = state.authorities.name_of(authority);
    let view = QueueView {
        authority_name: &authority_name,
        query: &query,
        applications: &applications,
    };
    let markup = if viewer.htmx {
        staff::results(&view)
    } else {
        staff::queue(&viewer.chrome(), &view)
    };
    Ok(markup
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

#[handler]
pub async fn accept(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AuthorityStaff)?;
    let actor = account.actor();
    let store = state.store.clone();
    let search = state.search.clone();
    let result = blocking(move || {
        let result = store.act_on_application(id, Action::Accept, &actor, Utc::now());
        if result.is_ok() {
            search.catch_up(&store).map_err(AppError::from)?;
        }
        Ok::<_, AppError>(result)
    })
    .await?;

    match result {
        Ok(application) => {
            tracing::info!(
                application = id,
                account = account.id,
                document = application.acceptance_number.as_deref().unwrap_or_default(),
                "application accepted"
            );
            set_notice(
                session,
                format!("已受理申请{}，受理决定书已出具", application.number_label()),
            );
            Ok(
                Redirect::see_other(format!("/production/applications/{id}/acceptance-decision"))
                    .into_response(),
            )
        }
        Err(ActionError::Transition(error)) => {
            tracing::warn!(application = id, account = account.id, %error, "acceptance rejected");
            // A rejected action on another authority's application reads as "not found".
            if matches!(error, crate::domain::TransitionError::NotPermitted { .. }) {
                return Err(AppError::NotFound);
            }
            Err(AppError::Conflict(error.to_string()))
        }
        Err(error) => Err(error.into()),
    }
}
