//! The service hall.

use poem::{handler, web::Redirect, IntoResponse, Response};

use crate::domain::Role;
use crate::web::auth::Viewer;
use crate::web::views::hall as view;
use crate::web::AppError;

#[handler]
pub async fn hall(viewer: Viewer) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    if account.role == Role::AuthorityStaff {
        return Ok(Redirect::see_other("/staff/queue").into_response());
    }
    Ok(view::hall(&viewer.chrome(), &account.display_name).into_response())
}
