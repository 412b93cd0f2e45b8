//! The search page: results with facets (years, venues, types) as links that refine the query, sort,
//! paging, a card when the query is an author's name, and a "no results" page that says what to try.

use super::{entry_html, export_links, facet_link, query_string, snippet_html, year_histogram, PageError, PageResult};
use crate::html::{esc, layout, name_href};
use crate::math;
use crate::params::{parse_sort, parse_years, sort_name, MAX_OFFSET};
use crate::{blocking, AppState};
use arrow_engine::{EngineError, Filters, SearchMode, SearchPage, SearchRequest, Sort};
use arrow_query::Query as Ast;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use serde::Deserialize;
use std::fmt::Write;

#[derive(Deserialize, Default, Clone)]
pub struct Params {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub year: Option<String>,
    #[serde(default)]
    pub venue: Option<String>,
    #[serde(default, rename = "type")]
    pub pub_type: Option<String>,
    #[serde(default)]
    pub sort: Option<String>,
    #[serde(default)]
    pub page: Option<usize>,
    /// Older links page by offset.
    #[serde(default)]
    pub offset: Option<usize>,
    /// lexical, semantic or hybrid; empty lets the engine choose.
    #[serde(default)]
    pub mode: Option<String>,
}

const PAGE: usize = 20;

/// The page's state, to build links that change one thing.
#[derive(Clone)]
struct View {
    q: String,
    year: String,
    venue: String,
    pub_type: String,
    sort: Sort,
    page: usize,
    /// `None`: the engine's default for the query.
    mode: Option<SearchMode>,
}

impl View {
    fn href(&self) -> String {
        let sort = if self.sort == Sort::Relevance { "" } else { sort_name(self.sort) };
        let page = if self.page > 1 { self.page.to_string() } else { String::new() };
        format!(
            "/search{}",
            query_string(&[
                ("q", &self.q),
                ("year", &self.year),
                ("venue", &self.venue),
                ("type", &self.pub_type),
                ("sort", sort),
                ("mode", self.mode.map_or("", SearchMode::name)),
                ("page", &page),
            ])
        )
    }

    /// The same view with a change, back on page 1.
    fn with(&self, f: impl FnOnce(&mut View)) -> String {
        let mut v = self.clone();
        v.page = 1;
        f(&mut v);
        v.href()
    }

    /// The API URL for this list, for export links.
    fn api_href(&self) -> String {
        let mut filter = Vec::new();
        if !self.year.is_empty() {
            filter.push(format!("year:{}", self.year));
        }
        if !self.venue.is_empty() {
            filter.push(format!("venue:{}", self.venue));
        }
        if !self.pub_type.is_empty() {
            filter.push(format!("type:{}", self.pub_type));
        }
        let filter = filter.join(",");
        let page = self.page.to_string();
        format!(
            "/api/v1/works{}",
            query_string(&[
                ("search", &self.q),
                ("filter", &filter),
                ("sort", if self.sort == Sort::Relevance { "" } else { sort_name(self.sort) }),
                ("per_page", &PAGE.to_string()),
                ("mode", self.mode.map_or("", SearchMode::name)),
                ("page", &page),
            ])
        )
    }
}

pub async fn page(
    State(arrow): State<AppState>,
    q: Result<Query<Params>, axum::extract::rejection::QueryRejection>,
) -> PageResult {
    let Ok(Query(p)) = q else {
        return Err(PageError::new(
            StatusCode::BAD_REQUEST,
            "That search address is not valid",
            "Some of its parameters could not be read.",
        ));
    };
    let mut filters = Filters::default();
    let mut problems = Vec::new();
    let year = p.year.clone().unwrap_or_default();
    if !year.trim().is_empty() {
        match parse_years(&year) {
            Ok(y) => filters.years = Some(y),
            Err(e) => problems.push(e),
        }
    }
    let venue = p.venue.clone().unwrap_or_default();
    if !venue.is_empty() {
        filters.venues.push(venue.clone());
    }
    let pub_type = p.pub_type.clone().unwrap_or_default();
    if !pub_type.is_empty() {
        filters.types.push(pub_type.clone());
    }
    let sort = parse_sort(p.sort.as_deref()).unwrap_or_else(|e| {
        problems.push(e);
        Sort::Relevance
    });
    let mode = match p.mode.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(m) => m.parse::<SearchMode>().map_err(|e| problems.push(e.to_string())).ok(),
    };
    // Pages past the last one the engine serves (MAX_OFFSET) show that last one; no arithmetic on a page number
    // from the address can overflow.
    let last_page = MAX_OFFSET / PAGE + 1;
    let page_no = match (p.page, p.offset) {
        (Some(n), _) => n,
        (None, Some(o)) => o / PAGE + 1,
        (None, None) => 1,
    }
    .clamp(1, last_page);
    let offset = (page_no - 1) * PAGE;
    let view = View {
        q: p.q.clone(),
        year: filters.years.map(|y| y.to_string()).unwrap_or_default(),
        venue,
        pub_type,
        sort,
        page: page_no,
        mode,
    };

    let mut opts = SearchRequest::query(&p.q);
    opts.limit = PAGE;
    opts.offset = offset;
    opts.facets = true;
    opts.sort = sort;
    opts.filters = filters.clone();
    let candidate = author_candidate(&p.q);
    let result = blocking(&arrow, move |a| {
        // A mode needing vectors where there are none falls back to words, with a notice, not an error page.
        let (page, fallback) = match a.search_in(&opts, mode) {
            Err(EngineError::NoVectors { mode }) => (a.search_in(&opts, Some(SearchMode::Lexical))?, Some(mode)),
            other => (other?, None),
        };
        let vectors = a.has_vectors();
        let card = match candidate {
            Some(name) => {
                let c = a.name_cluster(&name)?;
                // The name as typed, else as written in mixed case: "JAN HAJIC" headed a card for "Jan Hajic".
                let v = &c.variants;
                let typed = v.iter().find(|v| **v == name);
                let shown = typed.or_else(|| v.iter().find(|v| v.chars().any(char::is_lowercase))).or(v.first());
                (!c.works.is_empty()).then(|| (shown.cloned().unwrap_or(name), c.works.len()))
            }
            None => None,
        };
        Ok((page, card, fallback, vectors))
    })
    .await?;
    let (results, card, fallback, vectors) = result;

    let mut body = String::new();
    let query = p.q.trim();
    if query.is_empty() {
        body.push_str("<h1>Recent papers</h1>");
    } else {
        let _ = write!(body, "<h1>Results for <q>{}</q></h1>", esc(query));
    }
    for e in &problems {
        let _ = write!(body, "<p class=\"warning\" role=\"alert\">Ignored: {}</p>", esc(e));
    }
    if let Some(m) = fallback {
        let _ = write!(
            body,
            "<p class=\"warning\" role=\"alert\">Ranking by meaning ({m}) needs work vectors, which this Arrow \
             does not have yet (<code>arrow embed</code>); ranked by words instead.</p>"
        );
    }
    if let Some((name, n)) = &card {
        let _ = write!(
            body,
            "<aside class=\"card\" aria-label=\"Author name\"><p class=\"kicker\">Author name</p>\
             <p><a href=\"{}\"><strong>{}</strong></a>: {n} paper{} with an author of exactly this name.</p>\
             <p class=\"note\">A name, not a verified person: different people may share it.</p></aside>",
            esc(&name_href(name)),
            esc(name),
            if *n == 1 { "" } else { "s" },
        );
    }
    let total = results.total;
    let _ = write!(
        body,
        "<p class=\"total\" role=\"status\"><strong>{total}</strong> {}{}</p>",
        if total == 1 { "result" } else { "results" },
        if results.fuzzy {
            " (no exact matches; showing papers with words one letter away)"
        } else if results.lenient {
            " (ranked by how many of your words they have; not every paper has them all)"
        } else {
            match results.mode {
                SearchMode::Lexical => "",
                SearchMode::Semantic => " (closest in meaning, up to 100)",
                SearchMode::Hybrid => " (by words and meaning together, up to 100)",
            }
        }
    );
    if results.partial {
        body.push_str(
            "<p class=\"notice\" role=\"alert\">Part of the index could not be reached just now: these results \
             leave out the papers it holds. Try again shortly.</p>",
        );
    }
    body.push_str(&active_filters(&view));
    if !results.hits.is_empty() && results.facets.is_some() {
        body.push_str("<p class=\"jump\"><a href=\"#refine\">Refine by year, venue or type</a></p>");
    }
    if results.hits.is_empty() && total > 0 {
        // Past the last page: the search matched, this page is empty.
        let mut last = view.clone();
        last.page = total.div_ceil(PAGE).min(MAX_OFFSET / PAGE + 1);
        let _ = write!(
            body,
            "<p class=\"notice\" role=\"status\">Page {} is past the last page of these results. \
             <a href=\"{}\">Go to the last page ({})</a>.</p>",
            view.page,
            esc(&last.href()),
            last.page
        );
        let title = format!("Page {} of results for {query}", view.page);
        return Ok(Html(layout(&title, "Past the last page of this search.", &p.q, &body)).into_response());
    }
    if results.hits.is_empty() {
        let candidates = alternatives(&view, &filters);
        let tried = blocking(&arrow, move |a| {
            let mut out = Vec::new();
            for (label, v) in candidates {
                let n = a.search(&count_options(&v))?.total;
                if n > 0 {
                    out.push((label, v, n));
                }
            }
            Ok(out)
        })
        .await
        .unwrap_or_default();
        body.push_str(&no_results(&tried));
        let title = if query.is_empty() { "No papers".to_string() } else { format!("No results for {query}") };
        return Ok(Html(layout(&title, "No papers match this search in Arrow.", &p.q, &body)).into_response());
    }
    body.push_str("<div class=\"results-layout\">");
    body.push_str(&facets_html(&view, &results));
    body.push_str("<section class=\"results\" aria-labelledby=\"results-heading\">");
    let _ = write!(body, "<h2 id=\"results-heading\" class=\"visually-hidden\">Results</h2>");
    body.push_str(&sort_links(&view));
    if vectors && !query.is_empty() {
        body.push_str(&mode_links(&view, results.mode));
    }
    for hit in &results.hits {
        let highlighted = hit.highlight.as_ref();
        let summary = match highlighted.and_then(|h| h.snippet.as_ref()) {
            Some(s) => format!("<p class=\"snippet\">{}</p>", snippet_html(s)),
            None => hit
                .work
                .abstract_text
                .as_deref()
                .map(|a| format!("<p class=\"snippet\">{}</p>", math::render(&shorten(a, 300))))
                .unwrap_or_default(),
        };
        let title = match highlighted {
            Some(h) => snippet_html(&h.title),
            None => math::render(&hit.work.title),
        };
        let summary = summary + &super::versions_line(&hit.versions);
        body.push_str(&entry_html(&hit.work, &title, &summary));
    }
    body.push_str(&paging(&view, total));
    body.push_str(&export_links(&view.api_href(), "this page"));
    body.push_str("</section></div>");
    let title = if query.is_empty() { "Recent papers".to_string() } else { format!("{query} – search") };
    let description = if query.is_empty() {
        format!("The newest of the papers in Arrow ({total}).")
    } else {
        format!("{total} papers in Arrow match {query}.")
    };
    Ok(Html(layout(&title, &description, &p.q, &body)).into_response())
}

/// A query that might be an author's name: two to five plain words, no operators or fields.
fn author_candidate(q: &str) -> Option<String> {
    // Two to five unfielded words that could be parts of a name ("Christopher Ré", "J. Smith-Jones"), nothing else.
    let Ast::And(clauses) = arrow_query::parse(q) else { return None };
    if !(2..=5).contains(&clauses.len()) {
        return None;
    }
    let name_part = |t: &str| t.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '\''));
    let words: Option<Vec<&str>> = clauses
        .iter()
        .map(|c| match c {
            Ast::Word { field: None, text } if name_part(text) => Some(text.as_str()),
            _ => None,
        })
        .collect();
    words.map(|w| w.join(" "))
}

/// The words a query asks for, in order, without fields, quotes, identifiers, years or exclusions.
fn positive_words(q: &Ast, out: &mut Vec<String>) {
    match q {
        Ast::Word { text, .. } => out.push(text.clone()),
        Ast::Phrase { text, .. } => out.extend(text.split_whitespace().map(String::from)),
        Ast::And(children) | Ast::Or(children) => children.iter().for_each(|c| positive_words(c, out)),
        Ast::Not(_) | Ast::Year(_) | Ast::Id { .. } | Ast::All => {}
    }
}

fn active_filters(view: &View) -> String {
    let mut chips = Vec::new();
    let mut chip = |label: &str, value: &str, href: String| {
        chips.push(format!(
            "<li>{}: <strong>{}</strong> <a href=\"{}\" aria-label=\"Remove the {} filter\">remove</a></li>",
            esc(label),
            esc(value),
            esc(&href),
            esc(&label.to_lowercase())
        ));
    };
    if !view.year.is_empty() {
        chip("Year", &view.year, view.with(|v| v.year.clear()));
    }
    if !view.venue.is_empty() {
        chip("Venue", &view.venue, view.with(|v| v.venue.clear()));
    }
    if !view.pub_type.is_empty() {
        chip("Type", &view.pub_type, view.with(|v| v.pub_type.clear()));
    }
    if chips.is_empty() {
        return String::new();
    }
    format!("<ul class=\"chips\" aria-label=\"Active filters\">{}</ul>", chips.join(""))
}

fn facets_html(view: &View, results: &SearchPage) -> String {
    let Some(f) = &results.facets else { return String::new() };
    let mut out = String::from("<aside id=\"refine\" class=\"facets\" aria-label=\"Refine the results\">");
    if !f.years.is_empty() {
        out.push_str("<section><h2>Year</h2>");
        let rows: Vec<(String, u64, String, bool)> = f
            .years
            .iter()
            .rev()
            .map(|c| (c.value.clone(), c.count, view.with(|v| v.year = c.value.clone()), view.year == c.value))
            .collect();
        out.push_str(&year_histogram(&rows));
        out.push_str("</section>");
    }
    for (title, counts, current, set) in [("Venue", &f.venues, &view.venue, 0), ("Type", &f.types, &view.pub_type, 1)] {
        if counts.is_empty() {
            continue;
        }
        let _ = write!(out, "<section><h2>{title}</h2><ul class=\"facet\">");
        for c in counts.iter().take(12) {
            let href = view.with(|v| {
                if set == 0 {
                    v.venue = c.value.clone();
                } else {
                    v.pub_type = c.value.clone();
                }
            });
            out.push_str(&facet_link(&href, &c.value, c.count, *current == c.value));
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</aside>");
    out
}

fn sort_links(view: &View) -> String {
    let mut out = String::from("<nav class=\"sort\" aria-label=\"Sort\"><span>Sort:</span> ");
    let items: Vec<String> =
        [(Sort::Relevance, "Relevance"), (Sort::YearDesc, "Newest first"), (Sort::YearAsc, "Oldest first")]
            .iter()
            .map(|(s, label)| {
                if *s == view.sort {
                    format!("<strong aria-current=\"true\">{label}</strong>")
                } else {
                    format!("<a href=\"{}\">{label}</a>", esc(&view.with(|v| v.sort = *s)))
                }
            })
            .collect();
    out.push_str(&items.join(" · "));
    out.push_str("</nav>");
    out
}

/// Words, meaning or both: shown only where the data directory has work vectors.
fn mode_links(view: &View, current: SearchMode) -> String {
    let mut out = String::from("<nav class=\"sort\" aria-label=\"Ranking\"><span>Rank by:</span> ");
    let items: Vec<String> =
        [(SearchMode::Hybrid, "Words and meaning"), (SearchMode::Lexical, "Words"), (SearchMode::Semantic, "Meaning")]
            .iter()
            .map(|&(m, label)| {
                if m == current {
                    format!("<strong aria-current=\"true\">{label}</strong>")
                } else {
                    format!("<a href=\"{}\">{label}</a>", esc(&view.with(|v| v.mode = Some(m))))
                }
            })
            .collect();
    out.push_str(&items.join(" · "));
    out.push_str("</nav>");
    out
}

fn paging(view: &View, total: usize) -> String {
    let pages = total.div_ceil(PAGE).min(MAX_OFFSET / PAGE + 1);
    if pages <= 1 {
        return String::new();
    }
    let mut out = String::from("<nav class=\"paging\" aria-label=\"Pages\">");
    if view.page > 1 {
        let mut v = view.clone();
        v.page -= 1;
        let _ = write!(out, "<a rel=\"prev\" href=\"{}\">Previous page</a> ", esc(&v.href()));
    }
    let _ = write!(out, "<span>Page {} of {pages}</span>", view.page);
    if view.page < pages {
        let mut v = view.clone();
        v.page += 1;
        let _ = write!(out, " <a rel=\"next\" href=\"{}\">Next page</a>", esc(&v.href()));
    }
    if total > pages * PAGE {
        // Deep pages cost the server; the rest is there to narrow down to, or to export.
        let _ = write!(
            out,
            "<p class=\"note\">Only the first {} of {total} results can be paged through: add a year, venue or \
             type to narrow them, or export them all (<code>arrow export</code>, or the API's cursor).</p>",
            pages * PAGE
        );
    }
    out.push_str("</nav>");
    out
}

/// Other searches to offer when nothing matched: (what it is, the search).
fn alternatives(view: &View, filters: &Filters) -> Vec<(&'static str, View)> {
    let mut out = Vec::new();
    if !filters.is_empty() {
        let mut v = view.clone();
        v.year.clear();
        v.venue.clear();
        v.pub_type.clear();
        v.page = 1;
        out.push(("The same search without the filters", v));
    }
    let q = view.q.trim();
    let mut loose = Vec::new();
    positive_words(&arrow_query::parse(q), &mut loose);
    let mut with_q = |label, q: String| {
        let mut v = view.clone();
        v.q = q;
        v.page = 1;
        out.push((label, v));
    };
    if !loose.is_empty() && loose.join(" ") != q {
        with_q("The words alone, without quotes, fields or exclusions", loose.join(" "));
    }
    if loose.len() > 1 {
        with_q("Any of the words", loose.join(" OR "));
    }
    out
}

/// The no-results section; `tried` are the alternatives that do find papers, with their counts.
fn no_results(tried: &[(&str, View, usize)]) -> String {
    let mut tips = Vec::new();
    for (label, v, n) in tried {
        let what = if v.q.trim().is_empty() { "all papers".to_string() } else { v.q.clone() };
        tips.push(format!(
            "<li>{label}: <a href=\"{}\">{}</a> ({n} {}).</li>",
            esc(&v.href()),
            esc(&what),
            if *n == 1 { "paper" } else { "papers" }
        ));
    }
    tips.push(
        "<li>Check the spelling; names with accents match with or without them (<q>Re</q> finds <q>Ré</q>).</li>"
            .into(),
    );
    tips.push("<li>Search one field: <code>author:ré</code>, <code>title:hyena</code>, <code>venue:ICML</code>, <code>year:2019..2023</code>.</li>".into());
    format!(
        "<section class=\"empty\" aria-labelledby=\"empty-heading\"><h2 id=\"empty-heading\">No papers match</h2>\
         <p>Things to try:</p><ul>{}</ul><p>The <a href=\"/help\">search help</a> explains the query language; \
         or <a href=\"/search\">browse the newest papers</a>.</p></section>",
        tips.join("")
    )
}

/// The search a view stands for, one hit long (for counting).
fn count_options(v: &View) -> SearchRequest {
    let mut opts = SearchRequest::query(&v.q);
    opts.limit = 1;
    opts.highlight = false;
    opts.filters.years = parse_years(&v.year).ok();
    opts.filters.venues = (!v.venue.is_empty()).then(|| v.venue.clone()).into_iter().collect();
    opts.filters.types = (!v.pub_type.is_empty()).then(|| v.pub_type.clone()).into_iter().collect();
    opts
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max).collect();
    if let Some(cut) = out.rfind(' ') {
        out.truncate(cut);
    }
    // Do not leave a formula open.
    if out.matches('$').count() % 2 == 1 {
        if let Some(cut) = out.rfind('$') {
            out.truncate(cut);
        }
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::{author_candidate, positive_words};

    #[test]
    fn an_author_card_is_offered_for_a_plain_name_only() {
        assert_eq!(author_candidate("Christopher Ré").as_deref(), Some("Christopher Ré"));
        assert_eq!(author_candidate("  J.  Smith-Jones ").as_deref(), Some("J. Smith-Jones"));
        assert_eq!(author_candidate("hyena"), None, "one word");
        assert_eq!(author_candidate("ce zhang -survey"), None, "an exclusion");
        assert_eq!(author_candidate("gibbs OR mcmc"), None, "an alternative");
        assert_eq!(author_candidate("title:hyena hierarchy"), None, "a field");
        assert_eq!(author_candidate("\"ce zhang\" x"), None, "a phrase");
    }

    #[test]
    fn the_loose_words_come_from_the_syntax_tree() {
        let words = |q: &str| {
            let mut out = Vec::new();
            positive_words(&arrow_query::parse(q), &mut out);
            out.join(" ")
        };
        assert_eq!(
            words("title:\"long convolution\" (hyena OR mamba) -survey year:2023"),
            "long convolution hyena mamba"
        );
        assert_eq!(words("+t-SNE doi:10.1/x f(x)"), "t-SNE f(x)");
    }
}
