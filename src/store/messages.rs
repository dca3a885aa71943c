//! In-app messages (站内消息) that tell an applicant of each change to its applications.

use chrono::{DateTime, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::{decode, encode, next_counter, tables, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub id: u64,
    pub account: u64,
    pub application_id: u64,
    pub text: String,
    pub at: DateTime<Utc>,
    pub read: bool,
}

/// Leaves a message for `account` inside `txn`, so that it is written with the change it
/// reports.
pub(super) fn leave(
    txn: &WriteTransaction,
    account: u64,
    application_id: u64,
    text: String,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    let id = next_counter(txn, "next_id:message")?;
    let message = Message {
        id,
        account,
        application_id,
        text,
        at,
        read: false,
    };
    txn.open_table(tables::MESSAGES)?
        .insert(id, encode(&message).as_slice())?;
    txn.open_multimap_table(tables::MESSAGES_BY_ACCOUNT)?
        .insert(account, id)?;
    Ok(())
}

impl Store {
    /// Returns the messages of `account`, newest first.
    pub fn messages_of(&self, account: u64) -> Result<Vec<Message>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(tables::MESSAGES_BY_ACCOUNT)?;
        let table = txn.open_table(tables::MESSAGES)?;
        let mut result: Vec<Message> = Vec::new();
        for id in index.get(account)? {
            let id = id?.value();
            if let Some(bytes) = table.get(id)? {
                result.push(decode("messages", id, bytes.value())?);
            }
        }
        result.sort_by_key(|message| std::cmp::Reverse(message.id));
        Ok(result)
    }

    pub fn unread_count(&self, account: u64) -> Result<usize, StoreError> {
        Ok(self
            .messages_of(account)?
            .iter()
            .filter(|message| !message.read)
            .count())
    }

    /// Marks every message of `account` read.
    pub fn mark_messages_read(&self, account: u64) -> Result<(), StoreError> {
        let unread: Vec<Message> = self
            .messages_of(account)?
            .into_iter()
            .filter(|message| !message.read)
            .collect();
        if unread.is_empty() {
            return Ok(());
        }
        let txn = self.write()?;
        {
            let mut table = txn.open_table(tables::MESSAGES)?;
            for mut message in unread {
                message.read = true;
                table.insert(message.id, encode(&message).as_slice())?;
            }
        }
        txn.commit()?;
        Ok(())
    }
}
