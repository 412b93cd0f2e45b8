/// Trims and collapses every run of whitespace (any Unicode white space, line breaks included) to one space.
/// Parsers call it on every field of millions of records, most already clean: those are copied as they are.
pub fn collapse_whitespace(s: &str) -> String {
    let t = s.trim();
    let clean = if t.is_ascii() {
        // Branch-free scans (vectorised) for the common case: no control characters, no double spaces.
        !t.bytes().fold(false, |bad, b| bad | (b < 0x20)) && !t.contains("  ")
    } else {
        let mut prev_space = false;
        t.chars().all(|c| {
            let ok = c == ' ' && !prev_space || !c.is_whitespace();
            prev_space = c == ' ';
            ok
        })
    };
    if clean {
        return t.to_string();
    }
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::collapse_whitespace;
    use proptest::prelude::*;

    #[test]
    fn runs_of_any_white_space_become_one_space() {
        assert_eq!(collapse_whitespace("  Data \t Programming\n\n: x "), "Data Programming : x");
        assert_eq!(collapse_whitespace("Ré\u{a0}\u{2003}sum\u{e9}"), "Ré sumé");
        assert_eq!(collapse_whitespace("clean text"), "clean text");
        assert_eq!(collapse_whitespace(" \n "), "");
    }

    proptest! {
        #[test]
        fn idempotent_and_the_same_as_splitting(s in "\\PC*|[ \\t\\n\u{a0}a-c]*") {
            let once = collapse_whitespace(&s);
            prop_assert_eq!(collapse_whitespace(&once), once.clone());
            prop_assert_eq!(once, s.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
}
