use crate::formats::dblp_xml::Person;
use crate::Record;

/// One parsed item of any format: a work record, or a person record (only DBLP XML has those: its
/// `www` records with a `homepages/` key).
// Works are the common case: boxing them to shrink the rare person variant would cost an allocation each.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Work(Record),
    Person(Person),
}
