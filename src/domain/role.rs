//! Account roles and the acting party of a state change.

use serde::{Deserialize, Serialize};

use super::authority::AuthorityCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 企业用户: a unit that applies for production unit licences.
    Enterprise,
    /// 审批机关工作人员: staff of SAMR or of one provincial bureau.
    AuthorityStaff,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Enterprise => "企业用户",
            Role::AuthorityStaff => "审批机关工作人员",
        }
    }

    /// Parses the role names accepted on the command line.
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "enterprise" => Some(Role::Enterprise),
            "authority-staff" | "authority_staff" | "staff" => Some(Role::AuthorityStaff),
            _ => None,
        }
    }
}

/// Who takes an action: an account, its role and, for staff, the authority they work for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub account_id: u64,
    pub role: Role,
    pub authority: Option<AuthorityCode>,
}
