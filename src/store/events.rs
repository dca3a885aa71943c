//! The event log: one record per state change, written in the same transaction as the change.
//! Events are the applicant's timeline, the staff's history and the audit log at once. Each
//! carries the SHA-256 of the previous event, so an edited or deleted record is detected.

use chrono::{DateTime, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{decode, encode, tables, Store, StoreError};
use crate::domain::personnel_application::{PersonnelAction, PersonnelStatus};
use crate::domain::{Action, ApplicationStatus, Role};

/// The action of an event, from either kind of application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventAction {
    Production(Action),
    Personnel(PersonnelAction),
}

impl EventAction {
    pub fn label(self) -> &'static str {
        match self {
            EventAction::Production(action) => action.label(),
            EventAction::Personnel(action) => action.label(),
        }
    }
}

/// A status in an event, from either kind of application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Production(ApplicationStatus),
    Personnel(PersonnelStatus),
}

impl EventStatus {
    pub fn label(self) -> &'static str {
        match self {
            EventStatus::Production(status) => status.label(),
            EventStatus::Personnel(status) => status.label(),
        }
    }
}

/// The `prev_hash` of the first event.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the log, starting at 1, without gaps.
    pub seq: u64,
    pub application_id: u64,
    pub actor_account: u64,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
    pub action: EventAction,
    pub from: Option<EventStatus>,
    pub to: EventStatus,
    /// Number of the document the change issued, such as a 受理决定书.
    #[serde(default)]
    pub document: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    pub prev_hash: String,
    /// SHA-256 (hex) of this record serialised with an empty `hash`.
    pub hash: String,
}

/// An event before the log assigns its position and hashes.
pub(super) struct NewEvent {
    pub application_id: u64,
    pub actor_account: u64,
    pub actor_role: Role,
    pub at: DateTime<Utc>,
    pub action: EventAction,
    pub from: Option<EventStatus>,
    pub to: EventStatus,
    pub document: Option<String>,
    pub comment: Option<String>,
}

fn hash_of(event: &Event) -> String {
    let unhashed = Event {
        hash: String::new(),
        ..event.clone()
    };
    hex::encode(Sha256::digest(encode(&unhashed)))
}

/// Appends `new` to the log inside `txn`.
pub(super) fn append(txn: &WriteTransaction, new: NewEvent) -> Result<Event, StoreError> {
    let mut events = txn.open_table(tables::EVENTS)?;
    let (seq, prev_hash) = match events.last()? {
        Some((key, bytes)) => {
            let previous: Event = decode("events", key.value(), bytes.value())?;
            (previous.seq + 1, previous.hash)
        }
        None => (1, GENESIS_HASH.to_string()),
    };
    let mut event = Event {
        seq,
        application_id: new.application_id,
        actor_account: new.actor_account,
        actor_role: new.actor_role,
        at: new.at,
        action: new.action,
        from: new.from,
        to: new.to,
        document: new.document,
        comment: new.comment,
        prev_hash,
        hash: String::new(),
    };
    event.hash = hash_of(&event);
    events.insert(seq, encode(&event).as_slice())?;
    txn.open_multimap_table(tables::EVENTS_BY_APPLICATION)?
        .insert(event.application_id, seq)?;
    Ok(event)
}

/// A break in the hash chain found by [`Store::verify_event_chain`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("event log broken at sequence {seq}: {reason}")]
pub struct ChainBreak {
    pub seq: u64,
    pub reason: &'static str,
}

impl Store {
    /// Returns the events of one application, oldest first.
    pub fn events_of(&self, application_id: u64) -> Result<Vec<Event>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(tables::EVENTS_BY_APPLICATION)?;
        let events = txn.open_table(tables::EVENTS)?;
        let mut result = Vec::new();
        for seq in index.get(application_id)? {
            let seq = seq?.value();
            if let Some(bytes) = events.get(seq)? {
                result.push(decode("events", seq, bytes.value())?);
            }
        }
        Ok(result)
    }

    /// Events after `seq`, oldest first, at most `limit` of them.
    pub fn events_after(&self, seq: u64, limit: usize) -> Result<Vec<Event>, StoreError> {
        let txn = self.read()?;
        let events = txn.open_table(tables::EVENTS)?;
        let mut result = Vec::new();
        for entry in events.range(seq + 1..)?.take(limit) {
            let (key, bytes) = entry?;
            result.push(decode("events", key.value(), bytes.value())?);
        }
        Ok(result)
    }

    /// Recomputes every hash and link of the log; returns the first break, if any.
    pub fn verify_event_chain(&self) -> Result<Result<u64, ChainBreak>, StoreError> {
        let txn = self.read()?;
        let events = txn.open_table(tables::EVENTS)?;
        let mut expected_prev = GENESIS_HASH.to_string();
        let mut expected_seq = 1;
        for entry in events.iter()? {
            let (key, bytes) = entry?;
            let event: Event = decode("events", key.value(), bytes.value())?;
            let broken = |reason| {
                Ok(Err(ChainBreak {
                    seq: event.seq,
                    reason,
                }))
            };
            if event.seq != expected_seq || key.value() != event.seq {
                return broken("sequence number out of order");
            }
            if event.prev_hash != expected_prev {
                return broken("previous hash does not match the preceding event");
            }
            if hash_of(&event) != event.hash {
                return broken("record does not match its hash");
            }
            expected_prev = event.hash;
            expected_seq += 1;
        }
        Ok(Ok(expected_seq - 1))
    }

    /// Overwrites one stored event without rehashing, so tests can show that tampering is
    /// detected.
    #[doc(hidden)]
    pub fn tamper_with_event(&self, event: &Event) -> Result<(), StoreError> {
        let txn = self.write()?;
        txn.open_table(tables::EVENTS)?
            .insert(event.seq, encode(event).as_slice())?;
        txn.commit()?;
        Ok(())
    }
}
