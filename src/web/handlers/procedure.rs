//! The steps after filing, for all three parties: the authority's decisions, the review
//! agency's dates, conclusion and report, and the applicant's replies and feedback.

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use poem::{
    handler,
    http::StatusCode,
    session::Session,
    web::{Data, Multipart, Path, Redirect},
    IntoResponse, Response,
};

use super::applications::{render_detail, visible_application};
use crate::domain::application_form::FormPage;
use crate::domain::attachment::{AttachmentKind, FileType};
use crate::domain::certificate::{activity_digit, equipment_digit};
use crate::domain::deadline::latest_rectification_due;
use crate::domain::time::china_date;
use crate::domain::{ApplicationStatus, ReviewOutcome, Role};
use crate::store::{
    Account, Application, CertificateDetails, Command, Defect, Feedback, NewAttachment,
};
use crate::web::auth::{set_notice, Viewer};
use crate::web::blocking::blocking;
use crate::web::forms::{FieldErrors, FormPairs};
use crate::web::views::drafts::address_label;
use crate::web::{AppError, AppState};

/// Reasons the rules allow for 不予受理.
pub const NON_ACCEPTANCE_REASONS: [&str; 3] = [
    "申请事项不属于本机关职权范围",
    "申请人隐瞒有关情况或者提供虚假材料",
    "申请人被撤销许可证未满3年",
];

/// Reasons for 不予许可.
pub const DENIAL_REASONS: [&str; 2] = [
    "鉴定评审结论为不符合条件",
    "整改期满未完成整改或整改后仍不符合条件",
];

/// Most defects one 补正告知书 lists; the form offers this many rows.
pub const MAX_DEFECTS: usize = 10;

/// Most review dates an agency proposes at once.
pub const MAX_PROPOSED_DATES: usize = 3;

/// Runs `command` and brings the search index up to date; a rejected transition becomes a
/// 409 page with the state machine's message.
async fn run(
    state: &AppState,
    account: &Account,
    id: u64,
    command: Command,
) -> Result<Application, AppError> {
    let store = state.store.clone();
    let search = state.search.clone();
    let actor = account.actor();
    let action = command.action();
    let result = blocking(move || {
        let application = store.act_on_application(id, command, &actor, Utc::now())?;
        search.catch_up(&store).map_err(AppError::from)?;
        Ok::<_, AppError>(application)
    })
    .await;
    match &result {
        Ok(application) => tracing::info!(
            application = id,
            account = account.id,
            action = action.label(),
            status = application.status.label(),
            "application status changed"
        ),
        Err(error) => {
            tracing::info!(application = id, account = account.id, %error, "action rejected")
        }
    }
    result
}

fn back_to(id: u64) -> Redirect {
    Redirect::see_other(format!("/production/applications/{id}"))
}

/// Re-renders the application page with messages on the form of the step that failed.
async fn invalid(
    viewer: &Viewer,
    state: &AppState,
    application: &Application,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    Ok(render_detail(viewer, state, application, &errors)
        .await?
        .with_status(StatusCode::UNPROCESSABLE_ENTITY)
        .into_response())
}

#[handler]
pub async fn staff_step(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, step)): Path<(u64, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AuthorityStaff)?.clone();
    let application = visible_application(&state, &account, id).await?;
    let mut errors = FieldErrors::default();

    let command = match step.as_str() {
        "accept" => {
            let agency = form.get("agency").parse::<u64>().ok();
            let store = state.store.clone();
            let known = match agency {
                Some(agency) => blocking(move || store.agency(agency)).await?.is_some(),
                None => false,
            };
            if !known {
                errors.add("agency", "请选择本申请的鉴定评审机构");
            }
            agency.map(|agency| Command::Accept { agency })
        }
        "correct" => {
            let defects: Vec<Defect> = (0..MAX_DEFECTS)
                .filter_map(|index| {
                    let text = form.get(&format!("defect_{index}"));
                    if text.is_empty() {
                        return None;
                    }
                    let page = form.get(&format!("defect_{index}_page"));
                    Some(Defect {
                        page: FormPage::from_slug(&page).map(|page| page.slug().to_string()),
                        text: text.chars().take(500).collect(),
                    })
                })
                .collect();
            if defects.is_empty() {
                errors.add("defect_0", "请逐条填写需要补正的内容，一次告知全部问题");
            }
            Some(Command::RequestCorrection { defects })
        }
        "refuse" | "deny" => {
            let reasons: &[&str] = if step == "refuse" {
                &NON_ACCEPTANCE_REASONS
            } else {
                &DENIAL_REASONS
            };
            let reason = form.get(&format!("{step}_reason"));
            if !reasons.contains(&reason.as_str()) {
                errors.add(format!("{step}_reason"), "请选择法定理由");
            }
            let explanation: String = form
                .get(&format!("{step}_explanation"))
                .chars()
                .take(1000)
                .collect();
            if explanation.chars().count() < 5 {
                errors.add(
                    format!("{step}_explanation"),
                    "请写明具体说明（不少于5个字）",
                );
            }
            Some(if step == "refuse" {
                Command::RefuseAcceptance {
                    reason,
                    explanation,
                }
            } else {
                Command::Deny {
                    reason,
                    explanation,
                }
            })
        }
        "approve" => Some(Command::Approve {
            certificate: certificate_details(&state, &application),
        }),
        _ => return Err(AppError::NotFound),
    };

    let Some(command) = command.filter(|_| errors.is_empty()) else {
        return invalid(&viewer, &state, &application, errors).await;
    };
    let updated = run(&state, &account, id, command).await?;
    set_notice(
        session,
        format!(
            "已办理：申请{}，当前状态“{}”",
            updated.number_label(),
            updated.status.label()
        ),
    );
    Ok(back_to(id).into_response())
}

/// Builds the certificate text from the application: the unit as filed, its addresses and
/// the digits of the first sub-item.
fn certificate_details(state: &AppState, application: &Application) -> CertificateDetails {
    let first = application.sub_items.first();
    CertificateDetails {
        unit_name: application.form.unit.unit_name.clone(),
        domicile: application.form.unit.domicile.clone(),
        addresses: application
            .form
            .addresses
            .iter()
            .enumerate()
            .map(|(index, address)| address_label(index + 1, address, &state.authorities))
            .collect(),
        activity_digit: first
            .map(|item| activity_digit(&item.category))
            .unwrap_or(0),
        equipment_digit: first.map(|item| equipment_digit(&item.item)).unwrap_or(0),
    }
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[handler]
pub async fn applicant_step(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, step)): Path<(u64, String)>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::Enterprise)?.clone();
    let application = visible_application(&state, &account, id).await?;
    let mut errors = FieldErrors::default();
    let command = match step.as_str() {
        "confirm-date" => {
            let date = parse_date(&form.get("date"))
                .filter(|date| application.procedure.proposed_dates.contains(date));
            if date.is_none() {
                errors.add("date", "请从鉴定评审机构提出的日期中选择一个");
            }
            date.map(|date| Command::ConfirmDate { date })
        }
        "other-date" => {
            let reason: String = form.get("other_date_reason").chars().take(500).collect();
            if reason.chars().count() < 5 {
                errors.add(
                    "other_date_reason",
                    "请说明不能接受所提日期的理由（不少于5个字）",
                );
            }
            Some(Command::AskOtherDate { reason })
        }
        "rectified" => {
            let note: String = form.get("rectification_note").chars().take(2000).collect();
            if note.chars().count() < 5 {
                errors.add(
                    "rectification_note",
                    "请简要说明整改完成情况（不少于5个字）",
                );
            }
            Some(Command::ReportRectified { note })
        }
        "feedback" => {
            return feedback(&viewer, &state, session, &account, &application, &form).await
        }
        _ => return Err(AppError::NotFound),
    };
    let Some(command) = command.filter(|_| errors.is_empty()) else {
        return invalid(&viewer, &state, &application, errors).await;
    };
    let updated = run(&state, &account, id, command).await?;
    set_notice(
        session,
        format!("已提交，申请当前状态“{}”", updated.status.label()),
    );
    Ok(back_to(id).into_response())
}

async fn feedback(
    viewer: &Viewer,
    state: &AppState,
    session: &Session,
    account: &Account,
    application: &Application,
    form: &FormPairs,
) -> Result<Response, AppError> {
    let mut errors = FieldErrors::default();
    let mut grade = |field: &'static str, label: &str| {
        let value = form
            .get(field)
            .parse::<u8>()
            .ok()
            .filter(|grade| (1..=5).contains(grade));
        if value.is_none() {
            errors.add(field, format!("请选择对{label}的评价"));
        }
        value.unwrap_or(0)
    };
    let punctuality = grade("punctuality", "守时情况");
    let professionalism = grade("professionalism", "专业水平");
    let integrity = grade("integrity", "工作作风和廉洁自律");
    let overall = grade("overall", "总体满意度");
    if !errors.is_empty() {
        return invalid(viewer, state, application, errors).await;
    }
    let feedback = Feedback {
        punctuality,
        professionalism,
        integrity,
        overall,
        comments: form.get("comments").chars().take(1000).collect(),
        submitted_at: Utc::now(),
    };
    if application.procedure.report_received_at.is_none() {
        return Err(AppError::Conflict(
            "评审报告提交后才能填写评审反馈表".into(),
        ));
    }
    let low = feedback.is_low();
    let store = state.store.clone();
    let actor = account.actor();
    let id = application.id;
    blocking(move || store.submit_feedback(id, &actor, feedback)).await?;
    tracing::info!(
        application = id,
        low_rating = low,
        "review feedback submitted"
    );
    set_notice(session, "评审反馈表已提交，感谢您的评价");
    Ok(back_to(id).into_response())
}

#[handler]
pub async fn agency_step(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path(id): Path<u64>,
    form: FormPairs,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AgencyStaff)?.clone();
    let application = visible_application(&state, &account, id).await?;
    let today = china_date(Utc::now());
    let mut errors = FieldErrors::default();
    let mut dates = Vec::new();
    for index in 0..MAX_PROPOSED_DATES {
        let text = form.get(&format!("date_{index}"));
        if text.is_empty() {
            continue;
        }
        let latest = today
            .checked_add_months(chrono::Months::new(12))
            .unwrap_or(today);
        match parse_date(&text) {
            Some(date) if date >= today && date <= latest => dates.push(date),
            Some(date) if date > latest => errors.add(
                format!("date_{index}"),
                format!("评审日期应在一年之内，最迟{}", latest.format("%Y-%m-%d")),
            ),
            Some(_) => errors.add(format!("date_{index}"), "评审日期不能早于今天"),
            None => errors.add(format!("date_{index}"), "请按“2026-12-20”的格式填写日期"),
        }
    }
    dates.sort();
    dates.dedup();
    if dates.is_empty() && errors.is_empty() {
        errors.add("date_0", "请至少提出一个评审日期");
    }
    if !errors.is_empty() {
        return invalid(&viewer, &state, &application, errors).await;
    }
    run(&state, &account, id, Command::ProposeDates { dates }).await?;
    set_notice(session, "评审日期已提出，等待申请单位确认");
    Ok(back_to(id).into_response())
}

/// Records the agency's conclusion, or its report after rectification, with the report file
/// in the same multipart body.
#[handler]
pub async fn agency_report(
    viewer: Viewer,
    state: Data<&Arc<AppState>>,
    session: &Session,
    Path((id, step)): Path<(u64, String)>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let account = viewer.with_role(Role::AgencyStaff)?.clone();
    let application = visible_application(&state, &account, id).await?;
    // Check the step against the status before anything is stored, so that a refused step
    // leaves no report behind.
    let expected = match step.as_str() {
        "review" => ApplicationStatus::ReviewScheduled,
        "report" => ApplicationStatus::RectificationReported,
        _ => return Err(AppError::NotFound),
    };
    if application.status != expected {
        return Err(AppError::Conflict(format!(
            "该申请当前状态为“{}”，不能{}",
            application.status.label(),
            if step == "review" {
                "录入评审结论"
            } else {
                "提交评审报告"
            }
        )));
    }
    let today = china_date(Utc::now());
    if let Some(agreed) = application
        .procedure
        .agreed_date
        .filter(|agreed| step == "review" && today < *agreed)
    {
        return Err(AppError::Conflict(format!(
            "约定的评审日期为{}，评审后才能录入评审结论",
            agreed.format("%Y-%m-%d")
        )));
    }
    let mut fields = FormPairs::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(part) = multipart
        .next_field()
        .await
        .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?
    {
        let name = part.name().unwrap_or("").to_string();
        if name == "report" {
            let file_name = part.file_name().unwrap_or("").to_string();
            let bytes = part
                .bytes()
                .await
                .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes));
            }
        } else {
            let value = part
                .text()
                .await
                .map_err(|error| AppError::BadRequest(format!("上传内容无法读取：{error}")))?;
            fields.0.push((name, value.chars().take(2000).collect()));
        }
    }

    let mut errors = FieldErrors::default();
    let outcome = match (step.as_str(), fields.get("outcome").as_str()) {
        ("review", "conforming") => Some(ReviewOutcome::Conforming),
        ("review", "rectification") => Some(ReviewOutcome::ConformingAfterRectification),
        ("review", "nonconforming") => Some(ReviewOutcome::NonConforming),
        ("review", _) => {
            errors.add("outcome", "请选择评审结论");
            None
        }
        ("report", _) => None,
        _ => return Err(AppError::NotFound),
    };
    let needs_file = outcome != Some(ReviewOutcome::ConformingAfterRectification);
    let mut report = None;
    match (&file, needs_file) {
        (None, true) if errors.is_empty() || step == "report" => {
            errors.add("report", "请上传评审报告（PDF、JPEG或PNG）")
        }
        (Some((file_name, bytes)), _) => {
            if bytes.len() > state.config.max_attachment_bytes() {
                errors.add("report", "评审报告文件过大，请压缩后重新上传");
            } else if let Some(file_type) = FileType::detect(bytes) {
                report = Some(NewAttachment {
                    kind: AttachmentKind::ReviewReport,
                    file_name: if file_name.is_empty() {
                        "评审报告".into()
                    } else {
                        file_name.chars().take(100).collect()
                    },
                    file_type,
                    bytes: bytes.clone(),
                });
            } else {
                errors.add("report", format!("文件“{file_name}”不是PDF、JPEG或PNG文件"));
            }
        }
        _ => {}
    }
    let mut memo = String::new();
    let mut rectification_due = None;
    if outcome == Some(ReviewOutcome::ConformingAfterRectification) {
        memo = fields.get("memo");
        if memo.chars().count() < 5 {
            errors.add("memo", "请在备忘录中逐项列明需要整改的问题");
        }
        let today = china_date(Utc::now());
        match parse_date(&fields.get("rectification_due")) {
            Some(due) if due > today && due <= latest_rectification_due(today) => {
                rectification_due = Some(due)
            }
            Some(_) => errors.add(
                "rectification_due",
                format!(
                    "整改期限应在今天之后、不超过6个月（最迟{}）",
                    latest_rectification_due(today).format("%Y-%m-%d")
                ),
            ),
            None => errors.add("rectification_due", "请按“2027-03-31”的格式填写整改期限"),
        }
    }
    if !errors.is_empty() {
        return invalid(&viewer, &state, &application, errors).await;
    }

    let report_id = match report {
        Some(new) => {
            let store = state.store.clone();
            let actor = account.actor();
            Some(
                blocking(move || store.add_attachment(id, &actor, new, Utc::now()))
                    .await?
                    .id,
            )
        }
        None => None,
    };
    let command = match outcome {
        Some(outcome) => Command::RecordReview {
            outcome,
            memo,
            rectification_due,
            report: report_id,
        },
        None => Command::SubmitReport {
            report: report_id.ok_or_else(|| AppError::internal("report checked above"))?,
        },
    };
    run(&state, &account, id, command).await?;
    set_notice(session, "评审结论已提交");
    Ok(back_to(id).into_response())
}
