//! 在线办理 for a first production unit licence: doors, sub-item choice, form and 提交.

use std::sync::Arc;

use chrono::Utc;
use maud::Markup;
use poem::{
    handler,
    http::{header, StatusCode},
    session::Session,
    web::{Data, Redirect},
    IntoResponse, Response,
};

use crate::domain::contact::validate_mobile;
use crate::domain::{Authorities, Catalogue, CreditCode, Role, RoutingError};
use crate::store::{Account, Address, ApplicantDetails, NewApplication, SubItemSnapshot};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{limit, require, FieldErrors, FormPairs};
use crate::web::views::apply::{self, ApplicationValues, Selection};
use crate::web::{AppError, AppState};

#[handler]
pub async fn doors(viewer: Viewer) -> Result<Markup, AppError> {
    viewer.with_role(Role::Enterprise)?;
    Ok(apply::doors(&viewer.chrome()))
}

/// Reads the ticked sub-items and the province, and derives the authority. Ids that are not
/// in the catalogue are reported on the sub-item field.
fn read_selection<'a>(
    form: &FormPairs,
    catalogue: &'a Catalogue,
    authorities: &'a Authorities,
    errors: &mut FieldErrors,
) -> Selection<'a> {
    let ids = form.all("sub_item");
    let sub_items: Vec<_> = ids.iter().filter_map(|id| catalogue.get(id)).collect();
    if sub_items.len() != ids.len() {
        errors.add("sub_item", "所选子项目不在许可目录中，请重新勾选");
    }
    let province = form.get("province").parse::<u8>().ok();
    let provinces: Vec<u8> = province.into_iter().collect();
    let authority = authorities.derive(&sub_items, &provinces);
    Selection {
        sub_items,
        province,
        authority,
    }
}

fn report_routing_error(error: &RoutingError, errors: &mut FieldErrors) {
    let field = match error {
        RoutingError::MissingProvince | RoutingError::UnknownProvince => "province",
        _ => "sub_item",
    };
    errors.add(field, error.to_string());
}

#[handler]
pub async fn select_items(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Markup, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let mut errors = FieldErrors::default();
    let mut selection = read_selection(&form, &state.catalogue, &state.authorities, &mut errors);
    if selection.province.is_none() {
        selection.province = default_province(account, &state.authorities);
    }
    Ok(apply::select_items(
        &viewer.chrome(),
        &state.catalogue,
        &state.authorities,
        &selection,
        &FieldErrors::default(),
    ))
}

/// Returns the province of the registering division in the unit's credit code.
fn default_province(account: &Account, authorities: &Authorities) -> Option<u8> {
    let code = CreditCode::parse(account.credit_code.as_deref()?).ok()?;
    let province = code.province_code();
    authorities
        .provinces()
        .any(|authority| authority.code == province)
        .then_some(province)
}

/// Renders the htmx fragment that names the authority for the current choice.
#[handler]
pub async fn derived_authority(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    viewer.with_role(Role::Enterprise)?;
    let mut errors = FieldErrors::default();
    let selection = read_selection(&form, &state.catalogue, &state.authorities, &mut errors);
    Ok(apply::derived_authority(&selection)
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

/// Shows the form for a valid choice, or the choice again with the reason it is invalid.
#[handler]
pub async fn application_form(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let mut errors = FieldErrors::default();
    let selection = read_selection(&form, &state.catalogue, &state.authorities, &mut errors);
    let authority = match &selection.authority {
        Ok(authority) if errors.is_empty() => *authority,
        result => {
            if let Err(error) = result {
                report_routing_error(error, &mut errors);
            }
            return Ok(apply::select_items(
                &viewer.chrome(),
                &state.catalogue,
                &state.authorities,
                &selection,
                &errors,
            )
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response());
        }
    };

    let values = prefilled_values(&state, &account).await?;
    let province = province_name(&state.authorities, selection.province);
    Ok(apply::application_form(
        &viewer.chrome(),
        &selection,
        authority,
        &province,
        &values,
        &FieldErrors::default(),
    )
    .into_response())
}

/// Form values from the account and, where the unit applied before, from its latest
/// application, so that details entered once need not be typed again.
async fn prefilled_values(
    state: &AppState,
    account: &Account,
) -> Result<ApplicationValues, AppError> {
    let store = state.store.clone();
    let id = account.id;
    let latest = blocking(move || store.applications_of_applicant(id))
        .await?
        .into_iter()
        .next();
    let mut values = ApplicationValues {
        unit_name: account.display_name.clone(),
        credit_code: account.credit_code.clone().unwrap_or_default(),
        contact_name: account.contact_name.clone(),
        mobile: account.mobile.clone(),
        ..ApplicationValues::default()
    };
    if let Some(previous) = latest {
        let applicant = previous.applicant;
        values.unit_name = applicant.unit_name;
        values.domicile = applicant.domicile;
        values.legal_representative = applicant.legal_representative;
        values.contact_name = applicant.contact_name;
        values.mobile = applicant.mobile;
        values.phone = applicant.phone;
        values.email = applicant.email;
    }
    Ok(values)
}

fn province_name(authorities: &Authorities, province: Option<u8>) -> String {
    province
        .and_then(|code| authorities.get(code))
        .map(|authority| authority.province.clone())
        .unwrap_or_default()
}

#[handler]
pub async fn submit(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let mut errors = FieldErrors::default();
    let selection = read_selection(&form, &state.catalogue, &state.authorities, &mut errors);
    if let Err(error) = &selection.authority {
        report_routing_error(error, &mut errors);
    }
    if !errors.is_empty() {
        return Ok(apply::select_items(
            &viewer.chrome(),
            &state.catalogue,
            &state.authorities,
            &selection,
            &errors,
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    }
    let authority = selection.authority.clone().expect("checked above");

    let values = ApplicationValues {
        unit_name: form.get("unit_name"),
        credit_code: account.credit_code.clone().unwrap_or_default(),
        domicile: form.get("domicile"),
        legal_representative: form.get("legal_representative"),
        contact_name: form.get("contact_name"),
        mobile: form.get("mobile"),
        phone: form.get("phone"),
        email: form.get("email"),
        address_detail: form.get("address_detail"),
    };
    let mobile = validate_values(&values, &mut errors);
    let Some(mobile) = mobile.filter(|_| errors.is_empty()) else {
        let province = province_name(&state.authorities, selection.province);
        return Ok(apply::application_form(
            &viewer.chrome(),
            &selection,
            authority,
            &province,
            &values,
            &errors,
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    };

    let new = NewApplication {
        applicant_account: account.id,
        applicant: ApplicantDetails {
            unit_name: values.unit_name,
            credit_code: values.credit_code,
            domicile: values.domicile,
            legal_representative: values.legal_representative,
            contact_name: values.contact_name,
            mobile,
            phone: values.phone,
            email: values.email,
        },
        production_address: Address {
            province: selection.province.expect("derive checked the province"),
            detail: values.address_detail,
        },
        sub_items: selection
            .sub_items
            .iter()
            .map(|sub_item| SubItemSnapshot::from(*sub_item))
            .collect(),
        authority: authority.code,
    };
    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    let application = blocking(move || {
        let application = store.submit_application(new, &actor, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(application)
    })
    .await?;

    tracing::info!(
        application = application.id,
        number = %application.number,
        authority = application.authority,
        "application submitted"
    );
    set_notice(
        session,
        format!(
            "申请已提交，申请编号{}，请等待{}受理",
            application.number,
            state.authorities.name_of(application.authority)
        ),
    );
    Ok(Redirect::see_other(format!("/production/applications/{}", application.id)).into_response())
}

/// Checks the form fields; returns the normalised mobile number when it is valid.
fn validate_values(values: &ApplicationValues, errors: &mut FieldErrors) -> Option<String> {
    require(errors, "unit_name", "单位名称", &values.unit_name, 100);
    require(errors, "domicile", "住所", &values.domicile, 200);
    require(
        errors,
        "legal_representative",
        "法定代表人",
        &values.legal_representative,
        50,
    );
    require(
        errors,
        "address_detail",
        "生产地址的详细地址",
        &values.address_detail,
        200,
    );
    require(errors, "contact_name", "联系人", &values.contact_name, 50);
    let mobile = validate_mobile(&values.mobile)
        .map_err(|message| errors.add("mobile", message))
        .ok();
    limit(errors, "phone", "固定电话", &values.phone, 30);
    limit(errors, "email", "电子邮箱", &values.email, 100);
    if !values.email.is_empty() && !looks_like_email(&values.email) {
        errors.add("email", "电子邮箱格式不正确，例如 name@example.com");
    }
    mobile
}

fn looks_like_email(email: &str) -> bool {
    match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !email.contains(char::is_whitespace)
        }
        None => false,
    }
}
