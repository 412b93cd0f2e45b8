//! The name-cluster page: every work with an author of exactly this name, with year and venue facets that
//! narrow the list.

use super::{entry, export_links, facet_link, paging_nav, query_string, year_histogram, PageResult};
use crate::html::{esc, layout, name_href, url_part};
use crate::math;
use crate::params::parse_years;
use crate::{blocking, AppState};
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    venue: Option<String>,
    #[serde(default)]
    page: Option<usize>,
}

/// Papers per page of a name cluster. The seed page lists a whole cluster on one page; here a page holds
/// 50, in the same order, so that a prolific name stays a page that loads fast (under 100 KB) while a glance
/// still covers several years of work.
const CLUSTER_PAGE: usize = 50;
/// People listed when no one wrote the name exactly but names fit it (a surname alone, initials).
const FITTING_SHOWN: usize = 20;
/// Bytes of each abstract shown in the list (cut at a space, never inside a formula); the paper page has
/// the whole text.
const ABSTRACT_PREVIEW: usize = 360;

pub async fn page(
    State(arrow): State<AppState>,
    Path(name): Path<String>,
    q: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let p = q.map(|Query(p)| p).unwrap_or_default();
    let lookup = name.clone();
    let (cluster, people) = blocking(&arrow, move |a| Ok((a.name_cluster(&lookup)?, a.people_named(&lookup)?))).await?;
    let years = p.year.as_deref().filter(|y| !y.trim().is_empty()).map(parse_years);
    // A year that is none is said, as the search page says it, not dropped in silence.
    let ignored = years.as_ref().and_then(|y| y.as_ref().err()).cloned();
    let years = years.and_then(Result::ok);
    let venue = p.venue.clone().filter(|v| !v.is_empty());
    let base = name_href(&name);
    let href = |year: Option<&str>, venue: Option<&str>| {
        format!("{base}{}", query_string(&[("year", year.unwrap_or("")), ("venue", venue.unwrap_or(""))]))
    };
    let year_str = years.map(|y| y.to_string());

    let mut body = String::new();
    let _ = write!(
        body,
        "<p class=\"kicker\">Author name cluster</p><h1>{}</h1>\
         <p class=\"note\">Possible papers associated with this exact author name in Arrow. This page groups \
         case-insensitive exact name matches and is not a full identity disambiguation profile.</p>\
         <p class=\"counts\"><strong>{}</strong><br><strong>{}</strong></p>",
        esc(&name),
        super::counted(cluster.works.len(), "paper"),
        super::counted(cluster.author_rows, "author row")
    );
    if let Some(e) = ignored {
        let _ = write!(body, "<p class=\"warning\" role=\"alert\">Ignored: {}</p>", esc(&e));
    }
    body.push_str(&super::person::people_block(&people, &name));
    if !people.is_empty() {
        let (lookup, shown) = (name.clone(), people.clone());
        let fitting = blocking(&arrow, move |a| a.people_also_fitting(&lookup, &shown, FITTING_SHOWN)).await?;
        if let Some(fitting) = fitting {
            body.push_str(&fitting_block(&fitting, "Other people whose names fit it"));
        }
    }
    if cluster.variants.len() > 1 {
        let forms: Vec<String> = cluster.variants.iter().map(|v| esc(v)).collect();
        let _ = write!(body, "<p class=\"variants\">Written as: {}</p>", forms.join(" · "));
    }
    if !cluster.also_published_as.is_empty() {
        // The other names of the DBLP person records listing this one: their own clusters.
        let links: Vec<String> = cluster
            .also_published_as
            .iter()
            .map(|n| format!("<a href=\"{}\">{}</a>", esc(&name_href(n)), esc(n)))
            .collect();
        let _ = write!(body, "<p class=\"aliases\">Also published as: {}</p>", links.join(" · "));
    }
    if cluster.works.is_empty() {
        let _ = write!(
            body,
            "<p>No paper in Arrow has an author of exactly this name. <a href=\"/search?q={}\">Search for it instead</a>.</p>",
            esc(&url_part(&name))
        );
        let lookup = name.clone();
        let fitting = blocking(&arrow, move |a| a.people_fitting(&lookup, FITTING_SHOWN)).await?;
        body.push_str(&fitting_block(&fitting, "People whose names fit it"));
        return Ok(Html(layout(&name, &format!("No papers by authors named {name}"), "", &body)).into_response());
    }

    // Each facet counts the papers that the other filter keeps (so the numbers are what a click shows).
    let year_ok = |w: &&arrow_model::Work| match years {
        Some(range) => w.year.is_some_and(|y| range.contains(y)),
        None => true,
    };
    let venue_ok = |w: &&arrow_model::Work| venue.as_ref().is_none_or(|v| w.venue.as_ref() == Some(v));
    let mut by_year: BTreeMap<i32, u64> = BTreeMap::new();
    let mut by_venue: BTreeMap<String, u64> = BTreeMap::new();
    for w in &cluster.works {
        if let (Some(y), true) = (w.year, venue_ok(&w)) {
            *by_year.entry(y).or_default() += 1;
        }
        if let (Some(v), true) = (&w.venue, year_ok(&w)) {
            *by_venue.entry(v.clone()).or_default() += 1;
        }
    }
    let shown: Vec<_> = cluster.works.iter().filter(year_ok).filter(venue_ok).collect();

    body.push_str("<div class=\"results-layout\"><aside class=\"facets\" aria-label=\"Narrow the papers\">");
    body.push_str("<section><h2>Year</h2>");
    let rows: Vec<(String, u64, String, bool)> = by_year
        .iter()
        .rev()
        .map(|(y, n)| {
            let y = y.to_string();
            let current = year_str.as_deref() == Some(y.as_str());
            (y.clone(), *n, href(Some(&y), venue.as_deref()), current)
        })
        .collect();
    body.push_str(&year_histogram(&rows));
    body.push_str("</section><section><h2>Venue</h2><ul class=\"facet\">");
    let mut venues: Vec<(&String, &u64)> = by_venue.iter().collect();
    venues.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    for (v, n) in venues {
        body.push_str(&facet_link(&href(year_str.as_deref(), Some(v)), v, *n, venue.as_deref() == Some(v)));
    }
    body.push_str("</ul></section></aside><section class=\"results\" aria-labelledby=\"papers-heading\">");
    let _ = write!(body, "<h2 id=\"papers-heading\">Possible papers</h2><p class=\"count\">{}</p>", shown.len());
    if years.is_some() || venue.is_some() {
        let mut chips = Vec::new();
        if let Some(y) = &year_str {
            chips.push(format!(
                "<li>Year: <strong>{}</strong> <a href=\"{}\" aria-label=\"Remove the year filter\">remove</a></li>",
                esc(y),
                esc(&href(None, venue.as_deref()))
            ));
        }
        if let Some(v) = &venue {
            chips.push(format!(
                "<li>Venue: <strong>{}</strong> <a href=\"{}\" aria-label=\"Remove the venue filter\">remove</a></li>",
                esc(v),
                esc(&href(year_str.as_deref(), None))
            ));
        }
        let _ = write!(body, "<ul class=\"chips\" aria-label=\"Active filters\">{}</ul>", chips.join(""));
    }
    let pages = shown.len().div_ceil(CLUSTER_PAGE).max(1);
    let page = p.page.unwrap_or(1).clamp(1, pages);
    let page_href = |n: usize| {
        let with_page = href(year_str.as_deref(), venue.as_deref());
        let sep = if with_page.contains('?') { '&' } else { '?' };
        format!("{with_page}{sep}page={n}")
    };
    for w in shown.iter().skip((page - 1) * CLUSTER_PAGE).take(CLUSTER_PAGE) {
        let summary = w
            .abstract_text
            .as_deref()
            .map(|a| format!("<p class=\"abstract\">{}</p>", math::preview(a, ABSTRACT_PREVIEW)))
            .unwrap_or_default();
        body.push_str(&entry(w, &summary));
    }
    body.push_str(&paging_nav(page, pages, page_href));
    body.push_str(&export_links(&format!("/api/v1{base}"), "all papers with this name"));
    body.push_str("</section></div>");
    let description = format!("{} papers by authors named {}", cluster.works.len(), name);
    Ok(Html(layout(&name, &description, "", &body)).into_response())
}

/// The people whose names fit a name, each with the names that fit.
fn fitting_block(fit: &arrow_engine::PeopleFitting, heading: &str) -> String {
    if fit.people.is_empty() {
        return String::new();
    }
    let mut out =
        format!("<section class=\"people\" aria-labelledby=\"fitting\"><h2 id=\"fitting\">{}</h2><ul>", esc(heading));
    for p in &fit.people {
        let names: Vec<String> = p.names.iter().take(4).map(|(n, _)| esc(n)).collect();
        let _ = write!(
            out,
            "<li><a href=\"{}\">{}</a>: {} paper{} under these names</li>",
            esc(&super::person::person_href(&p.id)),
            names.join(" · "),
            p.works,
            if p.works == 1 { "" } else { "s" }
        );
    }
    out.push_str("</ul>");
    if fit.total > fit.people.len() {
        let _ = write!(out, "<p class=\"note\">And {} more: give more of the name.</p>", fit.total - fit.people.len());
    }
    out.push_str("</section>");
    out
}
