//! The web interface: poem routes, middleware and maud views.

mod auth;
mod blocking;
mod error;
mod forms;
mod guard;
mod handlers;
mod state;
mod views;

use std::{fs, io, path::Path, sync::Arc, time::Duration};

use poem::{
    endpoint::BoxEndpoint,
    endpoint::EmbeddedFilesEndpoint,
    get,
    middleware::Csrf,
    post,
    session::{CookieConfig, ServerSession},
    web::cookie::SameSite,
    EndpointExt, Response, Route,
};
use rand::RngCore;

pub use error::AppError;
pub use state::{AppState, StartError, HOLIDAYS_SETTING, PERSONNEL_ITEMS_SETTING};

use crate::assets::StaticFiles;
use crate::store::SessionStore;

/// Name of the session cookie.
const SESSION_COOKIE: &str = "xuke-session";

/// Name of the cookie that pairs with the CSRF token of each form.
const CSRF_COOKIE: &str = "xuke-csrf";

/// Builds the whole web application on `state`.
pub fn endpoint(state: AppState) -> Result<BoxEndpoint<'static, Response>, StartError> {
    let csrf_key = load_or_create_key(&state.config.csrf_key_path()).map_err(|source| {
        StartError::CsrfKey {
            path: state.config.csrf_key_path(),
            source,
        }
    })?;
    let secure = state.config.secure_cookies;
    let session_ttl = Duration::from_secs(u64::from(state.config.session_hours) * 3600);
    let sessions = SessionStore::new(state.store.clone());

    let routes = Route::new()
        .at("/", get(handlers::portal::home))
        .at("/register", get(handlers::portal::register_choice))
        .at(
            "/register/enterprise",
            get(handlers::portal::register_enterprise_form)
                .post(handlers::portal::register_enterprise),
        )
        .at(
            "/register/person",
            get(handlers::portal::register_person_form).post(handlers::portal::register_person),
        )
        .at(
            "/login",
            get(handlers::portal::login_form).post(handlers::portal::login),
        )
        .at("/logout", post(handlers::portal::logout))
        .at("/hall", get(handlers::hall::hall))
        .at("/production/apply", get(handlers::apply::doors))
        .at(
            "/production/apply/first",
            post(handlers::apply::start_first),
        )
        .at(
            "/production/apply/licensed",
            get(handlers::apply::licensed_form).post(handlers::apply::start_licensed),
        )
        .at(
            "/production/drafts/:id/submit",
            post(handlers::drafts::submit),
        )
        .at(
            "/production/drafts/:id/delete",
            post(handlers::drafts::delete),
        )
        .at(
            "/production/drafts/:id/upload",
            post(handlers::drafts::upload),
        )
        .at(
            "/production/drafts/:id/authority",
            get(handlers::drafts::derived_authority),
        )
        .at(
            "/production/drafts/:id/attachments/:attachment/delete",
            post(handlers::drafts::remove_attachment),
        )
        .at(
            "/production/drafts/:id/:page",
            get(handlers::drafts::show).post(handlers::drafts::save),
        )
        .at(
            "/production/applications",
            get(handlers::applications::list),
        )
        .at(
            "/production/applications/:id",
            get(handlers::applications::detail),
        )
        .at(
            "/production/applications/:id/progress",
            get(handlers::applications::progress),
        )
        .at(
            "/production/applications/:id/withdraw",
            post(handlers::applications::withdraw),
        )
        .at(
            "/production/applications/:id/acceptance-decision",
            get(handlers::applications::acceptance_decision),
        )
        .at(
            "/production/attachments/:id",
            get(handlers::applications::download),
        )
        .at(
            "/production/applications/:id/correction-notice/:index",
            get(handlers::applications::correction_notice),
        )
        .at(
            "/production/applications/:id/refusal",
            get(handlers::applications::refusal),
        )
        .at(
            "/production/applications/:id/:step",
            post(handlers::procedure::applicant_step),
        )
        .at("/staff/queue", get(handlers::staff::queue))
        .at(
            "/staff/applications/:id/:step",
            post(handlers::procedure::staff_step),
        )
        .at("/agency/queue", get(handlers::staff::agency_queue))
        .at(
            "/agency/applications/:id/dates",
            post(handlers::procedure::agency_step),
        )
        .at(
            "/agency/applications/:id/:step",
            post(handlers::procedure::agency_report),
        )
        .at("/licences/:id", get(handlers::licences::certificate))
        .at("/licences/:id/qr.svg", get(handlers::licences::qr_code))
        .at("/verify", get(handlers::licences::verify))
        .at("/messages", get(handlers::messages::list))
        .at("/personnel/apply", get(handlers::personnel::choose))
        .at(
            "/personnel/apply/form",
            get(handlers::personnel::form_page).post(handlers::personnel::submit),
        )
        .at(
            "/personnel/apply/authority",
            get(handlers::personnel::derived_authority),
        )
        .at("/personnel/applications", get(handlers::personnel::list))
        .at(
            "/personnel/applications/:id",
            get(handlers::personnel::detail),
        )
        .at(
            "/personnel/applications/:id/photo",
            get(handlers::personnel::photo_file),
        )
        .at(
            "/personnel/applications/:id/withdraw",
            post(handlers::personnel::withdraw),
        )
        .at(
            "/personnel/applications/:id/resubmit",
            get(handlers::personnel::resubmit_form).post(handlers::personnel::resubmit),
        )
        .at(
            "/personnel/applications/:id/certificate",
            get(handlers::personnel::certificate),
        )
        .at(
            "/personnel/applications/:id/acceptance-notice",
            get(handlers::personnel::acceptance_notice),
        )
        .at(
            "/personnel/applications/:id/correction-notice/:index",
            get(handlers::personnel::correction_notice),
        )
        .at("/staff/personnel", get(handlers::personnel::staff_queue))
        .at(
            "/staff/personnel/:id/:step",
            post(handlers::personnel::staff_step),
        )
        .nest("/static", EmbeddedFilesEndpoint::<StaticFiles>::new());

    let endpoint = routes
        .with(guard::RequestGuard {
            upload_limit: state.config.max_attachment_bytes() + guard::MULTIPART_OVERHEAD,
        })
        .with(
            Csrf::new()
                .key(csrf_key)
                .cookie_name(CSRF_COOKIE)
                .secure(secure)
                .same_site(SameSite::Strict)
                .ttl(session_ttl),
        )
        .with(ServerSession::new(
            CookieConfig::default()
                .name(SESSION_COOKIE)
                .secure(secure)
                .http_only(true)
                .same_site(SameSite::Lax)
                .max_age(session_ttl),
            sessions,
        ))
        .catch_all_error(error::render_error)
        .with(guard::SecurityHeaders)
        .data(Arc::new(state))
        .with(guard::RequestLog)
        .boxed();
    Ok(endpoint)
}

/// Reads the 32-byte CSRF key from `path`, or creates it with random bytes. Keeping it in
/// the data folder lets forms opened before a restart still submit after it.
fn load_or_create_key(path: &Path) -> io::Result<[u8; 32]> {
    match fs::read(path) {
        Ok(bytes) if bytes.len() == 32 => {
            let mut key = [0; 32];
            key.copy_from_slice(&bytes);
            return Ok(key);
        }
        Ok(bytes) => {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("expected 32 bytes, found {}", bytes.len()),
            ))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    let mut key = [0; 32];
    rand::rng().fill_bytes(&mut key);
    write_private(path, &key)?;
    Ok(key)
}

#[cfg(unix)]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(not(unix))]
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes)
}
