//! Typed settings read from Spin variables (PRODUCT §6), with their defaults.

use crate::domain::time::DateOrder;
use crate::domain::timezone::TimeZone;
use crate::ports::ConfigSource;

pub const DEFAULT_OPENAI_MODEL: &str = "gpt-5-mini";
pub const DEFAULT_OPENAI_BASE_URL: &str = "https://api.openai.com/v1";
pub const DEFAULT_RECLAIM_BASE_URL: &str = "https://api.app.reclaim.ai";
pub const DEFAULT_NYLAS_BASE_URL: &str = "https://api.us.nylas.com";
pub const DEFAULT_A2A_ISSUERS: &str = "https://auth.juli-ai.com";
pub const DEFAULT_A2A_AUDIENCES: &str = "juli-calendar";
pub const DEFAULT_MODEL_CALLS_PER_HOUR: u32 = 60;
pub const DEFAULT_MODEL_CALLS_PER_DAY: u32 = 500;

/// A secret configuration value. Its `Debug` never shows the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(String);

impl SecretString {
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(value.into())
    }
    /// The value, for the one place that must send it (an `Authorization` header, an HMAC key).
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretString(***)")
    }
}

/// Every Spin variable the component reads, parsed once per request.
#[derive(Debug, Clone)]
pub struct Settings {
    pub openai_api_key: Option<SecretString>,
    pub openai_model: String,
    pub openai_base_url: String,
    /// `reasoning.effort` sent to reasoning models; `None` = the lowest the model accepts.
    pub openai_reasoning_effort: Option<String>,
    /// `false` sends every natural-language request to the model (`rules_interpreter=off`).
    pub rules_interpreter: bool,
    pub reclaim_base_url: String,
    pub nylas_base_url: String,
    pub approval_secret: Option<SecretString>,
    pub default_timezone: TimeZone,
    /// How all-numeric dates ("3/4") are read unless a request says otherwise:
    /// `date_order` = "mdy" (default, US) or "dmy".
    pub date_order: DateOrder,
    pub debug_endpoints: bool,
    pub allowed_origins: Vec<String>,
    pub a2a_dev_secret: Option<SecretString>,
    pub a2a_issuers: Vec<String>,
    pub a2a_audiences: Vec<String>,
    /// Model calls per user per clock hour (0 = unlimited).
    pub model_calls_per_hour: u32,
    /// Model calls per user per UTC day (0 = unlimited).
    pub model_calls_per_day: u32,
    /// SHA-256 digests of the accepted caller bearer tokens. `None` (variable unset): caller
    /// authentication is off. Set but with no valid digest: nobody is let in (fail closed).
    pub caller_token_hashes: Option<Vec<[u8; 32]>>,
    /// Multiplies every outbound timeout and the request time budget
    /// (`crate::time_budget`); 1 = the documented figures. Tests shorten them with it.
    pub outbound_timeout_scale: f64,
}

impl Settings {
    pub fn from_source(source: &dyn ConfigSource) -> Settings {
        let get = |name: &str| {
            source
                .get(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let url = |name: &str, default: &str| {
            get(name)
                .unwrap_or_else(|| default.to_string())
                .trim_end_matches('/')
                .to_string()
        };
        Settings {
            openai_api_key: get("openai_api_key").map(SecretString::new),
            openai_model: get("openai_model").unwrap_or_else(|| DEFAULT_OPENAI_MODEL.to_string()),
            openai_base_url: url("openai_base_url", DEFAULT_OPENAI_BASE_URL),
            openai_reasoning_effort: get("openai_reasoning_effort")
                .map(|v| v.to_ascii_lowercase())
                .filter(|v| REASONING_EFFORTS.contains(&v.as_str())),
            rules_interpreter: get("rules_interpreter")
                .map(|v| {
                    !matches!(
                        v.to_ascii_lowercase().as_str(),
                        "off" | "false" | "0" | "no"
                    )
                })
                .unwrap_or(true),
            reclaim_base_url: url("reclaim_base_url", DEFAULT_RECLAIM_BASE_URL),
            nylas_base_url: url("nylas_base_url", DEFAULT_NYLAS_BASE_URL),
            approval_secret: get("approval_secret").map(SecretString::new),
            default_timezone: get("default_timezone")
                .and_then(|tz| TimeZone::parse(&tz).ok())
                .unwrap_or_default(),
            date_order: get("date_order")
                .and_then(|v| DateOrder::parse(&v))
                .unwrap_or_default(),
            debug_endpoints: get("debug_endpoints")
                .map(|v| matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes" | "on"))
                .unwrap_or(false),
            allowed_origins: list(get("allowed_origins").as_deref().unwrap_or("")),
            a2a_dev_secret: get("a2a_dev_secret").map(SecretString::new),
            a2a_issuers: list(get("a2a_issuers").as_deref().unwrap_or(DEFAULT_A2A_ISSUERS)),
            a2a_audiences: list(
                get("a2a_audiences")
                    .as_deref()
                    .unwrap_or(DEFAULT_A2A_AUDIENCES),
            ),
            model_calls_per_hour: get("model_calls_per_hour")
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_MODEL_CALLS_PER_HOUR),
            model_calls_per_day: get("model_calls_per_day")
                .and_then(|v| v.parse().ok())
                .unwrap_or(DEFAULT_MODEL_CALLS_PER_DAY),
            caller_token_hashes: get("caller_token_hashes")
                .map(|raw| list(&raw).iter().filter_map(|h| sha256_hex(h)).collect()),
            outbound_timeout_scale: get("outbound_timeout_scale")
                .and_then(|v| v.parse::<f64>().ok())
                .filter(|v| crate::time_budget::SCALE_RANGE.contains(v))
                .unwrap_or(1.0),
        }
    }
}

/// A 64-digit hex SHA-256 digest (any case); anything else is ignored.
fn sha256_hex(text: &str) -> Option<[u8; 32]> {
    let text = text.trim();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The `reasoning.effort` values of the OpenAI spec (`ReasoningEffort`).
pub const REASONING_EFFORTS: [&str; 7] =
    ["none", "minimal", "low", "medium", "high", "xhigh", "max"];

impl Settings {
    /// The `reasoning.effort` to send: only for reasoning models (gpt-5*, o1/o3/o4*), the
    /// configured one or else the lowest the model accepts ("minimal" for gpt-5, gpt-5-mini
    /// and gpt-5-nano; "none" for gpt-5.1 and later; "low" for the o-series).
    pub fn reasoning_effort(&self) -> Option<&str> {
        let lowest = lowest_reasoning_effort(&self.openai_model)?;
        Some(self.openai_reasoning_effort.as_deref().unwrap_or(lowest))
    }

    /// The `max_output_tokens` bound of a structured-output call (reasoning tokens count):
    /// a few hundred tokens of JSON plus room for the configured effort.
    pub fn max_output_tokens(&self) -> u32 {
        match self.reasoning_effort() {
            None | Some("none" | "minimal") => 1_500,
            Some("low") => 3_000,
            Some("medium") => 6_000,
            Some(_) => 12_000,
        }
    }
}

/// The lowest reasoning effort a model accepts; `None` for models that do not reason.
pub fn lowest_reasoning_effort(model: &str) -> Option<&'static str> {
    let m = model.trim().to_ascii_lowercase();
    if m.starts_with("gpt-5-pro") {
        Some("high")
    } else if m.starts_with("gpt-5.") {
        Some("none")
    } else if m.starts_with("gpt-5") {
        Some("minimal")
    } else if ["o1", "o3", "o4"].iter().any(|p| m.starts_with(p)) {
        Some("low")
    } else {
        None
    }
}

fn list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(|s| s.trim().trim_end_matches('/').to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn defaults_apply_with_no_variables() {
        let s = Settings::from_source(&HashMap::new());
        assert!(s.openai_api_key.is_none());
        assert_eq!(s.openai_model, "gpt-5-mini");
        assert_eq!(s.reclaim_base_url, "https://api.app.reclaim.ai");
        assert_eq!(s.nylas_base_url, "https://api.us.nylas.com");
        assert_eq!(s.default_timezone.name(), "UTC");
        assert!(!s.debug_endpoints);
        assert!(s.allowed_origins.is_empty());
        assert_eq!(s.a2a_audiences, vec!["juli-calendar"]);
        assert_eq!(s.model_calls_per_hour, 60);
        assert_eq!(s.model_calls_per_day, 500);
        assert!(s.caller_token_hashes.is_none());
        assert_eq!(s.outbound_timeout_scale, 1.0);
    }

    #[test]
    fn the_timeout_scale_is_read_within_its_range() {
        let scale = |v: &str| {
            let map: HashMap<String, String> =
                [("outbound_timeout_scale".to_string(), v.to_string())].into();
            Settings::from_source(&map).outbound_timeout_scale
        };
        assert_eq!(scale("0.1"), 0.1);
        assert_eq!(scale(" 2 "), 2.0);
        for odd in ["0", "-1", "100", "NaN", "fast"] {
            assert_eq!(scale(odd), 1.0, "{odd}");
        }
    }

    #[test]
    fn budget_and_caller_hashes_are_parsed() {
        let hash = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
        let map: HashMap<String, String> = [
            ("model_calls_per_hour", "0"),
            ("model_calls_per_day", "oops"),
            ("caller_token_hashes", &format!("{hash}, not-a-hash ,")[..]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = Settings::from_source(&map);
        assert_eq!(s.model_calls_per_hour, 0);
        assert_eq!(s.model_calls_per_day, 500);
        let hashes = s.caller_token_hashes.unwrap();
        assert_eq!(hashes.len(), 1);
        assert_eq!(hashes[0][0], 0x9f);
        assert_eq!(hashes[0][31], 0x08);
        let broken: HashMap<String, String> =
            [("caller_token_hashes".to_string(), "typo".to_string())].into();
        assert_eq!(
            Settings::from_source(&broken).caller_token_hashes,
            Some(vec![])
        );
    }

    #[test]
    fn values_are_trimmed_and_parsed() {
        let map: HashMap<String, String> = [
            ("nylas_base_url", "https://api.eu.nylas.com/"),
            ("debug_endpoints", "TRUE"),
            ("default_timezone", "Europe/Berlin"),
            ("allowed_origins", "https://a.example, https://b.example/"),
            ("openai_api_key", "  "),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let s = Settings::from_source(&map);
        assert_eq!(s.nylas_base_url, "https://api.eu.nylas.com");
        assert!(s.debug_endpoints);
        assert_eq!(s.default_timezone.name(), "Europe/Berlin");
        assert_eq!(
            s.allowed_origins,
            vec!["https://a.example", "https://b.example"]
        );
        assert!(s.openai_api_key.is_none());
    }

    #[test]
    fn reasoning_effort_goes_only_to_reasoning_models_and_defaults_to_the_lowest() {
        let with = |pairs: &[(&str, &str)]| {
            let map: HashMap<String, String> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            Settings::from_source(&map)
        };
        let s = with(&[]);
        assert_eq!(s.reasoning_effort(), Some("minimal"));
        assert_eq!(s.max_output_tokens(), 1_500);
        assert!(s.rules_interpreter);
        assert_eq!(
            with(&[("openai_model", "gpt-5.1")]).reasoning_effort(),
            Some("none")
        );
        assert_eq!(
            with(&[("openai_model", "o4-mini")]).reasoning_effort(),
            Some("low")
        );
        assert_eq!(
            with(&[
                ("openai_model", "gpt-4.1-mini"),
                ("openai_reasoning_effort", "low")
            ])
            .reasoning_effort(),
            None
        );
        let s = with(&[
            ("openai_reasoning_effort", "Medium"),
            ("rules_interpreter", "off"),
        ]);
        assert_eq!(s.reasoning_effort(), Some("medium"));
        assert_eq!(s.max_output_tokens(), 6_000);
        assert!(!s.rules_interpreter);
        assert_eq!(
            with(&[("openai_reasoning_effort", "extreme")]).reasoning_effort(),
            Some("minimal")
        );
    }

    #[test]
    fn secret_debug_hides_value() {
        let s = SecretString::new("sk-very-secret");
        assert!(!format!("{s:?}").contains("very"));
    }
}
