use caseless::default_case_fold_str;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// The text in Unicode normal form C ("u" followed by a combining diaeresis becomes "ü"), borrowed when it is
/// already in it.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    if unicode_normalization::is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// Removes combining marks after compatibility decomposition: "Ré" → "Re", "ﬁ" → "fi".
pub fn strip_diacritics(s: &str) -> String {
    s.nfkd().filter(|c| !is_combining_mark(*c)).collect()
}

/// Case- and diacritics-insensitive form used for loose matching ("Ré" and "re" agree). Letters with no
/// decomposition (ø, ł, ß) are folded by case only, except ß which case folding turns into "ss".
pub fn fold(s: &str) -> String {
    // ASCII has no marks and no compatibility forms, and case-folds to its lower case: the common case of
    // titles, venues and names, and several times cheaper than the Unicode path.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    fold_unicode(s)
}

fn fold_unicode(s: &str) -> String {
    let stripped = strip_diacritics(s);
    let folded = default_case_fold_str(&stripped);
    if folded.is_ascii() {
        return folded;
    }
    folded
        .chars()
        .map(|c| match c {
            'ø' => 'o',
            'ł' => 'l',
            'đ' => 'd',
            'ı' => 'i',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_marks() {
        assert_eq!(fold("Christopher Ré"), "christopher re");
        assert_eq!(fold("Łukasz Kaiser"), "lukasz kaiser");
        assert_eq!(fold("Søren"), "soren");
        assert_eq!(fold("ﬁt"), "fit");
    }

    #[test]
    fn the_ascii_shortcut_agrees_with_the_unicode_path() {
        let every: String = (0u8..128).map(char::from).collect();
        assert_eq!(fold(&every), fold_unicode(&every));
    }

    #[test]
    fn fold_is_idempotent_on_samples() {
        for s in ["Ré", "ÅNGSTRÖM", "Plain ASCII, Title: 2020!", "Straße", "İstanbul", "Ǆ", "日本語"] {
            let once = fold(s);
            assert_eq!(fold(&once), once, "{s}");
        }
    }
}
