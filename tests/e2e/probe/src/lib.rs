//! A probe component for testing the e2e host itself (built only for `wasm32-wasip1`).
//!
//! - `GET /var/{name}`: the Spin variable, or 404 with the error
//! - `GET /kv/{key}` / `PUT /kv/{key}`: the `default` store; `GET /kv-open/{label}` opens a store
//! - `POST /fetch` (body = URL): GET it; 200 `{"status","body"}` or 502 `{"error"}`
//! - `GET /headers`: the request headers as JSON
//! - `GET /log`: writes a line to stderr
//! - `GET /panic`, `GET /spin-forever`: a guest panic (a trap) and a guest that never ends

#[cfg(target_arch = "wasm32")]
mod probe {
    use spin_sdk::http::IntoResponse;
    use spin_sdk::http_component;

    fn reply(status: u16, body: String) -> http::Response<Vec<u8>> {
        http::Response::builder()
            .status(status)
            .header("content-type", "application/json")
            .body(body.into_bytes())
            .unwrap()
    }

    fn json_string(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[http_component]
    async fn handle(request: http::Request<Vec<u8>>) -> impl IntoResponse {
        let path = request.uri().path().to_string();
        let method = request.method().clone();
        if let Some(name) = path.strip_prefix("/var/") {
            return match spin_sdk::variables::get(name) {
                Ok(v) => reply(200, json_string(&v)),
                Err(e) => reply(404, json_string(&format!("{e:?}"))),
            };
        }
        if let Some(label) = path.strip_prefix("/kv-open/") {
            return match spin_sdk::key_value::Store::open(label) {
                Ok(_) => reply(200, "true".into()),
                Err(e) => reply(404, json_string(&format!("{e:?}"))),
            };
        }
        if let Some(key) = path.strip_prefix("/kv/") {
            let store = spin_sdk::key_value::Store::open_default().unwrap();
            if method == http::Method::PUT {
                store.set(key, request.body()).unwrap();
                return reply(204, String::new());
            }
            return match store.get(key).unwrap() {
                Some(v) => reply(200, json_string(&String::from_utf8_lossy(&v))),
                None => reply(404, "null".into()),
            };
        }
        match path.as_str() {
            "/fetch" => {
                let url = String::from_utf8_lossy(request.body()).trim().to_string();
                let outbound = http::Request::builder()
                    .method("GET")
                    .uri(&url)
                    .body(Vec::new())
                    .unwrap();
                let result: Result<http::Response<Vec<u8>>, spin_sdk::http::SendError> =
                    spin_sdk::http::send(outbound).await;
                match result {
                    Ok(r) => reply(
                        200,
                        format!(
                            "{{\"status\":{},\"body\":{}}}",
                            r.status().as_u16(),
                            json_string(&String::from_utf8_lossy(r.body()))
                        ),
                    ),
                    Err(e) => reply(
                        502,
                        format!("{{\"error\":{}}}", json_string(&format!("{e:?}"))),
                    ),
                }
            }
            "/headers" => {
                let fields: Vec<String> = request
                    .headers()
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}:{}",
                            json_string(k.as_str()),
                            json_string(v.to_str().unwrap_or(""))
                        )
                    })
                    .collect();
                reply(200, format!("{{{}}}", fields.join(",")))
            }
            "/log" => {
                eprintln!("{{\"probe\":\"log line\"}}");
                reply(200, "true".into())
            }
            "/panic" => panic!("probe panic on purpose"),
            "/spin-forever" => {
                let mut x: u64 = 0;
                loop {
                    x = std::hint::black_box(x.wrapping_add(1));
                }
            }
            _ => reply(404, "\"no such probe route\"".into()),
        }
    }
}
