//! Inspection and NDT personnel qualification applications, their photos and certificates.
//! Every status change goes through the personnel state machine and is written with its
//! event in the same transaction.

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::events::{self, EventAction, EventStatus, NewEvent};
use super::procedure::{CorrectionNotice, Defect, Refusal};
use super::{decode, encode, messages, next_counter, tables, Store, StoreError};
use crate::domain::attachment::FileType;
use crate::domain::eligibility::Category;
use crate::domain::personnel_application::{
    transition, ExamRecord, Facts, PersonnelAction, PersonnelError, PersonnelStatus, Subject,
};
use crate::domain::time::china_date;
use crate::domain::{Actor, AuthorityCode};

/// Years a personnel certificate is valid.
pub const CERTIFICATE_YEARS: u32 = 5;

/// A certificate the applicant already holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldRecord {
    pub code: String,
    pub level: String,
    pub first_issued: NaiveDate,
    pub expires_on: NaiveDate,
}

/// The application form (申请表) as filed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonnelForm {
    pub name: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub document_number: String,
    pub education: String,
    pub major: String,
    pub title: String,
    pub years_of_work: String,
    pub employer_name: String,
    pub employer_credit_code: String,
    pub mailing_address: String,
    pub mobile: String,
    pub held: Vec<HeldRecord>,
    /// 未脱离本岗位6个月以上 (declared not out of work 6 months or more).
    pub in_work: bool,
    /// 无违法违规行为.
    pub no_violations: bool,
}

/// A personnel certificate (特种设备检验、检测人员证).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonnelCertificate {
    pub number: String,
    pub issued_on: NaiveDate,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonnelApplication {
    pub id: u64,
    /// Such as `RY2026-32-00001`.
    pub number: String,
    pub applicant_account: u64,
    /// 人员类型, as shown.
    pub personnel_type: String,
    /// 项目代号 without the level, such as `RT`.
    pub code: String,
    /// Level such as `II`; empty for inspector items.
    pub level: String,
    /// 项目名称.
    pub item_name: String,
    pub category: Category,
    /// 提交机构.
    pub authority: AuthorityCode,
    pub form: PersonnelForm,
    #[serde(default)]
    pub photo: Option<FileType>,
    pub status: PersonnelStatus,
    pub submitted_at: DateTime<Utc>,
    /// Start of the current 5-working-day acceptance clock: filing or resubmission.
    pub filed_at: DateTime<Utc>,
    #[serde(default)]
    pub accepted_at: Option<DateTime<Utc>>,
    /// Number of the 受理通知书.
    #[serde(default)]
    pub acceptance_number: Option<String>,
    #[serde(default)]
    pub exam_results_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub corrections: Vec<CorrectionNotice>,
    #[serde(default)]
    pub refusal: Option<Refusal>,
    #[serde(default)]
    pub exam: ExamRecord,
    #[serde(default)]
    pub certificate: Option<PersonnelCertificate>,
    pub updated_at: DateTime<Utc>,
}

impl PersonnelApplication {
    /// Returns the item as the real list shows it: `RT-II`.
    pub fn display_code(&self) -> String {
        crate::domain::personnel::display_code(&self.code, &self.level)
    }
}

/// A personnel application as an individual files it.
pub struct NewPersonnelApplication {
    pub applicant_account: u64,
    pub personnel_type: String,
    pub code: String,
    pub level: String,
    pub item_name: String,
    pub category: Category,
    pub authority: AuthorityCode,
    pub form: PersonnelForm,
    pub photo: (FileType, Vec<u8>),
}

/// A step with what it carries.
#[derive(Debug, Clone)]
pub enum PersonnelCommand {
    Withdraw,
    ReceiveMaterials,
    Accept,
    RequestCorrection {
        defects: Vec<Defect>,
    },
    Resubmit {
        form: Box<PersonnelForm>,
        photo: Option<(FileType, Vec<u8>)>,
    },
    RefuseAcceptance {
        reason: String,
        explanation: String,
    },
    ArrangeExam,
    RecordScore {
        subject: Subject,
        score: u8,
    },
    Certify,
}

impl PersonnelCommand {
    pub fn action(&self) -> PersonnelAction {
        match self {
            PersonnelCommand::Withdraw => PersonnelAction::Withdraw,
            PersonnelCommand::ReceiveMaterials => PersonnelAction::ReceiveMaterials,
            PersonnelCommand::Accept => PersonnelAction::Accept,
            PersonnelCommand::RequestCorrection { .. } => PersonnelAction::RequestCorrection,
            PersonnelCommand::Resubmit { .. } => PersonnelAction::Resubmit,
            PersonnelCommand::RefuseAcceptance { .. } => PersonnelAction::RefuseAcceptance,
            PersonnelCommand::ArrangeExam => PersonnelAction::ArrangeExam,
            PersonnelCommand::RecordScore { subject, .. } => PersonnelAction::RecordScore(*subject),
            PersonnelCommand::Certify => PersonnelAction::Certify,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PersonnelActionError {
    #[error("personnel application {0} not found")]
    NotFound(u64),
    #[error(transparent)]
    Rule(#[from] PersonnelError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

macro_rules! redb_error_into_action_error {
    ($($error:ty),*) => {
        $(impl From<$error> for PersonnelActionError {
            fn from(error: $error) -> Self {
                PersonnelActionError::Store(StoreError::from(error))
            }
        })*
    };
}

redb_error_into_action_error!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

fn load(txn: &WriteTransaction, id: u64) -> Result<Option<PersonnelApplication>, StoreError> {
    let table = txn.open_table(tables::PERSONNEL_APPLICATIONS)?;
    let value = table.get(id)?;
    value
        .map(|bytes| decode("personnel_applications", id, bytes.value()))
        .transpose()
}

fn save(txn: &WriteTransaction, application: &PersonnelApplication) -> Result<(), StoreError> {
    txn.open_table(tables::PERSONNEL_APPLICATIONS)?
        .insert(application.id, encode(application).as_slice())?;
    Ok(())
}

fn save_photo(txn: &WriteTransaction, id: u64, bytes: &[u8]) -> Result<(), StoreError> {
    txn.open_table(tables::PERSONNEL_PHOTOS)?
        .insert(id, bytes)?;
    Ok(())
}

impl Store {
    /// Files a personnel application with its photo and first event.
    pub fn submit_personnel_application(
        &self,
        new: NewPersonnelApplication,
        actor: &Actor,
        now: DateTime<Utc>,
        due: &dyn Fn(PersonnelStatus, NaiveDate) -> Option<NaiveDate>,
    ) -> Result<PersonnelApplication, PersonnelActionError> {
        let exam = ExamRecord::default();
        let facts = Facts {
            applicant_account: new.applicant_account,
            authority: new.authority,
            category: new.category,
            accepted_on: None,
            today: china_date(now),
            exam: &exam,
        };
        let status = transition(None, PersonnelAction::Submit, actor, &facts)?;

        let txn = self.write()?;
        // Ids come from the same counter as production applications, so that an id names
        // one application in the shared event log.
        let id = next_counter(&txn, "next_id:application")?;
        let year = china_date(now).year();
        let serial = next_counter(
            &txn,
            &format!("serial:personnel:{year}:{:02}", new.authority),
        )?;
        let application = PersonnelApplication {
            id,
            number: format!("RY{year}-{:02}-{serial:05}", new.authority),
            applicant_account: new.applicant_account,
            personnel_type: new.personnel_type,
            code: new.code,
            level: new.level,
            item_name: new.item_name,
            category: new.category,
            authority: new.authority,
            form: new.form,
            photo: Some(new.photo.0),
            status,
            submitted_at: now,
            filed_at: now,
            accepted_at: None,
            acceptance_number: None,
            exam_results_at: None,
            corrections: Vec::new(),
            refusal: None,
            exam: ExamRecord::default(),
            certificate: None,
            updated_at: now,
        };
        save(&txn, &application)?;
        save_photo(&txn, id, &new.photo.1)?;
        txn.open_multimap_table(tables::PERSONNEL_BY_APPLICANT)?
            .insert(application.applicant_account, id)?;
        txn.open_multimap_table(tables::PERSONNEL_BY_AUTHORITY)?
            .insert(u64::from(application.authority), id)?;
        let step = Step {
            action: PersonnelAction::Submit,
            from: None,
            document: None,
            due: due(status, china_date(now)),
        };
        record(&txn, &application, actor, step, now)?;
        let text = format!(
            "您的{}申请{}已提交，当前状态为“{}”",
            application.display_code(),
            application.number,
            status.label()
        );
        messages::leave(&txn, application.applicant_account, id, text, now)?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    /// Takes a step on a personnel application through the state machine; the record, its
    /// event and the applicant's message are written in one transaction.
    /// `due` gives the working-day deadline that the new status starts, which the event
    /// records.
    pub fn act_on_personnel_application(
        &self,
        id: u64,
        command: PersonnelCommand,
        actor: &Actor,
        now: DateTime<Utc>,
        due: &dyn Fn(PersonnelStatus, NaiveDate) -> Option<NaiveDate>,
    ) -> Result<PersonnelApplication, PersonnelActionError> {
        let action = command.action();
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(PersonnelActionError::NotFound(id))?;
        let from = application.status;
        let mut exam = application.exam.clone();
        if let PersonnelCommand::RecordScore { subject, score } = &command {
            match subject {
                Subject::Theory => exam.theory.push(*score),
                Subject::Practical => exam.practical.push(*score),
            }
        }
        let facts = Facts {
            applicant_account: application.applicant_account,
            authority: application.authority,
            category: application.category,
            accepted_on: application.accepted_at.map(china_date),
            today: china_date(now),
            exam: &exam,
        };
        let to = transition(Some(from), action, actor, &facts)?;

        let year = china_date(now).year();
        let authority = application.authority;
        let mut document = None;
        match command {
            PersonnelCommand::Withdraw
            | PersonnelCommand::ReceiveMaterials
            | PersonnelCommand::ArrangeExam => {}
            PersonnelCommand::Accept => {
                let serial = next_counter(
                    &txn,
                    &format!("serial:personnel_acceptance:{year}:{authority:02}"),
                )?;
                let number = format!("特人受字〔{year}〕{authority:02}-{serial:05}号");
                application.acceptance_number = Some(number.clone());
                document = Some(number);
                application.accepted_at = Some(now);
            }
            PersonnelCommand::RequestCorrection { defects } => {
                let serial = next_counter(
                    &txn,
                    &format!("serial:personnel_correction:{year}:{authority:02}"),
                )?;
                let number = format!("特人补字〔{year}〕{authority:02}-{serial:05}号");
                application.corrections.push(CorrectionNotice {
                    number: number.clone(),
                    issued_at: now,
                    defects,
                    resubmitted_at: None,
                });
                document = Some(number);
            }
            PersonnelCommand::Resubmit { form, photo } => {
                application.form = *form;
                if let Some((file_type, bytes)) = photo {
                    application.photo = Some(file_type);
                    save_photo(&txn, id, &bytes)?;
                }
                application.filed_at = now;
                if let Some(notice) = application.corrections.last_mut() {
                    notice.resubmitted_at.get_or_insert(now);
                }
            }
            PersonnelCommand::RefuseAcceptance {
                reason,
                explanation,
            } => {
                let serial = next_counter(
                    &txn,
                    &format!("serial:personnel_refusal:{year}:{authority:02}"),
                )?;
                let number = format!("特人不受字〔{year}〕{authority:02}-{serial:05}号");
                application.refusal = Some(Refusal {
                    number: number.clone(),
                    reason,
                    explanation,
                    issued_at: now,
                });
                document = Some(number);
            }
            PersonnelCommand::RecordScore { .. } => {
                application.exam = exam;
                if to != PersonnelStatus::AwaitingExam {
                    application.exam_results_at = Some(now);
                }
            }
            PersonnelCommand::Certify => {
                let serial = next_counter(
                    &txn,
                    &format!("serial:personnel_certificate:{authority:02}"),
                )?;
                let number = format!("RY{authority:02}{year}{serial:06}");
                let issued_on = china_date(now);
                let full_term = issued_on
                    .checked_add_months(Months::new(CERTIFICATE_YEARS * 12))
                    .unwrap_or(issued_on);
                // A change (变更) keeps the term of the certificate it changes.
                let kept = (application.category == Category::Change)
                    .then(|| {
                        application
                            .form
                            .held
                            .iter()
                            .find(|held| {
                                held.code == application.code && held.level == application.level
                            })
                            .map(|held| held.expires_on)
                    })
                    .flatten();
                application.certificate = Some(PersonnelCertificate {
                    number: number.clone(),
                    issued_on,
                    expires_on: kept.unwrap_or(full_term),
                });
                txn.open_table(tables::PERSONNEL_CERTIFICATES_BY_NUMBER)?
                    .insert(number.as_str(), id)?;
                document = Some(number);
            }
        }
        application.status = to;
        application.updated_at = now;
        save(&txn, &application)?;
        let step = Step {
            action,
            from: Some(from),
            document: document.clone(),
            due: due(to, china_date(now)),
        };
        record(&txn, &application, actor, step, now)?;
        {
            let mut text = format!(
                "您的{}申请{}：{}，当前状态为“{}”",
                application.display_code(),
                application.number,
                action.label(),
                to.label()
            );
            if let Some(document) = &document {
                text.push_str(&format!("，编号{document}"));
            }
            messages::leave(&txn, application.applicant_account, id, text, now)?;
        }
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    pub fn personnel_application(
        &self,
        id: u64,
    ) -> Result<Option<PersonnelApplication>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::PERSONNEL_APPLICATIONS)?;
        let value = table.get(id)?;
        value
            .map(|bytes| decode("personnel_applications", id, bytes.value()))
            .transpose()
    }

    pub fn personnel_photo(&self, id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::PERSONNEL_PHOTOS)?;
        let value = table.get(id)?;
        Ok(value.map(|bytes| bytes.value().to_vec()))
    }

    /// Returns an individual's applications, oldest first, as the real list numbers them.
    pub fn personnel_applications_of(
        &self,
        account: u64,
    ) -> Result<Vec<PersonnelApplication>, StoreError> {
        let mut list = self.personnel_in_index(tables::PERSONNEL_BY_APPLICANT, account)?;
        list.sort_by_key(|application| application.id);
        Ok(list)
    }

    /// Returns the applications filed with an authority, oldest first.
    pub fn personnel_applications_for(
        &self,
        authority: AuthorityCode,
    ) -> Result<Vec<PersonnelApplication>, StoreError> {
        let mut list = self.personnel_in_index(tables::PERSONNEL_BY_AUTHORITY, authority.into())?;
        list.sort_by_key(|application| application.filed_at);
        Ok(list)
    }

    /// Finds the application whose certificate has `number`.
    pub fn personnel_by_certificate(
        &self,
        number: &str,
    ) -> Result<Option<PersonnelApplication>, StoreError> {
        let id = {
            let txn = self.read()?;
            let table = txn.open_table(tables::PERSONNEL_CERTIFICATES_BY_NUMBER)?;
            let id = table.get(number)?.map(|value| value.value());
            id
        };
        match id {
            Some(id) => self.personnel_application(id),
            None => Ok(None),
        }
    }

    fn personnel_in_index(
        &self,
        index: redb::MultimapTableDefinition<u64, u64>,
        key: u64,
    ) -> Result<Vec<PersonnelApplication>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(index)?;
        let table = txn.open_table(tables::PERSONNEL_APPLICATIONS)?;
        let mut result = Vec::new();
        for id in index.get(key)? {
            let id = id?.value();
            if let Some(bytes) = table.get(id)? {
                result.push(decode("personnel_applications", id, bytes.value())?);
            }
        }
        Ok(result)
    }
}

/// The facts an event records about one step.
struct Step {
    action: PersonnelAction,
    from: Option<PersonnelStatus>,
    document: Option<String>,
    /// The deadline the new status starts.
    due: Option<NaiveDate>,
}

fn record(
    txn: &WriteTransaction,
    application: &PersonnelApplication,
    actor: &Actor,
    step: Step,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Step {
        action,
        from,
        document,
        due,
    } = step;
    events::append(
        txn,
        NewEvent {
            application_id: application.id,
            actor_account: actor.account_id,
            actor_role: actor.role,
            at: now,
            action: EventAction::Personnel(action),
            from: from.map(EventStatus::Personnel),
            to: EventStatus::Personnel(application.status),
            document,
            comment: due.map(|date| format!("办理时限：{date}前")),
        },
    )?;
    Ok(())
}
