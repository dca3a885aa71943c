//! Character n-gram tokenizer for Chinese text and identifiers.
//!
//! Each character of the input at index `i` (counted in chars, including separators) yields:
//!
//! - a unigram token (the character itself) at position `2 * i`,
//! - a bigram token (the character and the next one) at position `2 * i + 1`, if both are
//!   letters or digits.
//!
//! A character that is not alphanumeric by `char::is_alphanumeric` (space, punctuation, `；`,
//! `（`, `-` ...) is a separator: it emits nothing and breaks pairs, so no bigram spans it. Interleaving the two kinds in one position space lets a
//! phrase query mix bigrams with the unigram of a lone character, with exact relative positions.
//! Text is lower-cased, and full-width ASCII forms (`Ａ`, `１`) are folded to ASCII first.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// Name under which [`CjkNgramTokenizer`] is registered in the index's tokenizer manager.
pub const NGRAM_TOKENIZER_NAME: &str = "xuke_cjk_ngram";

/// Tokenizer that emits overlapping character unigrams and bigrams (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct CjkNgramTokenizer {
    tokens: Vec<Token>,
}

/// Token stream of [`CjkNgramTokenizer`] over tokens computed up front.
pub struct CjkNgramTokenStream<'a> {
    tokens: &'a mut [Token],
    /// Number of `advance` calls that returned true, so the current token is at `advanced - 1`.
    advanced: usize,
}

impl Tokenizer for CjkNgramTokenizer {
    type TokenStream<'a> = CjkNgramTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkNgramTokenStream<'a> {
        ngram_tokens(text, &mut self.tokens);
        CjkNgramTokenStream {
            tokens: &mut self.tokens,
            advanced: 0,
        }
    }
}

impl TokenStream for CjkNgramTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.advanced < self.tokens.len() {
            self.advanced += 1;
            true
        } else {
            false
        }
    }

    /// Returns the current token. Panics unless the last `advance` call returned true.
    fn token(&self) -> &Token {
        &self.tokens[self.advanced - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.advanced - 1]
    }
}

/// Replaces `tokens` with the unigram and bigram tokens of `text`, in increasing position order.
pub(crate) fn ngram_tokens(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    // Byte offset and normalized text of the previous character, if it was alphanumeric.
    let mut previous: Option<(usize, String)> = None;

    for (char_index, (offset, c)) in text.char_indices().enumerate() {
        if !c.is_alphanumeric() {
            previous = None;
            continue;
        }
        let offset_to = offset + c.len_utf8();
        let mut unit = String::new();
        push_normalized(c, &mut unit);

        if let Some((previous_offset, previous_unit)) = &previous {
            tokens.push(Token {
                offset_from: *previous_offset,
                offset_to,
                position: 2 * char_index - 1,
                text: format!("{previous_unit}{unit}"),
                position_length: 1,
            });
        }
        tokens.push(Token {
            offset_from: offset,
            offset_to,
            position: 2 * char_index,
            text: unit.clone(),
            position_length: 1,
        });
        previous = Some((offset, unit));
    }
}

/// Selects the n-grams that a phrase query for `term` needs, as `(position, text)` pairs.
///
/// These are all bigrams, plus the unigram of each alphanumeric character that no bigram covers
/// (a one-character term, or a lone character between separators such as the `a` in `a-bc`).
/// Returns an empty list when `term` has no letters or digits.
pub(crate) fn phrase_grams(term: &str) -> Vec<(usize, String)> {
    let mut tokens = Vec::new();
    ngram_tokens(term, &mut tokens);

    let bigram_positions: Vec<usize> = tokens
        .iter()
        .map(|token| token.position)
        .filter(|position| position % 2 == 1)
        .collect();
    // A unigram at 2i is covered by the bigram that starts at it (2i + 1) or ends at it (2i - 1).
    let is_covered = |position: usize| {
        let starts_here = bigram_positions.contains(&(position + 1));
        let ends_here = position
            .checked_sub(1)
            .is_some_and(|before| bigram_positions.contains(&before));
        starts_here || ends_here
    };

    tokens
        .into_iter()
        .filter(|token| token.position % 2 == 1 || !is_covered(token.position))
        .map(|token| (token.position, token.text))
        .collect()
}

/// Lower-cases `text` and folds full-width ASCII forms, as the tokenizer does for each character.
///
/// Used for identifiers that are indexed as one exact term, so that a query typed in another
/// case or in full-width characters still equals the indexed term.
pub(crate) fn normalize(text: &str) -> String {
    let mut normalized = String::with_capacity(text.len());
    for c in text.chars() {
        push_normalized(c, &mut normalized);
    }
    normalized
}

/// Appends `c` to `output`, folding full-width ASCII (U+FF01..=U+FF5E) and lower-casing it.
fn push_normalized(c: char, output: &mut String) {
    let folded = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    output.extend(folded.to_lowercase());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenize(text: &str) -> Vec<(usize, String)> {
        let mut tokenizer = CjkNgramTokenizer::default();
        let mut stream = tokenizer.token_stream(text);
        let mut tokens = Vec::new();
        while stream.advance() {
            let token = stream.token();
            tokens.push((token.position, token.text.clone()));
        }
        tokens
    }

    fn pairs(expected: &[(usize, &str)]) -> Vec<(usize, String)> {
        expected
            .iter()
            .map(|(position, text)| (*position, text.to_string()))
            .collect()
    }

    #[test]
    fn interleaves_unigrams_and_bigrams() {
        assert_eq!(
            tokenize("压力容器"),
            pairs(&[
                (0, "压"),
                (1, "压力"),
                (2, "力"),
                (3, "力容"),
                (4, "容"),
                (5, "容器"),
                (6, "器"),
            ])
        );
    }

    #[test]
    fn separators_break_pairs() {
        assert_eq!(
            tokenize("压力 容器"),
            pairs(&[
                (0, "压"),
                (1, "压力"),
                (2, "力"),
                (6, "容"),
                (7, "容器"),
                (8, "器")
            ])
        );
        assert_eq!(
            tokenize("锅炉；气瓶"),
            pairs(&[
                (0, "锅"),
                (1, "锅炉"),
                (2, "炉"),
                (6, "气"),
                (7, "气瓶"),
                (8, "瓶")
            ])
        );
    }

    #[test]
    fn lowercases_and_folds_full_width() {
        assert_eq!(
            tokenize("ＳQ１"),
            pairs(&[(0, "s"), (1, "sq"), (2, "q"), (3, "q1"), (4, "1")])
        );
        assert_eq!(normalize("９1320ＡB"), "91320ab");
    }

    #[test]
    fn offsets_point_into_original_text() {
        let text = "A 压力";
        let mut tokens = Vec::new();
        ngram_tokens(text, &mut tokens);
        let slices: Vec<&str> = tokens
            .iter()
            .map(|token| &text[token.offset_from..token.offset_to])
            .collect();
        assert_eq!(slices, vec!["A", "压", "压力", "力"]);
    }

    #[test]
    fn long_name_keeps_every_gram() {
        // 26 characters in 78 bytes. Tantivy 0.27's default tokenizer drops tokens over 40 bytes.
        let name = "江苏省某某某某特种设备压力容器制造安装维修改造有限公司";
        let tokens = tokenize(name);
        let char_count = name.chars().count();
        assert_eq!(tokens.len(), 2 * char_count - 1);
        assert!(tokens.iter().all(|(_, text)| text.chars().count() <= 2));
    }

    #[test]
    fn empty_and_separator_only_text() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" -；（） ").is_empty());
    }

    #[test]
    fn phrase_grams_use_bigrams() {
        assert_eq!(phrase_grams("器制造"), pairs(&[(1, "器制"), (3, "制造")]));
    }

    #[test]
    fn phrase_grams_single_character() {
        assert_eq!(phrase_grams("压"), pairs(&[(0, "压")]));
    }

    #[test]
    fn phrase_grams_keep_lone_characters() {
        // `a` has no neighbour to pair with, so its unigram stays. `b` and `c` are covered by `bc`.
        assert_eq!(phrase_grams("a-bc"), pairs(&[(0, "a"), (5, "bc")]));
        assert_eq!(
            phrase_grams("sq-2026-3"),
            pairs(&[(1, "sq"), (7, "20"), (9, "02"), (11, "26"), (16, "3")])
        );
    }

    #[test]
    fn phrase_grams_empty_without_alphanumerics() {
        assert!(phrase_grams("——").is_empty());
        assert!(phrase_grams("").is_empty());
    }
}
