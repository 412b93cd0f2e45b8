/// The first run of exactly four ASCII digits, as a year: dates as sources write them ("2019-05-02",
/// "Mon, 2 Apr 2007", "1998 Dec-1999 Jan", "2020///"). A longer run of digits is a number, not a year.
pub fn year_in(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i - start == 4 {
                return s[start..i].parse().ok();
            }
        } else {
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::year_in;
    use proptest::prelude::*;

    #[test]
    fn the_first_four_digit_run_is_the_year() {
        assert_eq!(year_in("Mon, 2 Apr 2007 19:18:42 GMT"), Some(2007));
        assert_eq!(year_in("1998 Dec-1999 Jan"), Some(1998));
        assert_eq!(year_in("2020///"), Some(2020));
        assert_eq!(year_in("2019-05-02"), Some(2019));
        assert_eq!(year_in("12345"), None);
        assert_eq!(year_in("no date"), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC*") {
            if let Some(y) = year_in(&s) {
                prop_assert!((0..=9999).contains(&y));
            }
        }
    }
}
