//! The licensing procedure after filing: the authority's decisions, the review agency's
//! work, the applicant's replies, and the licence. Every step goes through the state machine
//! and is written with its event and the applicant's message in one transaction.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use redb::{ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::applications::{load, record, save, ActionError, Application};
use super::attachments::AttachmentMeta;
use super::licences::{Licence, LicenceSource};
use super::{decode, encode, messages, next_counter, tables, Store, StoreError};
use crate::domain::application::{check_approval, transition};
use crate::domain::certificate;
use crate::domain::time::china_date;
use crate::domain::{Action, Actor, ApplicationKind, ReviewOutcome};

/// One defect named in a 补正告知书, optionally tied to a page of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Defect {
    /// Slug of the form page concerned, if any.
    #[serde(default)]
    pub page: Option<String>,
    pub text: String,
}

/// A 补正告知书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionNotice {
    pub number: String,
    pub issued_at: DateTime<Utc>,
    pub defects: Vec<Defect>,
    #[serde(default)]
    pub resubmitted_at: Option<DateTime<Utc>>,
}

/// A refusal: 不予受理决定书 or 不予许可决定书.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    pub number: String,
    pub reason: String,
    pub explanation: String,
    pub issued_at: DateTime<Utc>,
}

/// The review agency's record of the on-site review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub outcome: ReviewOutcome,
    pub recorded_at: DateTime<Utc>,
    /// 备忘录: the items to rectify.
    #[serde(default)]
    pub memo: String,
    #[serde(default)]
    pub rectification_due: Option<NaiveDate>,
    #[serde(default)]
    pub rectified_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub rectification_note: String,
}

/// The applicant's 评审反馈表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Feedback {
    /// Grades 1 (非常满意) to 5 (非常不满意) for punctuality, professionalism and conduct.
    pub punctuality: u8,
    pub professionalism: u8,
    pub integrity: u8,
    pub overall: u8,
    pub comments: String,
    pub submitted_at: DateTime<Utc>,
}

/// The five grades of satisfaction, best first.
pub const SATISFACTION: [&str; 5] = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"];

impl Feedback {
    /// Returns whether any grade is 不满意 or worse, which the authority follows up.
    pub fn is_low(&self) -> bool {
        [
            self.punctuality,
            self.professionalism,
            self.integrity,
            self.overall,
        ]
        .iter()
        .any(|grade| *grade >= 4)
    }
}

/// The record of the steps after filing, kept on the application.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Procedure {
    /// Start of the 5-working-day acceptance clock: filing or the latest resubmission.
    pub filed_at: Option<DateTime<Utc>>,
    pub agency: Option<u64>,
    pub corrections: Vec<CorrectionNotice>,
    pub refusal: Option<Refusal>,
    pub proposed_dates: Vec<NaiveDate>,
    /// Reasons the applicant gave when asking for other dates, oldest first.
    pub date_requests: Vec<String>,
    pub agreed_date: Option<NaiveDate>,
    pub review: Option<ReviewRecord>,
    pub report_attachment: Option<u64>,
    pub report_received_at: Option<DateTime<Utc>>,
    pub feedback: Option<Feedback>,
    pub decided_at: Option<DateTime<Utc>>,
    pub issued_licence: Option<u64>,
}

/// The certificate details that the web layer prepares for 准予许可.
#[derive(Debug, Clone)]
pub struct CertificateDetails {
    pub unit_name: String,
    pub domicile: String,
    pub addresses: Vec<String>,
    pub activity_digit: u8,
    pub equipment_digit: u8,
}

/// An action with what it carries.
#[derive(Debug, Clone)]
pub enum Command {
    Withdraw,
    DeleteDraft,
    Accept {
        agency: u64,
    },
    RequestCorrection {
        defects: Vec<Defect>,
    },
    RefuseAcceptance {
        reason: String,
        explanation: String,
    },
    ProposeDates {
        dates: Vec<NaiveDate>,
    },
    ConfirmDate {
        date: NaiveDate,
    },
    AskOtherDate {
        reason: String,
    },
    RecordReview {
        outcome: ReviewOutcome,
        memo: String,
        rectification_due: Option<NaiveDate>,
        report: Option<u64>,
    },
    ReportRectified {
        note: String,
    },
    SubmitReport {
        report: u64,
    },
    Approve {
        certificate: CertificateDetails,
    },
    Deny {
        reason: String,
        explanation: String,
    },
}

impl Command {
    pub fn action(&self) -> Action {
        match self {
            Command::Withdraw => Action::Withdraw,
            Command::DeleteDraft => Action::DeleteDraft,
            Command::Accept { .. } => Action::Accept,
            Command::RequestCorrection { .. } => Action::RequestCorrection,
            Command::RefuseAcceptance { .. } => Action::RefuseAcceptance,
            Command::ProposeDates { .. } => Action::ProposeDates,
            Command::ConfirmDate { .. } => Action::ConfirmDate,
            Command::AskOtherDate { .. } => Action::AskOtherDate,
            Command::RecordReview { outcome, .. } => Action::RecordReview(*outcome),
            Command::ReportRectified { .. } => Action::ReportRectified,
            Command::SubmitReport { .. } => Action::SubmitReport,
            Command::Approve { .. } => Action::Approve,
            Command::Deny { .. } => Action::Deny,
        }
    }
}

/// Issues the next number of a document series for the application's authority and year.
fn document_number(
    txn: &WriteTransaction,
    series: &str,
    prefix: &str,
    application: &Application,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let year = china_date(now).year();
    let authority = application.authority.unwrap_or_default();
    let serial = next_counter(txn, &format!("serial:{series}:{year}:{authority:02}"))?;
    Ok(format!("{prefix}〔{year}〕{authority:02}-{serial:05}号"))
}

impl Store {
    /// Takes `command` on an application: the state machine decides the new status, and the
    /// record, its event and the applicant's message are written in one transaction.
    pub fn act_on_application(
        &self,
        id: u64,
        command: Command,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let action = command.action();
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(ActionError::NotFound(id))?;
        let from = application.status;
        let mut parties = application.parties();
        if let Command::Accept { agency } = &command {
            parties.agency = Some(*agency);
        }
        let to = transition(Some(from), action, actor, &parties)?;
        if action == Action::Approve {
            check_approval(
                application
                    .procedure
                    .review
                    .as_ref()
                    .map(|review| review.outcome),
            )?;
        }
        if action == Action::AskOtherDate && application.procedure.proposed_dates.is_empty() {
            return Err(ActionError::NoProposedDates);
        }

        let document = apply(&txn, &mut application, command, now)?;
        application.status = to;
        application.updated_at = now;
        save(&txn, &application)?;
        record(
            &txn,
            &application,
            actor,
            action,
            Some(from),
            document.clone(),
            now,
        )?;
        // Every transition leaves the applicant a message, except deleting a draft, which is
        // housekeeping.
        if action != Action::DeleteDraft {
            let mut text = format!(
                "您的申请{}：{}，当前状态为“{}”",
                application.number_label(),
                action.label(),
                to.label()
            );
            if let Some(document) = &document {
                text.push_str(&format!("，文书编号{document}"));
            }
            messages::leave(&txn, application.applicant_account, id, text, now)?;
        }
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }
}

/// Applies what `command` carries to the record; returns the number of the document it
/// issues, if any.
fn apply(
    txn: &WriteTransaction,
    application: &mut Application,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Option<String>, ActionError> {
    let procedure = &mut application.procedure;
    let document = match command {
        Command::Withdraw => {
            application.withdrawn_at = Some(now);
            None
        }
        Command::DeleteDraft => {
            super::attachments::remove_all(txn, application.id)?;
            None
        }
        Command::Accept { agency } => {
            let number = document_number(txn, "acceptance", "特许受字", application, now)?;
            application.accepted_at = Some(now);
            application.acceptance_number = Some(number.clone());
            application.procedure.agency = Some(agency);
            txn.open_multimap_table(tables::APPLICATIONS_BY_AGENCY)?
                .insert(agency, application.id)?;
            Some(number)
        }
        Command::RequestCorrection { defects } => {
            let number = document_number(txn, "correction", "特许补字", application, now)?;
            application.procedure.corrections.push(CorrectionNotice {
                number: number.clone(),
                issued_at: now,
                defects,
                resubmitted_at: None,
            });
            Some(number)
        }
        Command::RefuseAcceptance {
            reason,
            explanation,
        } => {
            let number = document_number(txn, "non_acceptance", "特许不受字", application, now)?;
            application.procedure.refusal = Some(Refusal {
                number: number.clone(),
                reason,
                explanation,
                issued_at: now,
            });
            application.procedure.decided_at = Some(now);
            Some(number)
        }
        Command::ProposeDates { dates } => {
            procedure.proposed_dates = dates;
            None
        }
        Command::ConfirmDate { date } => {
            procedure.agreed_date = Some(date);
            procedure.proposed_dates.clear();
            None
        }
        Command::AskOtherDate { reason } => {
            procedure.date_requests.push(reason);
            procedure.proposed_dates.clear();
            None
        }
        Command::RecordReview {
            outcome,
            memo,
            rectification_due,
            report,
        } => {
            procedure.review = Some(ReviewRecord {
                outcome,
                recorded_at: now,
                memo,
                rectification_due,
                rectified_at: None,
                rectification_note: String::new(),
            });
            if report.is_some() {
                procedure.report_attachment = report;
                procedure.report_received_at = Some(now);
            }
            None
        }
        Command::ReportRectified { note } => {
            if let Some(review) = procedure.review.as_mut() {
                review.rectified_at = Some(now);
                review.rectification_note = note;
            }
            None
        }
        Command::SubmitReport { report } => {
            procedure.report_attachment = Some(report);
            procedure.report_received_at = Some(now);
            None
        }
        Command::Approve { certificate } => {
            let licence = issue_licence(txn, application, certificate, now)?;
            application.procedure.issued_licence = Some(licence.id);
            application.procedure.decided_at = Some(now);
            Some(licence.number)
        }
        Command::Deny {
            reason,
            explanation,
        } => {
            let number = document_number(txn, "denial", "特许不许字", application, now)?;
            application.procedure.refusal = Some(Refusal {
                number: number.clone(),
                reason,
                explanation,
                issued_at: now,
            });
            application.procedure.decided_at = Some(now);
            Some(number)
        }
    };
    Ok(document)
}

/// Issues the licence of an approved application inside `txn`. A reissue keeps the number
/// and expiry of the licence it replaces. Every other kind gets a new number, and the
/// licence it starts from is marked replaced.
fn issue_licence(
    txn: &WriteTransaction,
    application: &Application,
    certificate: CertificateDetails,
    now: DateTime<Utc>,
) -> Result<Licence, ActionError> {
    let authority = application.authority.unwrap_or_default();
    let issued_on = china_date(now);
    let previous = match &application.licence {
        Some(reference) => load_licence(txn, reference.licence_id)?,
        None => None,
    };

    let number = match (&application.kind, &previous) {
        (ApplicationKind::Reissue { .. }, Some(previous)) => previous.number.clone(),
        _ => {
            let serial = unit_serial(txn, authority, application.applicant_account)?;
            certificate::licence_number(
                certificate.activity_digit,
                certificate.equipment_digit,
                authority,
                serial,
                issued_on.year(),
            )
        }
    };
    let expires_on = certificate::expiry(
        &application.kind,
        issued_on,
        previous.as_ref().map(|licence| licence.expires_on),
    );

    let id = match (&application.kind, &previous) {
        (ApplicationKind::Reissue { .. }, Some(previous)) => previous.id,
        _ => next_counter(txn, "next_id:licence")?,
    };
    let licence = Licence {
        id,
        holder_account: application.applicant_account,
        number: number.clone(),
        sub_items: application.sub_items.clone(),
        expires_on,
        source: LicenceSource::Issued,
        last_renewal_self_declared: matches!(
            application.kind,
            ApplicationKind::Renewal {
                self_declaration: true,
                ..
            }
        ),
        created_at: now,
        unit_name: certificate.unit_name,
        domicile: certificate.domicile,
        addresses: certificate.addresses,
        authority: Some(authority),
        issued_on: Some(issued_on),
        application_id: Some(application.id),
        replaced_by: None,
    };
    txn.open_table(tables::LICENCES)?
        .insert(id, encode(&licence).as_slice())?;
    txn.open_multimap_table(tables::LICENCES_BY_HOLDER)?
        .insert(licence.holder_account, id)?;
    // A number already issued stays with its holder. When the same unit gets the same
    // number again (a second first licence of the same activity and class), the new
    // certificate replaces the old one.
    let holder_of_number = {
        let numbers = txn.open_table(tables::LICENCES_BY_NUMBER)?;
        let existing = numbers.get(number.as_str())?.map(|value| value.value());
        existing
    };
    if let Some(existing) = holder_of_number.filter(|existing| *existing != id) {
        if let Some(mut older) = load_licence(txn, existing)? {
            if older.holder_account != licence.holder_account {
                return Err(ActionError::LicenceNumberTaken(number));
            }
            older.replaced_by = Some(number.clone());
            txn.open_table(tables::LICENCES)?
                .insert(older.id, encode(&older).as_slice())?;
        }
    }
    txn.open_table(tables::LICENCES_BY_NUMBER)?
        .insert(number.as_str(), id)?;

    if let Some(mut previous) = previous.filter(|previous| previous.id != id) {
        previous.replaced_by = Some(number);
        txn.open_table(tables::LICENCES)?
            .insert(previous.id, encode(&previous).as_slice())?;
    }
    Ok(licence)
}

fn load_licence(txn: &WriteTransaction, id: u64) -> Result<Option<Licence>, StoreError> {
    let table = txn.open_table(tables::LICENCES)?;
    let value = table.get(id)?;
    value
        .map(|bytes| decode("licences", id, bytes.value()))
        .transpose()
}

/// Returns the three-digit serial of a unit at an authority, assigned at its first licence there and
/// kept for every later one.
fn unit_serial(txn: &WriteTransaction, authority: u8, account: u64) -> Result<u64, StoreError> {
    let key = format!("unit_serial:{authority:02}:{account}");
    let existing = {
        let meta = txn.open_table(tables::META)?;
        let value = meta.get(key.as_str())?.map(|value| value.value());
        value
    };
    if let Some(serial) = existing {
        return Ok(serial);
    }
    let serial = next_counter(txn, &format!("serial:unit:{authority:02}"))?;
    txn.open_table(tables::META)?.insert(key.as_str(), serial)?;
    Ok(serial)
}

impl Store {
    /// Stores the applicant's 评审反馈表 once the review report is in. It changes no status.
    pub fn submit_feedback(
        &self,
        id: u64,
        actor: &Actor,
        feedback: Feedback,
    ) -> Result<Application, ActionError> {
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(ActionError::NotFound(id))?;
        let allowed = actor.account_id == application.applicant_account
            && application.procedure.report_received_at.is_some()
            && application.procedure.feedback.is_none();
        if !allowed {
            return Err(if application.procedure.feedback.is_some() {
                ActionError::FeedbackGiven
            } else {
                ActionError::NotEditable
            });
        }
        application.procedure.feedback = Some(feedback);
        save(&txn, &application)?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    /// Returns the report attachment's metadata of an application, if the agency uploaded one.
    pub fn review_report(
        &self,
        application: &Application,
    ) -> Result<Option<AttachmentMeta>, StoreError> {
        match application.procedure.report_attachment {
            Some(id) => self.attachment(id),
            None => Ok(None),
        }
    }
}
