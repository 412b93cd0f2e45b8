//! The modes over HTTP once the data directory has vectors. Needs the model: `scripts/test` fetches it and
//! sets `ARROW_TEST_MODEL`; without it this test says so and checks nothing.

use arrow_engine::Arrow;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let res = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn the_api_and_the_page_offer_the_modes_once_vectors_exist() {
    let Some(model) = std::env::var_os("ARROW_TEST_MODEL") else {
        eprintln!("ARROW_TEST_MODEL is not set (scripts/test sets it): modes over HTTP not tested");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
    arrow.load_demo().unwrap();
    arrow.embed(Some(std::path::Path::new(&model)), None, &|_, _| {}).unwrap();
    let app = arrow_server::app(arrow);
    let q = "can%20long%20convolutions%20replace%20attention%20in%20large%20language%20models";

    let (status, body) = get(&app, &format!("/api/v1/works?search={q}&select=id,title")).await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["meta"]["mode"], "hybrid", "a sentence defaults to hybrid");
    let first: Vec<&str> =
        json["results"].as_array().unwrap().iter().take(3).filter_map(|w| w["title"].as_str()).collect();
    assert!(first.iter().any(|t| t.starts_with("Hyena Hierarchy")), "{first:?}");

    let (_, body) = get(&app, &format!("/api/v1/works?search={q}&mode=semantic&per_page=5")).await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["meta"]["mode"], "semantic");
    assert_eq!(json["results"].as_array().unwrap().len(), 5);
    let (status, _) = get(&app, &format!("/api/v1/works?search={q}&mode=semantic&cursor=abc")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "vector rankings page by page, not cursor");

    let (status, page) = get(&app, &format!("/search?q={q}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Rank by:"), "the control shows once vectors exist");
    assert!(page.contains("by words and meaning together"));
    let (_, words) = get(&app, &format!("/search?q={q}&mode=lexical")).await;
    assert!(words.contains("ranked by how many of your words they have"));
}
