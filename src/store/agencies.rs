//! Review agencies (鉴定评审机构) registered in the system, which the authority names in an
//! acceptance decision.

use chrono::{DateTime, Utc};
use redb::ReadableTable;
use serde::{Deserialize, Serialize};

use super::{decode, encode, next_counter, tables, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub id: u64,
    pub name: String,
    pub contact_person: String,
    pub phone: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub fn create_agency(
        &self,
        name: &str,
        contact_person: &str,
        phone: &str,
        now: DateTime<Utc>,
    ) -> Result<Agency, StoreError> {
        let txn = self.write()?;
        let id = next_counter(&txn, "next_id:agency")?;
        let agency = Agency {
            id,
            name: name.to_string(),
            contact_person: contact_person.to_string(),
            phone: phone.to_string(),
            created_at: now,
        };
        txn.open_table(tables::AGENCIES)?
            .insert(id, encode(&agency).as_slice())?;
        txn.commit()?;
        Ok(agency)
    }

    pub fn agency(&self, id: u64) -> Result<Option<Agency>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::AGENCIES)?;
        let value = table.get(id)?;
        value
            .map(|bytes| decode("agencies", id, bytes.value()))
            .transpose()
    }

    /// Returns every registered agency, in order of registration.
    pub fn agencies(&self) -> Result<Vec<Agency>, StoreError> {
        let txn = self.read()?;
        let table = txn.open_table(tables::AGENCIES)?;
        let mut result = Vec::new();
        for entry in table.iter()? {
            let (key, bytes) = entry?;
            result.push(decode("agencies", key.value(), bytes.value())?);
        }
        Ok(result)
    }
}
