//! An email address that is syntactically plausible. Names are never turned into addresses.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<EmailAddress, String> {
        let s = raw.trim().trim_matches(|c| c == '<' || c == '>').trim();
        let valid = s.len() <= 254
            && !s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, ',' | ';' | '"' | '<' | '>')
            })
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                        && domain
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
                }
                None => false,
            };
        if valid {
            Ok(EmailAddress(s.to_ascii_lowercase()))
        } else {
            Err(format!(
                "'{}' is not an email address",
                s.chars().take(80).collect::<String>()
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_addresses() {
        assert_eq!(
            EmailAddress::parse(" Sarah@Acme.com ").unwrap().as_str(),
            "sarah@acme.com"
        );
        assert!(EmailAddress::parse("<a.b+c@sub.example.org>").is_ok());
    }

    #[test]
    fn rejects_names_and_junk() {
        for bad in [
            "Sarah",
            "sarah@",
            "@acme.com",
            "sarah@acme",
            "a b@c.com",
            "a@b..com",
            "a@@b.com",
            "x@y.com\r\nBcc: z@w.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }
}
