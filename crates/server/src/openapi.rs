//! The OpenAPI 3 description of `/api/v1/`, served at `/api/v1/openapi.json`. Every path parameter has an
//! `example` that exists in the demo corpus, so a test can call every documented route.

use serde_json::{json, Value};

fn query(name: &str, description: &str, schema: Value, example: Option<Value>) -> Value {
    let mut p = json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema });
    if let (Some(e), Value::Object(m)) = (example, &mut p) {
        m.insert("example".into(), e);
    }
    p
}

/// A query parameter the operation cannot do without (a missing one is a 400).
fn required_query(name: &str, description: &str, example: &str) -> Value {
    json!({ "name": name, "in": "query", "required": true, "description": description,
            "schema": { "type": "string" }, "example": example })
}

fn path_param(name: &str, description: &str, example: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "description": description,
            "schema": { "type": "string" }, "example": example })
}

fn errors() -> Value {
    json!({
        "400": { "description": "Bad parameters", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "404": { "description": "Not found", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } },
        "500": { "description": "Server error (details are logged, never returned)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } }
    })
}

fn ok(description: &str, schema: Value, exports: bool) -> Value {
    let mut content = json!({ "application/json": { "schema": schema } });
    if exports {
        if let Value::Object(m) = &mut content {
            m.insert("application/x-bibtex".into(), json!({ "schema": { "type": "string" } }));
            m.insert("application/x-research-info-systems".into(), json!({ "schema": { "type": "string" } }));
            m.insert(
                "application/vnd.citationstyles.csl+json".into(),
                json!({ "schema": { "type": "array", "items": { "type": "object" } } }),
            );
        }
    }
    let mut r = errors();
    if let Value::Object(m) = &mut r {
        m.insert("200".into(), json!({ "description": description, "content": content }));
    }
    r
}

fn mode_param() -> Value {
    query(
        "mode",
        "How to rank: lexical (the query language), semantic (nearest works by sentence embedding) or hybrid (both, fused by reciprocal rank). Default: hybrid for natural-language queries when the server has work vectors, else lexical. Semantic and hybrid lists hold at most 100 works and page by page, not cursor.",
        json!({ "type": "string", "enum": ["lexical", "semantic", "hybrid"] }),
        None,
    )
}

fn format_param() -> Value {
    query(
        "format",
        "Citation export instead of JSON.",
        json!({ "type": "string", "enum": ["json", "bibtex", "ris", "csl-json"] }),
        None,
    )
}

/// A write operation: only with the admin token, and only on a server given one.
fn admin(id: &str, summary: &str, body: Option<Value>) -> Value {
    let mut op = json!({
        "operationId": id,
        "summary": summary,
        "security": [{ "adminToken": [] }],
        "responses": ok("Done", json!({ "type": "object" }), false)
    });
    if let (Some(schema), Value::Object(m)) = (body, &mut op) {
        m.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": schema } } }),
        );
    }
    if let Value::Object(m) = &mut op["responses"] {
        m.insert("401".into(), json!({ "description": "No or a wrong admin token" }));
    }
    op
}

/// [`admin`], answering with `schema` instead of an untyped object.
fn admin_returning(id: &str, summary: &str, body: Option<Value>, what: &str, schema: Value) -> Value {
    let mut op = admin(id, summary, body);
    op["responses"]["200"] = ok(what, schema, false)["200"].clone();
    op
}

fn with_params(mut op: Value, params: Value) -> Value {
    if let Value::Object(m) = &mut op {
        m.insert("parameters".into(), params);
    }
    op
}

/// The document.
pub fn document() -> Value {
    let work_id = "seed:icml-2014-an-asynchronous-parallel-stochastic-coordinate-descent-algorithm";
    // Tri Dao on two papers of the demo corpus.
    let mention_a = "seed:neurips-2022-flashattention-fast-and-memory-efficient-exact-attention-with-io-awareness#1";
    let mention_b = "seed:neurips-2020-hippo-recurrent-memory-with-optimal-polynomial-projections#2";
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Arrow API",
            "version": "1",
            "description": "Search and read scholarly works stored in one Arrow instance. Lists follow OpenAlex's conventions (search, filter, sort, cursor, per_page, select, group_by). Errors are JSON {status, code, message}."
        },
        "servers": [{ "url": "/" }],
        "paths": {
            "/api/v1/works": { "get": {
                "operationId": "listWorks",
                "summary": "Search and list works",
                "parameters": [
                    query("search", "A query in Arrow's query language (see /help). Empty lists every work, newest first.", json!({ "type": "string" }), Some(json!("weak supervision"))),
                    query("filter", "Comma-separated key:value filters: year:2020, year:2019-2023, year:>2019, venue:ICML|NeurIPS (| is OR), type:Conference Paper.", json!({ "type": "string" }), Some(json!("year:2019-2023,venue:ICML"))),
                    query("sort", "relevance (default), year:desc or year:asc.", json!({ "type": "string", "enum": ["relevance", "year:desc", "year:asc"] }), None),
                    query("per_page", "Results per page, 1 to 100.", json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 25 }), None),
                    query("page", "Page number from 1 (basic paging; up to 10,000 results).", json!({ "type": "integer", "minimum": 1 }), None),
                    query("cursor", "Cursor paging: * for the first page, then meta.next_cursor.", json!({ "type": "string" }), Some(json!("*"))),
                    query("select", "Comma-separated top-level fields to return.", json!({ "type": "string" }), Some(json!("id,title,year"))),
                    query("group_by", "Counts of all matching works by year, venue or type.", json!({ "type": "string", "enum": ["year", "venue", "type"] }), None),
                    mode_param(),
                    format_param()
                ],
                "responses": ok("A page of works", json!({ "$ref": "#/components/schemas/WorkList" }), true)
            } },
            "/api/v1/works/{id}": { "get": {
                "operationId": "getWork",
                "summary": "One work. Ids contain ':' and '/'. Append .bib, .ris or .csl.json for a citation.",
                "parameters": [ path_param("id", "The work's id, as in results (e.g. dblp:conf/icml/LiuWRBS14).", work_id), format_param(),
                    query("select", "Comma-separated top-level fields to return.", json!({ "type": "string" }), None) ],
                "responses": ok("The work", json!({ "$ref": "#/components/schemas/Work" }), true)
            },
                "delete": with_params(
                    admin("deleteWork", "Deletes a work and its authorships.", None),
                    json!([ path_param("id", "The work's id.", work_id) ])
                ) },
            "/api/v1/names/{name}": { "get": {
                "operationId": "getNameCluster",
                "summary": "Works with an author of exactly this name, ignoring case (not a disambiguated person).",
                "parameters": [ path_param("name", "An author name as written.", "Christopher Ré"), format_param() ],
                "responses": ok("The name cluster", json!({ "$ref": "#/components/schemas/NameCluster" }), true)
            } },
            "/api/v1/people/{id}": { "get": {
                "operationId": "getPerson",
                "summary": "A person found by author disambiguation (arrow disambiguate): name variants, works, coauthors, venues, works per year.",
                "parameters": [ path_param("id", "A person id, as linked from name clusters (here: the demo corpus's Christopher Ré).", "p61fde131cc740046") ],
                "responses": ok("The person", json!({ "type": "object" }), false)
            } },
            "/api/v1/people": { "get": {
                "operationId": "peopleByName",
                "summary": "The people who wrote under a name (case aside) after arrow disambiguate, the most published first, each with what tells them apart (years, commonest venue, all their papers, other spellings); when no one did, or the name is a surname alone or with one initial, `fitting` holds up to 20 other people whose names fit it (no diacritics, initials, any given name); for a full name, the same name written otherwise (a DBLP homonym number, the dots of initials), with middle names added, or with a common nickname's formal first name.",
                "parameters": [ required_query("name", "An author name as written.", "Christopher Ré") ],
                "responses": ok("The people", json!({ "type": "object" }), false)
            } },
            "/api/v1/explain": { "get": {
                "operationId": "explainMentions",
                "summary": "Why two author mentions are or are not one person under the last disambiguation run, as `arrow explain --json` prints it: both names, the decision (and the evidence's, where a curator changed it), the rule that settled it, each signal's weight and how rare each name is. Unknown mentions, or no disambiguation yet, are 404; one mention named twice is 400. Not available on a sharded root.",
                "parameters": [
                    required_query("a", "A mention as WORK_ID#POSITION: a work's id and the author's place in its author list, from 1 (# is written %23 in an address). The person page's mention list and its why? links name them.", mention_a),
                    required_query("b", "The other mention, as a.", mention_b)
                ],
                "responses": ok("The explanation", json!({ "$ref": "#/components/schemas/Explanation" }), false)
            } },
            "/api/v1/suggest": { "get": {
                "operationId": "suggest",
                "summary": "Author names and titles for what is being typed.",
                "parameters": [
                    query("q", "What has been typed so far.", json!({ "type": "string" }), Some(json!("hyena"))),
                    query("limit", "Suggestions of each kind, 1 to 20.", json!({ "type": "integer", "minimum": 1, "maximum": 20, "default": 6 }), None)
                ],
                "responses": ok("Suggestions", json!({ "$ref": "#/components/schemas/Suggestions" }), false)
            } },
            "/api/v1/search": { "get": {
                "operationId": "search",
                "summary": "The first search API (offset paging), kept for existing clients; prefer /api/v1/works.",
                "parameters": [
                    query("q", "A query in Arrow's query language.", json!({ "type": "string" }), Some(json!("hyena"))),
                    query("limit", "Results, 1 to 100.", json!({ "type": "integer", "minimum": 1, "maximum": 100, "default": 10 }), None),
                    query("offset", "Results to skip.", json!({ "type": "integer", "minimum": 0, "maximum": 10000 }), None),
                    query("sort", "relevance, year:desc or year:asc.", json!({ "type": "string" }), None),
                    query("facets", "Include year, venue and type counts.", json!({ "type": "boolean" }), None),
                    mode_param()
                ],
                "responses": ok("A page of hits", json!({ "type": "object" }), false)
            } },
            "/api/v1/stats": { "get": {
                "operationId": "stats",
                "summary": "Counts of what this Arrow holds.",
                "responses": ok("Counts", json!({ "type": "object" }), false)
            } },
            "/api/v1/ingest": { "post": admin(
                "ingest",
                "Adds or updates works from a file's content in any supported format (the body; up to 256 MiB).",
                Some(json!({ "type": "string" }))
            ) },
            "/api/v1/disambiguate": { "post": admin(
                "disambiguate",
                "Groups every authorship into people again (curations are applied over the result; conflicts are listed).",
                None
            ) },
            "/api/v1/curate/merge": { "post": admin_returning(
                "curateMerge",
                "Merges people (the first id survives): {people: [id, ...], note, by}. Two authors of one work are refused.",
                Some(json!({ "$ref": "#/components/schemas/Curate" })),
                "The curation, with what the data does not bear out of it",
                json!({ "$ref": "#/components/schemas/Curation" })
            ) },
            "/api/v1/curate/split": { "post": admin_returning(
                "curateSplit",
                "Splits mentions off a person into a new one: {person, mentions: [\"WORK_ID#POSITION\", ...], note, by}.",
                Some(json!({ "$ref": "#/components/schemas/Curate" })),
                "The curation, with what the data does not bear out of it",
                json!({ "$ref": "#/components/schemas/Curation" })
            ) },
            "/api/v1/curate/claim": { "post": admin_returning(
                "curateClaim",
                "Binds an ORCID to a person: {person, orcid, note, by}. Contradicting claims are kept and listed as conflicts.",
                Some(json!({ "$ref": "#/components/schemas/Curate" })),
                "The curation, with what the data does not bear out of it",
                json!({ "$ref": "#/components/schemas/Curation" })
            ) },
            "/api/v1/curate/undo/{id}": { "post": with_params(
                admin_returning(
                    "curateUndo",
                    "Undoes a curation by its id; an optional body {by, note} says who and why, kept in the history.",
                    None,
                    "The undone curation's id and the conflicts the undo brings about",
                    json!({ "type": "object", "properties": {
                        "undone": { "type": "integer" },
                        "conflicts": { "type": "array", "items": { "$ref": "#/components/schemas/CurationConflict" } } } })
                ),
                json!([ path_param("id", "A curation id, as the history lists them.", "1") ])
            ) },
            "/api/v1/curate/history": { "get": admin_returning(
                "curateHistory",
                "Every curation, oldest first (?person=ID: those named for that person, or most of whose mentions are its now).",
                None,
                "The curations",
                json!({ "type": "array", "items": { "$ref": "#/components/schemas/Curation" } })
            ) },
            "/api/v1/openapi.json": { "get": {
                "operationId": "openapi",
                "summary": "This document.",
                "responses": ok("OpenAPI 3 document", json!({ "type": "object" }), false)
            } }
        },
        "components": {
          "securitySchemes": { "adminToken": { "type": "http", "scheme": "bearer",
            "description": "The token given to `arrow serve --admin-token` (or ARROW_ADMIN_TOKEN)." } },
          "schemas": {
            "Curate": { "type": "object", "properties": {
                "people": { "type": "array", "items": { "type": "string" } }, "person": { "type": "string" },
                "mentions": { "type": "array", "items": { "type": "string" } }, "orcid": { "type": "string" },
                "note": { "type": "string" }, "by": { "type": "string" } } },
            "Explanation": { "type": "object", "required": ["signals", "prior", "probability"], "properties": {
                "names": { "type": "array", "description": "The two names as written", "items": { "type": "string" } },
                "constraint": { "type": "string", "nullable": true, "description": "A rule that forces the pair together or apart whatever the evidence (SameSourceId, SameWork, IncompatibleNames, ...)" },
                "signals": { "type": "array", "items": { "type": "object", "properties": {
                    "signal": { "type": "string" }, "level": { "type": "string", "description": "What was observed, in words" },
                    "m": { "type": "number" }, "u": { "type": "number" },
                    "weight": { "type": "number", "description": "ln(m/u): positive speaks for one person" } } } },
                "prior": { "type": "number", "description": "Prior match rate of the pair's block" },
                "probability": { "type": "number", "description": "The pair on its own: how likely one person (of a nickname pair, which is not scored, its signals but the name)" },
                "same_person": { "type": "boolean", "nullable": true, "description": "The decision of the last run (with curators' corrections)" },
                "rarity": { "type": "array", "items": { "type": "object", "properties": {
                    "name": { "type": "string" }, "reason": { "type": "string" } } } },
                "by_evidence": { "type": "boolean", "description": "What the evidence alone decided, when a curator's correction changed it" } } },
            "Error": { "type": "object", "required": ["status", "code", "message"], "properties": {
                "status": { "type": "integer" }, "code": { "type": "string" }, "message": { "type": "string" } } },
            "Author": { "type": "object", "properties": {
                "name": { "type": "string" }, "position": { "type": "integer" }, "id": { "type": "string" },
                "person": { "type": "string", "description": "the author's person after `arrow disambiguate` (GET /api/v1/works/{id} only)" } } },
            "Work": { "type": "object", "required": ["id", "title"], "properties": {
                "id": { "type": "string" }, "title": { "type": "string", "description": "TeX kept verbatim" },
                "abstract": { "type": "string" }, "year": { "type": "integer" }, "venue": { "type": "string" },
                "venue_kind": { "type": "string", "enum": ["conference", "journal", "workshop", "preprint", "book", "thesis", "other"] },
                "type": { "type": "string" }, "authors": { "type": "array", "items": { "$ref": "#/components/schemas/Author" } },
                "authors_truncated": { "type": "boolean" }, "doi": { "type": "string" }, "arxiv": { "type": "string" },
                "dblp": { "type": "string" }, "openalex": { "type": "string" }, "urls": { "type": "array", "items": { "type": "string" } },
                "references": { "type": "array", "description": "Works this one cites, as prefixed ids (openalex:W…, doi:…); absent when none", "items": { "type": "string" } },
                "provenance": { "type": "array", "items": { "type": "object" } },
                "relevance_score": { "type": "number" },
                "versions": { "type": "array", "description": "Other versions of the work (the same paper published more than once); absent when none", "items": { "$ref": "#/components/schemas/VersionRef" } } } },
            "VersionRef": { "type": "object", "required": ["id", "title"], "properties": {
                "id": { "type": "string" }, "title": { "type": "string" }, "venue": { "type": "string" }, "year": { "type": "integer" } } },
            "WorkList": { "type": "object", "properties": {
                "meta": { "type": "object", "properties": {
                    "count": { "type": "integer" }, "page": { "type": "integer", "nullable": true }, "per_page": { "type": "integer" },
                    "next_cursor": { "type": "string", "nullable": true }, "db_response_time_ms": { "type": "integer" },
                    "groups_count": { "type": "integer", "nullable": true },
                    "mode": { "type": "string", "enum": ["lexical", "semantic", "hybrid"] },
                    "lenient": { "type": "boolean", "description": "A long plain-word query ranked by most of its words, not all" } } },
                "results": { "type": "array", "items": { "$ref": "#/components/schemas/Work" } },
                "group_by": { "type": "array", "items": { "type": "object", "properties": {
                    "key": { "type": "string" }, "key_display_name": { "type": "string" }, "count": { "type": "integer" } } } } } },
            "NameCluster": { "type": "object", "properties": {
                "name": { "type": "string" }, "author_rows": { "type": "integer" },
                "author_row_ids": { "type": "array", "items": { "type": "string" },
                    "description": "The author rows counted in author_rows: dblp:KEY, a source's author id, or name:WRITTEN FORM." },
                "variants": { "type": "array", "items": { "type": "string" } },
                "also_published_as": { "type": "array", "items": { "type": "string" } },
                "dblp_persons": { "type": "array", "items": { "type": "object", "properties": {
                    "key": { "type": "string" }, "names": { "type": "array", "items": { "type": "string" } },
                    "orcid": { "type": "string" }, "urls": { "type": "array", "items": { "type": "string" } } } } },
                "works": { "type": "array", "items": { "$ref": "#/components/schemas/Work" } } } },
            "Curation": { "type": "object", "required": ["id", "at", "by", "note", "undone", "kind", "mentions"], "properties": {
                "id": { "type": "integer" }, "at": { "type": "integer", "description": "Seconds since the Unix epoch." },
                "by": { "type": "string" }, "note": { "type": "string" }, "undone": { "type": "boolean" },
                "undo": { "type": "object", "description": "Who undid it, when and why.", "properties": {
                    "at": { "type": "integer" }, "by": { "type": "string" }, "note": { "type": "string" } } },
                "kind": { "type": "string", "enum": ["merge", "split", "claim"] },
                "people": { "type": "array", "items": { "type": "string" }, "description": "merge: the people merged, the surviving one first." },
                "person": { "type": "string", "description": "split, claim: the person." },
                "new_person": { "type": "string", "description": "split: the id of the person split off." },
                "seen": { "type": "integer", "description": "split: the last work key stored when it was made; papers stored later go to the side their evidence fits." },
                "orcid": { "type": "string", "description": "claim: the ORCID." },
                "mentions": { "type": "array", "items": { "type": "string" }, "description": "WORK_ID#POSITION of every mention it binds." },
                "names": { "type": "array", "items": { "type": "string" }, "description": "The name written at each mention when it was made." },
                "replaced_by": { "type": "integer", "description": "claim: a newer claim of the same person that replaced it." },
                "conflicts": { "type": "array", "items": { "$ref": "#/components/schemas/CurationConflict" },
                    "description": "Set when the curation is made; empty in the history." } } },
            "CurationConflict": { "type": "object", "required": ["curation", "message"], "properties": {
                "curation": { "type": "integer" },
                "with": { "type": "integer", "description": "A newer curation this one is in conflict with." },
                "message": { "type": "string" },
                "overridden": { "type": "boolean", "description": "A newer curation overrode this one as its curator asked." } } },
            "Suggestions": { "type": "object", "properties": {
                "query": { "type": "string" },
                "authors": { "type": "array", "items": { "type": "object", "properties": { "name": { "type": "string" }, "works": { "type": "integer" } } } },
                "titles": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "string" }, "title": { "type": "string" } } } } } }
        } }
    })
}
