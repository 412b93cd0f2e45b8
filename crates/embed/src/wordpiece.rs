//! BERT's uncased WordPiece tokenizer (the model's `vocab.txt`), as the `BertTokenizer` the model was
//! trained with: clean, split CJK characters apart, lower-case, strip accents, split on whitespace and
//! punctuation, then greedy longest-match word pieces. Written here rather than pulling in the
//! `tokenizers` crate, whose regex engines and dependencies weigh more than this whole crate.
//!
//! One known difference: "punctuation" is every character that is neither alphanumeric nor whitespace,
//! where the original takes Unicode's P categories and the ASCII symbols; a symbol such as '±' is split
//! off here but kept inside its word there.

use crate::EmbedError;
use std::collections::HashMap;
use std::path::Path;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Words longer than this many characters are one unknown token, as in BERT.
const MAX_WORD_CHARS: usize = 100;

pub struct WordPiece {
    vocab: HashMap<String, u32>,
    pub(crate) cls: u32,
    pub(crate) sep: u32,
    unk: u32,
}

impl WordPiece {
    pub fn from_file(path: &Path) -> Result<WordPiece, EmbedError> {
        let text = std::fs::read_to_string(path).map_err(|e| EmbedError::io(path, e))?;
        WordPiece::from_vocab(&text).ok_or_else(|| EmbedError::Model {
            path: path.display().to_string(),
            reason: "vocab.txt lacks [CLS], [SEP] or [UNK]".into(),
        })
    }

    /// One token per line, its id the line number.
    pub fn from_vocab(text: &str) -> Option<WordPiece> {
        let vocab: HashMap<String, u32> = text.lines().enumerate().map(|(i, t)| (t.to_string(), i as u32)).collect();
        Some(WordPiece { cls: *vocab.get("[CLS]")?, sep: *vocab.get("[SEP]")?, unk: *vocab.get("[UNK]")?, vocab })
    }

    /// Number of token ids (the largest id + 1).
    pub fn vocab_size(&self) -> usize {
        self.vocab.values().max().map_or(0, |&m| m as usize + 1)
    }

    /// The id of a token as written in the vocabulary (`"the"`, `"##ing"`).
    pub fn id(&self, token: &str) -> Option<u32> {
        self.vocab.get(token).copied()
    }

    /// `[CLS]` + the word pieces of `text`, cut to `max_len - 2`, + `[SEP]`.
    pub fn encode(&self, text: &str, max_len: usize) -> Vec<u32> {
        let mut ids = vec![self.cls];
        for word in basic_words(text) {
            self.pieces(&word, &mut ids);
            if ids.len() >= max_len - 1 {
                break;
            }
        }
        ids.truncate(max_len - 1);
        ids.push(self.sep);
        ids
    }

    fn pieces(&self, word: &str, out: &mut Vec<u32>) {
        let chars: Vec<char> = word.chars().collect();
        if chars.len() > MAX_WORD_CHARS {
            out.push(self.unk);
            return;
        }
        let mark = out.len();
        let mut start = 0;
        let mut piece = String::new();
        while start < chars.len() {
            let mut end = chars.len();
            let mut found = None;
            while start < end {
                piece.clear();
                if start > 0 {
                    piece.push_str("##");
                }
                piece.extend(&chars[start..end]);
                if let Some(&id) = self.vocab.get(&piece) {
                    found = Some(id);
                    break;
                }
                end -= 1;
            }
            match found {
                Some(id) => out.push(id),
                None => {
                    // A word with any piece missing is one unknown token.
                    out.truncate(mark);
                    out.push(self.unk);
                    return;
                }
            }
            start = end;
        }
    }
}

/// BERT's basic tokenizer, uncased: the words and punctuation marks of `text`, lower-cased, accents removed.
fn basic_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    for c in text.chars().flat_map(char::to_lowercase).nfd() {
        if c == '\0' || c == '\u{fffd}' || is_combining_mark(c) || (c.is_control() && !c.is_whitespace()) {
            continue;
        }
        if c.is_whitespace() {
            flush(&mut word, &mut words);
        } else if c.is_alphanumeric() && !is_cjk(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut words);
            words.push(c.to_string());
        }
    }
    flush(&mut word, &mut words);
    words
}

/// The CJK ideograph blocks BERT splits into single characters.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0x20000..=0x2A6DF | 0x2A700..=0x2B73F | 0x2B740..=0x2B81F
        | 0x2B820..=0x2CEAF | 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocab() -> WordPiece {
        let tokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "runn", "##ing", ",", "cafe", "!"];
        WordPiece::from_vocab(&tokens.join("\n")).unwrap()
    }

    #[test]
    fn words_split_into_longest_pieces() {
        let wp = vocab();
        assert_eq!(wp.encode("UNaffable runnING, Café!", 64), vec![2, 4, 5, 6, 7, 8, 9, 10, 11, 3]);
    }

    #[test]
    fn a_word_with_a_missing_piece_is_unknown_and_long_text_is_cut() {
        let wp = vocab();
        assert_eq!(wp.encode("unxyz running", 64), vec![2, 1, 7, 8, 3]);
        assert_eq!(wp.encode("running running running", 4), vec![2, 7, 8, 3]);
    }
}
