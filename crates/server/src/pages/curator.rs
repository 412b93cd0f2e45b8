//! Curation from the person page, for curators only. A curator signs in once with the server's admin token
//! (the one the write API takes as `Authorization: Bearer`); the browser then keeps a session value in an
//! HttpOnly, SameSite=Strict cookie, so another site's page cannot post with it. The session value is random per
//! server start, never the token itself: a cookie that leaks (a shared profile, a backup) does not give away the
//! token, and a restart signs everyone out. Without an admin token configured none of this exists (404) and
//! person pages show no form.

use super::{PageError, PageResult};
use crate::html::{esc, layout};
use crate::{blocking, blocking_local, AppState};
use axum::extract::{Form, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use std::fmt::Write;
use std::sync::Arc;

pub(crate) const COOKIE: &str = "arrow_curator";
/// Who the history records for changes made here.
const BY: &str = "curator (web)";

/// The admin token and this server's session value, when the server has a token; given to every page handler.
#[derive(Clone, Default)]
pub struct Curator(Option<Arc<Keys>>);

struct Keys {
    token: String,
    session: String,
}

impl Curator {
    pub fn new(token: Option<String>) -> Curator {
        Curator(token.map(|token| Arc::new(Keys { token, session: session_value() })))
    }

    /// Whether curation is possible at all (the server has an admin token).
    pub fn enabled(&self) -> bool {
        self.0.is_some()
    }

    /// Whether the request comes from a signed-in curator.
    pub fn signed_in(&self, headers: &HeaderMap) -> bool {
        let Some(keys) = &self.0 else { return false };
        let given = headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix(COOKIE).and_then(|c| c.strip_prefix('=')))
            .map(|v| percent_decode_str(v).decode_utf8_lossy().into_owned())
            .next()
            .unwrap_or_default();
        crate::admin::constant_time_eq(given.as_bytes(), keys.session.as_bytes())
    }

    fn is_token(&self, given: &str) -> bool {
        self.0.as_ref().is_some_and(|k| crate::admin::constant_time_eq(given.as_bytes(), k.token.as_bytes()))
    }
}

/// 128 random bits as hex, from the kernel; failing that, from the standard library's randomly seeded hasher
/// (both unpredictable from outside the server).
fn session_value() -> String {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    let from_kernel = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes)).is_ok();
    if !from_kernel {
        use std::hash::{BuildHasher, Hasher};
        for (i, chunk) in bytes.chunks_mut(8).enumerate() {
            let mut h = std::collections::hash_map::RandomState::new().build_hasher();
            h.write_usize(i);
            h.write_u128(
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos(),
            );
            chunk.copy_from_slice(&h.finish().to_le_bytes());
        }
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn routes() -> Router<AppState> {
    let changes = Router::new()
        .route("/curator/merge", post(merge))
        .route("/curator/split", post(split))
        .route("/curator/claim", post(claim))
        .route("/curator/undo", post(undo))
        .route_layer(axum::middleware::from_fn(require));
    Router::new()
        .route("/curator", get(sign_in_page))
        .route("/curator/sign-in", post(sign_in))
        .route("/curator/sign-out", post(sign_out))
        .merge(changes)
}

#[derive(serde::Deserialize, Default)]
pub struct Fields {
    #[serde(default)]
    token: String,
    #[serde(default)]
    person: String,
    /// Other people (merge) or mentions (split), separated by spaces, commas or new lines.
    #[serde(default)]
    list: String,
    #[serde(default)]
    orcid: String,
    #[serde(default)]
    note: String,
    /// A curation id (text, so that a bad one gets a page saying so rather than a bare rejection).
    #[serde(default)]
    change: String,
    /// Set when the curator confirmed a merge of names the name rules keep apart.
    #[serde(default)]
    confirm: String,
    /// The papers ticked on the person page for a split (`pick-N` = `WORK_ID#POSITION`; a form field can be named
    /// once only).
    #[serde(flatten)]
    picks: std::collections::HashMap<String, String>,
}

async fn sign_in_page(Extension(curator): Extension<Curator>, headers: HeaderMap) -> Response {
    let body = if curator.signed_in(&headers) {
        "<h1>Curator</h1><p>You are signed in: person pages show a form to merge, split and claim.</p>\
         <form method=\"post\" action=\"/curator/sign-out\"><button>Sign out</button></form>"
            .to_string()
    } else {
        "<h1>Curator sign-in</h1><p>With the server's admin token, person pages show a form to merge, split and \
         claim people. The token stays in this browser until you sign out.</p>\
         <form method=\"post\" action=\"/curator/sign-in\" class=\"curate\"><label>Admin token \
         <input type=\"password\" name=\"token\" required autocomplete=\"current-password\"></label> \
         <button>Sign in</button></form>"
            .to_string()
    };
    Html(layout("Curator", "Curator sign-in", "", &body)).into_response()
}

async fn sign_in(Extension(curator): Extension<Curator>, Form(f): Form<Fields>) -> PageResult {
    if !curator.is_token(&f.token) {
        return Err(PageError::new(StatusCode::UNAUTHORIZED, "Not signed in", "That is not the admin token."));
    }
    let session = curator.0.as_ref().map(|k| k.session.as_str()).unwrap_or_default();
    let value = utf8_percent_encode(session, NON_ALPHANUMERIC);
    Ok(redirect("/curator", Some(format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Strict"))))
}

async fn sign_out() -> Response {
    redirect("/curator", Some(format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")))
}

fn redirect(to: &str, cookie: Option<String>) -> Response {
    let mut res = (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_string())]).into_response();
    if let Some(v) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// Passes a change on only from a signed-in curator.
async fn require(Extension(curator): Extension<Curator>, req: Request, next: Next) -> Response {
    if !curator.signed_in(req.headers()) {
        let why = "Curating needs the admin token: sign in at /curator first.";
        return PageError::new(StatusCode::UNAUTHORIZED, "Not signed in", why).into_response();
    }
    next.run(req).await
}

/// The name prefix of the tick boxes on a person's papers that the split form takes.
pub const PICK: &str = "pick-";

fn items(list: &str) -> Vec<String> {
    list.split(|c: char| c.is_whitespace() || c == ',').filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// The person page to go on to after a change. A change that met conflicts names itself (`?curation=ID`), and that
/// page lists them for curators, read back from the engine: the address carries an id, never message text (which
/// anyone could forge in a link), and a change without conflicts leads to the person's plain address.
fn after(person: &str, made: &arrow_engine::Curation) -> Response {
    let mut to = super::person::person_href(person);
    if !made.conflicts.is_empty() {
        to.push_str(&format!("?curation={}", made.id));
    }
    redirect(&to, None)
}

async fn merge(State(arrow): State<AppState>, Form(f): Form<Fields>) -> PageResult {
    let back = super::person::person_href(&f.person);
    let mut people = vec![f.person.clone()];
    people.extend(items(&f.list));
    let person = f.person.clone();
    if f.confirm.is_empty() {
        let asked = people.clone();
        let conflict = blocking_local(&arrow, "reading", move |a| a.merge_name_conflict(&asked)).await;
        if let Some((a, b)) = conflict.map_err(|e| PageError::from(e).refused(back.clone()))? {
            return Ok(confirm_merge(&f, &a, &b, &back));
        }
    }
    let made = blocking_local(&arrow, "writing", move |a| a.curate_merge(&people, BY, &f.note)).await;
    let made = made.map_err(|e| PageError::from(e).refused(back.clone()))?;
    Ok(after(&person, &made))
}

/// Asks before merging names that cannot be one person's: made, such a merge holds whatever later runs say, so a
/// slip of the id ("Lei Zhang" for "Li Zhang") would bind two people until someone undoes it.
fn confirm_merge(f: &Fields, a: &str, b: &str, back: &str) -> Response {
    let body = format!(
        "<h1>Merge people with these names?</h1><p>The name rules keep {a} and {b} apart: their given names          differ, so they are usually two people. Made, the merge holds as you ask through every later run and is          listed as a conflict.</p><form method=\"post\" action=\"/curator/merge\" class=\"curate\">\
         <input type=\"hidden\" name=\"person\" value=\"{}\"><input type=\"hidden\" name=\"list\" value=\"{}\">\
         <input type=\"hidden\" name=\"note\" value=\"{}\"><input type=\"hidden\" name=\"confirm\" value=\"yes\">\
         <button>Merge anyway</button></form><p><a href=\"{}\">Back to the person</a></p>",
        esc(&f.person),
        esc(&f.list),
        esc(&f.note),
        esc(back),
        a = esc(&format!("\u{201c}{a}\u{201d}")),
        b = esc(&format!("\u{201c}{b}\u{201d}")),
    );
    Html(layout("Merge?", "Confirm a merge", "", &body)).into_response()
}

async fn split(State(arrow): State<AppState>, Form(f): Form<Fields>) -> PageResult {
    let back = super::person::person_href(&f.person);
    let mut picked: Vec<(&String, &String)> = f.picks.iter().filter(|(k, _)| k.starts_with(PICK)).collect();
    picked.sort();
    let listed = items(&f.list);
    let refs = listed
        .iter()
        .chain(picked.into_iter().map(|(_, m)| m))
        .map(|m| m.parse::<arrow_engine::MentionRef>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| PageError::new(StatusCode::BAD_REQUEST, "", e).refused(back.clone()))?;
    let person = f.person.clone();
    let made = blocking_local(&arrow, "writing", move |a| a.curate_split(&person, &refs, BY, &f.note)).await;
    let made = made.map_err(|e| PageError::from(e).refused(back.clone()))?;
    match &made.correction {
        arrow_engine::Correction::Split { new_person, .. } => Ok(after(new_person, &made)),
        _ => Ok(after(&f.person, &made)),
    }
}

async fn claim(State(arrow): State<AppState>, Form(f): Form<Fields>) -> PageResult {
    let back = super::person::person_href(&f.person);
    let person = f.person.clone();
    let made = blocking_local(&arrow, "writing", move |a| a.curate_claim(&person, &f.orcid, BY, &f.note)).await;
    let made = made.map_err(|e| PageError::from(e).refused(back.clone()))?;
    Ok(after(&f.person, &made))
}

async fn undo(State(arrow): State<AppState>, Form(f): Form<Fields>) -> PageResult {
    let back = super::person::person_href(&f.person);
    let Ok(change) = f.change.trim().parse::<i64>() else {
        let why = format!("{:?} is not a curation id: undo a change from the list on the person's page", f.change);
        return Err(PageError::new(StatusCode::BAD_REQUEST, "", why).refused(back));
    };
    let done = blocking_local(&arrow, "writing", move |a| a.curate_undo(change, BY, "")).await;
    let conflicts = done.map_err(|e| PageError::from(e).refused(back.clone()))?;
    // What the undo brings about (a merge now holding two authors of one paper) is told on the page of the
    // curation it concerns, as after any other change.
    let to = match conflicts.first() {
        Some(c) => format!("{back}?curation={}", c.curation),
        None => back,
    };
    Ok(redirect(&to, None))
}

/// What the data does not bear out of curation `id` (text from the address), for the person page a change led to.
/// Read back from the engine rather than carried in the address, so that what shows is Arrow's own words; a
/// conflict settled since by another change is no longer listed.
pub async fn conflicts_block(arrow: &AppState, id: &str) -> Result<String, PageError> {
    let Ok(id) = id.trim().parse::<i64>() else { return Ok(String::new()) };
    let conflicts = blocking(arrow, move |a| match a.local() {
        Some(a) => match a.curation_conflicts(id) {
            Err(arrow_engine::EngineError::Curate(arrow_engine::CurateError::UnknownCuration(_))) => Ok(None),
            found => {
                let undone = a.curation_history(None)?.iter().any(|c| c.id == id && c.undone);
                found.map(|f| Some((f, undone)))
            }
        },
        None => Ok(None),
    })
    .await?;
    let Some((conflicts, undone)) = conflicts else { return Ok(String::new()) };
    let done = if undone { "was undone" } else { "was made" };
    if conflicts.is_empty() {
        let rest = if undone { "" } else { "; it no longer meets a conflict" };
        return Ok(format!("<p class=\"notice\" role=\"status\">Change #{id} {done}{rest}.</p>"));
    }
    let kept = if undone {
        "What the data does not bear out:"
    } else {
        "It is kept as asked; the data does not bear all of it out:"
    };
    let mut out = format!(
        "<section class=\"notice\" aria-labelledby=\"conflicts\"><h2 id=\"conflicts\">Change #{id} \
         {done}, with conflicts</h2><p>{kept}</p><ul>"
    );
    for c in &conflicts {
        let _ = write!(out, "<li>{}</li>", esc(&c.message));
    }
    out.push_str("</ul></section>");
    Ok(out)
}

/// The curation block of a person page: the three forms and this person's changes with undo buttons.
pub async fn block(arrow: &AppState, id: &str) -> Result<String, PageError> {
    let lookup = id.to_string();
    let history = blocking(arrow, move |a| match a.local() {
        Some(a) => a.curation_history(Some(&lookup)),
        None => Ok(Vec::new()),
    })
    .await?;
    let p = esc(id);
    let mut out = format!(
        "<section class=\"curate\"><h2>Curate</h2>\
         <form method=\"post\" action=\"/curator/merge\"><input type=\"hidden\" name=\"person\" value=\"{p}\">\
         <label>Merge into this person <input name=\"list\" placeholder=\"person ids\" required></label> \
         <label>Note <input name=\"note\"></label> <button>Merge</button></form>\
         <form id=\"split-form\" method=\"post\" action=\"/curator/split\">\
         <input type=\"hidden\" name=\"person\" value=\"{p}\">\
         <label>Split off as a new person the papers ticked below, or <input name=\"list\" \
         placeholder=\"WORK_ID#POSITION ...\"></label> <label>Note <input name=\"note\"></label> <button>Split</button></form>\
         <form method=\"post\" action=\"/curator/claim\"><input type=\"hidden\" name=\"person\" value=\"{p}\">\
         <label>ORCID <input name=\"orcid\" placeholder=\"0000-0002-1825-0097\" required></label> \
         <label>Note <input name=\"note\"></label> <button>Claim</button></form>\
         <p class=\"note\">A mention is WORK_ID#POSITION: the work's id (as in its page's address) and the \
         author's place in its author list, from 1.</p>"
    );
    if !history.is_empty() {
        out.push_str("<h3>Changes</h3><ul class=\"tally\">");
        for c in &history {
            let _ = write!(
                out,
                "<li>#{} {}, {} by {}: {}",
                c.id,
                c.when(),
                c.correction.kind(),
                esc(&c.by),
                esc(&c.correction.summary())
            );
            if !c.note.is_empty() {
                let _ = write!(out, " ({})", esc(&c.note));
            }
            if let Some(n) = c.replaced_by {
                let _ = write!(out, " (replaced by #{n})");
            }
            if let Some(u) = &c.undo {
                let _ = write!(out, " (undone {} by {})", arrow_engine::utc(u.at), esc(&u.by));
            } else if c.undone {
                out.push_str(" (undone)");
            } else {
                let _ = write!(
                    out,
                    " <form method=\"post\" action=\"/curator/undo\" class=\"inline\">\
                     <input type=\"hidden\" name=\"person\" value=\"{p}\">\
                     <input type=\"hidden\" name=\"change\" value=\"{}\"><button>Undo</button></form>",
                    c.id
                );
            }
            out.push_str("</li>");
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>");
    Ok(out)
}
