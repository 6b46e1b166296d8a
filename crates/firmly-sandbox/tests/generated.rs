//! The generated merchants `shop-01.test` … `shop-50.test` (CONTRACTS.md §3): on every
//! sandbox, in both profiles, reachable by domain, not among the demo merchants.

mod common;

use common::*;
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn fifty_generated_shops_sell_like_the_others() {
    for profile in PROFILES {
        let s = Sbx::with(profile).await;
        for n in [1, 25, 50] {
            let d = format!("shop-{n:02}.test");
            let list = s
                .ok(Method::GET, &format!("/api/v1/domains-products/{d}"), None)
                .await;
            assert_eq!(list.as_array().expect("list").len(), 3, "{d}");
            let h = s
                .raw(Method::GET, &format!("/api/v1/domains/{d}?id=x"), None, &[])
                .await;
            assert_eq!(h.body["status"], "operational");
        }
        let r = s.get("/api/v1/domains-products/shop-51.test").await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (404, "AllProductsNotFound")
        );
        assert!(!firmly_sandbox::DEMO_MERCHANTS
            .iter()
            .any(|d| d.starts_with("shop-")));

        let d = "shop-37.test";
        let p = s
            .ok(
                Method::GET,
                &format!("/api/v1/domains-products/{d}/enamel-mug"),
                None,
            )
            .await;
        let variant = p["variants"][1]["add_to_cart_payload"]["variant_id"]
            .as_str()
            .expect("variant")
            .to_string();
        let c = s.add(d, &variant, 2).await;
        let kinds: Vec<&str> = c["shipments"][0]["fulfillment_type_options"]
            .as_array()
            .expect("options")
            .iter()
            .map(|f| f["id"].as_str().expect("id"))
            .collect();
        assert_eq!(kinds, vec!["SHIP_TO_ADDRESS"]);
        s.ok(
            Method::POST,
            &format!("/api/v2/domains/{d}/cart/promo-codes"),
            Some(json!({ "promo_codes": ["SAVE10"] })),
        )
        .await;
        let c = s.ship_to(d).await;
        assert_totals(&c);
        if s.profile == firmly_sandbox::Profile::Demo {
            // The demo consent gate; `docs` serves `terms` signed, as its sample.
            let r = s.pay_card(&c, "4111111111111111").await;
            assert_eq!(
                (r.status, r.error_id().as_str()),
                (412, "CheckoutError"),
                "terms first"
            );
        }
        s.grant_required_consents(d).await;
        let r = s.pay_card(&c, "4000000000000002").await;
        assert_eq!(
            (r.status, r.error_id().as_str()),
            (422, "CreditCardDeclined")
        );
        let r = s.pay_card(&c, "4111111111111111").await;
        assert_eq!(r.status, 200, "{}", r.body);
        let orders = s.get("/__sandbox/orders").await.body;
        assert_eq!(orders[0]["domain"], d);
    }
}
