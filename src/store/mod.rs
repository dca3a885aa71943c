//! The system of record: one redb file with typed JSON records, the event log that every
//! state change appends to in the same transaction, and server-side sessions.

mod accounts;
mod agencies;
mod applications;
mod attachments;
pub(crate) mod events;
mod licences;
mod messages;
mod personnel;
mod procedure;
mod sessions;
mod tables;

use std::path::{Path, PathBuf};

use redb::{Database, ReadTransaction, ReadableDatabase, ReadableTable, WriteTransaction};
use serde::{de::DeserializeOwned, Serialize};

pub use accounts::{
    canonical_login, Account, CreateAccountError, DocumentType, LoginOutcome, NewAccount,
    PersonDetails,
};
pub use agencies::Agency;
pub use applications::{ActionError, Application, LicenceRef, NewDraft, SubItemSnapshot};
pub use attachments::{AttachmentMeta, NewAttachment};
pub use events::{Event, EventAction, EventStatus};
pub use licences::{Licence, LicenceSource, NewLicence};
pub use messages::Message;
pub use personnel::{
    HeldRecord, NewPersonnelApplication, PersonnelActionError, PersonnelApplication,
    PersonnelCertificate, PersonnelCommand, PersonnelForm,
};
pub use procedure::{
    CertificateDetails, Command, CorrectionNotice, Defect, Feedback, Procedure, Refusal,
    ReviewRecord, SATISFACTION,
};
pub use sessions::SessionStore;

/// The schema version this build writes; older files are migrated on open.
const SCHEMA_VERSION: u64 = 1;

/// Errors of storage operations.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("failed to open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: redb::DatabaseError,
    },
    #[error("database error: {0}")]
    Database(#[from] redb::Error),
    #[error("record {key} in table {table} cannot be read: {source}")]
    Corrupt {
        table: &'static str,
        key: String,
        source: serde_json::Error,
    },
    #[error("no record {key} in table {table}")]
    Missing { table: &'static str, key: String },
    #[error("database {path} has schema version {found}, newer than this build's {SCHEMA_VERSION}; upgrade xuke")]
    NewerSchema { path: PathBuf, found: u64 },
}

macro_rules! redb_error_into_store_error {
    ($($error:ty),*) => {
        $(impl From<$error> for StoreError {
            fn from(error: $error) -> Self {
                StoreError::Database(error.into())
            }
        })*
    };
}

redb_error_into_store_error!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// The open database. Cheap to share behind an `Arc`; every method is blocking.
pub struct Store {
    db: Database,
    path: PathBuf,
}

impl Store {
    /// Opens the database file at `path`, creating it and its tables on first use.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let db = Database::create(path).map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let store = Store {
            db,
            path: path.to_path_buf(),
        };
        store.initialise()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn initialise(&self) -> Result<(), StoreError> {
        let txn = self.db.begin_write()?;
        tables::create_all(&txn)?;
        {
            let mut meta = txn.open_table(tables::META)?;
            let found = meta.get("schema_version")?.map(|value| value.value());
            match found {
                Some(version) if version > SCHEMA_VERSION => {
                    return Err(StoreError::NewerSchema {
                        path: self.path.clone(),
                        found: version,
                    })
                }
                Some(_) => {}
                None => {
                    meta.insert("schema_version", SCHEMA_VERSION)?;
                }
            }
        }
        txn.commit()?;
        Ok(())
    }

    fn write(&self) -> Result<WriteTransaction, StoreError> {
        Ok(self.db.begin_write()?)
    }

    fn read(&self) -> Result<ReadTransaction, StoreError> {
        Ok(self.db.begin_read()?)
    }
}

impl Store {
    /// Returns the setting `name`, if an administrator set it.
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::SETTINGS)?;
        let value = table.get(name)?.map(|value| value.value().to_string());
        Ok(value)
    }

    pub fn set_setting(&self, name: &str, value: &str) -> Result<(), StoreError> {
        let txn = self.write()?;
        txn.open_table(tables::SETTINGS)?.insert(name, value)?;
        txn.commit()?;
        Ok(())
    }
}

/// Serialises a record for a table value.
fn encode<T: Serialize>(record: &T) -> Vec<u8> {
    serde_json::to_vec(record).expect("records contain only JSON-representable types")
}

/// Deserialises a table value, naming the table and key when the bytes are not a record.
fn decode<T: DeserializeOwned>(
    table: &'static str,
    key: impl ToString,
    bytes: &[u8],
) -> Result<T, StoreError> {
    serde_json::from_slice(bytes).map_err(|source| StoreError::Corrupt {
        table,
        key: key.to_string(),
        source,
    })
}

/// Increments the counter `name` in the meta table and returns its new value, starting at 1.
fn next_counter(txn: &WriteTransaction, name: &str) -> Result<u64, StoreError> {
    let mut meta = txn.open_table(tables::META)?;
    let next = meta.get(name)?.map(|value| value.value()).unwrap_or(0) + 1;
    meta.insert(name, next)?;
    Ok(next)
}
