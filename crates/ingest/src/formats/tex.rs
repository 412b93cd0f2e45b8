//! TeX to Unicode for BibTeX values: accent commands (`\'e`, `{\"o}`, `\c{c}`, `\v{s}`, `\~{n}`, ...),
//! special letters (`\ss`, `\o`, `\aa`, `\l`, ...), escaped symbols (`\&`, `\%`), text formatting commands
//! (`\emph{..}`, `\textbf{..}`: the command goes, its argument stays), `~` (a space), `--`/`---` (dashes) and
//! ``` ``..'' ``` (quotes). Case-protecting braces are removed. Math (`$..$`, `$$..$$`, `\(..\)`, `\[..\]`)
//! is kept verbatim, and so are commands this decoder does not know (`\ell`, `\iid`), so nothing is lost.
//! Whitespace is collapsed to single spaces.

use unicode_normalization::UnicodeNormalization;

/// Decodes a TeX string to plain Unicode text.
pub fn decode(s: &str) -> String {
    if !s.bytes().any(|b| matches!(b, b'\\' | b'{' | b'}' | b'$' | b'~' | b'-' | b'`' | b'\'')) {
        return squash(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    decode_into(&chars, &mut out, 0);
    squash(&out)
}

pub use arrow_normalize::collapse_whitespace as squash;

fn accent_mark(cmd: &str) -> Option<char> {
    Some(match cmd {
        "'" => '\u{301}',
        "`" => '\u{300}',
        "^" => '\u{302}',
        "\"" => '\u{308}',
        "~" => '\u{303}',
        "=" => '\u{304}',
        "." => '\u{307}',
        "u" => '\u{306}',
        "v" => '\u{30c}',
        "H" => '\u{30b}',
        "c" => '\u{327}',
        "k" => '\u{328}',
        "r" => '\u{30a}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        "t" => '\u{361}',
        _ => return None,
    })
}

fn special(cmd: &str) -> Option<&'static str> {
    Some(match cmd {
        "ss" => "ß",
        "SS" => "SS",
        "o" => "ø",
        "O" => "Ø",
        "aa" => "å",
        "AA" => "Å",
        "ae" => "æ",
        "AE" => "Æ",
        "oe" => "œ",
        "OE" => "Œ",
        "l" => "ł",
        "L" => "Ł",
        "i" => "ı",
        "j" => "ȷ",
        "dh" => "ð",
        "DH" => "Ð",
        "th" => "þ",
        "TH" => "Þ",
        "ng" => "ŋ",
        "NG" => "Ŋ",
        "dj" => "đ",
        "DJ" => "Đ",
        "&" => "&",
        "%" => "%",
        "$" => "$",
        "#" => "#",
        "_" => "_",
        "{" => "{",
        "}" => "}",
        "ldots" | "dots" | "textellipsis" => "…",
        "textendash" => "–",
        "textemdash" => "—",
        "S" => "§",
        "P" => "¶",
        "copyright" | "textcopyright" => "©",
        "textregistered" => "®",
        "texttrademark" => "™",
        "pounds" | "textsterling" => "£",
        "euro" | "texteuro" => "€",
        "textquoteleft" => "‘",
        "textquoteright" => "’",
        "textquotedblleft" => "“",
        "textquotedblright" => "”",
        "guillemotleft" | "guillemetleft" => "«",
        "guillemotright" | "guillemetright" => "»",
        "textdegree" => "°",
        "textasciitilde" => "~",
        "textbackslash" => "\\",
        "textbar" => "|",
        "textless" => "<",
        "textgreater" => ">",
        "textunderscore" => "_",
        " " | "," | ";" | ":" | "quad" | "qquad" | "\\" | "newline" | "par" => " ",
        "-" | "/" | "@" | "relax" | "protect" | "noindent" => "",
        _ => return None,
    })
}

/// Commands that only format their argument or the text after them: the command is dropped.
fn is_formatting(cmd: &str) -> bool {
    matches!(
        cmd,
        "emph"
            | "textbf"
            | "textit"
            | "texttt"
            | "textsc"
            | "textrm"
            | "textsf"
            | "textsl"
            | "textup"
            | "textmd"
            | "textnormal"
            | "mbox"
            | "hbox"
            | "text"
            | "url"
            | "NoCaseChange"
            | "MakeUppercase"
            | "MakeLowercase"
            | "uppercase"
            | "lowercase"
            | "em"
            | "bf"
            | "it"
            | "sc"
            | "rm"
            | "tt"
            | "sl"
            | "sf"
            | "upshape"
            | "itshape"
            | "bfseries"
            | "scshape"
            | "normalfont"
            | "small"
            | "large"
    )
}

/// Finds the index of the `}` closing the `{` at `open`, or `None`.
fn matching_brace(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

fn push_verbatim(out: &mut String, chars: &[char]) {
    out.extend(chars.iter());
}

/// Finds the end (exclusive) of math starting at `i` with opener `open` and closer `close`.
fn math_end(chars: &[char], from: usize, close: &[char]) -> Option<usize> {
    let mut k = from;
    while k + close.len() <= chars.len() {
        if chars[k] == '\\' && close[0] != '\\' {
            k += 2;
            continue;
        }
        if chars[k..k + close.len()] == *close {
            return Some(k + close.len());
        }
        k += 1;
    }
    None
}

fn decode_into(chars: &[char], out: &mut String, depth: usize) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        let c = chars[i];
        match c {
            '$' => {
                let dbl = chars.get(i + 1) == Some(&'$');
                let close: &[char] = if dbl { &['$', '$'] } else { &['$'] };
                let from = i + close.len();
                let end = math_end(chars, from, close).unwrap_or(n);
                push_verbatim(out, &chars[i..end]);
                i = end;
            }
            '\\' => {
                let Some(&next) = chars.get(i + 1) else {
                    i += 1;
                    continue;
                };
                if next == '(' || next == '[' {
                    let close: &[char] = if next == '(' { &['\\', ')'] } else { &['\\', ']'] };
                    let end = math_end(chars, i + 2, close).unwrap_or(n);
                    push_verbatim(out, &chars[i..end]);
                    i = end;
                    continue;
                }
                let (name, mut j, letters): (String, usize, bool) = if next.is_ascii_alphabetic() {
                    let mut j = i + 1;
                    while j < n && chars[j].is_ascii_alphabetic() {
                        j += 1;
                    }
                    (chars[i + 1..j].iter().collect(), j, true)
                } else {
                    (next.to_string(), i + 2, false)
                };
                if let Some(mark) = accent_mark(&name) {
                    // The argument: `{x}`, `{\i}`, `\i`, or one character, after optional spaces.
                    while j < n && chars[j] == ' ' {
                        j += 1;
                    }
                    let (arg, after): (&[char], usize) = match chars.get(j) {
                        Some('{') => match matching_brace(chars, j) {
                            Some(close) => (&chars[j + 1..close], close + 1),
                            None => (&chars[j + 1..], n),
                        },
                        Some('\\') => {
                            let mut k = j + 1;
                            while k < n && chars[k].is_ascii_alphabetic() {
                                k += 1;
                            }
                            (&chars[j..k.max(j + 2).min(n)], k.max(j + 2).min(n))
                        }
                        Some(_) => (&chars[j..j + 1], j + 1),
                        None => (&chars[j..j], j),
                    };
                    let mut base = String::new();
                    if depth < 4 {
                        decode_into(arg, &mut base, depth + 1);
                    } else {
                        push_verbatim(&mut base, arg);
                    }
                    let mut it = base.chars();
                    match it.next() {
                        Some(first) if first.is_alphabetic() => {
                            let first = match first {
                                'ı' => 'i',
                                'ȷ' => 'j',
                                other => other,
                            };
                            let composed: String = [first, mark].iter().collect::<String>().nfc().collect();
                            out.push_str(&composed);
                            out.extend(it);
                        }
                        // An accent on nothing or on a non-letter: the accent is dropped.
                        _ => out.push_str(&base),
                    }
                    i = after;
                    continue;
                }
                if let Some(text) = special(&name) {
                    out.push_str(text);
                } else if is_formatting(&name) {
                    // dropped; the argument's braces are removed as case protection
                } else {
                    push_verbatim(out, &chars[i..j]);
                    i = j;
                    continue;
                }
                if letters {
                    // TeX swallows the spaces after a control word; `{}` after it ends it too.
                    while j < n && chars[j] == ' ' {
                        j += 1;
                    }
                }
                i = j;
            }
            '{' | '}' => i += 1,
            '~' => {
                out.push(' ');
                i += 1;
            }
            '-' if chars.get(i + 1) == Some(&'-') => {
                if chars.get(i + 2) == Some(&'-') {
                    out.push('—');
                    i += 3;
                } else {
                    out.push('–');
                    i += 2;
                }
            }
            '`' if chars.get(i + 1) == Some(&'`') => {
                out.push('“');
                i += 2;
            }
            '\'' if chars.get(i + 1) == Some(&'\'') => {
                out.push('”');
                i += 2;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn accents_in_every_spelling() {
        assert_eq!(decode(r"{\'e}t{\'e} \'{e} \'e"), "été é é");
        assert_eq!(decode(r#"Schr\"{o}dinger {\"o} \"o"#), "Schrödinger ö ö");
        assert_eq!(decode(r"Gar\c{c}on \c c"), "Garçon ç");
        assert_eq!(decode(r"\v{S}koda \v s"), "Škoda š");
        assert_eq!(decode(r"Espa\~{n}a \~n"), "España ñ");
        assert_eq!(decode(r"\`a \^o \=a \.z \u{g} \H{o} \k{a} \r{u} \d{s}"), "à ô ā ż ğ ő ą ů ṣ");
        assert_eq!(decode(r"\'{\i} {\'\i}"), "í í");
    }

    #[test]
    fn special_letters_and_symbols() {
        assert_eq!(decode(r"Stra{\ss}e {\o} {\O} {\aa} {\AA} {\ae} \l{}\'od\'z {\L}"), "Straße ø Ø å Å æ łódź Ł");
        assert_eq!(decode(r"Fish \& Chips 50\% \$5"), "Fish & Chips 50% $5");
        assert_eq!(decode(r"pages 1--2 --- ``quoted''"), "pages 1–2 — “quoted”");
        assert_eq!(decode(r"\emph{Deep} \textbf{Learning} {\em is} Great"), "Deep Learning is Great");
        assert_eq!(decode("a~b"), "a b");
    }

    #[test]
    fn case_braces_go_and_math_stays() {
        assert_eq!(decode(r"{BERT}: Pre-training of {D}eep"), "BERT: Pre-training of Deep");
        assert_eq!(decode(r"The $\ell_{1}$ norm and $$x^{2}$$"), r"The $\ell_{1}$ norm and $$x^{2}$$");
        assert_eq!(decode(r"LSTD(\(\lambda\)) via \ell_1"), r"LSTD(\(\lambda\)) via \ell_1");
        assert_eq!(decode(r#"Nystr\""om"#), "Nystr\"om");
        assert_eq!(decode("  many\n  spaces  "), "many spaces");
        assert_eq!(decode(r"unclosed $x + {y"), r"unclosed $x + {y");
        assert_eq!(decode(r"trailing \"), "trailing");
    }
}
