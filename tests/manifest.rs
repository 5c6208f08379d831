//! The deployment files agree with the code: `spin.toml` declares every Spin variable the
//! component reads (none required, secrets marked), wires each into the component, allows the
//! production upstream hosts, grants the `default` key-value store and points at the artifact
//! `cargo build --target wasm32-wasip1 --release` produces.

use juli_calendar::config::{
    DEFAULT_NYLAS_BASE_URL, DEFAULT_OPENAI_BASE_URL, DEFAULT_RECLAIM_BASE_URL,
};

const VARIABLES: [&str; 19] = [
    "openai_api_key",
    "openai_model",
    "openai_base_url",
    "openai_reasoning_effort",
    "rules_interpreter",
    "reclaim_base_url",
    "nylas_base_url",
    "approval_secret",
    "default_timezone",
    "date_order",
    "debug_endpoints",
    "allowed_origins",
    "a2a_dev_secret",
    "a2a_issuers",
    "a2a_audiences",
    "model_calls_per_hour",
    "model_calls_per_day",
    "caller_token_hashes",
    "outbound_timeout_scale",
];
const SECRETS: [&str; 3] = ["openai_api_key", "approval_secret", "a2a_dev_secret"];

fn manifest() -> toml::Table {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/spin.toml")).unwrap();
    text.parse().expect("spin.toml is valid TOML")
}

fn origin(url: &str) -> String {
    let uri: http::Uri = url.parse().unwrap();
    format!(
        "{}://{}",
        uri.scheme_str().unwrap(),
        uri.authority().unwrap()
    )
}

#[test]
fn every_variable_is_declared_with_a_default_and_secrets_are_marked() {
    let m = manifest();
    assert_eq!(m["spin_manifest_version"].as_integer(), Some(2));
    let vars = m["variables"].as_table().unwrap();
    for name in VARIABLES {
        let v = vars
            .get(name)
            .unwrap_or_else(|| panic!("variable {name} is not declared"))
            .as_table()
            .unwrap();
        assert!(
            v.get("required").is_none_or(|r| r.as_bool() == Some(false)),
            "{name} must not be required: zero-config `spin up`"
        );
        assert!(v.get("default").is_some(), "{name} needs a default");
        assert_eq!(
            v.get("secret").and_then(|s| s.as_bool()).unwrap_or(false),
            SECRETS.contains(&name),
            "secret flag of {name}"
        );
    }
    assert_eq!(vars.len(), VARIABLES.len(), "no undocumented variables");
}

#[test]
fn the_component_gets_every_variable_the_hosts_and_the_store() {
    let m = manifest();
    let component = &m["component"]["juli-calendar"];
    let wired = component["variables"].as_table().unwrap();
    for name in VARIABLES {
        assert_eq!(
            wired[name].as_str(),
            Some(format!("{{{{ {name} }}}}").as_str()),
            "{name} is wired"
        );
    }
    let hosts: Vec<&str> = component["allowed_outbound_hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap())
        .collect();
    for base in [
        DEFAULT_OPENAI_BASE_URL,
        DEFAULT_RECLAIM_BASE_URL,
        DEFAULT_NYLAS_BASE_URL,
        "https://api.eu.nylas.com",
    ] {
        assert!(
            hosts.contains(&origin(base).as_str()),
            "{base} is not allowed"
        );
    }
    assert!(
        hosts.iter().all(|h| !h.contains("{{")),
        "literal hosts only (Fermyon Cloud)"
    );
    let stores: Vec<&str> = component["key_value_stores"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(stores, ["default"]);
    assert_eq!(
        component["source"].as_str(),
        Some("target/wasm32-wasip1/release/juli_calendar.wasm")
    );
    assert_eq!(
        component["build"]["command"].as_str(),
        Some("cargo build --target wasm32-wasip1 --release")
    );
    assert_eq!(m["trigger"]["http"][0]["route"].as_str(), Some("/..."));
}

#[test]
fn runtime_config_has_the_default_store_and_env_example_the_live_keys() {
    let rc: toml::Table =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/runtime-config.toml"))
            .unwrap()
            .parse()
            .unwrap();
    assert!(rc["key_value_store"]["default"]["type"].as_str().is_some());
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.env.test.example")).unwrap();
    for key in [
        "OPENAI_API_KEY",
        "RECLAIM_API_KEY",
        "NYLAS_API_KEY",
        "NYLAS_GRANT_ID",
        "TEST_USER_TIMEZONE",
    ] {
        assert!(
            example.lines().any(|l| l.starts_with(&format!("{key}="))),
            "{key} missing from .env.test.example"
        );
    }
}
