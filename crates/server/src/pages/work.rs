//! The paper page: title and abstract with TeX as MathML, every author linked, venue, year and type,
//! identifiers as links, sources, exports.

use super::{authors_html, meta_line, PageError, PageResult};
use crate::html::{esc, layout, url_part, work_href};
use crate::math;
use crate::{blocking, AppState};
use arrow_engine::VersionRef;
use arrow_export::Format;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse};
use std::fmt::Write;

pub async fn page(State(arrow): State<AppState>, Path(id): Path<String>) -> PageResult {
    let lookup = id.clone();
    let found = blocking(&arrow, move |a| {
        let Some(w) = a.work(&lookup)? else { return Ok(None) };
        // Related papers are a nicety: a failure there must not lose the page.
        let related = a.related(&lookup, 5).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "related papers failed");
            Vec::new()
        });
        let versions = a.versions_of(&lookup).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "versions failed");
            Vec::new()
        });
        let people = a.people_of_work(&lookup).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "the work's people failed");
            Vec::new()
        });
        Ok(Some((w, related, versions, people)))
    })
    .await;
    let Some((work, mut related, versions, people)) = found? else {
        return Err(PageError::not_found("No such paper", format!("Arrow has no work {id}.")));
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<article class=\"paper\"><p class=\"meta\">{}</p><h1>{}</h1>",
        meta_line(&work),
        math::render(&work.title)
    );
    body.push_str(&authors_with_people(&work, &people));
    body.push_str("<dl class=\"facts\">");
    if let Some(v) = &work.venue {
        let href = format!("/search?venue={}", url_part(v));
        let _ = write!(
            body,
            "<dt>Venue</dt><dd><a href=\"{}\">{}</a> ({})</dd>",
            esc(&href),
            esc(v),
            work.venue_kind.label()
        );
    } else {
        let _ = write!(body, "<dt>Venue</dt><dd>{}</dd>", work.venue_kind.label());
    }
    if let Some(y) = work.year {
        let _ = write!(body, "<dt>Year</dt><dd><a href=\"/search?year={y}\">{y}</a></dd>");
    }
    if let Some(t) = &work.pub_type {
        let href = format!("/search?type={}", url_part(t));
        let _ = write!(body, "<dt>Type</dt><dd><a href=\"{}\">{}</a></dd>", esc(&href), esc(t));
    }
    body.push_str("</dl>");
    body.push_str(&versions_html(&versions));
    // A version is listed once, under Versions, not again as a related paper.
    related.retain(|h| !versions.iter().any(|v| v.id == h.work.id.0));
    if let Some(a) = &work.abstract_text {
        let _ = write!(body, "<h2>Abstract</h2><p class=\"abstract\">{}</p>", math::render(a));
    }
    let mut ids = String::new();
    if let Some(doi) = &work.ids.doi {
        let href = format!("https://doi.org/{}", doi_path(doi));
        let _ = write!(ids, "<li>DOI <a href=\"{}\">{}</a></li>", esc(&href), esc(doi));
    }
    if let Some(arxiv) = &work.ids.arxiv {
        let href = format!("https://arxiv.org/abs/{}", doi_path(arxiv));
        let _ = write!(ids, "<li>arXiv <a href=\"{}\">{}</a></li>", esc(&href), esc(arxiv));
    }
    if let Some(key) = &work.ids.dblp {
        let href = format!("https://dblp.org/rec/{}", doi_path(key));
        let _ = write!(ids, "<li>DBLP <a href=\"{}\">{}</a></li>", esc(&href), esc(key));
    }
    if let Some(oa) = &work.ids.openalex {
        let short = oa.rsplit('/').next().unwrap_or(oa);
        let href = format!("https://openalex.org/{}", url_part(short));
        let _ = write!(ids, "<li>OpenAlex <a href=\"{}\">{}</a></li>", esc(&href), esc(short));
    }
    for u in work.ids.urls.iter().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        let _ = write!(ids, "<li><a href=\"{0}\" rel=\"nofollow noopener\">{0}</a></li>", esc(u));
    }
    if !ids.is_empty() {
        let _ = write!(body, "<h2>Identifiers</h2><ul class=\"ids\">{ids}</ul>");
    }
    body.push_str("<h2>Cite</h2>");
    let api = format!("/api/v1{}", work_href(&work.id.0));
    let _ = write!(
        body,
        "<p class=\"exports\"><span>Download:</span> <a class=\"button\" href=\"{0}.bib\" download>BibTeX</a> \
         <a class=\"button\" href=\"{0}.ris\" download>RIS</a> <a class=\"button\" href=\"{0}.csl.json\" download>CSL-JSON</a></p>",
        esc(&api)
    );
    let bib = arrow_export::to_string(Format::Bibtex, [&work]);
    let _ = write!(
        body,
        "<details class=\"bibtex\"><summary>Show BibTeX</summary><pre tabindex=\"0\" aria-label=\"BibTeX\"><code>{}</code></pre></details>",
        esc(&bib)
    );
    body.push_str("<h2>Sources</h2><ul class=\"sources\">");
    for p in &work.provenance {
        let _ = write!(body, "<li>{} record {}</li>", esc(&p.source), esc(&p.record_id));
    }
    body.push_str("</ul></article>");
    if !related.is_empty() {
        body.push_str("<section class=\"related\" aria-labelledby=\"related-heading\"><h2 id=\"related-heading\">Related papers</h2>");
        for hit in &related {
            body.push_str(&super::entry(&hit.work, ""));
        }
        body.push_str("</section>");
    }
    let description = work.abstract_text.as_deref().unwrap_or(&work.title).chars().take(200).collect::<String>();
    Ok(Html(layout(&work.title, &description, "", &body)).into_response())
}

/// The other versions of the paper (published more than once), each linked, with venue and year.
fn versions_html(versions: &[VersionRef]) -> String {
    if versions.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "<section class=\"versions\" aria-labelledby=\"versions-heading\"><h2 id=\"versions-heading\">Versions</h2>\
         <p class=\"note\">The same paper, published more than once.</p><ul>",
    );
    for v in versions {
        let _ = write!(out, "<li><a href=\"{}\">{}</a>", esc(&work_href(&v.id)), math::render(&v.title));
        let place = super::version_label(v);
        if !place.is_empty() {
            let _ = write!(out, " <span class=\"where\">{}</span>", esc(&place));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul></section>");
    out
}

/// An identifier as a URL path: kept readable (`/`, `:` and `.` stay), everything else encoded.
fn doi_path(s: &str) -> String {
    s.split('/').map(url_part).collect::<Vec<_>>().join("/").replace("%3A", ":")
}

/// Every author linked to their name cluster and, after `disambiguate`, to the person Arrow made of them.
fn authors_with_people(work: &arrow_model::Work, people: &[Option<String>]) -> String {
    if people.iter().all(Option::is_none) {
        return authors_html(work, usize::MAX, "authors full");
    }
    let mut out = String::from("<ul class=\"authors full\" aria-label=\"Authors\">");
    for a in work.ordered_authors() {
        let _ = write!(out, "<li><a href=\"{}\">{}</a>", esc(&crate::html::name_href(&a.name)), esc(&a.name));
        let slot = work.authors.iter().position(|x| std::ptr::eq(x, a));
        if let Some(person) = slot.and_then(|s| people.get(s)).and_then(Option::as_ref) {
            let _ = write!(
                out,
                " <a class=\"person-link\" href=\"{}\" aria-label=\"{} as a person: every paper and name variant\">person</a>",
                esc(&super::person::person_href(person)),
                esc(&a.name)
            );
        }
        out.push_str("</li>");
    }
    if work.authors_truncated {
        out.push_str("<li class=\"more\">(list shortened by the source)</li>");
    }
    out.push_str("</ul>");
    out
}
