//! The requester: the signed-in account read from the server-side session, the CSRF token
//! for the page's forms, and a one-time notice carried across a redirect.

use std::sync::Arc;

use poem::{session::Session, web::CsrfToken, FromRequest, Request, RequestBody};

use super::{blocking::blocking, views::layout::Chrome, AppError, AppState};
use crate::domain::Role;
use crate::store::Account;

/// Session entry holding the signed-in account id.
const ACCOUNT_KEY: &str = "account_id";

/// Session entry holding a notice for the next page, such as 申请已提交.
const NOTICE_KEY: &str = "notice";

/// The requester of a page: maybe an account, always a CSRF token.
pub struct Viewer {
    pub account: Option<Account>,
    pub csrf_token: String,
    pub notice: Option<String>,
    pub htmx: bool,
    pub unread: usize,
}

impl Viewer {
    /// Returns the signed-in account, or a redirect to the login page.
    pub fn signed_in(&self) -> Result<&Account, AppError> {
        self.account.as_ref().ok_or(AppError::LoginRequired)
    }

    /// Returns the signed-in account if it has `role`, else a 403 error.
    pub fn with_role(&self, role: Role) -> Result<&Account, AppError> {
        let account = self.signed_in()?;
        if account.role == role {
            Ok(account)
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Returns what the page layout shows around the content.
    pub fn chrome(&self) -> Chrome {
        Chrome {
            user_name: self
                .account
                .as_ref()
                .map(|account| account.display_name.clone()),
            role: self.account.as_ref().map(|account| account.role),
            csrf_token: self.csrf_token.clone(),
            notice: self.notice.clone(),
            unread: self.unread,
        }
    }
}

impl<'a> FromRequest<'a> for Viewer {
    async fn from_request(req: &'a Request, _body: &mut RequestBody) -> poem::Result<Self> {
        let session = req
            .extensions()
            .get::<Session>()
            .ok_or_else(|| AppError::internal("session middleware missing"))?;
        let state = req
            .data::<Arc<AppState>>()
            .ok_or_else(|| AppError::internal("application state missing"))?;
        let csrf_token = req
            .extensions()
            .get::<CsrfToken>()
            .map(|token| token.0.clone())
            .ok_or_else(|| AppError::internal("CSRF middleware missing"))?;

        let account = match session.get::<u64>(ACCOUNT_KEY) {
            Some(id) => {
                let store = state.store.clone();
                let account = blocking(move || store.account(id)).await?;
                if account.is_none() {
                    session.purge();
                }
                account
            }
            None => None,
        };
        let unread = match &account {
            Some(account) if matches!(account.role, Role::Enterprise | Role::Individual) => {
                let store = state.store.clone();
                let id = account.id;
                blocking(move || store.unread_count(id)).await?
            }
            _ => 0,
        };
        let notice = session.get::<String>(NOTICE_KEY);
        if notice.is_some() {
            session.remove(NOTICE_KEY);
        }
        let htmx = req
            .headers()
            .get("hx-request")
            .is_some_and(|value| value == "true");

        Ok(Viewer {
            account,
            csrf_token,
            notice,
            htmx,
            unread,
        })
    }
}

/// Starts a signed-in session for `account` under a new session id, so that an id planted
/// before login is worthless after it.
pub fn sign_in(session: &Session, account: &Account) {
    session.renew();
    session.set(ACCOUNT_KEY, account.id);
}

pub fn sign_out(session: &Session) {
    session.purge();
}

/// Stores a notice for the next page the user opens.
pub fn set_notice(session: &Session, notice: impl Into<String>) {
    session.set(NOTICE_KEY, notice.into());
}
