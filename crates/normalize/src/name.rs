use caseless::default_case_fold_str;
use unicode_normalization::UnicodeNormalization;

/// The key under which names are "the same exact name": canonical composition (NFC), full Unicode case
/// folding, and runs of white space collapsed. Diacritics are kept: "Ré" and "Re" are different names.
pub fn name_key(name: &str) -> String {
    if name.is_ascii() {
        // Most names in the wild are ASCII, where NFC is the identity and folding is lower-casing.
        let mut out = String::with_capacity(name.len());
        for word in name.split_ascii_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
        }
        return out;
    }
    let composed: String = name.nfc().collect();
    let folded = default_case_fold_str(&composed);
    let mut out = String::with_capacity(folded.len());
    for word in folded.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    // Folding can decompose (e.g. "ǰ"); recompose so the key is stable.
    out.nfc().collect()
}

/// Splits DBLP's homonym number off a name: "Ji Liu 0002" → ("Ji Liu", Some("0002")).
pub fn split_homonym(name: &str) -> (&str, Option<&str>) {
    let trimmed = name.trim_end();
    if let Some((head, tail)) = trimmed.rsplit_once(' ') {
        if tail.len() == 4 && tail.bytes().all(|b| b.is_ascii_digit()) {
            return (head.trim_end(), Some(tail));
        }
    }
    (trimmed, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_folding_is_full_unicode() {
        assert_eq!(name_key("Christopher Ré"), "christopher ré");
        assert_eq!(name_key("CHRISTOPHER RÉ"), "christopher ré");
        assert_eq!(name_key("Straße"), name_key("STRASSE"));
    }

    #[test]
    fn composed_and_decomposed_forms_match() {
        assert_eq!(name_key("Re\u{301}"), name_key("Ré"));
    }

    #[test]
    fn white_space_is_collapsed_but_diacritics_stay() {
        assert_eq!(name_key("  Ce   Zhang "), "ce zhang");
        assert_ne!(name_key("Christopher Re"), name_key("Christopher Ré"));
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_general_one() {
        for s in ["Ce  Zhang 0001", " A. B. C ", "O'Neil-Smith", "\tX\nY"] {
            let composed: String = s.nfc().collect();
            let general: Vec<String> =
                default_case_fold_str(&composed).split_whitespace().map(str::to_string).collect();
            assert_eq!(name_key(s), general.join(" "), "{s:?}");
        }
    }

    #[test]
    fn homonym_numbers_split() {
        assert_eq!(split_homonym("Ji Liu 0002"), ("Ji Liu", Some("0002")));
        assert_eq!(split_homonym("Ji Liu"), ("Ji Liu", None));
        assert_eq!(split_homonym("Agent 47"), ("Agent 47", None));
    }
}
