//! The licence certificate, its QR code and the public verification page.

use std::sync::Arc;

use chrono::Utc;
use maud::Markup;
use poem::{
    handler,
    http::header,
    web::{Data, Path},
    Response,
};
use qrcode::{render::svg, QrCode};

use crate::domain::certificate::Validity;
use crate::domain::time::china_date;
use crate::domain::Role;
use crate::store::{Account, Licence, LicenceSource};
use crate::web::auth::Viewer;
use crate::web::blocking::blocking;
use crate::web::forms::FormPairs;
use crate::web::views::licences::{self, VerifiedLicence, VerifiedPerson};
use crate::web::{AppError, AppState};

/// Most licences a name search on the public page lists.
const VERIFY_LIMIT: usize = 50;

/// Loads an issued licence its holder or the issuing authority's staff may open.
async fn visible_licence(
    state: &AppState,
    account: &Account,
    id: u64,
) -> Result<Licence, AppError> {
    let store = state.store.clone();
    let licence = blocking(move || store.licence(id))
        .await?
        .filter(|licence| licence.source == LicenceSource::Issued)
        .ok_or(AppError::NotFound)?;
    let allowed = match account.role {
        Role::Enterprise => licence.holder_account == account.id,
        Role::AuthorityStaff => {
            account.authority.is_some() && licence.authority == account.authority
        }
        Role::AgencyStaff | Role::Individual => false,
    };
    if allowed {
        Ok(licence)
    } else {
        Err(AppError::NotFound)
    }
}

#[handler]
pub async fn certificate(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Markup, AppError> {
    let account = viewer.signed_in()?;
    let licence = visible_licence(&state, account, id).await?;
    Ok(licences::certificate(
        &viewer.chrome(),
        &licence,
        &state.authorities,
    ))
}

/// The QR code of a certificate, an SVG image of the public verification address.
#[handler]
pub async fn qr_code(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
) -> Result<Response, AppError> {
    let account = viewer.signed_in()?;
    let licence = visible_licence(&state, account, id).await?;
    let address = format!(
        "{}/verify?q={}",
        state.config.public_url.trim_end_matches('/'),
        licence.number
    );
    let code = QrCode::new(address.as_bytes())
        .map_err(|error| AppError::internal(format!("QR code for licence {id}: {error}")))?;
    let image = code
        .render::<svg::Color>()
        .min_dimensions(160, 160)
        .quiet_zone(true)
        .build();
    Ok(Response::builder()
        .header(header::CONTENT_TYPE, "image/svg+xml")
        .header(header::CACHE_CONTROL, "private, max-age=86400")
        .body(image))
}

/// 许可证查询: anyone may check a certificate by its number or a unit name.
#[handler]
pub async fn verify(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Markup, AppError> {
    let query: String = form.get("q").chars().take(100).collect();
    let today = china_date(Utc::now());
    let found = if query.is_empty() {
        Vec::new()
    } else {
        let store = state.store.clone();
        let text = query.clone();
        blocking(move || {
            let number = crate::domain::credit_code::normalise(&text);
            match store.issued_licence_by_number(&number)? {
                Some(licence) => Ok::<_, AppError>(vec![licence]),
                None => Ok(store.issued_licences_by_name(text.trim(), VERIFY_LIMIT)?),
            }
        })
        .await?
    };
    let person = if query.is_empty() {
        None
    } else {
        let store = state.store.clone();
        let number = crate::domain::credit_code::normalise(&query);
        blocking(move || store.personnel_by_certificate(&number)).await?
    };
    let person = person.and_then(|application| {
        let issued = application.certificate.clone()?;
        Some(VerifiedPerson {
            name: application.form.name.clone(),
            item: format!("{}　{}", application.display_code(), application.item_name),
            authority: state.authorities.name_of(application.authority),
            validity: Validity::of(issued.expires_on, false, today),
            certificate: issued,
        })
    });
    let results: Vec<VerifiedLicence<'_>> = found
        .iter()
        .map(|licence| VerifiedLicence {
            licence,
            validity: Validity::of(licence.expires_on, licence.replaced_by.is_some(), today),
        })
        .collect();
    Ok(licences::verify(
        &viewer.chrome(),
        &query,
        &results,
        person.as_ref(),
        &state.authorities,
        today,
    ))
}
