//! Licences a unit holds: those it entered from paper to apply on their strength (已取证),
//! and, once the authority issues them, those issued in xuke.

use chrono::{DateTime, NaiveDate, Utc};
use redb::{ReadableMultimapTable, ReadableTable};
use serde::{Deserialize, Serialize};

use super::applications::SubItemSnapshot;
use super::{decode, encode, next_counter, tables, Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceSource {
    /// Entered by the unit from a certificate issued before xuke.
    Entered,
    /// Issued in xuke.
    Issued,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub id: u64,
    pub holder_account: u64,
    pub number: String,
    pub sub_items: Vec<SubItemSnapshot>,
    pub expires_on: NaiveDate,
    pub source: LicenceSource,
    /// Whether the last renewal was by self-declaration (自我声明承诺换证), which rules out
    /// another one in a row.
    #[serde(default)]
    pub last_renewal_self_declared: bool,
    pub created_at: DateTime<Utc>,
    /// The unit name printed on an issued certificate.
    #[serde(default)]
    pub unit_name: String,
    #[serde(default)]
    pub domicile: String,
    /// Production addresses as printed.
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub authority: Option<u8>,
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
    /// The application that led to an issued licence.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The number of the licence that replaced this one, after a renewal, change or added
    /// items; a replaced certificate is no longer valid.
    #[serde(default)]
    pub replaced_by: Option<String>,
}

/// A licence to record for a unit.
pub struct NewLicence {
    pub holder_account: u64,
    pub number: String,
    pub sub_items: Vec<SubItemSnapshot>,
    pub expires_on: NaiveDate,
    pub source: LicenceSource,
    pub last_renewal_self_declared: bool,
}

impl Store {
    /// Records a licence of a unit. Entering a number the unit already entered updates that
    /// record instead of adding a second one.
    pub fn save_licence(&self, new: NewLicence, now: DateTime<Utc>) -> Result<Licence, StoreError> {
        let existing = self
            .licences_of(new.holder_account)?
            .into_iter()
            .find(|licence| licence.number == new.number);
        let txn = self.write()?;
        let id = match &existing {
            Some(licence) => licence.id,
            None => next_counter(&txn, "next_id:licence")?,
        };
        let licence = Licence {
            id,
            holder_account: new.holder_account,
            number: new.number,
            sub_items: new.sub_items,
            expires_on: new.expires_on,
            source: new.source,
            last_renewal_self_declared: new.last_renewal_self_declared,
            created_at: existing.map(|licence| licence.created_at).unwrap_or(now),
            unit_name: String::new(),
            domicile: String::new(),
            addresses: Vec::new(),
            authority: None,
            issued_on: None,
            application_id: None,
            replaced_by: None,
        };
        txn.open_table(tables::LICENCES)?
            .insert(id, encode(&licence).as_slice())?;
        txn.open_multimap_table(tables::LICENCES_BY_HOLDER)?
            .insert(licence.holder_account, id)?;
        txn.commit()?;
        Ok(licence)
    }

    /// Returns the licences of a unit, newest expiry first.
    pub fn licences_of(&self, account: u64) -> Result<Vec<Licence>, StoreError> {
        let txn = self.read()?;
        let index = txn.open_multimap_table(tables::LICENCES_BY_HOLDER)?;
        let licences = txn.open_table(tables::LICENCES)?;
        let mut result: Vec<Licence> = Vec::new();
        for id in index.get(account)? {
            let id = id?.value();
            if let Some(bytes) = licences.get(id)? {
                result.push(decode("licences", id, bytes.value())?);
            }
        }
        result.sort_by_key(|licence| std::cmp::Reverse(licence.expires_on));
        Ok(result)
    }
}

impl Store {
    pub fn licence(&self, id: u64) -> Result<Option<Licence>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::LICENCES)?;
        let value = table.get(id)?;
        value
            .map(|bytes| decode("licences", id, bytes.value()))
            .transpose()
    }

    /// Finds an issued licence by its number, for the public verification page.
    pub fn issued_licence_by_number(&self, number: &str) -> Result<Option<Licence>, StoreError> {
        let id = {
            let txn = self.read()?;
            let table = txn.open_table(tables::LICENCES_BY_NUMBER)?;
            let id = table.get(number)?.map(|value| value.value());
            id
        };
        match id {
            Some(id) => self.licence(id),
            None => Ok(None),
        }
    }

    /// Returns the accounts that hold a licence numbered `number`, issued or entered.
    // NOTE: this scans the licences table; an index by number over entered licences too
    // is worth adding once the table is large.
    pub fn licence_holders(&self, number: &str) -> Result<Vec<u64>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::LICENCES)?;
        let mut holders = Vec::new();
        for entry in table.iter()? {
            let (key, bytes) = entry?;
            let licence: Licence = decode("licences", key.value(), bytes.value())?;
            if licence.number == number && !holders.contains(&licence.holder_account) {
                holders.push(licence.holder_account);
            }
        }
        Ok(holders)
    }

    /// Returns issued licences whose unit name contains `name`, at most `limit` of them.
    pub fn issued_licences_by_name(
        &self,
        name: &str,
        limit: usize,
    ) -> Result<Vec<Licence>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::LICENCES)?;
        let mut result = Vec::new();
        for entry in table.iter()? {
            let (key, bytes) = entry?;
            let licence: Licence = decode("licences", key.value(), bytes.value())?;
            if licence.source == LicenceSource::Issued && licence.unit_name.contains(name) {
                result.push(licence);
                if result.len() >= limit {
                    break;
                }
            }
        }
        Ok(result)
    }
}
