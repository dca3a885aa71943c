//! 站内消息: the applicant's messages about its applications.

use maud::{html, Markup};

use super::date_time;
use super::layout::{page, Chrome};
use crate::store::Message;

/// Renders the message list; each message links to its application under `applications`.
pub fn messages(chrome: &Chrome, messages: &[Message], applications: &str) -> Markup {
    page(
        chrome,
        "站内消息",
        html! {
            h1 { "站内消息" }
            @if messages.is_empty() {
                p.empty { "暂无消息。" }
            } @else {
                ul.messages #messages {
                    @for message in messages {
                        li.unread[!message.read] {
                            span.when { (date_time(message.at)) }
                            a href={ (applications) "/" (message.application_id) } { (message.text) }
                        }
                    }
                }
            }
        },
    )
}
