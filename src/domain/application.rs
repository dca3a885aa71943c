//! The life cycle of a production unit licence application (生产单位许可申请) as a state
//! machine: which action may move an application from which status, and who may take it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::authority::AuthorityCode;
pub use super::role::{Actor, Role};

/// Status of an application, as the management list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 待受理: submitted, waiting for the authority's acceptance decision.
    Submitted,
    /// 已受理: accepted; a 受理决定书 has been issued.
    Accepted,
}

impl ApplicationStatus {
    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Submitted => "待受理",
            ApplicationStatus::Accepted => "已受理",
        }
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// Something a party does to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// 提交: the applicant files the application.
    Submit,
    /// 受理: the authority accepts the application and issues a 受理决定书.
    Accept,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "提交",
            Action::Accept => "受理",
        }
    }
}

/// The two parties an application belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    pub applicant_account: u64,
    pub authority: AuthorityCode,
}

/// Why an action was rejected. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("您无权对该申请执行“{}”操作", .action.label())]
    NotPermitted { action: Action },
    #[error("该申请当前状态为“{}”，不能执行“{}”操作", .status.map(ApplicationStatus::label).unwrap_or("未提交"), .action.label())]
    NotAllowedInStatus {
        action: Action,
        status: Option<ApplicationStatus>,
    },
}

/// Decides the status that `action` by `actor` leads to from `current` (`None` before the
/// application exists), or why the action is not allowed.
pub fn transition(
    current: Option<ApplicationStatus>,
    action: Action,
    actor: &Actor,
    parties: &Parties,
) -> Result<ApplicationStatus, TransitionError> {
    if !may_act(action, actor, parties) {
        return Err(TransitionError::NotPermitted { action });
    }
    match (current, action) {
        (None, Action::Submit) => Ok(ApplicationStatus::Submitted),
        (Some(ApplicationStatus::Submitted), Action::Accept) => Ok(ApplicationStatus::Accepted),
        (status, action) => Err(TransitionError::NotAllowedInStatus { action, status }),
    }
}

/// Whether `actor` may see an application: its applicant, or staff of its authority.
pub fn may_view(actor: &Actor, parties: &Parties) -> bool {
    match actor.role {
        Role::Enterprise => actor.account_id == parties.applicant_account,
        Role::AuthorityStaff => actor.authority == Some(parties.authority),
    }
}

fn may_act(action: Action, actor: &Actor, parties: &Parties) -> bool {
    match action {
        Action::Submit => {
            actor.role == Role::Enterprise && actor.account_id == parties.applicant_account
        }
        Action::Accept => {
            actor.role == Role::AuthorityStaff && actor.authority == Some(parties.authority)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARTIES: Parties = Parties {
        applicant_account: 7,
        authority: 32,
    };

    fn applicant() -> Actor {
        Actor {
            account_id: 7,
            role: Role::Enterprise,
            authority: None,
        }
    }

    fn staff(authority: AuthorityCode) -> Actor {
        Actor {
            account_id: 100,
            role: Role::AuthorityStaff,
            authority: Some(authority),
        }
    }

    #[test]
    fn submit_then_accept() {
        let submitted = transition(None, Action::Submit, &applicant(), &PARTIES);
        assert_eq!(submitted, Ok(ApplicationStatus::Submitted));
        let accepted = transition(submitted.ok(), Action::Accept, &staff(32), &PARTIES);
        assert_eq!(accepted, Ok(ApplicationStatus::Accepted));
    }

    #[test]
    fn accept_twice_is_rejected() {
        let result = transition(
            Some(ApplicationStatus::Accepted),
            Action::Accept,
            &staff(32),
            &PARTIES,
        );
        assert_eq!(
            result,
            Err(TransitionError::NotAllowedInStatus {
                action: Action::Accept,
                status: Some(ApplicationStatus::Accepted)
            })
        );
    }

    #[test]
    fn resubmitting_is_rejected() {
        let result = transition(
            Some(ApplicationStatus::Submitted),
            Action::Submit,
            &applicant(),
            &PARTIES,
        );
        assert!(matches!(
            result,
            Err(TransitionError::NotAllowedInStatus { .. })
        ));
    }

    #[test]
    fn only_staff_of_the_authority_may_accept() {
        let submitted = Some(ApplicationStatus::Submitted);
        let other_province = transition(submitted, Action::Accept, &staff(33), &PARTIES);
        assert_eq!(
            other_province,
            Err(TransitionError::NotPermitted {
                action: Action::Accept
            })
        );
        let applicant_accepts = transition(submitted, Action::Accept, &applicant(), &PARTIES);
        assert!(matches!(
            applicant_accepts,
            Err(TransitionError::NotPermitted { .. })
        ));
    }

    #[test]
    fn viewers_are_the_applicant_and_the_authority() {
        assert!(may_view(&applicant(), &PARTIES));
        assert!(may_view(&staff(32), &PARTIES));
        assert!(!may_view(&staff(10), &PARTIES));
        let stranger = Actor {
            account_id: 8,
            ..applicant()
        };
        assert!(!may_view(&stranger, &PARTIES));
    }

    #[test]
    fn only_the_applicant_may_submit() {
        let stranger = Actor {
            account_id: 8,
            ..applicant()
        };
        assert!(transition(None, Action::Submit, &stranger, &PARTIES).is_err());
        assert!(transition(None, Action::Submit, &staff(32), &PARTIES).is_err());
    }
}
