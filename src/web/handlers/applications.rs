//! The applicant's management list and the pages both sides of an application may open.

use std::sync::Arc;

use maud::Markup;
use poem::{
    handler,
    web::{Data, Path},
};

use crate::domain::application::may_view;
use crate::domain::{ApplicationStatus, Role};
use crate::store::{Account, Application};
use crate::web::auth::Viewer;
use crate::web::blocking::blocking;
use crate::web::views::applications::{self, DetailView};
use crate::web::{AppError, AppState};

#[handler]
pub async fn list(viewer: Viewer, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let store = state.store.clone();
    let id = account.id;
    let applications = blocking(move || store.applications_of_applicant(id)).await?;
    Ok(applications::list(
        &viewer.chrome(),
        &applications,
        &state.authorities,
    ))
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
    if may_view(&account.actor(), &application.parties()) {
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
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let application = visible_application(&state, account, id).await?;
    let store = state.store.clone();
    let events = blocking(move || store.events_of(id)).await?;
    let staff = account.role == Role::AuthorityStaff;
    let view = DetailView {
        application: &application,
        events: &events,
        authorities: &state.authorities,
        can_accept: staff && application.status == ApplicationStatus::Submitted,
        back_link: if staff {
            ("/staff/queue", "审批工作台")
        } else {
            ("/production/applications", "生产企业许可申请管理")
        },
    };
    Ok(applications::detail(&viewer.chrome(), &view))
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
