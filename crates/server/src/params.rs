//! Parameters shared by the pages and the API: year ranges, filters, sorts.

use arrow_engine::{Filters, MentionRef, Sort, YearRange};

/// Deepest offset a list may be paged to (deeper pages cost a full collection each).
pub const MAX_OFFSET: usize = 10_000;

/// A year or range from an address (`?year=`, `filter=year:`), with its error as the text a reader sees.
pub fn parse_years(s: &str) -> Result<YearRange, String> {
    YearRange::parse(s).map_err(|e| e.to_string())
}

/// A mention named in an address (`?a=WORK_ID%23POSITION`), its error naming the parameter. A `#` written as is
/// starts the address's fragment and never reaches the server, hence the reminder to write it `%23`.
pub fn parse_mention(name: &str, value: Option<&str>) -> Result<MentionRef, String> {
    let Some(value) = value.filter(|v| !v.trim().is_empty()) else {
        return Err(format!(
            "{name} is missing: name two mentions as ?a=WORK_ID%23POSITION&b=WORK_ID%23POSITION (# is written %23)"
        ));
    };
    let hint = if value.contains('#') { "" } else { " (# is written %23 in an address)" };
    value.parse().map_err(|e| format!("{name}: {e}{hint}"))
}

pub const FILTER_KEYS: [&str; 3] = ["year", "venue", "type"];

/// Parses an OpenAlex-style filter: `year:2019-2023,venue:ICML|NeurIPS,type:Conference Paper`. A comma not
/// followed by a known `key:` belongs to the value before it ("Proc. A, B").
pub fn parse_filter(s: &str) -> Result<Filters, String> {
    let mut parts: Vec<String> = Vec::new();
    for piece in s.split(',') {
        let starts_key = piece.split_once(':').is_some_and(|(k, _)| FILTER_KEYS.contains(&k.trim()));
        match parts.last_mut() {
            Some(last) if !starts_key => {
                last.push(',');
                last.push_str(piece);
            }
            _ => parts.push(piece.to_string()),
        }
    }
    let mut f = Filters::default();
    for part in parts.iter().filter(|p| !p.trim().is_empty()) {
        let Some((key, value)) = part.split_once(':') else {
            return Err(format!("filter {part:?} is not key:value; keys are year, venue and type"));
        };
        let values = || value.split('|').map(str::trim).filter(|v| !v.is_empty()).map(String::from);
        match key.trim() {
            "year" if f.years.is_some() => {
                return Err("year is filtered twice; give one year or range (year:2018-2019)".into());
            }
            "year" => f.years = Some(parse_years(value)?),
            "venue" | "type" if values().next().is_none() => {
                return Err(format!("filter {} has no value", key.trim()));
            }
            "venue" => f.venues.extend(values()),
            "type" => f.types.extend(values()),
            other => return Err(format!("unknown filter {other:?}; use year, venue or type")),
        }
    }
    Ok(f)
}

/// Parses a sort: `relevance`, `year:desc`, `year:asc` (`year` alone is newest first).
pub fn parse_sort(s: Option<&str>) -> Result<Sort, String> {
    match s.map(str::trim) {
        None | Some("" | "relevance" | "relevance_score:desc") => Ok(Sort::Relevance),
        Some("year:desc" | "year" | "publication_year:desc") => Ok(Sort::YearDesc),
        Some("year:asc" | "publication_year:asc") => Ok(Sort::YearAsc),
        Some(other) => Err(format!("unknown sort {other:?}; use relevance, year:desc or year:asc")),
    }
}

pub fn sort_name(s: Sort) -> &'static str {
    match s {
        Sort::Relevance => "relevance",
        Sort::YearDesc => "year:desc",
        Sort::YearAsc => "year:asc",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_the_query_languages_year_ranges() {
        assert_eq!(parse_years("2019-2023"), Ok(YearRange { from: Some(2019), to: Some(2023) }));
        assert_eq!(parse_years(">2019"), Ok(YearRange { from: Some(2020), to: None }));
        let e = parse_years("soon").unwrap_err();
        assert!(e.contains("not a year"), "{e}");
    }

    #[test]
    fn mentions_name_their_parameter() {
        assert_eq!(parse_mention("a", Some("dblp:x/y#2")), Ok(MentionRef { work: "dblp:x/y".into(), position: 2 }));
        assert!(parse_mention("b", None).unwrap_err().starts_with("b is missing"));
        assert!(parse_mention("a", Some(" ")).unwrap_err().starts_with("a is missing"));
        let e = parse_mention("a", Some("dblp:x/y")).unwrap_err();
        assert!(e.starts_with("a: ") && e.contains("expected WORK_ID#POSITION") && e.contains("%23"), "{e}");
        assert!(parse_mention("b", Some("w#0")).unwrap_err().contains("count from 1"));
    }

    #[test]
    fn filters() {
        let f = parse_filter("year:2019-2023,venue:ICML|NeurIPS,type:Conference Paper").unwrap();
        assert_eq!(f.years, Some(YearRange { from: Some(2019), to: Some(2023) }));
        assert_eq!(f.venues, vec!["ICML", "NeurIPS"]);
        assert_eq!(f.types, vec!["Conference Paper"]);
        let f = parse_filter("venue:Proc. A, B,year:2020").unwrap();
        assert_eq!(f.venues, vec!["Proc. A, B"]);
        assert!(parse_filter("colour:red").is_err());
        assert!(parse_filter("year").is_err());
        assert!(parse_filter("year:2019,year:2018").unwrap_err().contains("twice"), "not the last one silently");
        assert!(parse_filter("venue:").unwrap_err().contains("no value"));
    }
}
