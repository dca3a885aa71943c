//! Files embedded in the binary: data tables, the stylesheet and the vendored htmx script.

use rust_embed::RustEmbed;

use crate::domain::authority::AuthoritiesError;
use crate::domain::calendar::{CalendarError, WorkingCalendar};
use crate::domain::catalogue::CatalogueError;
use crate::domain::personnel::{PersonnelItems, PersonnelItemsError};
use crate::domain::{Authorities, Catalogue};

/// Everything under `assets/static/`, served at `/static/`.
#[derive(RustEmbed)]
#[folder = "assets/static/"]
pub struct StaticFiles;

/// The regulatory data tables under `assets/data/`.
#[derive(RustEmbed)]
#[folder = "assets/data/"]
struct DataFiles;

fn data_file(name: &str) -> String {
    let file = DataFiles::get(name).unwrap_or_else(|| panic!("data file {name} is embedded"));
    String::from_utf8_lossy(&file.data).into_owned()
}

/// Loads the production unit licence catalogue shipped with this build.
pub fn catalogue() -> Result<Catalogue, CatalogueError> {
    Catalogue::from_csv(&data_file("production-catalogue.csv"))
}

/// Returns the embedded holiday schedule as CSV bytes.
pub fn holidays_csv() -> Vec<u8> {
    data_file("holidays.csv").into_bytes()
}

/// Loads the working-day calendar: the holiday schedules shipped with this build.
pub fn calendar() -> Result<WorkingCalendar, CalendarError> {
    WorkingCalendar::from_csv(&data_file("holidays.csv"))
}

/// Loads the personnel qualification items shipped with this build.
pub fn personnel_items() -> Result<PersonnelItems, PersonnelItemsError> {
    PersonnelItems::from_csv(&data_file("personnel-items.csv"))
}

/// Loads SAMR and the provincial bureaus shipped with this build.
pub fn authorities() -> Result<Authorities, AuthoritiesError> {
    Authorities::from_csv(&data_file("authorities.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_files_are_embedded() {
        assert!(StaticFiles::get("xuke.css").is_some());
        assert!(StaticFiles::get("htmx-2.0.11.min.js").is_some());
    }
}
