use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of venue a work appeared in. The seed page prints it after the venue name ("ICLR Conference").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VenueKind {
    Conference,
    Journal,
    Workshop,
    Preprint,
    Book,
    Thesis,
    #[default]
    Other,
}

impl VenueKind {
    pub const ALL: [VenueKind; 7] = [
        VenueKind::Conference,
        VenueKind::Journal,
        VenueKind::Workshop,
        VenueKind::Preprint,
        VenueKind::Book,
        VenueKind::Thesis,
        VenueKind::Other,
    ];

    /// The lower-case name used in JSON, the store and the index.
    pub fn as_str(self) -> &'static str {
        match self {
            VenueKind::Conference => "conference",
            VenueKind::Journal => "journal",
            VenueKind::Workshop => "workshop",
            VenueKind::Preprint => "preprint",
            VenueKind::Book => "book",
            VenueKind::Thesis => "thesis",
            VenueKind::Other => "other",
        }
    }

    /// The capitalised word the seed page shows ("Conference").
    pub fn label(self) -> &'static str {
        match self {
            VenueKind::Conference => "Conference",
            VenueKind::Journal => "Journal",
            VenueKind::Workshop => "Workshop",
            VenueKind::Preprint => "Preprint",
            VenueKind::Book => "Book",
            VenueKind::Thesis => "Thesis",
            VenueKind::Other => "Other",
        }
    }

    /// Parses either form, ignoring case.
    pub fn parse(s: &str) -> Option<VenueKind> {
        let s = s.trim();
        VenueKind::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(s))
    }

    /// Guesses the venue kind from a source's record type (DBLP's `inproceedings`, Crossref's
    /// `journal-article`, the seed's "Conference Paper"). Unknown types give `Other`.
    pub fn from_record_type(t: &str) -> VenueKind {
        let t = t.to_ascii_lowercase();
        let has = |w: &str| t.contains(w);
        if has("workshop") {
            VenueKind::Workshop
        } else if has("inproceedings") || has("proceedings") || has("conference") || has("system paper") {
            VenueKind::Conference
        } else if has("article") || has("journal") {
            VenueKind::Journal
        } else if has("preprint") || has("posted-content") || has("arxiv") {
            VenueKind::Preprint
        } else if has("thesis") {
            VenueKind::Thesis
        } else if has("book") || has("incollection") || has("chapter") {
            VenueKind::Book
        } else {
            VenueKind::Other
        }
    }
}

impl VenueKind {
    /// Guesses the venue kind from the venue's name, for records that give no kind and no type (the ACL
    /// Anthology's: "Proceedings of the Workshop on …", "Transactions of the Association for Computational
    /// Linguistics"). A name that says nothing ("Computational Linguistics") gives `Other`.
    pub fn from_venue_name(venue: &str) -> VenueKind {
        let v = venue.to_lowercase();
        let has = |w: &str| v.split(|c: char| !c.is_alphanumeric()).any(|word| word == w);
        if has("workshop") || has("workshops") {
            VenueKind::Workshop
        } else if ["proceedings", "conference", "symposium", "congress", "meeting"].iter().any(|w| has(w)) {
            VenueKind::Conference
        } else if ["journal", "transactions", "letters"].iter().any(|w| has(w)) {
            VenueKind::Journal
        } else {
            VenueKind::Other
        }
    }
}

impl fmt::Display for VenueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_types_map_to_kinds() {
        assert_eq!(VenueKind::from_record_type("inproceedings"), VenueKind::Conference);
        assert_eq!(VenueKind::from_record_type("article"), VenueKind::Journal);
        assert_eq!(VenueKind::from_record_type("Journal Article"), VenueKind::Journal);
        assert_eq!(VenueKind::from_record_type("phdthesis"), VenueKind::Thesis);
        assert_eq!(VenueKind::from_record_type("incollection"), VenueKind::Book);
        assert_eq!(VenueKind::from_record_type("www"), VenueKind::Other);
    }

    #[test]
    fn venue_names_map_to_kinds() {
        let kind = VenueKind::from_venue_name;
        assert_eq!(kind("Proceedings of the Workshop on Noisy User-generated Text"), VenueKind::Workshop);
        assert_eq!(kind("Proceedings of the 56th Annual Meeting of the ACL"), VenueKind::Conference);
        assert_eq!(kind("Transactions of the Association for Computational Linguistics"), VenueKind::Journal);
        assert_eq!(kind("Computational Linguistics"), VenueKind::Other);
        assert_eq!(kind("Journalism Studies Today"), VenueKind::Other, "whole words only");
    }

    #[test]
    fn both_spellings_parse() {
        for k in VenueKind::ALL {
            assert_eq!(VenueKind::parse(k.as_str()), Some(k));
            assert_eq!(VenueKind::parse(k.label()), Some(k));
        }
    }
}
