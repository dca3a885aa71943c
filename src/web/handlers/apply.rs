//! 在线办理: the doors, and starting a draft for a first licence or from a licence held.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Utc};
use maud::Markup;
use poem::{
    handler,
    http::StatusCode,
    web::{Data, Redirect},
    IntoResponse, Response,
};

use crate::domain::application_form::{ApplicationForm, ItemChoice, UnitDetails};
use crate::domain::licence::{
    change_deadline_missed, renewal_window, LicenceNumber, RenewalWindow,
};
use crate::domain::time::china_date;
use crate::domain::{ApplicationKind, ChangeKind, Role};
use crate::store::{
    Account, Licence, LicenceRef, LicenceSource, NewDraft, NewLicence, SubItemSnapshot,
};
use crate::web::auth::Viewer;
use crate::web::blocking::blocking;
use crate::web::forms::{FieldErrors, FormPairs};
use crate::web::views::apply::{self, LicensedView};
use crate::web::{AppError, AppState};

#[handler]
pub async fn doors(viewer: Viewer) -> Result<Markup, AppError> {
    viewer.with_role(Role::Enterprise)?;
    Ok(apply::doors(&viewer.chrome()))
}

/// 首次申请 → 点击进入: starts a draft and opens its first page.
#[handler]
pub async fn start_first(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
) -> Result<Redirect, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let form = prefilled_form(&state, &account).await?;
    start_draft(&state, &account, ApplicationKind::First, None, form).await
}

async fn start_draft(
    state: &AppState,
    account: &Account,
    kind: ApplicationKind,
    licence: Option<LicenceRef>,
    form: ApplicationForm,
) -> Result<Redirect, AppError> {
    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    let new = NewDraft {
        applicant_account: account.id,
        kind,
        licence,
        form,
    };
    let draft = blocking(move || {
        let draft = store.create_draft(new, &actor, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(draft)
    })
    .await?;
    tracing::info!(
        application = draft.id,
        account = account.id,
        kind = draft.kind.label(),
        "draft started"
    );
    Ok(Redirect::see_other(format!(
        "/production/drafts/{}/unit",
        draft.id
    )))
}

/// Builds the values of a new draft: the unit's details, addresses and staff from its latest
/// application, so that details entered once need not be typed again; else from the account.
pub async fn prefilled_form(
    state: &AppState,
    account: &Account,
) -> Result<ApplicationForm, AppError> {
    let store = state.store.clone();
    let id = account.id;
    let latest = blocking(move || store.applications_of_applicant(id))
        .await?
        .into_iter()
        .next();
    let mut form = ApplicationForm {
        unit: UnitDetails {
            unit_name: account.display_name.clone(),
            contact_name: account.contact_name.clone(),
            mobile: account.mobile.clone(),
            ..UnitDetails::default()
        },
        ..ApplicationForm::default()
    };
    if let Some(previous) = latest {
        form.unit = previous.form.unit;
        form.addresses = previous.form.addresses;
        form.quality = previous.form.quality;
        form.technical = previous.form.technical;
    }
    // The credit code is the account's, whatever an earlier form held.
    form.unit.credit_code = account.credit_code.clone().unwrap_or_default();
    Ok(form)
}

#[handler]
pub async fn licensed_form(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
) -> Result<Markup, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let store = state.store.clone();
    let id = account.id;
    let licences = blocking(move || store.licences_of(id)).await?;
    Ok(apply::licensed(
        &viewer.chrome(),
        &LicensedView {
            licences: &licences,
            values: &FormPairs::default(),
            errors: &FieldErrors::default(),
        },
    ))
}

/// 已取证 → 下一步: checks the licence and the time rules of the chosen kind, then starts
/// the draft.
#[handler]
pub async fn start_licensed(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let store = state.store.clone();
    let id = account.id;
    let licences = blocking(move || store.licences_of(id)).await?;
    let today = china_date(Utc::now());

    let mut errors = FieldErrors::default();
    let licence = read_licence(&state, &account, &licences, &form, today, &mut errors);
    let kind = licence
        .as_ref()
        .and_then(|licence| read_kind(&state, licence, &form, today, &mut errors));

    if let Some(ChosenLicence::Entered(entered)) = &licence {
        let store = state.store.clone();
        let number = entered.number.clone();
        let holders = blocking(move || store.licence_holders(&number)).await?;
        if holders.iter().any(|holder| *holder != account.id) {
            errors.add(
                "licence_number",
                "该许可证编号已登记在其他单位名下，请核对；如确属本单位，请联系审批机关",
            );
        }
    }
    let (Some(licence), Some(kind), true) = (licence, kind, errors.is_empty()) else {
        return Ok(apply::licensed(
            &viewer.chrome(),
            &LicensedView {
                licences: &licences,
                values: &form,
                errors: &errors,
            },
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    };

    let saved = match licence {
        ChosenLicence::Held(licence) => licence,
        ChosenLicence::Entered(new) => {
            let store = state.store.clone();
            blocking(move || store.save_licence(new, Utc::now())).await?
        }
    };
    let mut draft_form = prefilled_form(&state, &account).await?;
    if matches!(
        kind,
        ApplicationKind::Renewal { .. }
            | ApplicationKind::Change { .. }
            | ApplicationKind::Reissue { .. }
    ) {
        draft_form.items = saved
            .sub_items
            .iter()
            .map(|sub_item| ItemChoice {
                sub_item: sub_item.id.clone(),
                address: sub_item.address.max(1).to_string(),
            })
            .collect();
    }
    let reference = LicenceRef {
        licence_id: saved.id,
        number: saved.number.clone(),
        expires_on: saved.expires_on,
    };
    Ok(
        start_draft(&state, &account, kind, Some(reference), draft_form)
            .await?
            .into_response(),
    )
}

enum ChosenLicence {
    Held(Licence),
    Entered(NewLicence),
}

impl ChosenLicence {
    fn expires_on(&self) -> NaiveDate {
        match self {
            ChosenLicence::Held(licence) => licence.expires_on,
            ChosenLicence::Entered(licence) => licence.expires_on,
        }
    }

    fn last_renewal_self_declared(&self) -> bool {
        match self {
            ChosenLicence::Held(licence) => licence.last_renewal_self_declared,
            ChosenLicence::Entered(licence) => licence.last_renewal_self_declared,
        }
    }
}

fn read_licence(
    state: &AppState,
    account: &Account,
    licences: &[Licence],
    form: &FormPairs,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<ChosenLicence> {
    let choice = form.get("licence");
    if choice.is_empty() {
        errors.add("licence", "请选择许可证，或录入系统外取得的许可证");
        return None;
    }
    if choice != "new" {
        let held = licences
            .iter()
            .find(|licence| licence.id.to_string() == choice)
            .cloned();
        if held.is_none() {
            errors.add("licence", "所选许可证不存在，请重新选择");
        }
        return held.map(ChosenLicence::Held);
    }

    let number = LicenceNumber::parse(
        &form.get("licence_number"),
        &state.authorities,
        today.year(),
    )
    .map_err(|error| errors.add("licence_number", error.to_string()))
    .ok();
    let expires_on = parse_date(&form.get("licence_expires_on"))
        .ok_or_else(|| {
            errors.add(
                "licence_expires_on",
                "请按“2027-06-30”的格式填写许可证有效期截止日期",
            )
        })
        .ok();
    let ids: Vec<String> = form
        .get("licence_sub_items")
        .split(|c: char| c.is_whitespace() || c == ',' || c == '，' || c == '、')
        .filter(|id| !id.is_empty())
        .map(|id| id.to_uppercase())
        .collect();
    let mut sub_items = Vec::new();
    for id in &ids {
        match state.catalogue.get(id) {
            Some(sub_item) => sub_items.push(SubItemSnapshot::new(sub_item, 1)),
            None => errors.add(
                "licence_sub_items",
                format!("子项目编号“{id}”不在许可目录中，请对照许可目录填写"),
            ),
        }
    }
    if ids.is_empty() {
        errors.add(
            "licence_sub_items",
            "请填写许可证上的子项目编号，例如 M12 M15",
        );
    }
    Some(ChosenLicence::Entered(NewLicence {
        holder_account: account.id,
        number: number?.as_str().to_string(),
        sub_items,
        expires_on: expires_on?,
        source: LicenceSource::Entered,
        last_renewal_self_declared: form.get("licence_self_declared") == "1",
    }))
}

fn read_kind(
    state: &AppState,
    licence: &ChosenLicence,
    form: &FormPairs,
    today: NaiveDate,
    errors: &mut FieldErrors,
) -> Option<ApplicationKind> {
    let expires_on = licence.expires_on();
    let lapsed = || {
        format!(
            "该许可证已于{}届满失效，不能再办理换证、增项、变更或补发，请通过“首次申请”重新申请许可",
            expires_on.format("%Y-%m-%d")
        )
    };
    match form.get("kind").as_str() {
        "add_items" | "change" | "reissue" if today > expires_on => {
            errors.add("licence", lapsed());
            None
        }
        "add_items" => Some(ApplicationKind::AddItems),
        "renewal" => {
            let self_declaration = form.get("self_declaration") == "1";
            if self_declaration && licence.last_renewal_self_declared() {
                errors.add(
                    "self_declaration",
                    "该许可证上次换证已采用自我声明承诺换证，本次不能再采用，请取消勾选，按鉴定评审换证申请",
                );
            }
            let late_reason = form.get("late_reason");
            match renewal_window(today, expires_on) {
                RenewalWindow::Expired => {
                    errors.add("licence", lapsed());
                    None
                }
                RenewalWindow::TooEarly { opens } => {
                    errors.add(
                        "kind",
                        format!(
                            "换证应在许可证有效期届满前6至12个月内申请，该证最早可于{}起申请换证",
                            opens.format("%Y-%m-%d")
                        ),
                    );
                    None
                }
                RenewalWindow::Late if late_reason.chars().count() < 10 => {
                    errors.add(
                        "late_reason",
                        "距有效期届满已不足6个月，请书面说明未按期申请换证的理由（不少于10个字）",
                    );
                    None
                }
                RenewalWindow::Late => Some(ApplicationKind::Renewal {
                    self_declaration,
                    late_reason: Some(late_reason),
                }),
                RenewalWindow::Inside => Some(ApplicationKind::Renewal {
                    self_declaration,
                    late_reason: None,
                }),
            }
        }
        "change" => {
            let change = ChangeKind::from_slug(&form.get("change"));
            if change.is_none() {
                errors.add("change", "请选择变更类型");
            }
            let changed_on = parse_date(&form.get("changed_on"));
            match changed_on {
                None => errors.add("changed_on", "请按“2026-11-20”的格式填写变更日期"),
                Some(date) if date > today => errors.add("changed_on", "变更日期不能晚于今天"),
                Some(date) => {
                    if let Some(last_day) = change_deadline_missed(&state.calendar, date, today) {
                        errors.add(
                            "changed_on",
                            format!(
                                "变更应在变更之日起30个工作日内申请，本次变更最迟应于{}前申请，已超过时限",
                                last_day.format("%Y-%m-%d")
                            ),
                        );
                    }
                }
            }
            let description = form.get("change_description");
            if description.is_empty() {
                errors.add("change_description", "请填写变更说明");
            }
            Some(ApplicationKind::Change {
                change: change?,
                changed_on: changed_on?,
                description,
            })
        }
        "reissue" => {
            let reason = form.get("reissue_reason");
            if reason.is_empty() {
                errors.add("reissue_reason", "请填写补发原因");
                return None;
            }
            Some(ApplicationKind::Reissue { reason })
        }
        _ => {
            errors.add("kind", "请选择申请类型：增项、换证、变更或补发");
            None
        }
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}
