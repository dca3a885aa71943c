//! Runs blocking store and search calls on tokio's blocking pool, off the async workers.

use super::AppError;

/// Runs `work` on the blocking pool and converts its error into the web error type.
pub async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, AppError>
where
    T: Send + 'static,
    E: Into<AppError> + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(result) => result.map_err(Into::into),
        Err(error) => Err(AppError::internal(format!("blocking task failed: {error}"))),
    }
}
