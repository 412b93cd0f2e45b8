//! Parameters shared by the pages and the API: year ranges, filters, sorts.

use arrow_engine::{SearchOptions, Sort};

/// Deepest offset a list may be paged to (deeper pages cost a full collection each).
pub const MAX_OFFSET: usize = 10_000;

/// Filters on a list of works.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub years: (Option<i32>, Option<i32>),
    pub venues: Vec<String>,
    pub types: Vec<String>,
}

impl Filters {
    pub fn apply(&self, opts: &mut SearchOptions) {
        opts.years = self.years;
        opts.venues = self.venues.clone();
        opts.types = self.types.clone();
    }

    pub fn is_empty(&self) -> bool {
        self.years == (None, None) && self.venues.is_empty() && self.types.is_empty()
    }
}

/// Parses a year or range: `2020`, `2019-2023`, `2019..2023`, `2019-`, `-2020`, `>2019`, `<2020`.
pub fn parse_years(s: &str) -> Result<(Option<i32>, Option<i32>), String> {
    let s = s.trim();
    let bad = || format!("{s:?} is not a year or a range of years (2020, 2019-2023, >2019, <2020)");
    let year = |t: &str| -> Result<Option<i32>, String> {
        let t = t.trim();
        if t.is_empty() {
            return Ok(None);
        }
        t.parse::<i32>().ok().filter(|y| (0..=9999).contains(y)).map(Some).ok_or_else(bad)
    };
    if let Some(rest) = s.strip_prefix('>') {
        return Ok((year(rest)?.map(|y| y + 1), None));
    }
    if let Some(rest) = s.strip_prefix('<') {
        return Ok((None, year(rest)?.map(|y| y - 1)));
    }
    let (from, to) = if let Some((a, b)) = s.split_once("..") {
        (year(a)?, year(b)?)
    } else if let Some((a, b)) = s.split_once('-') {
        (year(a)?, year(b)?)
    } else {
        let y = year(s)?;
        (y, y)
    };
    if from.is_none() && to.is_none() {
        return Err(bad());
    }
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(format!("year range {s:?} ends before it starts"));
        }
    }
    Ok((from, to))
}

/// Shows a year range the way [`parse_years`] reads it back.
pub fn show_years(years: (Option<i32>, Option<i32>)) -> String {
    match years {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}-{b}"),
        (Some(a), None) => format!("{a}-"),
        (None, Some(b)) => format!("-{b}"),
        (None, None) => String::new(),
    }
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
            "year" => f.years = parse_years(value)?,
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
    fn years() {
        assert_eq!(parse_years("2020"), Ok((Some(2020), Some(2020))));
        assert_eq!(parse_years("2019-2023"), Ok((Some(2019), Some(2023))));
        assert_eq!(parse_years("2019.."), Ok((Some(2019), None)));
        assert_eq!(parse_years(">2019"), Ok((Some(2020), None)));
        assert_eq!(parse_years("<2020"), Ok((None, Some(2019))));
        assert!(parse_years("soon").is_err());
        assert!(parse_years("2023-2019").is_err());
        assert_eq!(show_years((Some(2019), Some(2023))), "2019-2023");
    }

    #[test]
    fn filters() {
        let f = parse_filter("year:2019-2023,venue:ICML|NeurIPS,type:Conference Paper").unwrap();
        assert_eq!(f.years, (Some(2019), Some(2023)));
        assert_eq!(f.venues, vec!["ICML", "NeurIPS"]);
        assert_eq!(f.types, vec!["Conference Paper"]);
        let f = parse_filter("venue:Proc. A, B,year:2020").unwrap();
        assert_eq!(f.venues, vec!["Proc. A, B"]);
        assert!(parse_filter("colour:red").is_err());
        assert!(parse_filter("year").is_err());
    }
}
