use std::fmt;
use std::str::FromStr;

/// A source format Arrow reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// Arrow's canonical JSON lines, which also accepts the minimal benchmark shape.
    Jsonl,
    /// A pasted "Arrow Research search" author name cluster page (the seed page).
    SeedPage,
}

impl Format {
    pub const ALL: &'static [Format] = &[Format::Jsonl, Format::SeedPage];

    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::SeedPage => "seed-page",
        }
    }

    /// All names, comma separated, for messages.
    pub fn names() -> String {
        Format::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
    }

    /// Recognises a format from the first bytes of (decompressed) input.
    pub fn detect(head: &[u8]) -> Option<Format> {
        let text = String::from_utf8_lossy(head);
        let trimmed = text.trim_start_matches('\u{feff}').trim_start();
        if trimmed.starts_with("Arrow Research search") {
            return Some(Format::SeedPage);
        }
        if trimmed.starts_with('{') {
            return Some(Format::Jsonl);
        }
        None
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| format!("unknown format {s:?}; known formats: {}", Format::names()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(Format::detect(b"{\"id\":1}"), Some(Format::Jsonl));
        assert_eq!(Format::detect("\u{feff}Arrow Research search\n".as_bytes()), Some(Format::SeedPage));
        assert_eq!(Format::detect(b"hello"), None);
    }

    #[test]
    fn names_round_trip() {
        for f in Format::ALL {
            assert_eq!(f.name().parse::<Format>().unwrap(), *f);
        }
    }
}
