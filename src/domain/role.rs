//! Account roles and the acting party of a state change.

use serde::{Deserialize, Serialize};

use super::authority::AuthorityCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 企业用户: a unit that applies for production unit licences.
    #[default]
    Enterprise,
    /// 个人用户: a person who applies for an inspection or NDT qualification.
    Individual,
    /// 审批机关工作人员: staff of SAMR or of one provincial bureau.
    AuthorityStaff,
    /// 鉴定评审机构工作人员: staff of one review agency.
    AgencyStaff,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Enterprise => "企业用户",
            Role::Individual => "个人用户",
            Role::AuthorityStaff => "审批机关工作人员",
            Role::AgencyStaff => "鉴定评审机构工作人员",
        }
    }

    /// Parses the role names accepted on the command line.
    pub fn from_name(name: &str) -> Option<Role> {
        match name {
            "enterprise" => Some(Role::Enterprise),
            "authority-staff" | "authority_staff" | "staff" => Some(Role::AuthorityStaff),
            "agency-staff" | "agency_staff" => Some(Role::AgencyStaff),
            _ => None,
        }
    }
}

/// Who takes an action: an account, its role and, for staff, the authority or review agency
/// they work for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Actor {
    pub account_id: u64,
    pub role: Role,
    pub authority: Option<AuthorityCode>,
    pub agency: Option<u64>,
}
