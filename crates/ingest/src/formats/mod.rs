//! One module per source format. Each exposes `parse(name, reader) -> Records`.

use crate::{Format, IngestError, Records};
use std::io::BufRead;

pub mod jsonl;
mod lines;
pub mod seed_page;

pub(crate) fn parser_for<'a, R: BufRead + Send + 'a>(
    format: Format,
    name: String,
    reader: R,
) -> Result<Records<'a>, IngestError> {
    Ok(match format {
        Format::Jsonl => Box::new(jsonl::parse(name, reader)),
        Format::SeedPage => Box::new(seed_page::parse(name, reader)?),
    })
}
