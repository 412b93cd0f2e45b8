//! RIS records: `TY` from the venue kind (CONF, JOUR, CHAP, THES, UNPB, GEN), `AU` per author, `TI`, `T2`
//! (venue), `PY`, `DO`, `UR`, `AB`, `ID` (the cite key), `ER`. Values are single lines.

use arrow_model::{VenueKind, Work};
use std::fmt::Write;

/// One record, ending with `ER  - ` and a blank line.
pub fn record(work: &Work, key: &str) -> String {
    let ty = match work.venue_kind {
        VenueKind::Conference | VenueKind::Workshop => "CONF",
        VenueKind::Journal => "JOUR",
        VenueKind::Book => "CHAP",
        VenueKind::Thesis => "THES",
        VenueKind::Preprint => "UNPB",
        VenueKind::Other => "GEN",
    };
    let mut out = String::new();
    let mut tag = |t: &str, v: &str| {
        let v = arrow_normalize::collapse_whitespace(v);
        if !v.is_empty() {
            let _ = writeln!(out, "{t}  - {v}");
        }
    };
    tag("TY", ty);
    tag("ID", key);
    for a in work.ordered_authors() {
        tag("AU", &author(&a.name));
    }
    tag("TI", &work.title);
    if let Some(v) = &work.venue {
        tag("T2", v);
    }
    if let Some(y) = work.year {
        tag("PY", &y.to_string());
    }
    if let Some(d) = &work.ids.doi {
        tag("DO", d);
    }
    if let Some(a) = &work.ids.arxiv {
        tag("UR", &format!("https://arxiv.org/abs/{a}"));
    }
    for u in &work.ids.urls {
        tag("UR", u);
    }
    if let Some(a) = &work.abstract_text {
        tag("AB", a);
    }
    out.push_str("ER  - \n\n");
    out
}

/// An author for `AU`: as written, unless it ends in a suffix after a comma ("Charles R. Jankowski, Jr."), which
/// RIS reads as "Last, First, Suffix" ("Jr. Charles R. Jankowski" before): then in that form. A name written
/// family name first ("García Márquez, Gabriel") is already in it.
fn author(name: &str) -> String {
    let (given, family, suffix) = crate::split_name(name);
    if !name.contains(',') || !crate::keys::is_personal_suffix(&suffix) {
        return name.to_string();
    }
    [family, given, suffix].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_model::Authorship;

    #[test]
    fn a_record() {
        let mut w = Work::new("x:1", "Data\nProgramming");
        w.authors = vec![Authorship::at(1, "Christopher Ré")];
        w.year = Some(2016);
        w.venue = Some("NeurIPS".into());
        w.venue_kind = VenueKind::Conference;
        assert_eq!(
            record(&w, "re2016data"),
            "TY  - CONF\nID  - re2016data\nAU  - Christopher Ré\nTI  - Data Programming\nT2  - NeurIPS\nPY  - 2016\nER  - \n\n"
        );
    }

    #[test]
    fn a_name_with_a_comma_is_written_last_first_suffix() {
        assert_eq!(author("Charles R. Jankowski, Jr."), "Jankowski, Charles R., Jr.");
        assert_eq!(author("Jan van der Berg, III"), "van der Berg, Jan, III");
        assert_eq!(author("Jan Hajič"), "Jan Hajič");
        assert_eq!(author("García Márquez, Gabriel"), "García Márquez, Gabriel");
    }
}
