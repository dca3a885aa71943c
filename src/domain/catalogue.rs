//! The production unit licence catalogue (特种设备生产单位许可目录, SAMR announcement 2021
//! No.41): licence category, item, sub-item and level, and whether SAMR or the provincial
//! bureau approves each sub-item. The rows are data loaded from a CSV file.

use serde::Deserialize;

/// The approver of a sub-item: SAMR itself, or the bureau of the province of the production
/// address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApprovalScope {
    Samr,
    Provincial,
}

/// One selectable row of the catalogue: a sub-item at one level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubItem {
    /// Stable row id such as `M04`, used in forms and stored applications.
    pub id: String,
    /// Licence category (许可类别), for example 制造单位许可.
    pub category: String,
    /// Item (项目), for example 压力容器制造(含安装、修理、改造).
    pub item: String,
    /// Sub-item (子项目), for example 固定式压力容器/大型高压容器.
    pub sub_item: String,
    /// Level (级别); empty when the sub-item is not graded.
    pub level: String,
    pub scope: ApprovalScope,
    /// Remarks from the catalogue, such as which levels a level covers.
    pub note: String,
}

impl SubItem {
    /// Returns the level as shown to users. Foreign makers' rows take the domestic level.
    pub fn level_label(&self) -> &str {
        match self.level.as_str() {
            "same as domestic" => "同境内制造级别",
            level => level,
        }
    }

    /// Returns the sub-item and its level in one label, for lists and documents.
    pub fn label(&self) -> String {
        match self.level_label() {
            "" => self.sub_item.clone(),
            level => format!("{}（{}级）", self.sub_item, level),
        }
    }
}

/// Reasons a catalogue file cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("catalogue row {row}: {source}")]
    Csv { row: usize, source: csv::Error },
    #[error("catalogue row {row}: unknown authority {value:?}, expected SAMR or PROV")]
    UnknownAuthority { row: usize, value: String },
    #[error("catalogue row {row}: duplicate id {id}")]
    DuplicateId { row: usize, id: String },
    #[error("catalogue is empty")]
    Empty,
}

#[derive(Deserialize)]
struct CsvRow {
    id: String,
    license_category: String,
    item: String,
    sub_item: String,
    level: String,
    authority: String,
    note: String,
}

/// A licence category with its items, in catalogue order, for the selection page.
pub struct CategoryGroup<'a> {
    pub category: &'a str,
    pub items: Vec<ItemGroup<'a>>,
}

/// An item with its sub-item rows, in catalogue order.
pub struct ItemGroup<'a> {
    pub item: &'a str,
    pub sub_items: Vec<&'a SubItem>,
}

/// The loaded catalogue in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    sub_items: Vec<SubItem>,
}

impl Catalogue {
    /// Parses the catalogue CSV (`id,license_category,item,sub_item,level,authority,note`).
    pub fn from_csv(text: &str) -> Result<Catalogue, CatalogueError> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut sub_items: Vec<SubItem> = Vec::new();
        for (index, record) in reader.deserialize::<CsvRow>().enumerate() {
            let row = index + 2;
            let record = record.map_err(|source| CatalogueError::Csv { row, source })?;
            let scope = match record.authority.trim() {
                "SAMR" => ApprovalScope::Samr,
                "PROV" => ApprovalScope::Provincial,
                other => {
                    return Err(CatalogueError::UnknownAuthority {
                        row,
                        value: other.to_string(),
                    })
                }
            };
            let id = record.id.trim().to_string();
            if sub_items.iter().any(|existing| existing.id == id) {
                return Err(CatalogueError::DuplicateId { row, id });
            }
            sub_items.push(SubItem {
                id,
                category: record.license_category.trim().to_string(),
                item: record.item.trim().to_string(),
                sub_item: record.sub_item.trim().to_string(),
                level: record.level.trim().to_string(),
                scope,
                note: record.note.trim().to_string(),
            });
        }
        if sub_items.is_empty() {
            return Err(CatalogueError::Empty);
        }
        Ok(Catalogue { sub_items })
    }

    pub fn get(&self, id: &str) -> Option<&SubItem> {
        self.sub_items.iter().find(|sub_item| sub_item.id == id)
    }

    pub fn sub_items(&self) -> &[SubItem] {
        &self.sub_items
    }

    /// Groups the rows by category and item, keeping the catalogue order.
    pub fn grouped(&self) -> Vec<CategoryGroup<'_>> {
        let mut groups: Vec<CategoryGroup<'_>> = Vec::new();
        for sub_item in &self.sub_items {
            if groups.last().map(|group| group.category) != Some(sub_item.category.as_str()) {
                groups.push(CategoryGroup {
                    category: &sub_item.category,
                    items: Vec::new(),
                });
            }
            let items = &mut groups.last_mut().expect("pushed above").items;
            if items.last().map(|group| group.item) != Some(sub_item.item.as_str()) {
                items.push(ItemGroup {
                    item: &sub_item.item,
                    sub_items: Vec::new(),
                });
            }
            items
                .last_mut()
                .expect("pushed above")
                .sub_items
                .push(sub_item);
        }
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOGUE: &str = include_str!("../../assets/data/production-catalogue.csv");

    #[test]
    fn loads_all_sub_items() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        assert_eq!(catalogue.sub_items().len(), 120);
    }

    #[test]
    fn groups_keep_every_row_once() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        let grouped = catalogue.grouped();
        let categories: Vec<&str> = grouped.iter().map(|group| group.category).collect();
        assert_eq!(
            categories,
            [
                "设计单位许可",
                "制造单位许可",
                "安装改造修理单位许可",
                "充装单位许可"
            ]
        );
        let rows: usize = grouped
            .iter()
            .flat_map(|group| &group.items)
            .map(|item| item.sub_items.len())
            .sum();
        assert_eq!(rows, 120);
    }

    #[test]
    fn label_includes_level() {
        let catalogue = Catalogue::from_csv(CATALOGUE).unwrap();
        assert_eq!(
            catalogue.get("M04").unwrap().label(),
            "固定式压力容器/大型高压容器（A1级）"
        );
        assert_eq!(catalogue.get("M19").unwrap().label(), "爆破片装置");
    }

    #[test]
    fn rejects_unknown_authority() {
        let text = "id,license_category,item,sub_item,level,authority,note\nX1,a,b,c,,CITY,\n";
        assert!(matches!(
            Catalogue::from_csv(text),
            Err(CatalogueError::UnknownAuthority { row: 2, .. })
        ));
    }
}
