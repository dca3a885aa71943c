//! Form pieces shared by the screens: the error summary and labelled fields with their
//! messages.

use maud::{html, Markup};

use crate::domain::Authorities;
use crate::web::forms::FieldErrors;

/// Renders the box at the top of an invalid form that lists every problem with a link to
/// its field.
pub fn error_summary(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.error-summary role="alert" tabindex="-1" {
                h2 { "提交的信息有误，请修改以下内容" }
                ul {
                    @for (field, message) in errors.iter() {
                        li { a href={ "#" (field) } { (message) } }
                    }
                }
            }
        }
    }
}

/// One labelled input with its hint and error message.
pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'a str,
    pub hint: Option<&'a str>,
    pub autocomplete: Option<&'a str>,
    pub required: bool,
    pub readonly: bool,
    pub max_length: usize,
}

impl<'a> Field<'a> {
    pub fn text(name: &'a str, label: &'a str, value: &'a str) -> Field<'a> {
        Field {
            name,
            label,
            value,
            kind: "text",
            hint: None,
            autocomplete: None,
            required: true,
            readonly: false,
            max_length: 100,
        }
    }

    pub fn kind(self, kind: &'a str) -> Self {
        Field { kind, ..self }
    }

    pub fn hint(self, hint: &'a str) -> Self {
        Field {
            hint: Some(hint),
            ..self
        }
    }

    pub fn autocomplete(self, autocomplete: &'a str) -> Self {
        Field {
            autocomplete: Some(autocomplete),
            ..self
        }
    }

    pub fn optional(self) -> Self {
        Field {
            required: false,
            ..self
        }
    }

    pub fn readonly(self) -> Self {
        Field {
            readonly: true,
            ..self
        }
    }

    pub fn max_length(self, max_length: usize) -> Self {
        Field { max_length, ..self }
    }

    pub fn render(&self, errors: &FieldErrors) -> Markup {
        let error = errors.get(self.name);
        let hint_id = format!("{}-hint", self.name);
        let error_id = format!("{}-error", self.name);
        let described_by = [
            self.hint.map(|_| hint_id.as_str()),
            error.map(|_| error_id.as_str()),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        html! {
            div.field.field-error[error.is_some()] {
                label for=(self.name) {
                    (self.label)
                    @if !self.required && !self.readonly { span.optional { "（选填）" } }
                }
                @if let Some(hint) = self.hint { div.hint id=(hint_id) { (hint) } }
                @if let Some(error) = error {
                    p.field-message id=(error_id) { span.visually-hidden { "错误：" } (error) }
                }
                input id=(self.name) name=(self.name) type=(self.kind) value=(self.value)
                    maxlength=(self.max_length)
                    autocomplete=[self.autocomplete]
                    aria-describedby=[(!described_by.is_empty()).then_some(described_by.as_str())]
                    aria-invalid=[error.map(|_| "true")]
                    required[self.required] readonly[self.readonly];
            }
        }
    }
}

/// Renders a province picker built from the provincial bureaus.
pub fn province_select(
    name: &str,
    label: &str,
    selected: Option<u8>,
    authorities: &Authorities,
    errors: &FieldErrors,
) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.field-error[error.is_some()] {
            label for=(name) { (label) }
            @if let Some(error) = error {
                p.field-message id={ (name) "-error" } { span.visually-hidden { "错误：" } (error) }
            }
            select id=(name) name=(name) required aria-invalid=[error.map(|_| "true")] {
                option value="" { "请选择省份" }
                @for province in authorities.provinces() {
                    option value=(province.code) selected[selected == Some(province.code)] {
                        (province.province)
                    }
                }
            }
        }
    }
}

/// Renders a checkbox with its label and error message.
pub fn checkbox(name: &str, label: &str, checked: bool, errors: &FieldErrors) -> Markup {
    let error = errors.get(name);
    html! {
        div.field.field-error[error.is_some()] {
            @if let Some(error) = error {
                p.field-message id={ (name) "-error" } { span.visually-hidden { "错误：" } (error) }
            }
            label.check {
                input id=(name) type="checkbox" name=(name) value="1" checked[checked];
                span { (label) }
            }
        }
    }
}

/// Renders a small number input in a table cell, with its message below.
pub fn count_cell(name: &str, label: &str, value: &str, errors: &FieldErrors) -> Markup {
    let error = errors.get(name);
    html! {
        td.field-error[error.is_some()] {
            input.count id=(name) name=(name) type="text" inputmode="numeric" value=(value)
                maxlength="7" aria-label=(label) aria-invalid=[error.map(|_| "true")];
            @if let Some(error) = error { p.field-message id={ (name) "-error" } { (error) } }
        }
    }
}

/// Formats a byte count for people: 1.5 MB, 320 KB.
pub fn file_size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}
