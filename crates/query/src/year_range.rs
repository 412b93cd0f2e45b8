//! A range of publication years, and the one parser every surface uses for it: the query language's
//! `year:`, the API's `filter=year:`, the pages' `?year=` and the CLI.

use std::fmt;
use std::str::FromStr;

/// Years from `from` to `to`, both included; an open end is `None`. Never both open, never reversed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct YearRange {
    pub from: Option<i32>,
    pub to: Option<i32>,
}

/// Why a text is not a year range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearRangeError(String);

impl fmt::Display for YearRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for YearRangeError {}

impl YearRange {
    pub fn year(y: i32) -> Self {
        YearRange { from: Some(y), to: Some(y) }
    }

    /// `2020`; `2019-2023` or `2019..2023`; open ends `2019-`, `-2020`, `2019..`, `..2020`; `>2019`, `>=2019`,
    /// `<2020`, `<=2020`. Years have one to four digits. A reversed range is read in order ("2023-2019" is
    /// 2019 to 2023): the user's meaning is plain, and every surface reads it the same way.
    pub fn parse(text: &str) -> Result<Self, YearRangeError> {
        let s = text.trim();
        let bad = || {
            YearRangeError(format!(
                "{s:?} is not a year or a range of years (2020, 2019-2023, 2019..2023, >2019, <2020)"
            ))
        };
        let end = |t: &str| -> Result<Option<i32>, YearRangeError> {
            let t = t.trim();
            match t {
                "" => Ok(None),
                // Four digits at most: anything longer is not a year, and `+ 1` below stays in range.
                _ if t.len() <= 4 && t.bytes().all(|b| b.is_ascii_digit()) => Ok(t.parse().ok()),
                _ => Err(bad()),
            }
        };
        let (from, to) = if let Some(rest) = s.strip_prefix(">=") {
            (end(rest)?, None)
        } else if let Some(rest) = s.strip_prefix("<=") {
            (None, end(rest)?)
        } else if let Some(rest) = s.strip_prefix('>') {
            (end(rest)?.map(|y| y + 1), None)
        } else if let Some(rest) = s.strip_prefix('<') {
            // Before year 0 there is nothing to find: refused rather than a negative year.
            match end(rest)? {
                Some(0) => return Err(bad()),
                y => (None, y.map(|y| y - 1)),
            }
        } else if let Some((a, b)) = s.split_once("..").or_else(|| s.split_once('-')) {
            (end(a)?, end(b)?)
        } else {
            let y = end(s)?;
            (y, y)
        };
        match (from, to) {
            (None, None) => Err(bad()),
            (Some(a), Some(b)) if a > b => Ok(YearRange { from: Some(b), to: Some(a) }),
            (from, to) => Ok(YearRange { from, to }),
        }
    }

    pub fn contains(&self, year: i32) -> bool {
        self.from.is_none_or(|a| a <= year) && self.to.is_none_or(|b| year <= b)
    }
}

/// The form `parse` reads back and filters use: `2020`, `2019-2023`, `2019-`, `-2020`.
impl fmt::Display for YearRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.from, self.to) {
            (Some(a), Some(b)) if a == b => write!(f, "{a}"),
            (Some(a), Some(b)) => write!(f, "{a}-{b}"),
            (Some(a), None) => write!(f, "{a}-"),
            (None, Some(b)) => write!(f, "-{b}"),
            (None, None) => Ok(()),
        }
    }
}

impl FromStr for YearRange {
    type Err = YearRangeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        YearRange::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(from: Option<i32>, to: Option<i32>) -> YearRange {
        YearRange { from, to }
    }

    #[test]
    fn every_written_form_reads_the_same_way() {
        assert_eq!(YearRange::parse("2020"), Ok(YearRange::year(2020)));
        assert_eq!(YearRange::parse(" 2019-2023 "), Ok(r(Some(2019), Some(2023))));
        assert_eq!(YearRange::parse("2019..2023"), Ok(r(Some(2019), Some(2023))));
        assert_eq!(YearRange::parse("2019-"), Ok(r(Some(2019), None)));
        assert_eq!(YearRange::parse("2019.."), Ok(r(Some(2019), None)));
        assert_eq!(YearRange::parse("-2020"), Ok(r(None, Some(2020))));
        assert_eq!(YearRange::parse("..2020"), Ok(r(None, Some(2020))));
        assert_eq!(YearRange::parse(">2019"), Ok(r(Some(2020), None)));
        assert_eq!(YearRange::parse(">=2019"), Ok(r(Some(2019), None)));
        assert_eq!(YearRange::parse("<2020"), Ok(r(None, Some(2019))));
        assert_eq!(YearRange::parse("<=2020"), Ok(r(None, Some(2020))));
    }

    #[test]
    fn a_reversed_range_is_read_in_order() {
        assert_eq!(YearRange::parse("2023-2019"), Ok(r(Some(2019), Some(2023))));
        assert_eq!(YearRange::parse("2023..2019"), Ok(r(Some(2019), Some(2023))));
    }

    #[test]
    fn what_is_not_a_year_is_refused_with_the_forms_that_are() {
        for bad in ["", "-", "..", "recent", "20201", "2020..abc", ">", "<=x", "2019-2020-2021", "-12345", "<0"] {
            let e = YearRange::parse(bad).unwrap_err();
            assert!(e.to_string().contains("2019-2023"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn contains_follows_the_ends() {
        let r = YearRange::parse("2019-2021").unwrap();
        assert!(r.contains(2019) && r.contains(2021) && !r.contains(2022) && !r.contains(2018));
        assert!(YearRange::parse(">2019").unwrap().contains(9999));
    }

    proptest! {
        #[test]
        fn never_panics_and_display_reads_back(s in "\\PC{0,12}") {
            if let Ok(r) = YearRange::parse(&s) {
                prop_assert_eq!(YearRange::parse(&r.to_string()), Ok(r));
            }
        }

        #[test]
        fn any_pair_of_years_round_trips(a in 0i32..=9999, b in 0i32..=9999) {
            let r = YearRange::parse(&format!("{a}-{b}")).unwrap();
            prop_assert_eq!(r, YearRange { from: Some(a.min(b)), to: Some(a.max(b)) });
        }
    }
}
