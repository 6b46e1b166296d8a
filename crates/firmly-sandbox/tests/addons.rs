//! Addons of every tier on homegoods.test and the cart-level toggle on staging.luma.gift.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const HG: &str = "homegoods.test";

fn offer<'a>(cart: &'a Value, id: &str) -> &'a Value {
    cart["addons"]["offers"]
        .as_array()
        .expect("offers")
        .iter()
        .find(|o| o["addon_id"] == id)
        .unwrap_or_else(|| panic!("offer {id} missing: {}", cart["addons"]))
}

fn line_id(cart: &Value, sku: &str) -> String {
    cart["line_items"]
        .as_array()
        .expect("lines")
        .iter()
        .find(|l| l["sku"] == sku)
        .and_then(|l| l["line_item_id"].as_str())
        .expect("line")
        .to_string()
}

async fn set(s: &Sbx, selections: Value) -> Resp {
    s.post(
        &format!("/api/v2/domains/{HG}/cart/addons"),
        json!({ "selections": selections }),
    )
    .await
}

#[tokio::test]
async fn cart_level_shipping_protection_toggle() {
    for profile in PROFILES {
        cart_level_shipping_protection_toggle_in(profile).await;
    }
}

async fn cart_level_shipping_protection_toggle_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let d = "staging.luma.gift";
    let r = s
        .post(
            &format!("/api/v2/domains/{d}/cart/addons"),
            json!({ "selections": [{ "addon_id": "shipping_protection" }] }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorCartNotFound"),
        "no cart yet"
    );
    let c = s.add(d, "MH07-M-Black", 1).await;
    let o = offer(&c, "shipping_protection");
    assert_eq!(o["scope"], "CART");
    assert_eq!(o["coverage_mode"], "PREDEFINED_GROUP");
    assert_eq!(o["display"]["name"], "Shipping Protection");
    assert_eq!(o["price"]["number"], 298);
    let c = s
        .ok(
            Method::PUT,
            &format!("/api/v2/domains/{d}/cart/addons"),
            Some(json!({ "selections": [{ "addon_id": "shipping_protection" }] })),
        )
        .await;
    assert_eq!(c["addon_total"]["number"], 298);
    assert_eq!(c["addons"]["selections"][0]["price"]["number"], 298);
    assert_eq!(c["total"]["number"], 5400 + 298);
    assert_totals(&c);
    let c = s
        .ok(
            Method::POST,
            &format!("/api/v2/domains/{d}/cart/addons/_remove"),
            Some(json!({ "addon_id": "shipping_protection" })),
        )
        .await;
    assert_eq!(c["addon_total"]["number"], 0);
    let r = s
        .post(
            &format!("/api/v2/domains/{d}/cart/addons/_remove"),
            json!({ "addon_id": "shipping_protection" }),
        )
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    // Clearing the cart drops selections.
    s.ok(
        Method::POST,
        &format!("/api/v2/domains/{d}/cart/addons"),
        Some(json!({ "selections": [{ "addon_id": "shipping_protection" }] })),
    )
    .await;
    let c = s
        .ok(
            Method::DELETE,
            &format!("/api/v2/domains/{d}/cart/line-items"),
            None,
        )
        .await;
    assert_eq!(c["addons"]["selections"], json!([]));
    assert_eq!(c["addon_total"]["number"], 0);
}

#[tokio::test]
async fn per_item_protection_plan() {
    for profile in PROFILES {
        per_item_protection_plan_in(profile).await;
    }
}

async fn per_item_protection_plan_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(HG, "HG-SOFA-01-Oat", 1).await;
    s.add(HG, "HG-DW-01", 2).await;
    let c = s.add(HG, "HG-LAMP-01", 1).await;
    let sofa = line_id(&c, "HG-SOFA-01-Oat");
    let dw = line_id(&c, "HG-DW-01");
    let lamp = line_id(&c, "HG-LAMP-01");
    let o = offer(&c, "hg_protection_plan");
    assert_eq!(o["scope"], "ITEM");
    assert_eq!(o["coverage_mode"], "PER_ITEM");
    assert_eq!(o["eligible_line_item_ids"], json!([sofa, dw]));
    assert_eq!(o["line_item_pricing"][&sofa]["price"]["number"], 8999);
    assert_eq!(o["line_item_pricing"][&dw]["price"]["number"], 2 * 4999);

    let r = set(
        &s,
        json!([{ "addon_id": "hg_protection_plan", "selected_line_item_ids": [lamp] }]),
    )
    .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains("not eligible"));
    let r = set(&s, json!([{ "addon_id": "hg_protection_plan" }])).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    let r = set(&s, json!([{ "addon_id": "nope" }])).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    let r = set(&s, json!([])).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );

    let r = set(
        &s,
        json!([{ "addon_id": "hg_protection_plan", "selected_line_item_ids": [sofa, dw] }]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let sel = &r.body["addons"]["selections"][0];
    assert_eq!(sel["price"]["number"], 8999 + 9998);
    assert_eq!(sel["line_item_pricing"][&dw]["price"]["number"], 9998);
    assert_eq!(r.body["addon_total"]["number"], 8999 + 9998);
    assert_totals(&r.body);

    // Removing the sofa drops it from the selection; removing the dishwasher too drops it all.
    let c = s
        .ok(
            Method::PUT,
            &format!("/api/v2/domains/{HG}/cart/line-items/{sofa}"),
            Some(json!({ "quantity": 0 })),
        )
        .await;
    assert_eq!(
        c["addons"]["selections"][0]["selected_line_item_ids"],
        json!([dw])
    );
    assert_eq!(c["addon_total"]["number"], 9998);
    let c = s
        .ok(
            Method::PUT,
            &format!("/api/v2/domains/{HG}/cart/line-items/{dw}"),
            Some(json!({ "quantity": 0 })),
        )
        .await;
    assert_eq!(c["addons"]["selections"], json!([]));
    assert_eq!(c["addon_total"]["number"], 0);
    assert_totals(&c);
}

#[tokio::test]
async fn group_addons_children_and_prerequisites() {
    for profile in PROFILES {
        group_addons_children_and_prerequisites_in(profile).await;
    }
}

async fn group_addons_children_and_prerequisites_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(HG, "HG-SOFA-01-Slate", 1).await;
    s.add(HG, "HG-TBL-01", 1).await;
    let c = s.add(HG, "HG-PIL-01-Sage", 2).await;
    let sofa = line_id(&c, "HG-SOFA-01-Slate");
    let table = line_id(&c, "HG-TBL-01");
    let pillow = line_id(&c, "HG-PIL-01-Sage");
    assert_eq!(
        offer(&c, "hg_assembly")["eligible_line_item_ids"],
        json!([sofa, table])
    );
    let bundle = offer(&c, "hg_care_bundle");
    assert_eq!(bundle["coverage_mode"], "FREE_GROUPING");
    let children = bundle["child_offers"].as_array().expect("children");
    assert_eq!(children.len(), 3);
    assert!(children.iter().all(|c| c["scope"] == "INHERIT"));
    assert_eq!(
        children[0]["constraints"]["exclusive_group_id"],
        "hg_care_finish"
    );
    assert_eq!(
        offer(&c, "hg_haul_away")["constraints"]["requires_addon_ids"],
        json!(["hg_assembly"])
    );

    // PREDEFINED_GROUP is all-or-nothing.
    let r = set(
        &s,
        json!([{ "addon_id": "hg_assembly", "selected_line_item_ids": [sofa] }]),
    )
    .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    // The prerequisite must be selected.
    let r = set(&s, json!([{ "addon_id": "hg_haul_away" }])).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains("hg_assembly"));
    // Exclusive children.
    let r = set(
        &s,
        json!([{ "addon_id": "hg_care_bundle", "selected_line_item_ids": [sofa],
                 "selected_child_ids": ["hg_care_fabric", "hg_care_leather"] }]),
    )
    .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains("exclusive"));
    let r = set(
        &s,
        json!([{ "addon_id": "hg_care_bundle", "selected_line_item_ids": [sofa], "selected_child_ids": ["hg_care_x"] }]),
    )
    .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (422, "ErrorUnprocessableEntity")
    );

    let r = set(
        &s,
        json!([
            { "addon_id": "hg_assembly" },
            { "addon_id": "hg_haul_away" },
            { "addon_id": "hg_care_bundle", "selected_line_item_ids": [sofa, pillow],
              "selected_child_ids": ["hg_care_fabric", "hg_care_stain"] }
        ]),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let c = r.body;
    let sels = c["addons"]["selections"].as_array().expect("sels");
    assert_eq!(sels.len(), 3);
    assert_eq!(sels[0]["selected_line_item_ids"], json!([sofa, table]));
    assert_eq!(sels[0]["price"]["number"], 14900);
    assert_eq!(sels[2]["price"]["number"], 14999 + 7500 + 2500);
    assert_eq!(
        c["addon_total"]["number"],
        14900 + 4900 + 14999 + 7500 + 2500
    );
    assert_totals(&c);

    // Removing the prerequisite removes what depends on it.
    let c = s
        .ok(
            Method::POST,
            &format!("/api/v2/domains/{HG}/cart/addons/_remove"),
            Some(json!({ "addon_id": "hg_assembly" })),
        )
        .await;
    let ids: Vec<&str> = c["addons"]["selections"]
        .as_array()
        .expect("s")
        .iter()
        .map(|s| s["addon_id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, vec!["hg_care_bundle"]);
    // Removing the only furniture drops the group offers' selections.
    for id in [&sofa, &table] {
        s.ok(
            Method::POST,
            &format!("/api/v2/domains/{HG}/cart/line-items/{id}"),
            Some(json!({ "quantity": 0 })),
        )
        .await;
    }
    let c = s.cart(HG).await;
    assert_eq!(
        c["addons"]["selections"][0]["selected_line_item_ids"],
        json!([pillow])
    );
    assert!(c["addons"]["offers"]
        .as_array()
        .expect("o")
        .iter()
        .all(|o| o["addon_id"] != "hg_assembly"));
    assert_totals(&c);
}
