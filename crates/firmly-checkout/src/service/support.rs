//! Support-desk tools: the request log, the raw cart JSON, session transfer and snapshots
//! that resume a customer's case on another desk. Refused on a kiosk whatever the UI shows.

use crate::domain::Domain;
use firmly_api::ApiError;
use firmly_api::Field;

use super::{CheckoutService, Result};
use crate::view::*;

impl CheckoutService {
    pub fn request_log(&self) -> Result<Vec<RequestLogView>> {
        self.refuse_on_kiosk("The request log")?;
        Ok(self
            .client()
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
    pub fn raw_cart(&self, domain: &Domain) -> Result<Option<String>> {
        self.refuse_on_kiosk("The raw cart JSON")?;
        let domain = domain.clone();
        Ok(self
            .customer()
            .cart(&domain)
            .and_then(|c| c.raw.pretty())
            .map(|p| p.to_string()))
    }

    /// A support snapshot of the device session and every known cart, as JSON text. With
    /// `redact`, it holds no device session and no merchant cookies, and names, contact
    /// details and street addresses are replaced in the carts: it can be read, not resumed.
    pub async fn export_snapshot(&self, redact: bool) -> Result<String> {
        self.refuse_on_kiosk("Snapshot export")?;
        let customer = self.customer();
        let session = customer.client.ensure_session().await?;
        self.hive().await?;
        let carts = customer
            .carts()
            .into_iter()
            .map(|(domain, cart)| {
                let raw = cart.raw.to_value();
                let raw = if redact {
                    crate::snapshot::redact_personal(raw)
                } else {
                    raw
                };
                (domain, raw)
            })
            .collect();
        let (device_id, access_token, expires) = if redact {
            (String::new(), String::new(), 0)
        } else {
            (session.device_id, session.access_token, session.expires)
        };
        let snap = crate::snapshot::Snapshot {
            format: crate::snapshot::FORMAT.to_string(),
            exported_at: chrono::Utc::now().to_rfc3339(),
            api_base: self.config.api_base.to_string(),
            device_id,
            access_token,
            expires,
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

    /// Opens a snapshot. A full one resumes the case: its device session becomes a new
    /// customer of this desk. A redacted one holds no session: its carts are shown
    /// read-only, as they were at export, and the desk's customer is left as it is.
    pub async fn import_snapshot(&self, text: &str) -> Result<SnapshotImport> {
        self.refuse_on_kiosk("Snapshot import")?;
        let snap = crate::snapshot::Snapshot::parse(text, self.config.api_base.as_str())?;
        let Some(session) = snap.session() else {
            self.audit(None, "import_snapshot", "read_only");
            return Ok(SnapshotImport {
                read_only: true,
                exported_at: snap.exported_at.clone(),
                hive: self.snapshot_carts(&snap),
            });
        };
        let customer = self.replace_customer()?;
        customer.client.adopt_session(session).await;
        self.persistence
            .update_session(|s| s.known_domains = snap.known_domains.clone());
        self.audit(None, "import_snapshot", "ok");
        Ok(SnapshotImport {
            read_only: false,
            exported_at: snap.exported_at.clone(),
            hive: self.hive().await?,
        })
    }

    /// A snapshot's carts as they were at export, for reading only.
    fn snapshot_carts(&self, snap: &crate::snapshot::Snapshot) -> HiveView {
        let customer = self.customer();
        let mut carts = Vec::new();
        for (domain, raw) in &snap.carts {
            match firmly_api::decode_cart(raw.clone()) {
                Ok(cart) => {
                    let mut view = crate::mapping::cart_view(
                        domain,
                        &self.display_name(domain),
                        &cart,
                        crate::mapping::CartContext::default(),
                    );
                    view.blockers.clear();
                    carts.push((cart, view));
                }
                Err(e) => {
                    tracing::info!(%domain, code = %e.code, "a snapshot cart could not be read");
                    let mut view = self.view_of(&customer, domain, &super::empty_cart(domain));
                    view.load_error = Some(e);
                    carts.push((super::empty_cart(domain), view));
                }
            }
        }
        let total = super::hive_total(carts.iter().map(|(c, _)| c));
        HiveView {
            carts: carts.into_iter().map(|(_, v)| v).collect(),
            total,
        }
    }

    pub async fn transfer_session(
        &self,
        domain: &Domain,
        handle: &str,
        cookies: Vec<String>,
    ) -> Result<CartView> {
        self.refuse_on_kiosk("Session transfer")?;
        let handle = handle.trim();
        let handle_value = if handle.starts_with('{') {
            serde_json::from_str(handle).map_err(|e| {
                ApiError::field(Field::Handle, format!("The handle is not valid JSON: {e}"))
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
        // The transfer answers in the simplified cart shape (ENDPOINTS.md §2.5);
        // the full cart follows.
        self.cart(domain).await
    }
}
