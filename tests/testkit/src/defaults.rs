//! Default identities shared by the native harness and the end-to-end tests, so both speak
//! about the same "default user".

/// The default user's Reclaim API key.
pub const RECLAIM_KEY: &str = "rk_test_default_user_5f1d2c3b4a";
/// The default user's Nylas API key.
pub const NYLAS_KEY: &str = "nyk_test_default_user_9e8d7c6b5a";
/// The default user's Nylas grant id.
pub const NYLAS_GRANT: &str = "grant-test-default-user-0001";
/// The default user's email (Reclaim account and Nylas grant; also the primary calendar id).
pub const USER_EMAIL: &str = "pat.user@example.com";
/// The OpenAI key the fake accepts by default.
pub const OPENAI_KEY: &str = "sk-test-openai-key-abcdef0123456789";
/// The approval secret the native harness configures.
pub const APPROVAL_SECRET: &str = "approval-secret-for-tests-0123456789abcdef";

/// A second user, for isolation tests.
pub const OTHER_RECLAIM_KEY: &str = "rk_test_other_user_1a2b3c4d5e";
pub const OTHER_NYLAS_KEY: &str = "nyk_test_other_user_6f7a8b9c0d";
pub const OTHER_NYLAS_GRANT: &str = "grant-test-other-user-0002";
pub const OTHER_USER_EMAIL: &str = "sam.other@example.com";

/// The instant the fakes use as "now" by default: 2026-12-01 09:00 America/New_York.
pub const NOW_RFC3339: &str = "2026-12-01T14:00:00Z";
