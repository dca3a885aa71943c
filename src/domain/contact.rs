//! Contact details entered on forms: mobile numbers and person names.

/// Normalises a mainland mobile number: strips spaces, hyphens and a leading +86, and turns
/// full-width digits into ASCII ones.
pub fn normalise_mobile(input: &str) -> String {
    let digits: String = input
        .chars()
        .filter(|character| !character.is_whitespace() && *character != '-')
        .map(|character| match character {
            '０'..='９' => char::from_u32(character as u32 - 0xFEE0).unwrap_or(character),
            _ => character,
        })
        .collect();
    digits
        .strip_prefix("+86")
        .map(str::to_string)
        .unwrap_or(digits)
}

/// Checks an 11-digit mainland mobile number starting with 13-19; this pattern is common
/// practice rather than a published rule.
pub fn validate_mobile(input: &str) -> Result<String, &'static str> {
    let mobile = normalise_mobile(input);
    if mobile.is_empty() {
        return Err("请填写手机号码");
    }
    let bytes = mobile.as_bytes();
    let well_formed = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    if well_formed {
        Ok(mobile)
    } else {
        Err("手机号码应为11位数字，前两位为13至19，例如13812345678")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_accepts_common_forms() {
        assert_eq!(validate_mobile("138 1234 5678"), Ok("13812345678".into()));
        assert_eq!(validate_mobile("+86-13812345678"), Ok("13812345678".into()));
        assert_eq!(
            validate_mobile("１３８１２３４５６７８"),
            Ok("13812345678".into())
        );
    }

    #[test]
    fn mobile_rejects_malformed() {
        assert!(validate_mobile("").is_err());
        assert!(validate_mobile("1381234567").is_err());
        assert!(validate_mobile("12812345678").is_err());
        assert!(validate_mobile("1381234567a").is_err());
    }
}
