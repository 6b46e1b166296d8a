//! Client configuration and the persisted device session: base URLs, timeouts, the
//! [`SessionStore`] trait the app/CLI implement, and the request-log entry type.

use crate::models::session::BrowserSession;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

use crate::requests::Host;

pub(crate) fn now_epoch() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Base URLs and identity of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    pub api_base: url::Url,
    pub vault_base: url::Url,
    /// The merchant-health host; `None` = health is not asked for.
    pub status_base: Option<url::Url>,
    pub app_id: String,
    pub timeout: Duration,
    pub user_agent: String,
}

/// A request's total timeout unless the desk's settings say otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

impl ClientConfig {
    /// Separate api / vault / status hosts (the live service), 30 s timeout.
    pub fn new(
        api_base: url::Url,
        vault_base: url::Url,
        status_base: Option<url::Url>,
        app_id: &str,
    ) -> Self {
        ClientConfig {
            api_base,
            vault_base,
            status_base,
            app_id: app_id.to_string(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
        }
    }

    /// All three hosts on one base (the sandbox serves them all), 30 s timeout.
    pub fn same_host(base: url::Url, app_id: &str) -> Self {
        ClientConfig {
            api_base: base.clone(),
            vault_base: base.clone(),
            status_base: Some(base),
            app_id: app_id.to_string(),
            timeout: DEFAULT_TIMEOUT,
            user_agent: default_user_agent(),
        }
    }

    pub fn base(&self, host: Host) -> Option<&url::Url> {
        match host {
            Host::Api => Some(&self.api_base),
            Host::Vault => Some(&self.vault_base),
            Host::Status => self.status_base.as_ref(),
        }
    }
}

pub fn default_user_agent() -> String {
    format!("FirmlyDesk/{}", env!("CARGO_PKG_VERSION"))
}

/// The device session kept between runs. Debug never shows the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredSession {
    pub access_token: String,
    /// Epoch seconds.
    pub expires: i64,
    pub device_id: String,
}

impl std::fmt::Debug for StoredSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoredSession")
            .field("access_token", &crate::redact::Redacted(&self.access_token))
            .field("expires", &self.expires)
            .field("device_id", &self.device_id)
            .finish()
    }
}

impl From<&BrowserSession> for StoredSession {
    fn from(b: &BrowserSession) -> Self {
        let claims = jwt_claims(&b.access_token);
        let claim = |k: &str| claims.as_ref().and_then(|c| c.get(k).cloned());
        // `expires` is authoritative (C28); the JWT `exp` claim is only a fallback (§3).
        let now = now_epoch();
        // An `expires` already in the past when it arrives (the docs' sample says 2023) is
        // not believable; `expires_in` from now is.
        let expires = if b.expires > now || (b.expires > 0 && b.expires_in <= 0) {
            b.expires
        } else if b.expires_in > 0 {
            now.saturating_add(b.expires_in)
        } else {
            claim("exp")
                .and_then(|v| v.as_i64())
                .unwrap_or_else(|| now.saturating_add(3600))
        };
        let device_id = if b.device_id.is_empty() {
            claim("deviceid")
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        } else {
            b.device_id.clone()
        };
        StoredSession {
            access_token: b.access_token.clone(),
            expires,
            device_id,
        }
    }
}

/// Claims of a JWT without verifying it (the server verifies; we only read `exp`/`deviceid`).
pub fn jwt_claims(token: &str) -> Option<serde_json::Map<String, Value>> {
    use base64::Engine;
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

/// Where the session is persisted (app store, CLI file, memory in tests).
pub trait SessionStore: Send + Sync {
    fn load(&self) -> Option<StoredSession>;
    fn save(&self, session: &StoredSession);
    fn clear(&self);
}

/// In-memory store.
#[derive(Default)]
pub struct MemorySessionStore {
    inner: Mutex<Option<StoredSession>>,
}

impl MemorySessionStore {
    pub fn new() -> Self {
        Self::default()
    }
}

impl SessionStore for MemorySessionStore {
    fn load(&self) -> Option<StoredSession> {
        self.inner.lock().map(|g| g.clone()).unwrap_or_default()
    }
    fn save(&self, session: &StoredSession) {
        if let Ok(mut g) = self.inner.lock() {
            *g = Some(session.clone());
        }
    }
    fn clear(&self) {
        if let Ok(mut g) = self.inner.lock() {
            *g = None;
        }
    }
}

/// One request as seen by the support inspector: never a body, never a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLogEntry {
    pub method: String,
    pub path: String,
    pub status: Option<u16>,
    pub duration_ms: u64,
    pub request_id: Option<String>,
    /// RFC 3339 start time.
    pub at: String,
}
