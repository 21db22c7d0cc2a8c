//! The OpenAPI document against real responses: every route's answers,
//! good and bad, have a status the document declares, its content type,
//! and a body its schema accepts. Then the same over generated requests
//! (property tests from the document's own operations, parameters and
//! request bodies, reads and writes): no 5xx and no answer the document
//! does not describe.

mod common;

use axum::body::Body;
use axum::http::Request;
use common::{archive, state};
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

/// A short planned route with a climb.
const ROUTE: &[u8] = br#"<gpx version="1.1"><rte>
<rtept lat="46.000" lon="7.000"><ele>1000</ele></rtept>
<rtept lat="46.005" lon="7.000"><ele>1100</ele></rtept>
<rtept lat="46.010" lon="7.000"><ele>1250</ele></rtept>
<rtept lat="46.015" lon="7.002"><ele>1200</ele></rtept>
</rte></gpx>"#;

/// An answer: status, content type (without parameters), body.
struct Answer {
    status: u16,
    kind: String,
    body: Vec<u8>,
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
    kind: Option<&str>,
    body: Vec<u8>,
) -> Answer {
    let mut r = Request::builder().method(method).uri(uri);
    if let Some(k) = kind {
        r = r.header("content-type", k);
    }
    let response = app
        .clone()
        .oneshot(r.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_string();
    let body = response
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    Answer { status, kind, body }
}

/// The document's path template that `path` (no query) matches.
fn template<'a>(doc: &'a Value, path: &str) -> Option<&'a str> {
    doc["paths"]
        .as_object()?
        .keys()
        .map(String::as_str)
        .find(|t| {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (t.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.starts_with('{') || x == y)
        })
}

/// Checks one answer against the document; the reason when it does not fit.
fn check(doc: &Value, method: &str, uri: &str, a: &Answer) -> Result<(), String> {
    let path = uri.split('?').next().unwrap_or(uri);
    let t = template(doc, path).ok_or_else(|| format!("{path}: not in the document"))?;
    let op = &doc["paths"][t][method.to_lowercase()];
    if op.is_null() {
        return Err(format!("{method} {t}: not in the document"));
    }
    if a.status >= 500 {
        return Err(format!(
            "{method} {uri}: {} {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        ));
    }
    let response = &op["responses"][a.status.to_string()];
    if response.is_null() {
        return Err(format!(
            "{method} {uri}: status {} is not declared: {}",
            a.status,
            String::from_utf8_lossy(&a.body)
        ));
    }
    // A response declared without content (a 204) must have no body.
    if response["content"].is_null() {
        return if a.body.is_empty() && a.kind.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "{method} {uri}: {} declared empty, answered {} bytes as {}",
                a.status,
                a.body.len(),
                a.kind
            ))
        };
    }
    let content = &response["content"][&a.kind];
    if content.is_null() {
        return Err(format!(
            "{method} {uri}: {} answered as {}, declared {}",
            a.status, a.kind, response["content"]
        ));
    }
    if !a.kind.ends_with("json") {
        return Ok(());
    }
    let body: Value =
        serde_json::from_slice(&a.body).map_err(|e| format!("{method} {uri}: not JSON: {e}"))?;
    let mut schema = content["schema"].clone();
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema)
        .map_err(|e| format!("{t}: the schema does not compile: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(&body)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{method} {uri} ({}): {errors:?}", a.status))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_as_the_document_says() {
    let (dir, _files, cairn, ids) = archive();
    let app = cairn_web::router(state(cairn, &dir));
    let doc = cairn_web::openapi_document();
    assert_eq!(doc["openapi"], "3.1.0");
    let fit = cairn_core::encode::fit::encode(&cairn_core::sim::steady_session(
        20_415,
        cairn_core::model::Sport::Run,
        cairn_core::sim::history::Terrain::Flat,
        20.0,
        3,
    ));
    let mut requests: Vec<(&str, String, Option<&str>, Vec<u8>)> = vec![
        ("GET", "/api/v1/activities".into(), None, vec![]),
        (
            "GET",
            "/api/v1/activities?sport=ride&limit=1".into(),
            None,
            vec![],
        ),
        ("GET", "/api/v1/activities?limit=0".into(), None, vec![]),
        ("GET", "/api/v1/activities/99999".into(), None, vec![]),
        ("GET", "/api/v1/activities/abc".into(), None, vec![]),
        ("GET", "/api/v1/calendar?month=2025-11".into(), None, vec![]),
        ("GET", "/api/v1/calendar?month=soon".into(), None, vec![]),
        ("GET", "/api/v1/week?day=2025-11-15".into(), None, vec![]),
        (
            "GET",
            "/api/v1/fitness?days=30&to=2025-11-20".into(),
            None,
            vec![],
        ),
        ("GET", "/api/v1/fitness?days=1".into(), None, vec![]),
        ("GET", "/api/v1/fitness/planned".into(), None, vec![]),
        ("GET", "/api/v1/records".into(), None, vec![]),
        ("GET", "/api/v1/curves".into(), None, vec![]),
        ("GET", "/api/v1/altitude".into(), None, vec![]),
        ("GET", "/api/v1/predict".into(), None, vec![]),
        ("GET", "/api/v1/plan".into(), None, vec![]),
        ("GET", "/api/v1/ready".into(), None, vec![]),
        ("GET", "/api/v1/profile".into(), None, vec![]),
        ("GET", "/api/v1/predict?days=30&to=2025-11-20".into(), None, vec![]),
        ("POST", "/api/v1/predict/route?name=r.gpx".into(), Some("application/octet-stream"), ROUTE.to_vec()),
        ("POST", "/api/v1/predict/route?name=r.gpx".into(), None, b"not a route".to_vec()),
        ("POST", "/api/v1/predict/route?name=r.gpx&pack_kg=heavy".into(), None, ROUTE.to_vec()),
        ("GET", "/api/v1/altitude?until=2026-13-01".into(), None, vec![]),
        ("GET", "/api/v1/heat?until=2026-01-01".into(), None, vec![]),
        ("GET", "/api/v1/heat?days=400".into(), None, vec![]),
        ("GET", "/api/v1/heat?days=0".into(), None, vec![]),
        ("GET", "/api/v1/compare?sport=run&a_from=2025-11-01&a_to=2025-11-16&b_from=2025-11-17&b_to=2025-11-30".into(), None, vec![]),
        ("GET", "/api/v1/compare?sport=kayak".into(), None, vec![]),
        ("GET", "/api/v1/compare?a_from=2025-11-10&a_to=2025-11-01".into(), None, vec![]),
        (
            "GET",
            "/api/v1/curves?kind=hr&sport=all&from=2025-11-01&to=2025-11-30".into(),
            None,
            vec![],
        ),
        ("GET", "/api/v1/curves?kind=speed".into(), None, vec![]),
        ("GET", "/api/v1/records?family=climb".into(), None, vec![]),
        ("GET", "/api/v1/records?family=swim".into(), None, vec![]),
        (
            "POST",
            "/api/v1/imports?name=new.fit".into(),
            Some("application/octet-stream"),
            fit,
        ),
        ("POST", "/api/v1/imports".into(), None, b"x".to_vec()),
        ("GET", "/api/v1/imports".into(), None, vec![]),
        ("GET", "/api/v1/imports/1".into(), None, vec![]),
        ("GET", "/api/v1/imports/999".into(), None, vec![]),
        ("GET", "/api/v1/openapi.json".into(), None, vec![]),
        ("GET", "/api/v1/settings".into(), None, vec![]),
        ("PATCH", "/api/v1/settings".into(), Some("application/json"), br#"{"week_start": "sunday"}"#.to_vec()),
        ("PATCH", "/api/v1/settings".into(), Some("application/json"), br#"{"units": "furlongs"}"#.to_vec()),
        ("POST", "/api/v1/profile".into(), Some("application/json"), br#"{"key": "max_hr", "value": "180"}"#.to_vec()),
        ("POST", "/api/v1/profile".into(), Some("application/json"), br#"{"key": "max_hr", "value": "fast"}"#.to_vec()),
        ("GET", "/api/v1/profile/recompute".into(), None, vec![]),
        ("POST", "/api/v1/stays".into(), Some("application/json"), br#"{"from": "2025-10-01", "to": "2025-10-03", "altitude_m": 2000}"#.to_vec()),
        ("POST", "/api/v1/stays".into(), Some("application/json"), br#"{"from": "2025-10-03", "to": "2025-10-01", "altitude_m": 2000}"#.to_vec()),
        ("GET", "/api/v1/stays".into(), None, vec![]),
        ("DELETE", "/api/v1/stays/1".into(), None, vec![]),
        ("DELETE", "/api/v1/stays/1".into(), None, vec![]),
        ("POST", "/api/v1/feel".into(), Some("application/json"), br#"{"date": "2025-11-18", "fatigue": 3, "ill": false}"#.to_vec()),
        ("POST", "/api/v1/feel".into(), Some("application/json"), br#"{"date": "yesterday"}"#.to_vec()),
        ("POST", "/api/v1/plan/adapt?preview=true".into(), None, vec![]),
        ("PATCH", "/api/v1/plan/days/2025-11-25".into(), Some("application/json"), br#"{"rest": true}"#.to_vec()),
        ("PATCH", "/api/v1/plan/days/someday".into(), Some("application/json"), br#"{"rest": true}"#.to_vec()),
        ("PATCH", "/api/v1/settings".into(), Some("application/json"), format!(r#"{{"units": "{}"}}"#, "m".repeat(cairn_web::MAX_BODY_BYTES)).into_bytes()),
    ];
    for id in &ids {
        for tail in [
            "",
            "/original",
            "/streams",
            "/streams?points=50",
            "/streams?points=all",
            "/efforts",
            "/curves",
        ] {
            requests.push((
                "GET",
                format!("/api/v1/activities/{id}{tail}"),
                None,
                vec![],
            ));
        }
        requests.push((
            "PATCH",
            format!("/api/v1/activities/{id}"),
            Some("application/json"),
            br#"{"rpe": 5, "pack_kg": 2}"#.to_vec(),
        ));
    }
    requests.push((
        "PATCH",
        format!("/api/v1/activities/{}", ids[0]),
        Some("application/json"),
        b"{".to_vec(),
    ));
    let mut covered = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    for (method, uri, kind, body) in requests {
        let a = call(&app, method, &uri, kind, body).await;
        if let Err(e) = check(&doc, method, &uri, &a) {
            failures.push(e);
        }
        if let Some(t) = template(&doc, uri.split('?').next().unwrap()) {
            covered.insert(format!("{method} {t}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    // Every operation the document names was called.
    for (t, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            assert!(
                covered.contains(&format!("{} {t}", m.to_uppercase())),
                "{m} {t} untested"
            );
        }
    }
}

/// A request to the operation at path template `t`: `id` in the path, and
/// each of its query parameters that `params` switches on, with its value.
fn uri_of(t: &str, operation: &Value, id: &str, params: &[(bool, String)]) -> String {
    let encode = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let path = t.replace("{id}", &encode(id).replace('+', "%20"));
    let names: Vec<&str> = operation["parameters"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str())
                .collect()
        })
        .unwrap_or_default();
    let query: Vec<String> = names
        .iter()
        .zip(params)
        .filter(|(_, (on, _))| *on)
        .map(|(n, (_, v))| format!("{n}={}", encode(v)))
        .collect();
    if query.is_empty() {
        path
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

type Server = (
    tokio::runtime::Runtime,
    axum::Router,
    Value,
    tempfile::TempDir,
    tempfile::TempDir,
);

thread_local! {
    /// One archive and router per test thread, kept across a property
    /// test's cases (building the archive is the slow part).
    static SERVER: Server = {
        let (dir, files, cairn, _) = archive();
        let app = cairn_web::router(state(cairn, &dir));
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        (rt, app, cairn_web::openapi_document(), dir, files)
    };
}

fn with_server<R>(f: impl FnOnce(&tokio::runtime::Runtime, &axum::Router, &Value) -> R) -> R {
    SERVER.with(|(rt, app, doc, _, _)| f(rt, app, doc))
}

/// Query values: what a client might send, right or wrong.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("2025-11-15".to_string()),
        Just("2025-11".to_string()),
        Just("run".to_string()),
        Just("all".to_string()),
        (0i64..5000).prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[a-z0-9 .:/%-]{0,12}",
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Requests built from the document's GET operations and their
    /// parameters, with ids and values drawn from right and wrong ones.
    #[test]
    fn generated_requests_never_break_the_document(
        op in 0usize..64,
        id in prop_oneof![Just("1".to_string()), Just("2".to_string()), value()],
        params in proptest::collection::vec((any::<bool>(), value()), 0..6),
    ) {
        with_server(|rt, app, doc| {
            let gets: Vec<(&String, &Value)> = doc["paths"]
                .as_object()
                .unwrap()
                .iter()
                .filter_map(|(t, item)| item.get("get").map(|op| (t, op)))
                .collect();
            let (t, operation) = gets[op % gets.len()];
            let uri = uri_of(t, operation, &id, &params);
            let a = rt.block_on(call(app, "GET", &uri, None, vec![]));
            let verdict = check(doc, "GET", &uri, &a);
            prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
            Ok(())
        })?;
    }
}

/// A JSON body for a write: the fields its schema names, each with a
/// value of some type, right or wrong.
fn json_body(fields: Vec<String>) -> impl Strategy<Value = Vec<u8>> {
    let field_value = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-1.0e6f64..1.0e6).prop_map(|x| serde_json::json!(x)),
        Just(serde_json::json!(1.0e308)),
        value().prop_map(Value::String),
        Just(serde_json::json!(["run"])),
    ];
    proptest::collection::vec((any::<prop::sample::Index>(), field_value), 0..5).prop_map(
        move |picked| {
            let mut object = serde_json::Map::new();
            for (i, v) in picked {
                if !fields.is_empty() {
                    object.insert(i.get(&fields).clone(), v);
                }
            }
            serde_json::to_vec(&Value::Object(object)).unwrap()
        },
    )
}

/// The properties the JSON request bodies' schemas name (through one `$ref`).
fn write_fields() -> Vec<String> {
    let doc = cairn_web::openapi_document();
    let mut fields = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for (method, operation) in item.as_object().unwrap() {
            let Some(schema) =
                operation["requestBody"]["content"]["application/json"].get("schema")
            else {
                continue;
            };
            let schema = match schema["$ref"].as_str() {
                Some(r) => &doc["components"]["schemas"][r.rsplit('/').next().unwrap_or("")],
                None => schema,
            };
            assert_ne!(method, "get");
            fields.extend(
                schema["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k.clone()),
            );
        }
    }
    assert!(!fields.is_empty(), "no JSON request body in the document");
    fields
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 120, .. ProptestConfig::default() })]

    /// The same for every operation that is not a GET (corrections,
    /// uploads, route predictions): bodies of the right shape with wrong
    /// values, bytes that are no file, a real route cut anywhere, and the
    /// wrong content type. No 5xx, nothing the document does not describe.
    #[test]
    fn generated_writes_never_break_the_document(
        op in 0usize..16,
        id in prop_oneof![Just("1".to_string()), Just("2".to_string()), value()],
        params in proptest::collection::vec((any::<bool>(), value()), 0..4),
        raw in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..300),
            (0usize..ROUTE.len()).prop_map(|n| ROUTE[..n].to_vec()),
            Just(ROUTE.to_vec()),
        ],
        json in json_body(write_fields()),
        kind in prop_oneof![Just(None), Just(Some("text/plain")), Just(Some("application/json")), Just(Some("application/octet-stream"))],
        declared_kind in any::<bool>(),
    ) {
        with_server(|rt, app, doc| {
            let writes: Vec<(&String, &str, &Value)> = doc["paths"]
                .as_object()
                .unwrap()
                .iter()
                .flat_map(|(t, item)| {
                    item.as_object().into_iter().flatten().filter(|(m, _)| *m != "get").map(move |(m, op)| (t, m.as_str(), op))
                })
                .collect();
            prop_assert!(!writes.is_empty());
            let (t, method, operation) = writes[op % writes.len()];
            let uri = uri_of(t, operation, &id, &params);
            let declared: Vec<&str> = operation["requestBody"]["content"]
                .as_object()
                .map(|c| c.keys().map(String::as_str).collect())
                .unwrap_or_default();
            let kind = if declared_kind { declared.first().copied() } else { kind };
            let body = if kind == Some("application/json") { json } else { raw };
            let a = rt.block_on(call(app, &method.to_uppercase(), &uri, kind, body));
            let verdict = check(doc, &method.to_uppercase(), &uri, &a);
            prop_assert!(verdict.is_ok(), "{}", verdict.unwrap_err());
            Ok(())
        })?;
    }
}

#[test]
fn the_check_refuses_a_body_the_schema_does_not_describe() {
    let doc = cairn_web::openapi_document();
    let wrong = Answer {
        status: 200,
        kind: "application/json".into(),
        body: br#"{"items": 5, "total": 1, "offset": 0, "limit": 1}"#.to_vec(),
    };
    assert!(check(&doc, "GET", "/api/v1/activities", &wrong).is_err());
    let extra = Answer {
        status: 200,
        kind: "application/json".into(),
        body: br#"{"items": [], "total": 1, "offset": 0, "limit": 1, "more": true}"#.to_vec(),
    };
    assert!(check(&doc, "GET", "/api/v1/activities", &extra).is_err());
    let undeclared = Answer {
        status: 418,
        kind: "application/json".into(),
        body: b"{}".to_vec(),
    };
    assert!(check(&doc, "GET", "/api/v1/activities", &undeclared).is_err());
    let right = Answer {
        status: 200,
        kind: "application/json".into(),
        body: br#"{"items": [], "total": 0, "offset": 0, "limit": 1}"#.to_vec(),
    };
    assert_eq!(check(&doc, "GET", "/api/v1/activities", &right), Ok(()));
}
