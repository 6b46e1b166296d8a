//! Checkout commands: one cart (`checkout`), every cart (`carts checkout-all`), one address
//! for all (`carts address`), active carts, and settling an interrupted order
//! (`order status`). Outcomes are reported honestly: placed, not placed, or unknown (exit 3).

use firmly_checkout::Domain;
use std::path::Path;

use firmly_checkout::{AddressView, CardInput, Desk, OrderOutcome, PaymentOptionKind};
use serde_json::{json, Value};

use crate::{inspect, parse_json, print, Failure, Out};

fn read_address(path: &Path) -> Result<AddressView, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    let wire: firmly_api::Address = parse_json("shipping", &bytes)?;
    Ok(firmly_checkout::mapping::address_view(&wire))
}

fn read_card(path: &Path) -> Result<CardInput, Failure> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::Input(format!("cannot read {}: {e}", path.display())))?;
    let c: firmly_api::CardDetails = parse_json("card", &bytes)?;
    Ok(CardInput {
        number: c.number.clone(),
        name: c.name.clone(),
        exp_month: c.month.clone(),
        exp_year: c.year.clone(),
        cvv: c.verification_value.clone(),
    })
}

/// Grants a merchant's required consents, only when allowed; else exit 2 naming them.
async fn consents(d: &Desk, domain: &Domain, accept: bool) -> Result<(), Failure> {
    let svc = d.service();
    let missing: Vec<_> = svc
        .consents(domain)
        .await?
        .into_iter()
        .filter(|c| c.required && !c.signed)
        .collect();
    for c in &missing {
        if !accept {
            return Err(Failure::Input(format!(
                "{domain} requires consent {} (\"{}\"): pass --accept-consents to grant it",
                c.id, c.text
            )));
        }
        svc.set_consent(domain, &c.id, true).await?;
    }
    Ok(())
}

fn outcome_json(domain: &str, o: &OrderOutcome) -> Value {
    match o {
        OrderOutcome::Placed { order } => json!({
            "domain": domain, "outcome": "placed",
            "order_number": order.order_number, "total": order.total.amount,
        }),
        OrderOutcome::NotPlaced { error } => json!({
            "domain": domain, "outcome": "not_placed", "error": error,
        }),
        OrderOutcome::Unknown { pending } => json!({
            "domain": domain, "outcome": "unknown",
            "reason": pending.cause.as_ref().map(|c| c.text()),
        }),
    }
}

fn unknown_hint(domain: &str) -> String {
    format!(
        "The order's outcome is not known yet: it may still be placed. Do not pay again; run `firmly order status --domain {domain}` with the same --session to settle it."
    )
}

pub async fn checkout(
    d: &Desk,
    domain: &Domain,
    shipping: &Path,
    card: Option<&Path>,
    paypal_payer_id: Option<String>,
    accept_consents: bool,
) -> Out {
    let svc = d.service();
    let address = read_address(shipping)?;
    svc.set_shipping_info(domain, address).await?;
    consents(d, domain, accept_consents).await?;
    let outcome = match (card, paypal_payer_id) {
        (Some(card_file), None) => {
            let input = read_card(card_file)?;
            svc.place_card_order(domain, input, None, false).await?
        }
        (None, Some(payer)) => {
            let url = svc.paypal_start(domain).await?;
            // The CLI plays the buyer: PayPal returns to the start's return URL with the token.
            let token = url
                .query_pairs()
                .find(|(k, _)| k == "token")
                .map(|(_, v)| v.to_string())
                .unwrap_or_default();
            svc.paypal_approved(
                domain,
                firmly_checkout::paypal::PaypalReturn::Approved {
                    token,
                    payer_id: payer,
                },
            )
            .await?;
            svc.paypal_complete(domain, false).await?
        }
        _ => {
            return Err(Failure::Input(
                "give --card FILE or --paypal-payer-id ID".into(),
            ))
        }
    };
    match outcome {
        OrderOutcome::Placed { order } => {
            print(&json!({"order_number": order.order_number, "total": order.total.amount}));
            Ok(())
        }
        OrderOutcome::NotPlaced { error } => Err(error.into()),
        OrderOutcome::Unknown { .. } => Err(Failure::Unknown(unknown_hint(domain))),
    }
}

pub async fn checkout_all(d: &Desk, shipping: &Path, card: &Path, accept_consents: bool) -> Out {
    let svc = d.service();
    svc.hive().await?;
    let address = read_address(shipping)?;
    let card = read_card(card)?;
    let applied = svc.apply_address_to_all(address).await?;
    for r in &applied {
        if let Some(e) = &r.error {
            tracing::warn!(domain = %r.domain, code = %e.code, "address not applied");
        } else {
            consents(d, &Domain::parse(&r.domain)?, accept_consents).await?;
        }
    }
    let entries = svc.pay_all(card, None).await?;
    let mut out = Vec::new();
    let (mut unknown, mut failed) = (false, false);
    for e in &entries {
        match &e.outcome {
            Some(o) => {
                unknown |= matches!(o, OrderOutcome::Unknown { .. });
                failed |= matches!(o, OrderOutcome::NotPlaced { .. });
                out.push(outcome_json(&e.domain, o));
            }
            None => {
                failed = true;
                out.push(json!({
                    "domain": e.domain, "outcome": "not_placed",
                    "error": {"code": "NotReady", "message": e.not_ready.iter().map(|b| b.to_string()).collect::<Vec<_>>().join("; ")},
                }));
            }
        }
    }
    print(&json!(out));
    if unknown {
        Err(Failure::Unknown(
            "Some orders' outcomes are not known yet: run `firmly order status --domain D` for each before paying again.".into(),
        ))
    } else if failed {
        Err(Failure::Api(firmly_api::ApiError::new(
            firmly_api::ErrorCode::Checkout,
            "Some carts were not paid (see the results above).",
        )))
    } else {
        Ok(())
    }
}

pub async fn address_all(d: &Desk, shipping: &Path) -> Out {
    let svc = d.service();
    svc.hive().await?;
    let results = svc.apply_address_to_all(read_address(shipping)?).await?;
    print(&json!(results
        .iter()
        .map(|r| json!({
            "domain": r.domain,
            "ok": r.error.is_none(),
            "error": r.error,
            "total": r.cart.as_ref().map(|c| c.totals.total.amount.clone()),
        }))
        .collect::<Vec<_>>()));
    Ok(())
}

pub async fn active(d: &Desk, exclude: &[String]) -> Out {
    let svc = d.service();
    let active = svc.client().active_carts(exclude).await?;
    let list: Vec<Value> = active
        .carts
        .iter()
        .zip(
            active
                .domains
                .iter()
                .chain(std::iter::repeat(&String::new())),
        )
        .map(|(c, d)| {
            let domain = c.domain.clone().unwrap_or_else(|| d.clone());
            let mut s = inspect::cart_summary(&domain, c);
            s["card_payable"] = json!(firmly_checkout::mapping::payment_options(c)
                .iter()
                .any(|o| o.kind == PaymentOptionKind::CreditCard));
            s
        })
        .collect();
    print(&json!(list));
    Ok(())
}

pub async fn status(d: &Desk, domain: &Domain) -> Out {
    let svc = d.service();
    // Orders of an earlier run were settled (each with its own session) when the desk
    // opened; report what that found.
    let info = svc.app_info().await?;
    if let Some(report) = info.startup_orders.iter().find(|r| *domain == r.domain) {
        return report_status(domain, &report.outcome);
    }
    match svc.check_order(domain).await {
        Ok(o) => report_status(domain, &o),
        Err(e) if e.code == firmly_api::ErrorCode::NoPendingOrder => {
            print(&json!({"domain": domain, "outcome": "none", "message": e.message}));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn report_status(domain: &str, o: &OrderOutcome) -> Out {
    let mut v = outcome_json(domain, o);
    if let Some(obj) = v.as_object_mut() {
        obj.remove("total");
    }
    print(&v);
    match o {
        OrderOutcome::Unknown { .. } => Err(Failure::Unknown(unknown_hint(domain))),
        _ => Ok(()),
    }
}
