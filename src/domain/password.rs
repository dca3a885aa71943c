//! Rules for passwords chosen at registration.

/// bcrypt reads at most 72 bytes of a password; longer ones are rejected rather than cut.
pub const MAX_BYTES: usize = 72;

pub const MIN_CHARS: usize = 8;

/// Checks a new password; the message names what to change.
pub fn validate_new_password(password: &str) -> Result<(), &'static str> {
    if password.is_empty() {
        return Err("请设置密码");
    }
    if password.chars().count() < MIN_CHARS {
        return Err("密码至少8位，请重新设置");
    }
    if password.len() > MAX_BYTES {
        return Err("密码过长：最多72个字节（约72个英文字符或24个汉字），请重新设置");
    }
    let has_letter = password.chars().any(|c| c.is_ascii_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !has_letter || !has_digit {
        return Err("密码须同时包含字母和数字，请重新设置");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_letters_and_digits() {
        assert_eq!(validate_new_password("abc12345"), Ok(()));
    }

    #[test]
    fn rejects_short_plain_and_long() {
        assert!(validate_new_password("").is_err());
        assert!(validate_new_password("abc1234").is_err());
        assert!(validate_new_password("abcdefgh").is_err());
        assert!(validate_new_password("12345678").is_err());
        assert!(validate_new_password(&format!("a1{}", "密".repeat(24))).is_err());
        assert_eq!(
            validate_new_password(&format!("a1{}", "x".repeat(70))),
            Ok(())
        );
    }
}
