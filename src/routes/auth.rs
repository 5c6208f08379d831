//! `GET /auth/setup-instructions` and `POST /auth/validate-credentials`.

use serde_json::json;

use crate::api::{json_response, parse_json_object};
use crate::credentials::Credentials;
use crate::ports::{HttpRequest, HttpResponse};
use crate::request_env::RequestEnv;
use crate::upstream::error::scrub;
use crate::upstream::Clients;

pub const SETUP_SUMMARY: &str = "Connect Reclaim.ai with an API key (Reclaim → Settings → Developer → API keys) and your calendar through Nylas with a Nylas API key and the grant id of your connected account. See GET /auth/setup-instructions for the steps.";

pub fn setup_instructions() -> HttpResponse {
    json_response(
        200,
        &json!({
            "service_name": "Reclaim.ai + Nylas",
            "auth_type": "api_key",
            "credentials": [
                {"key": "RECLAIM_API_KEY", "header": "X-User-Credential-RECLAIM_API_KEY", "provider": "reclaim", "used_for": "tasks"},
                {"key": "NYLAS_API_KEY", "header": "X-User-Credential-NYLAS_API_KEY", "provider": "nylas", "used_for": "calendar events"},
                {"key": "NYLAS_GRANT_ID", "header": "X-User-Credential-NYLAS_GRANT_ID", "provider": "nylas", "used_for": "which connected calendar account to use"}
            ],
            "steps": {
                "reclaim": [
                    "Sign in at https://app.reclaim.ai.",
                    "Open Settings → Developer (https://app.reclaim.ai/settings/developer).",
                    "Create an API key and copy it: this is RECLAIM_API_KEY."
                ],
                "nylas": [
                    "Sign in to the Nylas dashboard at https://dashboard-v3.nylas.com and create (or open) an application.",
                    "Open API Keys and create a key: this is NYLAS_API_KEY.",
                    "Connect your calendar account (Google, Microsoft or iCloud) under Grants, or through Nylas hosted authentication.",
                    "Copy the grant id of the connected account: this is NYLAS_GRANT_ID. Use the same calendar account that Reclaim is connected to so tasks and events land on one calendar."
                ],
                "verify": ["POST /auth/validate-credentials with the three values (as headers or JSON body) checks them live."]
            },
            "summary": SETUP_SUMMARY,
        }),
    )
}

/// `POST /auth/validate-credentials`: checks the credentials live (Reclaim
/// `GET /api/users/current` and Nylas `GET /v3/grants/{grant}`, concurrently) and reports
/// validity per provider. Values come from the JSON body (`reclaim_api_key`, `nylas_api_key`,
/// `nylas_grant_id`), which wins over the credential headers; they are never echoed.
pub async fn validate_credentials(request: &HttpRequest, env: &RequestEnv<'_>) -> HttpResponse {
    let body = match parse_json_object(request.body()) {
        Ok(body) => body,
        Err(e) => return e.into_response(),
    };
    let creds = credentials_for_validation(request.headers(), &body);
    let clients = Clients::new(&env.ctx, env.settings, &creds);

    let reclaim_check = async {
        match clients.reclaim() {
            Ok(client) => Some(client.current_user().await),
            Err(_) => None,
        }
    };
    let nylas_check = async {
        match clients.nylas() {
            Ok(client) => Some(client.grant().await),
            Err(_) => None,
        }
    };
    let (reclaim, nylas) = futures::join!(reclaim_check, nylas_check);

    let secrets = creds.values();
    let clean = |text: String| scrub(&text, &secrets);
    let mut warnings: Vec<String> = vec![];

    let mut reclaim_email: Option<String> = None;
    let reclaim_report = match reclaim {
        None => json!({"provided": false, "valid": false}),
        Some(Ok(user)) => {
            reclaim_email = user.scheduling_email().map(str::to_string);
            let mut r = json!({"provided": true, "valid": true});
            if let Some(e) = &user.email {
                r["email"] = json!(e);
            }
            if let Some(e) = &user.calendar_email {
                r["calendar_email"] = json!(e);
            }
            r
        }
        Some(Err(e)) => json!({"provided": true, "valid": false, "error": clean(e.to_string())}),
    };

    let mut nylas_email: Option<String> = None;
    let nylas_missing = creds.missing_nylas();
    let nylas_report = match nylas {
        None if nylas_missing.len() == 2 => json!({"provided": false, "valid": false}),
        None => json!({
            "provided": true,
            "valid": false,
            "missing": nylas_missing,
            "error": format!("Nylas needs both NYLAS_API_KEY and NYLAS_GRANT_ID; {} is missing.", nylas_missing.join(" and ")),
        }),
        Some(Ok(grant)) => {
            let mut r = json!({"provided": true, "valid": grant.is_valid()});
            if let Some(e) = &grant.email {
                r["email"] = json!(e);
            }
            if let Some(p) = &grant.provider {
                r["provider"] = json!(p);
            }
            if let Some(s) = &grant.grant_status {
                r["grant_status"] = json!(s);
            }
            if grant.is_valid() {
                nylas_email = grant.email.clone();
            } else {
                r["error"] = json!("The Nylas grant is no longer valid: reconnect the calendar account in Nylas and use its grant id.");
            }
            r
        }
        Some(Err(e)) if e.is_not_found() => json!({
            "provided": true,
            "valid": false,
            "error": "Nylas does not know this grant id (404). Check NYLAS_GRANT_ID.",
        }),
        Some(Err(e)) => json!({"provided": true, "valid": false, "error": clean(e.to_string())}),
    };

    if let (Some(r), Some(n)) = (&reclaim_email, &nylas_email) {
        if !r.trim().eq_ignore_ascii_case(n.trim()) {
            warnings.push(format!(
                "Reclaim schedules into the calendar of {r}, but the Nylas grant is for {n}: tasks Reclaim schedules will not show up on the calendar this service reads. Connect the same account to both."
            ));
        }
    }
    let provided = [&reclaim_report, &nylas_report]
        .into_iter()
        .filter(|r| r["provided"] == true)
        .collect::<Vec<_>>();
    if provided.is_empty() {
        warnings.push("No credentials were provided: send reclaim_api_key, nylas_api_key and nylas_grant_id in the body or as X-User-Credential-* headers.".into());
    } else if reclaim_report["provided"] == false {
        warnings
            .push("Reclaim is not connected: task features will ask for RECLAIM_API_KEY.".into());
    } else if nylas_report["provided"] == false {
        warnings.push("Nylas is not connected: calendar features will ask for NYLAS_API_KEY and NYLAS_GRANT_ID.".into());
    }
    let valid = !provided.is_empty() && provided.iter().all(|r| r["valid"] == true);

    json_response(
        200,
        &json!({
            "valid": valid,
            "reclaim": reclaim_report,
            "nylas": nylas_report,
            "warnings": warnings,
        }),
    )
}

/// Body values first (they are what the caller asks to check), then the headers.
fn credentials_for_validation(
    headers: &http::HeaderMap,
    body: &serde_json::Map<String, serde_json::Value>,
) -> Credentials {
    let mut creds = Credentials::default();
    creds.fill_from_json(body);
    let from_headers = Credentials::from_headers(headers);
    creds.reclaim_api_key = creds.reclaim_api_key.or(from_headers.reclaim_api_key);
    creds.nylas_api_key = creds.nylas_api_key.or(from_headers.nylas_api_key);
    creds.nylas_grant_id = creds.nylas_grant_id.or(from_headers.nylas_grant_id);
    creds
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use serde_json::{json, Value};

    use crate::ports::{
        Context, FixedClock, HttpRequest, HttpResponse, LocalBoxFuture, LogSink, Outbound, Random,
        TransportError,
    };

    const RK: &str = "rk_live_validate_secret";
    const NK: &str = "nyk_v0_validate_secret";
    const GRANT: &str = "grant-abc-123-def";

    /// Answers by path: Reclaim's current user and Nylas' grant, per scripted status.
    struct Upstreams {
        reclaim: (u16, Value),
        nylas: (u16, Value),
        seen: RefCell<Vec<(String, String)>>,
    }

    impl Outbound for Upstreams {
        fn send(
            &self,
            request: HttpRequest,
        ) -> LocalBoxFuture<'_, Result<HttpResponse, TransportError>> {
            let path = request.uri().path().to_string();
            let auth = request
                .headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            self.seen.borrow_mut().push((path.clone(), auth));
            let (status, body) = if path == "/api/users/current" {
                self.reclaim.clone()
            } else if path.starts_with("/v3/grants/") {
                self.nylas.clone()
            } else {
                (599, json!({}))
            };
            let resp = http::Response::builder()
                .status(status)
                .body(serde_json::to_vec(&body).unwrap())
                .unwrap();
            Box::pin(async move { Ok(resp) })
        }
    }

    struct Zero;
    impl Random for Zero {
        fn fill(&self, buf: &mut [u8]) {
            buf.fill(0);
        }
    }
    #[derive(Default)]
    struct Lines(RefCell<Vec<String>>);
    impl LogSink for Lines {
        fn line(&self, line: &str) {
            self.0.borrow_mut().push(line.to_string());
        }
    }

    fn user(email: &str, calendar: &str) -> Value {
        json!({"id": "u1", "email": email, "name": "Pat", "edition": "FREE", "editionUsage": "FREE",
               "primaryCalendar": {"id": 1, "timezone": "UTC", "calendarId": "c", "lastSynced": "2026-11-30T10:00:00Z",
                                   "credentialId": 3, "credentialEmail": calendar}})
    }

    fn grant(email: &str, status: &str) -> Value {
        json!({"request_id": "r", "data": {"id": GRANT, "provider": "google", "grant_status": status, "email": email}})
    }

    fn run(
        upstreams: &Upstreams,
        headers: &[(&str, &str)],
        body: &str,
    ) -> (u16, Value, Vec<String>) {
        let config: HashMap<String, String> = HashMap::new();
        let clock = FixedClock(chrono::DateTime::from_timestamp(1_796_083_200, 0).unwrap());
        let log = Lines::default();
        let ctx = Context {
            outbound: upstreams,
            config: &config,
            store: None,
            clock: &clock,
            random: &Zero,
            log: &log,
        };
        let mut builder = http::Request::builder()
            .method("POST")
            .uri("/auth/validate-credentials")
            .header("content-type", "application/json");
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(body.as_bytes().to_vec()).unwrap();
        let response = futures::executor::block_on(crate::app::handle(request, ctx));
        let status = response.status().as_u16();
        let text = String::from_utf8(response.body().clone()).unwrap();
        for secret in [RK, NK, GRANT] {
            assert!(!text.contains(secret), "credential echoed: {text}");
            for line in log.0.borrow().iter() {
                assert!(!line.contains(secret), "credential logged: {line}");
            }
        }
        let lines = log.0.borrow().clone();
        (status, serde_json::from_str(&text).unwrap(), lines)
    }

    fn upstreams(reclaim: (u16, Value), nylas: (u16, Value)) -> Upstreams {
        Upstreams {
            reclaim,
            nylas,
            seen: RefCell::new(vec![]),
        }
    }

    #[test]
    fn all_valid_from_the_body_with_matching_emails() {
        let up = upstreams(
            (200, user("pat@example.com", "Pat@Example.com")),
            (200, grant("pat@example.com", "valid")),
        );
        let body = json!({"reclaim_api_key": RK, "nylas_api_key": NK, "nylas_grant_id": GRANT})
            .to_string();
        let (status, v, _) = run(&up, &[], &body);
        assert_eq!(status, 200);
        assert_eq!(v["valid"], true);
        assert_eq!(
            v["reclaim"],
            json!({"provided": true, "valid": true, "email": "pat@example.com", "calendar_email": "Pat@Example.com"})
        );
        assert_eq!(v["nylas"]["valid"], true);
        assert_eq!(v["nylas"]["email"], "pat@example.com");
        assert_eq!(v["warnings"], json!([]));
        let seen = up.seen.borrow();
        assert!(seen.contains(&("/api/users/current".into(), format!("Bearer {RK}"))));
        assert!(seen.contains(&(format!("/v3/grants/{GRANT}"), format!("Bearer {NK}"))));
    }

    #[test]
    fn email_mismatch_is_a_warning() {
        let up = upstreams(
            (200, user("pat@example.com", "pat@work.example")),
            (200, grant("pat@personal.example", "valid")),
        );
        let (_, v, _) = run(
            &up,
            &[
                ("x-user-credential-reclaim-api-key", RK),
                ("X-User-Credential-NYLAS_API_KEY", NK),
                ("x-nylas-grant", GRANT),
            ],
            "",
        );
        assert_eq!(v["valid"], true);
        let w = v["warnings"][0].as_str().unwrap();
        assert!(
            w.contains("pat@work.example") && w.contains("pat@personal.example"),
            "{w}"
        );
    }

    #[test]
    fn rejected_keys_are_reported_per_provider() {
        let up = upstreams(
            (401, json!({"message": "Unauthorized"})),
            (
                404,
                json!({"request_id": "r", "error": {"type": "not_found_error", "message": format!("grant {GRANT} not found")}}),
            ),
        );
        let body = json!({"reclaim_api_key": RK, "nylas_api_key": NK, "nylas_grant_id": GRANT})
            .to_string();
        let (status, v, _) = run(&up, &[], &body);
        assert_eq!(status, 200);
        assert_eq!(v["valid"], false);
        assert_eq!(v["reclaim"]["valid"], false);
        assert!(v["reclaim"]["error"]
            .as_str()
            .unwrap()
            .starts_with("Reclaim rejected the API key (401)"));
        assert_eq!(v["nylas"]["valid"], false);
        assert!(v["nylas"]["error"]
            .as_str()
            .unwrap()
            .contains("NYLAS_GRANT_ID"));
    }

    #[test]
    fn partial_nylas_and_invalid_grant() {
        let up = upstreams(
            (200, user("a@b.example", "a@b.example")),
            (200, grant("a@b.example", "invalid")),
        );
        let (_, v, _) = run(&up, &[("x-reclaim-key", RK), ("x-nylas-key", NK)], "{}");
        assert_eq!(v["reclaim"]["valid"], true);
        assert_eq!(v["nylas"]["provided"], true);
        assert_eq!(v["nylas"]["missing"], json!(["NYLAS_GRANT_ID"]));
        assert_eq!(v["valid"], false);
        assert_eq!(
            up.seen.borrow().len(),
            1,
            "no Nylas call without a grant id"
        );

        let (_, v, _) = run(
            &up,
            &[],
            &json!({"nylas_api_key": NK, "nylas_grant_id": GRANT}).to_string(),
        );
        assert_eq!(v["nylas"]["valid"], false);
        assert_eq!(v["nylas"]["grant_status"], "invalid");
        assert_eq!(v["reclaim"]["provided"], false);
        assert!(v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("Reclaim is not connected"));
    }

    #[test]
    fn body_values_win_over_headers() {
        let up = upstreams(
            (200, user("a@b.example", "a@b.example")),
            (200, grant("a@b.example", "valid")),
        );
        run(
            &up,
            &[("x-reclaim-key", "rk_header_value_1234")],
            &json!({"reclaim_api_key": RK}).to_string(),
        );
        assert_eq!(up.seen.borrow()[0].1, format!("Bearer {RK}"));
    }

    #[test]
    fn nothing_provided_is_not_valid() {
        let up = upstreams((200, json!({})), (200, json!({})));
        let (status, v, _) = run(&up, &[], "");
        assert_eq!(status, 200);
        assert_eq!(v["valid"], false);
        assert!(up.seen.borrow().is_empty());
        assert!(v["warnings"][0]
            .as_str()
            .unwrap()
            .contains("No credentials"));
    }

    #[test]
    fn invalid_json_is_400() {
        let up = upstreams((200, json!({})), (200, json!({})));
        let (status, v, _) = run(&up, &[], "{not json");
        assert_eq!(status, 400);
        assert_eq!(v["error"], "Invalid JSON in request body");
    }

    #[test]
    fn upstream_outage_is_reported_without_secrets() {
        let up = upstreams(
            (503, json!({"message": format!("down for {RK}")})),
            (
                400,
                json!({"request_id": "r", "error": {"type": "invalid_request_error", "message": format!("bad key {NK} for {GRANT}")}}),
            ),
        );
        let body = json!({"reclaim_api_key": RK, "nylas_api_key": NK, "nylas_grant_id": GRANT})
            .to_string();
        let (_, v, _) = run(&up, &[], &body);
        assert!(v["reclaim"]["error"]
            .as_str()
            .unwrap()
            .contains("temporarily unavailable"));
        assert!(v["nylas"]["error"]
            .as_str()
            .unwrap()
            .contains("Nylas rejected the request (400)"));
        assert_eq!(
            up.seen
                .borrow()
                .iter()
                .filter(|(p, _)| p == "/api/users/current")
                .count(),
            3
        );
    }
}
