//! Pure licensing rules with no I/O: the catalogue, the authorities and routing to them,
//! identifier checks, and the life cycle of a production unit licence application.

pub mod application;
pub mod application_form;
pub mod attachment;
pub mod authority;
pub mod calendar;
pub mod catalogue;
pub mod certificate;
pub mod contact;
pub mod credit_code;
pub mod deadline;
pub mod eligibility;
pub mod id_number;
pub mod licence;
pub mod password;
pub mod personnel;
pub mod personnel_application;
pub mod role;
pub mod time;

pub use application::{
    Action, ApplicationKind, ApplicationStatus, ChangeKind, Parties, ReviewOutcome, TransitionError,
};
pub use authority::{Authorities, Authority, AuthorityCode, RoutingError};
pub use catalogue::{ApprovalScope, Catalogue, SubItem};
pub use credit_code::{CreditCode, CreditCodeError};
pub use role::{Actor, Role};
