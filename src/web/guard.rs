//! Middleware for every request: a size limit and a CSRF check on each state-changing
//! request, and the security headers on each response.

use poem::{
    http::{header, HeaderValue, Method},
    web::CsrfVerifier,
    Endpoint, IntoResponse, Middleware, Request, Response,
};

use super::AppError;

/// Largest form body accepted; forms here carry text fields only.
pub const FORM_BODY_LIMIT: usize = 64 * 1024;

/// Header in which htmx sends the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Form field in which plain forms send the CSRF token. Upload forms send it in the query
/// string, because their multipart body is not read here.
pub const CSRF_FIELD: &str = "csrf_token";

/// Room for the multipart boundaries and headers around an uploaded file.
pub const MULTIPART_OVERHEAD: usize = 64 * 1024;

/// Rejects state-changing requests that are too large or lack a valid CSRF token, before
/// any handler runs. A form body is read once, within the limit, and handed on unchanged;
/// an upload must declare its length, which is checked before any of it is read.
pub struct RequestGuard {
    /// Largest multipart body accepted.
    pub upload_limit: usize,
}

impl<E: Endpoint> Middleware<E> for RequestGuard {
    type Output = RequestGuardEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        RequestGuardEndpoint {
            inner,
            upload_limit: self.upload_limit,
        }
    }
}

pub struct RequestGuardEndpoint<E> {
    inner: E,
    upload_limit: usize,
}

impl<E: Endpoint> Endpoint for RequestGuardEndpoint<E> {
    type Output = E::Output;

    async fn call(&self, mut req: Request) -> poem::Result<Self::Output> {
        if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
            return self.inner.call(req).await;
        }

        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<usize>().ok());
        let multipart = req
            .content_type()
            .is_some_and(|content_type| content_type.starts_with("multipart/form-data"));
        if multipart {
            return self.check_upload(req, declared).await;
        }
        if declared.is_some_and(|length| length > FORM_BODY_LIMIT) {
            return Err(AppError::PayloadTooLarge {
                limit: FORM_BODY_LIMIT,
            }
            .into());
        }
        let body = req
            .take_body()
            .into_bytes_limit(FORM_BODY_LIMIT)
            .await
            .map_err(|_| AppError::PayloadTooLarge {
                limit: FORM_BODY_LIMIT,
            })?;

        let token = match req.header(CSRF_HEADER) {
            Some(token) => Some(token.to_string()),
            None => form_token(&body),
        };
        let verified = match (token, req.extensions().get::<CsrfVerifier>()) {
            (Some(token), Some(verifier)) => verifier.is_valid(&token),
            _ => false,
        };
        if !verified {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), "CSRF check failed");
            return Err(AppError::CsrfRejected.into());
        }

        req.set_body(body);
        self.inner.call(req).await
    }
}

impl<E: Endpoint> RequestGuardEndpoint<E> {
    async fn check_upload(&self, req: Request, declared: Option<usize>) -> poem::Result<E::Output> {
        match declared {
            None => {
                tracing::warn!(path = %req.uri().path(), "upload without Content-Length rejected");
                return Err(AppError::BadRequest(
                    "上传请求缺少长度信息，请使用浏览器的上传按钮重新上传".into(),
                )
                .into());
            }
            Some(length) if length > self.upload_limit => {
                tracing::info!(path = %req.uri().path(), length, "upload over the limit rejected");
                return Err(AppError::PayloadTooLarge {
                    limit: self.upload_limit - MULTIPART_OVERHEAD,
                }
                .into());
            }
            Some(_) => {}
        }
        let token = req
            .header(CSRF_HEADER)
            .map(str::to_string)
            .or_else(|| query_token(req.uri().query().unwrap_or("")));
        let verified = match (token, req.extensions().get::<CsrfVerifier>()) {
            (Some(token), Some(verifier)) => verifier.is_valid(&token),
            _ => false,
        };
        if !verified {
            tracing::warn!(path = %req.uri().path(), "CSRF check failed on upload");
            return Err(AppError::CsrfRejected.into());
        }
        self.inner.call(req).await
    }
}

fn query_token(query: &str) -> Option<String> {
    form_token(query.as_bytes())
}

fn form_token(body: &[u8]) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value)
}

/// Adds a strict Content-Security-Policy and related headers to every response. The pages
/// use no inline script or style, and htmx is configured to need no eval.
pub struct SecurityHeaders;

impl<E: Endpoint> Middleware<E> for SecurityHeaders {
    type Output = SecurityHeadersEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        SecurityHeadersEndpoint { inner }
    }
}

pub struct SecurityHeadersEndpoint<E> {
    inner: E,
}

const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

impl<E: Endpoint> Endpoint for SecurityHeadersEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let static_file = req.uri().path().starts_with("/static/");
        let mut response = match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(error) => error.into_response(),
        };
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        );
        if !static_file && !headers.contains_key(header::CACHE_CONTROL) {
            // Pages carry personal data and CSRF tokens; keep them out of shared caches.
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
        Ok(response)
    }
}

/// Logs each request with its method, path, status and duration. The query string is left
/// out because upload forms carry their CSRF token there.
pub struct RequestLog;

impl<E: Endpoint> Middleware<E> for RequestLog {
    type Output = RequestLogEndpoint<E>;

    fn transform(&self, inner: E) -> Self::Output {
        RequestLogEndpoint { inner }
    }
}

pub struct RequestLogEndpoint<E> {
    inner: E,
}

impl<E: Endpoint> Endpoint for RequestLogEndpoint<E> {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        let method = req.method().clone();
        let path = req.uri().path().to_string();
        let started = std::time::Instant::now();
        let response = match self.inner.call(req).await {
            Ok(output) => output.into_response(),
            Err(error) => error.into_response(),
        };
        tracing::info!(
            %method,
            path,
            status = response.status().as_u16(),
            duration_ms = started.elapsed().as_millis() as u64,
            "request"
        );
        Ok(response)
    }
}
