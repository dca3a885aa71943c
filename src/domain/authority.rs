//! Licensing authorities (审批机关) and the rule that derives an application's authority from
//! its sub-items and the province of its production address.

use std::collections::BTreeSet;

use serde::Deserialize;

use super::catalogue::{ApprovalScope, SubItem};

/// GB/T 2260 province code of a provincial bureau, or 10 for SAMR.
pub type AuthorityCode = u8;

/// The code of 国家市场监督管理总局 (SAMR).
pub const SAMR: AuthorityCode = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub code: AuthorityCode,
    /// Province name, or 全国 for SAMR.
    pub province: String,
    /// Full name, for example 江苏省市场监督管理局.
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AuthoritiesError {
    #[error("authorities row {row}: {source}")]
    Csv { row: usize, source: csv::Error },
    #[error("authorities file has no SAMR row with code 10")]
    MissingSamr,
}

#[derive(Deserialize)]
struct CsvRow {
    code: AuthorityCode,
    province: String,
    authority: String,
}

/// Reasons a selection cannot go to one authority. The messages are shown to applicants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    #[error("请至少选择一个申请许可的子项目")]
    NoSubItems,
    #[error("请选择生产地址所在省份")]
    MissingProvince,
    #[error("所选省份不在审批机关名录中，请重新选择")]
    UnknownProvince,
    #[error("所选子项目分属国家市场监督管理总局（{}）和省级市场监督管理部门（{}）审批，一份申请只能提交给一个审批机关，请分两份申请分别提交", .samr.join("、"), .provincial.join("、"))]
    MixedAuthorities {
        samr: Vec<String>,
        provincial: Vec<String>,
    },
    #[error("由省级市场监督管理部门审批的子项目，生产地址位于{}，一份申请只能提交给一个审批机关，请按省份分别提交申请", .provinces.join("、"))]
    SeveralProvinces { provinces: Vec<String> },
}

/// SAMR and the provincial bureaus, in file order.
#[derive(Debug, Clone)]
pub struct Authorities {
    authorities: Vec<Authority>,
}

impl Authorities {
    /// Parses `code,province,authority` rows; the file must contain SAMR.
    pub fn from_csv(text: &str) -> Result<Authorities, AuthoritiesError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut authorities = Vec::new();
        for (index, record) in reader.deserialize::<CsvRow>().enumerate() {
            let record = record.map_err(|source| AuthoritiesError::Csv {
                row: index + 2,
                source,
            })?;
            authorities.push(Authority {
                code: record.code,
                province: record.province.trim().to_string(),
                name: record.authority.trim().to_string(),
            });
        }
        if !authorities.iter().any(|authority| authority.code == SAMR) {
            return Err(AuthoritiesError::MissingSamr);
        }
        Ok(Authorities { authorities })
    }

    pub fn get(&self, code: AuthorityCode) -> Option<&Authority> {
        self.authorities
            .iter()
            .find(|authority| authority.code == code)
    }

    pub fn all(&self) -> &[Authority] {
        &self.authorities
    }

    /// Returns the provincial bureaus, which double as the list of provinces on address forms.
    pub fn provinces(&self) -> impl Iterator<Item = &Authority> {
        self.authorities
            .iter()
            .filter(|authority| authority.code != SAMR)
    }

    /// Returns the authority name for a code, or the code itself when the list no longer has
    /// it.
    pub fn name_of(&self, code: AuthorityCode) -> String {
        self.get(code)
            .map(|authority| authority.name.clone())
            .unwrap_or_else(|| format!("审批机关{code}"))
    }

    /// Derives the one authority that approves `sub_items` produced at addresses in
    /// `provinces`: SAMR when every sub-item is a SAMR one, else the bureau of the single
    /// province. Mixing SAMR and provincial sub-items, or provincial sub-items at addresses in
    /// two provinces, needs separate applications.
    pub fn derive(
        &self,
        sub_items: &[&SubItem],
        provinces: &[AuthorityCode],
    ) -> Result<&Authority, RoutingError> {
        if sub_items.is_empty() {
            return Err(RoutingError::NoSubItems);
        }

        let (samr, provincial): (Vec<&SubItem>, Vec<&SubItem>) = sub_items
            .iter()
            .partition(|sub_item| sub_item.scope == ApprovalScope::Samr);
        if !samr.is_empty() && !provincial.is_empty() {
            return Err(RoutingError::MixedAuthorities {
                samr: samr.iter().map(|sub_item| sub_item.label()).collect(),
                provincial: provincial.iter().map(|sub_item| sub_item.label()).collect(),
            });
        }

        let distinct: BTreeSet<AuthorityCode> = provinces.iter().copied().collect();
        if distinct.is_empty() {
            return Err(RoutingError::MissingProvince);
        }
        for &code in &distinct {
            if code == SAMR || self.get(code).is_none() {
                return Err(RoutingError::UnknownProvince);
            }
        }
        if provincial.is_empty() {
            return self.get(SAMR).ok_or(RoutingError::UnknownProvince);
        }
        if distinct.len() > 1 {
            return Err(RoutingError::SeveralProvinces {
                provinces: distinct
                    .iter()
                    .filter_map(|&code| self.get(code))
                    .map(|authority| authority.province.clone())
                    .collect(),
            });
        }
        let province = *distinct.first().expect("checked non-empty above");
        self.get(province).ok_or(RoutingError::UnknownProvince)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalogue::Catalogue;

    const CATALOGUE: &str = include_str!("../../assets/data/production-catalogue.csv");
    const AUTHORITIES: &str = include_str!("../../assets/data/authorities.csv");

    fn load() -> (Catalogue, Authorities) {
        (
            Catalogue::from_csv(CATALOGUE).unwrap(),
            Authorities::from_csv(AUTHORITIES).unwrap(),
        )
    }

    #[test]
    fn loads_samr_and_31_provinces() {
        let (_, authorities) = load();
        assert_eq!(authorities.all().len(), 32);
        assert_eq!(authorities.provinces().count(), 31);
        assert_eq!(authorities.name_of(SAMR), "国家市场监督管理总局");
    }

    #[test]
    fn every_catalogue_row_routes_by_its_scope() {
        let (catalogue, authorities) = load();
        for sub_item in catalogue.sub_items() {
            for province in authorities.provinces() {
                let derived = authorities.derive(&[sub_item], &[province.code]).unwrap();
                let expected = match sub_item.scope {
                    ApprovalScope::Samr => SAMR,
                    ApprovalScope::Provincial => province.code,
                };
                assert_eq!(derived.code, expected, "row {}", sub_item.id);
            }
        }
    }

    #[test]
    fn samr_rows_match_the_data_file() {
        let (catalogue, _) = load();
        let samr: Vec<&str> = catalogue
            .sub_items()
            .iter()
            .filter(|sub_item| sub_item.scope == ApprovalScope::Samr)
            .map(|sub_item| sub_item.id.as_str())
            .collect();
        assert_eq!(
            samr,
            [
                "D01", "M01", "M04", "M05", "M06", "M07", "M08", "M19", "M40", "M41", "M42", "M43",
                "M44", "M45", "M52", "M62", "M63", "M64", "M65", "M66", "I01"
            ]
        );
    }

    #[test]
    fn mixed_selection_is_rejected() {
        let (catalogue, authorities) = load();
        let selection = [catalogue.get("M04").unwrap(), catalogue.get("M12").unwrap()];
        let error = authorities.derive(&selection, &[32]).unwrap_err();
        assert!(matches!(error, RoutingError::MixedAuthorities { .. }));
        assert!(error.to_string().contains("请分两份申请分别提交"));
    }

    #[test]
    fn provincial_items_in_two_provinces_are_rejected() {
        let (catalogue, authorities) = load();
        let selection = [catalogue.get("M12").unwrap()];
        let error = authorities.derive(&selection, &[32, 33]).unwrap_err();
        assert_eq!(
            error,
            RoutingError::SeveralProvinces {
                provinces: vec!["江苏省".into(), "浙江省".into()]
            }
        );
    }

    #[test]
    fn samr_items_in_two_provinces_go_to_samr() {
        let (catalogue, authorities) = load();
        let selection = [catalogue.get("M04").unwrap()];
        assert_eq!(
            authorities.derive(&selection, &[32, 33]).unwrap().code,
            SAMR
        );
    }

    #[test]
    fn empty_selection_and_province_are_rejected() {
        let (catalogue, authorities) = load();
        assert_eq!(
            authorities.derive(&[], &[32]).unwrap_err(),
            RoutingError::NoSubItems
        );
        let selection = [catalogue.get("M12").unwrap()];
        assert_eq!(
            authorities.derive(&selection, &[]).unwrap_err(),
            RoutingError::MissingProvince
        );
        assert_eq!(
            authorities.derive(&selection, &[SAMR]).unwrap_err(),
            RoutingError::UnknownProvince
        );
    }
}
