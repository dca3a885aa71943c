//! Form input: url-encoded pairs that may repeat a name (checkbox lists), and the per-field
//! messages that come back with an invalid form.

use poem::{http::Method, FromRequest, Request, RequestBody};

use super::AppError;

/// The name/value pairs of a url-encoded form body (POST) or query string (GET), in order.
#[derive(Debug, Default, Clone)]
pub struct FormPairs(pub Vec<(String, String)>);

impl FormPairs {
    pub fn parse(text: &str) -> FormPairs {
        FormPairs(serde_urlencoded::from_str(text).unwrap_or_default())
    }

    /// Returns the first value of `name`, trimmed and without control characters, or an
    /// empty string.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| clean(value))
            .unwrap_or_default()
    }

    /// Returns the first value of `name` exactly as sent, for passwords, or an empty string.
    pub fn raw(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// Returns every non-empty value of `name`, trimmed.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(key, value)| key == name && !value.trim().is_empty())
            .map(|(_, value)| clean(value))
            .collect()
    }
}

/// Trims a typed value and drops control characters, which no form field needs; line breaks
/// in text areas become spaces.
fn clean(value: &str) -> String {
    value
        .trim()
        .chars()
        .map(|c| {
            if c == '\n' || c == '\r' || c == '\t' {
                ' '
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .collect()
}

impl<'a> FromRequest<'a> for FormPairs {
    async fn from_request(req: &'a Request, body: &mut RequestBody) -> poem::Result<Self> {
        if req.method() == Method::GET || req.method() == Method::HEAD {
            return Ok(FormPairs::parse(req.uri().query().unwrap_or("")));
        }
        // The request guard has already limited and buffered the body.
        let bytes = body
            .take()?
            .into_bytes()
            .await
            .map_err(|error| AppError::BadRequest(format!("无法读取表单内容：{error}")))?;
        Ok(FormPairs::parse(&String::from_utf8_lossy(&bytes)))
    }
}

/// Messages for the fields of one form, in the order the fields appear.
#[derive(Debug, Default, Clone)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(field, message)| (field.as_str(), message.as_str()))
    }
}

impl From<crate::domain::application_form::Problems> for FieldErrors {
    fn from(problems: crate::domain::application_form::Problems) -> Self {
        FieldErrors(
            problems
                .0
                .into_iter()
                .map(|problem| (problem.field, problem.message))
                .collect(),
        )
    }
}

/// Checks that `value` is filled in and at most `max` characters long.
pub fn require(
    errors: &mut FieldErrors,
    field: &'static str,
    label: &str,
    value: &str,
    max: usize,
) {
    if value.is_empty() {
        errors.add(field, format!("请填写{label}"));
    } else if value.chars().count() > max {
        errors.add(field, format!("{label}不能超过{max}个字"));
    }
}
