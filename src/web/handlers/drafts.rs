//! The pages of a draft 许可申请书: show, save and check a page, attachments, 提交 and 删除.

use std::sync::Arc;

use chrono::Utc;
use poem::{
    handler,
    http::{header, StatusCode},
    session::Session,
    web::{Data, Multipart, Path, Query, Redirect},
    IntoResponse, Response,
};
use serde::Deserialize;

use crate::domain::application_form::{
    AddressRow, ApplicationForm, CheckContext, FormPage, ItemChoice, QualityPerson, NDT_LEVELS,
    NDT_METHODS, RESPONSIBLE_ROLES, SPECIALTIES,
};
use crate::domain::attachment::{required_attachments, AttachmentKind, FileType};
use crate::domain::{ApplicationStatus, Role};
use crate::store::{Account, Application, AttachmentMeta, Command, NewAttachment, SubItemSnapshot};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{FieldErrors, FormPairs};
use crate::web::views::drafts::{self, DraftView};
use crate::web::{AppError, AppState};

/// Most production addresses one application may list.
const MAX_ADDRESSES: usize = 20;

/// Loads a draft of the signed-in enterprise; anything else reads as not found.
async fn own_draft(state: &AppState, account: &Account, id: u64) -> Result<Application, AppError> {
    let store = state.store.clone();
    let application = blocking(move || store.application(id))
        .await?
        .ok_or(AppError::NotFound)?;
    if application.applicant_account != account.id
        || application.status == ApplicationStatus::Deleted
    {
        return Err(AppError::NotFound);
    }
    Ok(application)
}

async fn attachments_of(state: &AppState, id: u64) -> Result<Vec<AttachmentMeta>, AppError> {
    let store = state.store.clone();
    blocking(move || store.attachments_of(id)).await
}

fn required(application: &Application) -> Vec<AttachmentKind> {
    required_attachments(&application.kind, application.form.unit.branch_alone)
}

fn context<'a>(
    state: &'a AppState,
    application: &Application,
    attachments: &[AttachmentMeta],
) -> CheckContext<'a> {
    CheckContext {
        catalogue: &state.catalogue,
        authorities: &state.authorities,
        required_attachments: required(application),
        uploaded_attachments: attachments.iter().map(|file| file.kind).collect(),
    }
}

/// Renders a page of the draft with `errors`.
fn render(
    viewer: &Viewer,
    state: &AppState,
    application: &Application,
    page: FormPage,
    attachments: &[AttachmentMeta],
    errors: &FieldErrors,
) -> maud::Markup {
    let authority = application
        .form
        .authority(&state.catalogue, &state.authorities)
        .map(|authority| authority.name.clone())
        .map_err(|_| "选择申请许可项目和生产地址后确定".to_string());
    let check = context(state, application, attachments);
    let incomplete: Vec<(FormPage, FieldErrors)> = if page == FormPage::Review {
        application
            .form
            .incomplete_pages(&check)
            .into_iter()
            .map(|(page, problems)| (page, problems.into()))
            .collect()
    } else {
        Vec::new()
    };
    let required = required(application);
    let view = DraftView {
        application,
        page,
        catalogue: &state.catalogue,
        authorities: &state.authorities,
        authority,
        attachments,
        required_attachments: &required,
        max_attachment_bytes: state.config.max_attachment_bytes(),
        errors,
        incomplete: &incomplete,
    };
    drafts::draft_page(&viewer.chrome(), &view)
}

#[derive(Deserialize)]
pub struct PageQuery {
    print: Option<String>,
}

#[handler]
pub async fn show(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path((id, slug)): Path<(u64, String)>,
    Query(query): Query<PageQuery>,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let page = FormPage::from_slug(&slug).ok_or(AppError::NotFound)?;
    let application = own_draft(&state, account, id).await?;
    if !matches!(
        application.status,
        ApplicationStatus::Draft | ApplicationStatus::CorrectionRequested
    ) {
        return Ok(Redirect::see_other(format!("/production/applications/{id}")).into_response());
    }
    let attachments = attachments_of(&state, id).await?;

    if query.print.is_some() {
        let required = required(&application);
        let view = DraftView {
            application: &application,
            page,
            catalogue: &state.catalogue,
            authorities: &state.authorities,
            authority: Err(String::new()),
            attachments: &attachments,
            required_attachments: &required,
            max_attachment_bytes: state.config.max_attachment_bytes(),
            errors: &FieldErrors::default(),
            incomplete: &[],
        };
        return Ok(drafts::print_page(&view).into_response());
    }
    Ok(render(
        &viewer,
        &state,
        &application,
        page,
        &attachments,
        &FieldErrors::default(),
    )
    .into_response())
}

/// Renders the authority the ticked sub-items lead to, for htmx while the applicant ticks
/// boxes on the items page; nothing is saved.
#[handler]
pub async fn derived_authority(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    Path(id): Path<u64>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?;
    let application = own_draft(&state, account, id).await?;
    let mut form = application.form.clone();
    read_page(&mut form, FormPage::Items, &pairs);
    let authority = form
        .authority(&state.catalogue, &state.authorities)
        .map(|authority| authority.name.clone())
        .map_err(|error| error.to_string());
    Ok(drafts::authority_cell(&authority)
        .with_header(header::VARY, "HX-Request")
        .into_response())
}

/// Saves the page's values, then follows the button pressed: 保存 stays, 下一页 and 跳转
/// check the page and move on only when it passes, and the address buttons add or remove
/// a row.
#[handler]
pub async fn save(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, slug)): Path<(u64, String)>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let page = FormPage::from_slug(&slug).ok_or(AppError::NotFound)?;
    let application = own_draft(&state, &account, id).await?;

    let mut form = application.form.clone();
    read_page(&mut form, page, &pairs);
    let op = pairs.get("op");
    if op == "add_address" && form.addresses.len() < MAX_ADDRESSES {
        form.addresses.push(AddressRow::default());
    }
    if let Some(number) = op
        .strip_prefix("remove_address_")
        .and_then(|n| n.parse().ok())
    {
        remove_address(&mut form, number);
    }

    let store = state.store.clone();
    let actor = account.actor();
    let slug_saved = page.slug().to_string();
    let saved =
        blocking(move || store.save_draft(id, &actor, form, &slug_saved, Utc::now())).await?;
    let attachments = attachments_of(&state, id).await?;

    let here = format!("/production/drafts/{id}/{}", page.slug());
    let target = match op.as_str() {
        "next" => page.next(),
        "goto" => FormPage::from_slug(&pairs.get("goto")),
        _ => None,
    };
    let Some(target) = target else {
        if op == "save" {
            set_notice(session, "草稿已保存");
        }
        return Ok(Redirect::see_other(here).into_response());
    };

    let problems = saved
        .form
        .check(page, &context(&state, &saved, &attachments));
    if !problems.is_empty() {
        let errors: FieldErrors = problems.into();
        return Ok(render(&viewer, &state, &saved, page, &attachments, &errors)
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response());
    }
    Ok(Redirect::see_other(format!("/production/drafts/{id}/{}", target.slug())).into_response())
}

/// Copies the fields of `page` from the submitted pairs into `form`, as typed.
fn read_page(form: &mut ApplicationForm, page: FormPage, pairs: &FormPairs) {
    match page {
        FormPage::Unit => {
            let unit = &mut form.unit;
            unit.unit_name = pairs.get("unit_name");
            unit.domicile = pairs.get("domicile");
            unit.office_address = pairs.get("office_address");
            unit.postcode = pairs.get("postcode");
            unit.legal_representative = pairs.get("legal_representative");
            unit.contact_name = pairs.get("contact_name");
            unit.phone = pairs.get("phone");
            unit.mobile = pairs.get("mobile");
            unit.email = pairs.get("email");
            unit.fixed_assets = pairs.get("fixed_assets");
            unit.registered_capital = pairs.get("registered_capital");
            unit.staff_total = pairs.get("staff_total");
            unit.technical_staff = pairs.get("technical_staff");
            unit.branch_alone = pairs.get("branch_alone") == "1";
        }
        FormPage::Addresses => {
            form.addresses = (1..=MAX_ADDRESSES)
                .take_while(|number| {
                    pairs
                        .0
                        .iter()
                        .any(|(name, _)| name.starts_with(&format!("address_{number}_")))
                })
                .map(|number| AddressRow {
                    province: pairs.get(&format!("address_{number}_province")),
                    city: pairs.get(&format!("address_{number}_city")),
                    district: pairs.get(&format!("address_{number}_district")),
                    street: pairs.get(&format!("address_{number}_street")),
                })
                .collect();
        }
        FormPage::Items => {
            let single = form.addresses.len() == 1;
            let mut ids = pairs.all("sub_item");
            let mut seen = std::collections::HashSet::new();
            ids.retain(|id| seen.insert(id.clone()));
            form.items = ids
                .into_iter()
                .map(|sub_item| {
                    let mut address = pairs.get(&format!("address_for_{sub_item}"));
                    if address.is_empty() && single {
                        address = "1".to_string();
                    }
                    ItemChoice { sub_item, address }
                })
                .collect();
        }
        FormPage::Quality => {
            form.quality.engineer = QualityPerson {
                name: pairs.get("engineer_name"),
                post: pairs.get("engineer_post"),
                title: pairs.get("engineer_title"),
            };
            form.quality.responsible = RESPONSIBLE_ROLES
                .iter()
                .enumerate()
                .map(|(index, role)| QualityPerson {
                    name: pairs.get(&format!("responsible_{index}_name")),
                    post: (*role).to_string(),
                    title: pairs.get(&format!("responsible_{index}_title")),
                })
                .collect();
        }
        FormPage::Technical => {
            let technical = &mut form.technical;
            technical.specialties = (0..SPECIALTIES.len())
                .map(|index| pairs.get(&format!("specialty_{index}")))
                .collect();
            technical.welders = pairs.get("welders");
            technical.ndt = NDT_METHODS
                .iter()
                .flat_map(|method| {
                    NDT_LEVELS
                        .iter()
                        .map(move |level| pairs.get(&format!("ndt_{method}_{level}")))
                })
                .collect();
        }
        FormPage::Attachments | FormPage::Review => {}
    }
}

/// Removes address `number` (1-based) and renumbers the sub-items tied to later addresses.
fn remove_address(form: &mut ApplicationForm, number: usize) {
    if number == 0 || number > form.addresses.len() || form.addresses.len() == 1 {
        return;
    }
    form.addresses.remove(number - 1);
    for choice in &mut form.items {
        match choice.address.parse::<usize>() {
            Ok(tied) if tied == number => choice.address.clear(),
            Ok(tied) if tied > number => choice.address = (tied - 1).to_string(),
            _ => {}
        }
    }
}

/// 提交: checks every page and the declaration, then files the draft with the state machine.
#[handler]
pub async fn submit(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
    pairs: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let application = own_draft(&state, &account, id).await?;
    let mut form = application.form.clone();
    form.declaration = pairs.get("declaration") == "1";
    let store = state.store.clone();
    let actor = account.actor();
    let saved =
        blocking(move || store.save_draft(id, &actor, form, FormPage::Review.slug(), Utc::now()))
            .await?;
    let attachments = attachments_of(&state, id).await?;

    let check = context(&state, &saved, &attachments);
    let mut problems = saved.form.check(FormPage::Review, &check);
    for (page, _) in saved.form.incomplete_pages(&check) {
        problems.add(
            format!("answers-{}", page.slug()),
            format!("“{}”页尚未填写完整", page.title()),
        );
    }
    let authority = saved.form.authority(&state.catalogue, &state.authorities);
    if !problems.is_empty() || authority.is_err() {
        let errors: FieldErrors = problems.into();
        return Ok(render(
            &viewer,
            &state,
            &saved,
            FormPage::Review,
            &attachments,
            &errors,
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    }
    let authority = authority.expect("checked above").code;

    let sub_items: Vec<SubItemSnapshot> = saved
        .form
        .items
        .iter()
        .filter_map(|choice| {
            let sub_item = state.catalogue.get(&choice.sub_item)?;
            Some(SubItemSnapshot::new(
                sub_item,
                choice.address.parse().unwrap_or(1),
            ))
        })
        .collect();
    let conflict = overlapping_application(&state, &account, &saved).await?;
    let changed_authority = saved.status == ApplicationStatus::CorrectionRequested
        && saved.authority != Some(authority);
    if conflict.is_some() || changed_authority {
        let mut errors = FieldErrors::default();
        if let Some(message) = conflict {
            errors.add("answers-items", message);
        }
        if changed_authority {
            errors.add(
                "answers-items",
                "补正后的申请许可项目须仍由原审批机关审批；如需改由其他审批机关审批，请撤回后重新申请",
            );
        }
        return Ok(render(
            &viewer,
            &state,
            &saved,
            FormPage::Review,
            &attachments,
            &errors,
        )
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response());
    }

    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    let submitted = blocking(move || {
        let submitted = store.submit_draft(id, &actor, sub_items, authority, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(submitted)
    })
    .await?;
    tracing::info!(
        application = id,
        number = submitted.number_label(),
        authority,
        "application submitted"
    );
    set_notice(
        session,
        format!(
            "申请已提交，申请编号{}，请等待{}受理",
            submitted.number_label(),
            state.authorities.name_of(authority)
        ),
    );
    Ok(Redirect::see_other(format!("/production/applications/{id}")).into_response())
}

/// Finds another application of the unit, filed and not yet decided, that requests one of
/// the same sub-items, because the same sub-item cannot be applied for twice at once.
async fn overlapping_application(
    state: &AppState,
    account: &Account,
    draft: &Application,
) -> Result<Option<String>, AppError> {
    let store = state.store.clone();
    let id = account.id;
    let others = blocking(move || store.applications_of_applicant(id)).await?;
    let open = |status: ApplicationStatus| {
        !matches!(
            status,
            ApplicationStatus::Draft
                | ApplicationStatus::Deleted
                | ApplicationStatus::Withdrawn
                | ApplicationStatus::NotAccepted
                | ApplicationStatus::Approved
                | ApplicationStatus::Denied
        )
    };
    for other in others
        .iter()
        .filter(|other| other.id != draft.id && open(other.status))
    {
        for choice in &draft.form.items {
            if let Some(same) = other
                .sub_items
                .iter()
                .find(|item| item.id == choice.sub_item)
            {
                return Ok(Some(format!(
                    "子项目“{}”已在申请{}中办理，同一子项目不能重复申请",
                    same.label(),
                    other.number_label()
                )));
            }
        }
    }
    Ok(None)
}

/// 删除: discards a draft and its attachments.
#[handler]
pub async fn delete(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
) -> Result<Redirect, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    own_draft(&state, &account, id).await?;
    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    blocking(move || {
        store.act_on_application(id, Command::DeleteDraft, &actor, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(())
    })
    .await?;
    tracing::info!(application = id, account = account.id, "draft deleted");
    set_notice(session, "草稿已删除");
    Ok(Redirect::see_other("/production/applications"))
}

#[derive(Deserialize)]
pub struct UploadQuery {
    kind: String,
}

/// Stores an uploaded attachment after checking its size and, by its bytes, its type.
#[handler]
pub async fn upload(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
    Query(query): Query<UploadQuery>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let kind = AttachmentKind::from_slug(&query.kind)
        .ok_or_else(|| AppError::BadRequest("附件类型无效，请从“附件材料”页上传".into()))?;
    let application = own_draft(&state, &account, id).await?;
    let field = format!("attachment_{}", kind.slug());
    let max = state.config.max_attachment_bytes();

    let mut upload: Option<(String, Vec<u8>)> = None;
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?
    {
        if part.name() == Some("file") {
            let file_name = part.file_name().unwrap_or("").to_string();
            let bytes = part
                .bytes()
                .await
                .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?;
            upload = Some((file_name, bytes));
        }
    }

    let rejected = |message: String| async {
        let attachments = attachments_of(&state, id).await?;
        let mut errors = FieldErrors::default();
        errors.add(field.clone(), message);
        tracing::info!(application = id, kind = kind.slug(), "attachment rejected");
        Ok::<_, AppError>(
            render(
                &viewer,
                &state,
                &application,
                FormPage::Attachments,
                &attachments,
                &errors,
            )
            .with_status(StatusCode::UNPROCESSABLE_ENTITY)
            .into_response(),
        )
    };
    let Some((file_name, bytes)) = upload.filter(|(_, bytes)| !bytes.is_empty()) else {
        return rejected(format!("请选择要上传的{}文件", kind.label())).await;
    };
    if bytes.len() > max {
        return rejected(format!(
            "文件“{file_name}”超过{}MB，请压缩或拆分后重新上传",
            max / (1024 * 1024)
        ))
        .await;
    }
    let Some(file_type) = FileType::detect(&bytes) else {
        return rejected(format!(
            "文件“{file_name}”不是PDF、JPEG或PNG文件，请转换格式后重新上传"
        ))
        .await;
    };

    let file_name = clean_file_name(&file_name, file_type);
    let store = state.store.clone();
    let actor = account.actor();
    let new = NewAttachment {
        kind,
        file_name,
        file_type,
        bytes,
    };
    let meta = blocking(move || store.add_attachment(id, &actor, new, Utc::now())).await?;
    tracing::info!(
        application = id,
        attachment = meta.id,
        size = meta.size,
        "attachment stored"
    );
    set_notice(
        session,
        format!("已上传{}：{}", kind.label(), meta.file_name),
    );
    Ok(Redirect::see_other(format!("/production/drafts/{id}/attachments")).into_response())
}

/// Keeps the last path component of an uploaded name, without control characters, and gives
/// it an extension that matches the detected type.
fn clean_file_name(name: &str, file_type: FileType) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let base: String = base.chars().filter(|c| !c.is_control()).take(100).collect();
    let base = if base.trim().is_empty() {
        "附件".to_string()
    } else {
        base
    };
    let extension = match file_type {
        FileType::Pdf => ".pdf",
        FileType::Jpeg => ".jpg",
        FileType::Png => ".png",
    };
    let lower = base.to_lowercase();
    let matches = match file_type {
        FileType::Pdf => lower.ends_with(".pdf"),
        FileType::Jpeg => lower.ends_with(".jpg") || lower.ends_with(".jpeg"),
        FileType::Png => lower.ends_with(".png"),
    };
    if matches {
        base
    } else {
        format!("{base}{extension}")
    }
}

#[handler]
pub async fn remove_attachment(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, attachment_id)): Path<(u64, u64)>,
) -> Result<Redirect, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    own_draft(&state, &account, id).await?;
    let store = state.store.clone();
    let actor = account.actor();
    blocking(move || store.remove_attachment(id, attachment_id, &actor))
        .await
        .map_err(|error| match error {
            AppError::Conflict(_) => AppError::Conflict("申请已提交，附件不能再删除".into()),
            other => other,
        })?;
    tracing::info!(
        application = id,
        attachment = attachment_id,
        "attachment removed"
    );
    set_notice(session, "附件已删除");
    Ok(Redirect::see_other(format!(
        "/production/drafts/{id}/attachments"
    )))
}
