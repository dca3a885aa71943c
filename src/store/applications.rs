//! Production unit licence applications, from draft to decision, and the one place where
//! their status changes.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::events::{self, EventAction, EventStatus, NewEvent};
use super::procedure::Procedure;
use super::{decode, encode, next_counter, tables, Store, StoreError};
use crate::domain::application::{may_edit, transition, Parties};
use crate::domain::application_form::ApplicationForm;
use crate::domain::time::china_date;
use crate::domain::{
    Action, Actor, ApplicationKind, ApplicationStatus, AuthorityCode, SubItem, TransitionError,
};

/// A catalogue row as it was when the application was submitted, so that a later catalogue
/// change does not rewrite what the applicant asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubItemSnapshot {
    pub id: String,
    pub category: String,
    pub item: String,
    pub sub_item: String,
    pub level: String,
    /// Number of the production address the sub-item is produced at.
    #[serde(default)]
    pub address: u32,
}

impl SubItemSnapshot {
    pub fn new(sub_item: &SubItem, address: u32) -> SubItemSnapshot {
        SubItemSnapshot {
            id: sub_item.id.clone(),
            category: sub_item.category.clone(),
            item: sub_item.item.clone(),
            sub_item: sub_item.sub_item.clone(),
            level: sub_item.level_label().to_string(),
            address,
        }
    }

    pub fn label(&self) -> String {
        match self.level.as_str() {
            "" => self.sub_item.clone(),
            level => format!("{}（{}级）", self.sub_item, level),
        }
    }
}

/// The licence an 已取证 application starts from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicenceRef {
    pub licence_id: u64,
    pub number: String,
    pub expires_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: u64,
    /// Human-readable number such as `XK2026-32-00001`, assigned on submission.
    #[serde(default)]
    pub number: Option<String>,
    pub kind: ApplicationKind,
    #[serde(default)]
    pub licence: Option<LicenceRef>,
    pub applicant_account: u64,
    pub form: ApplicationForm,
    /// The chosen sub-items, frozen on submission.
    #[serde(default)]
    pub sub_items: Vec<SubItemSnapshot>,
    /// The derived authority, fixed on submission.
    #[serde(default)]
    pub authority: Option<AuthorityCode>,
    pub status: ApplicationStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Slug of the form page the applicant last saved, where 继续填写 resumes.
    #[serde(default)]
    pub current_page: String,
    #[serde(default)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub accepted_at: Option<DateTime<Utc>>,
    /// Number of the 受理决定书.
    #[serde(default)]
    pub acceptance_number: Option<String>,
    #[serde(default)]
    pub withdrawn_at: Option<DateTime<Utc>>,
    /// The record of the steps after filing.
    #[serde(default)]
    pub procedure: Procedure,
}

impl Application {
    pub fn parties(&self) -> Parties {
        Parties {
            applicant_account: self.applicant_account,
            authority: self.authority,
            agency: self.procedure.agency,
        }
    }

    /// Returns the sub-item labels joined for one table cell.
    pub fn sub_items_label(&self) -> String {
        self.sub_items
            .iter()
            .map(SubItemSnapshot::label)
            .collect::<Vec<_>>()
            .join("；")
    }

    /// Returns the number, or 草稿 for an application not yet submitted.
    pub fn number_label(&self) -> &str {
        self.number.as_deref().unwrap_or("（未提交）")
    }
}

/// A new draft as the applicant starts it.
#[derive(Debug, Clone)]
pub struct NewDraft {
    pub applicant_account: u64,
    pub kind: ApplicationKind,
    pub licence: Option<LicenceRef>,
    pub form: ApplicationForm,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("application {0} not found")]
    NotFound(u64),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error("该申请已提交或不属于您，不能修改")]
    NotEditable,
    #[error(
        "补正后的申请许可项目须仍由原审批机关审批；如需改由其他审批机关审批，请撤回后重新申请"
    )]
    AuthorityChanged,
    #[error("鉴定评审机构尚未提出评审日期，无需另约日期")]
    NoProposedDates,
    #[error("评审反馈表已提交，不能重复提交")]
    FeedbackGiven,
    #[error("许可证编号{0}已属于其他单位，不能发证，请联系系统管理员核查")]
    LicenceNumberTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

macro_rules! redb_error_into_action_error {
    ($($error:ty),*) => {
        $(impl From<$error> for ActionError {
            fn from(error: $error) -> Self {
                ActionError::Store(StoreError::from(error))
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

impl Store {
    /// Starts a draft (草稿) through the state machine, with its first event.
    pub fn create_draft(
        &self,
        new: NewDraft,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let parties = Parties {
            applicant_account: new.applicant_account,
            authority: None,
            agency: None,
        };
        let status = transition(None, Action::CreateDraft, actor, &parties)?;

        let txn = self.write()?;
        let id = next_counter(&txn, "next_id:application")?;
        let application = Application {
            id,
            number: None,
            kind: new.kind,
            licence: new.licence,
            applicant_account: new.applicant_account,
            form: new.form,
            sub_items: Vec::new(),
            authority: None,
            status,
            created_at: now,
            updated_at: now,
            current_page: String::new(),
            submitted_at: None,
            accepted_at: None,
            acceptance_number: None,
            withdrawn_at: None,
            procedure: Procedure::default(),
        };
        save(&txn, &application)?;
        txn.open_multimap_table(tables::APPLICATIONS_BY_APPLICANT)
            .map_err(StoreError::from)?
            .insert(application.applicant_account, id)
            .map_err(StoreError::from)?;
        record(
            &txn,
            &application,
            actor,
            Action::CreateDraft,
            None,
            None,
            now,
        )?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    /// Saves the answers of a draft and the page the applicant is on. Saving changes no
    /// status, so it writes no event.
    pub fn save_draft(
        &self,
        id: u64,
        actor: &Actor,
        form: ApplicationForm,
        page: &str,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(ActionError::NotFound(id))?;
        if !may_edit(actor, &application.parties(), application.status) {
            return Err(ActionError::NotEditable);
        }
        application.form = form;
        application.current_page = page.to_string();
        application.updated_at = now;
        save(&txn, &application)?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    /// Files a draft, or resubmits an application after corrections (补齐补正): freezes the
    /// sub-items and the derived authority, assigns the number on first filing, restarts the
    /// acceptance clock and moves the status through the state machine, in one transaction.
    pub fn submit_draft(
        &self,
        id: u64,
        actor: &Actor,
        sub_items: Vec<SubItemSnapshot>,
        authority: AuthorityCode,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(ActionError::NotFound(id))?;
        let from = application.status;
        let action = if from == ApplicationStatus::CorrectionRequested {
            Action::Resubmit
        } else {
            Action::Submit
        };
        if action == Action::Resubmit && application.authority != Some(authority) {
            return Err(ActionError::AuthorityChanged);
        }
        let parties = Parties {
            authority: Some(authority),
            ..application.parties()
        };
        let to = transition(Some(from), action, actor, &parties)?;

        if application.number.is_none() {
            let year = china_date(now).year();
            let serial = next_counter(&txn, &format!("serial:application:{year}:{authority:02}"))?;
            application.number = Some(format!("XK{year}-{authority:02}-{serial:05}"));
            txn.open_multimap_table(tables::APPLICATIONS_BY_AUTHORITY)
                .map_err(StoreError::from)?
                .insert(u64::from(authority), id)
                .map_err(StoreError::from)?;
            application.submitted_at = Some(now);
        }
        if let Some(notice) = application.procedure.corrections.last_mut() {
            notice.resubmitted_at.get_or_insert(now);
        }
        application.sub_items = sub_items;
        application.authority = Some(authority);
        application.status = to;
        application.procedure.filed_at = Some(now);
        application.updated_at = now;
        save(&txn, &application)?;
        record(&txn, &application, actor, action, Some(from), None, now)?;
        let text = format!(
            "您的申请{}已{}，当前状态为“{}”",
            application.number_label(),
            action.label(),
            to.label()
        );
        super::messages::leave(&txn, application.applicant_account, id, text, now)?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    pub fn application(&self, id: u64) -> Result<Option<Application>, StoreError> {
        let txn = self.read()?;
        let applications = txn.open_table(tables::APPLICATIONS)?;
        let value = applications.get(id)?;
        value
            .map(|bytes| decode("applications", id, bytes.value()))
            .transpose()
    }

    /// Returns an applicant's applications and drafts, most recently changed first, without
    /// deleted drafts.
    pub fn applications_of_applicant(&self, account: u64) -> Result<Vec<Application>, StoreError> {
        let mut applications =
            self.applications_in_index(tables::APPLICATIONS_BY_APPLICANT, account)?;
        applications.retain(|application| application.status != ApplicationStatus::Deleted);
        applications.sort_by_key(|application| std::cmp::Reverse(application.updated_at));
        Ok(applications)
    }

    /// Returns the applications that name `agency` in their acceptance decision, oldest first.
    pub fn applications_for_agency(&self, agency: u64) -> Result<Vec<Application>, StoreError> {
        let mut applications =
            self.applications_in_index(tables::APPLICATIONS_BY_AGENCY, agency)?;
        applications.sort_by_key(|application| application.accepted_at);
        Ok(applications)
    }

    /// Returns the applications filed with an authority, oldest first, so that the one whose
    /// deadline comes first is on top.
    pub fn applications_for_authority(
        &self,
        authority: AuthorityCode,
    ) -> Result<Vec<Application>, StoreError> {
        let mut applications =
            self.applications_in_index(tables::APPLICATIONS_BY_AUTHORITY, authority.into())?;
        applications.sort_by_key(|application| application.submitted_at);
        Ok(applications)
    }

    fn applications_in_index(
        &self,
        index: redb::MultimapTableDefinition<u64, u64>,
        key: u64,
    ) -> Result<Vec<Application>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(index)?;
        let applications = txn.open_table(tables::APPLICATIONS)?;
        let mut result = Vec::new();
        for id in index.get(key)? {
            let id = id?.value();
            if let Some(bytes) = applications.get(id)? {
                result.push(decode("applications", id, bytes.value())?);
            }
        }
        Ok(result)
    }
}

pub(super) fn load(txn: &WriteTransaction, id: u64) -> Result<Option<Application>, StoreError> {
    let applications = txn.open_table(tables::APPLICATIONS)?;
    let value = applications.get(id)?;
    value
        .map(|bytes| decode("applications", id, bytes.value()))
        .transpose()
}

pub(super) fn save(txn: &WriteTransaction, application: &Application) -> Result<(), StoreError> {
    txn.open_table(tables::APPLICATIONS)?
        .insert(application.id, encode(application).as_slice())?;
    Ok(())
}

pub(super) fn record(
    txn: &WriteTransaction,
    application: &Application,
    actor: &Actor,
    action: Action,
    from: Option<ApplicationStatus>,
    document: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    events::append(
        txn,
        NewEvent {
            application_id: application.id,
            actor_account: actor.account_id,
            actor_role: actor.role,
            at: now,
            action: EventAction::Production(action),
            from: from.map(EventStatus::Production),
            to: EventStatus::Production(application.status),
            document,
            comment: None,
        },
    )?;
    Ok(())
}
