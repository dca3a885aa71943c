//! The resident identity card number (居民身份证号码) of GB 11643-1999: a 6-digit division
//! code, the 8-digit birth date, a 3-digit sequence whose parity gives the sex, and a check
//! character computed with weights modulo 11.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Weights of positions 1-17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character for each remainder 0..=10.
const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A validated 18-character identity card number, with an upper-case X.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IdNumber(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn label(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Reasons a string is not a valid identity card number. The messages are shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdNumberError {
    #[error("请填写身份证号码")]
    Empty,
    #[error("15位身份证号码已停止使用，请填写18位身份证号码")]
    OldFormat,
    #[error("身份证号码应为18位，当前为{0}位，请对照身份证核对")]
    WrongLength(usize),
    #[error("身份证号码前17位只能是数字，最后一位是数字或X，请对照身份证核对")]
    InvalidCharacter,
    #[error("身份证号码中的出生日期{0}不存在，请对照身份证核对")]
    InvalidBirthDate(String),
    #[error("身份证号码中的出生日期{0}晚于今天，请对照身份证核对")]
    FutureBirthDate(String),
    #[error("身份证号码校验位不正确，请对照身份证核对后重新填写")]
    CheckCharacterMismatch,
}

impl IdNumber {
    /// Validates `input` as of `today`: 18 characters, a real birth date not after today,
    /// and the check character. A lower-case x is accepted and stored upper-case.
    pub fn parse(input: &str, today: NaiveDate) -> Result<IdNumber, IdNumberError> {
        let text = super::credit_code::normalise(input);
        if text.is_empty() {
            return Err(IdNumberError::Empty);
        }
        let characters: Vec<char> = text.chars().collect();
        if characters.len() == 15 && characters.iter().all(char::is_ascii_digit) {
            return Err(IdNumberError::OldFormat);
        }
        if characters.len() != 18 {
            return Err(IdNumberError::WrongLength(characters.len()));
        }
        let well_formed = characters[..17].iter().all(char::is_ascii_digit)
            && (characters[17].is_ascii_digit() || characters[17] == 'X');
        if !well_formed {
            return Err(IdNumberError::InvalidCharacter);
        }

        let birth = &text[6..14];
        let shown = format!("{}年{}月{}日", &birth[..4], &birth[4..6], &birth[6..]);
        let date = NaiveDate::parse_from_str(birth, "%Y%m%d")
            .map_err(|_| IdNumberError::InvalidBirthDate(shown.clone()))?;
        if date > today {
            return Err(IdNumberError::FutureBirthDate(shown));
        }
        if date < NaiveDate::from_ymd_opt(1850, 1, 1).expect("valid date") {
            return Err(IdNumberError::InvalidBirthDate(shown));
        }

        let sum: u32 = characters[..17]
            .iter()
            .zip(WEIGHTS)
            .map(|(digit, weight)| digit.to_digit(10).unwrap_or(0) * weight)
            .sum();
        if CHECK[(sum % 11) as usize] != characters[17] {
            return Err(IdNumberError::CheckCharacterMismatch);
        }
        Ok(IdNumber(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        NaiveDate::parse_from_str(&self.0[6..14], "%Y%m%d").expect("checked when parsed")
    }

    /// Returns the sex given by the parity of the sequence's last digit (position 17).
    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Returns the number with the birth date hidden, for logs and lists.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.0[..6], &self.0[14..])
    }
}

impl fmt::Display for IdNumber {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn standard_examples_are_valid() {
        let first = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            first.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(first.sex(), Sex::Female);
        let second = IdNumber::parse("440524188001010014", today()).unwrap();
        assert_eq!(
            second.birth_date(),
            NaiveDate::from_ymd_opt(1880, 1, 1).unwrap()
        );
        assert_eq!(second.sex(), Sex::Male);
    }

    #[test]
    fn lower_case_x_is_stored_upper_case() {
        let number = IdNumber::parse("11010519491231002x", today()).unwrap();
        assert_eq!(number.as_str(), "11010519491231002X");
    }

    #[test]
    fn wrong_check_character() {
        assert_eq!(
            IdNumber::parse("110105194912310021", today()),
            Err(IdNumberError::CheckCharacterMismatch)
        );
    }

    #[test]
    fn thirtieth_of_february() {
        assert_eq!(
            IdNumber::parse("11010519900230001X", today()),
            Err(IdNumberError::InvalidBirthDate("1990年02月30日".into()))
        );
    }

    #[test]
    fn future_birth_date() {
        assert_eq!(
            IdNumber::parse("11010520300101001X", today()),
            Err(IdNumberError::FutureBirthDate("2030年01月01日".into()))
        );
    }

    #[test]
    fn implausibly_early_birth_date() {
        assert!(matches!(
            IdNumber::parse("110105000001010015", today()),
            Err(IdNumberError::InvalidBirthDate(_))
        ));
    }

    #[test]
    fn old_fifteen_digit_form() {
        assert_eq!(
            IdNumber::parse("110105491231002", today()),
            Err(IdNumberError::OldFormat)
        );
    }

    #[test]
    fn other_shapes() {
        assert_eq!(IdNumber::parse("", today()), Err(IdNumberError::Empty));
        assert_eq!(
            IdNumber::parse("1101051949123100", today()),
            Err(IdNumberError::WrongLength(16))
        );
        assert_eq!(
            IdNumber::parse("1101051949123100XX", today()),
            Err(IdNumberError::InvalidCharacter)
        );
    }

    #[test]
    fn masked_hides_birth_and_sequence() {
        let number = IdNumber::parse("11010519491231002X", today()).unwrap();
        assert_eq!(number.masked(), "110105********002X");
    }
}
