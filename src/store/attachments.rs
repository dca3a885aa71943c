//! Attachment files of applications, with their metadata. The bytes live in their own table
//! so that listing attachments reads no file contents.

use chrono::{DateTime, Utc};
use redb::{ReadableMultimapTable, ReadableTable, WriteTransaction};
use serde::{Deserialize, Serialize};

use super::applications::{load, ActionError};
use super::{decode, encode, next_counter, tables, Store, StoreError};
use crate::domain::application::{may_edit, may_report};
use crate::domain::attachment::{AttachmentKind, FileType};
use crate::domain::Actor;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub id: u64,
    pub application_id: u64,
    pub kind: AttachmentKind,
    /// The file name as uploaded, for display and download only.
    pub file_name: String,
    pub file_type: FileType,
    pub size: u64,
    pub uploaded_at: DateTime<Utc>,
}

/// A file to attach, already checked for type and size.
pub struct NewAttachment {
    pub kind: AttachmentKind,
    pub file_name: String,
    pub file_type: FileType,
    pub bytes: Vec<u8>,
}

impl Store {
    /// Attaches a file to a draft of `actor`.
    pub fn add_attachment(
        &self,
        application_id: u64,
        actor: &Actor,
        new: NewAttachment,
        now: DateTime<Utc>,
    ) -> Result<AttachmentMeta, ActionError> {
        let txn = self.write()?;
        let application =
            load(&txn, application_id)?.ok_or(ActionError::NotFound(application_id))?;
        let allowed = if new.kind == AttachmentKind::ReviewReport {
            may_report(actor, &application.parties(), application.status)
        } else {
            may_edit(actor, &application.parties(), application.status)
        };
        if !allowed {
            return Err(ActionError::NotEditable);
        }
        let id = next_counter(&txn, "next_id:attachment")?;
        let meta = AttachmentMeta {
            id,
            application_id,
            kind: new.kind,
            file_name: new.file_name,
            file_type: new.file_type,
            size: new.bytes.len() as u64,
            uploaded_at: now,
        };
        {
            let mut metas = txn
                .open_table(tables::ATTACHMENTS)
                .map_err(StoreError::from)?;
            metas
                .insert(id, encode(&meta).as_slice())
                .map_err(StoreError::from)?;
            let mut bytes = txn
                .open_table(tables::ATTACHMENT_BYTES)
                .map_err(StoreError::from)?;
            bytes
                .insert(id, new.bytes.as_slice())
                .map_err(StoreError::from)?;
            let mut index = txn
                .open_multimap_table(tables::ATTACHMENTS_BY_APPLICATION)
                .map_err(StoreError::from)?;
            index.insert(application_id, id).map_err(StoreError::from)?;
        }
        txn.commit().map_err(StoreError::from)?;
        Ok(meta)
    }

    /// Removes an attachment from a draft of `actor`.
    pub fn remove_attachment(
        &self,
        application_id: u64,
        attachment_id: u64,
        actor: &Actor,
    ) -> Result<(), ActionError> {
        let txn = self.write()?;
        let application =
            load(&txn, application_id)?.ok_or(ActionError::NotFound(application_id))?;
        if !may_edit(actor, &application.parties(), application.status) {
            return Err(ActionError::NotEditable);
        }
        let removed = txn
            .open_multimap_table(tables::ATTACHMENTS_BY_APPLICATION)
            .map_err(StoreError::from)?
            .remove(application_id, attachment_id)
            .map_err(StoreError::from)?;
        if !removed {
            return Err(ActionError::NotFound(attachment_id));
        }
        remove_one(&txn, attachment_id)?;
        txn.commit().map_err(StoreError::from)?;
        Ok(())
    }

    /// Returns the attachments of an application, oldest first.
    pub fn attachments_of(&self, application_id: u64) -> Result<Vec<AttachmentMeta>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(tables::ATTACHMENTS_BY_APPLICATION)?;
        let metas = txn.open_table(tables::ATTACHMENTS)?;
        let mut result = Vec::new();
        for id in index.get(application_id)? {
            let id = id?.value();
            if let Some(bytes) = metas.get(id)? {
                result.push(decode("attachments", id, bytes.value())?);
            }
        }
        Ok(result)
    }

    pub fn attachment(&self, id: u64) -> Result<Option<AttachmentMeta>, StoreError> {
        let txn = self.read()?;
        let metas = txn.open_table(tables::ATTACHMENTS)?;
        let value = metas.get(id)?;
        value
            .map(|bytes| decode("attachments", id, bytes.value()))
            .transpose()
    }

    pub fn attachment_bytes(&self, id: u64) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::ATTACHMENT_BYTES)?;
        let value = table.get(id)?;
        Ok(value.map(|bytes| bytes.value().to_vec()))
    }
}

fn remove_one(txn: &WriteTransaction, attachment_id: u64) -> Result<(), StoreError> {
    txn.open_table(tables::ATTACHMENTS)?.remove(attachment_id)?;
    txn.open_table(tables::ATTACHMENT_BYTES)?
        .remove(attachment_id)?;
    Ok(())
}

/// Removes every attachment of an application inside `txn`, when its draft is deleted.
pub(super) fn remove_all(txn: &WriteTransaction, application_id: u64) -> Result<(), StoreError> {
    let ids: Vec<u64> = {
        let index = txn.open_multimap_table(tables::ATTACHMENTS_BY_APPLICATION)?;
        let mut ids = Vec::new();
        for id in index.get(application_id)? {
            ids.push(id?.value());
        }
        ids
    };
    for id in &ids {
        remove_one(txn, *id)?;
    }
    txn.open_multimap_table(tables::ATTACHMENTS_BY_APPLICATION)?
        .remove_all(application_id)?;
    Ok(())
}
