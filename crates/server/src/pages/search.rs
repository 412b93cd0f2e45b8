use super::entry;
use crate::html::{esc, layout, url_part};
use crate::{blocking, AppState};
use arrow_engine::SearchOptions;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;
use std::fmt::Write;

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub offset: usize,
    #[serde(default)]
    pub venue: Option<String>,
}

const PAGE: usize = 20;

pub async fn page(State(arrow): State<AppState>, Query(p): Query<Params>) -> Response {
    let mut opts = SearchOptions::query(&p.q);
    opts.limit = PAGE;
    opts.offset = p.offset.min(10_000);
    opts.facets = true;
    opts.venues = p.venue.iter().cloned().collect();
    let results = match blocking(&arrow, move |a| a.search(&opts)).await {
        Ok(r) => r,
        Err(e) => return super::error_page(e.status, "Something went wrong", &e.message),
    };
    let mut body = String::new();
    let heading = if p.q.trim().is_empty() { "Recent papers".to_string() } else { format!("Results for {}", p.q) };
    let _ = write!(body, "<h1>{}</h1><p class=\"total\">{} results</p>", esc(&heading), results.total);
    if results.fuzzy {
        body.push_str("<p class=\"note\">No exact matches; showing papers with words one letter away.</p>");
    }
    if let Some(f) = &results.facets {
        if !f.venues.is_empty() {
            body.push_str("<nav class=\"facets\" aria-label=\"Venues\"><h2>Venues</h2><ul>");
            for v in f.venues.iter().take(10) {
                let href = format!("/search?q={}&venue={}", url_part(&p.q), url_part(&v.value));
                let _ = write!(body, "<li><a href=\"{}\">{}</a> ({})</li>", esc(&href), esc(&v.value), v.count);
            }
            body.push_str("</ul></nav>");
        }
    }
    if results.hits.is_empty() {
        body.push_str("<p>No papers match. Check the spelling, use fewer words, or remove quotes and field names.</p>");
    }
    for hit in &results.hits {
        let summary = hit
            .work
            .abstract_text
            .as_deref()
            .map(|a| format!("<p class=\"snippet\">{}</p>", esc(&shorten(a, 300))))
            .unwrap_or_default();
        body.push_str(&entry(&hit.work, &summary));
    }
    let next = results.offset + results.hits.len();
    if next < results.total {
        let mut href = format!("/search?q={}&offset={next}", url_part(&p.q));
        if let Some(v) = &p.venue {
            let _ = write!(href, "&venue={}", url_part(v));
        }
        let _ = write!(body, "<p class=\"paging\"><a rel=\"next\" href=\"{}\">Next page</a></p>", esc(&href));
    }
    let title = if p.q.is_empty() { "Search".to_string() } else { p.q.clone() };
    Html(layout(&title, "Search scholarly papers", &p.q, &body)).into_response()
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    if let Some(cut) = out.rfind(' ') {
        out.truncate(cut);
    }
    out.push('…');
    out
}
