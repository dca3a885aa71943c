//! The unified social credit code (统一社会信用代码) of GB 32100-2015.
//!
//! 18 characters from a 31-character alphabet without I, O, S, V and Z: registration
//! department, entity kind, 6-digit administrative division, 9-character organisation code,
//! and a check character computed with weighted sums modulo 31.

use std::fmt;

use serde::{Deserialize, Serialize};

/// The code alphabet; a character's index is its numeric value.
const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1-17 in the check-character sum.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

const LENGTH: usize = 18;

/// A validated, normalised unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Reasons a string is not a valid credit code. The messages are shown to applicants.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    #[error("请填写统一社会信用代码")]
    Empty,
    #[error("统一社会信用代码应为18位，当前为{0}位，请对照营业执照核对")]
    WrongLength(usize),
    #[error("统一社会信用代码第{position}位“{character}”无效：代码不使用字母I、O、S、V、Z，请对照营业执照核对")]
    ExcludedLetter { position: usize, character: char },
    #[error("统一社会信用代码第{position}位“{character}”无效：只能包含数字和大写字母，请对照营业执照核对")]
    InvalidCharacter { position: usize, character: char },
    #[error("统一社会信用代码校验位不正确，请对照营业执照核对后重新填写")]
    CheckCharacterMismatch,
}

impl CreditCode {
    /// Normalises `input` and validates it, including the check character.
    pub fn parse(input: &str) -> Result<CreditCode, CreditCodeError> {
        let code = normalise(input);
        if code.is_empty() {
            return Err(CreditCodeError::Empty);
        }

        let characters: Vec<char> = code.chars().collect();
        let mut values = Vec::with_capacity(LENGTH);
        for (index, &character) in characters.iter().enumerate() {
            let position = index + 1;
            match value_of(character) {
                Some(value) => values.push(value),
                None if matches!(character, 'I' | 'O' | 'S' | 'V' | 'Z') => {
                    return Err(CreditCodeError::ExcludedLetter {
                        position,
                        character,
                    })
                }
                None => {
                    return Err(CreditCodeError::InvalidCharacter {
                        position,
                        character,
                    })
                }
            }
        }
        if characters.len() != LENGTH {
            return Err(CreditCodeError::WrongLength(characters.len()));
        }

        if check_value(&values[..LENGTH - 1]) != values[LENGTH - 1] {
            return Err(CreditCodeError::CheckCharacterMismatch);
        }
        Ok(CreditCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Returns the two-digit province code of the registering division (positions 3-4), a
    /// good default for the province of the production address.
    pub fn province_code(&self) -> u8 {
        self.0[2..4].parse().unwrap_or(0)
    }
}

/// Trims, removes inner spaces, turns full-width characters into half-width ones and
/// upper-cases, as applicants often copy codes from documents typed in Chinese input mode.
pub fn normalise(input: &str) -> String {
    input
        .chars()
        .filter(|character| !character.is_whitespace())
        .map(to_half_width)
        .flat_map(char::to_uppercase)
        .collect()
}

fn to_half_width(character: char) -> char {
    match character {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(character as u32 - 0xFEE0).unwrap_or(character),
        _ => character,
    }
}

fn value_of(character: char) -> Option<u32> {
    ALPHABET.find(character).map(|index| index as u32)
}

fn check_value(values: &[u32]) -> u32 {
    let sum: u32 = values
        .iter()
        .zip(WEIGHTS)
        .map(|(value, weight)| value * weight)
        .sum();
    (31 - sum % 31) % 31
}

impl fmt::Display for CreditCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        CreditCode::parse(&value)
    }
}

impl From<CreditCode> for String {
    fn from(code: CreditCode) -> String {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: [&str; 5] = [
        "91350100M000100Y43",
        "91110000100006485K",
        "91440300708461136T",
        "91310000MA1FL1MMXL",
        "913200001347826539",
    ];

    #[test]
    fn accepts_valid_codes() {
        for code in VALID {
            assert_eq!(
                CreditCode::parse(code).map(String::from),
                Ok(code.to_string())
            );
        }
    }

    #[test]
    fn normalises_spaces_case_and_full_width() {
        let typed = " ９１３５０１００ｍ０００ 100y43\u{3000}";
        assert_eq!(
            CreditCode::parse(typed).map(String::from),
            Ok("91350100M000100Y43".to_string())
        );
    }

    #[test]
    fn rejects_wrong_check_character() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacterMismatch)
        );
    }

    #[test]
    fn rejects_excluded_letters() {
        for letter in ['I', 'O', 'S', 'V', 'Z'] {
            let code = format!("91350100M{letter}00100Y43");
            assert_eq!(
                CreditCode::parse(&code),
                Err(CreditCodeError::ExcludedLetter {
                    position: 10,
                    character: letter
                })
            );
        }
    }

    #[test]
    fn hyphen_is_named_before_length() {
        assert_eq!(
            CreditCode::parse("91110000-100006485K"),
            Err(CreditCodeError::InvalidCharacter {
                position: 9,
                character: '-'
            })
        );
    }

    #[test]
    fn rejects_other_characters() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4-"),
            Err(CreditCodeError::InvalidCharacter {
                position: 18,
                character: '-'
            })
        );
    }

    #[test]
    fn rejects_wrong_lengths() {
        assert_eq!(
            CreditCode::parse("91350100M000100Y4"),
            Err(CreditCodeError::WrongLength(17))
        );
        assert_eq!(
            CreditCode::parse("91350100M000100Y433"),
            Err(CreditCodeError::WrongLength(19))
        );
        assert_eq!(CreditCode::parse("   "), Err(CreditCodeError::Empty));
    }

    #[test]
    fn every_single_character_change_is_detected() {
        // A weighted sum modulo the prime 31 catches any one substituted character.
        let code: Vec<char> = VALID[0].chars().collect();
        for position in 0..LENGTH {
            for replacement in ALPHABET.chars().filter(|&c| c != code[position]) {
                let mut changed = code.clone();
                changed[position] = replacement;
                let changed: String = changed.into_iter().collect();
                assert!(
                    CreditCode::parse(&changed).is_err(),
                    "{changed} was accepted"
                );
            }
        }
    }

    #[test]
    fn province_code_from_division() {
        let code = CreditCode::parse("913200001347826539").unwrap();
        assert_eq!(code.province_code(), 32);
    }
}
