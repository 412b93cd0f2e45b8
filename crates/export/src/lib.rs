//! Citation exports of Arrow works: BibTeX, RIS and CSL-JSON.
//!
//! Exports are streamed: an [`Exporter`] writes one work at a time to any [`Write`], so exporting a whole
//! store never holds more than one work in memory. Cite keys (DBLP's key for a DBLP record,
//! `DBLP:conf/icml/LiuWRBS14`; else first author's surname + year + first title word, `liu2014asynchronous`) are
//! made unique within one stream by appending `a`, `b`, ...
//!
//! ```
//! use arrow_export::{Exporter, Format};
//! use arrow_model::{Authorship, VenueKind, Work};
//! let mut w = Work::new("seed:x", "Data Programming: Creating Large Training Sets, Quickly");
//! w.year = Some(2016);
//! w.venue = Some("NeurIPS".into());
//! w.venue_kind = VenueKind::Conference;
//! w.authors.push(Authorship::at(1, "Alexander Ratner"));
//! w.authors.push(Authorship::at(2, "Christopher Ré"));
//! let mut out = Vec::new();
//! let mut ex = Exporter::new(Format::Bibtex, &mut out);
//! ex.write(&w).unwrap();
//! ex.finish().unwrap();
//! let bib = String::from_utf8(out).unwrap();
//! assert!(bib.starts_with("@inproceedings{ratner2016data,"));
//! assert!(bib.contains("author = {Alexander Ratner and Christopher Ré}"));
//! assert!(bib.contains("booktitle = {NeurIPS}"));
//! ```

pub mod bibtex;
pub mod csl;
mod keys;
pub mod ris;

pub use keys::{base_key, split_name, surname, CiteKeys};

use arrow_model::Work;
use std::io::{self, Write};
use std::str::FromStr;

/// An export format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    Bibtex,
    Ris,
    CslJson,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Bibtex, Format::Ris, Format::CslJson];

    /// The name used on the command line and in URLs (`bibtex`, `ris`, `csl-json`).
    pub fn name(self) -> &'static str {
        match self {
            Format::Bibtex => "bibtex",
            Format::Ris => "ris",
            Format::CslJson => "csl-json",
        }
    }

    /// The file name extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Bibtex => "bib",
            Format::Ris => "ris",
            Format::CslJson => "json",
        }
    }

    /// The media type to serve the export with.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Bibtex => "application/x-bibtex; charset=utf-8",
            Format::Ris => "application/x-research-info-systems; charset=utf-8",
            Format::CslJson => "application/vnd.citationstyles.csl+json; charset=utf-8",
        }
    }
}

impl FromStr for Format {
    type Err = String;

    /// Accepts the names above, ignoring case, plus `bib`, `csl` and `csljson`.
    fn from_str(s: &str) -> Result<Format, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "bibtex" | "bib" => Ok(Format::Bibtex),
            "ris" => Ok(Format::Ris),
            "csl-json" | "csljson" | "csl" | "json" => Ok(Format::CslJson),
            other => Err(format!("unknown export format {other:?}; use bibtex, ris or csl-json")),
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Writes works one at a time in one format. Call [`Exporter::finish`] at the end (CSL-JSON closes its
/// array there; an empty export is still a valid document).
pub struct Exporter<W: Write> {
    out: W,
    format: Format,
    keys: CiteKeys,
    written: usize,
}

impl<W: Write> Exporter<W> {
    pub fn new(format: Format, out: W) -> Self {
        Exporter { out, format, keys: CiteKeys::default(), written: 0 }
    }

    /// Writes one work.
    pub fn write(&mut self, work: &Work) -> io::Result<()> {
        let key = self.keys.next(work);
        match self.format {
            Format::Bibtex => {
                if self.written > 0 {
                    self.out.write_all(b"\n")?;
                }
                self.out.write_all(bibtex::entry(work, &key).as_bytes())?;
            }
            Format::Ris => self.out.write_all(ris::record(work, &key).as_bytes())?,
            Format::CslJson => {
                self.out.write_all(if self.written == 0 { b"[\n" } else { b",\n" })?;
                let item = csl::item(work, &key);
                serde_json::to_writer_pretty(&mut self.out, &item)?;
            }
        }
        self.written += 1;
        Ok(())
    }

    /// How many works were written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    /// Ends the document and flushes; gives the writer back.
    pub fn finish(mut self) -> io::Result<W> {
        if self.format == Format::CslJson {
            self.out.write_all(if self.written == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Exports a list of works to a string (for one-shot uses such as a single paper's page).
pub fn to_string<'a>(format: Format, works: impl IntoIterator<Item = &'a Work>) -> String {
    let mut ex = Exporter::new(format, Vec::new());
    for w in works {
        // Writing to a Vec cannot fail.
        let _ = ex.write(w);
    }
    String::from_utf8(ex.finish().unwrap_or_default()).unwrap_or_default()
}
