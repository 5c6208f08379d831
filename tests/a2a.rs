//! A2A discovery, `POST /a2a/rpc` and its authentication, through `juli_calendar::handle`.
//! Signing keys are generated in the test; a fake issuer serves the JWKS.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use juli_calendar::ports::HttpResponse;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod support {
    //! Small local scaffolding (swap for the shared `tests/helpers` harness later).
    use std::cell::RefCell;
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use juli_calendar::ports::{
        Context, FixedClock, HttpRequest, HttpResponse, LocalBoxFuture, LogSink, Outbound, Random,
        TransportError,
    };
    use serde_json::Value;

    /// Serves fixed JSON documents by URL, 404 for everything else; records every URL asked.
    #[derive(Default)]
    pub struct DocOutbound {
        pub docs: HashMap<String, Value>,
        pub seen: RefCell<Vec<String>>,
    }

    impl Outbound for DocOutbound {
        fn send(
            &self,
            request: HttpRequest,
        ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
            let uri = request.uri().to_string();
            self.seen.borrow_mut().push(uri.clone());
            let response = match self.docs.get(&uri) {
                Some(doc) => http::Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(doc.to_string().into_bytes()),
                None => http::Response::builder().status(404).body(b"{}".to_vec()),
            };
            Box::pin(async move { Ok(response.unwrap()) })
        }
    }

    pub use juli_calendar::ports::MemoryStore as MemStore;

    pub struct FixedRandom;
    impl Random for FixedRandom {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(3);
        }
    }

    #[derive(Default)]
    pub struct Lines(pub RefCell<Vec<String>>);
    impl LogSink for Lines {
        fn line(&self, line: &str) {
            self.0.borrow_mut().push(line.to_string());
        }
    }

    pub struct World {
        pub outbound: DocOutbound,
        pub config: HashMap<String, String>,
        pub store: MemStore,
        pub clock: FixedClock,
        pub log: Lines,
    }

    impl World {
        pub fn new(config: &[(&str, &str)], docs: Vec<(String, Value)>) -> World {
            World {
                outbound: DocOutbound {
                    docs: docs.into_iter().collect(),
                    seen: RefCell::default(),
                },
                config: config
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
                store: MemStore::default(),
                clock: FixedClock(NOW.parse::<DateTime<Utc>>().unwrap()),
                log: Lines::default(),
            }
        }

        pub fn send(&self, request: HttpRequest) -> HttpResponse {
            let ctx = Context {
                outbound: &self.outbound,
                config: &self.config,
                store: Some(&self.store),
                clock: &self.clock,
                random: &FixedRandom,
                log: &self.log,
            };
            futures::executor::block_on(juli_calendar::handle(request, ctx))
        }
    }

    pub const NOW: &str = "2026-11-26T10:00:00Z";
}

use support::World;

const ISSUER: &str = "https://issuer.test";
const DEV_SECRET: &str = "dev-secret-123456";

fn now() -> i64 {
    support::NOW
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap()
        .timestamp()
}

struct Keys {
    rsa: rsa::RsaPrivateKey,
    other_rsa: rsa::RsaPrivateKey,
    ec: p256::ecdsa::SigningKey,
}

fn keys() -> &'static Keys {
    use rand::SeedableRng;
    static KEYS: std::sync::OnceLock<Keys> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        Keys {
            rsa: rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap(),
            other_rsa: rsa::RsaPrivateKey::new(&mut rng, 2048).unwrap(),
            ec: p256::ecdsa::SigningKey::random(&mut rng),
        }
    })
}

fn b64(bytes: impl AsRef<[u8]>) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn jwks() -> Value {
    use rsa::traits::PublicKeyParts;
    let k = keys();
    let public = k.rsa.to_public_key();
    let point = k.ec.verifying_key().to_encoded_point(false);
    json!({"keys": [
        {"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256",
         "n": b64(public.n().to_bytes_be()), "e": b64(public.e().to_bytes_be())},
        {"kty": "EC", "kid": "ec-1", "use": "sig", "crv": "P-256",
         "x": b64(point.x().unwrap()), "y": b64(point.y().unwrap())},
        {"kty": "oct", "kid": "hmac-1", "k": b64("not-for-us")}
    ]})
}

fn issuer_docs() -> Vec<(String, Value)> {
    vec![
        (
            format!("{ISSUER}/.well-known/openid-configuration"),
            json!({"issuer": ISSUER, "jwks_uri": format!("{ISSUER}/keys")}),
        ),
        (format!("{ISSUER}/keys"), jwks()),
    ]
}

fn world() -> World {
    World::new(
        &[
            ("a2a_issuers", ISSUER),
            ("a2a_audiences", "juli-calendar"),
            ("a2a_dev_secret", DEV_SECRET),
        ],
        issuer_docs(),
    )
}

fn claims() -> Value {
    json!({"iss": ISSUER, "aud": "juli-calendar", "sub": "juli-brain", "iat": now() - 10, "exp": now() + 300})
}

fn rs256(kid: &str, claims: &Value, key: &rsa::RsaPrivateKey) -> String {
    let input = format!(
        "{}.{}",
        b64(json!({"alg": "RS256", "typ": "JWT", "kid": kid}).to_string()),
        b64(claims.to_string())
    );
    let sig = key
        .sign(
            rsa::Pkcs1v15Sign::new::<Sha256>(),
            &Sha256::digest(input.as_bytes()),
        )
        .unwrap();
    format!("{input}.{}", b64(sig))
}

fn es256(kid: &str, claims: &Value) -> String {
    use p256::ecdsa::signature::Signer;
    let input = format!(
        "{}.{}",
        b64(json!({"alg": "ES256", "typ": "JWT", "kid": kid}).to_string()),
        b64(claims.to_string())
    );
    let sig: p256::ecdsa::Signature = keys().ec.sign(input.as_bytes());
    format!("{input}.{}", b64(sig.to_bytes()))
}

fn rpc_request(body: &str, headers: &[(&str, &str)]) -> juli_calendar::ports::HttpRequest {
    let mut b = http::Request::builder()
        .method("POST")
        .uri("http://localhost/a2a/rpc")
        .header("content-type", "application/json");
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    b.body(body.as_bytes().to_vec()).unwrap()
}

fn call(w: &World, method: &str, params: Value, headers: &[(&str, &str)]) -> HttpResponse {
    let body = json!({"jsonrpc": "2.0", "id": "r1", "method": method, "params": params});
    w.send(rpc_request(&body.to_string(), headers))
}

fn with_dev(w: &World, method: &str, params: Value) -> Value {
    let r = call(w, method, params, &[("x-a2a-dev-secret", DEV_SECRET)]);
    assert_eq!(r.status(), 200, "{}", String::from_utf8_lossy(r.body()));
    json_of(&r)
}

fn json_of(r: &HttpResponse) -> Value {
    serde_json::from_slice(r.body()).unwrap()
}

fn bearer(w: &World, token: &str) -> HttpResponse {
    let auth = format!("Bearer {token}");
    call(w, "agent.handshake", json!({}), &[("authorization", &auth)])
}

fn assert_unauthorized(r: &HttpResponse, why: &str) {
    assert_eq!(
        r.status(),
        401,
        "{why}: {}",
        String::from_utf8_lossy(r.body())
    );
    let v = json_of(r);
    assert_eq!(v["error"]["code"], -32000, "{why}");
    assert_eq!(v["error"]["message"], "Unauthorized", "{why}");
    assert!(r.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
}

// ---------------------------------------------------------------- discovery documents

#[test]
fn agent_card_and_credentials_manifest_are_served() {
    let w = world();
    let get = |path: &str| {
        w.send(
            http::Request::builder()
                .uri(format!("http://localhost{path}"))
                .body(Vec::new())
                .unwrap(),
        )
    };
    let r = get("/.well-known/a2a.json");
    assert_eq!(r.status(), 200);
    let card = json_of(&r);
    assert_eq!(card["id"], "juli-calendar");
    assert_eq!(card["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        card["approvals"]["modes"],
        json!(["stateless_preview_then_approve"])
    );
    assert_eq!(card["rpc"]["endpoint"], "/a2a/rpc");
    assert_eq!(
        card["extensions"]["x-juli"]["credentials_manifest"],
        "/.well-known/a2a-credentials.json"
    );
    let tools: Vec<&str> = card["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        tools,
        [
            "manage_productivity",
            "find_and_analyze",
            "check_availability",
            "optimize_schedule"
        ]
    );
    let schemes: Vec<&str> = card["auth"]["schemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, ["oidc", "shared_secret"]);
    assert!(!r
        .body()
        .windows(DEV_SECRET.len())
        .any(|w| w == DEV_SECRET.as_bytes()));

    let m = json_of(&get("/.well-known/a2a-credentials.json"));
    let creds = m["credentials"].as_array().unwrap();
    assert!(creds.iter().any(|c| c["key"] == "RECLAIM_API_KEY"));
    assert!(creds.iter().any(|c| c["key"] == "NYLAS_API_KEY"));
    let grant = creds.iter().find(|c| c["key"] == "NYLAS_GRANT_ID").unwrap();
    assert_eq!(grant["flows"][0]["type"], "hosted_auth");
}

// ---------------------------------------------------------------- authentication

#[test]
fn missing_or_wrong_credentials_are_401() {
    let w = world();
    assert_unauthorized(&call(&w, "agent.card", json!({}), &[]), "no auth");
    assert_unauthorized(
        &call(
            &w,
            "agent.card",
            json!({}),
            &[("x-a2a-dev-secret", "guess")],
        ),
        "wrong dev secret",
    );
    assert_unauthorized(
        &call(
            &w,
            "agent.card",
            json!({}),
            &[("authorization", "Basic abc")],
        ),
        "not bearer",
    );
    let off = World::new(&[], vec![]);
    assert_unauthorized(
        &call(&off, "agent.card", json!({}), &[("x-a2a-dev-secret", "")]),
        "dev secret disabled",
    );
    assert!(off.outbound.seen.borrow().is_empty());
}

#[test]
fn dev_secret_is_accepted() {
    let w = world();
    let v = with_dev(&w, "agent.card", json!({}));
    assert_eq!(v["id"], "r1");
    assert_eq!(v["result"]["id"], "juli-calendar");
}

#[test]
fn valid_rs256_token_is_accepted_and_keys_are_cached() {
    let w = world();
    let token = rs256("rsa-1", &claims(), &keys().rsa);
    let r = bearer(&w, &token);
    assert_eq!(r.status(), 200, "{}", String::from_utf8_lossy(r.body()));
    let v = json_of(&r);
    assert_eq!(v["result"]["agent"], "juli-calendar");
    assert_eq!(v["result"]["caller"]["subject"], "juli-brain");
    assert_eq!(v["result"]["server_time"], "2026-11-26T10:00:00Z");
    assert_eq!(v["result"]["card"]["id"], "juli-calendar");
    assert_eq!(
        *w.outbound.seen.borrow(),
        vec![
            format!("{ISSUER}/.well-known/openid-configuration"),
            format!("{ISSUER}/keys")
        ]
    );
    // Second request: served from the key-value cache, no fetch.
    assert_eq!(bearer(&w, &token).status(), 200);
    assert_eq!(w.outbound.seen.borrow().len(), 2);
    // The token never reaches the log.
    assert!(w.log.0.borrow().iter().all(|l| !l.contains(&token[..40])));
}

#[test]
fn valid_es256_token_is_accepted() {
    let w = world();
    let r = bearer(&w, &es256("ec-1", &claims()));
    assert_eq!(r.status(), 200, "{}", String::from_utf8_lossy(r.body()));
}

#[test]
fn audience_may_be_an_array_and_small_skew_is_tolerated() {
    let w = world();
    let mut c = claims();
    c["aud"] = json!(["someone-else", "juli-calendar"]);
    c["exp"] = json!(now() - 30);
    c["nbf"] = json!(now() + 30);
    assert_eq!(bearer(&w, &rs256("rsa-1", &c, &keys().rsa)).status(), 200);
}

#[test]
fn expired_token_is_refused() {
    let w = world();
    let mut c = claims();
    c["exp"] = json!(now() - 61);
    let r = bearer(&w, &rs256("rsa-1", &c, &keys().rsa));
    assert_unauthorized(&r, "expired");
    assert!(json_of(&r)["error"]["data"]["reason"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[test]
fn not_yet_valid_token_is_refused() {
    let w = world();
    let mut c = claims();
    c["nbf"] = json!(now() + 120);
    assert_unauthorized(&bearer(&w, &rs256("rsa-1", &c, &keys().rsa)), "nbf");
}

#[test]
fn wrong_audience_is_refused() {
    let w = world();
    let mut c = claims();
    c["aud"] = json!("another-agent");
    assert_unauthorized(&bearer(&w, &es256("ec-1", &c)), "aud");
}

#[test]
fn untrusted_issuer_is_refused_without_fetching_its_keys() {
    let w = world();
    let mut c = claims();
    c["iss"] = json!("https://evil.test");
    assert_unauthorized(&bearer(&w, &rs256("rsa-1", &c, &keys().rsa)), "iss");
    assert!(w.outbound.seen.borrow().is_empty());
}

#[test]
fn bad_signature_is_refused() {
    let w = world();
    // Signed by a different key under the trusted key's kid.
    assert_unauthorized(
        &bearer(&w, &rs256("rsa-1", &claims(), &keys().other_rsa)),
        "foreign key",
    );
    // A valid token whose payload was swapped afterwards.
    let good = rs256("rsa-1", &claims(), &keys().rsa);
    let parts: Vec<&str> = good.split('.').collect();
    let mut c = claims();
    c["sub"] = json!("admin");
    let tampered = format!("{}.{}.{}", parts[0], b64(c.to_string()), parts[2]);
    assert_unauthorized(&bearer(&w, &tampered), "tampered payload");
    // An ES256 signature with one bit flipped.
    let good = es256("ec-1", &claims());
    let (head, sig) = good.rsplit_once('.').unwrap();
    let mut raw = URL_SAFE_NO_PAD.decode(sig).unwrap();
    raw[10] ^= 1;
    assert_unauthorized(&bearer(&w, &format!("{head}.{}", b64(raw))), "flipped bit");
}

#[test]
fn alg_none_is_refused() {
    let w = world();
    let token = format!(
        "{}.{}.",
        b64(json!({"alg": "none", "typ": "JWT"}).to_string()),
        b64(claims().to_string())
    );
    let r = bearer(&w, &token);
    assert_unauthorized(&r, "alg none");
    assert!(w.outbound.seen.borrow().is_empty());
}

#[test]
fn unknown_kid_is_refused() {
    let w = world();
    assert_unauthorized(
        &bearer(&w, &rs256("rsa-404", &claims(), &keys().rsa)),
        "unknown kid",
    );
    // An ES256 token naming the RSA key: keys are never used across algorithm families.
    assert_unauthorized(&bearer(&w, &es256("rsa-1", &claims())), "family mismatch");
}

#[test]
fn hs256_with_the_public_key_as_secret_is_refused() {
    use hmac::{Hmac, Mac};
    use rsa::traits::PublicKeyParts;
    let w = world();
    let public_n = keys().rsa.to_public_key().n().to_bytes_be();
    for (alg, kid) in [("HS256", "rsa-1"), ("HS256", "hmac-1")] {
        let input = format!(
            "{}.{}",
            b64(json!({"alg": alg, "kid": kid}).to_string()),
            b64(claims().to_string())
        );
        let mut mac = Hmac::<Sha256>::new_from_slice(&public_n).unwrap();
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", b64(mac.finalize().into_bytes()));
        assert_unauthorized(&bearer(&w, &token), "HS256 confusion");
    }
}

#[test]
fn keys_fall_back_to_well_known_jwks_when_discovery_is_missing() {
    let w = World::new(
        &[("a2a_issuers", ISSUER)],
        vec![(format!("{ISSUER}/.well-known/jwks.json"), jwks())],
    );
    assert_eq!(
        bearer(&w, &rs256("rsa-1", &claims(), &keys().rsa)).status(),
        200
    );
    assert_eq!(
        w.outbound.seen.borrow().last().unwrap(),
        &format!("{ISSUER}/.well-known/jwks.json")
    );
}

#[test]
fn unreachable_keys_are_401_not_500() {
    let w = World::new(&[("a2a_issuers", ISSUER)], vec![]);
    assert_unauthorized(
        &bearer(&w, &rs256("rsa-1", &claims(), &keys().rsa)),
        "no JWKS",
    );
}

// ---------------------------------------------------------------- JSON-RPC methods

#[test]
fn tool_list_has_four_tools_with_schemas() {
    let v = with_dev(&world(), "tool.list", json!({}));
    let tools = v["result"]["tools"].as_array().unwrap();
    assert_eq!(tools.len(), 4);
    assert!(tools.iter().all(|t| t["input_schema"]["type"] == "object"));
}

#[test]
fn tool_execute_echoes_request_id_and_returns_the_envelope() {
    let w = world();
    let v = with_dev(
        &w,
        "tool.execute",
        json!({"tool": "find_and_analyze", "arguments": {"query": "what's on today"},
               "user_context": {"timezone": "Europe/Berlin", "current_date": "2026-11-26", "current_time": "11:00:00"},
               "request_id": "juli-req-42"}),
    );
    assert_eq!(v["id"], "r1");
    assert_eq!(v["result"]["request_id"], "juli-req-42");
    assert_eq!(v["result"]["tool"], "find_and_analyze");
    assert!(v["result"]["result"].is_object());
    assert!(w
        .log
        .0
        .borrow()
        .last()
        .unwrap()
        .contains("find_and_analyze"));
}

#[test]
fn user_context_reaches_the_tool_as_injected_fields() {
    // An invalid zone in user_context comes back as an invalid-params error naming it: proof
    // that user_context.timezone became the tool's user_timezone.
    let v = with_dev(
        &world(),
        "tool.execute",
        json!({"tool": "check_availability", "arguments": {"query": "free at 3pm?"},
               "user_context": {"timezone": "Mars/Olympus"}, "request_id": "q1"}),
    );
    assert_eq!(v["error"]["code"], -32602, "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Mars/Olympus"));
    // So does a current_date outside 1970–2199 (never a trap).
    let v = with_dev(
        &world(),
        "tool.execute",
        json!({"tool": "find_and_analyze", "arguments": {"query": "what's on next year?"},
               "user_context": {"timezone": "UTC", "current_date": "9999-12-31", "current_time": "23:59:59"},
               "request_id": "q2"}),
    );
    assert_eq!(v["error"]["code"], -32602, "{v}");
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("outside the supported years"));
    // Explicit arguments win over user_context.
    let v = with_dev(
        &world(),
        "tool.execute",
        json!({"tool": "check_availability", "arguments": {"query": "x", "user_timezone": "Venus/Base"},
               "user_context": {"timezone": "Europe/Berlin"}}),
    );
    assert!(v["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Venus/Base"));
}

#[test]
fn credentials_in_user_context_are_never_echoed() {
    let w = world();
    let r = call(
        &w,
        "tool.execute",
        json!({"tool": "manage_productivity", "arguments": {"query": "create a task"},
               "user_context": {"credentials": {"RECLAIM_API_KEY": "rk_TOPSECRET_123456789"}}}),
        &[("x-a2a-dev-secret", DEV_SECRET)],
    );
    assert_eq!(r.status(), 200);
    let text = String::from_utf8_lossy(r.body());
    assert!(!text.contains("TOPSECRET"));
    assert!(w.log.0.borrow().iter().all(|l| !l.contains("TOPSECRET")));
}

#[test]
fn tool_execute_rejects_bad_params() {
    let w = world();
    for params in [
        json!({}),
        json!({"tool": "rm_rf"}),
        json!({"tool": "find_and_analyze", "arguments": "query"}),
        json!({"tool": "find_and_analyze", "user_context": "Europe/Berlin"}),
        json!({"tool": "find_and_analyze", "user_context": {"credentials": "abc"}}),
        json!({"tool": "find_and_analyze", "user_context": {"timezone": 5}}),
        json!({"tool": "find_and_analyze", "request_id": {"a": 1}}),
    ] {
        let v = with_dev(&w, "tool.execute", params.clone());
        assert_eq!(v["error"]["code"], -32602, "{params}");
    }
}

#[test]
fn declined_approval_executes_nothing() {
    let w = world();
    let v = with_dev(
        &w,
        "tool.approve",
        json!({"tool": "manage_productivity", "original_arguments": {"query": "invite sarah@acme.com"},
               "action_data": {"token": "t"}, "request_id": "ap-1", "approved": false}),
    );
    let result = &v["result"];
    assert_eq!(result["request_id"], "ap-1");
    assert_eq!(result["result"]["executed"], false);
    assert!(result["result"]["message"]
        .as_str()
        .unwrap()
        .contains("nothing was executed"));
    // No tool ran: the log line names none.
    assert!(!w
        .log
        .0
        .borrow()
        .last()
        .unwrap()
        .contains("manage_productivity"));
}

#[test]
fn approval_runs_the_tool_with_the_approval_fields() {
    let w = world();
    let v = with_dev(
        &w,
        "tool.approve",
        json!({"tool": "manage_productivity", "original_arguments": {"query": "invite sarah@acme.com"},
               "action_data": {"action_type": "event_create_with_participants", "token": "t"},
               "user_context": {"timezone": "America/New_York"},
               "request_id": "ap-2", "approved": true}),
    );
    assert_eq!(v["result"]["request_id"], "ap-2");
    assert!(v["result"]["result"].is_object());
    assert!(w
        .log
        .0
        .borrow()
        .last()
        .unwrap()
        .contains("manage_productivity"));
    // Approving needs the action_data; approved must be a boolean.
    let v = with_dev(
        &w,
        "tool.approve",
        json!({"tool": "manage_productivity", "original_arguments": {}, "approved": true}),
    );
    assert_eq!(v["error"]["code"], -32602);
    let v = with_dev(
        &w,
        "tool.approve",
        json!({"tool": "manage_productivity", "action_data": {}, "approved": "yes"}),
    );
    assert_eq!(v["error"]["code"], -32602);
}

#[test]
fn protocol_errors() {
    let w = world();
    let dev = [("x-a2a-dev-secret", DEV_SECRET)];
    let r = w.send(rpc_request("{nope", &dev));
    assert_eq!(r.status(), 400);
    assert_eq!(json_of(&r)["error"]["code"], -32700);
    for body in [
        r#"{"jsonrpc":"1.0","id":1,"method":"agent.card"}"#,
        r#"[{"jsonrpc":"2.0","id":1,"method":"agent.card"}]"#,
        r#"{"jsonrpc":"2.0","id":1}"#,
    ] {
        let r = w.send(rpc_request(body, &dev));
        assert_eq!(r.status(), 400, "{body}");
        assert_eq!(json_of(&r)["error"]["code"], -32600, "{body}");
    }
    let v = with_dev(&w, "tool.delete_everything", json!({}));
    assert_eq!(v["error"]["code"], -32601);
    let r = w.send(rpc_request(
        r#"{"jsonrpc":"2.0","method":"tool.execute","params":{"tool":"manage_productivity"}}"#,
        &dev,
    ));
    assert_eq!(r.status(), 202, "notifications run nothing");
    let r = w.send(
        http::Request::builder()
            .method("GET")
            .uri("http://localhost/a2a/rpc")
            .body(Vec::new())
            .unwrap(),
    );
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers()["allow"], "POST");
}

#[test]
fn stale_cached_keys_bridge_an_outage_but_not_forever() {
    let token = rs256("rsa-1", &claims(), &keys().rsa);
    for (age_hours, expected) in [(2, 200), (25, 401)] {
        // The issuer is unreachable (no documents); the store holds an old copy of its keys.
        let w = World::new(&[("a2a_issuers", ISSUER)], vec![]);
        let cached = json!({"fetched_at": now() - age_hours * 3600, "jwks": jwks()});
        juli_calendar::ports::KeyValue::set(
            &w.store,
            &format!("a2a:jwks:{ISSUER}"),
            &cached.to_string().into_bytes(),
        )
        .unwrap();
        let r = bearer(&w, &token);
        assert_eq!(r.status(), expected, "cache {age_hours} h old");
        assert!(!w.outbound.seen.borrow().is_empty(), "a refetch was tried");
    }
}

#[test]
fn an_unknown_kid_refetches_a_cache_older_than_a_minute() {
    // The cache holds only the EC key; the issuer now also publishes the RSA key (rotation).
    let w = world();
    let ec_only = json!({"keys": [jwks()["keys"][1].clone()]});
    juli_calendar::ports::KeyValue::set(
        &w.store,
        &format!("a2a:jwks:{ISSUER}"),
        &json!({"fetched_at": now() - 120, "jwks": ec_only})
            .to_string()
            .into_bytes(),
    )
    .unwrap();
    assert_eq!(bearer(&w, &es256("ec-1", &claims())).status(), 200);
    assert!(w.outbound.seen.borrow().is_empty(), "fresh cache used");
    assert_eq!(
        bearer(&w, &rs256("rsa-1", &claims(), &keys().rsa)).status(),
        200
    );
    assert_eq!(
        w.outbound.seen.borrow().len(),
        2,
        "refetched for the new kid"
    );
}
