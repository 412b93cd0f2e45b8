//! Write routes exist only with an admin token, and require it.

use arrow_engine::Arrow;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use std::sync::Arc;
use tower::ServiceExt;

fn demo(token: Option<&str>) -> (tempfile::TempDir, axum::Router) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
    arrow.load_demo().unwrap();
    (dir, arrow_server::app_with_admin(arrow, token.map(str::to_string)))
}

/// The demo corpus after `disambiguate`, for tests that curate its people.
fn people_demo() -> (tempfile::TempDir, Arc<Arrow>) {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
    arrow.load_demo().unwrap();
    arrow.disambiguate().unwrap();
    (dir, arrow)
}

async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn post(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(uri);
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

const LINE: &str = r#"{"id":"new:1","title":"Quokka Telemetry at Scale","authors":["Ada Lovelace"],"year":2024}"#;

#[tokio::test]
async fn without_a_token_configured_the_server_is_read_only() {
    let (_d, app) = demo(None);
    let (status, _) = send(&app, post("/api/v1/ingest", Some("x"), LINE)).await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "{status}");
    let (status, _) = send(
        &app,
        Request::delete("/api/v1/works/seed:x").header("authorization", "Bearer x").body(Body::empty()).unwrap(),
    )
    .await;
    assert!(status == StatusCode::NOT_FOUND || status == StatusCode::METHOD_NOT_ALLOWED, "{status}");
    // A known route asked with another method answers JSON, as every API error, and says which methods it takes.
    let res = app.clone().oneshot(Request::delete("/api/v1/people/p1").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert!(res.headers()["allow"].to_str().unwrap().contains("GET"), "{:?}", res.headers());
    let body = String::from_utf8(axum::body::to_bytes(res.into_body(), 1 << 16).await.unwrap().to_vec()).unwrap();
    assert!(body.contains("\"code\":\"method_not_allowed\"") && body.contains("DELETE"), "{body}");
}

#[tokio::test]
async fn write_routes_require_the_token() {
    let (_d, app) = demo(Some("s3cret"));
    let (status, body) = send(&app, post("/api/v1/ingest", None, LINE)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("\"code\":\"unauthorized\""));
    let (status, _) = send(&app, post("/api/v1/ingest", Some("wrong"), LINE)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = send(&app, post("/api/v1/ingest", Some("s3cret"), LINE)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"added\":1"), "{body}");
    let (_, found) = send(&app, Request::get("/api/v1/search?q=quokka").body(Body::empty()).unwrap()).await;
    assert!(found.contains("\"total\":1"), "{found}");

    let (status, body) = send(&app, post("/api/v1/ingest", Some("s3cret"), "{\"id\":\"bad\",\"title\":\n")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("line 1") && !body.contains("/tmp"), "located, without server paths: {body}");
    // A good record before a bad one is stored, and the answer says so, with the body's line alone.
    let two = "{\"id\":\"new:9\",\"title\":\"Quolls\"}\n{\"id\":\"new:10\"}\n";
    let (status, body) = send(&app, post("/api/v1/ingest", Some("s3cret"), two)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("line 2: invalid JSON") && !body.contains("line 1"), "{body}");
    assert!(body.contains("the records before it were stored"), "{body}");
    let (_, found) = send(&app, Request::get("/api/v1/works/new:9").body(Body::empty()).unwrap()).await;
    assert!(found.contains("Quolls"), "{found}");

    let del = |t: Option<&str>| {
        let mut b = Request::delete("/api/v1/works/new:1");
        if let Some(t) = t {
            b = b.header("authorization", format!("Bearer {t}"));
        }
        b.body(Body::empty()).unwrap()
    };
    assert_eq!(send(&app, del(None)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(send(&app, del(Some("s3cret"))).await.0, StatusCode::NO_CONTENT);
    assert_eq!(send(&app, del(Some("s3cret"))).await.0, StatusCode::NOT_FOUND);

    let (status, body) = send(&app, post("/api/v1/disambiguate", Some("s3cret"), "")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("\"people\""));
    // Reading never needs the token.
    let (status, _) = send(&app, Request::get("/api/v1/works/new:2").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn post_json(uri: &str, token: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(uri).header("content-type", "application/json");
    if let Some(t) = token {
        b = b.header("authorization", format!("Bearer {t}"));
    }
    b.body(Body::from(body.to_string())).unwrap()
}

#[tokio::test]
async fn curators_merge_split_claim_and_undo_with_the_token_only() {
    let (_dir, arrow) = people_demo();
    let app = arrow_server::app_with_admin(arrow.clone(), Some("s3cret".into()));
    let first = |name: &str| arrow.people_named(name).unwrap()[0].id.clone();
    let (poli, sala) = (first("Michael Poli"), first("Frederic Sala"));
    let merge = format!(r#"{{"people": ["{poli}", "{sala}"], "note": "same account", "by": "ana"}}"#);

    let (status, _) = send(&app, post_json("/api/v1/curate/merge", None, &merge)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = send(&app, post_json("/api/v1/curate/merge", Some("s3cret"), &merge)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let made: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(made["kind"], "merge");
    let id = made["id"].as_i64().unwrap();
    // The merged-away id leads to the survivor, on the page and in the API's answer.
    let res = app.clone().oneshot(Request::get(format!("/people/{sala}")).body(Body::empty()).unwrap()).await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], format!("/people/{poli}"));
    let (status, body) = send(&app, Request::get(format!("/api/v1/people/{sala}")).body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(&format!("merged it into {poli}")), "{body}");

    let (status, body) = send(
        &app,
        post_json(
            "/api/v1/curate/claim",
            Some("s3cret"),
            &format!(r#"{{"person": "{poli}", "orcid": "0000-0002-1825-0098"}}"#),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not a valid ORCID"), "{body}");
    // A missing or misspelt field is named, not read as empty.
    let no_orcid = format!(r#"{{"person": "{poli}"}}"#);
    let (status, body) = send(&app, post_json("/api/v1/curate/claim", Some("s3cret"), &no_orcid)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("the body needs") && body.contains("orcid"), "{body}");
    let misspelt = format!(r#"{{"persons": ["{poli}", "{sala}"]}}"#);
    let (status, body) = send(&app, post_json("/api/v1/curate/merge", Some("s3cret"), &misspelt)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("unknown field `persons`"), "{body}");
    // A body over the limit is too large, not malformed.
    let huge = format!(r#"{{"person": "{poli}", "mentions": ["{}"]}}"#, "w".repeat(70_000));
    let (status, body) = send(&app, post_json("/api/v1/curate/split", Some("s3cret"), &huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert!(body.contains("at most 64 KiB"), "{body}");
    let (status, body) =
        send(&app, post_json("/api/v1/curate/split", Some("s3cret"), r#"{"person": "p0", "mentions": ["x#1"]}"#)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("no person"), "{body}");
    // Curating a merged-away id names the person it went to.
    let claim = format!(r#"{{"person": "{sala}", "orcid": "0000-0002-1825-0097"}}"#);
    let (status, body) = send(&app, post_json("/api/v1/curate/claim", Some("s3cret"), &claim)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains(&format!("curation {id} merged it into {poli}")), "{body}");
    let (status, _) = send(&app, post("/api/v1/curate/undo/9999", Some("s3cret"), "")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no such curation");

    let history =
        Request::get("/api/v1/curate/history").header("authorization", "Bearer s3cret").body(Body::empty()).unwrap();
    let (status, body) = send(&app, history).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("same account") && body.contains("\"by\":\"ana\""), "{body}");
    let undo = r#"{"by": "ana", "note": "not the same account"}"#;
    let (status, body) = send(&app, post(&format!("/api/v1/curate/undo/{id}"), Some("s3cret"), undo)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let history =
        Request::get("/api/v1/curate/history").header("authorization", "Bearer s3cret").body(Body::empty()).unwrap();
    let (_, body) = send(&app, history).await;
    assert!(body.contains(r#""by":"ana","note":"not the same account""#), "who undid it and why: {body}");
    let (status, _) = send(&app, post(&format!("/api/v1/curate/undo/{id}"), Some("s3cret"), "")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "undone already");
    let (status, body) = send(&app, post("/api/v1/curate/undo/abc", Some("s3cret"), "")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let error: serde_json::Value = serde_json::from_str(&body).expect("a JSON error");
    assert!(error.to_string().contains("is a number"), "{body}");
}

/// A form post from the person page, with the curator's cookie when given.
fn form(uri: &str, cookie: Option<&str>, body: &str) -> Request<Body> {
    let mut b = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    b.body(Body::from(body.to_string())).unwrap()
}

/// A page as a browser asks for it, with the curator's cookie when given.
fn get_as(uri: &str, cookie: Option<&str>) -> Request<Body> {
    let mut b = Request::get(uri);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    b.body(Body::empty()).unwrap()
}

/// Signs in with the form and returns the session cookie, as `name=value`.
async fn sign_in(app: &axum::Router, token: &str) -> String {
    let res = app.clone().oneshot(form("/curator/sign-in", None, &format!("token={token}"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    res.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string()
}

#[tokio::test]
async fn a_claim_from_the_form_that_meets_a_conflict_shows_it_on_the_page_it_leads_to() {
    let (_dir, arrow) = people_demo();
    let first = |name: &str| arrow.people_named(name).unwrap()[0].id.clone();
    let (tri, sala) = (first("Tri Dao"), first("Frederic Sala"));
    let app = arrow_server::app_with_admin(arrow.clone(), Some("s3cret".into()));
    let cookie = sign_in(&app, "s3cret").await;
    let claim =
        |person: &str| form("/curator/claim", Some(&cookie), &format!("person={person}&orcid=0000-0002-1825-0097"));

    let res = app.clone().oneshot(claim(&tri)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/people/{tri}"), "no conflict: the person's plain address");

    // The same ORCID for someone else: kept as asked, and reported where the curator lands.
    let res = app.clone().oneshot(claim(&sala)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let id = arrow.curation_history(None).unwrap().last().unwrap().id;
    assert_eq!(to, format!("/people/{sala}?curation={id}"));
    let (status, body) = send(&app, get_as(&to, Some(&cookie))).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(&format!("Change #{id} was made, with conflicts")), "{body}");
    assert!(body.contains(&format!("ORCID 0000-0002-1825-0097 is claimed for {tri} here and for {sala}")), "{body}");
    let (_, body) = send(&app, get_as(&to, None)).await;
    assert!(!body.contains("is claimed for"), "visitors are not shown curators' conflicts");

    // Undoing the older claim settles it: the same address no longer lists it.
    let older = arrow.curation_history(Some(&tri)).unwrap()[0].id;
    arrow.curate_undo(older, "t", "").unwrap();
    let (_, body) = send(&app, get_as(&to, Some(&cookie))).await;
    assert!(body.contains(&format!("Change #{id} was made; it no longer meets a conflict")), "{body}");
    // The page of an undone change says it was undone, not that it was made.
    let undone = format!("/people/{tri}?curation={older}");
    let (_, body) = send(&app, get_as(&undone, Some(&cookie))).await;
    assert!(body.contains(&format!("Change #{older} was undone")) && !body.contains("was made"), "{body}");

    // An address naming no curation, or not a number, is the plain page.
    for odd in ["9999", "abc", "%3Cb%3E"] {
        let (status, body) = send(&app, get_as(&format!("/people/{sala}?curation={odd}"), Some(&cookie))).await;
        assert_eq!(status, StatusCode::OK, "{odd}");
        assert!(!body.contains("Change #") && body.contains("<h2>Curate</h2>"), "{odd}: {body}");
    }
}

#[tokio::test]
async fn curators_sign_in_and_curate_from_the_person_page() {
    let (_dir, arrow) = people_demo();
    let first = |name: &str| arrow.people_named(name).unwrap()[0].id.clone();
    let (poli, sala) = (first("Michael Poli"), first("Frederic Sala"));
    let page = |cookie: Option<&str>| {
        let mut b = Request::get(format!("/people/{poli}"));
        if let Some(c) = cookie {
            b = b.header("cookie", c);
        }
        b.body(Body::empty()).unwrap()
    };

    // Without a token configured there is no sign-in and no form.
    let read_only = arrow_server::app(arrow.clone());
    let (status, _) = send(&read_only, Request::get("/curator").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let app = arrow_server::app_with_admin(arrow.clone(), Some("s3 cret;x".into()));
    let (status, body) = send(&app, page(None)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!body.contains("/curator/merge"), "visitors see no form");
    assert!(!body.contains("Mention: <code>"), "nor the mentions");
    let (status, _) = send(&app, form("/curator/sign-in", None, "token=wrong")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let res = app.clone().oneshot(form("/curator/sign-in", None, "token=s3+cret%3Bx")).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let set = res.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Strict"), "{set}");
    let cookie = set.split(';').next().unwrap().to_string();
    assert!(
        !cookie.contains("s3") && !cookie.contains("cret"),
        "the cookie is a session value, not the token: {cookie}"
    );
    let (_, body) = send(&app, page(Some("arrow_curator=s3%20cret%3Bx"))).await;
    assert!(!body.contains("/curator/merge"), "the token itself as a cookie is not a session");
    let (_, body) = send(&app, page(Some(&cookie))).await;
    assert!(body.contains("action=\"/curator/merge\"") && body.contains("action=\"/curator/claim\""), "{body}");
    assert!(body.contains("Mention: <code>seed:"), "each paper's mention, as the split form takes it");

    // Posting without the cookie (another site's form) is refused and changes nothing.
    let merge = format!("person={poli}&list={sala}&note=same+account");
    let (status, _) = send(&app, form("/curator/merge", None, &merge)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_ne!(first("Frederic Sala"), poli);

    // Two names the name rules keep apart: the form asks first, and nothing changes until the curator confirms.
    let (status, body) = send(&app, form("/curator/merge", Some(&cookie), &merge)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Merge anyway") && body.contains("name rules keep"), "{body}");
    assert!(body.contains("Michael Poli") && body.contains("Frederic Sala"), "names both: {body}");
    assert!(body.contains("name=\"confirm\" value=\"yes\""), "{body}");
    assert_ne!(first("Frederic Sala"), poli, "not merged yet");
    let confirmed = format!("{merge}&confirm=yes");
    let res = app.clone().oneshot(form("/curator/merge", Some(&cookie), &confirmed)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // Merged as asked, and the page the curator lands on says so.
    let to = res.headers()["location"].to_str().unwrap().to_string();
    let id = arrow.curation_history(Some(&poli)).unwrap().last().unwrap().id;
    assert_eq!(to, format!("/people/{poli}?curation={id}"), "the change's id, never its messages");
    assert_eq!(first("Frederic Sala"), poli, "merged into the page's person");
    let (_, body) = send(&app, get_as(&to, Some(&cookie))).await;
    assert!(body.contains(&format!("Change #{id} was made, with conflicts")) && body.contains("name rules"), "{body}");
    let (_, body) = send(&app, get_as(&to, None)).await;
    assert!(!body.contains("with conflicts") && !body.contains("name rules"), "curators' business only");
    let (_, body) = send(&app, page(Some(&cookie))).await;
    assert!(
        body.contains("merge by curator (web): merged ") && body.contains("(same account)"),
        "the change is listed"
    );
    assert!(body.contains(" UTC, merge"), "with its time");

    let (status, body) =
        send(&app, form("/curator/claim", Some(&cookie), &format!("person={poli}&orcid=nonsense"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("not a valid ORCID"), "{body}");
    assert!(body.contains("The change was not made") && body.contains(&format!("href=\"/people/{poli}\"")), "{body}");

    let id = arrow.curation_history(Some(&poli)).unwrap()[0].id;
    let res =
        app.clone().oneshot(form("/curator/undo", Some(&cookie), &format!("person={poli}&change={id}"))).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_ne!(first("Frederic Sala"), poli, "undone");
    let (_, body) = send(&app, page(Some(&cookie))).await;
    assert!(body.contains(" UTC by curator (web))"), "who undid it, and when");

    // Papers ticked on the page are split off, with any typed in the box.
    let (_, body) = send(&app, page(Some(&cookie))).await;
    let ticks: Vec<&str> = body.split("form=\"split-form\" name=\"pick-").skip(1).take(2).collect();
    assert_eq!(ticks.len(), 2, "a tick box per paper: {body}");
    let value = |t: &str| t.split("value=\"").nth(1).and_then(|v| v.split('"').next()).unwrap().to_string();
    let (a, b) = (value(ticks[0]), value(ticks[1]));
    let enc = |m: &str| m.replace('#', "%23").replace(':', "%3A").replace('/', "%2F");
    let split = format!("person={poli}&list=&pick-0={}&pick-1={}&note=", enc(&a), enc(&b));
    let res = app.clone().oneshot(form("/curator/split", Some(&cookie), &split)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let split_off = arrow.people_of(&[a.parse().unwrap(), b.parse().unwrap()]).unwrap();
    assert!(split_off[0].is_some() && split_off[0] == split_off[1], "{split_off:?}");
    assert_ne!(split_off[0].as_deref(), Some(poli.as_str()), "a new person");
    let (status, body) = send(&app, form("/curator/split", Some(&cookie), &format!("person={poli}&list="))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "nothing ticked or typed");
    assert!(body.contains("at least one mention"), "{body}");

    let res = app.clone().oneshot(form("/curator/sign-out", Some(&cookie), "")).await.unwrap();
    assert!(res.headers()["set-cookie"].to_str().unwrap().contains("Max-Age=0"));
}

/// An undo on the person page that makes a merged person hold two authors of one paper leads to a page saying so.
#[tokio::test]
async fn an_undo_from_the_page_tells_what_it_brings_about() {
    let (_dir, arrow) = people_demo();
    let first = |name: &str| arrow.people_named(name).unwrap()[0].id.clone();
    let (tri, gu) = (first("Tri Dao"), first("Albert Gu"));
    // Their papers together: Gu's mentions of them split off, the two merged, then the split undone from the page.
    let gus = arrow.person(&gu).unwrap().unwrap().positions;
    let tris = arrow.person(&tri).unwrap().unwrap().positions;
    let both: Vec<_> =
        gus.iter().filter(|(w, _)| tris.contains_key(*w)).map(|(w, at)| format!("{w}#{at}").parse().unwrap()).collect();
    assert!(!both.is_empty() && both.len() < gus.len(), "papers of both, and of Gu alone");
    let split = arrow.curate_split(&gu, &both, "t", "").unwrap();
    arrow.curate_merge(&[tri.clone(), gu.clone()], "t", "").unwrap();
    let app = arrow_server::app_with_admin(arrow.clone(), Some("tok".into()));
    let cookie = sign_in(&app, "tok").await;
    let undo = format!("person={tri}&change={}", split.id);
    let res = app.clone().oneshot(form("/curator/undo", Some(&cookie), &undo)).await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with(&format!("/people/{tri}?curation=")), "{to}");
    let (_, body) = send(&app, get_as(&to, Some(&cookie))).await;
    assert!(body.contains("two authors of one work"), "{body}");
}

/// The upload of an ingest whose server was killed mid-request is removed when a server with write routes starts;
/// one of a running process stays.
#[cfg(target_os = "linux")]
#[test]
fn a_killed_ingests_upload_is_removed_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let arrow = Arc::new(Arrow::open(dir.path()).unwrap());
    // Above any pid Linux hands out (at most 2^22).
    let stale = dir.path().join("upload-4999999-1.tmp");
    let live = dir.path().join(format!("upload-{}-2.tmp", std::process::id()));
    for f in [&stale, &live] {
        std::fs::write(f, "{}").unwrap();
    }
    let _ = arrow_server::app_with_admin(arrow.clone(), None);
    assert!(stale.exists(), "a read-only server writes nothing");
    let _ = arrow_server::app_with_admin(arrow, Some("t".into()));
    assert!(!stale.exists());
    assert!(live.exists());
}
