//! CSL-JSON items (the format citeproc, Zotero and Pandoc read).

use arrow_model::{VenueKind, Work};
use serde_json::{json, Map, Value};

/// The CSL type for a venue kind.
pub fn csl_type(kind: VenueKind) -> &'static str {
    match kind {
        VenueKind::Conference | VenueKind::Workshop => "paper-conference",
        VenueKind::Journal => "article-journal",
        VenueKind::Book => "chapter",
        VenueKind::Thesis => "thesis",
        VenueKind::Preprint => "article",
        VenueKind::Other => "document",
    }
}

/// One item. Names are split into family and given (DBLP homonym numbers dropped); a one-word name is
/// given as `literal`.
pub fn item(work: &Work, key: &str) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(key));
    m.insert("type".into(), json!(csl_type(work.venue_kind)));
    m.insert("title".into(), json!(work.title));
    let authors: Vec<Value> = work
        .ordered_authors()
        .iter()
        .map(|a| {
            let (given, family, suffix) = crate::split_name(&a.name);
            if given.is_empty() {
                return json!({ "literal": a.name });
            }
            let mut n = Map::new();
            n.insert("family".into(), json!(family));
            n.insert("given".into(), json!(given));
            if !suffix.is_empty() {
                n.insert("suffix".into(), json!(suffix));
            }
            Value::Object(n)
        })
        .collect();
    if !authors.is_empty() {
        m.insert("author".into(), Value::Array(authors));
    }
    if let Some(v) = &work.venue {
        m.insert("container-title".into(), json!(v));
    }
    if let Some(y) = work.year {
        m.insert("issued".into(), json!({ "date-parts": [[y]] }));
    }
    if let Some(d) = &work.ids.doi {
        m.insert("DOI".into(), json!(d));
    }
    let url = work
        .ids
        .urls
        .first()
        .cloned()
        .or_else(|| work.ids.arxiv.as_ref().map(|a| format!("https://arxiv.org/abs/{a}")))
        .or_else(|| work.ids.doi.as_ref().map(|d| format!("https://doi.org/{d}")));
    if let Some(u) = url {
        m.insert("URL".into(), json!(u));
    }
    if let Some(a) = &work.ids.arxiv {
        m.insert("number".into(), json!(format!("arXiv:{a}")));
    }
    if let Some(a) = &work.abstract_text {
        m.insert("abstract".into(), json!(a));
    }
    m.insert("source".into(), json!(work.id.0));
    Value::Object(m)
}
