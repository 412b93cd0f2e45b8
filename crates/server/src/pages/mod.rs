//! Server-rendered pages. They work without JavaScript.

pub mod curator;
pub mod explain;
pub mod help;
pub mod name;
pub mod person;
pub mod search;
pub mod work;

use crate::html::{esc, layout, name_href, url_part, work_href};
use crate::math;
use arrow_model::Work;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

/// Authors shown before "+N more", as on the seed page.
pub const SHOWN_AUTHORS: usize = 8;

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../assets/arrow.css")).into_response()
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../../assets/suggest.js"),
    )
        .into_response()
}

pub async fn favicon() -> Response {
    (
        [(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")],
        include_str!("../../assets/favicon.svg"),
    )
        .into_response()
}

pub async fn not_found() -> PageError {
    PageError::not_found("Not found", "There is no page at this address.")
}

/// Why a page could not be shown, rendered as an HTML error page: handlers return `Result<Response, PageError>`
/// and use `?` on engine calls, whose failures (already classified and stripped of internals) become a
/// "Something went wrong" page with their status.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    title: String,
    message: String,
    /// A page to go back to (the person a refused change was for).
    back: Option<String>,
}

impl PageError {
    pub fn new(status: StatusCode, title: impl Into<String>, message: impl Into<String>) -> Self {
        PageError { status, title: title.into(), message: message.into(), back: None }
    }

    /// The same error, titled and linked back for a change that was refused.
    pub fn refused(self, back: String) -> Self {
        PageError { title: "The change was not made".into(), back: Some(back), ..self }
    }

    pub fn not_found(title: impl Into<String>, message: impl Into<String>) -> Self {
        PageError::new(StatusCode::NOT_FOUND, title, message)
    }
}

impl From<crate::error::ApiError> for PageError {
    fn from(e: crate::error::ApiError) -> Self {
        PageError::new(e.status, "Something went wrong", e.message)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match &self.back {
            Some(back) => {
                let body = format!(
                    "<h1>{}</h1><p>{}</p><p><a href=\"{}\">Back to the person</a></p>",
                    esc(&self.title),
                    esc(&self.message),
                    esc(back)
                );
                (self.status, Html(layout(&self.title, &self.message, "", &body))).into_response()
            }
            None => error_page(self.status, &self.title, &self.message),
        }
    }
}

/// What a page handler returns.
pub type PageResult = Result<Response, PageError>;

fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"/\">Start a new search</a> or read <a href=\"/help\">how to search</a>.</p>",
        esc(title),
        esc(message)
    );
    (status, Html(layout(title, message, "", &body))).into_response()
}

/// "1 paper", "2 papers": a count with its noun (one that takes an "s").
pub fn counted(n: usize, noun: &str) -> String {
    format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
}

/// The line "ICLR Conference 2025 Conference Paper".
pub fn meta_line(w: &Work) -> String {
    let mut parts = Vec::new();
    if let Some(v) = &w.venue {
        parts.push(esc(v));
    }
    parts.push(w.venue_kind.label().to_string());
    if let Some(y) = w.year {
        parts.push(y.to_string());
    }
    if let Some(t) = &w.pub_type {
        parts.push(esc(t));
    }
    parts.join(" ")
}

/// The author list, each linked to its name cluster, cut at eight with "+N more".
pub fn author_list(w: &Work) -> String {
    authors_html(w, SHOWN_AUTHORS, "authors")
}

/// Authors, each linked to its name cluster, cut at `shown` with "+N more".
pub fn authors_html(w: &Work, shown: usize, class: &str) -> String {
    let authors = w.ordered_authors();
    let mut out = format!("<ul class=\"{class}\" aria-label=\"Authors\">");
    for a in authors.iter().take(shown) {
        let _ = write!(out, "<li><a href=\"{}\">{}</a></li>", esc(&name_href(&a.name)), esc(&a.name));
    }
    let hidden = authors.len().saturating_sub(shown);
    if hidden > 0 {
        let _ = write!(out, "<li class=\"more\"><a href=\"{}\">+{hidden} more</a></li>", esc(&work_href(&w.id.0)));
    } else if w.authors_truncated {
        let _ = write!(out, "<li class=\"more\">(list shortened by the source)</li>");
    }
    out.push_str("</ul>");
    out
}

/// One paper as an entry of a list: meta line, linked title, authors and the given summary HTML.
pub fn entry(w: &Work, summary_html: &str) -> String {
    entry_html(w, &math::render(&w.title), summary_html)
}

/// [`entry`] with the title already as HTML (highlighted).
pub fn entry_html(w: &Work, title_html: &str, summary_html: &str) -> String {
    format!(
        "<article class=\"entry\"><p class=\"meta\">{}</p><h3><a href=\"{}\">{}</a></h3>{}{}</article>",
        meta_line(w),
        esc(&work_href(&w.id.0)),
        title_html,
        author_list(w),
        summary_html
    )
}

/// Where a version appeared: "JMLR 2015" (venue and year, whichever are known).
pub fn version_label(v: &arrow_engine::VersionRef) -> String {
    let mut parts = Vec::new();
    if let Some(venue) = &v.venue {
        parts.push(venue.clone());
    }
    if let Some(y) = v.year {
        parts.push(y.to_string());
    }
    parts.join(" ")
}

/// The line under a search result naming its other versions: "also: JMLR 2015", each linked.
pub fn versions_line(versions: &[arrow_engine::VersionRef]) -> String {
    if versions.is_empty() {
        return String::new();
    }
    let links: Vec<String> = versions
        .iter()
        .map(|v| {
            let label = version_label(v);
            let label = if label.is_empty() { v.title.clone() } else { label };
            format!("<a href=\"{}\" title=\"{}\">{}</a>", esc(&work_href(&v.id)), esc(&v.title), esc(&label))
        })
        .collect();
    format!("<p class=\"versions\">also: {}</p>", links.join(", "))
}

/// A highlighted piece of text: matches in `<mark>`, TeX as MathML, an ellipsis where it was cut.
pub fn snippet_html(s: &arrow_engine::Snippet) -> String {
    let marks: Vec<(usize, usize)> = s.highlights.iter().map(|h| (h.start, h.end)).collect();
    let mut out = String::new();
    if s.cut_start {
        out.push('…');
    }
    out.push_str(&math::render_marked(&s.text, &marks));
    if s.cut_end {
        out.push('…');
    }
    out
}

/// A link that narrows a list, shown with its count.
pub fn facet_link(href: &str, label: &str, count: u64, current: bool) -> String {
    if current {
        format!("<li><strong aria-current=\"true\">{}</strong> <span class=\"n\">{count}</span></li>", esc(label))
    } else {
        format!("<li><a href=\"{}\">{}</a> <span class=\"n\">{count}</span></li>", esc(href), esc(label))
    }
}

/// A year histogram: one row per year, a bar scaled to the largest count (classes, not inline styles,
/// so the strict CSP holds), each year a link.
pub fn year_histogram(rows: &[(String, u64, String, bool)]) -> String {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(1).max(1);
    let mut out = String::from("<ul class=\"hist\">");
    for (label, count, href, current) in rows {
        let w = ((*count as f64 / max as f64) * 10.0).ceil() as u64;
        let name = if *current {
            format!("<strong aria-current=\"true\">{}</strong>", esc(label))
        } else {
            format!("<a href=\"{}\" aria-label=\"{} ({count} papers)\">{}</a>", esc(href), esc(label), esc(label))
        };
        let _ = write!(
            out,
            "<li>{name}<span class=\"bar w{w}\" aria-hidden=\"true\"></span><span class=\"n\">{count}</span></li>"
        );
    }
    out.push_str("</ul>");
    out
}

/// Export links for a list or a work: `base` is the API URL the `format` parameter is added to.
pub fn export_links(base: &str, what: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut out = format!("<p class=\"exports\"><span>Export {}:</span> ", esc(what));
    let links: Vec<String> = [("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON")]
        .iter()
        .map(|(f, label)| {
            format!("<a class=\"button\" href=\"{}\">{label}</a>", esc(&format!("{base}{sep}format={f}")))
        })
        .collect();
    out.push_str(&links.join(" "));
    out.push_str("</p>");
    out
}

/// `?a=b&c=d` from pairs, skipping empty values.
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> =
        pairs.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", url_part(v))).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// "Previous · Page N of M · Next" links for a list split into pages; nothing when there is one page.
pub fn paging_nav(page: usize, pages: usize, href: impl Fn(usize) -> String) -> String {
    if pages <= 1 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"paging\" aria-label=\"Pages\">");
    if page > 1 {
        let _ = write!(out, "<a rel=\"prev\" href=\"{}\">Previous</a> ", esc(&href(page - 1)));
    }
    let _ = write!(out, "<span>Page {page} of {pages}</span>");
    if page < pages {
        let _ = write!(out, " <a rel=\"next\" href=\"{}\">Next</a>", esc(&href(page + 1)));
    }
    out.push_str("</nav>");
    out
}
