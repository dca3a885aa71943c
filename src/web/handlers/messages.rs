//! 站内消息: the list, which marks the messages read.

use std::sync::Arc;

use maud::Markup;
use poem::{handler, web::Data};

use crate::domain::Role;
use crate::web::auth::Viewer;
use crate::web::blocking::blocking;
use crate::web::views::messages;
use crate::web::{AppError, AppState};

#[handler]
pub async fn list(viewer: Viewer, state: Data<&Arc<AppState>>) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let applications = match account.role {
        Role::Enterprise => "/production/applications",
        Role::Individual => "/personnel/applications",
        _ => return Err(AppError::Forbidden),
    };
    let store = state.store.clone();
    let id = account.id;
    let list = blocking(move || {
        let list = store.messages_of(id)?;
        store.mark_messages_read(id)?;
        Ok::<_, AppError>(list)
    })
    .await?;
    let mut chrome = viewer.chrome();
    chrome.unread = 0;
    Ok(messages::messages(&chrome, &list, applications))
}
