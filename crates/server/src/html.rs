//! HTML building blocks. Every string that comes from data goes through [`esc`] or [`url_part`].

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use std::fmt::Write;

/// Escapes text for element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Bidi overrides in data must not reorder the page around them.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(out, "&#x{:x};", c as u32);
            }
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const PATH_PART: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');
const PATH_WITH_SLASHES: &AsciiSet = &PATH_PART.remove(b'/').remove(b':');

/// Encodes one path segment or query value.
pub fn url_part(s: &str) -> String {
    utf8_percent_encode(s, PATH_PART).to_string()
}

pub fn name_href(name: &str) -> String {
    format!("/names/{}", url_part(name))
}

pub fn work_href(id: &str) -> String {
    format!("/works/{}", utf8_percent_encode(id, PATH_WITH_SLASHES))
}

/// A complete page. `title` is plain text; `body` is already-safe HTML.
pub fn layout(title: &str, description: &str, query: &str, body: &str) -> String {
    format!(
        r##"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Arrow Research search</title>
<meta name="description" content="{description}">
<link rel="stylesheet" href="/static/arrow.css">
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<script src="/static/suggest.js" defer></script>
</head>
<body>
<a class="skip" href="#content">Skip to results and content</a>
<header class="top">
<a class="brand" href="/">Arrow Research search</a>
<form class="searchbox" action="/search" method="get" role="search">
<label for="q" class="visually-hidden">Search papers</label>
<input id="q" name="q" type="search" value="{query}" placeholder="Search titles, abstracts, authors, venues" autocomplete="off" list="suggestions" aria-describedby="search-help">
<datalist id="suggestions"></datalist>
<button type="submit">Search</button>
</form>
<a id="search-help" class="help-link" href="/help">How to search</a>
</header>
<main id="content">
{body}
</main>
<footer class="foot"><a href="/help">Search help</a> · <a href="/api/v1/openapi.json">API (OpenAPI)</a></footer>
</body>
</html>
"##,
        title = esc(title),
        description = esc(description),
        query = esc(query),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_bidi() {
        assert_eq!(esc("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
        assert_eq!(esc("a\"b'c&"), "a&quot;b&#39;c&amp;");
        assert_eq!(esc("x\u{202e}y"), "x&#x202e;y");
        assert_eq!(esc("nul\u{0}"), "nul\u{fffd}");
    }

    #[test]
    fn hrefs_encode_data() {
        assert_eq!(name_href("Christopher Ré"), "/names/Christopher%20R%C3%A9");
        assert_eq!(work_href("dblp:conf/icml/LiuWRBS14"), "/works/dblp:conf/icml/LiuWRBS14");
        assert_eq!(work_href("x\"><script>"), "/works/x%22%3E%3Cscript%3E");
    }
}
