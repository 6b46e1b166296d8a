//! The device's preferred postal code (`POST /api/v2/carts/postal-code`) decides the shipping
//! zone until a shipping address exists, whose postal code then wins (README "Postal-code
//! zone rule"): method prices, delivery dates and pickup store order and distance.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const LUMA: &str = "staging.luma.gift";
const HG: &str = "homegoods.test";

fn prices(s: &Value) -> Vec<i64> {
    s["shipping_method_options"]
        .as_array()
        .expect("options")
        .iter()
        .map(|m| m["price"]["number"].as_i64().expect("price"))
        .collect()
}

async fn prefer(s: &Sbx, postal: Value) {
    let r = s
        .ok(
            Method::POST,
            "/api/v2/carts/postal-code",
            Some(json!({ "postal_code": postal })),
        )
        .await;
    assert_eq!(r["postal_code"], postal);
}

#[tokio::test]
async fn preferred_postal_code_prices_shipping_until_an_address_exists() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let c = s.add(LUMA, "MH07-M-Black", 1).await;
        assert_eq!(prices(&c["shipments"][0]), vec![500, 1500, 2999]);
        // New York is two bands from the merchant (West): +$2.00 per band.
        prefer(&s, json!("10001")).await;
        let c = s.cart(LUMA).await;
        assert_eq!(prices(&c["shipments"][0]), vec![900, 1900, 3399]);
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        assert_eq!(
            active["carts"][0]["shipping_total"],
            json!(0.0),
            "no method chosen yet"
        );
        // Chicago: one band.
        prefer(&s, json!("60601")).await;
        assert_eq!(
            prices(&s.cart(LUMA).await["shipments"][0]),
            vec![700, 1700, 3199]
        );
        // The shipping address (Seattle) wins over the preference.
        let c = s.ship_to(LUMA).await;
        assert_eq!(prices(&c["shipments"][0]), vec![500, 1500, 2999]);
        assert_eq!(c["shipping_total"]["number"], 500);
        // An eastern address costs more; v1 sees the same zone.
        let mut east = address();
        east["city"] = json!("New York");
        east["state_or_province"] = json!("NY");
        east["postal_code"] = json!("10001");
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v1/domains/{LUMA}/cart/shipping-info"),
                Some(east),
            )
            .await;
        assert_eq!(c["shipping_method"]["price"]["number"], 900);
        assert_eq!(c["shipping_total"]["number"], 900);
        assert_totals_v1(&c);
        // Cleared preference (null): no effect on a cart without an address.
        prefer(&s, Value::Null).await;
        let c = s.add("gadgets.test", "GAD-SPK-01", 1).await;
        assert_eq!(prices(&c["shipments"][0]), vec![699, 1499, 2499]);
    }
}

#[tokio::test]
async fn preferred_postal_code_moves_dates_and_orders_stores() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let c = s.add(HG, "HG-LAMP-01", 1).await;
        let lamp = c["shipments"][0]["shipment_id"].clone();
        let c = s.add(HG, "HG-TBL-01", 1).await;
        let table = c["shipments"]
            .as_array()
            .expect("s")
            .iter()
            .find(|x| x["fulfillment_type"]["id"] == "SCHEDULED_DELIVERY")
            .expect("scheduled")["shipment_id"]
            .clone();
        let avail = |id: Value| {
            let s = &s;
            async move {
                s.ok(
                    Method::POST,
                    &format!("/api/v2/domains/{HG}/cart/shipments/get-availability"),
                    Some(json!({ "shipment_id": id })),
                )
                .await
            }
        };
        let first_date = |a: &Value| {
            a["available_dates"][0]["date"]
                .as_str()
                .expect("date")
                .to_string()
        };
        let near = first_date(&avail(table.clone()).await);
        s.ok(
            Method::POST,
            &format!("/api/v2/domains/{HG}/cart/shipments/fulfillment-type"),
            Some(json!({ "shipment_id": lamp, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "HG-SEA-01" })),
        )
        .await;
        let stores = |a: &Value| -> Vec<(String, f64)> {
            a["pickup_locations"]
                .as_array()
                .expect("locations")
                .iter()
                .map(|l| {
                    (
                        l["location_id"].as_str().expect("id").to_string(),
                        l["distance"]["value"].as_f64().expect("miles"),
                    )
                })
                .collect()
        };
        let before = stores(&avail(lamp.clone()).await);
        assert_eq!(
            before,
            vec![
                ("HG-SEA-01".into(), 1.2),
                ("HG-BEL-02".into(), 9.8),
                ("HG-TAC-03".into(), 31.5)
            ]
        );
        // Tacoma: the Tacoma store is nearest.
        prefer(&s, json!("98402")).await;
        let after = stores(&avail(lamp.clone()).await);
        assert_eq!(after[0], ("HG-TAC-03".to_string(), 0.7));
        assert_eq!(after[1].0, "HG-SEA-01");
        // New York: scheduled deliveries start two days later.
        prefer(&s, json!("10001")).await;
        let far = first_date(&avail(table.clone()).await);
        assert!(far > near, "{far} should be after {near}");
        // The date rule holds for the choice too.
        let r = s
            .post(
                &format!("/api/v2/domains/{HG}/cart/shipment/methods"),
                json!({ "shipment_id": table, "shipping_method_id": "STANDARD_SCHEDULED", "selected_date": near }),
            )
            .await;
        if near < far {
            assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorInvalidDate"));
        }
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{HG}/cart/shipment/methods"),
                Some(json!({ "shipment_id": table, "shipping_method_id": "STANDARD_SCHEDULED", "selected_date": far })),
            )
            .await;
        let sched = c["shipments"]
            .as_array()
            .expect("s")
            .iter()
            .find(|x| x["fulfillment_type"]["id"] == "SCHEDULED_DELIVERY")
            .expect("scheduled");
        assert_eq!(sched["shipping_method"]["price"]["number"], 7900 + 400);
    }
}
