//! User accounts: enterprises that register themselves and staff created by an administrator.

use chrono::{DateTime, Duration, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::{decode, encode, next_counter, tables, Store, StoreError};
use crate::domain::{credit_code, Actor, AuthorityCode, Role};

/// Failed password attempts after which an account is locked.
pub const MAX_FAILED_LOGINS: u32 = 5;

/// How long a locked account stays locked.
pub const LOCK_DURATION_MINUTES: i64 = 15;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: u64,
    pub role: Role,
    /// Canonical login name; an enterprise logs in with its credit code.
    pub login: String,
    /// Unit name for an enterprise, person name for staff.
    pub display_name: String,
    pub password_hash: String,
    #[serde(default)]
    pub credit_code: Option<String>,
    #[serde(default)]
    pub contact_name: String,
    #[serde(default)]
    pub mobile: String,
    /// The authority a staff member works for.
    #[serde(default)]
    pub authority: Option<AuthorityCode>,
    /// The review agency an agency staff member works for.
    #[serde(default)]
    pub agency: Option<u64>,
    /// The identity of an individual applicant.
    #[serde(default)]
    pub person: Option<PersonDetails>,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub failed_logins: u32,
    #[serde(default)]
    pub locked_until: Option<DateTime<Utc>>,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor {
            account_id: self.id,
            role: self.role,
            authority: self.authority,
            agency: self.agency,
        }
    }

    pub fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| until > now)
    }
}

/// The fields of an account to create; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub role: Role,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub credit_code: Option<String>,
    pub contact_name: String,
    pub mobile: String,
    pub authority: Option<AuthorityCode>,
    pub agency: Option<u64>,
    pub person: Option<PersonDetails>,
}

/// 证件类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// 居民身份证.
    IdCard,
    /// 护照, for foreigners.
    Passport,
}

impl DocumentType {
    pub fn label(self) -> &'static str {
        match self {
            DocumentType::IdCard => "居民身份证",
            DocumentType::Passport => "护照",
        }
    }
}

/// The identity of an individual applicant, as registered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    pub document_type: DocumentType,
    /// The document number; an identity card number is stored validated, with an upper X.
    pub document_number: String,
    /// 男 or 女.
    pub sex: String,
    pub birth_date: chrono::NaiveDate,
    pub email: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateAccountError {
    #[error("login name {0} is already registered")]
    LoginTaken(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Whether a password may be checked now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// The attempt is counted; check the password.
    Checking,
    /// The account is locked until the given time; do not check.
    Locked(DateTime<Utc>),
}

/// Returns the form under which a login name is stored and looked up: no spaces, half-width,
/// upper-case. Credit codes typed in any of their usual forms map to one key.
pub fn canonical_login(input: &str) -> String {
    credit_code::normalise(input)
}

impl Store {
    /// Creates an account; the login name must not be taken, which is checked inside the
    /// write transaction so that two concurrent registrations cannot both succeed.
    pub fn create_account(
        &self,
        new: NewAccount,
        now: DateTime<Utc>,
    ) -> Result<Account, CreateAccountError> {
        let login = canonical_login(&new.login);
        let txn = self.write()?;
        let account = {
            let mut logins = txn.open_table(tables::LOGINS).map_err(StoreError::from)?;
            if logins
                .get(login.as_str())
                .map_err(StoreError::from)?
                .is_some()
            {
                return Err(CreateAccountError::LoginTaken(login));
            }
            let id = next_counter(&txn, "next_id:account")?;
            let account = Account {
                id,
                role: new.role,
                login: login.clone(),
                display_name: new.display_name,
                password_hash: new.password_hash,
                credit_code: new.credit_code,
                contact_name: new.contact_name,
                mobile: new.mobile,
                authority: new.authority,
                agency: new.agency,
                person: new.person,
                created_at: now,
                failed_logins: 0,
                locked_until: None,
            };
            logins
                .insert(login.as_str(), id)
                .map_err(StoreError::from)?;
            let mut accounts = txn.open_table(tables::ACCOUNTS).map_err(StoreError::from)?;
            accounts
                .insert(id, encode(&account).as_slice())
                .map_err(StoreError::from)?;
            account
        };
        txn.commit().map_err(StoreError::from)?;
        Ok(account)
    }

    pub fn account(&self, id: u64) -> Result<Option<Account>, StoreError> {
        let txn = self.read()?;
        let accounts = txn.open_table(tables::ACCOUNTS)?;
        let value = accounts.get(id)?;
        value
            .map(|bytes| decode("accounts", id, bytes.value()))
            .transpose()
    }

    /// Finds an account by any spelling of its login name.
    pub fn account_by_login(&self, login: &str) -> Result<Option<Account>, StoreError> {
        let login = canonical_login(login);
        let id = {
            let txn = self.read()?;
            let logins = txn.open_table(tables::LOGINS)?;
            let id = logins.get(login.as_str())?.map(|value| value.value());
            id
        };
        match id {
            Some(id) => self.account(id),
            None => Ok(None),
        }
    }

    /// Starts a password check: refuses it while the account is locked, and otherwise
    /// counts it as a failure in advance, in one write transaction. Counting before the slow
    /// password check means that parallel requests cannot get more than `MAX_FAILED_LOGINS`
    /// guesses in before the lock. A correct password then clears the count with
    /// `record_successful_login`.
    pub fn begin_login_attempt(
        &self,
        id: u64,
        now: DateTime<Utc>,
    ) -> Result<LoginOutcome, StoreError> {
        self.update_account(id, |account| {
            if account.is_locked(now) {
                return LoginOutcome::Locked(account.locked_until.unwrap_or(now));
            }
            if account.locked_until.is_some() {
                // The last lock has run out: start counting again.
                account.locked_until = None;
                account.failed_logins = 0;
            }
            account.failed_logins += 1;
            if account.failed_logins >= MAX_FAILED_LOGINS {
                account.locked_until = Some(now + Duration::minutes(LOCK_DURATION_MINUTES));
            }
            LoginOutcome::Checking
        })
    }

    /// Returns the lock a failed attempt left, if it was the last one allowed.
    pub fn lock_after_failure(
        &self,
        id: u64,
        now: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, StoreError> {
        Ok(self
            .account(id)?
            .filter(|account| account.is_locked(now))
            .and_then(|account| account.locked_until))
    }

    /// Clears the failure count and any lock after a correct password.
    pub fn record_successful_login(&self, id: u64) -> Result<(), StoreError> {
        self.update_account(id, |account| {
            account.failed_logins = 0;
            account.locked_until = None;
        })
    }

    /// Replaces the password hash of an account and lifts any lock.
    pub fn reset_password(&self, id: u64, password_hash: String) -> Result<(), StoreError> {
        self.update_account(id, |account| {
            account.password_hash = password_hash;
            account.failed_logins = 0;
            account.locked_until = None;
        })
    }

    fn update_account<T>(
        &self,
        id: u64,
        change: impl FnOnce(&mut Account) -> T,
    ) -> Result<T, StoreError> {
        let txn = self.write()?;
        let result = {
            let mut accounts = txn.open_table(tables::ACCOUNTS)?;
            let mut account: Account = match accounts.get(id)? {
                Some(bytes) => decode("accounts", id, bytes.value())?,
                None => {
                    return Err(StoreError::Missing {
                        table: "accounts",
                        key: id.to_string(),
                    })
                }
            };
            let result = change(&mut account);
            accounts.insert(id, encode(&account).as_slice())?;
            result
        };
        txn.commit()?;
        Ok(result)
    }
}
