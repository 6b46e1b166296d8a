//! Shipments and fulfillment: grouping, availability, fulfillment type, methods, slots.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const HG: &str = "homegoods.test";

fn ids(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|x| x[key].as_str().expect("id").to_string())
        .collect()
}

async fn homegoods_cart(s: &Sbx) -> Value {
    s.add(HG, "HG-SOFA-01-Slate", 1).await;
    s.add(HG, "HG-PIL-01-Ivory", 2).await;
    s.ship_to(HG).await
}

#[tokio::test]
async fn items_are_grouped_by_fulfillment_need() {
    for profile in PROFILES {
        items_are_grouped_by_fulfillment_need_in(profile).await;
    }
}

async fn items_are_grouped_by_fulfillment_need_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let c = s.add(HG, "HG-SOFA-01-Slate", 1).await;
    assert_eq!(c["shipments"].as_array().expect("s").len(), 1);
    let c = s.add(HG, "HG-PIL-01-Ivory", 2).await;
    assert_eq!(c["shipments"].as_array().expect("s").len(), 2);
    let parcel = shipment(&c, "SHIP_TO_ADDRESS");
    let sched = shipment(&c, "SCHEDULED_DELIVERY");
    assert_eq!(
        ids(&parcel["fulfillment_type_options"], "id"),
        vec!["SHIP_TO_ADDRESS", "PICKUP_IN_STORE"]
    );
    assert_eq!(
        ids(&sched["fulfillment_type_options"], "id"),
        vec!["SCHEDULED_DELIVERY"]
    );
    assert_eq!(parcel["line_item_ids"].as_array().expect("l").len(), 1);
    assert_eq!(sched["shipping_method"], Value::Null);
    assert_eq!(sched["selected_date"], Value::Null);
    assert_eq!(sched["selected_time_slot"], Value::Null);
    assert_eq!(sched["selected_location"], Value::Null);
    assert_eq!(
        ids(&sched["shipping_method_options"], "id"),
        vec!["STANDARD_SCHEDULED", "WHITE_GLOVE"]
    );
    // Shipment ids are stable while their items stay.
    let c2 = s.add(HG, "HG-LAMP-01", 1).await;
    assert_eq!(
        shipment(&c2, "SHIP_TO_ADDRESS")["shipment_id"],
        parcel["shipment_id"]
    );
    assert_eq!(
        shipment(&c2, "SHIP_TO_ADDRESS")["line_item_ids"]
            .as_array()
            .expect("l")
            .len(),
        2
    );
    // Shipping info fills the cheapest method of each shipment.
    let c = s.ship_to(HG).await;
    assert_eq!(
        shipment(&c, "SHIP_TO_ADDRESS")["shipping_method"]["id"],
        "STANDARD_GROUND"
    );
    assert_eq!(
        shipment(&c, "SCHEDULED_DELIVERY")["shipping_method"]["id"],
        "STANDARD_SCHEDULED"
    );
    assert_eq!(c["shipping_total"]["number"], 999 + 7900);
    assert_eq!(shipment_cost(shipment(&c, "SCHEDULED_DELIVERY")), 7900);
    assert_totals(&c);
}

#[tokio::test]
async fn scheduled_delivery_dates_slots_and_prices() {
    let s = Sbx::new().await;
    let c = homegoods_cart(&s).await;
    let sched_id = shipment(&c, "SCHEDULED_DELIVERY")["shipment_id"].clone();
    let base = format!("/api/v2/domains/{HG}/cart");
    let a = s
        .ok(
            Method::POST,
            &format!("{base}/shipments/get-availability"),
            Some(json!({ "shipment_id": sched_id })),
        )
        .await;
    assert_eq!(a["shipment_id"], sched_id);
    assert_eq!(a["fulfillment_type"]["id"], "SCHEDULED_DELIVERY");
    let dates = a["available_dates"].as_array().expect("dates");
    assert!(dates.len() >= 10 && dates.len() <= 14, "{}", dates.len());
    let slots: Vec<&Value> = dates
        .iter()
        .flat_map(|d| d["time_slots"].as_array().expect("slots"))
        .collect();
    assert!(slots.iter().any(|t| t["available"] == false));
    assert!(slots
        .iter()
        .any(|t| t["price"]["number"].as_i64() > Some(0)));
    assert_eq!(slots[0]["start_time"].as_str().expect("t").len(), 5);
    let unavailable = slots
        .iter()
        .find(|t| t["available"] == false)
        .expect("unavailable slot");
    let paid = slots
        .iter()
        .find(|t| t["available"] == true && t["price"]["number"] == 2500)
        .expect("paid slot");
    let paid_id = paid["slot_id"].as_str().expect("slot").to_string();
    let paid_date = &paid_id[..10];
    assert!(dates.iter().any(|d| d["date"] == paid_date));

    let methods = format!("{base}/shipment/methods");
    let r = s
        .post(
            &methods,
            json!({ "shipment_id": sched_id, "shipping_method_id": "OVERNIGHT" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidShippingMethod")
    );
    assert!(r.body["details"]["allowed"].is_array());
    let r = s
        .post(
            &methods,
            json!({ "shipment_id": "shp_nope", "shipping_method_id": "WHITE_GLOVE" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorShipmentNotFound")
    );
    let r = s
        .post(
            &methods,
            json!({ "shipment_id": sched_id, "shipping_method_id": "WHITE_GLOVE", "selected_date": "1999-01-01" }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorInvalidDate"));
    let r = s
        .post(
            &methods,
            json!({ "shipment_id": sched_id, "shipping_method_id": "WHITE_GLOVE", "selected_date": "soon" }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorInvalidDate"));
    let r = s
        .post(
            &methods,
            json!({ "shipment_id": sched_id, "shipping_method_id": "WHITE_GLOVE",
                    "selected_time_slot_id": unavailable["slot_id"] }),
        )
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ErrorInvalidDate"));

    // Completion needs a date for the scheduled shipment.
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    assert!(r.body["description"].as_str().expect("d").contains("date"));

    let c = s
        .ok(
            Method::POST,
            &format!("{base}/shipments/methods"),
            Some(
                json!({ "shipment_id": sched_id, "shipping_method_id": "WHITE_GLOVE",
                          "selected_date": paid_date, "selected_time_slot_id": paid_id,
                          "notes": "Leave at the side door" }),
            ),
        )
        .await;
    let sched = shipment(&c, "SCHEDULED_DELIVERY");
    assert_eq!(sched["shipping_method"]["id"], "WHITE_GLOVE");
    assert_eq!(sched["selected_date"], paid_date);
    assert_eq!(sched["selected_time_slot"]["slot_id"], paid_id.as_str());
    assert_eq!(sched["notes"], "Leave at the side door");
    assert_eq!(sched["selected_time_slot"]["price"]["number"], 2500);
    assert_eq!(shipment_cost(sched), 14999 + 2500);
    assert_eq!(c["shipping_total"]["number"], 999 + 14999 + 2500);
    assert_totals(&c);

    s.grant_required_consents(HG).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["cart_status"], "submitted");
    // The order is the v1 Order; the submitted cart (demo) keeps the shipment choices.
    let submitted = s.cart(HG).await;
    assert_eq!(
        shipment(&submitted, "SCHEDULED_DELIVERY")["selected_date"],
        paid_date
    );
}

#[tokio::test]
async fn pickup_in_store_flow() {
    for profile in PROFILES {
        pickup_in_store_flow_in(profile).await;
    }
}

async fn pickup_in_store_flow_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let c = homegoods_cart(&s).await;
    let parcel_id = shipment(&c, "SHIP_TO_ADDRESS")["shipment_id"].clone();
    let sched_id = shipment(&c, "SCHEDULED_DELIVERY")["shipment_id"].clone();
    let base = format!("/api/v2/domains/{HG}/cart");
    let ft = format!("{base}/shipments/fulfillment-type");

    let r = s
        .post(
            &ft,
            json!({ "shipment_id": sched_id, "fulfillment_type": "PICKUP_IN_STORE" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidFulfillmentType")
    );
    assert_eq!(r.body["details"]["provided"], "PICKUP_IN_STORE");
    assert_eq!(r.body["details"]["allowed"], json!(["SCHEDULED_DELIVERY"]));
    let r = s
        .post(
            &ft,
            json!({ "shipment_id": parcel_id, "fulfillment_type": "TELEPORT" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidFulfillmentType")
    );
    let r = s
        .post(
            &ft,
            json!({ "shipment_id": parcel_id, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "NOWHERE" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorLocationNotFound")
    );
    assert_eq!(r.body["details"]["location_id"], "NOWHERE");
    let r = s
        .post(
            &ft,
            json!({ "shipment_id": "shp_x", "fulfillment_type": "PICKUP_IN_STORE" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorShipmentNotFound")
    );

    // Switch without a location (IN_STORE_PICKUP spelling accepted): method reset to null.
    // Demo lets the store be chosen later (C30); docs refuse it ("Location Required: Yes").
    let without = json!({ "shipment_id": parcel_id, "fulfillment_type": "IN_STORE_PICKUP" });
    let switch = match profile {
        Profile::Demo => without,
        Profile::Docs => {
            let r = s.post(&ft, without).await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (400, "ErrorInvalidInputBody")
            );
            assert!(r.body["description"]
                .as_str()
                .is_some_and(|d| d.contains("location_id")));
            json!({ "shipment_id": parcel_id, "fulfillment_type": "IN_STORE_PICKUP", "location_id": "HG-SEA-01" })
        }
    };
    let c = s.ok(Method::POST, &ft, Some(switch)).await;
    let p = shipment(&c, "PICKUP_IN_STORE");
    assert_eq!(p["shipment_id"], parcel_id);
    assert_eq!(p["shipping_method"], Value::Null);
    match profile {
        Profile::Demo => assert_eq!(p["selected_location"], Value::Null),
        Profile::Docs => assert_eq!(p["selected_location"]["location_id"], "HG-SEA-01"),
    }
    assert_eq!(
        ids(&p["shipping_method_options"], "id"),
        vec!["IN_STORE_PICKUP", "CURBSIDE_PICKUP"]
    );
    let a = s
        .ok(
            Method::POST,
            &format!("{base}/shipments/get-availability"),
            Some(json!({ "shipment_id": parcel_id })),
        )
        .await;
    assert_eq!(a["fulfillment_type"]["id"], "PICKUP_IN_STORE");
    let locs = a["pickup_locations"].as_array().expect("locs");
    assert_eq!(
        ids(&a["pickup_locations"], "location_id"),
        vec!["HG-SEA-01", "HG-BEL-02", "HG-TAC-03"]
    );
    assert_eq!(locs[0]["operating_hours"].as_array().expect("h").len(), 7);
    assert_eq!(locs[0]["distance"]["unit"], "miles");

    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (412, "MissingShippingMethod")
    );

    let c = s
        .ok(
            Method::POST,
            &ft,
            Some(json!({ "shipment_id": parcel_id, "fulfillment_type": "PICKUP_IN_STORE", "location_id": "HG-BEL-02" })),
        )
        .await;
    assert_eq!(
        shipment(&c, "PICKUP_IN_STORE")["selected_location"]["location_id"],
        "HG-BEL-02"
    );
    let c = s
        .ok(
            Method::POST,
            &format!("{base}/shipment/methods"),
            Some(json!({ "shipment_id": parcel_id, "shipping_method_id": "CURBSIDE_PICKUP" })),
        )
        .await;
    let p = shipment(&c, "PICKUP_IN_STORE");
    assert_eq!(p["shipping_method"]["id"], "CURBSIDE_PICKUP");
    assert_eq!(shipment_cost(p), 0);
    assert_eq!(c["shipping_total"]["number"], 7900);
    assert_totals(&c);

    // Back to shipping: the location is dropped.
    let c = s
        .ok(
            Method::POST,
            &ft,
            Some(json!({ "shipment_id": parcel_id, "fulfillment_type": "SHIP_TO_ADDRESS" })),
        )
        .await;
    let p = shipment(&c, "SHIP_TO_ADDRESS");
    assert_eq!(p["selected_location"], Value::Null);
    assert_eq!(p["shipping_method"], Value::Null);
    let a = s
        .ok(
            Method::POST,
            &format!("{base}/shipments/get-availability"),
            Some(json!({ "shipment_id": parcel_id })),
        )
        .await;
    assert_eq!(
        ids(&a["shipping_methods"], "id"),
        vec!["STANDARD_GROUND", "EXPEDITED_2DAY"]
    );
    // Ship-to-address estimates in the endpoint-page form.
    let dates = a["available_dates"].as_array().expect("dates");
    assert!(!dates.is_empty());
    assert!(dates[0]["date"].is_string() && dates[0]["description"].is_string());
    assert_eq!(dates[0]["time_slots"][0]["start_time"], "09:00");
    let r = s
        .post(
            &format!("{base}/shipments/get-availability"),
            json!({ "shipment_id": "shp_none" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorShipmentNotFound")
    );
    let r = s
        .post(&format!("{base}/shipments/get-availability"), json!({}))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
}

#[tokio::test]
async fn pickup_only_items_need_a_location() {
    let s = Sbx::new().await;
    let g = "gadgets.test";
    s.add(g, "GAD-BUDS-01-Charcoal", 1).await;
    s.add(g, "GAD-LAP-01", 1).await;
    let c = s.ship_to(g).await;
    assert_eq!(c["shipments"].as_array().expect("s").len(), 2);
    let p = shipment(&c, "PICKUP_IN_STORE");
    assert_eq!(
        ids(&p["fulfillment_type_options"], "id"),
        vec!["PICKUP_IN_STORE"]
    );
    assert_eq!(p["shipping_method"]["id"], "IN_STORE_PICKUP");
    s.grant_required_consents(g).await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains("pickup location"));
    s.ok(
        Method::POST,
        &format!("/api/v2/domains/{g}/cart/shipment/methods"),
        Some(json!({ "shipment_id": p["shipment_id"], "shipping_method_id": "IN_STORE_PICKUP", "location_id": "GAD-SF-01" })),
    )
    .await;
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Demo: the required consent starts unsigned and holds completion (the listed consent gate).
/// Docs: it is served signed, as the docs' sample, and nothing waits for it.
#[tokio::test]
async fn consents_block_completion_until_granted() {
    for profile in PROFILES {
        consents_block_completion_until_granted_in(profile).await;
    }
}

async fn consents_block_completion_until_granted_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let d = "staging.luma.gift";
    s.add(d, "MH07-M-Black", 1).await;
    let c = s.ship_to(d).await;
    let path = format!("/api/v1/domains/{d}/cart/consents");
    let list = s.ok(Method::GET, &path, None).await;
    let items = list.as_array().expect("consents");
    let terms = items.iter().find(|c| c["type"] == "terms").expect("terms");
    let marketing = items
        .iter()
        .find(|c| c["type"] == "marketing")
        .expect("marketing");
    assert_eq!(terms["required"], true);
    assert_eq!(terms["revokable"], false);
    let gate = profile == Profile::Demo;
    assert_eq!(terms["signed"], !gate);
    assert_eq!(marketing["signed"], false);
    assert_eq!(marketing["revokable"], true);
    if !gate {
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "docs: no consent gate: {}", r.body);
        return;
    }
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains(terms["id"].as_str().expect("id")));

    let r = s
        .post(&path, json!({ "consents": [{ "id": "nope" }] }))
        .await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ConsentNotFound"));
    let r = s
        .post(
            &path,
            json!({ "consents": [{ "id": terms["id"], "revoke": true }] }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ConsentNotRevokable")
    );
    let r = s.post(&path, json!({ "consents": [] })).await;
    assert_eq!((r.status, r.error_id().as_str()), (400, "ValidationError"));
    let r = s.post(&path, json!({ "consents": "x" })).await;
    assert_eq!((r.status, r.error_id().as_str()), (422, "InvalidInputBody"));

    let list = s
        .ok(
            Method::PUT,
            &path,
            Some(json!({ "consents": [{ "id": terms["id"] }, { "id": marketing["id"] }] })),
        )
        .await;
    assert!(list
        .as_array()
        .expect("l")
        .iter()
        .all(|c| c["signed"] == true));
    let list = s
        .ok(
            Method::POST,
            &path,
            Some(json!({ "consents": [{ "id": marketing["id"], "revoke": true }] })),
        )
        .await;
    let m = list
        .as_array()
        .expect("l")
        .iter()
        .find(|c| c["type"] == "marketing")
        .expect("m");
    assert_eq!(m["signed"], false);
    let r = s.pay_card(&c, "4111111111111111").await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = s.get("/api/v1/domains/unknown.example/cart/consents").await;
    assert_eq!((r.status, r.error_id().as_str()), (404, "DomainNotFound"));
}
