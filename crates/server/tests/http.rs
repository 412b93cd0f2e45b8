//! The server driven without a socket, on the demo corpus.

use arrow_engine::Arrow;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

fn demo() -> (tempfile::TempDir, axum::Router, Arc<Arrow>) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
    arrow.load_demo().unwrap();
    (dir, arrow_server::app(arrow.clone()), arrow)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, String) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let ctype = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, ctype, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_name_cluster_page_shows_the_seed_content() {
    let (_d, app, _) = demo();
    let (status, ctype, html) = get(&app, "/names/christopher%20r%C3%A9").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("text/html"));
    assert!(html.contains("Author name cluster"));
    assert!(html.contains("107 papers"));
    assert!(html.contains("1 author row"));
    assert!(html.contains("is not a full identity disambiguation profile"));
    assert!(html.contains("ICLR Conference 2025 Conference Paper"));
    assert!(html.contains("<a href=\"/names/Mayee%20F.%20Chen\">Mayee F. Chen</a>"));
    assert!(html.contains("Page 1 of 3"), "50 papers a page");
    // The pages together hold the whole cluster, newest first, each page small enough to load fast.
    let mut all = String::new();
    for page in 1..=3 {
        let (status, _, html) = get(&app, &format!("/names/christopher%20r%C3%A9?page={page}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.len() < 100_000, "page {page} is {} bytes", html.len());
        all.push_str(&html);
    }
    assert_eq!(all.matches("<article class=\"entry\"").count(), 107);
    assert!(all.contains("<annotation encoding=\"application/x-tex\">O(N\\log N)</annotation>"), "TeX as MathML");
    assert!(all.contains("<annotation encoding=\"application/x-tex\">\\ell_p</annotation>"), "TeX in a title");
    let aioli = all.find("Aioli: A Unified Optimization").unwrap();
    let old = all.find("Parallel Feature Selection Inspired by Group Testing").unwrap();
    assert!(aioli < old, "newest first");
}

#[tokio::test]
async fn search_finds_a_phrase_from_an_abstract_in_html_and_json() {
    let (_d, app, _) = demo();
    let (status, _, html) = get(&app, "/search?q=%22heavy-hitter+oracle%22").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>1</strong> result<"));
    assert!(html.contains("H2O: <mark>Heavy</mark>-<mark>Hitter</mark> <mark>Oracle</mark>"), "highlighted title");
    let (status, ctype, json) = get(&app, "/api/v1/search?q=%22heavy-hitter%20oracle%22").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ctype.starts_with("application/json"));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"], 1);
    assert!(v["hits"][0]["work"]["title"].as_str().unwrap().starts_with("H2O"));
}

#[tokio::test]
async fn the_paper_page_and_api_show_a_work() {
    let (_d, app, _) = demo();
    let id = "seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";
    let (status, _, html) = get(&app, &format!("/works/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h1>An Asynchronous Parallel Stochastic Coordinate Descent Algorithm</h1>"));
    assert!(html.contains("Ji Liu 0002"));
    let (status, _, json) = get(&app, &format!("/api/v1/works/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["year"], 2014);
    assert_eq!(v["authors"][0]["name"], "Ji Liu 0002");
    assert!(v["authors"][0].get("person").is_none() && !html.contains("person-link"), "no people yet");
}

#[tokio::test]
async fn a_paper_links_each_author_to_their_person() {
    let (_d, app, arrow) = demo();
    arrow.disambiguate().unwrap();
    let id = "seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";
    let (_, _, json) = get(&app, &format!("/api/v1/works/{id}")).await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let authors = v["authors"].as_array().unwrap();
    let ré = authors.iter().find(|a| a["name"] == "Christopher Ré").expect("Ré wrote it");
    let person = ré["person"].as_str().expect("every author has a person after disambiguation");
    assert_eq!(arrow.people_named("Christopher Ré").unwrap()[0].id, person);
    assert!(authors.iter().all(|a| a["person"].is_string()), "{authors:?}");
    let (_, _, html) = get(&app, &format!("/works/{id}")).await;
    assert_eq!(html.matches("class=\"person-link\"").count(), authors.len(), "one link per author");
    assert!(html.contains(&format!("href=\"/people/{person}\" aria-label=\"Christopher Ré as a person")), "{html}");
    let (status, _, page) = get(&app, &format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Christopher Ré"));
}

#[tokio::test]
async fn missing_things_are_404_with_json_errors_on_the_api() {
    let (_d, app, _) = demo();
    let (status, _, _) = get(&app, "/works/nope:1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, json) = get(&app, "/api/v1/works/nope:1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["code"], "not_found");
    assert_eq!(v["status"], 404);
    let (status, _, json) = get(&app, "/api/v1/search?q=x&limit=1000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json.contains("limit must be between 1 and 100"));
    // Without the version the API still answers in JSON, and says where it is.
    for uri in ["/api/people/p1", "/api/openapi.json", "/api"] {
        let (status, ctype, json) = get(&app, uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}");
        assert!(ctype.starts_with("application/json") && json.contains("/api/v1/"), "{uri}: {ctype} {json}");
    }
    let (_, ctype, _) = get(&app, "/apiary").await;
    assert!(ctype.starts_with("text/html"), "a page elsewhere");
}

#[tokio::test]
async fn hostile_titles_render_as_text() {
    let (dir, app, arrow) = demo();
    let file = dir.path().join("x.jsonl");
    std::fs::write(
        &file,
        r#"{"id":"evil:1","title":"<script>alert(1)</script>","authors":["<img src=x onerror=alert(2)>"],"abstract":"\"><b>bold</b>"}"#,
    )
    .unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &Default::default(), &NoBar).unwrap();
    for uri in ["/works/evil:1", "/search?q=alert", "/names/%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E"] {
        let (status, _, html) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        assert!(!html.contains("<script>alert"), "{uri}");
        assert!(!html.contains("<img src=x"), "{uri}");
        assert!(!html.contains("<b>bold"), "{uri}");
    }
    let (_, _, html) = get(&app, "/works/evil:1").await;
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

struct NoBar;
impl arrow_engine::Progress for NoBar {}

#[tokio::test]
async fn people_pages_after_disambiguation() {
    let (_d, app, arrow) = demo();
    let (_, _, before) = get(&app, "/names/Mayee%20Chen").await;
    assert!(!before.contains("share this name"), "no people before disambiguation");
    arrow.disambiguate().unwrap();
    let (status, _, html) = get(&app, "/names/Mayee%20Chen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 person has this name"), "{html}");
    // What tells the people of a name apart: years, venue, all their papers, their other spellings.
    let line = &html[html.find("Mayee Chen #1").unwrap()..];
    let line = &line[..line.find("</li>").unwrap()];
    assert!(line.contains(" papers in all, ") && line.contains(", mostly "), "{line}");
    assert!(line.contains("also written Mayee F. Chen"), "{line}");
    let start = html.find("href=\"/people/").unwrap() + "href=\"".len();
    let href = &html[start..start + html[start..].find('"').unwrap()];
    let (status, _, page) = get(&app, href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<h2>Written as</h2>"));
    let ré = arrow.people_named("Christopher Ré").unwrap()[0].id.clone();
    assert!(page.contains(&format!("<a href=\"/people/{ré}\">Christopher Ré</a>")), "a coauthor links to their person");
    assert!(page.contains("Mayee F. Chen") && page.contains("Mayee Chen"));
    assert!(page.contains("<svg class=\"years\""));
    let api = href.replace("/people/", "/api/v1/people/");
    let (status, _, json) = get(&app, &api).await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["works"].as_array().unwrap().len() >= 2);
    let (status, _, _) = get(&app, "/api/v1/people/p:nobody").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No one wrote "M. Chen" exactly: the page lists the people whose names fit, linked to their pages.
    let (status, _, fit) = get(&app, "/names/M.%20Chen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(fit.contains("0 papers") && fit.contains("People whose names fit it"), "{fit}");
    assert!(fit.contains(&format!("<a href=\"{href}\">")), "Mayee Chen's page is linked: {fit}");
    let (_, _, none) = get(&app, "/names/Zed%20Quokka").await;
    assert!(!none.contains("People whose names fit it"));
}

#[tokio::test]
async fn an_initial_someone_wrote_exactly_still_lists_the_people_it_fits() {
    let (dir, app, arrow) = demo();
    let path = dir.path().join("m-chen.jsonl");
    let line = r#"{"id":"test:m-chen","title":"Soil moisture under maize","year":1998,"venue":"Agron. J.","authors":["M. Chen","Q. Farmer"]}"#;
    std::fs::write(&path, format!("{line}\n")).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &Default::default(), &NoBar).unwrap();
    arrow.disambiguate().unwrap();
    let mayee = arrow.people_named("Mayee Chen").unwrap()[0].id.clone();
    let (status, _, html) = get(&app, "/names/M.%20Chen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("1 person has this name"), "{html}");
    let fit = &html[html.find("Other people whose names fit it").expect("the fitting people are listed")..];
    assert!(fit.contains(&format!("<a href=\"/people/{mayee}\">")), "{fit}");
    let (_, _, json) = get(&app, "/api/v1/people?name=M.%20Chen").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["people"].as_array().unwrap().len(), 1, "{v}");
    let fitting = v["fitting"]["people"].as_array().expect("fitting beside the exact name");
    assert!(fitting.iter().any(|p| p["id"] == mayee.as_str()), "{v}");
    assert!(fitting.iter().all(|p| p["id"] != v["people"][0]["id"]), "the exact person is not listed twice: {v}");
    // A full first name is taken as written.
    let (_, _, json) = get(&app, "/api/v1/people?name=Mayee%20Chen").await;
    assert!(serde_json::from_str::<serde_json::Value>(&json).unwrap()["fitting"].is_null());
}

#[tokio::test]
async fn a_person_the_cut_author_list_hides_is_named_on_their_page() {
    let (dir, app, arrow) = demo();
    let path = dir.path().join("many.jsonl");
    let mut authors: Vec<String> = (1..=11).map(|i| format!("\"Author Number{i}\"")).collect();
    authors.push("\"Quirina Zyxwald\"".into());
    let line = format!(
        r#"{{"id":"test:many","title":"A paper of many hands","year":2021,"venue":"NeurIPS","authors":[{}]}}"#,
        authors.join(",")
    );
    std::fs::write(&path, format!("{line}\n")).unwrap();
    arrow.ingest_paths(&[path.display().to_string()], &Default::default(), &NoBar).unwrap();
    arrow.disambiguate().unwrap();
    let person = arrow.people_named("Quirina Zyxwald").unwrap()[0].id.clone();
    let (status, _, html) = get(&app, &format!("/people/{person}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("+4 more") && html.contains("as Quirina Zyxwald, author 12 of 12"), "{html}");
}

#[tokio::test]
async fn a_prolific_person_is_paged() {
    let (dir, app, arrow) = demo();
    let file = dir.path().join("prolific.jsonl");
    let lines: Vec<String> = (0..130)
        .map(|i| {
            format!(
                r#"{{"id":"zq:{i}","title":"Quokka Study {i:03}","authors":["Zed Quokka","Pat Lee{}","Sam Hill{}"],"venue":"QJ","year":{}}}"#,
                i / 40,
                (i + 20) / 40,
                2000 + i % 20
            )
        })
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &Default::default(), &NoBar).unwrap();
    arrow.disambiguate().unwrap();
    let (_, _, cluster) = get(&app, "/names/Zed%20Quokka").await;
    assert!(cluster.contains("1 person has this name"), "{cluster}");
    let start = cluster.find("href=\"/people/").unwrap() + "href=\"".len();
    let href = &cluster[start..start + cluster[start..].find('"').unwrap()];
    let (_, _, first) = get(&app, href).await;
    assert!(first.contains("130 papers"));
    assert_eq!(first.matches("<article class=\"entry\"").count(), 100);
    assert!(first.contains("Page 1 of 2") && first.contains(&format!("rel=\"next\" href=\"{href}?page=2\"")));
    let (_, _, second) = get(&app, &format!("{href}?page=2")).await;
    assert_eq!(second.matches("<article class=\"entry\"").count(), 30);
    assert!(second.contains("rel=\"prev\""));
}

#[tokio::test]
async fn limits_answer_with_clear_errors_and_headers() {
    let (_d, app, _) = demo();
    let long = format!("/search?q={}", "a".repeat(5000));
    let res = app.clone().oneshot(Request::get(&long).body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::URI_TOO_LONG);
    assert!(res.headers().get("content-security-policy").unwrap().to_str().unwrap().contains("frame-ancestors 'none'"));
    assert_eq!(res.headers().get("x-content-type-options").unwrap(), "nosniff");
    let body = res.into_body().collect().await.unwrap().to_bytes();
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(v["code"], "uri_too_long");
    // A query just under the limit is answered, as plain words.
    let (status, _, _) = get(&app, &format!("/search?q={}", "word%20".repeat(500))).await;
    assert_eq!(status, StatusCode::OK);
    // Path traversal finds nothing outside the routes.
    let (status, _, _) = get(&app, "/static/..%2f..%2fCargo.toml").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn versions_of_one_paper_show_once_in_search_and_on_the_paper_page() {
    let (_d, app, arrow) = demo();
    arrow.group_versions().unwrap();
    let (status, _, html) = get(&app, "/search?q=asynchronous+parallel+stochastic+coordinate+descent").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(html.matches("/works/seed:jmlr-2015-an-asynchronous-parallel").count(), 1, "listed once, as a version");
    assert_eq!(html.matches("/works/seed:icml-2014-an-asynchronous-parallel").count(), 1);
    assert!(html.contains("<p class=\"versions\">also: <a href=\"/works/seed:jmlr-2015-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm\" title=\"An Asynchronous Parallel Stochastic Coordinate Descent Algorithm\">JMLR 2015</a></p>"), "{html}");
    let (status, _, html) =
        get(&app, "/works/seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<h2 id=\"versions-heading\">Versions</h2>"));
    assert!(html
        .contains("href=\"/works/seed:jmlr-2015-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm\""));
    assert!(html.contains("<span class=\"where\">JMLR 2015</span>"));
    let (_, _, html) =
        get(&app, "/works/seed:icml-2025-an-architecture-search-framework-for-inference-time-techniques").await;
    assert!(!html.contains("versions-heading"), "no section without versions");
    let (status, _, json) =
        get(&app, "/api/v1/works/seed:ijcai-2017-ensuring-rapid-mixing-and-low-bias-for-asynchronous-gibbs-sampling")
            .await;
    assert_eq!(status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["versions"][0]["id"],
        "seed:icml-2016-ensuring-rapid-mixing-and-low-bias-for-asynchronous-gibbs-sampling"
    );
    assert_eq!(v["versions"][0]["venue"], "ICML");
    assert_eq!(v["versions"][0]["year"], 2016);
    let (_, _, json) = get(&app, "/api/v1/works?search=ensuring+rapid+mixing+asynchronous+gibbs").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let results = v["results"].as_array().unwrap();
    let gibbs: Vec<_> = results
        .iter()
        .filter(|r| r["title"] == "Ensuring Rapid Mixing and Low Bias for Asynchronous Gibbs Sampling")
        .collect();
    assert_eq!(gibbs.len(), 1);
    assert_eq!(gibbs[0]["versions"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_very_common_name_is_paged() {
    let (dir, app, arrow) = demo();
    let file = dir.path().join("many.jsonl");
    let lines: Vec<String> = (0..250)
        .map(|i| format!(r#"{{"id":"many:{i}","title":"Paper {i:03}","authors":["Wei Wang"],"year":2000}}"#))
        .collect();
    std::fs::write(&file, lines.join("\n")).unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &Default::default(), &NoBar).unwrap();
    let (_, _, first) = get(&app, "/names/Wei%20Wang").await;
    assert!(first.contains("250 papers"));
    assert_eq!(first.matches("<article class=\"entry\"").count(), 50);
    assert!(
        first.contains("Page 1 of 5") && first.contains("rel=\"next\" href=\"/names/Wei%20Wang?page=2\""),
        "{first}"
    );
    let (_, _, second) = get(&app, "/names/Wei%20Wang?page=5").await;
    assert_eq!(second.matches("<article class=\"entry\"").count(), 50);
    assert!(second.contains("Paper 249") || second.contains("Paper 000"));
}

#[tokio::test]
async fn a_name_cluster_shows_the_other_names_of_its_dblp_person() {
    let (_dir, app, arrow) = demo();
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../ingest/tests/fixtures/dblp-xml/persons.xml");
    arrow.ingest_paths(&[fixture.to_string()], &Default::default(), &NoBar).unwrap();
    let (status, _, html) = get(&app, "/names/Vinton%20G.%20Cerf").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<strong>1 author row</strong>"), "{html}");
    assert!(html.contains("Also published as: <a href=\"/names/Vint%20Cerf\">Vint Cerf</a>"), "{html}");
    let (_, _, json) = get(&app, "/api/v1/names/Vint%20Cerf").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["also_published_as"], serde_json::json!(["Vinton G. Cerf"]));
    assert_eq!(v["dblp_persons"][0]["key"], "homepages/c/VintonGCerf");
    assert_eq!(v["author_rows"], 1);
}

/// Regression (issue 15): a page number near the integer limit overflowed the search page's offset arithmetic.
#[tokio::test]
async fn huge_page_numbers_show_the_last_page_instead_of_failing() {
    let (_d, app, arrow) = demo();
    arrow.disambiguate().unwrap();
    let person = arrow.people_named("Christopher Ré").unwrap()[0].id.clone();
    for huge in ["18446744073709551615", "9999999999"] {
        let (status, _, html) = get(&app, &format!("/search?q=hyena&page={huge}")).await;
        assert_eq!(status, StatusCode::OK, "search page {huge}");
        assert!(html.contains("results"), "{html}");
        let (status, _, html) = get(&app, &format!("/search?q=&offset={huge}")).await;
        assert_eq!(status, StatusCode::OK, "search offset {huge}");
        assert!(html.contains("Recent papers"));
        let (status, _, html) = get(&app, &format!("/names/christopher%20r%C3%A9?page={huge}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Page 3 of 3"), "the last page of the cluster");
        let (status, _, html) = get(&app, &format!("/people/{person}?page={huge}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains("Christopher"));
    }
    // One past usize is not a page number: the address is refused, as a page, not a server error.
    let (status, ctype, _) = get(&app, "/search?q=hyena&page=18446744073709551616").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(ctype.starts_with("text/html"));
}

/// The `href` of every "why?" link of a page, unescaped.
fn why_links(html: &str) -> Vec<String> {
    html.match_indices("<a class=\"why\" href=\"")
        .map(|(i, m)| {
            let start = i + m.len();
            html[start..start + html[start..].find('"').unwrap()].replace("&amp;", "&")
        })
        .collect()
}

#[tokio::test]
async fn each_paper_of_a_person_links_to_why_it_is_theirs() {
    let (dir, app, arrow) = demo();
    let flash = "seed:neurips-2022-flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness%231";
    let hippo = "seed:neurips-2020-hippo-recurrent-memory-with-optimal-polynomial-projections%232";
    let (status, _, html) = get(&app, &format!("/explain?a={flash}&b={hippo}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no people before disambiguation");
    assert!(html.contains("Nothing to explain") && html.contains("has not run"), "{html}");
    // A hostile author name, on two papers: one person whose explanation must stay text.
    let file = dir.path().join("x.jsonl");
    let evil = r#"{"id":"evil:1","title":"<script>alert(1)</script>","authors":["<img src=x onerror=alert(2)>","Ann Vil"],"venue":"V","year":2020}
{"id":"evil:2","title":"Second <b>bold</b>","authors":["<img src=x onerror=alert(2)>","Ann Vil"],"venue":"V","year":2021}"#;
    std::fs::write(&file, evil).unwrap();
    arrow.ingest_paths(&[file.display().to_string()], &Default::default(), &NoBar).unwrap();
    arrow.disambiguate().unwrap();

    let tri = arrow.people_named("Tri Dao").unwrap()[0].id.clone();
    let profile = arrow.person(&tri).unwrap().unwrap();
    let (status, _, html) = get(&app, &format!("/people/{tri}")).await;
    assert_eq!(status, StatusCode::OK);
    let links = why_links(&html);
    let shown = profile.works.len().min(100);
    assert_eq!(links.len(), shown - 1, "one per paper, but not on the mention the others are explained against");
    // Explained against the oldest paper written under the page's name (the last listed): a new paper, listed
    // first, does not move it.
    let anchor = profile
        .works
        .iter()
        .filter(|w| w.authors.iter().any(|a| a.name == profile.name))
        .min_by_key(|w| (w.year.is_none(), w.year))
        .unwrap();
    let anchor = format!("{}%23{}", anchor.id.0.replace(':', "%3A"), profile.positions[&anchor.id.0]);
    assert!(links.iter().all(|l| l.starts_with(&format!("/explain?a={anchor}&b="))), "{links:?}");
    assert!(html.contains("why?<span class=\"visually-hidden\">"), "a name for screen readers beyond \"why?\"");

    let (status, ctype, page) = get(&app, &links[0]).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(ctype.starts_with("text/html"));
    assert!(page.contains("<h1>Tri Dao and Tri Dao</h1>"), "both names: {page}");
    assert_eq!(page.matches("<li><strong>Tri Dao</strong>, author ").count(), 2, "both mentions, each with its paper");
    assert!(page.contains("<strong>one person</strong>"));
    assert!(page.contains("<th scope=\"col\">Signal</th>") && page.contains("How rare each name is"));
    assert!(page.contains("href=\"/api/v1/explain?a="), "the same as JSON");

    let (status, _, evil) = get(&app, "/explain?a=evil:1%231&b=evil:2%231").await;
    assert_eq!(status, StatusCode::OK, "{evil}");
    assert!(!evil.contains("<img src=x") && !evil.contains("<script>alert") && !evil.contains("<b>bold"), "{evil}");
    assert!(evil.contains("&lt;img src=x onerror=alert(2)&gt; and &lt;img src=x onerror=alert(2)&gt;"), "{evil}");

    for (uri, status, says) in [
        (format!("/explain?a={flash}"), StatusCode::BAD_REQUEST, "b is missing"),
        (format!("/explain?a={flash}&b={flash}"), StatusCode::BAD_REQUEST, "is one mention"),
        (format!("/explain?a={flash}&b=nope%231"), StatusCode::NOT_FOUND, "nope#1 is not a stored mention"),
    ] {
        let (s, ctype, html) = get(&app, &uri).await;
        assert_eq!(s, status, "{uri}");
        assert!(ctype.starts_with("text/html") && html.contains(says), "{uri}: {html}");
    }
}

/// Regression (a new-user test): a page past the last one says so and links to the last page, instead of "No
/// papers match" beside a count of matches.
#[tokio::test]
async fn a_search_page_past_the_end_links_to_the_last_page() {
    let (_d, app, _) = demo();
    let (status, _, html) = get(&app, "/search?q=learning&page=40").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Page 40 is past the last page"), "{html}");
    assert!(html.contains("href=\"/search?q=learning&amp;page="), "{html}");
    assert!(!html.contains("No papers match"), "{html}");
}

#[tokio::test]
async fn a_name_page_says_what_year_it_ignored() {
    let (_d, app, _) = demo();
    let (status, _, html) = get(&app, "/names/christopher%20r%C3%A9?year=abc").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ignored: ") && html.contains("abc"), "{html}");
    assert!(html.contains("107 papers"));
}

/// Regression (a new-user test): the author card names the cluster as typed or in mixed case, not in capitals.
#[tokio::test]
async fn the_author_card_names_the_cluster_as_people_write_it() {
    let (dir, app, arrow) = demo();
    let file = dir.path().join("hajic.jsonl");
    let line = |id: &str, name: &str| format!(r#"{{"id":"{id}","title":"Treebank {id}","authors":["{name}"]}}"#);
    let lines = [line("x:1", "JAN HAJIC"), line("x:2", "JAN HAJIC"), line("x:3", "Jan Hajic")];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let opts = arrow_engine::IngestOptions::default();
    struct Quiet;
    impl arrow_engine::Progress for Quiet {}
    arrow.ingest_paths(&[file.display().to_string()], &opts, &Quiet).unwrap();
    let (_, _, html) = get(&app, "/search?q=jan+hajic").await;
    assert!(html.contains("<strong>Jan Hajic</strong></a>: 3 papers"), "{html}");
}
