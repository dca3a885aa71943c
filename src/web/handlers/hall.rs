//! The service hall.

use poem::{handler, web::Redirect, IntoResponse, Response};

use crate::domain::Role;
use crate::web::auth::Viewer;
use crate::web::views::hall as view;
use crate::web::AppError;

#[handler]
pub async fn hall(viewer: Viewer) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    let markup = match account.role {
        Role::AuthorityStaff => return Ok(Redirect::see_other("/staff/queue").into_response()),
        Role::AgencyStaff => return Ok(Redirect::see_other("/agency/queue").into_response()),
        Role::Individual => view::person_hall(&viewer.chrome(), &account.display_name),
        Role::Enterprise => view::hall(&viewer.chrome(), &account.display_name),
    };
    Ok(markup.into_response())
}
