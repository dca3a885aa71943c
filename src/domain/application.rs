//! The life cycle of a production unit licence application (生产单位许可申请) as a state
//! machine: which action may move an application from which status, and who may take it.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::authority::AuthorityCode;
pub use super::role::{Actor, Role};

/// The door an application came through and what it requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ApplicationKind {
    /// 首次申请: a unit without a licence.
    First,
    /// 增项: more sub-items or production addresses on a licence held.
    AddItems,
    /// 换证: renewal before expiry, by self-declaration (自我声明承诺换证) or by review.
    Renewal {
        self_declaration: bool,
        /// Written reason when filed less than 6 months before expiry.
        late_reason: Option<String>,
    },
    /// 变更: a change of the licensed unit.
    Change {
        change: ChangeKind,
        changed_on: NaiveDate,
        description: String,
    },
    /// 补发: reissue of a lost or damaged certificate.
    Reissue { reason: String },
}

impl ApplicationKind {
    pub fn label(&self) -> &'static str {
        match self {
            ApplicationKind::First => "首次申请",
            ApplicationKind::AddItems => "增项",
            ApplicationKind::Renewal { .. } => "换证",
            ApplicationKind::Change { .. } => "变更",
            ApplicationKind::Reissue { .. } => "补发",
        }
    }

    /// Returns whether the application starts from a licence the unit already has (已取证).
    pub fn needs_licence(&self) -> bool {
        !matches!(self, ApplicationKind::First)
    }
}

/// The subject of a 变更 application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    UnitName,
    AddressRenamed,
    AddressMoved,
    AddressCancelled,
    Level,
    Other,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 6] = [
        ChangeKind::UnitName,
        ChangeKind::AddressRenamed,
        ChangeKind::AddressMoved,
        ChangeKind::AddressCancelled,
        ChangeKind::Level,
        ChangeKind::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            ChangeKind::UnitName => "单位名称变更",
            ChangeKind::AddressRenamed => "地址更名",
            ChangeKind::AddressMoved => "地址搬迁",
            ChangeKind::AddressCancelled => "地址注销",
            ChangeKind::Level => "级别变更",
            ChangeKind::Other => "其他变更",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            ChangeKind::UnitName => "unit_name",
            ChangeKind::AddressRenamed => "address_renamed",
            ChangeKind::AddressMoved => "address_moved",
            ChangeKind::AddressCancelled => "address_cancelled",
            ChangeKind::Level => "level",
            ChangeKind::Other => "other",
        }
    }

    pub fn from_slug(slug: &str) -> Option<ChangeKind> {
        ChangeKind::ALL.into_iter().find(|kind| kind.slug() == slug)
    }
}

/// Status of an application, as the management list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    /// 草稿: being filled in; only the applicant sees it.
    Draft,
    /// 待受理: submitted, waiting for the authority's acceptance decision.
    Submitted,
    /// 已受理: accepted; a 受理决定书 has been issued.
    Accepted,
    /// 已撤回: withdrawn by the applicant before acceptance.
    Withdrawn,
    /// 已删除: a draft the applicant deleted; kept for the audit log, shown nowhere.
    Deleted,
}

impl ApplicationStatus {
    pub fn label(self) -> &'static str {
        match self {
            ApplicationStatus::Draft => "草稿",
            ApplicationStatus::Submitted => "待受理",
            ApplicationStatus::Accepted => "已受理",
            ApplicationStatus::Withdrawn => "已撤回",
            ApplicationStatus::Deleted => "已删除",
        }
    }

    /// Returns whether applications in this status are shown to the authority.
    pub fn is_filed(self) -> bool {
        !matches!(self, ApplicationStatus::Draft | ApplicationStatus::Deleted)
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
    /// 新建草稿: the applicant starts filling in the form.
    CreateDraft,
    /// 提交: the applicant files the application.
    Submit,
    /// 删除草稿: the applicant discards a draft.
    DeleteDraft,
    /// 撤回: the applicant withdraws the application before acceptance.
    Withdraw,
    /// 受理: the authority accepts the application and issues a 受理决定书.
    Accept,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::CreateDraft => "新建草稿",
            Action::Submit => "提交",
            Action::DeleteDraft => "删除草稿",
            Action::Withdraw => "撤回",
            Action::Accept => "受理",
        }
    }
}

/// The two parties an application belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    pub applicant_account: u64,
    /// The derived authority; a draft may not have one yet.
    pub authority: Option<AuthorityCode>,
}

/// Reasons an action is rejected. The messages are shown to users.
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
    use ApplicationStatus::{Accepted, Deleted, Draft, Submitted, Withdrawn};
    match (current, action) {
        (None, Action::CreateDraft) => Ok(Draft),
        (Some(Draft), Action::Submit) if parties.authority.is_some() => Ok(Submitted),
        (Some(Draft), Action::DeleteDraft) => Ok(Deleted),
        (Some(Submitted), Action::Withdraw) => Ok(Withdrawn),
        (Some(Submitted), Action::Accept) => Ok(Accepted),
        (status, action) => Err(TransitionError::NotAllowedInStatus { action, status }),
    }
}

/// Whether `actor` may change the answers of an application in `status`: only its
/// applicant, and only while it is a draft.
pub fn may_edit(actor: &Actor, parties: &Parties, status: ApplicationStatus) -> bool {
    status == ApplicationStatus::Draft
        && actor.role == Role::Enterprise
        && actor.account_id == parties.applicant_account
}

/// Returns whether `actor` may see an application: its applicant, or staff of its authority
/// once it is filed.
pub fn may_view(actor: &Actor, parties: &Parties, status: ApplicationStatus) -> bool {
    match actor.role {
        Role::Enterprise => {
            actor.account_id == parties.applicant_account && status != ApplicationStatus::Deleted
        }
        Role::AuthorityStaff => {
            status.is_filed() && parties.authority.is_some() && actor.authority == parties.authority
        }
    }
}

fn may_act(action: Action, actor: &Actor, parties: &Parties) -> bool {
    match action {
        Action::CreateDraft | Action::Submit | Action::DeleteDraft | Action::Withdraw => {
            actor.role == Role::Enterprise && actor.account_id == parties.applicant_account
        }
        Action::Accept => {
            actor.role == Role::AuthorityStaff
                && parties.authority.is_some()
                && actor.authority == parties.authority
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    const PARTIES: Parties = Parties {
        applicant_account: 7,
        authority: Some(32),
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
    fn draft_submit_accept() {
        let draft = transition(None, Action::CreateDraft, &applicant(), &PARTIES);
        assert_eq!(draft, Ok(Draft));
        let submitted = transition(Some(Draft), Action::Submit, &applicant(), &PARTIES);
        assert_eq!(submitted, Ok(Submitted));
        let accepted = transition(Some(Submitted), Action::Accept, &staff(32), &PARTIES);
        assert_eq!(accepted, Ok(Accepted));
    }

    #[test]
    fn draft_without_authority_cannot_be_submitted() {
        let parties = Parties {
            authority: None,
            ..PARTIES
        };
        assert!(transition(Some(Draft), Action::Submit, &applicant(), &parties).is_err());
    }

    #[test]
    fn withdraw_only_before_acceptance() {
        assert_eq!(
            transition(Some(Submitted), Action::Withdraw, &applicant(), &PARTIES),
            Ok(Withdrawn)
        );
        assert_eq!(
            transition(Some(Accepted), Action::Withdraw, &applicant(), &PARTIES),
            Err(TransitionError::NotAllowedInStatus {
                action: Action::Withdraw,
                status: Some(Accepted)
            })
        );
    }

    #[test]
    fn illegal_transitions_are_rejected() {
        let cases = [
            (Some(Accepted), Action::Accept, staff(32)),
            (Some(Draft), Action::Accept, staff(32)),
            (Some(Withdrawn), Action::Accept, staff(32)),
            (Some(Submitted), Action::Submit, applicant()),
            (Some(Submitted), Action::DeleteDraft, applicant()),
            (Some(Deleted), Action::Submit, applicant()),
            (Some(Draft), Action::CreateDraft, applicant()),
        ];
        for (status, action, actor) in cases {
            assert!(
                matches!(
                    transition(status, action, &actor, &PARTIES),
                    Err(TransitionError::NotAllowedInStatus { .. })
                ),
                "{status:?} {action:?}"
            );
        }
    }

    #[test]
    fn only_staff_of_the_authority_may_accept() {
        let other_province = transition(Some(Submitted), Action::Accept, &staff(33), &PARTIES);
        assert_eq!(
            other_province,
            Err(TransitionError::NotPermitted {
                action: Action::Accept
            })
        );
        let applicant_accepts = transition(Some(Submitted), Action::Accept, &applicant(), &PARTIES);
        assert!(matches!(
            applicant_accepts,
            Err(TransitionError::NotPermitted { .. })
        ));
    }

    #[test]
    fn viewers_are_the_applicant_and_the_authority() {
        assert!(may_view(&applicant(), &PARTIES, Draft));
        assert!(may_view(&staff(32), &PARTIES, Submitted));
        assert!(!may_view(&staff(32), &PARTIES, Draft));
        assert!(!may_view(&staff(10), &PARTIES, Submitted));
        assert!(!may_view(&applicant(), &PARTIES, Deleted));
        let stranger = Actor {
            account_id: 8,
            ..applicant()
        };
        assert!(!may_view(&stranger, &PARTIES, Submitted));
    }

    #[test]
    fn only_the_applicant_edits_and_only_drafts() {
        assert!(may_edit(&applicant(), &PARTIES, Draft));
        assert!(!may_edit(&applicant(), &PARTIES, Submitted));
        assert!(!may_edit(&staff(32), &PARTIES, Draft));
    }

    #[test]
    fn only_the_applicant_may_submit() {
        let stranger = Actor {
            account_id: 8,
            ..applicant()
        };
        assert!(transition(Some(Draft), Action::Submit, &stranger, &PARTIES).is_err());
        assert!(transition(Some(Draft), Action::Submit, &staff(32), &PARTIES).is_err());
    }
}
