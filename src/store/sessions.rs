//! Server-side login sessions in redb, so that a restart logs no user out and the browser
//! keeps only a random id. Keys are SHA-256 digests of the ids, so a copy of the database
//! does not contain usable session cookies.

use std::{collections::BTreeMap, sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use poem::session::SessionStorage;
use redb::{ReadableTable, ReadableTableMetadata};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{decode, encode, tables, Store, StoreError};

#[derive(Serialize, Deserialize)]
struct SessionRecord {
    entries: BTreeMap<String, Value>,
    expires_at: Option<DateTime<Utc>>,
}

fn key_of(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}

impl Store {
    fn load_session(
        &self,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<BTreeMap<String, Value>>, StoreError> {
        let key = key_of(session_id);
        let txn = self.read()?;
        let sessions = txn.open_table(tables::SESSIONS)?;
        let Some(bytes) = sessions.get(key.as_str())? else {
            return Ok(None);
        };
        let record: SessionRecord = decode("sessions", "(session)", bytes.value())?;
        if record.expires_at.is_some_and(|expires| expires <= now) {
            return Ok(None);
        }
        Ok(Some(record.entries))
    }

    fn save_session(
        &self,
        session_id: &str,
        entries: &BTreeMap<String, Value>,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        let record = SessionRecord {
            entries: entries.clone(),
            expires_at,
        };
        let txn = self.write()?;
        txn.open_table(tables::SESSIONS)?
            .insert(key_of(session_id).as_str(), encode(&record).as_slice())?;
        txn.commit()?;
        Ok(())
    }

    fn remove_session(&self, session_id: &str) -> Result<(), StoreError> {
        let txn = self.write()?;
        txn.open_table(tables::SESSIONS)?
            .remove(key_of(session_id).as_str())?;
        txn.commit()?;
        Ok(())
    }

    /// Deletes expired sessions; returns how many were removed.
    pub fn purge_expired_sessions(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let txn = self.write()?;
        let removed = {
            let mut sessions = txn.open_table(tables::SESSIONS)?;
            let before = sessions.len()?;
            sessions.retain(|_, bytes| {
                serde_json::from_slice::<SessionRecord>(bytes)
                    .is_ok_and(|record| record.expires_at.is_none_or(|expires| expires > now))
            })?;
            before - sessions.len()?
        };
        txn.commit()?;
        Ok(removed)
    }
}

/// poem's session storage backed by the store; each call runs on the blocking pool.
#[derive(Clone)]
pub struct SessionStore {
    store: Arc<Store>,
}

impl SessionStore {
    pub fn new(store: Arc<Store>) -> SessionStore {
        SessionStore { store }
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> poem::Result<T> {
    let result = tokio::task::spawn_blocking(work)
        .await
        .map_err(poem::error::InternalServerError)?;
    result.map_err(|error| {
        tracing::error!(%error, "session storage failed");
        poem::error::InternalServerError(error)
    })
}

impl SessionStorage for SessionStore {
    async fn load_session<'a>(
        &'a self,
        session_id: &'a str,
    ) -> poem::Result<Option<BTreeMap<String, Value>>> {
        let store = self.store.clone();
        let session_id = session_id.to_string();
        blocking(move || store.load_session(&session_id, Utc::now())).await
    }

    async fn update_session<'a>(
        &'a self,
        session_id: &'a str,
        entries: &'a BTreeMap<String, Value>,
        expires: Option<Duration>,
    ) -> poem::Result<()> {
        let store = self.store.clone();
        let session_id = session_id.to_string();
        let entries = entries.clone();
        let expires_at = expires
            .and_then(|ttl| chrono::Duration::from_std(ttl).ok())
            .map(|ttl| Utc::now() + ttl);
        blocking(move || store.save_session(&session_id, &entries, expires_at)).await
    }

    async fn remove_session<'a>(&'a self, session_id: &'a str) -> poem::Result<()> {
        let store = self.store.clone();
        let session_id = session_id.to_string();
        blocking(move || store.remove_session(&session_id)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_removes_only_expired_sessions() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("xuke.redb")).unwrap();
        let now = Utc::now();
        let entries = BTreeMap::new();
        store
            .save_session("old", &entries, Some(now - chrono::Duration::hours(1)))
            .unwrap();
        store
            .save_session("live", &entries, Some(now + chrono::Duration::hours(1)))
            .unwrap();
        assert_eq!(store.load_session("old", now).unwrap(), None);
        assert_eq!(store.purge_expired_sessions(now).unwrap(), 1);
        assert!(store.load_session("live", now).unwrap().is_some());
    }
}
