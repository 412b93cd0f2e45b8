//! Author disambiguation without labeled training data.
//!
//! Mentions (one author slot of one work) are grouped into *blocks* by [`block_key`] (folded surname + first
//! initial). Inside a block:
//!
//! 1. **Mention pairs.** Candidate pairs are only those that share a coauthor, a venue or one of their rarest
//!    title words, or whose rare coauthors have written a paper together; an inverted list longer than
//!    [`Config::max_posting`] pairs each mention only with its next 10 in (venue, year) order, so big blocks stay
//!    far below quadratic while chains of such pairs can still join a prolific coauthor's papers. Each pair is
//!    compared on six signals (name compatibility, shared coauthors or coauthors who worked together, venue,
//!    years apart, title TF-IDF cosine, and self-citation where either work came with references), each a noisy
//!    voter with a few discrete levels. Coauthors are compared by
//!    parsed name ("Xiao-Li Li" = "Xiaoli Li") and venues without their volume or track ("ISICA (1)" =
//!    "ISICA").
//! 2. **Label model.** A Fellegi–Sunter model (signals conditionally independent given match / non-match) is
//!    fitted without labels: the non-match level distributions `u` come from random same-block pairs whose given
//!    names conflict ("Lei Zhang" vs "Li Zhang": surely different people), then EM on random name-compatible
//!    pairs (unbiased by candidate selection) learns the match distributions `m` and the match rate; each block
//!    gets its own match rate (EM with `m`/`u` fixed, shrunk to the global rate). Hand-set: the starting values
//!    of EM, which double as a Dirichlet prior of 50 pseudo-pairs, and the name signal's `u`; a coauthor on
//!    more than 20 works is "common" (common coauthors neither count as rare shared coauthors nor link
//!    coauthors who worked together), and works with more than 30 authors link no coauthors.
//! 3. **Average linkage.** Mentions are clustered by constrained average linkage over the pair probabilities
//!    (threshold 0.5; unscored pairs count as probability 0 with weight [`Config::unscored_weight`]).
//! 4. **Profile merging.** Clusters are merged when one cluster's papers are better explained by another
//!    cluster's profile (its venues, coauthors, title words, circle: rare coauthors and the people they wrote
//!    with, and fields: venues grouped by the authors who publish in them, learned from the run, see
//!    `fields.rs`) than by the rest of the block (see `profile.rs`), in rounds, each cluster joining its best
//!    partner.
//!
//! Hard constraints always win: the same source id or homonym number links, different ones never do, names with
//! conflicting given names never do, and two mentions of the same work are never the same person.
//!
//! ```
//! use arrow_disambig::{block_key, disambiguate, Config, Mention};
//! assert_eq!(block_key("Mayee F. Chen"), block_key("M. Chen"));
//! let m = |work: &str, name: &str, co: &[&str]| Mention {
//!     work: work.into(), position: 1, name: name.into(), source_id: None,
//!     coauthors: co.iter().map(|s| s.to_string()).collect(), venue: Some("ICML".into()), year: Some(2024),
//!     title: String::new(), cites: Vec::new(),
//! };
//! let ms = vec![m("w1", "Mayee F. Chen", &["Christopher Ré"]), m("w2", "Mayee Chen", &["Christopher Ré"])];
//! let a = disambiguate(&ms, &Config::default());
//! assert_eq!(a.person[0], a.person[1]);
//! ```

mod assign;
mod candidates;
mod cluster;
pub mod eval;
mod fields;
mod model;
mod name;
mod prepare;
mod profile;
mod rarity;
mod readings;
mod union_find;

pub use assign::{assign, assign_apart, assign_with, related_people, Decision, Known, RareJoin, PER_PERSON};
pub use model::{FsModel, Pattern, MISSING, SIGNALS};
pub use name::{clearly_different_names, is_particle, same_name, NameMatch};
pub use rarity::{name_rarity, name_totals, short_and_long_form, NameRarity, NameTotals, RareNames};
pub use readings::{
    joins_on_rarity, lengthened_prefixes, names_agree, reading_of, reading_pairs, written_readings, Reading,
};
pub use union_find::UnionFind;

use name::{name_match, ParsedName};
use prepare::{dot, prepare, shared, Prepared};
use serde::{Deserialize, Serialize};

/// One authorship: a name as written on one work, with the context that helps tell people apart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    /// The work's id.
    pub work: String,
    /// 1-based place in the author list.
    pub position: u32,
    /// The name as written; may carry a DBLP homonym number ("Ji Liu 0002").
    pub name: String,
    /// A source's person id (ORCID, DBLP person, OpenAlex author), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The other author names on the work.
    #[serde(default)]
    pub coauthors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub venue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    #[serde(default)]
    pub title: String,
    /// Works (ids as in [`Mention::work`]) that this mention's work cites, where its sources gave references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cites: Vec<String>,
}

/// Tuning knobs. The defaults are the ones evaluated; nothing here is specific to any name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Config {
    /// Match probability above which clusters are merged.
    pub threshold: f64,
    /// Inverted lists longer than this (mentions sharing one coauthor / venue / word within a block) are not
    /// expanded into all their pairs: each mention is paired with its next few in (venue, year) order only.
    pub max_posting: usize,
    /// The same cap for cluster profiles.
    pub profile_max_posting: usize,
    /// EM iterations per label model.
    pub em_iterations: usize,
    /// Rounds of cluster-profile merging (0 disables it).
    pub profile_rounds: usize,
    /// Evidence (log-odds) a profile merge needs beyond the prior.
    pub profile_margin: f64,
    /// Weight of title words in profile evidence (they are many per paper and correlated with each other and
    /// with the venue, so they count less than their naive-Bayes log-likelihood ratio).
    pub title_weight: f64,
    /// Weight of the circle (rare coauthors and their coauthors) in profile evidence; 0 leaves it out. Like title
    /// words, a paper brings many circle members that go together, so each counts for less than its naive-Bayes
    /// log-likelihood ratio (the weights tried are in `docs/performance.md`).
    #[serde(default = "default_circle_weight")]
    pub circle_weight: f64,
    /// Weight of venue fields (venues grouped by their authors, see `fields.rs`) in profile evidence; 0 leaves
    /// them out. A field is implied by its venue, so a shared venue counts twice: once as itself and, at this
    /// weight, once as its field.
    #[serde(default = "default_field_weight")]
    pub field_weight: f64,
    /// The profile evidence of a cluster of n papers is divided by n^γ (its papers are not independent).
    pub evidence_exponent: f64,
    /// Blocks with at most this many clusters compare all cluster pairs in profile merging (0: off; on tiny
    /// blocks the "rest of the block" alternative is then too weak and distinct people can merge on the prior).
    pub all_pairs_below: usize,
    /// When the smaller of two clusters has at least this many papers, each must explain the other.
    pub symmetric_min_size: usize,
    /// In average linkage, the weight of unscored mention pairs (counted with probability 0); 0 averages over
    /// the scored pairs only.
    pub unscored_weight: f64,
    /// Join clusters that share a rare full name (see `rarity.rs`).
    pub rare_names: bool,
    /// Worker threads (blocks are independent).
    pub threads: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            threshold: 0.5,
            max_posting: 100,
            profile_max_posting: 400,
            em_iterations: 100,
            profile_rounds: 6,
            profile_margin: 0.0,
            title_weight: 0.8,
            circle_weight: default_circle_weight(),
            field_weight: default_field_weight(),
            evidence_exponent: 0.3,
            symmetric_min_size: usize::MAX,
            all_pairs_below: 0,
            unscored_weight: 0.03,
            rare_names: true,
            threads: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).min(8),
        }
    }
}

fn default_circle_weight() -> f64 {
    0.2
}

fn default_field_weight() -> f64 {
    0.25
}

/// Coauthors a mention lists at most. On a paper of hundreds or thousands of authors (physics collaborations,
/// consortia) every author against every other is quadratic (9 million coauthor names for 3,000 authors: a minute
/// to place one such paper) and says little; the nearest in the author list are kept, the same alphabetical
/// neighbours on each of a collaboration's papers.
pub const MAX_COAUTHORS: usize = 100;

/// The slots of the coauthors that a mention of author `slot` of `n` lists (see [`MAX_COAUTHORS`]).
pub fn coauthor_slots(n: usize, slot: usize) -> impl Iterator<Item = usize> {
    let (from, to) = if n <= MAX_COAUTHORS + 1 {
        (0, n)
    } else {
        let from = slot.saturating_sub(MAX_COAUTHORS / 2).min(n - MAX_COAUTHORS - 1);
        (from, from + MAX_COAUTHORS + 1)
    };
    (from..to).filter(move |&i| i != slot)
}

/// Folded surname + "_" + first initial: "Mayee F. Chen", "Mayee Chen" and "M. Chen" all give "chen_m"; homonym
/// numbers are ignored ("Ce Zhang 0001" → "zhang_c"), particles are dropped ("van der Aalst" → "aalst_…"),
/// diacritics are removed ("Müller" → "muller_…").
pub fn block_key(name: &str) -> String {
    ParsedName::parse(name).block_key()
}

/// The first given name as written out, folded ("Yan Wang" → "yan"); `None` for an initial ("Y. Wang") or none.
pub fn first_given_name(name: &str) -> Option<String> {
    let p = ParsedName::parse(name);
    p.given.first().filter(|g| !g.initial && g.text.chars().count() > 1).map(|g| g.text.clone())
}

/// Whether a name's surname is a hyphenated double surname ("Mark Hasegawa-Johnson"), which its last part alone
/// ("Johnson") does not name.
pub fn has_double_surname(name: &str) -> bool {
    ParsedName::parse(name).double.is_some()
}

/// How many given names (written out or as initials) a name has ("C. A. R. Hoare": 3, "Hajič": 0).
pub fn given_name_count(name: &str) -> usize {
    ParsedName::parse(name).given.len()
}

/// How two names compare (surnames must agree; the given names are compared token by token).
pub fn compare_names(a: &str, b: &str) -> NameMatch {
    name_match(&ParsedName::parse(a), &ParsedName::parse(b))
}

/// The names of the mention-pair signals, in pattern order.
pub const PAIR_SIGNALS: [&str; SIGNALS] = ["name", "coauthors", "venue", "years", "title", "citation"];
/// Human-readable meaning of each level of the mention-pair signals.
pub const PAIR_LEVELS: [&[&str]; SIGNALS] = [
    &[
        "given names as initials, on one side or both",
        "same first name; a middle name as an initial or on one side only",
        "same given names, written out",
    ],
    &[
        "no shared coauthor",
        "rare coauthors who worked together",
        "one shared common coauthor",
        "one shared rare coauthor",
        "two or more shared coauthors",
    ],
    &["different venues", "same common venue", "same rare venue"],
    &["more than 7 years apart", "4-7 years apart", "2-3 years apart", "at most 1 year apart"],
    &["no shared title word", "title cosine below 0.1", "title cosine 0.1-0.25", "title cosine at least 0.25"],
    &["neither work cites the other", "one work cites the other (self-citation)"],
];

/// The fitted label model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Mention-pair model.
    pub pair: FsModel,
}

impl Model {
    /// Hand-set starting points (and Dirichlet priors) of EM. Levels are ordered from least to most agreement;
    /// the priors only say that more agreement is more likely for a match than for a non-match.
    pub fn priors() -> Model {
        Model {
            pair: FsModel {
                m: vec![
                    vec![0.1, 0.3, 0.6],
                    vec![0.3, 0.1, 0.15, 0.2, 0.25],
                    vec![0.6, 0.2, 0.2],
                    vec![0.1, 0.2, 0.3, 0.4],
                    vec![0.2, 0.3, 0.3, 0.2],
                    vec![0.9, 0.1],
                ],
                u: vec![
                    vec![0.2, 0.3, 0.5],
                    vec![0.95, 0.02, 0.02, 0.007, 0.003],
                    vec![0.93, 0.05, 0.02],
                    vec![0.4, 0.25, 0.2, 0.15],
                    vec![0.4, 0.4, 0.15, 0.05],
                    vec![0.998, 0.002],
                ],
                lambda: 0.3,
            },
        }
    }
}

/// Why two mentions are forced together or apart regardless of evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Constraint {
    SameSourceId,
    /// The same source id on names that share no word ([`clearly_different_names`]): flagged, not followed.
    SourceIdOnDifferentNames,
    SameHomonymNumber,
    DifferentSourceIds,
    DifferentHomonymNumbers,
    SameWork,
    IncompatibleNames,
    DifferentBlocks,
    /// A common nickname and its formal name ("Chris", "Christopher"): not compared as a pair, since most such pairs
    /// are two people; clusters holding them may be joined by their papers.
    Nickname,
    /// Given names that conflict but are one rare full name ("Dan" and "Daniel" of a rare surname; see
    /// `rarity.rs`): set by [`Explanation::settle_rarity`], never by the pair model.
    OneRareName,
    /// One name read another way (family name first, a shortened double surname, "ue" for "ü"; see
    /// `readings.rs`): never compared by a run, joined after it on a shared coauthor or as rare names.
    OtherReading(Reading),
}

impl Constraint {
    /// True for must-link constraints.
    pub fn links(self) -> bool {
        matches!(self, Constraint::SameSourceId | Constraint::SameHomonymNumber)
    }

    /// The rule, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Constraint::SameSourceId => "the same source id (ORCID, DBLP person): one person",
            Constraint::SourceIdOnDifferentNames => {
                "the same source id on names that share no word: flagged as suspect, not followed"
            }
            Constraint::SameHomonymNumber => "the same homonym number (\"Ce Zhang 0001\"): one person",
            Constraint::DifferentSourceIds => "different source ids: two people",
            Constraint::DifferentHomonymNumbers => "different homonym numbers: two people",
            Constraint::SameWork => "two authors of one work: two people",
            Constraint::IncompatibleNames => {
                "names that conflict (another first or middle name, or a double surname one of them lacks; only \
                 common nicknames such as Chris for Christopher are known): two people"
            }
            Constraint::DifferentBlocks => "names of different blocks (surname and first initial): never compared",
            Constraint::Nickname => {
                "a common nickname and its formal first name: not compared as a pair (most such pairs are two \
                 people); joined only when the papers around each are one person's"
            }
            Constraint::OneRareName => {
                "a short and a long first name of one rare surname: not compared as a pair, joined as one rare name"
            }
            Constraint::OtherReading(Reading::FamilyNameFirst) => {
                "one name written with the family name first: never compared by a run (another block); joined \
                 after it only when the two share a coauthor"
            }
            Constraint::OtherReading(Reading::ShortSurname) => {
                "one name without the second part of a double surname: never compared by a run (another block); \
                 joined after it when the two share a coauthor, or, for a hyphenated surname, when both names are \
                 rare"
            }
            Constraint::OtherReading(Reading::Umlaut) => {
                "one name written with \"ae\", \"oe\", \"ue\" for \"ä\", \"ö\", \"ü\": never compared by a run; \
                 joined after it when the two share a coauthor, or when both names are rare"
            }
        }
    }
}

/// One signal's contribution to a pair's score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignalEvidence {
    pub signal: String,
    /// The observed level, in words ("one shared rare coauthor"); "unknown" when missing.
    pub level: String,
    /// P(level | same person) and P(level | different people), as learned.
    pub m: f64,
    pub u: f64,
    /// ln(m/u): positive supports a match.
    pub weight: f64,
}

/// Why a pair of mentions is (or is not) the same person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// The two names as written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    pub constraint: Option<Constraint>,
    pub signals: Vec<SignalEvidence>,
    /// Prior match rate of the pair's block.
    pub prior: f64,
    /// Posterior match probability of the pair on its own (1 or 0 under a constraint; of a nickname pair, that of
    /// its signals but the name, see [`Explanation::pair_label`]).
    pub probability: f64,
    /// The final decision, when the pair was part of a disambiguation run.
    pub same_person: Option<bool>,
    /// How the rarity rule judges each distinct name (filled where the whole run's names are known, as by the
    /// engine): a rare full name's mentions are joined without further evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rarity: Vec<NameRarity>,
    /// What label-free disambiguation decided, where a curator's correction changed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_evidence: Option<bool>,
    /// `probability` leaves the name out: the model never scores a nickname pair.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub names_aside: bool,
    /// For two readings of one name joined after a run: coauthors the papers under each reading share (what
    /// joined them, where the two mentions share none themselves).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shared_by_readings: Vec<String>,
    /// For two people: what keeps them apart whatever their papers say (a paper both wrote, names of one that
    /// cannot be the other's, different homonym numbers or source ids), where the engine found it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_apart: Option<String>,
}

impl Explanation {
    /// What [`Explanation::probability`] is of, in words: "this pair on its own", or for a nickname pair, which the
    /// model does not score, "this pair on its own, names aside".
    pub fn pair_label(&self) -> &'static str {
        if self.names_aside {
            "this pair on its own, names aside"
        } else {
            "this pair on its own"
        }
    }

    /// The pair's own verdict in words: how likely one person, or, where a rule decided (two authors of one paper,
    /// two source ids), that the rule did, since "0% likely" would read as what the signals say.
    pub fn verdict(&self) -> String {
        let label = self.pair_label();
        let prior = 100.0 * self.prior;
        if self.constraint.is_some() && (self.probability == 0.0 || self.probability == 1.0) {
            return format!("{label}: the rule decides, not the signals below (prior match rate {prior:.0}%)");
        }
        format!("{label}: {:.0}% likely one person (prior match rate {prior:.0}%)", 100.0 * self.probability)
    }

    /// Why a run decided otherwise than this pair on its own would, when no rule, rarity or curator says why: the
    /// papers around each mention decided. (What keeps two people apart whatever their papers say is
    /// [`Explanation::kept_apart`], filled by the engine.)
    pub fn run_note(&self) -> Option<&'static str> {
        // Explanations list each distinct name once: one entry for two mentions of one name.
        let rare = match &self.rarity[..] {
            [one] => one.rare_as.is_some(),
            [a, b] => a.rare_as.is_some() && a.rare_as == b.rare_as,
            _ => false,
        };
        if self.constraint.is_some() || self.by_evidence.is_some() {
            return None;
        }
        match self.same_person? {
            false if self.probability >= 0.5 && self.kept_apart.is_none() => Some(
                "this pair alone points to one person, but each mention's cluster holds other papers: averaged over \
                 all their pairs, or compared by their venues, coauthors and title words, the two clusters stayed \
                 apart",
            ),
            true if self.probability < 0.5 && !rare => Some(
                "this pair alone points to two people, but other papers link them: pairs that each point to one \
                 person, or clusters whose venues, coauthors and title words match",
            ),
            _ => None,
        }
    }

    /// Once [`Explanation::rarity`] is filled: names whose given names conflict but that the rarity rule takes as
    /// one rare full name ("Dan Jurafsky", "Daniel Jurafsky") are not kept apart by their names, as in a run.
    pub fn settle_rarity(&mut self) {
        let one = match &self.rarity[..] {
            [a, b] => {
                a.rare_as.is_some()
                    && a.rare_as == b.rare_as
                    && rarity::agree_with_long_forms(
                        &ParsedName::parse(&a.name),
                        &ParsedName::parse(&b.name),
                        a.short_for.as_deref(),
                        b.short_for.as_deref(),
                    )
            }
            _ => false,
        };
        if one && matches!(self.constraint, Some(Constraint::IncompatibleNames | Constraint::Nickname)) {
            self.constraint = Some(Constraint::OneRareName);
        }
    }
}

/// The result: a stable person id per input mention, and the fitted model.
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Person id of each mention (same order as the input), derived from the cluster's earliest
    /// (work, position) mention so that re-runs give the same ids.
    pub person: Vec<String>,
    pub model: Model,
    cluster: Vec<u32>,
    block_lambda: Vec<f64>,
    ctx: Prepared,
}

impl Assignment {
    /// Mention indices grouped by person, each group sorted, groups ordered by their first mention.
    pub fn clusters(&self) -> Vec<Vec<usize>> {
        let mut map: std::collections::BTreeMap<u32, Vec<usize>> = Default::default();
        for (i, &c) in self.cluster.iter().enumerate() {
            map.entry(c).or_default().push(i);
        }
        let mut v: Vec<Vec<usize>> = map.into_values().collect();
        v.sort();
        v
    }

    /// Explains the decision for mentions `i` and `j` (indices into the input).
    pub fn explain(&self, i: usize, j: usize) -> Explanation {
        let lambda = self.block_lambda[self.ctx.block_of[i] as usize];
        let mut e = explain_in(&self.ctx, &self.model.pair, lambda, i, j);
        e.same_person = Some(self.cluster[i] == self.cluster[j]);
        e
    }
}

/// Explains how a fitted model sees two mentions on their own. How common their coauthors, venue and title words
/// are is measured on them and `context`: mentions of their blocks, as a run measures it on its batch (on the two
/// alone, every shared word would be in every title and say nothing). [`Assignment::explain`] uses the whole run's
/// statistics.
pub fn explain(a: &Mention, b: &Mention, context: &[Mention], model: &Model) -> Explanation {
    let mut all = Vec::with_capacity(context.len() + 2);
    all.extend([a.clone(), b.clone()]);
    all.extend(context.iter().cloned());
    let ctx = prepare(&all);
    let mut e = explain_in(&ctx, &model.pair, model.pair.lambda, 0, 1);
    e.names = vec![a.name.clone(), b.name.clone()];
    if matches!(e.constraint, Some(Constraint::DifferentBlocks | Constraint::IncompatibleNames)) {
        if let Some(r) = reading_of(&a.name, &b.name) {
            e.constraint = Some(Constraint::OtherReading(r));
        }
    }
    e
}

fn explain_in(ctx: &Prepared, model: &FsModel, lambda: f64, i: usize, j: usize) -> Explanation {
    let constraint = constraint(ctx, i, j);
    let pattern = pair_pattern(ctx, i, j);
    // Where a rule decided without comparing the names, the name level the model would give says nothing.
    let name_note = match constraint {
        Some(Constraint::DifferentBlocks) => Some("different name blocks: never compared"),
        Some(Constraint::IncompatibleNames) => Some("names that conflict"),
        Some(Constraint::Nickname) => Some("a nickname and its formal first name"),
        Some(Constraint::SameWork) if ctx.block_of[i] != ctx.block_of[j] => {
            Some("different name blocks: never compared")
        }
        Some(Constraint::SameWork) if ctx.names_match(i, j) == NameMatch::Conflict => Some("names that conflict"),
        _ => None,
    };
    let signals = (0..SIGNALS)
        .map(|s| {
            let l = pattern[s];
            // A model stored by an older version may know fewer signals or levels: such a level counts as unknown.
            let known = |v: &Vec<Vec<f64>>| v.get(s).and_then(|row| row.get(l as usize)).copied();
            let (level, m, u) = match (known(&model.m), known(&model.u)) {
                _ if s == 0 && name_note.is_some() => (name_note.unwrap_or_default().to_string(), 1.0, 1.0),
                (Some(m), Some(u)) if l != MISSING => (PAIR_LEVELS[s][l as usize].to_string(), m, u),
                _ => ("unknown".to_string(), 1.0, 1.0),
            };
            SignalEvidence { signal: PAIR_SIGNALS[s].to_string(), level, m, u, weight: (m / u).ln() }
        })
        .collect();
    let probability = match constraint {
        Some(c) if c.links() => 1.0,
        // A nickname pair is not scored as a pair; what its other signals say is still worth showing.
        Some(Constraint::Nickname) => {
            let mut p = pattern;
            p[0] = MISSING;
            model.probability(&p, lambda)
        }
        Some(_) => 0.0,
        None => model.probability(&pattern, lambda),
    };
    Explanation {
        names: Vec::new(),
        constraint,
        signals,
        prior: lambda,
        probability,
        same_person: None,
        rarity: Vec::new(),
        by_evidence: None,
        names_aside: constraint == Some(Constraint::Nickname),
        shared_by_readings: Vec::new(),
        kept_apart: None,
    }
}

/// Hard constraint between two mentions, if any.
pub(crate) fn constraint(ctx: &Prepared, i: usize, j: usize) -> Option<Constraint> {
    if let (Some(a), Some(b)) = (ctx.source[i], ctx.source[j]) {
        if a == b && ctx.clearly_different(i, j) {
            return Some(Constraint::SourceIdOnDifferentNames);
        }
    }
    if ctx.block_of[i] != ctx.block_of[j] {
        // Runs never compare across blocks; an explanation of two authors of one paper says the plainer reason.
        return Some(if ctx.work[i] == ctx.work[j] { Constraint::SameWork } else { Constraint::DifferentBlocks });
    }
    if let (Some(a), Some(b)) = (ctx.source[i], ctx.source[j]) {
        return Some(if a == b { Constraint::SameSourceId } else { Constraint::DifferentSourceIds });
    }
    if ctx.work[i] == ctx.work[j] {
        return Some(Constraint::SameWork);
    }
    let nm = ctx.names_match(i, j);
    if nm == NameMatch::Conflict {
        return Some(Constraint::IncompatibleNames);
    }
    if let (Some(a), Some(b)) = (ctx.names[i].homonym, ctx.names[j].homonym) {
        return Some(if a == b { Constraint::SameHomonymNumber } else { Constraint::DifferentHomonymNumbers });
    }
    if nm == NameMatch::Nickname {
        return Some(Constraint::Nickname);
    }
    None
}

pub(crate) fn name_level(m: NameMatch) -> u8 {
    match m {
        NameMatch::Exact => 2,
        NameMatch::FullCompatible => 1,
        _ => 0,
    }
}

/// A coauthor shared by more works than this is "common".
pub(crate) const COMMON_COAUTHOR_WORKS: u32 = 20;
/// A venue holding more than this share of the run's works is "common".
const COMMON_VENUE_SHARE: f64 = 0.002;

/// Signal levels of a mention pair (see [`PAIR_LEVELS`]).
pub(crate) fn pair_pattern(ctx: &Prepared, i: usize, j: usize) -> Pattern {
    let name = name_level(ctx.names_match(i, j));
    let co = match shared(&ctx.coauthors[i], &ctx.coauthors[j]) {
        (0, _) if ctx.coauthors_linked(i, j, COMMON_COAUTHOR_WORKS) => 1,
        (0, _) => 0,
        (1, Some(c)) if ctx.coauthor_df[c as usize] > COMMON_COAUTHOR_WORKS => 2,
        (1, _) => 3,
        _ => 4,
    };
    let venue = match (ctx.venue[i], ctx.venue[j]) {
        (Some(a), Some(b)) if a == b => {
            if ctx.venue_df[a as usize] as f64 > COMMON_VENUE_SHARE * ctx.n_works as f64 {
                1
            } else {
                2
            }
        }
        (Some(_), Some(_)) => 0,
        _ => MISSING,
    };
    let years = match (ctx.year[i], ctx.year[j]) {
        (Some(a), Some(b)) => match (a - b).abs() {
            0..=1 => 3,
            2..=3 => 2,
            4..=7 => 1,
            _ => 0,
        },
        _ => MISSING,
    };
    let title = if ctx.words[i].is_empty() || ctx.words[j].is_empty() {
        MISSING
    } else {
        let c = dot(&ctx.words[i], &ctx.words[j]);
        if c <= 0.0 {
            0
        } else if c < 0.1 {
            1
        } else if c < 0.25 {
            2
        } else {
            3
        }
    };
    [name, co, venue, years, title, citation_level(ctx, i, j)]
}

/// Self-citation: one mention's work cites the other's. Unknown unless one of the two works came with references.
fn citation_level(ctx: &Prepared, i: usize, j: usize) -> u8 {
    if ctx.cites.is_empty() {
        return MISSING;
    }
    let (a, b) = (ctx.work[i], ctx.work[j]);
    let (ca, cb) = (ctx.cites.get(&a), ctx.cites.get(&b));
    if ca.is_some_and(|l| l.binary_search(&b).is_ok()) || cb.is_some_and(|l| l.binary_search(&a).is_ok()) {
        1
    } else if ca.is_some() || cb.is_some() {
        0
    } else {
        MISSING
    }
}

/// Stable person id from the earliest (work, position) of a cluster.
pub fn person_id(work: &str, position: u32) -> String {
    // FNV-1a, 64 bits: stable across platforms and releases, unlike std's hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in work.bytes().chain([0u8]).chain(position.to_le_bytes()) {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("p{h:016x}")
}

/// Fits the label models on `mentions` and groups them into people.
pub fn disambiguate(mentions: &[Mention], config: &Config) -> Assignment {
    disambiguate_in(mentions, None, config)
}

/// [`disambiguate`], with each mention's block given (`blocks[i]` for mention `i`, same length) instead of its
/// name's [`block_key`]: a caller that splits giant blocks into sub-blocks keeps them apart.
pub fn disambiguate_in(mentions: &[Mention], blocks: Option<&[String]>, config: &Config) -> Assignment {
    assert!(blocks.is_none_or(|b| b.len() == mentions.len()), "one block per mention");
    let t = std::time::Instant::now();
    let ctx = prepare::prepare_in(mentions, blocks);
    if std::env::var_os("DISAMBIG_TRACE").is_some() {
        eprintln!("prepare: {:.1}s", t.elapsed().as_secs_f64());
    }
    let run = cluster::run(&ctx, config, &Model::priors());
    let mut person = vec![String::new(); mentions.len()];
    let mut first: std::collections::HashMap<u32, (&str, u32)> = Default::default();
    for (i, &c) in run.cluster.iter().enumerate() {
        let key = (mentions[i].work.as_str(), mentions[i].position);
        first.entry(c).and_modify(|k| *k = (*k).min(key)).or_insert(key);
    }
    for (i, &c) in run.cluster.iter().enumerate() {
        let (w, p) = first[&c];
        person[i] = person_id(w, p);
    }
    Assignment { person, model: run.model, cluster: run.cluster, block_lambda: run.block_lambda, ctx }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mention_lists_its_nearest_coauthors_on_a_huge_author_list() {
        let slots = |n, slot| coauthor_slots(n, slot).collect::<Vec<_>>();
        assert_eq!(slots(3, 1), [0, 2]);
        assert_eq!(slots(MAX_COAUTHORS + 1, 0).len(), MAX_COAUTHORS, "every other author, up to the cap");
        for (n, slot) in [(3000, 0), (3000, 1500), (3000, 2999), (MAX_COAUTHORS + 2, 50), (5000, 49)] {
            let got = slots(n, slot);
            assert_eq!(got.len(), MAX_COAUTHORS, "{n} {slot}");
            assert!(!got.contains(&slot) && got.iter().all(|&i| i < n));
            let reach = got.iter().map(|&i| i.abs_diff(slot)).max().unwrap();
            assert!(reach <= MAX_COAUTHORS, "the nearest: {n} {slot} reaches {reach}");
        }
        assert_eq!(slots(3000, 1500).first(), Some(&1450));
    }

    fn explanation(probability: f64, same_person: bool) -> Explanation {
        Explanation {
            names: Vec::new(),
            constraint: None,
            signals: Vec::new(),
            prior: 0.8,
            probability,
            same_person: Some(same_person),
            rarity: Vec::new(),
            by_evidence: None,
            names_aside: false,
            shared_by_readings: Vec::new(),
            kept_apart: None,
        }
    }

    #[test]
    fn a_pair_a_rule_decided_says_so_instead_of_a_probability() {
        assert_eq!(
            explanation(0.78, false).verdict(),
            "this pair on its own: 78% likely one person (prior match rate 80%)"
        );
        let ruled = Explanation { constraint: Some(Constraint::SameWork), ..explanation(0.0, false) };
        assert!(
            ruled.verdict().contains("the rule decides") && !ruled.verdict().contains("likely"),
            "{}",
            ruled.verdict()
        );
    }

    #[test]
    fn a_run_that_decided_against_the_pair_says_the_papers_around_it_did() {
        assert!(explanation(0.78, false).run_note().unwrap().contains("stayed apart"));
        assert!(explanation(0.01, true).run_note().unwrap().contains("other papers link them"));
        assert_eq!(explanation(0.9, true).run_note(), None, "the pair and the run agree");
        // Joined as one rare name, listed once for two mentions of it: rarity says why.
        let rare = NameRarity { rare_as: Some("dan jurafsky".into()), ..NameRarity::default() };
        let joined = Explanation { rarity: vec![rare], ..explanation(0.01, true) };
        assert_eq!(joined.run_note(), None);
        let ruled = Explanation { constraint: Some(Constraint::SameWork), ..explanation(0.78, false) };
        assert_eq!(ruled.run_note(), None, "a rule says why");
        let curated = Explanation { by_evidence: Some(true), ..explanation(0.78, false) };
        assert_eq!(curated.run_note(), None, "a curator says why");
    }

    #[test]
    fn a_nickname_of_another_initial_joins_its_formal_name_on_shared_papers() {
        let m = |work: &str, name: &str, venue: &str, title: &str| Mention {
            work: work.into(),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: vec!["Adrià de Gispert".into(), "Gonzalo Iglesias".into()],
            venue: Some(venue.into()),
            year: Some(2010),
            title: title.into(),
            cites: Vec::new(),
        };
        let ms = vec![
            m("w1", "William Byrne", "EACL", "Hierarchical phrase-based translation with weighted automata"),
            m("w2", "William Byrne", "EACL", "Rule filtering by pattern for efficient translation"),
            m("w3", "Bill Byrne", "NAACL", "Hierarchical phrase-based translation grammars extracted from alignments"),
            m("w4", "Bill Byrne", "NAACL", "Pruning weighted automata for phrase-based translation"),
        ];
        let people = disambiguate(&ms, &Config { threads: 1, ..Config::default() }).person;
        assert!(people.iter().all(|p| *p == people[0]), "{people:?}");
    }

    #[test]
    fn a_nickname_pair_shows_its_other_signals_and_a_rule_the_names_it_never_compared() {
        let m = |work: &str, name: &str| Mention {
            work: work.into(),
            position: 1,
            name: name.into(),
            source_id: None,
            coauthors: vec!["Dan Klein".into()],
            venue: Some("ACL".into()),
            year: Some(2003),
            title: "Accurate unlexicalized parsing".into(),
            cites: Vec::new(),
        };
        let e = explain(&m("a", "Chris Manning"), &m("b", "Christopher D. Manning"), &[], &Model::priors());
        assert_eq!(e.constraint, Some(Constraint::Nickname));
        assert!(e.probability > 0.5, "a shared coauthor, venue, year and title: {e:?}");
        assert_eq!(e.pair_label(), "this pair on its own, names aside");
        // Joined as one rare name, the probability is still that of the signals but the name.
        let rare = |name: &str, short_for: Option<&str>| NameRarity {
            name: name.into(),
            rare_as: Some("christopher manning".into()),
            short_for: short_for.map(str::to_string),
            ..NameRarity::default()
        };
        let mut settled = Explanation {
            rarity: vec![rare("Chris Manning", Some("christopher")), rare("Christopher D. Manning", None)],
            ..e.clone()
        };
        settled.settle_rarity();
        assert_eq!(settled.constraint, Some(Constraint::OneRareName));
        assert_eq!(settled.pair_label(), "this pair on its own, names aside");
        let e = explain(&m("a", "Chris Manning"), &m("b", "Chris Manning"), &[], &Model::priors());
        assert_eq!(e.pair_label(), "this pair on its own");
        // Two authors of one work: the names were never compared, whatever level they would get.
        let e = explain(&m("a", "Mengjie Zhao"), &m("a", "H. Schütze"), &[], &Model::priors());
        assert_eq!(e.constraint, Some(Constraint::SameWork));
        assert_eq!(e.signals[0].level, "different name blocks: never compared");
        let e = explain(&m("a", "Lei Zhang"), &m("a", "Li Zhang"), &[], &Model::priors());
        assert_eq!((e.constraint, e.signals[0].level.as_str()), (Some(Constraint::SameWork), "names that conflict"));
    }

    #[test]
    fn a_suffix_that_tells_a_father_from_his_son_on_one_paper_keeps_them_apart_elsewhere() {
        let m = |work: &str, position: u32, name: &str, coauthors: &[&str], title: &str| Mention {
            work: work.into(),
            position,
            name: name.into(),
            source_id: None,
            coauthors: coauthors.iter().map(|c| c.to_string()).collect(),
            venue: Some("ACL".into()),
            year: Some(2017),
            title: title.into(),
            cites: Vec::new(),
        };
        let config = Config { threads: 1, ..Config::default() };
        let parsing = "Universal dependencies parsing from raw text";
        let (father, son) = ("Jan Hajič", "Jan Hajič jr.");
        // The son's paper with Martin Popel shares him with two of the father's: alone, one person.
        let mut ms = vec![
            m("w1", 1, father, &["Martin Popel", "Daniel Zeman"], "Dependency treebanks for Czech"),
            m("w2", 1, father, &["Martin Popel"], "Morphological tagging of Czech"),
            m("w3", 1, son, &["Martin Popel"], "Machine translation of noun phrases"),
        ];
        let people = disambiguate(&ms, &config).person;
        assert!(people.iter().all(|p| *p == people[0]), "nothing tells them apart yet: {people:?}");
        // A paper of both: the suffix marks another person wherever the name is written with it.
        ms.push(m("w4", 1, father, &[son, "Daniel Zeman"], parsing));
        ms.push(m("w4", 2, son, &[father, "Daniel Zeman"], parsing));
        let people = disambiguate(&ms, &config).person;
        for (i, a) in ms.iter().enumerate() {
            for (j, b) in ms.iter().enumerate() {
                if a.name != b.name {
                    assert_ne!(people[i], people[j], "{} / {}: {people:?}", a.work, b.work);
                }
            }
        }
        assert_eq!(people[0], people[1], "{people:?}");
        // "Hal Daumé III" and "Hal Daumé" on no paper together: one person's two ways of writing the name.
        let hal = vec![
            m("h1", 1, "Hal Daumé III", &["John Langford"], "Search-based structured prediction"),
            m("h2", 1, "Hal Daumé", &["John Langford"], "Frustratingly easy domain adaptation"),
        ];
        let people = disambiguate(&hal, &config).person;
        assert_eq!(people[0], people[1], "{people:?}");
    }
}
