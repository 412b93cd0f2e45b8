//! Server-rendered pages. They work without JavaScript.

pub mod name;
pub mod search;
pub mod work;

use crate::html::{esc, layout, name_href, work_href};
use arrow_model::Work;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

/// Authors shown before "+N more", as on the seed page.
pub const SHOWN_AUTHORS: usize = 8;

pub async fn stylesheet() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("../../assets/arrow.css")).into_response()
}

pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, "Not found", "There is no page at this address.")
}

pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!("<h1>{}</h1><p>{}</p>", esc(title), esc(message));
    (status, Html(layout(title, message, "", &body))).into_response()
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
    let authors = w.ordered_authors();
    let mut out = String::from("<ul class=\"authors\">");
    for a in authors.iter().take(SHOWN_AUTHORS) {
        let _ = write!(out, "<li><a href=\"{}\">{}</a></li>", esc(&name_href(&a.name)), esc(&a.name));
    }
    let hidden = authors.len().saturating_sub(SHOWN_AUTHORS);
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
    format!(
        "<article class=\"entry\"><p class=\"meta\">{}</p><h3><a href=\"{}\">{}</a></h3>{}{}</article>",
        meta_line(w),
        esc(&work_href(&w.id.0)),
        esc(&w.title),
        author_list(w),
        summary_html
    )
}
