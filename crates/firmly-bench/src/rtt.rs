//! Figures `rtt` and `latency` (docs/BENCHMARKS.md): the round trips on the critical path of
//! each user flow, counted from the sandbox's request journal, and how long each flow takes
//! on a shop's network.
//!
//! The service runs in process against an in-process sandbox that delays every API request by
//! `--latency-ms ± --jitter-ms` (the sandbox's own switch). For each flow, the requests that
//! arrived after the action began and were answered before it returned are its critical path;
//! their **depth** is the longest chain of requests in which each one arrived after the one
//! before was answered (requests that overlap ran in parallel and count once). The journal's
//! `start_us`/`end_us` give the spans. Depth is a count: it does not depend on the machine.
//!
//! Each flow's depth is set beside the documented minimum (why: [`FLOWS`]), and its time
//! beside depth × RTT, the physical floor of a network-bound step.

use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use firmly_checkout::launch::{LaunchConfig, LiveTarget, SANDBOX_APP_ID};
use firmly_checkout::{
    AddressView, CardInput, CheckoutService, Desk, Domain, FulfillmentKind, Mode, Settings,
    ShipmentChoice,
};
use firmly_sandbox::{Profile, SandboxConfig, SandboxHandle};
use serde_json::json;

use crate::figure::{median, r3, scratch, Figure};
use crate::journal::{critical_path, key_fetched, us_since, wait_for, CriticalPath};
use crate::service::start_desk;

const LUMA: &str = "staging.luma.gift";
const HOME: &str = "homegoods.test";
const PAY_ALL: usize = 5;

/// Each flow: its name, the documented minimum of sequential round trips, and why.
pub const FLOWS: &[(&str, usize, &str)] = &[
    ("start-1-new", 2, "a new device session (browser-session), then the active carts and the merchant's cart together"),
    ("start-1-cached", 1, "the stored token is used as is: the active carts and the merchant's cart together"),
    ("start-20-new", 2, "a new device session, then the active carts and all 20 carts together"),
    ("start-20-cached", 1, "the active carts and all 20 carts together"),
    ("add-to-cart", 1, "one add (its answer is the cart)"),
    ("set-address", 1, "one shipping-info (its answer is the cart)"),
    ("choose-shipping", 1, "one shipment method (its answer is the cart)"),
    ("open-date-picker", 1, "one availability read for the shipment"),
    ("choose-date-slot", 1, "one shipment method with the date (and slot) (its answer is the cart)"),
    ("place-card-order", 1, "one completion: the cart is the one on screen and the payment key was fetched ahead"),
    ("paypal-to-popup", 1, "one PayPal start (its answer carries the approval URL)"),
    ("pay-all-5", 1, "every cart's completion at once: one level whatever N is"),
    ("kiosk-wipe", 0, "the wipe is local; the next device session is made in the background"),
    ("next-shopper-start", 1, "after a wipe: the new session is ready, one level of cart reads"),
];

struct Measured {
    path: CriticalPath,
    ms: f64,
}

struct Rig {
    sandbox: SandboxHandle,
    base: String,
}

impl Rig {
    /// Runs `f` and reads the requests that arrived after it began and were answered before
    /// it returned.
    async fn measure<T, Fut>(&self, f: impl FnOnce() -> Fut) -> Result<(T, Measured), String>
    where
        Fut: Future<Output = Result<T, String>>,
    {
        let t0 = Instant::now();
        let value = f().await?;
        let t1 = Instant::now();
        let path = critical_path(&self.sandbox, t0, t1).await?;
        Ok((
            value,
            Measured {
                path,
                ms: (t1 - t0).as_secs_f64() * 1000.0,
            },
        ))
    }

    /// An answered browser-session made after `after` (the wipe's background session).
    async fn session_made(&self, after: Instant) -> Result<(), String> {
        let from = us_since(&self.sandbox, after);
        wait_for(&self.base, "a device session after the wipe", |e| {
            e["path"].as_str() == Some("/api/v1/browser-session")
                && e["status"].as_u64() == Some(200)
                && e["start_us"].as_u64().unwrap_or(0) >= from
        })
        .await
    }
}

fn launch(base: &str, dir: &Path, merchants: &[String]) -> Result<LaunchConfig, String> {
    let url = url::Url::parse(base).map_err(|e| e.to_string())?;
    Ok(LaunchConfig {
        mode: Mode::Demo,
        data_dir: Some(dir.to_path_buf()),
        sandbox_port: 0,
        live: Some(LiveTarget {
            app_id: SANDBOX_APP_ID.into(),
            api_base: url.clone(),
            vault_base: url,
            status_base: None,
        }),
        idle_seconds: 120,
        language: firmly_checkout::Language::En,
        merchants: Domain::parse_all(merchants.iter().map(String::as_str)),
        locked: Vec::new(),
        policy_file: None,
        settings: Settings::default(),
        kiosk: firmly_checkout::launch::KioskPolicy::default(),
    })
}

fn dom(d: &str) -> Result<Domain, String> {
    Domain::parse(d).map_err(|e| e.message)
}

fn address() -> AddressView {
    AddressView {
        first_name: "Ada".into(),
        last_name: "Lovelace".into(),
        email: "ada@example.com".into(),
        phone: "206-555-0100".into(),
        address1: "1 Main St".into(),
        city: "Seattle".into(),
        state_or_province: "WA".into(),
        postal_code: "98101".into(),
        country: "US".into(),
        ..Default::default()
    }
}

fn card() -> CardInput {
    CardInput {
        number: crate::figure::approved_card().into(),
        name: "Ada Lovelace".into(),
        exp_month: "12".into(),
        exp_year: "2031".into(),
        cvv: "123".into(),
    }
}

async fn accept_consents(s: &CheckoutService, d: &Domain) -> Result<(), String> {
    for c in s.consents(d).await.map_err(|e| e.message)? {
        if c.required && !c.signed {
            s.set_consent(d, &c.id, true).await.map_err(|e| e.message)?;
        }
    }
    Ok(())
}

fn shops(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("shop-{i:02}.test")).collect()
}

/// One pass over every flow; `(name, measured)` in [`FLOWS`] order.
async fn flows(rig: &Rig, work: &Path) -> Result<Vec<(&'static str, Measured)>, String> {
    let mut out = Vec::new();
    let e = |e: firmly_api::ApiError| e.message;
    let one = vec![LUMA.to_string()];
    let twenty = shops(20);
    for (name, merchants) in [("1", &one), ("20", &twenty)] {
        let dir = work.join(format!("start-{name}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        for cached in [false, true] {
            let cfg = launch(&rig.base, &dir, merchants)?;
            let (desk, m) = rig
                .measure(|| async {
                    let desk = start_desk(cfg, &dir).await?;
                    desk.service().hive().await.map_err(e)?;
                    Ok(desk)
                })
                .await?;
            let flow = match (name, cached) {
                ("1", false) => "start-1-new",
                ("1", true) => "start-1-cached",
                (_, false) => "start-20-new",
                (_, true) => "start-20-cached",
            };
            out.push((flow, m));
            desk.service().settled().await;
            drop(desk);
        }
    }

    let dir = work.join("shopper");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut merchants = vec![LUMA.to_string(), HOME.to_string()];
    merchants.extend(shops(PAY_ALL));
    let desk: Arc<Desk> = start_desk(launch(&rig.base, &dir, &merchants)?, &dir).await?;
    let s = desk.service();
    s.hive().await.map_err(e)?;
    let luma = dom(LUMA)?;
    let home = dom(HOME)?;

    let (_, m) = rig
        .measure(|| async { s.add_item(&luma, "MH07-M-Black", 1).await.map_err(e) })
        .await?;
    out.push(("add-to-cart", m));
    let (cart, m) = rig
        .measure(|| async { s.set_shipping_info(&luma, address()).await.map_err(e) })
        .await?;
    out.push(("set-address", m));
    let choice = cart
        .shipments
        .iter()
        .find_map(|sh| {
            sh.methods
                .iter()
                .find(|m| Some(&m.id) != sh.selected_method.as_ref())
                .map(|m| (sh.shipment_id.clone(), m.id.clone()))
        })
        .ok_or("no shipment with a second method at Luma")?;
    let (_, m) = rig
        .measure(|| async {
            s.set_shipment_method(
                &luma,
                ShipmentChoice {
                    shipment_id: choice.0.clone(),
                    shipping_method_id: choice.1.clone(),
                    selected_date: None,
                    time_slot_id: None,
                    notes: None,
                },
            )
            .await
            .map_err(e)
        })
        .await?;
    out.push(("choose-shipping", m));

    s.add_item(&home, "HG-SOFA-01-Slate", 1).await.map_err(e)?;
    let cart = s.set_shipping_info(&home, address()).await.map_err(e)?;
    let sofa = cart
        .shipments
        .iter()
        .find(|sh| sh.fulfillment_type == FulfillmentKind::ScheduledDelivery)
        .ok_or("no scheduled shipment at homegoods.test")?
        .clone();
    let (step, m) = rig
        .measure(|| async {
            s.prepare_shipment(&home, &sofa.shipment_id)
                .await
                .map_err(e)
        })
        .await?;
    out.push(("open-date-picker", m));
    let avail = step.availability.ok_or("no availability for the sofa")?;
    let date = avail
        .dates
        .iter()
        .find(|d| d.slots.iter().any(|s| s.available) || d.slots.is_empty())
        .ok_or("no date offered")?;
    let slot = date
        .slots
        .iter()
        .find(|s| s.available)
        .map(|s| s.slot_id.clone());
    let method = sofa
        .selected_method
        .clone()
        .or_else(|| avail.methods.first().map(|m| m.id.clone()))
        .or_else(|| sofa.methods.first().map(|m| m.id.clone()))
        .ok_or("no method for the sofa")?;
    let (_, m) = rig
        .measure(|| async {
            s.set_shipment_method(
                &home,
                ShipmentChoice {
                    shipment_id: sofa.shipment_id.clone(),
                    shipping_method_id: method.clone(),
                    selected_date: Some(date.date.clone()),
                    time_slot_id: slot.clone(),
                    notes: None,
                },
            )
            .await
            .map_err(e)
        })
        .await?;
    out.push(("choose-date-slot", m));

    accept_consents(&s, &luma).await?;
    key_fetched(&rig.base).await?;
    let (outcome, m) = rig
        .measure(|| async {
            s.place_card_order(&luma, card(), None, false)
                .await
                .map_err(e)
        })
        .await?;
    if !matches!(outcome, firmly_checkout::OrderOutcome::Placed { .. }) {
        return Err(format!("the card order was not placed: {outcome:?}"));
    }
    out.push(("place-card-order", m));

    s.add_item(&luma, "MH07-M-Black", 1).await.map_err(e)?;
    s.set_shipping_info(&luma, address()).await.map_err(e)?;
    accept_consents(&s, &luma).await?;
    let (_, m) = rig
        .measure(|| async { s.paypal_start(&luma).await.map_err(e) })
        .await?;
    out.push(("paypal-to-popup", m));
    s.paypal_cancelled(&luma);
    s.clear_cart(&luma).await.map_err(e)?;
    s.clear_cart(&home).await.map_err(e)?;

    for (i, shop) in shops(PAY_ALL).iter().enumerate() {
        let d = dom(shop)?;
        s.add_item(&d, &format!("S{:02}-CANVAS-TOTE", i + 1), 1)
            .await
            .map_err(e)?;
        s.set_shipping_info(&d, address()).await.map_err(e)?;
        accept_consents(&s, &d).await?;
    }
    let (paid, m) = rig
        .measure(|| async { s.pay_all(card(), None).await.map_err(e) })
        .await?;
    let placed = paid
        .iter()
        .filter(|p| {
            matches!(
                p.outcome,
                Some(firmly_checkout::OrderOutcome::Placed { .. })
            )
        })
        .count();
    if placed != PAY_ALL {
        return Err(format!("pay all placed {placed} of {PAY_ALL} orders"));
    }
    out.push(("pay-all-5", m));

    let wiped_at = Instant::now();
    let (_, m) = rig
        .measure(|| async { s.wipe_customer().map_err(e) })
        .await?;
    out.push(("kiosk-wipe", m));
    rig.session_made(wiped_at).await?;
    let (_, m) = rig.measure(|| async { s.hive().await.map_err(e) }).await?;
    out.push(("next-shopper-start", m));
    s.settled().await;
    Ok(out)
}

/// `firmly-bench rtt`: every flow `runs` times in each profile.
pub fn run(out: &Path, latency_ms: u64, jitter_ms: u64, runs: usize) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        let mut table = Vec::new();
        let mut at_minimum = 0usize;
        let mut ratios = Vec::new();
        let mut waited_ratios = Vec::new();
        let profiles = [Profile::Demo, Profile::Docs];
        println!(
            "{:<8} {:<20} {:>5} {:>7} {:>9} {:>11} {:>6} {:>10} {:>6}",
            "profile",
            "flow",
            "depth",
            "minimum",
            "median ms",
            "depth × RTT",
            "ratio",
            "waited ms",
            "ratio"
        );
        for profile in profiles {
            let sandbox = firmly_sandbox::start(SandboxConfig {
                profile,
                latency_ms,
                jitter_ms,
                ..SandboxConfig::default()
            })
            .await
            .map_err(|e| e.to_string())?;
            let rig = Rig {
                base: sandbox.base_url(),
                sandbox,
            };
            let work = scratch(out, &format!("rtt-{profile:?}").to_lowercase())?;
            let mut passes = Vec::new();
            for _ in 0..runs.max(1) {
                passes.push(flows(&rig, &work).await?);
            }
            for (i, (name, minimum, why)) in FLOWS.iter().enumerate() {
                let samples: Vec<&Measured> = passes.iter().map(|p| &p[i].1).collect();
                if passes.iter().any(|p| p[i].0 != *name) {
                    return Err(format!("flow order differs at {name}"));
                }
                let depth = samples.iter().map(|m| m.path.depth).max().unwrap_or(0);
                let ms: Vec<f64> = samples.iter().map(|m| m.ms).collect();
                let med = median(&ms);
                let floor = depth as f64 * latency_ms as f64;
                let ratio = if floor > 0.0 { med / floor } else { 0.0 };
                let waited = median(&samples.iter().map(|m| m.path.waited_ms).collect::<Vec<_>>());
                let ratio_waited = if waited > 0.0 { med / waited } else { 0.0 };
                if waited > 0.0 {
                    waited_ratios.push(ratio_waited);
                }
                if depth <= *minimum {
                    at_minimum += 1;
                }
                if floor > 0.0 {
                    ratios.push(ratio);
                }
                println!(
                    "{:<8} {:<20} {:>5} {:>7} {:>9.1} {:>11.0} {:>6.3} {:>10.0} {:>6.3}",
                    format!("{profile:?}").to_lowercase(),
                    name,
                    depth,
                    minimum,
                    med,
                    floor,
                    ratio,
                    waited,
                    ratio_waited
                );
                table.push(json!({
                    "profile": format!("{profile:?}").to_lowercase(),
                    "flow": name,
                    "depth": depth,
                    "minimum": minimum,
                    "why": why,
                    "requests": samples.first().map(|m| m.path.requests.clone()).unwrap_or_default(),
                    "median_ms": r3(med),
                    "depth_x_rtt_ms": floor,
                    "ratio": r3(ratio),
                    "waited_ms": r3(waited),
                    "ratio_to_waited": r3(ratio_waited),
                }));
            }
            rig.sandbox.shutdown().await;
        }
        let flows_total = FLOWS.len() * profiles.len();
        Figure {
            id: "rtt".into(),
            title: "Round trips on the critical path of every flow (sandbox journal)".into(),
            value_label: "flows whose depth is at the documented minimum".into(),
            value: at_minimum as f64,
            unit: "flows".into(),
            baseline_label: "flows measured (both profiles)".into(),
            baseline: flows_total as f64,
            ratio: r3(at_minimum as f64 / flows_total as f64),
            target: "every flow at its minimum (ratio 1)".into(),
            met: Some(at_minimum == flows_total),
            runs,
            details: json!({"latency_ms": latency_ms, "jitter_ms": jitter_ms, "flows": table}),
        }
        .write(out)?;
        let worst = ratios.iter().copied().fold(0.0, f64::max);
        Figure {
            id: "latency".into(),
            title: format!(
                "Each flow's time at {latency_ms} ± {jitter_ms} ms per request, against depth × RTT"
            ),
            value_label: "the worst flow's median ms / (depth × RTT)".into(),
            value: r3(worst),
            unit: "×".into(),
            baseline_label: "1 = the physical floor".into(),
            baseline: 1.0,
            ratio: r3(worst),
            target: "ratio ≤ 1.2".into(),
            met: Some(worst <= 1.2),
            runs,
            details: json!({
                "median_of_flow_ratios": r3(median(&ratios)),
                "worst_ratio_to_waited": r3(waited_ratios.iter().copied().fold(0.0, f64::max)),
                "median_ratio_to_waited": r3(median(&waited_ratios)),
                "per_flow": table.iter().map(|r| json!({
                    "profile": r["profile"], "flow": r["flow"], "ratio": r["ratio"],
                    "ratio_to_waited": r["ratio_to_waited"],
                })).collect::<Vec<_>>(),
            }),
        }
        .write(out)
    })
}
