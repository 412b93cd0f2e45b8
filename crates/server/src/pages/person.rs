//! The person page: one disambiguated author with name variants, works, coauthors, venues and a
//! works-per-year chart drawn as inline SVG (no script).

use super::{entry, paging_nav, PageError, PageResult};
use crate::html::{esc, layout, name_href};
use crate::{blocking, ApiError, AppState};
use arrow_model::Work;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use std::fmt::Write;

pub fn person_href(id: &str) -> String {
    format!("/people/{}", crate::html::url_part(id))
}

/// Works per page of a person: a prolific author (DBLP has people with over a thousand papers) is paged so
/// that each page stays small and fast.
const PERSON_PAGE: usize = 100;

#[derive(serde::Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    page: Option<usize>,
    /// A curation whose conflicts a curator is shown (set by the redirect after a change; see `curator::after`).
    #[serde(default)]
    curation: Option<String>,
}

pub async fn page(
    State(arrow): State<AppState>,
    Extension(curator): Extension<super::curator::Curator>,
    headers: HeaderMap,
    Path(id): Path<String>,
    q: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let p = q.map(|Query(p)| p).unwrap_or_default();
    let lookup = id.clone();
    let Some(person) = blocking(&arrow, move |a| a.person(&lookup)).await? else {
        // A curator merged this id away, or undid the split that made it: its papers are on another person's page.
        let lookup = id.clone();
        if let Some((_, now)) =
            blocking(&arrow, move |a| Ok(a.local().map(|l| l.where_went(&lookup)).transpose()?.flatten())).await?
        {
            let to = format!("/people/{now}");
            return Ok(axum::response::Redirect::to(&to).into_response());
        }
        return Err(PageError::not_found(
            "No such person",
            "Arrow has no person with this id; people are made by `arrow disambiguate`.",
        ));
    };
    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"kicker\">Person</p><h1>{}</h1><p class=\"note\">Grouped by Arrow's author disambiguation from \
         the names as written (how rare each is, how its spellings agree) and the works' coauthors, venues, years and \
         topics; a grouping, not a verified profile (each paper's <em>why?</em> shows why it is grouped here).</p>\
         <p class=\"counts\"><strong>{}</strong></p>",
        esc(&person.name),
        super::counted(person.works.len(), "paper")
    );
    if let Some(orcid) = &person.orcid {
        let _ = write!(
            body,
            "<p class=\"orcid\">ORCID <a href=\"https://orcid.org/{0}\" rel=\"nofollow\">{0}</a> \
             (claimed by a curator)</p>",
            esc(orcid)
        );
    }
    let curating = curator.signed_in(&headers);
    // Near the top: the curator lands here from the change that met the conflicts.
    if let Some(id) = p.curation.as_deref().filter(|_| curating) {
        body.push_str(&super::curator::conflicts_block(&arrow, id).await?);
    }
    let list = |items: &[(String, u64)], link: bool| {
        let mut out = String::from("<ul class=\"tally\">");
        for (name, n) in items.iter().take(30) {
            if link {
                let _ = write!(out, "<li><a href=\"{}\">{}</a> ({n})</li>", esc(&name_href(name)), esc(name));
            } else {
                let _ = write!(out, "<li>{} ({n})</li>", esc(name));
            }
        }
        out.push_str("</ul>");
        out
    };
    let _ = write!(body, "<h2>Written as</h2>{}", list(&person.variants, true));
    let _ = write!(body, "<h2>Works per year</h2>{}", year_chart(&person.years));
    // Coauthors as people where disambiguation gave them (two people of one name apart, one person's spellings
    // together), else as names.
    if person.coauthor_people.is_empty() {
        let _ = write!(body, "<h2>Coauthors</h2>{}", list(&person.coauthors, true));
    } else {
        let _ = write!(body, "<h2>Coauthors</h2><ul class=\"tally\">");
        for c in person.coauthor_people.iter().take(30) {
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> ({})</li>",
                esc(&person_href(&c.person)),
                esc(c.name()),
                c.works
            );
        }
        // Names no person stands for yet (authors of works ingested since the last run), by name.
        let known: std::collections::HashSet<&str> =
            person.coauthor_people.iter().flat_map(|c| c.names.iter().map(|(n, _)| n.as_str())).collect();
        for (name, n) in person.coauthors.iter().filter(|(n, _)| !known.contains(n.as_str())).take(10) {
            let _ = write!(body, "<li><a href=\"{}\">{}</a> ({n})</li>", esc(&name_href(name)), esc(name));
        }
        body.push_str("</ul>");
    }
    let _ = write!(body, "<h2>Venues</h2>{}", list(&person.venues, false));
    if curating {
        body.push_str(&super::curator::block(&arrow, &id).await?);
    }
    let _ = write!(body, "<h2>Papers</h2>");
    let pages = person.works.len().div_ceil(PERSON_PAGE).max(1);
    let page = p.page.unwrap_or(1).clamp(1, pages);
    let mention_of = |w: &Work| person.positions.get(&w.id.0).map(|pos| (format!("{}#{pos}", w.id.0), *pos));
    // Each paper's "why?" explains its mention against one mention of the person's: the oldest paper written under
    // the name heading the page, so that every explanation compares with the name the reader sees, and a newly
    // ingested paper (listed first) does not become the reference; failing that, the oldest paper. The same one on
    // every page of a long list. Explanations need a data directory's model, which a sharded root does not have:
    // no links there that could only fail.
    // Oldest by year (a paper without one is not taken as old: it may be new).
    let age = |w: &&Work| (w.year.is_none(), w.year);
    let theirs: Vec<_> = person.works.iter().filter_map(|w| Some((w, mention_of(w)?))).collect();
    let anchor = theirs
        .iter()
        .filter(|(w, (_, pos))| written_as(w, *pos) == Some(person.name.as_str()))
        .min_by_key(|(w, _)| age(w))
        .or_else(|| theirs.iter().min_by_key(|(w, _)| age(w)))
        .map(|(_, (mention, _))| mention.clone())
        .filter(|_| arrow.local().is_some());
    for (i, w) in person.works.iter().skip((page - 1) * PERSON_PAGE).take(PERSON_PAGE).enumerate() {
        let here = mention_of(w).map(|(m, _)| m);
        let mut notes = Vec::new();
        // The author list is cut at eight: name the person where the cut hides them.
        if let Some((_, pos)) = mention_of(w) {
            let authors = w.ordered_authors();
            // The mention's slot (its position counts from 1 where the source gave none), then its place as shown.
            let mut slots = w.authors.iter().enumerate();
            let mine = slots.find(|(i, a)| a.position.unwrap_or(*i as u32 + 1) == pos).map(|(_, a)| a);
            let at = mine.and_then(|m| authors.iter().position(|a| std::ptr::eq(*a, m)));
            if let Some(at) = at.filter(|&at| at >= super::SHOWN_AUTHORS) {
                let of = if w.authors_truncated { "at least " } else { "" };
                let written = &authors[at].name;
                notes.push(format!("as {}, author {} of {of}{}", esc(written), at + 1, authors.len()));
            }
        }
        // Curators see each paper's mention as the split form takes it (the author list may be cut short).
        if let Some(m) = here.as_ref().filter(|_| curating) {
            notes.push(format!(
                "<label class=\"pick\"><input type=\"checkbox\" form=\"split-form\" name=\"{}{i}\" value=\"{}\">\
                 split off<span class=\"visually-hidden\">: {}</span></label> Mention: <code>{}</code>",
                super::curator::PICK,
                esc(m),
                esc(&w.title),
                esc(m)
            ));
        }
        if let (Some(anchor), Some(here)) = (&anchor, &here) {
            if anchor != here {
                notes.push(format!(
                    "<a class=\"why\" href=\"{}\">why?<span class=\"visually-hidden\"> (why this paper is counted as \
                     this person's)</span></a>",
                    esc(&super::explain::explain_href(anchor, here))
                ));
            }
        }
        let notes =
            if notes.is_empty() { String::new() } else { format!("<p class=\"note\">{}</p>", notes.join(" · ")) };
        body.push_str(&entry(w, &notes));
    }
    let base = person_href(&id);
    body.push_str(&paging_nav(page, pages, |n| format!("{base}?page={n}")));
    let description = format!("{} papers by {}", person.works.len(), person.name);
    Ok(Html(layout(&person.name, &description, "", &body)).into_response())
}

/// The name of the author at 1-based `position` of a work, as written there.
fn written_as(w: &Work, position: u32) -> Option<&str> {
    let mut slots = w.authors.iter().enumerate();
    slots.find(|(i, a)| a.position.unwrap_or(*i as u32 + 1) == position).map(|(_, a)| a.name.as_str())
}

/// Bars of works per year, as inline SVG with a text alternative.
fn year_chart(years: &[(i32, u64)]) -> String {
    let (Some(first), Some(last)) = (years.first().map(|y| y.0), years.last().map(|y| y.0)) else {
        return String::new();
    };
    let span = (last - first + 1).max(1) as usize;
    let max = years.iter().map(|y| y.1).max().unwrap_or(1).max(1);
    let (bar, gap, height) = (14usize, 4usize, 80u64);
    let width = span * (bar + gap);
    let summary: Vec<String> = years.iter().map(|(y, n)| format!("{y}: {n}")).collect();
    let mut svg = format!(
        "<svg class=\"years\" role=\"img\" width=\"{width}\" height=\"{}\" viewBox=\"0 0 {width} {}\" aria-label=\"Works per year: {}\">",
        height + 16,
        height + 16,
        esc(&summary.join(", "))
    );
    for (y, n) in years {
        let x = (*y - first) as usize * (bar + gap);
        let h = (n * height).div_ceil(max);
        let _ = write!(
            svg,
            "<rect x=\"{x}\" y=\"{}\" width=\"{bar}\" height=\"{h}\" fill=\"#0b57d0\"><title>{y}: {n}</title></rect>",
            height - h
        );
    }
    let _ = write!(svg, "<text x=\"0\" y=\"{}\" font-size=\"11\">{first}</text>", height + 13);
    if last != first {
        let _ =
            write!(svg, "<text x=\"{width}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">{last}</text>", height + 13);
    }
    svg.push_str("</svg>");
    svg
}

pub async fn json(State(arrow): State<AppState>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let lookup = id.clone();
    match blocking(&arrow, move |a| a.person(&lookup)).await? {
        Some(p) => Ok(axum::Json(p).into_response()),
        None => {
            let lookup = id.clone();
            let message =
                match blocking(&arrow, move |a| Ok(a.local().map(|l| l.where_went(&lookup)).transpose()?.flatten()))
                    .await?
                {
                    Some((why, _)) => format!("no person with id {id}: {why}"),
                    None => format!("no person with id {id}"),
                };
            Err(ApiError::not_found(message))
        }
    }
}

/// The "people who share this name" block of a name-cluster page; empty before disambiguation.
pub fn people_block(people: &[arrow_engine::PersonSummary], name: &str) -> String {
    if people.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<section class=\"people\"><h2>{} this name</h2><ul>",
        if people.len() == 1 { "1 person has".to_string() } else { format!("{} people share", people.len()) }
    );
    for (i, p) in people.iter().enumerate() {
        let _ = write!(
            out,
            "<li><a href=\"{}\">{} #{}</a>: {} of these papers{}</li>",
            esc(&person_href(&p.id)),
            esc(name),
            i + 1,
            p.works_with_name,
            esc(&arrow_engine::tell_apart(p, name))
        );
    }
    out.push_str("</ul></section>");
    out
}
