//! Production unit licence applications and the one place where their status changes.

use chrono::{DateTime, Datelike, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::events::{self, NewEvent};
use super::{decode, encode, next_counter, tables, Store, StoreError};
use crate::domain::application::{transition, Parties};
use crate::domain::time::china_date;
use crate::domain::{Action, Actor, ApplicationStatus, AuthorityCode, SubItem, TransitionError};

/// The applicant unit as entered on the application form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicantDetails {
    pub unit_name: String,
    pub credit_code: String,
    /// 住所: the registered domicile on the business licence.
    pub domicile: String,
    pub legal_representative: String,
    pub contact_name: String,
    pub mobile: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// A production address (生产地址).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub province: AuthorityCode,
    /// City, district and street address.
    pub detail: String,
}

/// A catalogue row as it was when the application was submitted, so that a later catalogue
/// change does not rewrite what the applicant asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubItemSnapshot {
    pub id: String,
    pub category: String,
    pub item: String,
    pub sub_item: String,
    pub level: String,
}

impl From<&SubItem> for SubItemSnapshot {
    fn from(sub_item: &SubItem) -> Self {
        SubItemSnapshot {
            id: sub_item.id.clone(),
            category: sub_item.category.clone(),
            item: sub_item.item.clone(),
            sub_item: sub_item.sub_item.clone(),
            level: sub_item.level_label().to_string(),
        }
    }
}

impl SubItemSnapshot {
    pub fn label(&self) -> String {
        match self.level.as_str() {
            "" => self.sub_item.clone(),
            level => format!("{}（{}级）", self.sub_item, level),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Application {
    pub id: u64,
    /// Human-readable application number, such as `XK2026-32-00001`.
    pub number: String,
    pub applicant_account: u64,
    pub applicant: ApplicantDetails,
    pub production_address: Address,
    pub sub_items: Vec<SubItemSnapshot>,
    pub authority: AuthorityCode,
    pub status: ApplicationStatus,
    pub submitted_at: DateTime<Utc>,
    #[serde(default)]
    pub accepted_at: Option<DateTime<Utc>>,
    /// Number of the 受理决定书.
    #[serde(default)]
    pub acceptance_number: Option<String>,
}

impl Application {
    pub fn parties(&self) -> Parties {
        Parties {
            applicant_account: self.applicant_account,
            authority: self.authority,
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
}

/// An application as the applicant files it, before the store assigns its id, number and
/// status.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub applicant_account: u64,
    pub applicant: ApplicantDetails,
    pub production_address: Address,
    pub sub_items: Vec<SubItemSnapshot>,
    pub authority: AuthorityCode,
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("application {0} not found")]
    NotFound(u64),
    #[error(transparent)]
    Transition(#[from] TransitionError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl Store {
    /// Files a new application: checks the submission with the state machine, assigns its
    /// number and writes it with its first event in one transaction.
    pub fn submit_application(
        &self,
        new: NewApplication,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let parties = Parties {
            applicant_account: new.applicant_account,
            authority: new.authority,
        };
        let status = transition(None, Action::Submit, actor, &parties)?;

        let txn = self.write()?;
        let year = china_date(now).year();
        let id = next_counter(&txn, "next_id:application")?;
        let serial = next_counter(
            &txn,
            &format!("serial:application:{year}:{:02}", new.authority),
        )?;
        let application = Application {
            id,
            number: format!("XK{year}-{:02}-{serial:05}", new.authority),
            applicant_account: new.applicant_account,
            applicant: new.applicant,
            production_address: new.production_address,
            sub_items: new.sub_items,
            authority: new.authority,
            status,
            submitted_at: now,
            accepted_at: None,
            acceptance_number: None,
        };
        save(&txn, &application)?;
        txn.open_multimap_table(tables::APPLICATIONS_BY_APPLICANT)
            .map_err(StoreError::from)?
            .insert(application.applicant_account, id)
            .map_err(StoreError::from)?;
        txn.open_multimap_table(tables::APPLICATIONS_BY_AUTHORITY)
            .map_err(StoreError::from)?
            .insert(u64::from(application.authority), id)
            .map_err(StoreError::from)?;
        events::append(
            &txn,
            NewEvent {
                application_id: id,
                actor_account: actor.account_id,
                actor_role: actor.role,
                at: now,
                action: Action::Submit,
                from: None,
                to: status,
                document: None,
                comment: None,
            },
        )?;
        txn.commit().map_err(StoreError::from)?;
        Ok(application)
    }

    /// Takes `action` on an existing application: the state machine decides the new status,
    /// and the record and its event are written in one transaction.
    pub fn act_on_application(
        &self,
        id: u64,
        action: Action,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Application, ActionError> {
        let txn = self.write()?;
        let mut application = load(&txn, id)?.ok_or(ActionError::NotFound(id))?;
        let from = application.status;
        let to = transition(Some(from), action, actor, &application.parties())?;

        let document = match action {
            Action::Accept => {
                let year = china_date(now).year();
                let serial = next_counter(
                    &txn,
                    &format!("serial:acceptance:{year}:{:02}", application.authority),
                )?;
                let number = format!(
                    "特许受字〔{year}〕{:02}-{serial:05}号",
                    application.authority
                );
                application.accepted_at = Some(now);
                application.acceptance_number = Some(number.clone());
                Some(number)
            }
            Action::Submit => None,
        };
        application.status = to;
        save(&txn, &application)?;
        events::append(
            &txn,
            NewEvent {
                application_id: id,
                actor_account: actor.account_id,
                actor_role: actor.role,
                at: now,
                action,
                from: Some(from),
                to,
                document,
                comment: None,
            },
        )?;
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

    /// Returns an applicant's applications, newest first.
    pub fn applications_of_applicant(&self, account: u64) -> Result<Vec<Application>, StoreError> {
        let mut applications =
            self.applications_in_index(tables::APPLICATIONS_BY_APPLICANT, account)?;
        applications.sort_by_key(|application| std::cmp::Reverse(application.submitted_at));
        Ok(applications)
    }

    /// Returns the applications addressed to an authority, oldest first, so that the one whose
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

fn load(txn: &WriteTransaction, id: u64) -> Result<Option<Application>, StoreError> {
    let applications = txn.open_table(tables::APPLICATIONS)?;
    let value = applications.get(id)?;
    value
        .map(|bytes| decode("applications", id, bytes.value()))
        .transpose()
}

fn save(txn: &WriteTransaction, application: &Application) -> Result<(), StoreError> {
    txn.open_table(tables::APPLICATIONS)?
        .insert(application.id, encode(application).as_slice())?;
    Ok(())
}
