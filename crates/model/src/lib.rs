//! Arrow's data model: works, their authorships, identifiers and provenance.
//!
//! No I/O lives here. Every stage of the pipeline (parse → store → index → serve) speaks these types.
//!
//! ```
//! use arrow_model::{Authorship, VenueKind, Work};
//! let mut w = Work::new("seed:aioli", "Aioli: A Unified Optimization Framework");
//! w.venue = Some("ICLR".into());
//! w.venue_kind = VenueKind::Conference;
//! w.authors.push(Authorship::at(1, "Mayee F. Chen"));
//! assert_eq!(w.authors[0].position, Some(1));
//! ```

mod ids;
mod venue;
mod work;

pub use ids::{Identifiers, WorkId};
pub use venue::VenueKind;
pub use work::{Authorship, Provenance, Work};
