//! Keeps the search index in step with the store by replaying the event log: every event
//! after the sequence number recorded in the index's last commit re-indexes its application.

use std::{collections::BTreeSet, sync::Mutex};

use super::{ApplicationDoc, SearchError, SearchIndex};
use crate::store::{Application, Store, StoreError};

/// Events read from the store per index commit during a catch-up.
const BATCH: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum FollowError {
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The search index together with the lock that keeps two catch-ups from interleaving.
pub struct Follower {
    index: SearchIndex,
    lock: Mutex<()>,
}

impl Follower {
    pub fn new(index: SearchIndex) -> Follower {
        Follower {
            index,
            lock: Mutex::new(()),
        }
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// Indexes every application touched by events the index has not seen; returns the
    /// number of events replayed.
    pub fn catch_up(&self, store: &Store) -> Result<usize, FollowError> {
        let _guard = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let mut last_seq = self.index.last_event_seq()?.unwrap_or(0);
        let mut replayed = 0;
        loop {
            let events = store.events_after(last_seq, BATCH)?;
            let Some(last) = events.last() else {
                return Ok(replayed);
            };
            last_seq = last.seq;
            replayed += events.len();

            let ids: BTreeSet<u64> = events.iter().map(|event| event.application_id).collect();
            let mut docs = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(application) = store.application(id)? {
                    docs.push(document_of(&application));
                }
            }
            self.index.apply(&docs, last_seq)?;
        }
    }

    /// Empties the index and indexes the whole store again.
    pub fn rebuild(&self, store: &Store) -> Result<usize, FollowError> {
        {
            let _guard = self
                .lock
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            self.index.clear()?;
        }
        self.catch_up(store)
    }
}

fn document_of(application: &Application) -> ApplicationDoc {
    ApplicationDoc {
        id: application.id,
        number: application.number.clone().unwrap_or_default(),
        applicant_name: application.form.unit.unit_name.clone(),
        credit_code: application.form.unit.credit_code.clone(),
        sub_items: application.sub_items_label(),
        authority_code: application.authority.map(u64::from).unwrap_or_default(),
        applicant_account: application.applicant_account,
        status: application.status.label().to_string(),
        submitted_at: application
            .submitted_at
            .unwrap_or(application.created_at)
            .timestamp(),
    }
}
