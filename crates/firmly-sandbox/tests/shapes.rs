//! Documented shapes: availability in the endpoint-page forms (ENDPOINTS.md §2.4.6, C8), the
//! simplified cart of active carts v2 and transfer v2 (§2.5), and money in every documented
//! form (full Amount, `{currency, value}`, bare numbers).

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const HG: &str = "homegoods.test";

async fn availability(s: &Sbx, domain: &str, shipment_id: &Value) -> Value {
    s.ok(
        Method::POST,
        &format!("/api/v2/domains/{domain}/cart/shipments/get-availability"),
        Some(json!({ "shipment_id": shipment_id })),
    )
    .await
}

fn assert_window(slot: &Value) {
    for k in [
        "slot_id",
        "start_time",
        "end_time",
        "description",
        "available",
    ] {
        assert!(slot.get(k).is_some(), "slot lacks {k}: {slot}");
    }
    assert_eq!(slot["start_time"].as_str().expect("HH:MM").len(), 5);
}

#[tokio::test]
async fn availability_in_every_endpoint_page_form() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(HG, "HG-SOFA-01-Slate", 1).await;
        s.add(HG, "HG-LAMP-01", 1).await;
        let c = s.ship_to(HG).await;

        // SCHEDULED_DELIVERY: dated time slots and delivery windows.
        let sched = shipment(&c, "SCHEDULED_DELIVERY")["shipment_id"].clone();
        let a = availability(&s, HG, &sched).await;
        assert_eq!(a["fulfillment_type"]["id"], "SCHEDULED_DELIVERY");
        assert_eq!(a.get("shipment_id").is_some(), profile == Profile::Demo);
        let dates = a["available_dates"].as_array().expect("dates");
        assert!(dates.len() >= 10);
        for d in dates {
            assert!(d["date"].is_string() && d["description"].is_string());
            d["time_slots"]
                .as_array()
                .expect("slots")
                .iter()
                .for_each(assert_window);
        }
        let windows = a["delivery_windows"].as_array().expect("windows");
        assert_eq!(windows.len(), 2);
        for w in windows {
            for k in ["window_id", "name", "description", "price"] {
                assert!(w.get(k).is_some(), "window lacks {k}: {w}");
            }
            assert!(
                w["date_range"]["start_date"].is_string()
                    && w["date_range"]["end_date"].is_string()
            );
        }
        assert_eq!(windows[1]["price"]["number"], 14999);

        // SHIP_TO_ADDRESS: estimated dates with windows, plus the schema's shipping_methods.
        let parcel = shipment(&c, "SHIP_TO_ADDRESS")["shipment_id"].clone();
        let a = availability(&s, HG, &parcel).await;
        assert_eq!(a["shipment_id"], parcel);
        let dates = a["available_dates"].as_array().expect("dates");
        assert!(!dates.is_empty());
        dates[0]["time_slots"]
            .as_array()
            .expect("slots")
            .iter()
            .for_each(assert_window);
        assert_eq!(a["shipping_methods"][0]["id"], "STANDARD_GROUND");

        // PICKUP_IN_STORE: locations with hours, distance and their own pickup options, plus
        // the top-level pickup options.
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{HG}/cart/shipments/fulfillment-type"),
                Some(json!({ "shipment_id": parcel, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "HG-SEA-01" })),
            )
            .await;
        assert_eq!(shipment(&c, "PICKUP_IN_STORE")["shipment_id"], parcel);
        let a = availability(&s, HG, &parcel).await;
        assert_eq!(a["shipment_id"], parcel);
        let loc = &a["pickup_locations"][0];
        assert_eq!(loc["operating_hours"].as_array().expect("hours").len(), 7);
        assert_eq!(loc["distance"]["unit"], "miles");
        let opts = loc["pickup_options"]
            .as_array()
            .expect("per-location options");
        assert_eq!(opts.len(), 3);
        assert!(opts[0]["date"].is_string());
        opts[0]["time_slots"]
            .as_array()
            .expect("slots")
            .iter()
            .for_each(assert_window);
        let top: Vec<&str> = a["pickup_options"]
            .as_array()
            .expect("top-level options")
            .iter()
            .map(|o| o["option_id"].as_str().expect("id"))
            .collect();
        assert_eq!(top, vec!["in-store", "curbside"]);
        for o in a["pickup_options"].as_array().expect("o") {
            assert!(
                o["name"].is_string()
                    && o["description"].is_string()
                    && o["additional_instructions"].is_string()
            );
        }
    }
}

#[tokio::test]
async fn active_carts_and_transfer_v2_answer_the_simplified_cart() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(HG, "HG-SOFA-01-Oat", 1).await;
        s.add(HG, "HG-PIL-01-Sage", 2).await;
        let full = s.ship_to(HG).await;
        let t = s
            .ok(
                Method::POST,
                "/api/v2/domains/staging.luma.gift/session/transfer",
                Some(json!({ "handle": "external-session-42" })),
            )
            .await;
        assert_simple_cart(&t);
        assert_eq!(t["domain"], "staging.luma.gift");
        assert_eq!(t["metadata"]["source"], "external_session");
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        assert_eq!(active["domains"], json!([HG, "staging.luma.gift"]));
        let hg = &active["carts"][0];
        assert_simple_cart(hg);
        assert!(hg.get("metadata").is_none());
        // Same cart, same money as the full shape.
        assert_eq!(hg["id"], full["cart_id"]);
        assert_eq!(hg["total"].as_f64(), full["total"]["value"].as_f64());
        assert_eq!(
            hg["tax_total"].as_f64(),
            full["tax_total"]["value"].as_f64()
        );
        let pillow = hg["line_items"]
            .as_array()
            .expect("lines")
            .iter()
            .find(|l| l["variant_id"] == "HG-PIL-01-Sage")
            .expect("pillow");
        assert_eq!(pillow["unit_price"].as_f64(), Some(39.0));
        assert_eq!(pillow["total_price"].as_f64(), Some(78.0));
        assert_eq!(
            pillow["product"],
            json!({ "id": "HG-PIL-01", "title": "Linen Throw Pillow", "handle": "linen-throw-pillow" })
        );
        let kinds: Vec<&str> = hg["shipments"]
            .as_array()
            .expect("shipments")
            .iter()
            .map(|x| x["fulfillment_type"].as_str().expect("plain string"))
            .collect();
        assert_eq!(kinds, vec!["SHIP_TO_ADDRESS", "SCHEDULED_DELIVERY"]);
        // v1 active carts keep the v1 Cart shape.
        let v1 = s.ok(Method::GET, "/api/v1/carts/active", None).await;
        assert_eq!(v1["carts"][0]["cart_id"], full["cart_id"]);
        assert_totals_v1(&v1["carts"][0]);
    }
}

#[tokio::test]
async fn money_in_every_documented_form() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        // Full Amounts (demo merchants).
        let c = s.add(HG, "HG-LAMP-01", 1).await;
        assert_eq!(
            c["total"],
            json!({ "currency": "USD", "value": 79.0, "number": 7900, "symbol": "$" })
        );
        // `{currency, value}` only (nocatalog.test), in v2 and v1 carts alike.
        let d = "nocatalog.test";
        let c = s.add(d, "NOC-KIT-01", 1).await;
        assert_eq!(c["sub_total"], json!({ "currency": "USD", "value": 42.0 }));
        assert_eq!(
            c["line_items"][0]["price"],
            json!({ "currency": "USD", "value": 42.0 })
        );
        let v1 = s
            .ok(Method::GET, &format!("/api/v1/domains/{d}/cart"), None)
            .await;
        assert_eq!(v1["total"], json!({ "currency": "USD", "value": 42.0 }));
        // Bare numbers (the simplified cart).
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        let noc = active["carts"]
            .as_array()
            .expect("carts")
            .iter()
            .find(|c| c["domain"] == d)
            .expect("nocatalog cart");
        assert_eq!(noc["total"], json!(42.0));
        assert_eq!(noc["currency"], "USD");
    }
}
