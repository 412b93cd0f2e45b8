//! Text folding shared by every stage, so that a name or title is compared the same way when it is stored,
//! indexed and queried.
//!
//! ```
//! use arrow_normalize::{name_key, fold};
//! assert_eq!(name_key("Christopher RÉ"), name_key("christopher ré"));
//! assert_ne!(name_key("Ce Zhang 0001"), name_key("Ce Zhang"));
//! assert_eq!(fold("Ré"), "re");
//! ```

mod fold;
mod name;
mod space;
mod suggest;
mod year;

pub use fold::{fold, nfc, strip_diacritics};
pub use name::{name_key, split_homonym};
pub use space::collapse_whitespace;
pub use suggest::{suggest_fold, suggest_terms, ROTATION_SEP};
pub use year::year_in;
