//! Name rarity as evidence. Mentions that share no coauthor, venue or title word are never compared by the
//! pair model, so a person who changed topic and coauthors ends up as several clusters. When the full name
//! is rare, that is wrong: two "Jan Hajič" are very likely one person. Here clusters of one block that share
//! a rare full name (first given name written out, and surname) are joined, unless a hard constraint keeps
//! them apart (different source ids or homonym numbers, a shared work, conflicting names), or two sizable
//! clusters work in different fields (see [`FIELD_VETO_PAPERS`]).
//!
//! Rarity is estimated from the run's own names: a surname written with few distinct first names (at most
//! [`RARE_SURNAME_GIVEN_NAMES`]) is taken to denote few people, so its full names are rare. "Wang", "Smith"
//! and "Schmidt" come with hundreds of first names and are never joined on the name alone; "Hajič" comes
//! with one or two. A full name of a common surname is rare too when its first name is rare beside it: if
//! first names and surnames combined at random, (surnames of the first name) × (first names of the surname)
//! / (full names) other people would share it; at most [`RARE_EXPECTED_OTHERS`] makes it rare ("Lenhart
//! Schubert", "Christopher Manning", not "Wei Wang" or "Ying Zhang"). A name that a source numbers as a
//! homonym anywhere in the run ("Ce Zhang 0001") is never rare. A middle name or initial divides the
//! expectation by [`MIDDLE_SPLIT`], under a key that keeps the middle initial ("Noah A. Smith"). A name written
//! with two initials or more and no first name ("C. A. R. Hoare", "E. F. Codd") is judged the same way, its
//! initials standing for the first name among the names written with initials only (see [`Initials`]). Of a
//! surname with few first names, a first name that begins exactly one other, longer one ("Dan", "Daniel") is
//! taken as its short form, so both are one rare full name (see [`short_forms`]).

use crate::cluster::Clus;
use crate::name::ParsedName;
use crate::prepare::Prepared;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// Most distinct first names a surname may have for its full names to count as rare.
pub const RARE_SURNAME_GIVEN_NAMES: usize = 3;
/// Papers with a field each of two clusters needs before different fields keep a rare name apart (their field
/// shares overlapping by less than [`crate::fields::VETO_OVERLAP`]: "Andrew W. Moore" of machine learning and of
/// networking; "Bart Jacobs" of coalgebra and of program verification). Fewer papers say too little about a field:
/// one person's few papers may sit anywhere. At 7 the ACL variants lost 0.002 of B-cubed F1 (ACL venues are single
/// editions, their fields are narrow).
pub const FIELD_VETO_PAPERS: u64 = 10;
/// Fewest other people expected to share a rare full name for different fields to keep its clusters apart. A
/// name rarer than this ("Donald E. Knuth", "Edsger W. Dijkstra", "Moshe Y. Vardi") is one person, or nearly,
/// whatever venues the clusters chose: one person's typesetting, algorithms and columns sit in different fields.
/// Most names rare by their surname alone (at most three first names) fall under it too, so the veto mostly
/// guards rare first names of common surnames; on the DBLP and ACL development sets that cost nothing.
pub const FIELD_VETO_EXPECTED: f64 = 0.002;
/// Fewest distinct surnames a run must have for its counts to say anything about rarity: in a small corpus
/// (a lab's BibTeX file) every surname looks rare, and homonyms would be joined on the name alone.
pub const MIN_SURNAMES: usize = 1000;

/// What the run's names say about rarity: distinct written-out first names per surname, and per (surname,
/// first initial) the one written-out first name, if only one is ever written (so "J. Hajič" can only be "Jan
/// Hajič"). Empty (nothing is rare) when the run has fewer than [`MIN_SURNAMES`] surnames.
#[derive(Default)]
pub(crate) struct Rarity {
    per_surname: HashMap<String, usize>,
    /// Distinct surnames each written-out first name comes with.
    per_given: HashMap<String, usize>,
    /// Distinct (first name, surname) pairs: a stand-in for the number of people.
    full_names: usize,
    only_given: HashMap<(String, char), String>,
    /// Per (surname, first name), of a surname with few first names, the longer first name it is a short form of
    /// ("dan" of "daniel"; see [`short_forms`]).
    short_for: HashMap<(String, String), String>,
    /// Full names written with a homonym number somewhere in the run ("Ce Zhang 0001"): a source that
    /// numbers its homonyms has said the name is shared, so it is never rare.
    numbered: HashSet<(String, String)>,
    /// Names written with initials only, counted like full names (see [`Initials`]).
    initials: Initials,
}

/// Names written with initials only ("C. A. R. Hoare"), for the same random-pairing estimate as full names, with
/// the initials in place of the first name: (surnames written with these initials) × (initials written with the
/// surname) / (distinct initials and surname pairs). Only names of two initials or more are judged by it: one
/// initial stands for too many first names ("J. Smith").
#[derive(Default)]
struct Initials {
    per_initials: HashMap<String, usize>,
    per_surname: HashMap<String, usize>,
    pairs: usize,
}

/// Fewest initials a name written with initials only needs to be judged rare by them.
pub const RARE_MIN_INITIALS: usize = 2;

/// Most other people a full name may be expected to denote for it to count as rare, where first names and
/// surnames combine at random: (surnames of its first name) × (first names of its surname) / (full names).
/// "Lenhart Schubert" and "Christopher Manning" expect far under one other person; "Wei Wang" several.
pub const RARE_EXPECTED_OTHERS: f64 = 0.01;
/// How many ways a middle initial splits the people of one first name and surname, roughly.
pub const MIDDLE_SPLIT: f64 = 10.0;

/// Totals over all of a run's (or a store's) names that a full name's rarity is judged against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameTotals {
    /// Distinct (written-out first name, surname) pairs: a stand-in for the number of people.
    pub full_names: usize,
    /// Distinct surnames written with a full first name.
    pub surnames: usize,
    /// Distinct (initials, surname) pairs of names written with initials only (0 in totals saved before they
    /// were counted: no name is then rare by its initials).
    #[serde(default)]
    pub initials: usize,
}

/// How the rarity rule judges one written name, with the counts it used (shown in explanations).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NameRarity {
    pub name: String,
    /// Distinct written-out first names its surname comes with.
    pub surname_first_names: usize,
    /// Distinct surnames its first name comes with (0 for initials only).
    pub first_name_surnames: usize,
    /// Other people expected to share the full name if first names and surnames combined at random; `None` when
    /// the surname alone settles it.
    pub expected_others: Option<f64>,
    /// The full name mentions of it are joined on, when it is rare.
    pub rare_as: Option<String>,
    /// The rule's verdict, in words.
    pub reason: String,
    /// The longer first name this name's first name is taken as short for ("daniel" for "Dan Jurafsky").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub short_for: Option<String>,
}

/// Distinct surnames and full names among `names` (for [`name_rarity`]'s totals).
pub fn name_totals<'a>(names: impl Iterator<Item = &'a str>) -> NameTotals {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut surnames: HashSet<String> = HashSet::new();
    let mut initials: HashSet<(String, String)> = HashSet::new();
    for raw in names {
        let n = ParsedName::parse(raw);
        if let Some(g) = full_first(&n) {
            surnames.insert(n.family().to_string());
            seen.insert((g.to_string(), n.family().to_string()));
        } else if let Some(i) = initials_of(&n) {
            initials.insert((i, n.family().to_string()));
        }
    }
    NameTotals { full_names: seen.len(), surnames: surnames.len(), initials: initials.len() }
}

/// How the rarity rule judges `name`, from the other names written with its surname or its first name
/// (`neighbours`; any others are ignored) and the totals over all names. A run judges per batch of mentions, so
/// a close call may go the other way there.
pub fn name_rarity<'a>(name: &str, neighbours: impl Iterator<Item = &'a str>, totals: NameTotals) -> NameRarity {
    let n = ParsedName::parse(name);
    let mut names: Vec<&str> = neighbours.collect();
    names.push(name);
    let rarity = Rarity::judging(names.into_iter(), totals);
    let a = if totals.surnames < MIN_SURNAMES {
        Assessment {
            reason: format!(
                "too few names to judge rarity ({} surnames, under {MIN_SURNAMES}): no name is joined on rarity",
                totals.surnames
            ),
            ..Assessment::default()
        }
    } else {
        rarity.assess(&n)
    };
    NameRarity {
        name: name.to_string(),
        surname_first_names: a.surname_first_names,
        first_name_surnames: a.first_name_surnames,
        expected_others: a.expected,
        rare_as: a.key.as_ref().map(|(g, s)| format!("{g} {s}")),
        short_for: a.short_for.clone(),
        reason: match &a.key {
            Some(_) if a.key_expected < FIELD_VETO_EXPECTED => format!(
                "{}; very rare (under {FIELD_VETO_EXPECTED} others expected), so clusters in different fields join too",
                a.reason
            ),
            Some(_) => format!(
                "{}, unless two clusters of {FIELD_VETO_PAPERS} or more papers each work in different fields",
                a.reason
            ),
            None => a.reason,
        },
    }
}

/// The rarity rule outside a run: names judged against the counts of their neighbours (the other names written
/// with their surnames or first names) and the totals over all names, as [`name_rarity`] does, for many names at
/// once. Incremental assignment uses it to join a new mention of a rare name to the person holding that name.
pub struct RareNames {
    rarity: Rarity,
}

impl RareNames {
    /// Counts `neighbours` (they should include the names to be judged).
    pub fn new<'a>(neighbours: impl Iterator<Item = &'a str>, totals: NameTotals) -> RareNames {
        let rarity =
            if totals.surnames < MIN_SURNAMES { Rarity::default() } else { Rarity::judging(neighbours, totals) };
        RareNames { rarity }
    }

    /// The rare full name `name` stands for ("jan hajic" for "J. Hajič"), or `None` when it is not rare.
    pub fn key(&self, name: &str) -> Option<String> {
        self.rarity.key_expected(&ParsedName::parse(name)).map(|((g, s), _)| format!("{g} {s}"))
    }
}

impl Rarity {
    /// The counts over `names`, with the totals of all names in place of theirs.
    fn judging<'b>(names: impl Iterator<Item = &'b str>, totals: NameTotals) -> Rarity {
        let parsed: Vec<ParsedName> = names.map(ParsedName::parse).collect();
        let mut rarity = Rarity::counted(parsed.iter());
        rarity.full_names = totals.full_names;
        rarity.initials.pairs = totals.initials;
        rarity
    }
}

/// The rule's verdict on one name, with its counts.
#[derive(Default)]
struct Assessment {
    key: Option<(String, String)>,
    surname_first_names: usize,
    first_name_surnames: usize,
    expected: Option<f64>,
    /// Other people expected to share the key's name (whichever rule made it rare).
    key_expected: f64,
    reason: String,
    /// The long first name the name's short one stands for.
    short_for: Option<String>,
}

impl Rarity {
    pub(crate) fn of(ctx: &Prepared) -> Rarity {
        let rarity = Rarity::counted(ctx.names.iter());
        if rarity.per_surname.len() < MIN_SURNAMES {
            return Rarity::default();
        }
        rarity
    }

    /// The counts over `names`, whatever their number.
    fn counted<'a>(names: impl Iterator<Item = &'a ParsedName>) -> Rarity {
        let names: Vec<&ParsedName> = names.collect();
        let mut seen: HashMap<&str, HashSet<&str>> = HashMap::new();
        for n in &names {
            if let Some(g) = full_first(n) {
                seen.entry(n.family()).or_default().insert(g);
            }
        }
        let mut short_for: HashMap<(String, String), String> = HashMap::new();
        for (s, given) in &seen {
            if given.len() <= RARE_SURNAME_GIVEN_NAMES {
                for (short, long) in short_forms(given) {
                    short_for.insert((s.to_string(), short.to_string()), long.to_string());
                }
            }
        }
        let mut by_initial: HashMap<(String, char), Vec<&str>> = HashMap::new();
        for (s, given) in &seen {
            for g in given {
                // A short form stands for its long one: "D." of "Dan" and "Daniel" is still one first name.
                if short_for.contains_key(&(s.to_string(), g.to_string())) {
                    continue;
                }
                if let Some(c) = g.chars().next() {
                    by_initial.entry((s.to_string(), c)).or_default().push(g);
                }
            }
        }
        // Under the key the name is judged by: a short first name's numbers count for its long one.
        let numbered = names
            .iter()
            .filter(|n| n.homonym.is_some())
            .filter_map(|n| {
                let g = match full_first(n) {
                    Some(g) => {
                        Some(short_for.get(&(n.family().to_string(), g.to_string())).map_or(g, |l| l).to_string())
                    }
                    None => initials_of(n).map(|i| initials_key(&i)),
                };
                g.map(|g| (g, n.family().to_string()))
            })
            .collect();
        let mut initials: HashSet<(String, &str)> = HashSet::new();
        for n in &names {
            if let Some(i) = initials_of(n) {
                initials.insert((i, n.family()));
            }
        }
        let mut per_initials: HashMap<String, usize> = HashMap::new();
        let mut per_surname_initials: HashMap<String, usize> = HashMap::new();
        for (i, s) in &initials {
            *per_initials.entry(i.clone()).or_default() += 1;
            *per_surname_initials.entry(s.to_string()).or_default() += 1;
        }
        let mut per_given: HashMap<String, usize> = HashMap::new();
        for given in seen.values() {
            for g in given {
                *per_given.entry(g.to_string()).or_default() += 1;
            }
        }
        Rarity {
            numbered,
            initials: Initials { per_initials, per_surname: per_surname_initials, pairs: initials.len() },
            full_names: seen.values().map(HashSet::len).sum(),
            per_given,
            per_surname: seen.iter().map(|(s, g)| (s.to_string(), g.len())).collect(),
            short_for,
            only_given: by_initial
                .into_iter()
                .filter(|(_, g)| g.len() == 1)
                .map(|(k, g)| (k, g[0].to_string()))
                .collect(),
        }
    }

    /// The rare full name a parsed name stands for (its own, or for initials the one full first name its surname
    /// and initial are ever written with), with how many other people are expected to share it.
    fn key_expected(&self, n: &ParsedName) -> Option<((String, String), f64)> {
        let a = self.assess(n);
        a.key.map(|k| (k, a.key_expected))
    }

    /// Other people expected to share a first name and surname, were they combined at random.
    fn expected(&self, given: &str, surname: &str) -> f64 {
        let given_surnames = self.per_given.get(given).copied().unwrap_or(1);
        let surname_given = self.per_surname.get(surname).copied().unwrap_or(1);
        (given_surnames * surname_given) as f64 / self.full_names.max(1) as f64
    }

    fn assess(&self, n: &ParsedName) -> Assessment {
        let mut a = self.assess_unnumbered(n);
        if let Some(key) = a.key.take_if(|key| self.numbered.contains(key)) {
            a.reason = format!(
                "{} {} is numbered as a homonym somewhere (\"{} {} 0001\"): never rare",
                key.0, key.1, key.0, key.1
            );
        }
        a
    }

    fn assess_unnumbered(&self, n: &ParsedName) -> Assessment {
        let Some(&surname_given) = self.per_surname.get(n.family()) else {
            let mut a = Assessment::default();
            if !self.by_initials(n, &mut a) {
                a.reason = "its surname is never written with a full first name".into();
            }
            return a;
        };
        let mut a = Assessment { surname_first_names: surname_given, ..Default::default() };
        if surname_given > RARE_SURNAME_GIVEN_NAMES {
            // A common surname: rare only with a first name that is rare beside it.
            let Some(g) = full_first(n) else {
                if !self.by_initials(n, &mut a) {
                    a.reason =
                        format!("initials only, and the surname comes with {surname_given} first names: not rare");
                }
                return a;
            };
            let Some(&given_surnames) = self.per_given.get(g) else { return a };
            a.first_name_surnames = given_surnames;
            let expected = self.expected(g, n.family());
            a.expected = Some(expected);
            if expected <= RARE_EXPECTED_OTHERS {
                a.key = Some((g.to_string(), n.family().to_string()));
                a.key_expected = expected;
                a.reason = format!(
                    "rare: {expected:.4} other people would share it were first names and surnames paired at random \
                     (at most {RARE_EXPECTED_OTHERS}), so \
                     mentions of it with nothing against them are joined"
                );
                return a;
            }
            // A middle name or initial splits the name's people further; the key keeps it, so "Noah A. Smith"
            // joins only "Noah A. Smith".
            let middle = n.given.get(1).and_then(|m| m.text.chars().next());
            if let Some(middle) = middle.filter(|_| expected / MIDDLE_SPLIT <= RARE_EXPECTED_OTHERS) {
                a.key = Some((format!("{g} {middle}"), n.family().to_string()));
                a.key_expected = expected / MIDDLE_SPLIT;
                a.reason = format!(
                    "rare with its middle initial: {:.4} other people would share it were names paired at random \
                     (at most {RARE_EXPECTED_OTHERS})",
                    expected / MIDDLE_SPLIT
                );
                return a;
            }
            a.reason = format!(
                "common: {} other people would share it were first names and surnames paired at random \
                 (rare at most {RARE_EXPECTED_OTHERS}; names of one culture pair far more often); \
                 mentions need evidence to be joined",
                figure(expected)
            );
            return a;
        }
        let mut short = None;
        let given = match full_first(n) {
            Some(g) => match self.long_form(n) {
                Some(long) => {
                    short = Some(g);
                    long.to_string()
                }
                None => g.to_string(),
            },
            None => {
                let only = n
                    .given
                    .first()
                    .and_then(|g| g.text.chars().next())
                    .and_then(|c| self.only_given.get(&(n.family().to_string(), c)));
                match only {
                    Some(g) => g.clone(),
                    None => {
                        if !self.by_initials(n, &mut a) {
                            a.reason = "initials that more than one first name of the surname could stand for".into();
                        }
                        return a;
                    }
                }
            }
        };
        if full_first(n).is_some() {
            a.first_name_surnames = self.per_given.get(&given).copied().unwrap_or(0);
        }
        a.reason = format!(
            "rare: the surname comes with only {surname_given} first name{} (at most {RARE_SURNAME_GIVEN_NAMES})",
            if surname_given == 1 { "" } else { "s" }
        );
        if let Some(short) = short {
            a.short_for = Some(given.clone());
            a.reason.push_str(&format!(
                ", and \"{short}\" is taken as short for \"{given}\", the one other of them it begins"
            ));
        }
        a.key_expected = self.expected(&given, n.family());
        a.key = Some((given, n.family().to_string()));
        a
    }
}

impl Rarity {
    /// The long first name a name's first name is the short form of, if its surname has one for it.
    fn long_form(&self, n: &ParsedName) -> Option<&str> {
        self.short_for.get(&(n.family().to_string(), full_first(n)?.to_string())).map(String::as_str)
    }

    /// Judges a name whose first name is not written out by its initials (see [`Initials`]); false when that rule
    /// does not apply (one initial, or too few such names in the run).
    fn by_initials(&self, n: &ParsedName, a: &mut Assessment) -> bool {
        let Some(initials) = initials_of(n).filter(|i| i.chars().count() >= RARE_MIN_INITIALS) else { return false };
        // "A. B. C." is initials alone, not a surname "C".
        if self.initials.pairs < MIN_SURNAMES || n.family().chars().count() < 2 {
            return false;
        }
        let per_initials = self.initials.per_initials.get(&initials).copied().unwrap_or(1);
        let per_surname = self.initials.per_surname.get(n.family()).copied().unwrap_or(1);
        let expected = (per_initials * per_surname) as f64 / self.initials.pairs as f64;
        a.expected = Some(expected);
        let key = initials_key(&initials);
        if expected > RARE_EXPECTED_OTHERS {
            a.reason = format!(
                "initials only: {} other people would share \"{key} {}\" were initials and surnames paired \
                 at random (rare at most {RARE_EXPECTED_OTHERS}); mentions need evidence to be joined",
                figure(expected),
                n.family()
            );
            return true;
        }
        a.reason = format!(
            "rare by its initials: {expected:.4} other people would share \"{key} {}\" were initials and surnames \
             paired at random ({per_initials} surnames written with {key}, {per_surname} sets of initials with the \
             surname; at most {RARE_EXPECTED_OTHERS})",
            n.family()
        );
        a.key_expected = expected;
        a.key = Some((key, n.family().to_string()));
        true
    }
}

/// Shortest short form of a first name taken as one ("Dan"; not "Ed" or "Al").
const SHORT_FORM_MIN: usize = 3;
/// Fewest letters a long form adds to its short one: "Danielle", "Michelle", "Janet" and "Jeanne" are other
/// people's names than "Daniel", "Michel", "Jan" and "Jean".
const SHORT_FORM_ADDS: usize = 3;
/// Endings of long forms that make other people's names, mostly women's, of a short one ("Pauline", "Paulina",
/// "Paulette", "Janice", "Christine", and "Jean-Pierre", which names parse as one word).
const NOT_LONG_FORM_ENDINGS: &[&str] = &["a", "e"];

/// Among one surname's first names, each that begins exactly one other, longer by at least [`SHORT_FORM_ADDS`]
/// letters and not ending as another person's name would ([`NOT_LONG_FORM_ENDINGS`]): ("dan", "daniel"),
/// ("chris", "christopher"), ("matt", "matthew"). Taken as one person's short and long names only where the
/// surname is rare, since a rare family has few members to tell apart.
fn short_forms<'a>(given: &HashSet<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for &short in given {
        let n = short.chars().count();
        if n < SHORT_FORM_MIN {
            continue;
        }
        let longer: Vec<&str> = given.iter().copied().filter(|g| *g != short && g.starts_with(short)).collect();
        if let [long] = longer[..] {
            let other_name = NOT_LONG_FORM_ENDINGS.iter().any(|e| long.ends_with(e));
            if long.chars().count() >= n + SHORT_FORM_ADDS && !other_name {
                out.push((short, long));
            }
        }
    }
    out
}

/// Whether two names differ only as a short and a long first name could ("Dan Jurafsky", "Daniel Jurafsky"), by
/// the form of the names alone: what a run joins for a rare surname, and what a curator's merge may join without
/// being told that the name rules keep them apart.
pub fn short_and_long_form(a: &str, b: &str) -> bool {
    let (a, b) = (ParsedName::parse(a), ParsedName::parse(b));
    let (Some(fa), Some(fb)) = (full_first(&a), full_first(&b)) else { return false };
    let (short_is_a, short, long) = if fa.len() <= fb.len() { (true, fa, fb) } else { (false, fb, fa) };
    if short == long || !long.starts_with(short) {
        return false;
    }
    let given = HashSet::from_iter([short, long]);
    if short_forms(&given).is_empty() {
        return false;
    }
    let (long_a, long_b) = if short_is_a { (Some(long), None) } else { (None, Some(long)) };
    agree_with_long_forms(&a, &b, long_a, long_b)
}

/// The initials of a name whose first name is not written out ("C. A. R. Hoare" → "car"); `None` otherwise.
fn initials_of(n: &ParsedName) -> Option<String> {
    if n.given.is_empty() || full_first(n).is_some() {
        return None;
    }
    Some(n.given.iter().filter_map(|g| g.text.chars().next()).collect())
}

/// How initials are written in a rarity key ("car" → "c. a. r."), never equal to a written-out first name.
fn initials_key(initials: &str) -> String {
    initials.chars().map(|c| format!("{c}.")).collect::<Vec<_>>().join(" ")
}

/// An expectation as a reader can compare it with the thresholds: two decimals, or four below 0.1 ("0.0109", not
/// "0.01" beside "rare at most 0.01").
fn figure(expected: f64) -> String {
    if expected < 0.1 {
        format!("{expected:.4}")
    } else {
        format!("{expected:.2}")
    }
}

fn full_first(n: &ParsedName) -> Option<&str> {
    n.given.first().filter(|g| !g.initial && g.text.chars().count() > 1).map(|g| g.text.as_str())
}

/// Whether two mentions' names agree once each short first name is read as its long form ("Dan Jurafsky" and
/// "Daniel Jurafsky"; not "Jan A. Hajič" and "Jan B. Hajič").
fn agree_as_long_forms(rarity: &Rarity, ctx: &Prepared, a: usize, b: usize) -> bool {
    let (a, b) = (&ctx.names[a], &ctx.names[b]);
    agree_with_long_forms(a, b, rarity.long_form(a), rarity.long_form(b))
}

/// Whether two names agree with their first names replaced by the long forms given, if any.
pub(crate) fn agree_with_long_forms(
    a: &ParsedName,
    b: &ParsedName,
    long_a: Option<&str>,
    long_b: Option<&str>,
) -> bool {
    if long_a.is_none() && long_b.is_none() {
        return false;
    }
    let read = |n: &ParsedName, long: Option<&str>| {
        let mut n = n.clone();
        if let (Some(first), Some(long)) = (n.given.first_mut(), long) {
            first.text = long.to_string();
        }
        n
    };
    crate::name::name_match(&read(a, long_a), &read(b, long_b)) != crate::NameMatch::Conflict
}

/// The block's clusters with those sharing a rare full name joined (as far as constraints allow).
pub(crate) fn join_rare(ctx: &Prepared, clus: Vec<Clus>, rarity: &Rarity) -> Vec<Clus> {
    if clus.len() < 2 {
        return clus;
    }
    // Full name -> clusters having it.
    let mut by_name: HashMap<(String, String), (Vec<usize>, bool)> = HashMap::new();
    for (c, cl) in clus.iter().enumerate() {
        let mut keys: Vec<((String, String), bool)> = cl
            .members
            .iter()
            .filter_map(|&i| rarity.key_expected(&ctx.names[i]))
            .map(|(k, expected)| (k, expected < FIELD_VETO_EXPECTED))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        keys.dedup_by(|a, b| a.0 == b.0);
        for (k, very_rare) in keys {
            let entry = by_name.entry(k).or_insert((Vec::new(), very_rare));
            entry.0.push(c);
        }
    }
    let mut slots: Vec<Option<Clus>> = clus.into_iter().map(Some).collect();
    let mut groups: Vec<(Vec<usize>, bool)> = by_name.into_values().filter(|g| g.0.len() > 1).collect();
    groups.sort();
    // Where a cluster went when it was absorbed.
    let mut into: Vec<usize> = (0..slots.len()).collect();
    let find = |into: &mut Vec<usize>, mut c: usize| {
        while into[c] != c {
            into[c] = into[into[c]];
            c = into[c];
        }
        c
    };
    for (group, very_rare) in groups {
        let mut roots: Vec<usize> = group.iter().map(|&c| find(&mut into, c)).collect();
        roots.sort();
        roots.dedup();
        // Largest first (ties by slot): each cluster joins the leader it may join whose fields it shares most (the
        // earlier leader on a tie), or leads a person of its own, so two fields of one rare name become two people
        // and two clusters of one field meet even when the first cluster turns both away.
        roots.sort_by_key(|&c| (std::cmp::Reverse(slots[c].as_ref().map_or(0, |x| x.members.len())), c));
        let mut leaders: Vec<usize> = Vec::new();
        for c in roots {
            let Some(cl) = slots[c].as_ref() else { continue };
            let mut best: Option<(f64, usize)> = None;
            for &l in &leaders {
                let Some(lead) = slots[l].as_ref() else { continue };
                if !lead.can_merge_allowing(cl, ctx, |a, b| agree_as_long_forms(rarity, ctx, a, b)) {
                    continue;
                }
                let fields = crate::fields::overlap(ctx, &lead.members, &cl.members);
                if !very_rare && fields.apart(FIELD_VETO_PAPERS) {
                    continue;
                }
                if best.is_none_or(|(b, _)| fields.shared > b) {
                    best = Some((fields.shared, l));
                }
            }
            let Some((_, l)) = best else {
                leaders.push(c);
                continue;
            };
            // Taken only into a leader that is there, so that no cluster is ever lost.
            if slots[l].is_some() {
                if let Some(cl) = slots[c].take() {
                    if let Some(lead) = slots[l].as_mut() {
                        lead.absorb(cl, ctx);
                    }
                    into[c] = l;
                }
            }
        }
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn short_and_long_first_names_by_their_form() {
        use super::short_and_long_form;
        assert!(short_and_long_form("Dan Jurafsky", "Daniel Jurafsky"));
        assert!(short_and_long_form("Christopher D. Manning", "Chris Manning"));
        assert!(!short_and_long_form("Jan Hajič", "Janet Hajič"), "+2 letters only");
        assert!(!short_and_long_form("Daniel Jurafsky", "Danielle Jurafsky"), "ends as another name");
        assert!(!short_and_long_form("Matt A. Smith", "Matthew B. Smith"), "middle initials conflict");
        assert!(!short_and_long_form("Dan Jurafsky", "Daniel Smith"));
        assert!(!short_and_long_form("Dan Jurafsky", "Dan Jurafsky"));
    }

    use crate::{disambiguate, Config, Mention};

    /// A mention that shares nothing with any other: its own coauthor, venue, year and title words.
    fn alone(work: usize, name: &str) -> Mention {
        Mention {
            work: format!("w{work}"),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: vec![format!("Coauthor{work} Person{work}")],
            venue: Some(format!("Venue{work}")),
            year: Some(1990 + work as i32 * 5),
            title: format!("Subject{work} Matter{work}"),
            cites: Vec::new(),
        }
    }

    /// Enough other names for the run to tell rare from common.
    fn others() -> Vec<Mention> {
        (0..super::MIN_SURNAMES).map(|i| alone(100 + i, &format!("Ann Surname{i}"))).collect()
    }

    fn people(mentions: &[Mention], rare_names: bool) -> Vec<String> {
        disambiguate(mentions, &Config { rare_names, threads: 1, ..Config::default() }).person
    }

    #[test]
    fn a_rare_full_name_joins_without_shared_evidence_and_a_common_one_does_not() {
        // "Hajič" is written with one first name; "Wang" with five: its full names denote several people.
        let mut mentions =
            vec![alone(1, "Jan Hajič"), alone(2, "Jan HAJIC"), alone(3, "Wei Wang"), alone(4, "Wei Wang")];
        for (i, given) in ["Li", "Jun", "Hao", "Min"].iter().enumerate() {
            mentions.push(alone(10 + i, &format!("{given} Wang")));
        }
        mentions.push(alone(5, "J. Hajič"));
        let small = people(&mentions, true);
        assert_ne!(small[0], small[1], "too few names to tell what is rare: nothing joined on the name");
        mentions.extend(others());
        // "Wei" is written with many surnames, as in any large corpus.
        mentions.extend((0..60).map(|i| alone(5000 + i, &format!("Wei Surname{i}"))));
        // A surname written with many first names, one of them written with no other surname.
        mentions.extend([alone(20, "Lenhart Wang"), alone(21, "Lenhart Wang")]);
        let with = people(&mentions, true);
        assert_eq!(with[0], with[1], "two Jan Hajič with nothing against them, case and diacritics aside");
        assert_ne!(with[2], with[3], "Wei Wang needs evidence");
        // "Noah" beside "Wang" is not rare enough alone; with a middle initial it is, under its own key.
        let names = [
            "Noah Surname1",
            "Noah Surname2",
            "Noah A. Wang",
            "Noah A. Wang",
            "Noah B. Wang",
            "Noah Wang",
            "Noah Wang",
        ];
        let first = mentions.len();
        mentions.extend(names.iter().enumerate().map(|(i, n)| alone(30 + i, n)));
        let with = people(&mentions, true);
        let p = |k: usize| &with[first + k];
        assert_eq!(p(2), p(3), "Noah A. Wang twice");
        assert_ne!(p(2), p(4), "Noah B. is someone else's key");
        assert_ne!(p(5), p(6), "Noah Wang alone is not rare enough");
        let lenhart: Vec<usize> = (0..mentions.len()).filter(|&i| mentions[i].name == "Lenhart Wang").collect();
        assert_eq!(with[lenhart[0]], with[lenhart[1]], "a first name rare beside a common surname makes it rare");
        let initial = mentions.iter().position(|m| m.name == "J. Hajič").unwrap();
        assert_eq!(with[initial], with[0], "the only J. of a rare surname written out is Jan");
        let without = people(&mentions, false);
        assert_ne!(without[0], without[1], "the pair model alone never compared them");
    }

    /// Names written with initials only, spread over many surnames and pairs of initials.
    fn initialled() -> Vec<Mention> {
        let letter = |k: usize| (b'a' + (k % 26) as u8) as char;
        (0..super::MIN_SURNAMES)
            .map(|i| alone(3000 + i, &format!("{}. {}. Initialled{i}", letter(i), letter(i / 26 + 3))))
            .collect()
    }

    #[test]
    fn initials_alone_are_rare_when_few_people_could_share_them() {
        let mut mentions = others();
        mentions.extend(initialled());
        let first = mentions.len();
        mentions.extend((0..3).map(|k| alone(40 + k, "C. A. R. Hoareton")));
        mentions.extend((0..2).map(|k| alone(50 + k, "J. Hoareton")));
        // "Gupta" comes with twenty sets of initials and "S. K." with twenty surnames: many people could be "S. K.
        // Gupta".
        mentions.extend((0..20).map(|k| alone(60 + k, &format!("S. {}. Gupta", (b'a' + k as u8) as char))));
        mentions.extend((0..20).map(|k| alone(90 + k, &format!("S. K. Surname{k}"))));
        let gupta = mentions.len();
        mentions.extend((0..2).map(|k| alone(120 + k, "S. K. Gupta")));
        let p = people(&mentions, true);
        assert_eq!(p[first], p[first + 1], "C. A. R. Hoareton: rare initials");
        assert_eq!(p[first], p[first + 2]);
        assert_ne!(p[first + 3], p[first + 4], "one initial alone stands for too many first names");
        assert_ne!(p[gupta], p[gupta + 1], "S. K. Gupta needs evidence");
        let without = people(&mentions, false);
        assert_ne!(without[first], without[first + 1], "the pair model alone never compared them");
    }

    #[test]
    fn a_short_first_name_of_a_rare_surname_joins_its_long_form() {
        let mut mentions = others();
        let first = mentions.len();
        for (k, name) in ["Dan Jurafskyx", "Daniel Jurafskyx", "Dan Jurafskyx", "D. Jurafskyx"].iter().enumerate() {
            mentions.push(alone(40 + k, name));
        }
        // Other people's names, not long forms.
        let others_at = mentions.len();
        for (k, (a, b)) in [
            ("Daniel", "Danielle"),
            ("Michel", "Michelle"),
            ("Jan", "Janet"),
            ("Jean", "Jean-Pierre"),
            ("Paul", "Pauline"),
        ]
        .iter()
        .enumerate()
        {
            mentions.push(alone(60 + 2 * k, &format!("{a} Zorblatt{k}")));
            mentions.push(alone(61 + 2 * k, &format!("{b} Zorblatt{k}")));
        }
        // A long form is still the first name only: middle names that conflict keep people apart.
        let middle = mentions.len();
        mentions.extend([alone(80, "Matt A. Quaxley"), alone(81, "Matthew B. Quaxley"), alone(82, "Matt A. Quaxley")]);
        // A short first name numbered as a homonym is never rare, as its long form.
        let numbered = mentions.len();
        mentions.extend(
            ["Sam Vexworth 0001", "Sam Vexworth 0002", "Sam Vexworth", "Sam Vexworth", "Samuel Vexworth"]
                .iter()
                .enumerate()
                .map(|(k, n)| alone(90 + k, n)),
        );
        let p = people(&mentions, true);
        assert_eq!(p[first], p[first + 1], "Dan and Daniel of a rare surname");
        assert_eq!(p[first], p[first + 2]);
        assert_eq!(p[first], p[first + 3], "D. is the surname's one first name, short and long");
        for k in 0..5 {
            let (a, b) = (&mentions[others_at + 2 * k].name, &mentions[others_at + 2 * k + 1].name);
            assert_ne!(p[others_at + 2 * k], p[others_at + 2 * k + 1], "{a} and {b}");
        }
        assert_eq!(p[middle], p[middle + 2], "Matt A. twice");
        assert_ne!(p[middle], p[middle + 1], "Matt A. and Matthew B.");
        for k in 2..5 {
            assert_ne!(p[numbered + k], p[numbered], "{}", mentions[numbered + k].name);
            assert_ne!(p[numbered + k], p[numbered + 1], "{}", mentions[numbered + k].name);
        }
        assert_ne!(p[numbered + 2], p[numbered + 3], "Sam Vexworth is numbered: never rare");
        let without = people(&mentions, false);
        assert_ne!(without[first], without[first + 1]);
    }

    #[test]
    fn hard_constraints_still_keep_rare_names_apart() {
        let mut a = alone(1, "Jan Hajič");
        a.source_id = Some("orcid:1".into());
        let mut b = alone(2, "Jan Hajič");
        b.source_id = Some("orcid:2".into());
        let mut mentions = vec![a, b, alone(3, "Jan Hajič 0002"), alone(4, "Jan Hajič 0003")];
        mentions.extend(others());
        let p = people(&mentions, true);
        assert_ne!(p[0], p[1], "different ids");
        assert_ne!(p[2], p[3], "different homonym numbers");
    }

    #[test]
    fn a_rare_name_in_two_fields_stays_two_people_unless_it_is_very_rare() {
        // Two communities of ten authors, each publishing in its own six venues, define two fields. Quentin
        // Zorblat writes ten papers in each, with a different coauthor in each; Xavier Quillfeather ten and ten in
        // one field. Both names are rare and neither pair of clusters shares a venue or coauthor. "Quentin" and
        // "Yvonne" also come with three other surnames, so their full names are rare but not very rare; "Zelda Knuthberg" is (one
        // first name with one surname among a thousand), and different fields do not keep her apart.
        let paper = |work: String, name: &str, coauthor: &str, venue: String| Mention {
            work,
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: vec![coauthor.into()],
            venue: Some(venue),
            year: Some(2010),
            title: String::new(),
            cites: Vec::new(),
        };
        let mut mentions = others();
        for tag in ["Db", "Gen"] {
            for v in 0..6 {
                for w in 0..6 {
                    let pick = |x: usize| format!("{tag} Author{}", (v * 3 + w * 7 + x * 4) % 10);
                    let mut m = paper(format!("{tag}{v}-{w}"), &pick(0), &pick(1), format!("{tag}{v}"));
                    m.coauthors.push(pick(2));
                    mentions.push(m);
                }
            }
        }
        for (i, given) in ["Quentin", "Yvonne"].iter().enumerate() {
            mentions.extend((0..3).map(|k| alone(7000 + 10 * i + k, &format!("{given} Surname{k}"))));
        }
        let first = mentions.len();
        for i in 0..10 {
            mentions.push(paper(format!("za{i}"), "Zelda Knuthberg", "Hal Ives", format!("Db{}", i % 3)));
            mentions.push(paper(format!("zb{i}"), "Zelda Knuthberg", "Ida Jay", format!("Gen{}", i % 3)));
            mentions.push(paper(format!("qa{i}"), "Quentin Zorblat", "Ann Lee", format!("Db{}", i % 3)));
            mentions.push(paper(format!("qb{i}"), "Quentin Zorblat", "Bob Roe", format!("Gen{}", i % 3)));
            mentions.push(paper(format!("xa{i}"), "Xavier Quillfeather", "Carl Diaz", format!("Db{}", i % 3)));
            mentions.push(paper(format!("xb{i}"), "Xavier Quillfeather", "Dan Eel", format!("Db{}", 3 + i % 3)));
        }
        // Yvonne Zapruder: ten papers in one field, then twenty in the other in two clusters, which must meet
        // each other even though the first cluster turns them both away.
        for i in 0..10 {
            mentions.push(paper(format!("ya{i}"), "Yvonne Zapruder", "Eve Fox", format!("Db{}", i % 3)));
            mentions.push(paper(format!("yb{i}"), "Yvonne Zapruder", "Finn Gale", format!("Gen{}", i % 3)));
            mentions.push(paper(format!("yc{i}"), "Yvonne Zapruder", "Gus Hale", format!("Gen{}", 3 + i % 3)));
        }
        let p = people(&mentions, true);
        let of = |name: &str, coauthor: &str| -> std::collections::HashSet<&String> {
            (first..mentions.len())
                .filter(|&i| mentions[i].name == name && mentions[i].coauthors[0] == coauthor)
                .map(|i| &p[i])
                .collect()
        };
        let (qa, qb) = (of("Quentin Zorblat", "Ann Lee"), of("Quentin Zorblat", "Bob Roe"));
        let (xa, xb) = (of("Xavier Quillfeather", "Carl Diaz"), of("Xavier Quillfeather", "Dan Eel"));
        assert_eq!((qa.len(), qb.len(), xa.len(), xb.len()), (1, 1, 1, 1), "each group is one cluster");
        assert_ne!(qa, qb, "two fields: two people");
        let (za, zb) = (of("Zelda Knuthberg", "Hal Ives"), of("Zelda Knuthberg", "Ida Jay"));
        assert_eq!((za.len(), zb.len()), (1, 1), "each group is one cluster");
        assert_eq!(za, zb, "a very rare name joins across fields");
        assert_eq!(xa, xb, "one field: the rare name joins them");
        let (ya, yb, yc) =
            (of("Yvonne Zapruder", "Eve Fox"), of("Yvonne Zapruder", "Finn Gale"), of("Yvonne Zapruder", "Gus Hale"));
        assert_eq!((ya.len(), yb.len(), yc.len()), (1, 1, 1), "each group is one cluster");
        assert_ne!(ya, yb);
        assert_eq!(yb, yc, "two clusters of one field join whatever the order of the clusters");
    }

    #[test]
    fn an_explanation_judges_a_name_as_the_run_does_and_says_why() {
        use super::{name_rarity, name_totals, NameTotals};
        // The same names as the run above: every surname of `others` once, "Wei" with 60 more surnames, "Wang" with
        // five first names and "Lenhart".
        let mut all: Vec<String> = (0..super::MIN_SURNAMES).map(|i| format!("Ann Surname{i}")).collect();
        all.extend((0..60).map(|i| format!("Wei Surname{i}")));
        all.extend(
            ["Jan Hajič", "J. Hajič", "Wei Wang", "Li Wang", "Jun Wang", "Hao Wang", "Min Wang"].map(String::from),
        );
        all.extend(["Lenhart Wang", "Ce Zhang 0001", "Ce Zhang", "Yi Zhang", "Bo Zhang", "Xu Zhang"].map(String::from));
        let totals = name_totals(all.iter().map(String::as_str));
        assert_eq!(totals.surnames, super::MIN_SURNAMES + 3, "the Wei surnames are among the others");
        let judge = |name: &str| name_rarity(name, all.iter().map(String::as_str), totals);

        let hajic = judge("Jan HAJIC");
        assert_eq!(hajic.rare_as.as_deref(), Some("jan hajic"), "{hajic:?}");
        assert!(hajic.reason.contains("only 1 first name"), "{}", hajic.reason);
        assert_eq!(judge("J. Hajič").rare_as.as_deref(), Some("jan hajic"), "the only J. of the surname");

        let wei = judge("Wei Wang");
        assert_eq!(wei.rare_as, None);
        assert!(wei.reason.starts_with("common"), "{}", wei.reason);
        assert_eq!((wei.surname_first_names, wei.first_name_surnames), (6, 61));
        assert!(wei.expected_others.unwrap() > super::RARE_EXPECTED_OTHERS);

        let lenhart = judge("Lenhart Wang");
        assert_eq!(lenhart.rare_as.as_deref(), Some("lenhart wang"), "{lenhart:?}");
        assert!(lenhart.expected_others.unwrap() <= super::RARE_EXPECTED_OTHERS);

        let ce = judge("Ce Zhang");
        assert_eq!(ce.rare_as, None, "{ce:?}");
        assert!(ce.reason.contains("homonym"), "a numbered name is never rare: {}", ce.reason);

        let letter = |k: usize| (b'a' + (k % 26) as u8) as char;
        let mut with_initials = all.clone();
        with_initials
            .extend((0..super::MIN_SURNAMES).map(|i| format!("{}. {}. Initialled{i}", letter(i), letter(i / 26 + 3))));
        with_initials.push("C. A. R. Hoareton".into());
        let totals = name_totals(with_initials.iter().map(String::as_str));
        assert_eq!(totals.initials, super::MIN_SURNAMES + 2, "with J. Hajič");
        let hoareton = name_rarity("C. A. R. Hoareton", with_initials.iter().map(String::as_str), totals);
        assert_eq!(hoareton.rare_as.as_deref(), Some("c. a. r. hoareton"), "{hoareton:?}");
        assert!(hoareton.reason.contains("rare by its initials"), "{}", hoareton.reason);
        let one = name_rarity("J. Hoareton", with_initials.iter().map(String::as_str), totals);
        assert_eq!(one.rare_as, None, "one initial: {one:?}");

        let few = name_rarity(
            "Jan Hajič",
            ["Jan Hajič"].into_iter(),
            NameTotals { full_names: 10, surnames: 10, initials: 0 },
        );
        assert_eq!(few.rare_as, None);
        assert!(few.reason.contains("too few names"), "{}", few.reason);
    }
}
