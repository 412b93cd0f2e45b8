use super::{author_list, meta_line};
use crate::html::{esc, layout};
use crate::{blocking, AppState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

pub async fn page(State(arrow): State<AppState>, Path(id): Path<String>) -> Response {
    let lookup = id.clone();
    let work = match blocking(&arrow, move |a| a.work(&lookup)).await {
        Ok(Some(w)) => w,
        Ok(None) => {
            return super::error_page(StatusCode::NOT_FOUND, "No such paper", &format!("Arrow has no work {id}."))
        }
        Err(e) => return super::error_page(e.status, "Something went wrong", &e.message),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<article class=\"paper\"><p class=\"meta\">{}</p><h1>{}</h1>",
        meta_line(&work),
        esc(&work.title)
    );
    body.push_str(&author_list(&work).replace("class=\"authors\"", "class=\"authors full\""));
    if let Some(a) = &work.abstract_text {
        let _ = write!(body, "<h2>Abstract</h2><p class=\"abstract\">{}</p>", esc(a));
    }
    let mut ids = String::new();
    if let Some(doi) = &work.ids.doi {
        let _ = write!(ids, "<li>DOI <a href=\"https://doi.org/{0}\">{0}</a></li>", esc(doi));
    }
    if let Some(arxiv) = &work.ids.arxiv {
        let _ = write!(ids, "<li>arXiv <a href=\"https://arxiv.org/abs/{0}\">{0}</a></li>", esc(arxiv));
    }
    if let Some(key) = &work.ids.dblp {
        let _ = write!(ids, "<li>DBLP <a href=\"https://dblp.org/rec/{0}\">{0}</a></li>", esc(key));
    }
    if let Some(oa) = &work.ids.openalex {
        let _ = write!(ids, "<li>OpenAlex {}</li>", esc(oa));
    }
    for u in work.ids.urls.iter().filter(|u| u.starts_with("https://") || u.starts_with("http://")) {
        let _ = write!(ids, "<li><a href=\"{0}\" rel=\"nofollow noopener\">{0}</a></li>", esc(u));
    }
    if !ids.is_empty() {
        let _ = write!(body, "<h2>Identifiers</h2><ul class=\"ids\">{ids}</ul>");
    }
    body.push_str("<h2>Sources</h2><ul class=\"sources\">");
    for p in &work.provenance {
        let _ = write!(body, "<li>{} record {}</li>", esc(&p.source), esc(&p.record_id));
    }
    body.push_str("</ul></article>");
    let description = work.abstract_text.as_deref().unwrap_or(&work.title).chars().take(200).collect::<String>();
    Html(layout(&work.title, &description, "", &body)).into_response()
}
