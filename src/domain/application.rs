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
    /// 草稿: being filled in, and shown to the applicant only.
    Draft,
    /// 待受理: filed or resubmitted, waiting for the authority's acceptance decision.
    Submitted,
    /// 待补正: the authority sent a 补正告知书; the applicant fixes and resubmits.
    CorrectionRequested,
    /// 不予受理: the authority refused to accept the application.
    NotAccepted,
    /// 已受理: accepted; the review agency is to agree a review date with the applicant.
    Accepted,
    /// 待评审: the review date is agreed.
    ReviewScheduled,
    /// 整改中: the review found problems to fix within the rectification deadline.
    Rectifying,
    /// 整改完成: the applicant reported the rectification done; the agency is to report.
    RectificationReported,
    /// 待审批: the review report is in; the authority is to decide.
    ReviewReported,
    /// 准予许可: the licence is issued.
    Approved,
    /// 不予许可: the authority refused the licence.
    Denied,
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
            ApplicationStatus::CorrectionRequested => "待补正",
            ApplicationStatus::NotAccepted => "不予受理",
            ApplicationStatus::Accepted => "已受理",
            ApplicationStatus::ReviewScheduled => "待评审",
            ApplicationStatus::Rectifying => "整改中",
            ApplicationStatus::RectificationReported => "整改完成",
            ApplicationStatus::ReviewReported => "待审批",
            ApplicationStatus::Approved => "准予许可",
            ApplicationStatus::Denied => "不予许可",
            ApplicationStatus::Withdrawn => "已撤回",
            ApplicationStatus::Deleted => "已删除",
        }
    }

    /// Returns whether applications in this status are shown to the authority.
    pub fn is_filed(self) -> bool {
        !matches!(self, ApplicationStatus::Draft | ApplicationStatus::Deleted)
    }

    /// Returns whether the review agency named on acceptance works on the application.
    pub fn is_with_agency(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Accepted
                | ApplicationStatus::ReviewScheduled
                | ApplicationStatus::Rectifying
                | ApplicationStatus::RectificationReported
                | ApplicationStatus::ReviewReported
                | ApplicationStatus::Approved
                | ApplicationStatus::Denied
        )
    }
}

impl fmt::Display for ApplicationStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// The conclusion of an on-site review (评审结论).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    /// 符合条件.
    Conforming,
    /// 整改后符合条件: conforming once the memo's items are rectified.
    ConformingAfterRectification,
    /// 不符合条件.
    NonConforming,
}

impl ReviewOutcome {
    pub fn label(self) -> &'static str {
        match self {
            ReviewOutcome::Conforming => "符合条件",
            ReviewOutcome::ConformingAfterRectification => "整改后符合条件",
            ReviewOutcome::NonConforming => "不符合条件",
        }
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
    /// 补正: the authority lists every defect in one 补正告知书.
    RequestCorrection,
    /// 补齐补正后重新提交: the applicant resubmits after fixing the defects.
    Resubmit,
    /// 不予受理: the authority refuses to accept, with a 不予受理决定书.
    RefuseAcceptance,
    /// 提出评审日期: the agency proposes review dates.
    ProposeDates,
    /// 确认评审日期: the applicant confirms one proposed date.
    ConfirmDate,
    /// 另约评审日期: the applicant requests another date, with a reason.
    AskOtherDate,
    /// 录入评审结论: the agency records the review's conclusion.
    RecordReview(ReviewOutcome),
    /// 整改完成: the applicant reports the rectification done.
    ReportRectified,
    /// 提交评审报告: the agency submits the review report after rectification.
    SubmitReport,
    /// 准予许可: the authority grants the licence.
    Approve,
    /// 不予许可: the authority refuses the licence.
    Deny,
}

impl Action {
    pub fn label(self) -> &'static str {
        match self {
            Action::CreateDraft => "新建草稿",
            Action::Submit => "提交",
            Action::DeleteDraft => "删除草稿",
            Action::Withdraw => "撤回",
            Action::Accept => "受理",
            Action::RequestCorrection => "补正",
            Action::Resubmit => "补正后重新提交",
            Action::RefuseAcceptance => "不予受理",
            Action::ProposeDates => "提出评审日期",
            Action::ConfirmDate => "确认评审日期",
            Action::AskOtherDate => "另约评审日期",
            Action::RecordReview(_) => "录入评审结论",
            Action::ReportRectified => "报告整改完成",
            Action::SubmitReport => "提交评审报告",
            Action::Approve => "准予许可",
            Action::Deny => "不予许可",
        }
    }
}

/// The two parties an application belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parties {
    pub applicant_account: u64,
    /// The derived authority; a draft may not have one yet.
    pub authority: Option<AuthorityCode>,
    /// The review agency named in the acceptance decision.
    pub agency: Option<u64>,
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
    #[error("鉴定评审结论为不符合条件，不能准予许可，请作出不予许可决定")]
    NonConformingReview,
}

/// Checks that a licence may be granted on the review's conclusion: never on 不符合条件.
pub fn check_approval(outcome: Option<ReviewOutcome>) -> Result<(), TransitionError> {
    match outcome {
        Some(ReviewOutcome::NonConforming) => Err(TransitionError::NonConformingReview),
        _ => Ok(()),
    }
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
    use ApplicationStatus::*;
    let next = match (current, action) {
        (None, Action::CreateDraft) => Some(Draft),
        (Some(Draft), Action::Submit) if parties.authority.is_some() => Some(Submitted),
        (Some(Draft), Action::DeleteDraft) => Some(Deleted),
        (Some(Submitted), Action::Withdraw) => Some(Withdrawn),
        (Some(Submitted), Action::Accept) => Some(Accepted),
        (Some(Submitted), Action::RequestCorrection) => Some(CorrectionRequested),
        (Some(Submitted), Action::RefuseAcceptance) => Some(NotAccepted),
        (Some(CorrectionRequested), Action::Resubmit) => Some(Submitted),
        (Some(CorrectionRequested), Action::Withdraw) => Some(Withdrawn),
        (Some(Accepted), Action::ProposeDates) => Some(Accepted),
        (Some(Accepted), Action::AskOtherDate) => Some(Accepted),
        (Some(Accepted), Action::ConfirmDate) => Some(ReviewScheduled),
        (Some(ReviewScheduled), Action::RecordReview(outcome)) => Some(match outcome {
            ReviewOutcome::ConformingAfterRectification => Rectifying,
            ReviewOutcome::Conforming | ReviewOutcome::NonConforming => ReviewReported,
        }),
        (Some(Rectifying), Action::ReportRectified) => Some(RectificationReported),
        (Some(RectificationReported), Action::SubmitReport) => Some(ReviewReported),
        (Some(ReviewReported), Action::Approve) => Some(Approved),
        (Some(ReviewReported), Action::Deny) => Some(Denied),
        _ => None,
    };
    next.ok_or(TransitionError::NotAllowedInStatus {
        action,
        status: current,
    })
}

/// Whether `actor` may change the answers of an application in `status`: only its
/// applicant, and only while it is a draft or waiting for corrections (补齐补正).
pub fn may_edit(actor: &Actor, parties: &Parties, status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::Draft | ApplicationStatus::CorrectionRequested
    ) && actor.role == Role::Enterprise
        && actor.account_id == parties.applicant_account
}

/// Returns whether `actor` may upload the review report: staff of the named agency, while the review
/// is theirs to conclude.
pub fn may_report(actor: &Actor, parties: &Parties, status: ApplicationStatus) -> bool {
    matches!(
        status,
        ApplicationStatus::ReviewScheduled | ApplicationStatus::RectificationReported
    ) && actor.role == Role::AgencyStaff
        && parties.agency.is_some()
        && actor.agency == parties.agency
}

/// Returns whether `actor` may see an application: its applicant, or staff of its authority
/// once it is filed.
pub fn may_view(actor: &Actor, parties: &Parties, status: ApplicationStatus) -> bool {
    match actor.role {
        Role::Enterprise => {
            actor.account_id == parties.applicant_account && status != ApplicationStatus::Deleted
        }
        Role::Individual => false,
        Role::AuthorityStaff => {
            status.is_filed() && parties.authority.is_some() && actor.authority == parties.authority
        }
        Role::AgencyStaff => {
            status.is_with_agency() && parties.agency.is_some() && actor.agency == parties.agency
        }
    }
}

fn may_act(action: Action, actor: &Actor, parties: &Parties) -> bool {
    match action {
        Action::CreateDraft
        | Action::Submit
        | Action::DeleteDraft
        | Action::Withdraw
        | Action::Resubmit
        | Action::ConfirmDate
        | Action::AskOtherDate
        | Action::ReportRectified => {
            actor.role == Role::Enterprise && actor.account_id == parties.applicant_account
        }
        Action::Accept
        | Action::RequestCorrection
        | Action::RefuseAcceptance
        | Action::Approve
        | Action::Deny => {
            actor.role == Role::AuthorityStaff
                && parties.authority.is_some()
                && actor.authority == parties.authority
        }
        Action::ProposeDates | Action::RecordReview(_) | Action::SubmitReport => {
            actor.role == Role::AgencyStaff
                && parties.agency.is_some()
                && actor.agency == parties.agency
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
        agency: Some(3),
    };

    fn applicant() -> Actor {
        Actor {
            account_id: 7,
            role: Role::Enterprise,
            ..Actor::default()
        }
    }

    fn staff(authority: AuthorityCode) -> Actor {
        Actor {
            account_id: 100,
            role: Role::AuthorityStaff,
            authority: Some(authority),
            agency: None,
        }
    }

    fn agency(agency: u64) -> Actor {
        Actor {
            account_id: 200,
            role: Role::AgencyStaff,
            authority: None,
            agency: Some(agency),
        }
    }

    #[test]
    fn whole_life_to_licence() {
        let steps = [
            (
                Submitted,
                Action::RequestCorrection,
                staff(32),
                CorrectionRequested,
            ),
            (
                CorrectionRequested,
                Action::Resubmit,
                applicant(),
                Submitted,
            ),
            (Submitted, Action::Accept, staff(32), Accepted),
            (Accepted, Action::ProposeDates, agency(3), Accepted),
            (Accepted, Action::AskOtherDate, applicant(), Accepted),
            (Accepted, Action::ConfirmDate, applicant(), ReviewScheduled),
            (
                ReviewScheduled,
                Action::RecordReview(ReviewOutcome::ConformingAfterRectification),
                agency(3),
                Rectifying,
            ),
            (
                Rectifying,
                Action::ReportRectified,
                applicant(),
                RectificationReported,
            ),
            (
                RectificationReported,
                Action::SubmitReport,
                agency(3),
                ReviewReported,
            ),
            (ReviewReported, Action::Approve, staff(32), Approved),
        ];
        for (from, action, actor, to) in steps {
            assert_eq!(
                transition(Some(from), action, &actor, &PARTIES),
                Ok(to),
                "{action:?}"
            );
        }
    }

    #[test]
    fn refusal_paths() {
        assert_eq!(
            transition(
                Some(Submitted),
                Action::RefuseAcceptance,
                &staff(32),
                &PARTIES
            ),
            Ok(NotAccepted)
        );
        assert_eq!(
            transition(Some(ReviewReported), Action::Deny, &staff(32), &PARTIES),
            Ok(Denied)
        );
        assert_eq!(
            transition(
                Some(ReviewScheduled),
                Action::RecordReview(ReviewOutcome::NonConforming),
                &agency(3),
                &PARTIES
            ),
            Ok(ReviewReported)
        );
    }

    #[test]
    fn other_agency_cannot_act() {
        assert_eq!(
            transition(Some(Accepted), Action::ProposeDates, &agency(4), &PARTIES),
            Err(TransitionError::NotPermitted {
                action: Action::ProposeDates
            })
        );
        assert!(may_view(&agency(3), &PARTIES, Accepted));
        assert!(!may_view(&agency(4), &PARTIES, Accepted));
        assert!(!may_view(&agency(3), &PARTIES, Submitted));
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
            agency: None,
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
            (Some(Submitted), Action::Approve, staff(32)),
            (Some(Accepted), Action::Approve, staff(32)),
            (Some(Approved), Action::Approve, staff(32)),
            (Some(NotAccepted), Action::Resubmit, applicant()),
            (Some(Accepted), Action::ReportRectified, applicant()),
            (Some(ReviewScheduled), Action::SubmitReport, agency(3)),
            (Some(Denied), Action::Accept, staff(32)),
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
        assert!(may_edit(&applicant(), &PARTIES, CorrectionRequested));
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
