//! The v1 Cart's optional fields (ENDPOINTS.md §2.3): the tax-included merchant `vat.test`
//! (`is_tax_included_in_price`), `cart_discount_breakdown`, `additional_shipping_methods`,
//! `validation_errors` (a PO box at `vat.test`) and a logged-in member's `store_credits`,
//! `available_store_credit`, `reward_points`, `available_reward_points` at `members.test`.
//! v1 carts and orders carry them in both profiles; v2 carts only in `demo` (the
//! `v2-cart-fields` extension), never in `docs` (ShoppingCartV2, ENDPOINTS.md §2.4.1).

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::{json, Value};

const VAT: &str = "vat.test";
const LUMA: &str = "staging.luma.gift";
const HG: &str = "homegoods.test";
const MEM: &str = "members.test";

/// Every field this file is about.
const FIELDS: [&str; 8] = [
    "is_tax_included_in_price",
    "validation_errors",
    "cart_discount_breakdown",
    "store_credits",
    "available_store_credit",
    "reward_points",
    "available_reward_points",
    "additional_shipping_methods",
];

async fn v1_cart(s: &Sbx, domain: &str) -> Value {
    s.ok(Method::GET, &format!("/api/v1/domains/{domain}/cart"), None)
        .await
}

/// The v2 cart carries none of [`FIELDS`] in `docs`.
fn assert_docs_v2_plain(v2: &Value) {
    for k in FIELDS {
        assert!(v2.get(k).is_none(), "docs v2 cart has {k}: {v2}");
    }
}

/// The sum of a breakdown's discounts in minor units.
fn breakdown_sum(c: &Value) -> i64 {
    c["cart_discount_breakdown"]
        .as_array()
        .expect("breakdown")
        .iter()
        .map(|l| cents(&l["discount"]))
        .sum()
}

fn labels(c: &Value) -> Vec<String> {
    c["cart_discount_breakdown"]
        .as_array()
        .expect("breakdown")
        .iter()
        .map(|l| l["label"].as_str().expect("label").to_string())
        .collect()
}

#[tokio::test]
async fn the_demo_profile_announces_the_v2_cart_fields() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        let r = s.get(&format!("/api/v1/domains/{LUMA}/cart")).await;
        let announced = r
            .headers
            .get("x-firmly-sandbox-extensions")
            .map(|v| v.to_str().expect("ascii").to_string());
        match profile {
            Profile::Demo => {
                let list = announced.expect("announced");
                let names: Vec<&str> = list.split(',').map(str::trim).collect();
                assert_eq!(names, vec!["time-slot", "v2-cart-fields"]);
            }
            Profile::Docs => assert_eq!(announced, None),
        }
    }
}

#[tokio::test]
async fn vat_test_prices_include_the_tax_and_add_none() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(VAT, "VAT-APRON-01", 1).await;
        let c = s.add(VAT, "VAT-MUG-01-White", 1).await;
        // Before an address: $42.00 of goods, $7.00 of it VAT (42 × 20/120), nothing on top.
        assert_eq!(cents(&c["sub_total"]), 4200);
        assert_eq!(cents(&c["tax_total"]), 700);
        assert_eq!(cents(&c["total"]), 4200);

        let c = s.ship_to(VAT).await;
        assert_eq!(cents(&c["shipping_total"]), 600);
        assert_eq!(cents(&c["tax_total"]), 800, "(42 + 6) / 6");
        assert_eq!(
            cents(&c["total"]),
            4800,
            "subtotal + shipping, no tax on top"
        );
        let v1 = v1_cart(&s, VAT).await;
        assert_eq!(v1["is_tax_included_in_price"], true);
        assert_eq!(cents(&v1["tax"]), 800);
        assert_eq!(cents(&v1["total"]), 4800);
        match profile {
            Profile::Demo => assert_eq!(c["is_tax_included_in_price"], true),
            Profile::Docs => assert_docs_v2_plain(&c),
        }

        // A promo code: the VAT portion follows the discounted base; still nothing on top.
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{VAT}/cart/promo-codes"),
                Some(json!({ "promo_codes": ["SAVE10"] })),
            )
            .await;
        assert_eq!(cents(&c["discount_total"]), 420);
        assert_eq!(cents(&c["tax_total"]), 730, "(42 − 4.20 + 6) / 6");
        assert_eq!(cents(&c["total"]), 4380);

        // The simplified cart agrees: shipment and cart totals without tax on top.
        let active = s.ok(Method::GET, "/api/v2/carts/active", None).await;
        let sc = &active["carts"][0];
        assert_eq!(sc["domain"], VAT);
        assert_eq!(sc["total"], json!(43.8));
        assert_eq!(sc["tax_total"], json!(7.3));
        assert_eq!(sc["shipments"][0]["total"], json!(43.8));

        // The order says so too, and is charged the total.
        if profile == Profile::Demo {
            s.grant_required_consents(VAT).await;
        }
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["is_tax_included_in_price"], true);
        assert_eq!(cents(&r.body["tax"]), 730);
        assert_eq!(cents(&r.body["total"]), 4380);
        let orders = s.get("/__sandbox/orders").await.body;
        assert_eq!(orders[0]["total"], "43.80");
    }
}

#[tokio::test]
async fn other_merchants_say_their_tax_is_added() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let c = s.ship_to(LUMA).await;
        let v1 = v1_cart(&s, LUMA).await;
        assert_eq!(v1["is_tax_included_in_price"], false);
        assert_eq!(
            cents(&v1["total"]),
            cents(&v1["sub_total"]) + cents(&v1["shipping_total"]) + cents(&v1["tax"])
        );
        match profile {
            Profile::Demo => assert_eq!(c["is_tax_included_in_price"], false),
            Profile::Docs => assert_docs_v2_plain(&c),
        }
    }
}

#[tokio::test]
async fn the_discount_breakdown_lists_each_code() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        s.ship_to(LUMA).await;
        let v1 = v1_cart(&s, LUMA).await;
        assert_eq!(
            v1["cart_discount_breakdown"],
            json!([]),
            "no codes, no lines"
        );

        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{LUMA}/cart/promo-codes"),
                Some(json!({ "promo_codes": ["SAVE10", "FREESHIP"] })),
            )
            .await;
        let v1 = v1_cart(&s, LUMA).await;
        assert_eq!(labels(&v1), vec!["SAVE10", "FREESHIP"]);
        let lines = v1["cart_discount_breakdown"].as_array().expect("lines");
        assert_eq!(cents(&lines[0]["discount"]), 540, "10 % of $54");
        assert_eq!(cents(&lines[1]["discount"]), 500, "the $5 ground shipping");
        assert_eq!(breakdown_sum(&v1), cents(&v1["cart_discount"]));
        match profile {
            Profile::Demo => {
                assert_eq!(c["cart_discount_breakdown"], v1["cart_discount_breakdown"]);
                assert_eq!(breakdown_sum(&c), cents(&c["discount_total"]));
            }
            Profile::Docs => assert_docs_v2_plain(&c),
        }

        // v1 coupons (best valid subset): only the code that discounts is listed.
        let v1 = s
            .ok(
                Method::POST,
                &format!("/api/v1/domains/{LUMA}/cart/promo-codes"),
                Some(json!({ "promo_codes": ["EXPIRED", "FREESHIP"] })),
            )
            .await;
        assert_eq!(labels(&v1), vec!["FREESHIP"]);
        assert_eq!(breakdown_sum(&v1), cents(&v1["cart_discount"]));
        let v1 = s
            .ok(
                Method::DELETE,
                &format!("/api/v1/domains/{LUMA}/cart/promo-codes"),
                None,
            )
            .await;
        assert_eq!(v1["cart_discount_breakdown"], json!([]));
    }
}

#[tokio::test]
async fn additional_shipping_methods_are_the_later_shipments_methods() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(HG, "HG-LAMP-01", 1).await;
        let c = s.ship_to(HG).await;
        assert_eq!(
            v1_cart(&s, HG).await["additional_shipping_methods"],
            json!([])
        );
        if profile == Profile::Demo {
            assert_eq!(c["additional_shipping_methods"], json!([]));
        }

        s.add(HG, "HG-SOFA-01-Slate", 1).await;
        let c = s.ship_to(HG).await;
        let second = &c["shipments"][1]["shipping_method"];
        assert!(second["id"].is_string(), "{c}");
        let v1 = v1_cart(&s, HG).await;
        let extra = v1["additional_shipping_methods"].as_array().expect("list");
        assert_eq!(extra.len(), 1);
        assert_eq!(extra[0]["sku"], second["id"]);
        assert_eq!(extra[0]["price"], second["price"]);
        assert_eq!(
            v1["shipping_method"]["sku"],
            c["shipments"][0]["shipping_method"]["id"]
        );
        match profile {
            Profile::Demo => assert_eq!(c["additional_shipping_methods"], json!([second])),
            Profile::Docs => assert_docs_v2_plain(&c),
        }
    }
}

#[tokio::test]
async fn a_po_box_at_vat_test_is_a_validation_error_that_blocks_the_order() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(VAT, "VAT-SCARF-01", 1).await;
        let mut po_box = address();
        po_box["address1"] = json!("P.O. Box 42");
        let c = s
            .ok(
                Method::POST,
                &format!("/api/v2/domains/{VAT}/cart/shipping-info"),
                Some(po_box),
            )
            .await;
        let v1 = v1_cart(&s, VAT).await;
        assert_eq!(
            v1["validation_errors"],
            json!({ "address1": "VAT Shop Test does not deliver to PO boxes." })
        );
        match profile {
            Profile::Demo => assert_eq!(c["validation_errors"], v1["validation_errors"]),
            Profile::Docs => assert_docs_v2_plain(&c),
        }
        if profile == Profile::Demo {
            s.grant_required_consents(VAT).await;
        }
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!((r.status, r.error_id().as_str()), (412, "CheckoutError"));
        assert!(r.body["description"]
            .as_str()
            .expect("description")
            .contains("PO boxes"));

        // A street address clears it, and the order goes through.
        let c = s.ship_to(VAT).await;
        assert!(v1_cart(&s, VAT).await.get("validation_errors").is_none());
        assert!(c.get("validation_errors").is_none());
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
}

#[tokio::test]
async fn other_merchants_accept_a_po_box() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let mut po_box = address();
        po_box["address1"] = json!("PO Box 42");
        s.ok(
            Method::POST,
            &format!("/api/v2/domains/{LUMA}/cart/shipping-info"),
            Some(po_box),
        )
        .await;
        assert!(v1_cart(&s, LUMA).await.get("validation_errors").is_none());
    }
}

async fn login_member(s: &Sbx) {
    s.ok(
        Method::POST,
        &format!("/api/v1/domains/{MEM}/session/create-otp"),
        Some(json!({ "email": "member@example.com" })),
    )
    .await;
    let otp = s
        .ok(Method::GET, "/__sandbox/otp?email=member@example.com", None)
        .await["otp"]
        .clone();
    s.ok(
        Method::POST,
        &format!("/api/v1/domains/{MEM}/session/validate-otp"),
        Some(json!({ "email": "member@example.com", "otp": otp })),
    )
    .await;
}

const MEMBER_FIELDS: [&str; 4] = [
    "store_credits",
    "available_store_credit",
    "reward_points",
    "available_reward_points",
];

#[tokio::test]
async fn a_logged_in_member_sees_store_credit_and_reward_points() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        s.add(MEM, "MEM-HD-01-M", 1).await;
        let c = s.add(MEM, "MEM-TOTE-01", 1).await;
        let v1 = v1_cart(&s, MEM).await;
        for k in MEMBER_FIELDS {
            assert!(v1.get(k).is_none(), "logged out, no {k}: {v1}");
            assert!(c.get(k).is_none(), "logged out, no {k}: {c}");
        }

        login_member(&s).await;
        let v1 = v1_cart(&s, MEM).await;
        let sub_total = cents(&v1["sub_total"]);
        assert_eq!(cents(&v1["store_credits"]), 1500);
        assert_eq!(
            cents(&v1["available_store_credit"]),
            1500.min(cents(&v1["total"]))
        );
        // Points are Amounts whose value is the count: one per whole dollar of subtotal.
        let points = |k: &str| v1[k]["value"].as_f64().expect("points");
        assert_eq!(points("reward_points"), (sub_total / 100) as f64);
        assert_eq!(points("available_reward_points"), 250.0);
        assert_eq!(v1["available_reward_points"]["number"], json!(25000));

        let c = s.cart(MEM).await;
        match profile {
            Profile::Demo => {
                for k in MEMBER_FIELDS {
                    assert_eq!(c[k], v1[k], "{k}");
                }
            }
            Profile::Docs => assert_docs_v2_plain(&c),
        }

        // Store credit is information: it does not change the total.
        assert_eq!(
            cents(&v1["total"]),
            cents(&v1["sub_total"]) + cents(&v1["shipping_total"]) + cents(&v1["tax"])
        );
    }
}

#[tokio::test]
async fn member_fields_need_the_member_merchant() {
    // Logged in at members.test, another merchant's cart carries no member fields.
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        login_member(&s).await;
        s.add(LUMA, "MH07-M-Black", 1).await;
        let v1 = v1_cart(&s, LUMA).await;
        for k in MEMBER_FIELDS {
            assert!(v1.get(k).is_none(), "{k}: {v1}");
        }
    }
}
