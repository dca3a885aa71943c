//! The one place where failures become responses: status code and a page in Chinese.

use poem::{
    error::ResponseError,
    http::{header, StatusCode},
    IntoResponse, Response,
};

use super::views;
use crate::search::FollowError;
use crate::store::{ActionError, CreateAccountError, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The object does not exist, or the user may not know that it does.
    #[error("not found")]
    NotFound,
    /// The user is signed in but the page is for another role.
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    LoginRequired,
    #[error("CSRF token missing or invalid")]
    CsrfRejected,
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The action does not fit the object's current state, such as accepting twice.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(message: impl Into<String>) -> AppError {
        AppError::Internal(message.into())
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<FollowError> for AppError {
    fn from(error: FollowError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<CreateAccountError> for AppError {
    fn from(error: CreateAccountError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<ActionError> for AppError {
    fn from(error: ActionError) -> Self {
        match error {
            ActionError::NotFound(_) => AppError::NotFound,
            ActionError::Transition(error) => AppError::Conflict(error.to_string()),
            ActionError::NotEditable
            | ActionError::AuthorityChanged
            | ActionError::NoProposedDates
            | ActionError::FeedbackGiven
            | ActionError::LicenceNumberTaken(_) => AppError::Conflict(error.to_string()),
            ActionError::Store(error) => error.into(),
        }
    }
}

impl ResponseError for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::LoginRequired => StatusCode::SEE_OTHER,
            AppError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn as_response(&self) -> Response {
        let (title, message): (&str, String) = match self {
            AppError::LoginRequired => {
                return Response::builder()
                    .status(StatusCode::SEE_OTHER)
                    .header(header::LOCATION, "/login")
                    .finish();
            }
            AppError::NotFound => (
                "页面不存在",
                "您访问的页面不存在，或您无权查看。请从服务大厅重新进入。".into(),
            ),
            AppError::Forbidden => (
                "无权访问",
                "当前账号无权使用此功能，请使用相应类型的账号登录。".into(),
            ),
            AppError::CsrfRejected => (
                "表单已失效",
                "表单已过期或来源无法验证，请返回上一页，刷新后重新提交。".into(),
            ),
            AppError::PayloadTooLarge { limit } => (
                "提交内容过大",
                format!(
                    "提交的内容超过了{}KB的上限，请精简后重新提交。",
                    limit / 1024
                ),
            ),
            AppError::BadRequest(message) | AppError::Conflict(message) => {
                ("无法办理", message.clone())
            }
            AppError::Internal(detail) => {
                tracing::error!(error = %detail, "request failed");
                (
                    "系统错误",
                    "系统暂时无法处理您的请求，已记录错误，请稍后重试。".into(),
                )
            }
        };
        views::layout::error_page(title, &message)
            .with_status(self.status())
            .into_response()
    }
}

/// Turns any error that reaches the top, including poem's own (unknown path, invalid path
/// parameter, wrong method), into a page in Chinese with the right status.
pub async fn render_error(error: poem::Error) -> Response {
    if let Some(error) = error.downcast_ref::<AppError>() {
        return error.as_response();
    }
    let status = error.status();
    let (title, message) = match status {
        StatusCode::NOT_FOUND => (
            "页面不存在",
            "您访问的页面不存在，或您无权查看。请从服务大厅重新进入。",
        ),
        StatusCode::METHOD_NOT_ALLOWED => {
            ("无法办理", "请通过页面上的按钮办理，不要直接打开此地址。")
        }
        StatusCode::PAYLOAD_TOO_LARGE => ("提交内容过大", "提交的内容过大，请精简后重新提交。"),
        status if status.is_server_error() => {
            tracing::error!(%error, "request failed");
            (
                "系统错误",
                "系统暂时无法处理您的请求，已记录错误，请稍后重试。",
            )
        }
        _ => ("请求无效", "请求的地址或内容无效，请返回上一页重新操作。"),
    };
    views::layout::error_page(title, message)
        .with_status(status)
        .into_response()
}
