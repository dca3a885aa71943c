//! The life cycle of an inspection or NDT personnel qualification application
//! (检验、检测人员资格认定申请) as a state machine, with the exam rules: pass mark 70 per
//! subject, one resit per subject, everything within 2 years of acceptance.

use std::fmt;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::authority::AuthorityCode;
use super::eligibility::Category;
use super::role::{Actor, Role};

/// Status as the real list shows it (申请状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonnelStatus {
    /// 待受理.
    Submitted,
    /// 材料已接收.
    MaterialsReceived,
    /// 需补正.
    CorrectionRequested,
    /// 不予受理.
    NotAccepted,
    /// 已受理.
    Accepted,
    /// 待考试.
    AwaitingExam,
    /// 考试合格.
    ExamPassed,
    /// 考试不合格.
    ExamFailed,
    /// 已发证.
    Certified,
    /// 已撤销.
    Withdrawn,
}

impl PersonnelStatus {
    pub fn label(self) -> &'static str {
        match self {
            PersonnelStatus::Submitted => "待受理",
            PersonnelStatus::MaterialsReceived => "材料已接收",
            PersonnelStatus::CorrectionRequested => "需补正",
            PersonnelStatus::NotAccepted => "不予受理",
            PersonnelStatus::Accepted => "已受理",
            PersonnelStatus::AwaitingExam => "待考试",
            PersonnelStatus::ExamPassed => "考试合格",
            PersonnelStatus::ExamFailed => "考试不合格",
            PersonnelStatus::Certified => "已发证",
            PersonnelStatus::Withdrawn => "已撤销",
        }
    }

    /// Returns whether the application still occupies its item, so that a second one is
    /// refused.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            PersonnelStatus::NotAccepted
                | PersonnelStatus::ExamFailed
                | PersonnelStatus::Certified
                | PersonnelStatus::Withdrawn
        )
    }
}

impl fmt::Display for PersonnelStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// An exam subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subject {
    /// 理论.
    Theory,
    /// 实际操作.
    Practical,
}

impl Subject {
    pub fn label(self) -> &'static str {
        match self {
            Subject::Theory => "理论考试",
            Subject::Practical => "实际操作考试",
        }
    }
}

/// Lowest passing score of a subject.
pub const PASS_MARK: u8 = 70;
/// Attempts allowed per subject: the exam and one resit.
pub const ATTEMPTS: usize = 2;
/// Months after acceptance within which the exams must be passed.
pub const EXAM_MONTHS: u32 = 24;

/// The scores recorded so far, per subject, in order of sitting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExamRecord {
    pub theory: Vec<u8>,
    pub practical: Vec<u8>,
}

/// The standing of the exams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExamStanding {
    Pending,
    Passed,
    Failed,
}

impl ExamRecord {
    pub fn scores(&self, subject: Subject) -> &[u8] {
        match subject {
            Subject::Theory => &self.theory,
            Subject::Practical => &self.practical,
        }
    }

    fn subject_standing(&self, subject: Subject) -> ExamStanding {
        let scores = self.scores(subject);
        if scores.iter().any(|score| *score >= PASS_MARK) {
            ExamStanding::Passed
        } else if scores.len() >= ATTEMPTS {
            ExamStanding::Failed
        } else {
            ExamStanding::Pending
        }
    }

    pub fn standing(&self) -> ExamStanding {
        let theory = self.subject_standing(Subject::Theory);
        let practical = self.subject_standing(Subject::Practical);
        match (theory, practical) {
            (ExamStanding::Failed, _) | (_, ExamStanding::Failed) => ExamStanding::Failed,
            (ExamStanding::Passed, ExamStanding::Passed) => ExamStanding::Passed,
            _ => ExamStanding::Pending,
        }
    }
}

/// Something a party does to a personnel application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonnelAction {
    Submit,
    Withdraw,
    ReceiveMaterials,
    Accept,
    RequestCorrection,
    Resubmit,
    RefuseAcceptance,
    ArrangeExam,
    RecordScore(Subject),
    Certify,
}

impl PersonnelAction {
    pub fn label(self) -> &'static str {
        match self {
            PersonnelAction::Submit => "提交",
            PersonnelAction::Withdraw => "撤销",
            PersonnelAction::ReceiveMaterials => "材料已接收",
            PersonnelAction::Accept => "受理",
            PersonnelAction::RequestCorrection => "补正",
            PersonnelAction::Resubmit => "补正后重新提交",
            PersonnelAction::RefuseAcceptance => "不予受理",
            PersonnelAction::ArrangeExam => "安排考试",
            PersonnelAction::RecordScore(Subject::Theory) => "录入理论考试成绩",
            PersonnelAction::RecordScore(Subject::Practical) => "录入实际操作考试成绩",
            PersonnelAction::Certify => "发证",
        }
    }
}

/// Inputs of the state machine besides the status.
pub struct Facts<'a> {
    pub applicant_account: u64,
    pub authority: AuthorityCode,
    pub category: Category,
    pub accepted_on: Option<NaiveDate>,
    pub today: NaiveDate,
    /// The scores including the one being recorded, for `RecordScore`.
    pub exam: &'a ExamRecord,
}

/// Reasons an action is rejected. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PersonnelError {
    #[error("您无权对该申请执行“{}”操作", .0.label())]
    NotPermitted(PersonnelAction),
    #[error("该申请当前状态为“{}”，不能执行“{}”操作", .status.map(PersonnelStatus::label).unwrap_or("未提交"), .action.label())]
    NotAllowedInStatus {
        action: PersonnelAction,
        status: Option<PersonnelStatus>,
    },
    #[error("该科目已考试{ATTEMPTS}次（含补考1次），不能再录入成绩")]
    NoAttemptLeft,
    #[error("考试须在受理之日起2年内完成，本申请已于{0}失效")]
    ExamPeriodOver(NaiveDate),
    #[error("审核换证和变更无需考试，请直接发证")]
    NoExamForCategory,
    #[error("该科目已考试合格，不能再录入成绩")]
    SubjectPassed,
}

/// Returns the last day to pass the exams: 2 years after acceptance.
pub fn exam_deadline(accepted_on: NaiveDate) -> NaiveDate {
    accepted_on
        .checked_add_months(Months::new(EXAM_MONTHS))
        .unwrap_or(accepted_on)
}

fn needs_exam(category: Category) -> bool {
    matches!(category, Category::Initial | Category::RenewalByExam)
}

/// Decides the status that `action` by `actor` leads to, or why it is not allowed.
pub fn transition(
    current: Option<PersonnelStatus>,
    action: PersonnelAction,
    actor: &Actor,
    facts: &Facts<'_>,
) -> Result<PersonnelStatus, PersonnelError> {
    use PersonnelAction as A;
    use PersonnelStatus as S;
    let applicant = actor.role == Role::Individual && actor.account_id == facts.applicant_account;
    let staff = actor.role == Role::AuthorityStaff && actor.authority == Some(facts.authority);
    let permitted = match action {
        A::Submit | A::Withdraw | A::Resubmit => applicant,
        _ => staff,
    };
    if !permitted {
        return Err(PersonnelError::NotPermitted(action));
    }
    let exam_open = || match facts.accepted_on.map(exam_deadline) {
        Some(deadline) if facts.today > deadline => Err(PersonnelError::ExamPeriodOver(deadline)),
        _ => Ok(()),
    };

    let next = match (current, action) {
        (None, A::Submit) => S::Submitted,
        (Some(S::Submitted | S::MaterialsReceived | S::CorrectionRequested), A::Withdraw) => {
            S::Withdrawn
        }
        (Some(S::Submitted), A::ReceiveMaterials) => S::MaterialsReceived,
        (Some(S::Submitted | S::MaterialsReceived), A::Accept) => S::Accepted,
        (Some(S::Submitted | S::MaterialsReceived), A::RequestCorrection) => S::CorrectionRequested,
        (Some(S::Submitted | S::MaterialsReceived), A::RefuseAcceptance) => S::NotAccepted,
        (Some(S::CorrectionRequested), A::Resubmit) => S::Submitted,
        (Some(S::Accepted), A::ArrangeExam) => {
            if !needs_exam(facts.category) {
                return Err(PersonnelError::NoExamForCategory);
            }
            exam_open()?;
            S::AwaitingExam
        }
        (Some(S::AwaitingExam), A::RecordScore(subject)) => {
            exam_open()?;
            let earlier = facts.exam.scores(subject);
            let before_this = &earlier[..earlier.len().saturating_sub(1)];
            if before_this.iter().any(|score| *score >= PASS_MARK) {
                return Err(PersonnelError::SubjectPassed);
            }
            if facts.exam.scores(subject).len() > ATTEMPTS {
                return Err(PersonnelError::NoAttemptLeft);
            }
            match facts.exam.standing() {
                ExamStanding::Passed => S::ExamPassed,
                ExamStanding::Failed => S::ExamFailed,
                ExamStanding::Pending => S::AwaitingExam,
            }
        }
        (Some(S::ExamPassed), A::Certify) => S::Certified,
        (Some(S::Accepted), A::Certify) if !needs_exam(facts.category) => S::Certified,
        (status, action) => return Err(PersonnelError::NotAllowedInStatus { action, status }),
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use PersonnelAction as A;
    use PersonnelStatus as S;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn applicant() -> Actor {
        Actor {
            account_id: 5,
            role: Role::Individual,
            ..Actor::default()
        }
    }

    fn staff(authority: AuthorityCode) -> Actor {
        Actor {
            account_id: 9,
            role: Role::AuthorityStaff,
            authority: Some(authority),
            agency: None,
        }
    }

    fn facts(category: Category, exam: &ExamRecord) -> Facts<'_> {
        Facts {
            applicant_account: 5,
            authority: 32,
            category,
            accepted_on: Some(date("2026-01-10")),
            today: date("2026-12-04"),
            exam,
        }
    }

    #[test]
    fn initial_certificate_path() {
        let none = ExamRecord::default();
        let f = facts(Category::Initial, &none);
        let steps = [
            (None, A::Submit, applicant(), S::Submitted),
            (
                Some(S::Submitted),
                A::ReceiveMaterials,
                staff(32),
                S::MaterialsReceived,
            ),
            (
                Some(S::MaterialsReceived),
                A::Accept,
                staff(32),
                S::Accepted,
            ),
            (
                Some(S::Accepted),
                A::ArrangeExam,
                staff(32),
                S::AwaitingExam,
            ),
        ];
        for (from, action, actor, to) in steps {
            assert_eq!(transition(from, action, &actor, &f), Ok(to), "{action:?}");
        }
        let passed = ExamRecord {
            theory: vec![65, 80],
            practical: vec![90],
        };
        assert_eq!(
            transition(
                Some(S::AwaitingExam),
                A::RecordScore(Subject::Theory),
                &staff(32),
                &facts(Category::Initial, &passed)
            ),
            Ok(S::ExamPassed)
        );
        assert_eq!(
            transition(Some(S::ExamPassed), A::Certify, &staff(32), &f),
            Ok(S::Certified)
        );
    }

    #[test]
    fn exam_standing_rules() {
        let pending = ExamRecord {
            theory: vec![60],
            practical: vec![75],
        };
        assert_eq!(pending.standing(), ExamStanding::Pending);
        let failed = ExamRecord {
            theory: vec![60, 69],
            practical: vec![75],
        };
        assert_eq!(failed.standing(), ExamStanding::Failed);
        let passed = ExamRecord {
            theory: vec![70],
            practical: vec![69, 70],
        };
        assert_eq!(passed.standing(), ExamStanding::Passed);
    }

    #[test]
    fn passed_subject_takes_no_more_scores() {
        let again = ExamRecord {
            theory: vec![80, 90],
            practical: vec![],
        };
        assert_eq!(
            transition(
                Some(S::AwaitingExam),
                A::RecordScore(Subject::Theory),
                &staff(32),
                &facts(Category::Initial, &again)
            ),
            Err(PersonnelError::SubjectPassed)
        );
    }

    #[test]
    fn third_attempt_is_refused() {
        let third = ExamRecord {
            theory: vec![50, 60, 80],
            practical: vec![],
        };
        assert_eq!(
            transition(
                Some(S::AwaitingExam),
                A::RecordScore(Subject::Theory),
                &staff(32),
                &facts(Category::Initial, &third)
            ),
            Err(PersonnelError::NoAttemptLeft)
        );
    }

    #[test]
    fn exams_lapse_after_two_years() {
        let exam = ExamRecord {
            theory: vec![80],
            practical: vec![],
        };
        let late = Facts {
            accepted_on: Some(date("2024-12-01")),
            ..facts(Category::Initial, &exam)
        };
        assert_eq!(
            transition(
                Some(S::AwaitingExam),
                A::RecordScore(Subject::Theory),
                &staff(32),
                &late
            ),
            Err(PersonnelError::ExamPeriodOver(date("2026-12-01")))
        );
    }

    #[test]
    fn review_renewal_certifies_without_exam() {
        let none = ExamRecord::default();
        let f = facts(Category::RenewalByReview, &none);
        assert_eq!(
            transition(Some(S::Accepted), A::Certify, &staff(32), &f),
            Ok(S::Certified)
        );
        assert_eq!(
            transition(Some(S::Accepted), A::ArrangeExam, &staff(32), &f),
            Err(PersonnelError::NoExamForCategory)
        );
    }

    #[test]
    fn withdraw_only_before_acceptance() {
        let none = ExamRecord::default();
        let f = facts(Category::Initial, &none);
        assert_eq!(
            transition(Some(S::Submitted), A::Withdraw, &applicant(), &f),
            Ok(S::Withdrawn)
        );
        assert!(transition(Some(S::Accepted), A::Withdraw, &applicant(), &f).is_err());
    }

    #[test]
    fn only_the_parties_act() {
        let none = ExamRecord::default();
        let f = facts(Category::Initial, &none);
        assert_eq!(
            transition(Some(S::Submitted), A::Accept, &staff(33), &f),
            Err(PersonnelError::NotPermitted(A::Accept))
        );
        assert_eq!(
            transition(Some(S::Submitted), A::Accept, &applicant(), &f),
            Err(PersonnelError::NotPermitted(A::Accept))
        );
    }
}
