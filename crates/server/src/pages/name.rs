use super::entry;
use crate::html::{esc, layout};
use crate::{blocking, ApiError, AppState};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;

pub async fn page(State(arrow): State<AppState>, Path(name): Path<String>) -> Response {
    let lookup = name.clone();
    let cluster = match blocking(&arrow, move |a| a.name_cluster(&lookup)).await {
        Ok(c) => c,
        Err(e) => return super::error_page(e.status, "Something went wrong", &e.message),
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"kicker\">Author name cluster</p><h1>{}</h1>\
         <p class=\"note\">Possible papers associated with this exact author name in Arrow. This page groups \
         case-insensitive exact name matches and is not a full identity disambiguation profile.</p>\
         <p class=\"counts\"><strong>{} papers</strong><br><strong>{} author rows</strong></p>",
        esc(&name),
        cluster.works.len(),
        cluster.author_rows
    );
    if cluster.variants.len() > 1 {
        let forms: Vec<String> = cluster.variants.iter().map(|v| esc(v)).collect();
        let _ = write!(body, "<p class=\"variants\">Written as: {}</p>", forms.join(" · "));
    }
    let _ = write!(body, "<h2>Possible papers</h2><p class=\"count\">{}</p>", cluster.works.len());
    if cluster.works.is_empty() {
        body.push_str("<p>No paper in Arrow has an author of exactly this name. Try a search instead.</p>");
    }
    for w in &cluster.works {
        let summary =
            w.abstract_text.as_deref().map(|a| format!("<p class=\"abstract\">{}</p>", esc(a))).unwrap_or_default();
        body.push_str(&entry(w, &summary));
    }
    let description = format!("{} papers by authors named {}", cluster.works.len(), name);
    Html(layout(&name, &description, "", &body)).into_response()
}

pub async fn json(State(arrow): State<AppState>, Path(name): Path<String>) -> Result<Response, ApiError> {
    let cluster = blocking(&arrow, move |a| a.name_cluster(&name)).await?;
    Ok(axum::Json(cluster).into_response())
}
