//! Attachments of an application (附件材料): which are required, and the file types accepted,
//! decided by the file's first bytes rather than its name.

use serde::{Deserialize, Serialize};

use super::application::ApplicationKind;

/// Default upper limit of one attachment, 20 MiB.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// 营业执照扫描件.
    BusinessLicence,
    /// 申请许可项目表, signed and stamped.
    ItemTable,
    /// 授权书 of the head office, when a branch applies on its own.
    Authorisation,
    /// 原许可证, for adding items and for renewal.
    OriginalLicence,
    /// 评审报告, uploaded by the review agency.
    ReviewReport,
}

impl AttachmentKind {
    /// The kinds an applicant uploads.
    pub const ALL: [AttachmentKind; 4] = [
        AttachmentKind::BusinessLicence,
        AttachmentKind::ItemTable,
        AttachmentKind::Authorisation,
        AttachmentKind::OriginalLicence,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AttachmentKind::BusinessLicence => "营业执照扫描件",
            AttachmentKind::ItemTable => "申请许可项目表（签字盖章）",
            AttachmentKind::Authorisation => "授权书",
            AttachmentKind::OriginalLicence => "原许可证",
            AttachmentKind::ReviewReport => "评审报告",
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            AttachmentKind::BusinessLicence => "business_licence",
            AttachmentKind::ItemTable => "item_table",
            AttachmentKind::Authorisation => "authorisation",
            AttachmentKind::OriginalLicence => "original_licence",
            AttachmentKind::ReviewReport => "review_report",
        }
    }

    pub fn from_slug(slug: &str) -> Option<AttachmentKind> {
        AttachmentKind::ALL
            .into_iter()
            .find(|kind| kind.slug() == slug)
    }
}

/// The attachments an application of `kind` must carry; `branch_alone` adds the
/// authorisation letter.
pub fn required_attachments(kind: &ApplicationKind, branch_alone: bool) -> Vec<AttachmentKind> {
    let mut required = vec![AttachmentKind::BusinessLicence, AttachmentKind::ItemTable];
    if branch_alone {
        required.push(AttachmentKind::Authorisation);
    }
    if matches!(
        kind,
        ApplicationKind::AddItems | ApplicationKind::Renewal { .. }
    ) {
        required.push(AttachmentKind::OriginalLicence);
    }
    required
}

/// File types accepted for attachments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FileType {
    Pdf,
    Jpeg,
    Png,
}

impl FileType {
    /// Detects the type from the first bytes of a file.
    pub fn detect(bytes: &[u8]) -> Option<FileType> {
        if bytes.starts_with(b"%PDF-") {
            Some(FileType::Pdf)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(FileType::Jpeg)
        } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
            Some(FileType::Png)
        } else {
            None
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Jpeg => "JPEG",
            FileType::Png => "PNG",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_bytes() {
        assert_eq!(FileType::detect(b"%PDF-1.7\n..."), Some(FileType::Pdf));
        assert_eq!(
            FileType::detect(&[0xFF, 0xD8, 0xFF, 0xE0]),
            Some(FileType::Jpeg)
        );
        assert_eq!(
            FileType::detect(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0]),
            Some(FileType::Png)
        );
        assert_eq!(FileType::detect(b"\x7fELF\x02\x01"), None);
        assert_eq!(FileType::detect(b"MZ\x90\x00"), None);
        assert_eq!(FileType::detect(b""), None);
    }

    #[test]
    fn required_by_kind() {
        assert_eq!(
            required_attachments(&ApplicationKind::First, false).len(),
            2
        );
        assert!(required_attachments(&ApplicationKind::First, true)
            .contains(&AttachmentKind::Authorisation));
        assert!(required_attachments(&ApplicationKind::AddItems, false)
            .contains(&AttachmentKind::OriginalLicence));
    }
}
