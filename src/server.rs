//! Runs the web server until Ctrl-C or SIGTERM, then shuts down cleanly.

use std::time::Duration;

use anyhow::{Context, Result};
use poem::{listener::TcpListener, Server};

use crate::config::Config;
use crate::web::{self, AppState};

/// How long a connection may stay silent, so that clients that open a request and stop
/// sending cannot hold connections forever.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How long open requests may take to finish after a shutdown signal.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Opens the data folder and serves until a shutdown signal arrives.
pub async fn run(config: Config) -> Result<()> {
    let listen = config.listen.clone();
    let data_dir = config.data_dir.clone();
    let state = tokio::task::spawn_blocking(move || AppState::open(config))
        .await
        .context("start-up task failed")?
        .with_context(|| format!("cannot open data folder {}", data_dir.display()))?;
    let store = state.store.clone();
    let endpoint = web::endpoint(state)?;
    tokio::spawn(purge_sessions_hourly(store));

    tracing::info!(listen = %listen, data_dir = %data_dir.display(), "xuke started");
    Server::new(TcpListener::bind(listen.clone()))
        .idle_timeout(IDLE_TIMEOUT)
        .run_with_graceful_shutdown(endpoint, shutdown_signal(), Some(SHUTDOWN_GRACE))
        .await
        .with_context(|| format!("server on {listen} failed"))?;
    tracing::info!("xuke stopped");
    Ok(())
}

/// Deletes expired sessions once an hour, so that the table does not grow between restarts.
async fn purge_sessions_hourly(store: std::sync::Arc<crate::store::Store>) {
    let mut interval = tokio::time::interval(Duration::from_secs(3600));
    interval.tick().await;
    loop {
        interval.tick().await;
        let store = store.clone();
        let result =
            tokio::task::spawn_blocking(move || store.purge_expired_sessions(chrono::Utc::now()))
                .await;
        match result {
            Ok(Ok(removed)) => tracing::info!(removed, "expired sessions purged"),
            Ok(Err(error)) => tracing::error!(%error, "purging expired sessions failed"),
            Err(error) => tracing::error!(%error, "session purge task failed"),
        }
    }
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();

    tokio::select! {
        () = interrupt => tracing::info!("Ctrl-C received, shutting down"),
        () = terminate => tracing::info!("SIGTERM received, shutting down"),
    }
}
