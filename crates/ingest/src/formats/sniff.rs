//! Content sniffing for the JSON and XML source formats: which source wrote these bytes?

use crate::Format;

/// The keys of the first top-level JSON value in `head` (all depths), each with the start of its value when
/// that is a string. Stops at the end of the first value or of the head (which may cut it).
fn first_value_keys(head: &[u8]) -> Vec<(String, String)> {
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    let mut pending_key: Option<String> = None;
    while i < head.len() {
        match head[i] {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < head.len() && head[i] != b'"' {
                    if head[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                let s = String::from_utf8_lossy(&head[start..i.min(head.len())]).into_owned();
                if let Some(k) = pending_key.take() {
                    keys.push((k, s));
                    i += 1;
                    continue;
                }
                let mut j = i + 1;
                while j < head.len() && head[j].is_ascii_whitespace() {
                    j += 1;
                }
                if head.get(j) == Some(&b':') {
                    let mut v = j + 1;
                    while v < head.len() && head[v].is_ascii_whitespace() {
                        v += 1;
                    }
                    if head.get(v) == Some(&b'"') {
                        pending_key = Some(s);
                    } else {
                        keys.push((s, String::new()));
                    }
                    i = v;
                    continue;
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
        i += 1;
    }
    keys
}

/// Recognises the JSON sources by the keys of the first object; other JSON objects are Arrow's own lines.
pub(crate) fn detect_json(text: &str) -> Option<Format> {
    let keys = first_value_keys(text.as_bytes());
    let has = |k: &str| keys.iter().any(|(key, _)| key == k);
    if has("paperId") || has("authorId") || has("corpusid") || has("citingPaper") || has("citedPaper") {
        return Some(Format::SemanticScholar);
    }
    if keys.iter().any(|(k, v)| k == "id" && v.starts_with("https://openalex.org/W"))
        || has("abstract_inverted_index")
        || has("authorships")
    {
        return Some(Format::OpenAlex);
    }
    if has("submitter") || has("authors_parsed") || (has("versions") && has("categories")) {
        return Some(Format::ArxivJsonl);
    }
    let crossref_keys =
        ["message", "message-type", "items", "container-title", "member", "prefix", "is-referenced-by-count"];
    if has("DOI") && crossref_keys.iter().any(|k| has(k)) {
        return Some(Format::Crossref);
    }
    text.starts_with('{').then_some(Format::Jsonl)
}

/// Recognises arXiv's Atom feed and PubMed's XML.
pub(crate) fn detect_xml(text: &str) -> Option<Format> {
    if !text.starts_with('<') {
        return None;
    }
    if text.contains("<PubmedArticleSet") || text.contains("<!DOCTYPE PubmedArticleSet") {
        return Some(Format::Pubmed);
    }
    if text.contains("<feed") && text.contains("arxiv") {
        return Some(Format::ArxivAtom);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_first_value_only() {
        let keys = first_value_keys(br#"{"a": {"b\"x": "v"}, "c": [1, {"d": null}]}{"e":1}"#);
        let names: Vec<_> = keys.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, ["a", "b\\\"x", "c", "d"]);
        assert_eq!(keys[1].1, "v");
    }

    #[test]
    fn escaped_key_lookalikes_are_not_keys() {
        assert_eq!(detect_json(r#"{"id":"x","title":"\"paperId\": a title"}"#), Some(Format::Jsonl));
        assert_eq!(detect_json(r#"[{"paperId":"x"}]"#), Some(Format::SemanticScholar));
        assert_eq!(detect_json(r#"[1,2]"#), None);
    }
}
