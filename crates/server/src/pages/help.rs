//! How to search: the query language, one click from every page.

use crate::html::layout;
use axum::response::{Html, IntoResponse, Response};

const BODY: &str = r#"<h1>How to search</h1>
<p>Type words to find papers that contain all of them in the title, abstract, authors or venue.
Accents and case do not matter: <code>re</code> finds <q>Ré</q>. When nothing matches exactly, Arrow also
tries words one letter away.</p>
<h2>The query language</h2>
<table class="syntax">
<caption class="visually-hidden">Query syntax with examples</caption>
<thead><tr><th scope="col">Write</th><th scope="col">To find</th></tr></thead>
<tbody>
<tr><td><a href="/search?q=weak+supervision"><code>weak supervision</code></a></td><td>papers with both words</td></tr>
<tr><td><a href="/search?q=%22state+space%22"><code>"state space"</code></a></td><td>the exact phrase</td></tr>
<tr><td><a href="/search?q=hyena+OR+mamba"><code>hyena OR mamba</code></a></td><td>either word (<code>OR</code> in capitals, or <code>|</code>)</td></tr>
<tr><td><a href="/search?q=attention+-flash"><code>attention -flash</code></a></td><td>the first word but not the second (<code>NOT flash</code> too)</td></tr>
<tr><td><a href="/search?q=author%3Are"><code>author:ré</code></a></td><td>a word in an author's name</td></tr>
<tr><td><a href="/search?q=title%3Ahyena"><code>title:hyena</code></a>, <code>abstract:</code>, <code>venue:</code>, <code>type:</code></td><td>a word in one field</td></tr>
<tr><td><a href="/search?q=title%3A%28long+convolutions%29"><code>title:(long convolutions)</code></a></td><td>every word of the group in that field</td></tr>
<tr><td><a href="/search?q=year%3A2019..2023+sparsity"><code>year:2019..2023</code></a>, <code>year:2020</code>, <code>year:..2010</code></td><td>papers from those years</td></tr>
<tr><td><code>doi:10.1145/3318464.3380604</code>, <code>arxiv:2302.10866</code>, <code>id:acl:P18-1001</code></td><td>one paper by its identifier; a DOI, arXiv id, paper id or DBLP or OpenAlex link pasted alone is looked up too</td></tr>
</tbody>
</table>
<p>Anything that is not valid syntax is read as plain words, so a search never fails.</p>
<h2>Refining results</h2>
<p>Beside the results, the <strong>Year</strong>, <strong>Venue</strong> and <strong>Type</strong> lists count the
matching papers; follow one to narrow the results, and <q>remove</q> to widen them again. Sort by relevance,
newest or oldest first.</p>
<h2>Authors</h2>
<p>Every author name links to its <em>name cluster</em>: the papers with an author of exactly that name.
A name is not a person: two people may share a name, and one person may write theirs in different ways.</p>
<h2>Citations and the API</h2>
<p>Each paper page offers BibTeX, RIS and CSL-JSON; result lists export a page at a time. Programs can use the
JSON API described at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>, for example
<a href="/api/v1/works?search=hyena&amp;filter=year:2023&amp;per_page=5"><code>/api/v1/works?search=hyena&amp;filter=year:2023</code></a>.</p>
"#;

pub async fn page() -> Response {
    Html(layout("How to search", "Arrow's query language: phrases, OR, exclusions, fields and years.", "", BODY))
        .into_response()
}
