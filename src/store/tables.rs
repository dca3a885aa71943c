//! The redb table definitions. Values are JSON records so that a field added later, with a
//! serde default, still reads a file written by an older build.

use redb::{MultimapTableDefinition, TableDefinition, WriteTransaction};

use super::StoreError;

/// Schema version and counters (`next_id:*`, serial numbers per year and authority).
pub const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Account id to account record.
pub const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
/// Canonical login name (a credit code for enterprises) to account id; enforces uniqueness.
pub const LOGINS: TableDefinition<&str, u64> = TableDefinition::new("logins");
/// SHA-256 of a session id (hex) to the session record; the raw id is never stored.
pub const SESSIONS: TableDefinition<&str, &[u8]> = TableDefinition::new("sessions");
/// Application id to application record.
pub const APPLICATIONS: TableDefinition<u64, &[u8]> = TableDefinition::new("applications");
/// Applicant account id to its application ids.
pub const APPLICATIONS_BY_APPLICANT: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("applications_by_applicant");
/// Authority code to the ids of applications addressed to it.
pub const APPLICATIONS_BY_AUTHORITY: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("applications_by_authority");
/// Event sequence number to event record; the append-only audit log.
pub const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
/// Application id to the sequence numbers of its events.
pub const EVENTS_BY_APPLICATION: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("events_by_application");

/// Attachment id to its metadata.
pub const ATTACHMENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("attachments");
/// Attachment id to the file's bytes.
pub const ATTACHMENT_BYTES: TableDefinition<u64, &[u8]> = TableDefinition::new("attachment_bytes");
/// Application id to its attachment ids.
pub const ATTACHMENTS_BY_APPLICATION: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("attachments_by_application");
/// Licence id to licence record.
pub const LICENCES: TableDefinition<u64, &[u8]> = TableDefinition::new("licences");
/// Holder account id to its licence ids.
pub const LICENCES_BY_HOLDER: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("licences_by_holder");

/// Review agency id to agency record.
pub const AGENCIES: TableDefinition<u64, &[u8]> = TableDefinition::new("agencies");
/// Message id to in-app message.
pub const MESSAGES: TableDefinition<u64, &[u8]> = TableDefinition::new("messages");
/// Account id to its message ids.
pub const MESSAGES_BY_ACCOUNT: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("messages_by_account");
/// Agency id to the ids of applications it reviews.
pub const APPLICATIONS_BY_AGENCY: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("applications_by_agency");
/// Licence number to licence id, for the public verification page.
pub const LICENCES_BY_NUMBER: TableDefinition<&str, u64> =
    TableDefinition::new("licences_by_number");

/// Editable settings by name, such as the holiday schedule that replaces the embedded one.
pub const SETTINGS: TableDefinition<&str, &str> = TableDefinition::new("settings");

/// Personnel application id to record.
pub const PERSONNEL_APPLICATIONS: TableDefinition<u64, &[u8]> =
    TableDefinition::new("personnel_applications");
/// Personnel application id to the applicant's photo.
pub const PERSONNEL_PHOTOS: TableDefinition<u64, &[u8]> = TableDefinition::new("personnel_photos");
/// Applicant account id to personnel application ids.
pub const PERSONNEL_BY_APPLICANT: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("personnel_by_applicant");
/// Authority code to personnel application ids.
pub const PERSONNEL_BY_AUTHORITY: MultimapTableDefinition<u64, u64> =
    MultimapTableDefinition::new("personnel_by_authority");
/// Personnel certificate number to application id.
pub const PERSONNEL_CERTIFICATES_BY_NUMBER: TableDefinition<&str, u64> =
    TableDefinition::new("personnel_certificates_by_number");

/// Opens every table once so that read transactions find them on a fresh file.
pub fn create_all(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(META)?;
    txn.open_table(ACCOUNTS)?;
    txn.open_table(LOGINS)?;
    txn.open_table(SESSIONS)?;
    txn.open_table(APPLICATIONS)?;
    txn.open_multimap_table(APPLICATIONS_BY_APPLICANT)?;
    txn.open_multimap_table(APPLICATIONS_BY_AUTHORITY)?;
    txn.open_table(EVENTS)?;
    txn.open_multimap_table(EVENTS_BY_APPLICATION)?;
    txn.open_table(ATTACHMENTS)?;
    txn.open_table(ATTACHMENT_BYTES)?;
    txn.open_multimap_table(ATTACHMENTS_BY_APPLICATION)?;
    txn.open_table(LICENCES)?;
    txn.open_multimap_table(LICENCES_BY_HOLDER)?;
    txn.open_table(AGENCIES)?;
    txn.open_table(MESSAGES)?;
    txn.open_multimap_table(MESSAGES_BY_ACCOUNT)?;
    txn.open_multimap_table(APPLICATIONS_BY_AGENCY)?;
    txn.open_table(LICENCES_BY_NUMBER)?;
    txn.open_table(SETTINGS)?;
    txn.open_table(PERSONNEL_APPLICATIONS)?;
    txn.open_table(PERSONNEL_PHOTOS)?;
    txn.open_multimap_table(PERSONNEL_BY_APPLICANT)?;
    txn.open_multimap_table(PERSONNEL_BY_AUTHORITY)?;
    txn.open_table(PERSONNEL_CERTIFICATES_BY_NUMBER)?;
    Ok(())
}
