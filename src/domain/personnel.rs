//! Items of the inspection and testing personnel qualification (特种设备检验、检测人员资格认定):
//! inspector items (检验人员) and NDT methods with levels (无损检测人员), and the authority that
//! approves each. The rows are data, because most inspector codes are unconfirmed.

use serde::Deserialize;

use super::catalogue::ApprovalScope;

/// 人员类型.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonnelType {
    /// 检验人员.
    Inspection,
    /// 无损检测人员.
    Ndt,
}

impl PersonnelType {
    pub fn label(self) -> &'static str {
        match self {
            PersonnelType::Inspection => "检验人员",
            PersonnelType::Ndt => "无损检测人员",
        }
    }

    fn from_label(label: &str) -> Option<PersonnelType> {
        match label {
            "检验人员" => Some(PersonnelType::Inspection),
            "无损检测人员" => Some(PersonnelType::Ndt),
            _ => None,
        }
    }
}

/// One item (项目) with its levels and the approving authority of each.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonnelItem {
    pub personnel_type: PersonnelType,
    /// 项目代号, such as `RT` or `Y-GL`.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// Levels such as I, II, III; empty for inspector items, which have none.
    pub levels: Vec<String>,
    /// The approver per level, or one entry with an empty level for an item without levels.
    pub scopes: Vec<(String, ApprovalScope)>,
    /// `confirmed`, `seen-in-system` or `pattern-only`.
    pub confidence: String,
    pub note: String,
}

impl PersonnelItem {
    /// Returns the approver of the item at `level` (empty for an item without levels).
    pub fn scope(&self, level: &str) -> Option<ApprovalScope> {
        self.scopes
            .iter()
            .find(|(scope_level, _)| scope_level == level)
            .map(|(_, scope)| *scope)
    }
}

/// Formats the code as the real system shows it: `RT-II` with a level, `Y-GL` without.
pub fn display_code(code: &str, level: &str) -> String {
    if level.is_empty() {
        code.to_string()
    } else {
        format!("{code}-{level}")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PersonnelItemsError {
    #[error("personnel items row {row}: {source}")]
    Csv { row: usize, source: csv::Error },
    #[error("personnel items row {row}: unknown personnel type {value:?}")]
    UnknownType { row: usize, value: String },
    #[error("personnel items row {row}: invalid authority {value:?}, expected SAMR, PROV or LEVEL:SAMR;LEVEL:PROV")]
    InvalidAuthority { row: usize, value: String },
}

#[derive(Deserialize)]
struct CsvRow {
    personnel_type: String,
    code: String,
    name: String,
    levels: String,
    authority_by_level: String,
    confidence: String,
    note: String,
}

fn parse_scope(text: &str) -> Option<ApprovalScope> {
    match text.trim() {
        "SAMR" => Some(ApprovalScope::Samr),
        "PROV" => Some(ApprovalScope::Provincial),
        _ => None,
    }
}

/// The loaded items, in file order.
#[derive(Debug, Clone, Default)]
pub struct PersonnelItems {
    items: Vec<PersonnelItem>,
}

impl PersonnelItems {
    /// Parses `personnel_type,code,name,levels,authority_by_level,confidence,note` rows.
    pub fn from_csv(text: &str) -> Result<PersonnelItems, PersonnelItemsError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut items = Vec::new();
        for (index, record) in reader.deserialize::<CsvRow>().enumerate() {
            let row = index + 2;
            let record = record.map_err(|source| PersonnelItemsError::Csv { row, source })?;
            let personnel_type = PersonnelType::from_label(record.personnel_type.trim())
                .ok_or_else(|| PersonnelItemsError::UnknownType {
                    row,
                    value: record.personnel_type.clone(),
                })?;
            let levels: Vec<String> = record
                .levels
                .split('|')
                .map(str::trim)
                .filter(|level| !level.is_empty())
                .map(str::to_string)
                .collect();
            let invalid = || PersonnelItemsError::InvalidAuthority {
                row,
                value: record.authority_by_level.clone(),
            };
            let scopes = if levels.is_empty() {
                vec![(
                    String::new(),
                    parse_scope(&record.authority_by_level).ok_or_else(invalid)?,
                )]
            } else {
                let mut scopes = Vec::new();
                for part in record.authority_by_level.split(';') {
                    let (level, scope) = part.split_once(':').ok_or_else(invalid)?;
                    scopes.push((
                        level.trim().to_string(),
                        parse_scope(scope).ok_or_else(invalid)?,
                    ));
                }
                if levels
                    .iter()
                    .any(|level| !scopes.iter().any(|(l, _)| l == level))
                {
                    return Err(invalid());
                }
                scopes
            };
            items.push(PersonnelItem {
                personnel_type,
                code: record.code.trim().to_string(),
                name: record.name.trim().to_string(),
                levels,
                scopes,
                confidence: record.confidence.trim().to_string(),
                note: record.note.trim().to_string(),
            });
        }
        Ok(PersonnelItems { items })
    }

    pub fn get(&self, code: &str) -> Option<&PersonnelItem> {
        self.items.iter().find(|item| item.code == code)
    }

    pub fn all(&self) -> &[PersonnelItem] {
        &self.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ITEMS: &str = include_str!("../../assets/data/personnel-items.csv");

    #[test]
    fn loads_every_row() {
        let items = PersonnelItems::from_csv(ITEMS).unwrap();
        assert_eq!(items.all().len(), 27);
        let ndt = items
            .all()
            .iter()
            .filter(|item| item.personnel_type == PersonnelType::Ndt)
            .count();
        assert_eq!(ndt, 12);
    }

    #[test]
    fn approver_by_level() {
        let items = PersonnelItems::from_csv(ITEMS).unwrap();
        let rt = items.get("RT").unwrap();
        assert_eq!(rt.scope("II"), Some(ApprovalScope::Provincial));
        assert_eq!(rt.scope("III"), Some(ApprovalScope::Samr));
        assert_eq!(
            items.get("TOFD").unwrap().scope("II"),
            Some(ApprovalScope::Samr)
        );
        assert_eq!(
            items.get("Y-GL").unwrap().scope(""),
            Some(ApprovalScope::Provincial)
        );
    }

    #[test]
    fn display_codes() {
        assert_eq!(display_code("RT", "II"), "RT-II");
        assert_eq!(display_code("Y-GL", ""), "Y-GL");
    }

    #[test]
    fn rejects_missing_level_authority() {
        let text = "personnel_type,code,name,levels,authority_by_level,confidence,note\n无损检测人员,RT,x,I|II,I:PROV,confirmed,\n";
        assert!(matches!(
            PersonnelItems::from_csv(text),
            Err(PersonnelItemsError::InvalidAuthority { row: 2, .. })
        ));
    }
}
