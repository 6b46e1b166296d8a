//! `firmly soak`: card checkouts on fresh sessions against a sandbox (either profile), each
//! with a randomly chosen fault on its completion (the documented `StoreUnavailable` 503, a
//! dropped connection, a delay past the client's timeout, the response lost after the
//! commit, a commit then a late response, the token expired by the sandbox clock, a declined
//! card), then every reported outcome is compared with the sandbox's own order list.
//! Success is 0 duplicate orders, 0 false reports ("placed" without an order, or "not
//! placed" with one), and "unknown" only where the fault is truly ambiguous (a lost or late
//! answer, a dropped connection, a timeout): an honest "don't know" is never a false report,
//! but a fault that proves the outcome must not end unknown.

use firmly_checkout::Domain;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use firmly_checkout::{AddressView, CardInput, DeskOptions, OrderOutcome, ReconcilePolicy};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};

use crate::{Failure, Global, Out};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// The documented "store temporarily unavailable, try again later" 503: not placed.
    Unavailable,
    Drop,
    DelayPastTimeout,
    LostAfterCommit,
    LateAfterCommit,
    TokenExpired,
    /// Not a fault of the server: the card is declined (a documented rejection before any
    /// charge, so "not placed" must be true).
    Declined,
}

impl Fault {
    /// Whether the client cannot know the outcome from the answer (it never came, or came
    /// after the client stopped waiting): only these may end "unknown".
    fn ambiguous(self) -> bool {
        matches!(
            self,
            Fault::Drop | Fault::DelayPastTimeout | Fault::LostAfterCommit | Fault::LateAfterCommit
        )
    }
}

const FAULTS: [Fault; 8] = [
    Fault::None,
    Fault::Unavailable,
    Fault::Drop,
    Fault::DelayPastTimeout,
    Fault::LostAfterCommit,
    Fault::LateAfterCommit,
    Fault::TokenExpired,
    Fault::Declined,
];

/// The completion route of a JWE card order (ENDPOINTS.md §1 #32).
const COMPLETE: &str = "/api/v3/payment/complete-order";

struct Admin {
    http: reqwest::Client,
    base: String,
}

impl Admin {
    async fn post(&self, path: &str, body: Value) -> Result<(), Failure> {
        let r = self
            .http
            .post(format!("{}{path}", self.base))
            .json(&body)
            .send()
            .await
            .map_err(|e| Failure::Input(format!("sandbox admin {path}: {e}")))?;
        if !r.status().is_success() {
            return Err(Failure::Input(format!(
                "sandbox admin {path}: HTTP {}",
                r.status()
            )));
        }
        Ok(())
    }

    async fn clear_faults(&self) -> Result<(), Failure> {
        let r = self
            .http
            .delete(format!("{}/__sandbox/faults", self.base))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .map_err(|e| Failure::Input(format!("sandbox admin faults: {e}")))?;
        if !r.status().is_success() {
            return Err(Failure::Input(format!(
                "clearing faults: HTTP {}",
                r.status()
            )));
        }
        Ok(())
    }

    async fn orders(&self) -> Result<Vec<Value>, Failure> {
        self.http
            .get(format!("{}/__sandbox/orders", self.base))
            .send()
            .await
            .map_err(|e| {
                Failure::Input(format!(
                    "--api is not a sandbox (no /__sandbox/orders): {e}"
                ))
            })?
            .json()
            .await
            .map_err(|e| Failure::Input(format!("sandbox orders: {e}")))
    }
}

fn address() -> AddressView {
    AddressView {
        first_name: "Soak".into(),
        last_name: "Tester".into(),
        email: "soak@example.com".into(),
        phone: "206-555-0100".into(),
        address1: "1 Main St".into(),
        city: "Seattle".into(),
        state_or_province: "WA".into(),
        postal_code: "98101".into(),
        country: "US".into(),
        ..AddressView::default()
    }
}

/// The sandbox's approved (or, when `declined`, declined) test card (CONTRACTS.md §3).
fn card(declined: bool) -> CardInput {
    let number = if declined {
        ["4000", "0000", "0000", "0002"].concat()
    } else {
        ["4111", "1111", "1111", "1111"].concat()
    };
    CardInput {
        number,
        name: "Soak Tester".into(),
        exp_month: "12".into(),
        exp_year: "2031".into(),
        cvv: "123".into(),
    }
}

#[derive(Debug)]
struct Attempt {
    cart_id: Option<String>,
    fault: Fault,
    outcome: &'static str,
    order_number: Option<String>,
}

pub async fn run(g: &Global, orders: u32, seed: u64, timeout_ms: u64) -> Out {
    if orders == 0 {
        return Err(Failure::Input("--orders must be at least 1".into()));
    }
    let target = crate::desk::target(g)?;
    let admin = Admin {
        http: reqwest::Client::new(),
        base: target.api_base.as_str().trim_end_matches('/').to_string(),
    };
    let before: Vec<Value> = admin.orders().await?;
    let known: std::collections::HashSet<String> = before
        .iter()
        .filter_map(|o| o["order_number"].as_str().map(String::from))
        .collect();
    let merchants: Vec<Domain> = std::iter::once("staging.luma.gift".to_string())
        .chain((1..=10).map(|i| format!("shop-{i:02}.test")))
        .map(|d| Domain::parse(&d))
        .collect::<Result<_, _>>()?;
    let mut rng = StdRng::seed_from_u64(seed);
    let late = Duration::from_millis(timeout_ms + 300);
    let started = Instant::now();
    let mut attempts = Vec::new();
    let fresh = Global {
        api: g.api.clone(),
        vault: g.vault.clone(),
        app_id: g.app_id.clone(),
        session: None,
    };
    for _ in 0..orders {
        let fault = FAULTS[rng.gen_range(0..FAULTS.len())];
        let domain = merchants[rng.gen_range(0..merchants.len())].clone();
        let desk = crate::desk::open_with(
            &fresh,
            DeskOptions {
                policy: ReconcilePolicy::quick(),
                timeout: Some(Duration::from_millis(timeout_ms)),
                ..DeskOptions::default()
            },
        )
        .await?;
        let svc = desk.service();
        let variant = first_variant(&svc, &domain).await?;
        svc.add_item(&domain, &variant, 1).await?;
        svc.set_shipping_info(&domain, address()).await?;
        for c in svc.consents(&domain).await? {
            if c.required && !c.signed {
                svc.set_consent(&domain, &c.id, true).await?;
            }
        }
        let cart_id = svc.cart(&domain).await?.cart_id;
        let rule = |extra: Value| {
            let mut r = json!({"match": {"method": "POST", "path_contains": COMPLETE}, "times": 1});
            if let (Some(o), Some(e)) = (r.as_object_mut(), extra.as_object()) {
                o.extend(e.clone());
            }
            r
        };
        match fault {
            Fault::None => {}
            Fault::Unavailable => {
                admin
                    .post(
                        "/__sandbox/faults",
                        rule(json!({"status": 503, "error": "StoreUnavailable"})),
                    )
                    .await?
            }
            Fault::Drop => {
                admin
                    .post("/__sandbox/faults", rule(json!({"drop_connection": true})))
                    .await?
            }
            Fault::DelayPastTimeout => {
                admin
                    .post(
                        "/__sandbox/faults",
                        rule(json!({"delay_ms": late.as_millis() as u64})),
                    )
                    .await?
            }
            Fault::LostAfterCommit => {
                admin
                    .post("/__sandbox/faults", rule(json!({"after_commit": true})))
                    .await?
            }
            Fault::LateAfterCommit => {
                admin
                    .post(
                        "/__sandbox/faults",
                        rule(json!({"after_commit": true, "delay_ms": late.as_millis() as u64})),
                    )
                    .await?
            }
            Fault::Declined => {}
            Fault::TokenExpired => {
                admin
                    .post("/__sandbox/clock", json!({"advance_seconds": 3700}))
                    .await?
            }
        }
        let outcome = svc
            .place_card_order(&domain, card(fault == Fault::Declined), None, false)
            .await;
        admin.clear_faults().await?;
        let (label, number) = match outcome {
            Ok(OrderOutcome::Placed { order }) => ("placed", Some(order.order_number)),
            Ok(OrderOutcome::NotPlaced { .. }) | Err(_) => ("not_placed", None),
            Ok(OrderOutcome::Unknown { .. }) => ("unknown", None),
        };
        attempts.push(Attempt {
            cart_id,
            fault,
            outcome: label,
            order_number: number,
        });
    }
    // Let late commits land before comparing.
    tokio::time::sleep(late + Duration::from_millis(500)).await;
    let all = admin.orders().await?;
    let mut by_cart: HashMap<String, Vec<String>> = HashMap::new();
    for o in all.iter().filter(|o| {
        o["order_number"]
            .as_str()
            .is_some_and(|n| !known.contains(n))
    }) {
        if let (Some(c), Some(n)) = (o["cart_id"].as_str(), o["order_number"].as_str()) {
            by_cart
                .entry(c.to_string())
                .or_default()
                .push(n.to_string());
        }
    }
    let mut duplicates = 0;
    let mut false_reports = 0;
    let mut needless_unknowns = 0;
    let mut counts: HashMap<&str, u32> = HashMap::new();
    let mut by_fault: std::collections::BTreeMap<String, std::collections::BTreeMap<&str, u32>> =
        Default::default();
    for a in &attempts {
        *counts.entry(a.outcome).or_default() += 1;
        *by_fault
            .entry(format!("{:?}", a.fault))
            .or_default()
            .entry(a.outcome)
            .or_default() += 1;
        if a.outcome == "unknown" && !a.fault.ambiguous() {
            needless_unknowns += 1;
            tracing::error!(?a, "unknown although the fault proves the outcome");
        }
        let landed = a
            .cart_id
            .as_ref()
            .and_then(|c| by_cart.get(c))
            .cloned()
            .unwrap_or_default();
        if landed.len() > 1 {
            duplicates += 1;
        }
        let false_report = match a.outcome {
            "placed" => !a.order_number.as_ref().is_some_and(|n| landed.contains(n)),
            "not_placed" => !landed.is_empty(),
            _ => false,
        };
        if false_report {
            false_reports += 1;
            tracing::error!(?a, ?landed, "false report");
        }
    }
    let summary = json!({
        "orders": orders,
        "placed": counts.get("placed").copied().unwrap_or(0),
        "not_placed": counts.get("not_placed").copied().unwrap_or(0),
        "unknown": counts.get("unknown").copied().unwrap_or(0),
        "duplicates": duplicates,
        "false_reports": false_reports,
        "needless_unknowns": needless_unknowns,
        "faults": by_fault,
        "seconds": (started.elapsed().as_secs_f64() * 10.0).round() / 10.0,
    });
    println!("{summary}");
    if duplicates > 0 || false_reports > 0 || needless_unknowns > 0 {
        Err(Failure::Api(firmly_api::ApiError::internal(format!(
            "soak failed: {duplicates} duplicates, {false_reports} false reports, {needless_unknowns} unknown where the outcome was certain"
        ))))
    } else {
        Ok(())
    }
}

/// The first available variant of the merchant's first product.
async fn first_variant(
    svc: &firmly_checkout::CheckoutService,
    domain: &Domain,
) -> Result<String, Failure> {
    if domain == "staging.luma.gift" {
        return Ok("MH07-M-Black".into());
    }
    let products = svc.products(domain).await?;
    for p in products {
        let details = svc.product(domain, &p.handle).await?;
        if let Some(v) = details.variants.iter().find(|v| v.available) {
            return Ok(v.variant_id.clone());
        }
    }
    Err(Failure::Input(format!("{domain} has nothing to buy")))
}
