//! What differs between the `demo` and `docs` profiles: the CONTRACTS.md §3 extensions exist
//! in demo and are absent in docs; everything else is shared (the other test files run their
//! scenarios in both profiles).

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";
const HG: &str = "homegoods.test";

async fn ordered_luma(s: &Sbx) -> Value {
    s.add(LUMA, "MH07-M-Black", 1).await;
    let c = s.ship_to(LUMA).await;
    s.grant_required_consents(LUMA).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body
}

#[tokio::test]
async fn the_handle_reports_its_profile_and_resets_in_process() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let handle = s.handle.as_ref().expect("owns the server");
        assert_eq!(handle.profile(), profile);
        ordered_luma(&s).await;
        handle.reset();
        let r = s.get(&format!("/api/v2/domains/{LUMA}/cart")).await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "UnregisteredDevice")
        );
        assert_eq!(s.get("/__sandbox/orders").await.body, json!([]));
    }
}

#[tokio::test]
async fn the_submitted_cart_stays_readable_only_in_demo() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let order = ordered_luma(&s).await;
        let v2 = s.get(&format!("/api/v2/domains/{LUMA}/cart")).await;
        let v1 = s.get(&format!("/api/v1/domains/{LUMA}/cart")).await;
        match profile {
            Profile::Demo => {
                assert_eq!(v2.status, 200);
                assert_eq!(v2.body["cart_status"], "submitted");
                assert_eq!(
                    v2.body["platform_order_number"],
                    order["platform_order_number"]
                );
                assert_eq!(v1.body["cart_status"], "submitted");
            }
            Profile::Docs => {
                assert_eq!(
                    (v2.status, v2.error_id().as_str()),
                    (404, "ErrorCartNotFound")
                );
                assert_eq!((v1.status, v1.error_id().as_str()), (404, "CartNotFound"));
            }
        }
        // Either way the cart left the active carts and the next add starts a new cart.
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        assert_eq!(active["carts"], json!([]));
        let next = s.add(LUMA, "WS12-M-Blue", 1).await;
        assert_ne!(next["cart_id"], order["cart_id"]);
        assert_eq!(next["cart_status"], "active");
    }
}

#[tokio::test]
async fn demo_only_admin_routes_are_absent_in_docs() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let order = ordered_luma(&s).await;
        let number = order["platform_order_number"].as_str().expect("number");
        let thanks = order["urls"]["thank_you_page"].as_str().expect("url");
        let rotate = s.admin(Method::POST, "/__sandbox/rotate-key", None).await;
        let ret = s
            .get("/__sandbox/paypal/return?token=EC-1&PayerID=P1")
            .await;
        let page = s.get(&format!("/__sandbox/thank-you/{number}")).await;
        match profile {
            Profile::Demo => {
                assert_eq!(rotate.status, 200);
                assert!(rotate.body["kid"].is_string());
                assert_eq!(ret.status, 200);
                assert_eq!(page.status, 200);
                assert_eq!(thanks, format!("{}/__sandbox/thank-you/{number}", s.base));
            }
            Profile::Docs => {
                for r in [&rotate, &ret, &page] {
                    assert_eq!((r.status, r.error_id().as_str()), (404, "RouteNotFound"));
                }
                assert_eq!(
                    thanks,
                    format!("https://{LUMA}/checkout/thank-you/{number}")
                );
            }
        }
        // Shared admin routes exist in both.
        assert_eq!(s.get("/__sandbox/orders").await.status, 200);
        assert_eq!(s.get("/__sandbox/requests").await.status, 200);
    }
}

#[tokio::test]
async fn time_slot_and_location_on_shipping_methods_are_demo_extensions() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(HG, "HG-SOFA-01-Slate", 1).await;
        let c = s.ship_to(HG).await;
        let sched = shipment(&c, "SCHEDULED_DELIVERY")["shipment_id"].clone();
        let base = format!("/api/v2/domains/{HG}/cart");
        let a = s
            .ok(
                Method::POST,
                &format!("{base}/shipments/get-availability"),
                Some(json!({ "shipment_id": sched })),
            )
            .await;
        // The docs' scheduled sample has no shipment_id (`002_…:4823`); demo adds it (C8).
        match profile {
            Profile::Demo => assert_eq!(a["shipment_id"], sched),
            Profile::Docs => assert!(a.get("shipment_id").is_none(), "{a}"),
        }
        let slot = a["available_dates"]
            .as_array()
            .expect("dates")
            .iter()
            .flat_map(|d| d["time_slots"].as_array().expect("slots").iter())
            .find(|t| t["available"] == true && t["price"]["number"] == 2500)
            .expect("paid evening slot")
            .clone();
        let slot_id = slot["slot_id"].as_str().expect("id");
        let date: String = slot_id.chars().take(10).collect();
        let with_slot = json!({ "shipment_id": sched, "shipping_method_id": "WHITE_GLOVE",
                                "selected_date": date, "selected_time_slot_id": slot_id });
        let methods = format!("{base}/shipment/methods");
        // An unknown field in `docs`: refused, naming it (it would fail against the real API).
        let refused = |r: &Resp, field: &str| {
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (400, "ErrorInvalidInputBody"),
                "{}",
                r.body
            );
            assert!(
                r.body["description"]
                    .as_str()
                    .is_some_and(|d| d.contains(field)),
                "{}",
                r.body
            );
        };
        match profile {
            Profile::Demo => {
                let c = s.ok(Method::POST, &methods, Some(with_slot)).await;
                let sh = shipment(&c, "SCHEDULED_DELIVERY");
                assert_eq!(sh["selected_date"], date.as_str());
                assert_eq!(sh["selected_time_slot"]["slot_id"], slot_id);
                assert_eq!(shipment_cost(sh), 14999 + 2500);
            }
            Profile::Docs => {
                refused(&s.post(&methods, with_slot).await, "selected_time_slot_id");
                let c = s
                    .ok(
                        Method::POST,
                        &methods,
                        Some(
                            json!({ "shipment_id": sched, "shipping_method_id": "WHITE_GLOVE",
                                     "selected_date": date }),
                        ),
                    )
                    .await;
                let sh = shipment(&c, "SCHEDULED_DELIVERY");
                assert_eq!(sh["selected_date"], date.as_str());
                assert_eq!(sh["selected_time_slot"], Value::Null);
                assert_eq!(shipment_cost(sh), 14999);
            }
        }

        // location_id on shipment/methods: applied in demo, refused in docs, where the
        // documented fulfillment-type call picks the store.
        let g = "gadgets.test";
        s.add(g, "GAD-LAP-01", 1).await;
        let c = s.ship_to(g).await;
        let pickup = shipment(&c, "PICKUP_IN_STORE")["shipment_id"].clone();
        let body = json!({ "shipment_id": pickup, "shipping_method_id": "IN_STORE_PICKUP", "location_id": "GAD-SF-01" });
        let path = format!("/api/v2/domains/{g}/cart/shipment/methods");
        match profile {
            Profile::Demo => {
                let c = s.ok(Method::POST, &path, Some(body)).await;
                let chosen = &shipment(&c, "PICKUP_IN_STORE")["selected_location"];
                assert_eq!(chosen["location_id"], "GAD-SF-01");
            }
            Profile::Docs => refused(&s.post(&path, body).await, "location_id"),
        }
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{g}/cart/shipments/fulfillment-type"),
                Some(json!({ "shipment_id": pickup, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "GAD-OAK-02" })),
            )
            .await;
        assert_eq!(
            shipment(&c, "PICKUP_IN_STORE")["selected_location"]["location_id"],
            "GAD-OAK-02"
        );
    }
}
