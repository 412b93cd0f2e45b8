//! Splitting text into words: runs of letters and digits, as tantivy's `SimpleTokenizer` does, except that each
//! Chinese, Japanese or Korean character is a word of its own. Those scripts write no spaces between words, so a
//! whole title would otherwise be one token that no query but the whole title matches ("中文" found nothing in 74
//! titles holding it); as single characters, a query of several is a phrase, which matches them in order.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

#[derive(Clone, Default)]
pub(crate) struct WordTokenizer {
    token: Token,
}

pub(crate) struct WordStream<'a> {
    text: &'a str,
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    token: &'a mut Token,
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream { text, chars: text.char_indices().peekable(), token: &mut self.token }
    }
}

/// Han ideographs, kana and Hangul syllables: scripts written without spaces between words.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' // hiragana, katakana
        | '\u{3400}'..='\u{4dbf}' // Han extension A
        | '\u{4e00}'..='\u{9fff}' // Han
        | '\u{ac00}'..='\u{d7af}' // Hangul syllables
        | '\u{f900}'..='\u{faff}' // Han compatibility
        | '\u{20000}'..='\u{2ffff}') // Han extensions B and on
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        self.token.position = self.token.position.wrapping_add(1);
        while let Some((from, c)) = self.chars.next() {
            if !c.is_alphanumeric() {
                continue;
            }
            let mut to = from + c.len_utf8();
            if !is_cjk(c) {
                while let Some(&(at, next)) = self.chars.peek() {
                    if !next.is_alphanumeric() || is_cjk(next) {
                        break;
                    }
                    to = at + next.len_utf8();
                    self.chars.next();
                }
            }
            self.token.offset_from = from;
            self.token.offset_to = to;
            self.token.text.push_str(&self.text[from..to]);
            return true;
        }
        false
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<(String, usize)> {
        let mut t = WordTokenizer::default();
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push((s.token().text.clone(), s.token().position));
        }
        out
    }

    #[test]
    fn latin_words_split_as_before_and_cjk_characters_one_by_one() {
        let w = |text: &str| words(text).into_iter().map(|(t, _)| t).collect::<Vec<_>>();
        assert_eq!(w("Hello, t-SNE 2024!"), ["Hello", "t", "SNE", "2024"]);
        assert_eq!(w("使用BERT的中文"), ["使", "用", "BERT", "的", "中", "文"]);
        assert_eq!(w("Ré, naïve"), ["Ré", "naïve"]);
        assert_eq!(words("中文 NLP").iter().map(|(_, p)| *p).collect::<Vec<_>>(), [0, 1, 2], "positions follow");
    }
}
