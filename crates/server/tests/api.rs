//! The v1 API in OpenAlex's conventions, its OpenAPI document, exports, and the pages' refinements.

use arrow_engine::Arrow;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use std::sync::{Arc, OnceLock};
use tower::ServiceExt;

/// One demo data directory shared by the tests of this file (loading it is the slow part).
fn demo() -> &'static Arc<Arrow> {
    static DEMO: OnceLock<(tempfile::TempDir, Arc<Arrow>)> = OnceLock::new();
    &DEMO
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
            arrow.load_demo().unwrap();
            arrow.disambiguate().unwrap();
            (dir, arrow)
        })
        .1
}

fn app() -> axum::Router {
    arrow_server::app(demo().clone())
}

struct Res {
    status: StatusCode,
    ctype: String,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Res {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn get(uri: &str) -> Res {
    let res = app().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let ctype = headers.get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    Res { status, ctype, headers, body }
}

const WORK: &str = "seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";

#[tokio::test]
async fn works_search_filter_sort_select() {
    let r =
        get("/api/v1/works?search=hyena&filter=year:2023-2024,venue:ICML&sort=year:desc&select=id,title,year,venue")
            .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json();
    assert_eq!(v["meta"]["count"], 3);
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    for w in results {
        assert_eq!(w["venue"], "ICML");
        assert!(w.get("authors").is_none(), "select keeps only the asked fields");
        assert_eq!(w.as_object().unwrap().len(), 4);
    }
    let years: Vec<i64> = results.iter().map(|w| w["year"].as_i64().unwrap()).collect();
    assert!(years.windows(2).all(|p| p[0] >= p[1]), "{years:?}");
}

#[tokio::test]
async fn cursor_paging_walks_every_result_once() {
    let mut cursor = "*".to_string();
    let mut seen = std::collections::HashSet::new();
    let mut count = 0;
    for _ in 0..20 {
        let r = get(&format!("/api/v1/works?filter=venue:ICML&per_page=7&select=id&cursor={cursor}")).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let v = r.json();
        count = v["meta"]["count"].as_u64().unwrap();
        for w in v["results"].as_array().unwrap() {
            assert!(seen.insert(w["id"].as_str().unwrap().to_string()));
        }
        match v["meta"]["next_cursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(count, 30);
    assert_eq!(seen.len(), 30);
}

#[tokio::test]
async fn group_by_counts_the_whole_result() {
    let v = get("/api/v1/works?group_by=venue&per_page=1").await.json();
    let groups = v["group_by"].as_array().unwrap();
    let neurips = groups.iter().find(|g| g["key"] == "NeurIPS").unwrap();
    assert_eq!(neurips["count"], 46);
    let total: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(total, 107);
    let v = get("/api/v1/works?group_by=year").await.json();
    assert!(v["group_by"].as_array().unwrap().iter().any(|g| g["key"] == "2014"));
}

#[tokio::test]
async fn bad_parameters_are_json_400s() {
    for uri in [
        "/api/v1/works?per_page=0",
        "/api/v1/works?per_page=101",
        "/api/v1/works?filter=colour:red",
        "/api/v1/works?filter=year:soon",
        "/api/v1/works?sort=title",
        "/api/v1/works?select=password",
        "/api/v1/works?cursor=nonsense",
        "/api/v1/works?group_by=author",
        "/api/v1/works?format=docx",
        "/api/v1/works?per_page=abc",
        "/api/v1/works?page=1000",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
        assert!(r.ctype.starts_with("application/json"), "{uri}");
        let v = r.json();
        assert_eq!(v["status"], 400, "{uri}");
        assert_eq!(v["code"], "bad_request", "{uri}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{uri}");
    }
    let r = get("/api/v1/nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.json()["code"], "not_found");
}

#[tokio::test]
async fn a_work_and_its_citations() {
    let r = get(&format!("/api/v1/works/{WORK}")).await;
    assert_eq!(r.json()["year"], 2014);
    let r = get(&format!("/api/v1/works/{WORK}.bib")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.ctype.starts_with("application/x-bibtex"), "{}", r.ctype);
    assert!(r.body.starts_with("@inproceedings{liu2014asynchronous,"), "{}", r.body);
    assert!(r.body.contains("author = {Ji Liu 0002 and Stephen J. Wright 0001 and Christopher Ré"), "{}", r.body);
    let r = get(&format!("/api/v1/works/{WORK}.ris")).await;
    assert!(r.body.starts_with("TY  - CONF\n"), "{}", r.body);
    let r = get(&format!("/api/v1/works/{WORK}?format=csl-json")).await;
    let v = r.json();
    assert_eq!(v[0]["title"], "An Asynchronous Parallel Stochastic Coordinate Descent Algorithm");
    let r = get("/api/v1/works?search=hyena&format=bibtex&per_page=3").await;
    assert_eq!(r.body.matches("\n@").count() + 1, 3, "{}", r.body);
    let r = get("/api/v1/names/Christopher%20R%C3%A9?format=ris").await;
    assert_eq!(r.body.matches("ER  - ").count(), 107);
    let r = get("/api/v1/works/nope:1.bib").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn suggestions_offer_authors_and_titles() {
    let v = get("/api/v1/suggest?q=hyena").await.json();
    assert!(v["titles"].as_array().unwrap().iter().any(|t| t["title"].as_str().unwrap().contains("Hyena")), "{v}");
    let v = get("/api/v1/suggest?q=Poli").await.json();
    assert!(v["authors"].as_array().unwrap().iter().any(|a| a["name"] == "Michael Poli"), "{v}");
    let v = get("/api/v1/suggest?q=x").await.json();
    assert!(v["authors"].as_array().unwrap().is_empty());
}

/// Every path of the OpenAPI document answers (path parameters filled from their examples), and every
/// route of the API is in the document.
#[tokio::test]
async fn the_openapi_document_matches_the_routes() {
    let doc = get("/api/v1/openapi.json").await.json();
    assert_eq!(doc["openapi"], "3.0.3");
    // Every schema a reference names is in the document.
    fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r.to_string());
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut named = Vec::new();
    refs(&doc, &mut named);
    assert!(named.iter().any(|r| r.ends_with("/Curation")), "the curate routes say what they answer");
    for r in named {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("{r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "{r} is not in the document");
    }
    let paths = doc["paths"].as_object().unwrap();
    for (path, item) in paths {
        // Write operations need the admin token (tests/admin.rs); every operation documents its errors.
        for op in item.as_object().unwrap().values() {
            assert!(op["responses"]["200"].is_object() && op["responses"]["400"].is_object(), "{path}");
        }
        let op = &item["get"];
        if !op.is_object() || op["security"].is_array() {
            continue;
        }
        let mut uri = path.clone();
        let mut query = Vec::new();
        for p in op["parameters"].as_array().into_iter().flatten() {
            let name = p["name"].as_str().unwrap();
            match p["in"].as_str().unwrap() {
                "path" => {
                    let example = p["example"].as_str().unwrap_or_else(|| panic!("{path}: {name} has no example"));
                    let enc = arrow_server_test_encode(example);
                    uri = uri.replace(&format!("{{{name}}}"), &enc);
                }
                _ => {
                    if let Some(e) = p["example"].as_str() {
                        query.push(format!("{name}={}", arrow_server_test_encode(e)));
                    }
                }
            }
        }
        assert!(!uri.contains('{'), "{uri}");
        let required =
            op["parameters"].as_array().into_iter().flatten().any(|p| p["in"] == "query" && p["required"] == true);
        for with_examples in [false, true] {
            if required && !with_examples {
                // Without the parameters it cannot do without, an operation answers the documented 400.
                let r = get(&uri).await;
                assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.body);
                continue;
            }
            let full =
                if with_examples && !query.is_empty() { format!("{uri}?{}", query.join("&")) } else { uri.clone() };
            let r = get(&full).await;
            assert_eq!(r.status, StatusCode::OK, "{full}: {}", r.body);
            assert!(r.ctype.starts_with("application/json"), "{full}");
        }
        assert!(op["responses"]["200"].is_object() && op["responses"]["400"].is_object(), "{path}");
    }
    // The routes in api.rs and admin.rs, as the document must list them.
    let source = concat!(include_str!("../src/api.rs"), include_str!("../src/admin.rs"));
    let mut routes = std::collections::HashSet::new();
    for line in source.lines() {
        if let Some(rest) = line.trim().strip_prefix(".route(\"") {
            let route = rest.split('"').next().unwrap().replace("{*id}", "{id}");
            let documented = format!("/api/v1{route}");
            assert!(paths.contains_key(&documented), "route {documented} is not in the OpenAPI document");
            routes.insert(documented);
        }
    }
    assert_eq!(routes.len(), paths.len(), "the document lists a route that does not exist");
}

/// Tri Dao on two papers of the demo corpus.
const TRI_DAO_A: &str =
    "seed:neurips-2022-flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness#1";
const TRI_DAO_B: &str = "seed:neurips-2020-hippo-recurrent-memory-with-optimal-polynomial-projections#2";

#[tokio::test]
async fn explain_answers_what_arrow_explain_json_prints() {
    let enc = arrow_server_test_encode;
    let r = get(&format!("/api/v1/explain?a={}&b={}", enc(TRI_DAO_A), enc(TRI_DAO_B))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.ctype.starts_with("application/json"), "{}", r.ctype);
    let v = r.json();
    // The CLI prints this engine call's value with serde: the same value, field for field.
    let engine = demo().explain(&TRI_DAO_A.parse().unwrap(), &TRI_DAO_B.parse().unwrap()).unwrap().unwrap();
    assert_eq!(v, serde_json::to_value(&engine).unwrap());
    assert_eq!(v["names"], serde_json::json!(["Tri Dao", "Tri Dao"]));
    assert_eq!(v["same_person"], true);
    assert!(v["signals"].as_array().is_some_and(|s| !s.is_empty()) && v["rarity"].is_array(), "{v}");

    let flash = TRI_DAO_A.trim_end_matches("#1");
    for (uri, status, says) in [
        ("/api/v1/explain".to_string(), 400, "a is missing"),
        (format!("/api/v1/explain?a={}", enc(TRI_DAO_A)), 400, "b is missing"),
        // A # left as is starts the fragment: the server sees `a` without its position.
        (
            format!("/api/v1/explain?a={TRI_DAO_A}&b={}", enc(TRI_DAO_B)),
            400,
            "expected WORK_ID#POSITION (# is written %23",
        ),
        (format!("/api/v1/explain?a={flash}%230&b={}", enc(TRI_DAO_B)), 400, "count from 1"),
        (format!("/api/v1/explain?a={flash}%23x&b={}", enc(TRI_DAO_B)), 400, "must be a number"),
        (format!("/api/v1/explain?a={}&b={}", enc(TRI_DAO_A), enc(TRI_DAO_A)), 400, "is one mention"),
        (format!("/api/v1/explain?a=nope:1%231&b={}", enc(TRI_DAO_B)), 404, "nope:1#1 is not a stored mention"),
        (format!("/api/v1/explain?a={flash}%2399&b={}", enc(TRI_DAO_B)), 404, "#99 is not a stored mention"),
    ] {
        let r = get(&uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        assert!(r.ctype.starts_with("application/json"), "{uri}");
        let v = r.json();
        assert_eq!(v["status"], status, "{uri}");
        assert!(v["message"].as_str().is_some_and(|m| m.contains(says)), "{uri}: {}", r.body);
    }
}

fn arrow_server_test_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b':' | b',' | b'*' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn pages_carry_a_strict_csp_and_no_inline_script() {
    for uri in ["/", "/search?q=hyena", "/help", &format!("/works/{WORK}"), "/names/Christopher%20R%C3%A9", "/nope"] {
        let r = get(uri).await;
        let csp = r.headers.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{uri}");
        assert!(!r.body.contains("<script>"), "{uri}: inline script");
        assert!(!r.body.contains(" style=\""), "{uri}: inline style");
        assert!(!has_event_handler(&r.body), "{uri}: no event handler attributes");
        assert!(r.body.contains("<title>") && r.body.contains("<meta name=\"description\""), "{uri}");
    }
    let r = get("/static/suggest.js").await;
    assert!(r.ctype.starts_with("text/javascript"));
}

#[tokio::test]
async fn the_search_page_refines_sorts_and_pages() {
    let r = get("/search?q=learning").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h2>Year</h2>") && r.body.contains("<h2>Venue</h2>") && r.body.contains("<h2>Type</h2>"));
    assert!(r.body.contains("href=\"/search?q=learning&amp;venue=ICML\""), "venue facet links refine");
    assert!(r.body.contains("href=\"/search?q=learning&amp;sort=year%3Adesc\""), "sort links");
    assert!(r.body.contains("rel=\"next\""), "paging");
    let r = get("/search?q=learning&venue=ICML&year=2014").await;
    assert!(r.body.contains("Venue: <strong>ICML</strong>"), "active filter shown");
    assert!(r.body.contains("Remove the venue filter"));
    assert!(!r.body.contains("NeurIPS Conference"), "filtered");
    let r = get("/search?q=christopher+r%C3%A9").await;
    assert!(r.body.contains("class=\"card\""), "author card");
    assert!(r.body.contains("107 papers with an author of exactly this name"), "{}", r.body);
}

#[tokio::test]
async fn no_results_say_what_to_try() {
    let r = get("/search?q=%22hyena+zebra%22&venue=ICML").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("No papers match"));
    assert!(
        r.body.contains(
            "Any of the words: <a href=\"/search?q=hyena%20OR%20zebra&amp;venue=ICML\">hyena OR zebra</a> (3 papers)"
        ),
        "{}",
        r.body
    );
    assert!(!r.body.contains("without the filters"), "offered only when it finds papers");
    let r = get("/search?q=hyena&venue=JMLR").await;
    assert!(
        r.body.contains("The same search without the filters: <a href=\"/search?q=hyena\">hyena</a> (6 papers)"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"/help\""));
}

#[tokio::test]
async fn the_paper_page_renders_math_and_offers_citations() {
    let id = "seed:icml-2016-weighted-sgd-for-lp-regression-with-randomized-preconditioning";
    let r = get(&format!("/works/{id}")).await;
    if r.status == StatusCode::NOT_FOUND {
        // The id in the corpus may differ; find the paper by title.
        let v = get("/api/v1/works?search=title:(weighted+sgd+regression)&select=id").await.json();
        let id = v["results"][0]["id"].as_str().unwrap().to_string();
        return check_paper(&id).await;
    }
    check_paper(id).await;
}

async fn check_paper(id: &str) {
    let r = get(&format!("/works/{}", id.replace(' ', "%20"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h1>Weighted SGD for <math"), "{}", &r.body[..2000.min(r.body.len())]);
    assert!(r.body.contains("Show BibTeX"));
    assert!(r.body.contains(".bib\" download>BibTeX</a>"));
    assert!(r.body.contains("<dt>Venue</dt>"));
}

#[tokio::test]
async fn the_name_page_has_year_and_venue_facets() {
    let r = get("/names/Christopher%20R%C3%A9?venue=ICML").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("107 papers"), "the cluster's size stays");
    assert!(r.body.contains("<p class=\"count\">30</p>"), "ICML papers only");
    assert!(r.body.contains("<h2>Venue</h2>") && r.body.contains("<h2>Year</h2>"));
    assert!(r.body.contains("Remove the venue filter"));
}

/// ` onclick=`, ` onload=`, ...
fn has_event_handler(html: &str) -> bool {
    html.match_indices(" on").any(|(i, _)| {
        let rest = &html[i + 3..];
        let letters = rest.bytes().take_while(|b| b.is_ascii_lowercase()).count();
        letters > 0 && rest.as_bytes().get(letters) == Some(&b'=')
    })
}

#[tokio::test]
async fn modes_without_vectors_are_explained_and_sentences_are_ranked_leniently() {
    let bad = get("/api/v1/works?search=hyena&mode=vector").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.json()["message"].as_str().unwrap().contains("lexical, semantic or hybrid"), "{}", bad.body);
    let none = get("/api/v1/works?search=hyena&mode=semantic").await;
    assert_eq!(none.status, StatusCode::BAD_REQUEST);
    assert!(none.json()["message"].as_str().unwrap().contains("no work vectors"), "{}", none.body);
    // A sentence no paper has every word of: ranked by most words, and said so.
    let q = "can%20long%20convolutions%20replace%20attention%20in%20large%20language%20models";
    let sentence = get(&format!("/api/v1/works?search={q}")).await.json();
    assert_eq!(sentence["meta"]["mode"], "lexical");
    assert_eq!(sentence["meta"]["lenient"], true);
    assert!(sentence["meta"]["count"].as_u64().unwrap() > 0);
    // The page falls back to words with a notice instead of failing, and offers no mode control.
    let page = get(&format!("/search?q={q}&mode=hybrid")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("needs work vectors"), "{}", page.body);
    assert!(page.body.contains("ranked by how many of your words they have"));
    assert!(!page.body.contains("Rank by:"));
}

#[tokio::test]
async fn people_by_name_are_told_apart_and_a_partial_name_finds_those_it_fits() {
    let v = get("/api/v1/people?name=Mayee%20Chen").await.json();
    let people = v["people"].as_array().unwrap();
    assert_eq!(people.len(), 1, "{v}");
    assert!(people[0]["works"].as_u64().unwrap() >= people[0]["works_with_name"].as_u64().unwrap());
    assert!(people[0]["names"].to_string().contains("Mayee F. Chen"), "{v}");
    assert!(v["fitting"].is_null(), "someone wrote it exactly");
    let v = get("/api/v1/people?name=M.%20Chen").await.json();
    assert_eq!(v["people"], serde_json::json!([]));
    let fit = v["fitting"]["people"].as_array().unwrap();
    assert!(fit.iter().any(|p| p["id"] == people[0]["id"]), "{v}");
    let res = get("/api/v1/people").await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("name is required"), "{}", res.body);
}
