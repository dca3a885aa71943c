//! The state every handler shares: the store, the search index, the loaded data tables and
//! the settings.

use std::{fs, io, path::PathBuf, sync::Arc};

use chrono::Utc;

use crate::assets;
use crate::config::Config;
use crate::domain::authority::AuthoritiesError;
use crate::domain::calendar::{CalendarError, WorkingCalendar};
use crate::domain::catalogue::CatalogueError;
use crate::domain::personnel::{PersonnelItems, PersonnelItemsError};
use crate::domain::{Authorities, Catalogue};
use crate::search::{FollowError, Follower, SearchError, SearchIndex};
use crate::store::{Store, StoreError};

/// Name of the setting that contains the holiday schedule as CSV.
pub const HOLIDAYS_SETTING: &str = "holidays.csv";

/// Name of the setting that contains the personnel items as CSV.
pub const PERSONNEL_ITEMS_SETTING: &str = "personnel-items.csv";

pub struct AppState {
    pub store: Arc<Store>,
    pub search: Arc<Follower>,
    pub catalogue: Catalogue,
    pub authorities: Authorities,
    pub calendar: WorkingCalendar,
    pub personnel_items: PersonnelItems,
    pub config: Config,
}

/// Errors that stop the system from starting on its data folder.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create data folder {path}: {source}")]
    DataDir { path: PathBuf, source: io::Error },
    #[error("cannot read or create the CSRF key {path}: {source}")]
    CsrfKey { path: PathBuf, source: io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("search index cannot catch up with the store: {0}")]
    Follow(#[from] FollowError),
    #[error("embedded catalogue is invalid: {0}")]
    Catalogue(#[from] CatalogueError),
    #[error("holiday schedule is invalid: {0}")]
    Calendar(#[from] CalendarError),
    #[error("personnel items are invalid: {0}")]
    PersonnelItems(#[from] PersonnelItemsError),
    #[error("embedded authority list is invalid: {0}")]
    Authorities(#[from] AuthoritiesError),
}

impl AppState {
    /// Opens the data folder named in `config`: creates it on first start, opens the
    /// database, brings the search index up to date and loads the embedded data tables.
    pub fn open(config: Config) -> Result<AppState, StartError> {
        fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
            path: config.data_dir.clone(),
            source,
        })?;
        let store = Arc::new(Store::open(&config.database_path())?);
        let purged = store.purge_expired_sessions(Utc::now())?;
        tracing::info!(path = %store.path().display(), purged_sessions = purged, "database open");

        let search = Arc::new(Follower::new(SearchIndex::open(&config.index_dir())?));
        let replayed = search.catch_up(&store)?;
        tracing::info!(replayed_events = replayed, "search index up to date");

        // An administrator's schedule (xuke admin set-holidays) replaces the embedded one.
        let calendar = match store.setting(HOLIDAYS_SETTING)? {
            Some(text) => WorkingCalendar::from_csv(&text)?,
            None => assets::calendar()?,
        };

        // Most inspector item codes are unconfirmed, so an administrator may replace them
        // (xuke admin set-personnel-items) without a new build.
        let personnel_items = match store.setting(PERSONNEL_ITEMS_SETTING)? {
            Some(text) => PersonnelItems::from_csv(&text)?,
            None => assets::personnel_items()?,
        };

        Ok(AppState {
            store,
            search,
            catalogue: assets::catalogue()?,
            authorities: assets::authorities()?,
            calendar,
            personnel_items,
            config,
        })
    }
}
