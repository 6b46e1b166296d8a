//! Support-desk tools: the request log, the raw cart JSON, session transfer and snapshots
//! that resume a customer's case on another desk. Refused on a kiosk whatever the UI shows.

use firmly_api::ApiError;

use super::{CheckoutService, Result};
use crate::view::*;

impl CheckoutService {
    pub fn request_log(&self) -> Result<Vec<RequestLogView>> {
        self.refuse_on_kiosk("The request log")?;
        Ok(self
            .client
            .request_log()
            .into_iter()
            .map(|e| RequestLogView {
                method: e.method,
                path: e.path,
                status: e.status,
                duration_ms: u32::try_from(e.duration_ms).unwrap_or(u32::MAX),
                request_id: e.request_id,
                at: e.at,
            })
            .collect())
    }

    /// The raw JSON of the last cart read for `domain`, pretty-printed, for the inspector.
    pub fn raw_cart(&self, domain: &str) -> Result<Option<String>> {
        self.refuse_on_kiosk("The raw cart JSON")?;
        let domain = self.domain(domain)?;
        Ok(self
            .cached_raw(&domain)
            .and_then(|r| r.pretty())
            .map(|p| p.to_string()))
    }

    /// A support snapshot of the device session and every known cart, as JSON text. With
    /// `redact`, names, contact details and street addresses are replaced in the carts.
    pub async fn export_snapshot(&self, redact: bool) -> Result<String> {
        self.refuse_on_kiosk("Snapshot export")?;
        let session = self.client.ensure_session().await?;
        let hive = self.hive().await?;
        let carts = hive
            .carts
            .iter()
            .filter_map(|c| {
                let raw = self.cached_cart(&c.domain).map(|c| c.raw.to_value())?;
                let raw = if redact {
                    crate::snapshot::redact_personal(raw)
                } else {
                    raw
                };
                Some((c.domain.clone(), raw))
            })
            .collect();
        let snap = crate::snapshot::Snapshot {
            format: crate::snapshot::FORMAT.to_string(),
            exported_at: chrono::Utc::now().to_rfc3339(),
            api_base: self.client.config().api_base.to_string(),
            device_id: session.device_id,
            access_token: session.access_token,
            expires: session.expires,
            known_domains: self.persistence.session().known_domains,
            carts,
            redacted: redact,
        };
        self.audit(
            None,
            "export_snapshot",
            if redact { "redacted" } else { "ok" },
        );
        serde_json::to_string_pretty(&snap).map_err(|e| ApiError::internal(e.to_string()))
    }

    /// Resumes a case from a snapshot: its device session becomes this desk's.
    pub async fn import_snapshot(&self, text: &str) -> Result<HiveView> {
        self.refuse_on_kiosk("Snapshot import")?;
        let api = self.client.config().api_base.to_string();
        let snap = crate::snapshot::Snapshot::parse(text, &api)?;
        self.orders.quiesce().await;
        self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.hive.lock().clear();
        self.load_errors.lock().clear();
        self.consents.lock().clear();
        self.client.adopt_session(snap.session()).await;
        let domains: Vec<String> = snap
            .known_domains
            .iter()
            .filter(|d| crate::validation::check_domain(d).is_ok())
            .cloned()
            .collect();
        self.persistence
            .update_session(|s| s.known_domains = domains);
        self.audit(None, "import_snapshot", "ok");
        self.hive().await
    }

    pub async fn transfer_session(
        &self,
        domain: &str,
        handle: &str,
        cookies: Vec<String>,
    ) -> Result<CartView> {
        let handle = handle.trim();
        let handle_value = if handle.starts_with('{') {
            serde_json::from_str(handle).map_err(|e| {
                ApiError::field("handle", format!("The handle is not valid JSON: {e}"))
            })?
        } else {
            serde_json::Value::String(handle.to_string())
        };
        let cookies: Vec<String> = cookies
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let view = self
            .mutate(domain, |c, d| async move {
                c.session_transfer(&d, handle_value, &cookies).await
            })
            .await;
        self.audit(Some(domain), "transfer_session", super::outcome_of(&view));
        view?;
        // The transfer answers in the simplified cart shape (`000_03e4b5113d1b58ff.txt:215`);
        // the full cart follows.
        self.cart(domain).await
    }
}
