//! Parsing personal names into the parts disambiguation compares: folded surname, given-name tokens (full or
//! initial) and DBLP's homonym number.

use arrow_normalize::{fold, split_homonym};

/// Surname particles that belong to the surname but are ignored for blocking ("Wil van der Aalst" → "aalst").
pub(crate) const PARTICLES: &[&str] = &[
    "van", "von", "der", "den", "de", "del", "della", "dela", "des", "di", "da", "dos", "das", "du", "le", "la", "ter",
    "ten", "zu", "zur", "vom", "af", "av", "st", "st.", "mac", "bin", "ibn", "al", "el", "y",
];

/// Generational suffixes dropped from the end of a name.
const SUFFIXES: &[&str] = &["jr", "jr.", "sr", "sr.", "ii", "iii", "iv"];

/// The generational suffix a name ends with, as a small code (0: none; "jr" and "jr." are one): used where the run
/// shows that the suffix tells two people of one name apart (see `Prepared::generation`).
pub(crate) fn generation(raw: &str) -> u8 {
    let folded = fold_name(split_homonym(raw).0);
    let last = folded.split([' ', ',']).rfind(|w| !w.is_empty()).unwrap_or("");
    match last.trim_end_matches('.') {
        "jr" => 1,
        "sr" => 2,
        "ii" => 3,
        "iii" => 4,
        "iv" => 5,
        _ => 0,
    }
}

/// One given-name token: folded text, and whether only its initial was written.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Given {
    pub text: String,
    pub initial: bool,
}

/// A name split into its comparable parts.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct ParsedName {
    /// Folded last surname word, without particles ("aalst").
    pub surname: String,
    pub given: Vec<Given>,
    /// DBLP homonym number ("0002" → 2).
    pub homonym: Option<u16>,
    /// A hyphenated double surname whole, folded ("hasegawa-johnson"): a name without its first part is another
    /// family's ("Mark Johnson"), unless it writes the part with a space ("Luis Espinosa Anke" for "Luis
    /// Espinosa-Anke"); and name rarity judges the whole.
    pub double: Option<String>,
}

/// Transliterates a name to lower-case ASCII-ish text: diacritics removed, case folded, a few ligatures expanded.
pub(crate) fn fold_name(s: &str) -> String {
    let f = fold(s);
    if f.is_ascii() {
        return f;
    }
    let mut out = String::with_capacity(f.len());
    for c in f.chars() {
        match c {
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'þ' => out.push_str("th"),
            'ð' => out.push('d'),
            'ħ' => out.push('h'),
            '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' => out.push('-'),
            '\u{2019}' | '`' | '\u{b4}' => out.push('\''),
            other => out.push(other),
        }
    }
    out
}

impl ParsedName {
    pub(crate) fn parse(raw: &str) -> ParsedName {
        let (head, num) = split_homonym(raw);
        let homonym = num.and_then(|n| n.parse::<u16>().ok());
        let folded = fold_name(head);
        // "Surname, Given" form.
        let ordered = match folded.split_once(',') {
            Some((last, first)) if !first.trim().is_empty() && !SUFFIXES.contains(&first.trim()) => {
                format!("{} {}", first.trim(), last.trim())
            }
            _ => folded,
        };
        let mut words: Vec<&str> = ordered.split_whitespace().collect();
        while words.len() > 1 && SUFFIXES.contains(&words[words.len() - 1].trim_end_matches(',')) {
            words.pop();
        }
        let words: Vec<String> =
            words.iter().map(|w| w.trim_matches(',').to_string()).filter(|w| !w.is_empty()).collect();
        if words.is_empty() {
            return ParsedName { surname: String::new(), given: Vec::new(), homonym, double: None };
        }
        let (surname, double) = surname_word(&words[words.len() - 1]);
        // Particles directly before the surname belong to it; they are dropped from the given names.
        let mut end = words.len() - 1;
        while end > 1 && PARTICLES.contains(&words[end - 1].as_str()) {
            end -= 1;
        }
        let mut given = Vec::new();
        for w in &words[..end] {
            push_given(w, &mut given);
        }
        ParsedName { surname, given, homonym, double }
    }

    /// The surname that name rarity judges: a double surname whole ("hasegawa-johnson"), else [`Self::surname`].
    pub(crate) fn family(&self) -> &str {
        self.double.as_deref().unwrap_or(&self.surname)
    }

    /// A double surname's first part ("hasegawa").
    fn before(&self) -> Option<&str> {
        self.double.as_deref().and_then(|d| d.strip_suffix(self.surname.as_str())?.strip_suffix('-'))
    }

    /// First letter of the first given name, if any.
    pub(crate) fn first_initial(&self) -> Option<char> {
        self.given.first().and_then(|g| g.text.chars().next())
    }

    /// "surname_initial" — the block key. A nickname of another initial is blocked under its formal name's
    /// ("Bill Byrne" beside "William Byrne").
    pub(crate) fn block_key(&self) -> String {
        let mut k = self.surname.clone();
        k.push('_');
        let formal = self.given.first().filter(|g| !g.initial).and_then(|g| formal_initial(&g.text));
        if let Some(c) = formal.or_else(|| self.first_initial()) {
            k.push(c);
        }
        k
    }
}

/// The surname of a name's last word: of a double surname ("Espinosa-Anke", "Miceli-Barone"), its last part,
/// the part that sources writing it with a space ("Espinosa Anke") put last too; and the double surname whole
/// ("espinosa-anke"), if any.
fn surname_word(w: &str) -> (String, Option<String>) {
    match w.rsplit_once('-') {
        Some((first, last)) if clean_word(last).chars().count() > 1 => {
            let (first, last) = (clean_word(first), clean_word(last));
            let double = (!first.is_empty()).then(|| format!("{first}-{last}"));
            (last, double)
        }
        _ => (clean_word(w), None),
    }
}

/// Whether `b` writes the first part of `a`'s double surname, hyphenated or with a space.
fn keeps_double_surname(a: &ParsedName, b: &ParsedName) -> bool {
    a.before().is_none_or(|d| b.before() == Some(d) || b.given.iter().any(|g| !g.initial && g.text == d))
}

fn clean_word(w: &str) -> String {
    w.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Splits one given-name word into tokens. "f." → initial f; "j.-p." → initials j, p; "xiao-ming" → one full
/// token "xiaoming" (hyphenated Chinese given names are one name); "m.f." → initials m, f.
fn push_given(w: &str, out: &mut Vec<Given>) {
    let pieces: Vec<&str> = w.split('.').filter(|p| !p.is_empty()).collect();
    for piece in pieces {
        let parts: Vec<String> = piece.split('-').map(clean_word).filter(|p| !p.is_empty()).collect();
        if parts.is_empty() {
            continue;
        }
        if parts.iter().all(|p| p.chars().count() == 1) {
            for p in parts {
                out.push(Given { text: p, initial: true });
            }
        } else {
            let text: String = parts.concat();
            let initial = text.chars().count() == 1;
            out.push(Given { text, initial });
        }
    }
}

/// How well two names agree, from best to worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameMatch {
    /// Same given names, written in full.
    Exact,
    /// Same full first name; middle names missing on one side or written as a matching initial.
    FullCompatible,
    /// At least one side gives only initials; all given initials agree.
    InitialCompatible,
    /// A common nickname and its formal first name ("Chris", "Christopher"), the rest agreeing: never compared as a
    /// pair (most such pairs are two people), but clusters of the two may be joined by their papers.
    Nickname,
    /// Different surname, first name, or middle names.
    Conflict,
}

fn token_compatible(a: &Given, b: &Given) -> bool {
    if a.initial || b.initial {
        // "W." may stand for "Bill" (William) as it does for "William".
        let (initial, other) = if a.initial { (a, b) } else { (b, a) };
        let c = initial.text.chars().next();
        c == other.text.chars().next() || (!other.initial && c.is_some() && formal_initial(&other.text) == c)
    } else {
        a.text == b.text || nicknames(&a.text, &b.text)
    }
}

/// `nicknames.txt` as (nickname, formal name) pairs.
fn nickname_pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    let lines = include_str!("nicknames.txt").lines().filter(|l| !l.starts_with('#'));
    lines.flat_map(|l| {
        let mut words = l.split_whitespace();
        let nick = words.next().unwrap_or_default();
        words.map(move |formal| (nick, formal))
    })
}

/// Whether one first name is a nickname of the other ("chris", "christopher"), by `nicknames.txt`.
pub(crate) fn nicknames(a: &str, b: &str) -> bool {
    static TABLE: std::sync::OnceLock<std::collections::HashSet<(&'static str, &'static str)>> =
        std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| nickname_pairs().collect());
    table.contains(&(a, b)) || table.contains(&(b, a))
}

/// The initial of the formal name a nickname of another initial stands for ('w' for "bill"): the name is blocked
/// under it, beside the formal name.
pub(crate) fn formal_initial(nick: &str) -> Option<char> {
    static TABLE: std::sync::OnceLock<std::collections::HashMap<&'static str, char>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        nickname_pairs()
            .filter_map(|(nick, formal)| {
                let c = formal.chars().next()?;
                (!nick.starts_with(c)).then_some((nick, c))
            })
            .collect()
    });
    table.get(nick).copied()
}

pub(crate) fn name_match(a: &ParsedName, b: &ParsedName) -> NameMatch {
    if a.surname != b.surname || !keeps_double_surname(a, b) || !keeps_double_surname(b, a) {
        return NameMatch::Conflict;
    }
    if a.given.is_empty() || b.given.is_empty() {
        return NameMatch::InitialCompatible;
    }
    let all_full = |n: &ParsedName| n.given.iter().all(|g| !g.initial);
    if all_full(a) && all_full(b) {
        let ca: String = a.given.iter().map(|g| g.text.as_str()).collect();
        let cb: String = b.given.iter().map(|g| g.text.as_str()).collect();
        if ca == cb {
            // "Xiao Ming" and "Xiaoming" are the same given name.
            return NameMatch::Exact;
        }
    }
    if !token_compatible(&a.given[0], &b.given[0]) {
        return NameMatch::Conflict;
    }
    // Middle tokens: compare where both sides have them.
    for (x, y) in a.given.iter().zip(b.given.iter()).skip(1) {
        if !token_compatible(x, y) {
            return NameMatch::Conflict;
        }
    }
    if a.given[0].text != b.given[0].text && !a.given[0].initial && !b.given[0].initial {
        NameMatch::Nickname
    } else if a.given[0].initial || b.given[0].initial {
        NameMatch::InitialCompatible
    } else {
        NameMatch::FullCompatible
    }
}

/// Names that share no whole word (surname or full given name, case and diacritics folded): under no
/// reading one person's. A source id (ORCID, …) is strong evidence but not blind: it is not followed between
/// such names, and the explanation says so. Sharing a word is enough to be followed, so a married name
/// ("Jane Smith", "Jane Doe"), a family-name-first order and a DBLP alias ("Vint Cerf", "Vinton G. Cerf") still
/// link through their id.
pub fn clearly_different_names(a: &str, b: &str) -> bool {
    clearly_different(&ParsedName::parse(a), &ParsedName::parse(b))
}

/// Whether two names are one name written otherwise: the same words once case, diacritics, the dots of initials
/// and a DBLP homonym number are set aside ("John McCarthy 0001" and "john mccarthy"; "Y Zhang" and "Y. Zhang").
/// Unlike the name rules, it drops nothing else: "J. McCarthy", "John McCarthy III" (a generational suffix
/// mostly marks another person) and "Peter Van Roy" are other names than "John McCarthy" and "Peter Roy".
pub fn same_name(a: &str, b: &str) -> bool {
    let a = plain_words(a);
    !a.is_empty() && a == plain_words(b)
}

fn plain_words(raw: &str) -> Vec<String> {
    let folded = fold_name(split_homonym(raw).0);
    let words: Vec<&str> = folded.split_whitespace().map(|w| w.trim_matches(',')).filter(|w| !w.is_empty()).collect();
    words.iter().map(|w| if w.chars().count() == 2 { w.trim_end_matches('.') } else { w }.to_string()).collect()
}

/// Whether a written word is a surname particle ("van", "De", "al"): it belongs to the surname after it.
pub fn is_particle(word: &str) -> bool {
    PARTICLES.contains(&fold_name(word).trim())
}

pub(crate) fn clearly_different(a: &ParsedName, b: &ParsedName) -> bool {
    let words = |n: &ParsedName| -> Vec<String> {
        let given = n.given.iter().filter(|g| !g.initial).map(|g| g.text.clone());
        std::iter::once(n.surname.clone()).chain(given).filter(|w| w.chars().count() > 1).collect()
    };
    let (a, b) = (words(a), words(b));
    !a.is_empty() && !b.is_empty() && !a.iter().any(|w| b.contains(w))
}

#[cfg(test)]
mod tests {

    #[test]
    fn one_name_written_otherwise() {
        assert!(same_name("John McCarthy 0001", "john mccarthy"));
        assert!(!same_name("John McCarthy III", "John McCarthy"), "a generational suffix mostly marks another person");
        assert!(same_name("Y Zhang", "Y. Zhang"));
        assert!(same_name("Jan Hajič", "JAN HAJIC"));
        assert!(!same_name("J. McCarthy", "John McCarthy"));
        assert!(!same_name("Peter Van Roy", "Peter Roy"));
        assert!(!same_name("Jo Smith", "J. Smith"));
        assert!(!same_name("", ""));
    }

    use super::*;

    #[test]
    fn parses_initials_particles_and_numbers() {
        let n = ParsedName::parse("Wil M. P. van der Aalst");
        assert_eq!(n.surname, "aalst");
        assert_eq!(n.given.len(), 3);
        assert!(n.given[1].initial && n.given[2].initial);
        let n = ParsedName::parse("Ji Liu 0002");
        assert_eq!((n.surname.as_str(), n.homonym), ("liu", Some(2)));
        let n = ParsedName::parse("Xiao-Ming Wang");
        assert_eq!(n.given, vec![Given { text: "xiaoming".into(), initial: false }]);
        let n = ParsedName::parse("J.-P. Sartre");
        assert_eq!(n.given.len(), 2);
        let n = ParsedName::parse("Chen, Mayee F.");
        assert_eq!(n.block_key(), "chen_m");
    }

    #[test]
    fn names_an_id_may_not_join() {
        assert!(clearly_different_names("Wei Wang", "John Smith"));
        assert!(clearly_different_names("J. Smith", "K. Jones"));
        for (a, b) in [
            ("Jan HAJIC", "Jan Hajič"),
            ("Vint Cerf", "Vinton G. Cerf"),
            ("Jane Smith", "Jane Doe"),
            ("Wang Wei", "Wei Wang"),
            ("Joaquín Peña", "Joaquín Peña Siles"),
            ("J. Smith", "John Smith"),
        ] {
            assert!(!clearly_different_names(a, b), "{a} / {b}");
        }
    }

    #[test]
    fn a_double_surname_meets_its_spaced_spelling() {
        let (a, b) = (ParsedName::parse("Luis Espinosa-Anke"), ParsedName::parse("Luis Espinosa Anke"));
        assert_eq!(a.block_key(), b.block_key());
        assert_eq!(name_match(&a, &b), NameMatch::FullCompatible);
        // A one-letter last part is not a surname of its own.
        assert_eq!(ParsedName::parse("Tao Li-X").surname, "lix");
        assert_eq!(ParsedName::parse("Tao Li-X").double, None);
    }

    #[test]
    fn a_common_nickname_is_its_formal_name_for_clusters() {
        let p = ParsedName::parse;
        assert_eq!(name_match(&p("Chris Manning"), &p("Christopher D. Manning")), NameMatch::Nickname);
        assert_eq!(name_match(&p("Ed Hovy"), &p("Eduard H. Hovy")), NameMatch::Nickname);
        assert_eq!(name_match(&p("Kathleen R. McKeown"), &p("Kathy McKeown")), NameMatch::Nickname);
        assert_eq!(name_match(&p("C. Manning"), &p("Chris Manning")), NameMatch::InitialCompatible);
        // Not any name beginning alike, and middle names still count.
        assert_eq!(name_match(&p("Mike Smith"), &p("Michelle Smith")), NameMatch::Conflict);
        assert_eq!(name_match(&p("Chris A. Smith"), &p("Christopher B. Smith")), NameMatch::Conflict);
        assert_eq!(name_match(&p("Kathy Smith"), &p("Katrin Smith")), NameMatch::Conflict);
    }

    #[test]
    fn a_nickname_of_another_initial_is_blocked_beside_its_formal_name() {
        let p = ParsedName::parse;
        assert_eq!(p("Bill Dolan").block_key(), "dolan_w");
        assert_eq!(p("Bill Dolan").block_key(), p("William B. Dolan").block_key());
        assert_eq!(p("Dick Crouch").block_key(), p("Richard Crouch").block_key());
        assert_eq!(name_match(&p("Bill Dolan"), &p("William B. Dolan")), NameMatch::Nickname);
        assert_eq!(name_match(&p("W. B. Dolan"), &p("Bill Dolan")), NameMatch::InitialCompatible);
        // The initial written is the name's own, and other names keep theirs.
        assert_eq!(p("B. Dolan").block_key(), "dolan_b");
        assert_eq!(p("Billy-Bob Dolan").block_key(), "dolan_b");
        assert_eq!(p("Ted Pedersen").block_key(), "pedersen_t", "Ted may be Theodore or Edward");
        assert_eq!(name_match(&p("W. Dolan"), &p("Wendy Dolan")), NameMatch::InitialCompatible);
        assert_eq!(name_match(&p("R. Crouch"), &p("Bill Crouch")), NameMatch::Conflict);
    }

    #[test]
    fn a_double_surname_is_not_its_last_part_alone() {
        let p = ParsedName::parse;
        // One block, so a person's spellings meet; but "Mark Johnson" is another family's name.
        assert_eq!(p("Mark Hasegawa-Johnson").block_key(), p("Mark Johnson").block_key());
        assert_eq!(name_match(&p("Mark Hasegawa-Johnson"), &p("Mark Johnson")), NameMatch::Conflict);
        assert_eq!(name_match(&p("Noah A. Smith"), &p("Noah Torp-Smith")), NameMatch::Conflict);
        assert_eq!(name_match(&p("M. Hasegawa-Johnson"), &p("Mark Hasegawa-Johnson")), NameMatch::InitialCompatible);
        assert_eq!(name_match(&p("Carlos Gómez-Rodríguez"), &p("Carlos Gomez-Rodriguez")), NameMatch::Exact);
        assert_eq!(name_match(&p("Carlos Gómez-Rodríguez"), &p("Carlos Rodríguez")), NameMatch::Conflict);
        assert_eq!(p("Mark Hasegawa-Johnson").family(), "hasegawa-johnson");
        assert_eq!(p("Mark Johnson").family(), "johnson");
    }

    #[test]
    fn name_levels() {
        let p = ParsedName::parse;
        assert_eq!(name_match(&p("Mayee Chen"), &p("Mayee Chen")), NameMatch::Exact);
        assert_eq!(name_match(&p("Xiao-Ming Wang"), &p("Xiaoming Wang")), NameMatch::Exact);
        assert_eq!(name_match(&p("Mayee F. Chen"), &p("Mayee Chen")), NameMatch::FullCompatible);
        assert_eq!(name_match(&p("M. Chen"), &p("Mayee Chen")), NameMatch::InitialCompatible);
        assert_eq!(name_match(&p("Ming Chen"), &p("Mayee Chen")), NameMatch::Conflict);
        assert_eq!(name_match(&p("Mayee F. Chen"), &p("Mayee G. Chen")), NameMatch::Conflict);
    }
}
