//! The explanation page: why two author mentions are, or are not, one person. What `arrow explain` prints, for
//! readers of a person page (its "why?" links); `/api/v1/explain` answers the same as `arrow explain --json`.

use super::{meta_line, PageError, PageResult};
use crate::html::{esc, layout, url_part, work_href};
use crate::math;
use crate::params::parse_mention;
use crate::{blocking, blocking_local, ApiError, AppState};
use arrow_engine::{Explanation, MentionRef};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use std::fmt::Write;

/// `?a=WORK_ID%23POSITION&b=WORK_ID%23POSITION`, as text so that a bad value gets a message naming it.
#[derive(serde::Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    pub a: Option<String>,
    #[serde(default)]
    pub b: Option<String>,
}

/// The page explaining mention `a` against mention `b` (each `WORK_ID#POSITION`).
pub fn explain_href(a: &str, b: &str) -> String {
    format!("/explain?a={}&b={}", url_part(a), url_part(b))
}

fn mention_name(m: &MentionRef) -> String {
    format!("{}#{}", m.work, m.position)
}

/// The explanation of two mentions by the engine call `arrow explain` makes, for the API and the page alike: 400
/// for a parameter missing or not `WORK_ID#POSITION` and for one mention named twice, 404 for a mention that is not
/// stored or when no disambiguation has run. Only a data directory has the model; a sharded root answers 400.
pub async fn explanation(arrow: &AppState, p: &Params) -> Result<(MentionRef, MentionRef, Explanation), ApiError> {
    let a = parse_mention("a", p.a.as_deref()).map_err(ApiError::bad_request)?;
    let b = parse_mention("b", p.b.as_deref()).map_err(ApiError::bad_request)?;
    let (ra, rb) = (a.clone(), b.clone());
    // The engine answers `None` for both an unknown mention and a store without people; the message tells which.
    let found = blocking_local(arrow, "explaining mentions", move |l| {
        Ok(match l.explain(&ra, &rb)? {
            Some(e) => Ok(e),
            None => Err(l.why_unexplained(&ra, &rb)?),
        })
    })
    .await?;
    match found {
        Ok(e) => Ok((a, b, e)),
        Err(None) => Err(ApiError::not_found("no people yet: author disambiguation has not run on this data")),
        Err(Some(why)) => Err(ApiError::not_found(why)),
    }
}

pub async fn page(State(arrow): State<AppState>, q: Result<Query<Params>, QueryRejection>) -> PageResult {
    let p = q.map(|Query(p)| p).unwrap_or_default();
    let (a, b, e) = explanation(&arrow, &p).await.map_err(|err| {
        let title = match err.status {
            StatusCode::BAD_REQUEST => "Cannot explain these mentions",
            StatusCode::NOT_FOUND => "Nothing to explain",
            _ => "Something went wrong",
        };
        PageError::new(err.status, title, err.message)
    })?;
    let (wa, wb) = (a.work.clone(), b.work.clone());
    let (work_a, work_b) = blocking(&arrow, move |x| Ok((x.work(&wa)?, x.work(&wb)?))).await?;
    let name_of = |i: usize, m: &MentionRef| e.names.get(i).cloned().unwrap_or_else(|| mention_name(m));
    let (name_a, name_b) = (name_of(0, &a), name_of(1, &b));
    let decision = match e.same_person {
        Some(true) => "one person",
        Some(false) => "two people",
        None => "not decided by a run",
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"kicker\">Are these one person?</p><h1>{} and {}</h1>\
         <p class=\"note\">Why Arrow's author disambiguation puts these two author mentions together or apart: \
         the same explanation as <code>arrow explain</code>.</p><h2>The two mentions</h2><ul class=\"mentions\">",
        esc(&name_a),
        esc(&name_b)
    );
    for (name, m, w) in [(&name_a, &a, &work_a), (&name_b, &b, &work_b)] {
        let paper = match w {
            Some(w) => format!(
                "<a href=\"{}\">{}</a> <span class=\"meta\">{}</span>",
                esc(&work_href(&w.id.0)),
                math::render(&w.title),
                meta_line(w)
            ),
            None => esc(&m.work),
        };
        let _ = write!(
            body,
            "<li><strong>{}</strong>, author {} of {paper} <code>{}</code></li>",
            esc(name),
            m.position,
            esc(&mention_name(m))
        );
    }
    body.push_str("</ul>");
    let _ = write!(body, "<h2>Decision</h2><p class=\"counts\"><strong>{decision}</strong>");
    if let Some(raw) = e.by_evidence {
        let raw = if raw { "one person" } else { "two people" };
        let _ = write!(body, " (by a curator's correction; the evidence alone said {raw})");
    }
    body.push_str("</p>");
    if let Some(c) = e.constraint {
        let _ = write!(body, "<p>Rule: {}</p>", esc(c.describe()));
    }
    if !e.shared_by_readings.is_empty() {
        let names = e.shared_by_readings.iter().map(|n| esc(n)).collect::<Vec<_>>().join(", ");
        let _ = write!(body, "<p>Their papers under the two names share: {names}.</p>");
    }
    if let Some(why) = &e.kept_apart {
        let _ = write!(body, "<p>Kept apart: {}.</p>", esc(why));
    }
    let verdict = e.verdict();
    let _ = write!(body, "<p>{}{}.</p>", verdict[..1].to_uppercase(), esc(&verdict[1..]));
    if let Some(note) = e.run_note() {
        let _ = write!(body, "<p>Why the run decided otherwise: {}.</p>", esc(note));
    }
    if !e.signals.is_empty() {
        body.push_str(
            "<table class=\"syntax\"><caption>The evidence, as the model weighs it (a positive weight speaks for one \
             person)</caption><thead><tr><th scope=\"col\">Signal</th><th scope=\"col\">Observed</th>\
             <th scope=\"col\">Weight</th></tr></thead><tbody>",
        );
        for s in &e.signals {
            let _ =
                write!(body, "<tr><td>{}</td><td>{}</td><td>{:+.2}</td></tr>", esc(&s.signal), esc(&s.level), s.weight);
        }
        body.push_str("</tbody></table>");
    }
    if !e.rarity.is_empty() {
        body.push_str("<h2>How rare each name is</h2><ul class=\"tally\">");
        for r in &e.rarity {
            let _ = write!(body, "<li><strong>{}</strong>: {}</li>", esc(&r.name), esc(&r.reason));
        }
        body.push_str("</ul>");
    }
    let json = format!("/api/v1/explain?a={}&b={}", url_part(&mention_name(&a)), url_part(&mention_name(&b)));
    let _ = write!(
        body,
        "<p class=\"note\">People are built from clusters, not pairs: two mentions can be one person through other \
         papers, or because their full name is rare.</p><p class=\"exports\"><a class=\"button\" href=\"{}\">\
         This explanation as JSON</a></p>",
        esc(&json)
    );
    let title = format!("{name_a} and {name_b}");
    let description = format!("Why Arrow counts {name_a} and {name_b} as {decision}");
    Ok(Html(layout(&title, &description, "", &body)).into_response())
}
