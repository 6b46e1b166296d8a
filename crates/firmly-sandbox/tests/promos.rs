//! Promo codes v2: SAVE10, FREESHIP, EXPIRED and input limits.

mod common;

use common::*;
use firmly_sandbox::Profile;
use reqwest::Method;
use serde_json::json;

const LUMA: &str = "staging.luma.gift";

#[tokio::test]
async fn save10_and_freeship_discounts() {
    for profile in PROFILES {
        save10_and_freeship_discounts_in(profile).await;
    }
}

async fn save10_and_freeship_discounts_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    s.add(LUMA, "MH07-M-Black", 1).await;
    s.add(LUMA, "WS12-XS-Purple", 2).await;
    s.ship_to(LUMA).await;
    let path = format!("/api/v2/domains/{LUMA}/cart/promo-codes");
    let c = s
        .ok(
            Method::POST,
            &path,
            Some(json!({ "promo_codes": ["save10"] })),
        )
        .await;
    assert_eq!(c["promo_codes"], json!(["SAVE10"]));
    assert_eq!(c["coupons"], json!(["SAVE10"]));
    assert_eq!(c["line_items"][0]["discounts"][0]["code"], "SAVE10");
    assert_eq!(c["line_items"][0]["discounts"][0]["amount"]["number"], 540);
    assert_eq!(c["line_items"][1]["discounts"][0]["amount"]["number"], 440);
    assert_eq!(c["discount_total"]["number"], 980);
    // Tax base: items − item discounts + shipping = 9800 − 980 + 500 = 9320 → 8.25 % = 768.9 → 769
    assert_eq!(c["tax_total"]["number"], 769);
    assert_totals(&c);
    let c = s
        .ok(
            Method::PUT,
            &path,
            Some(json!({ "promo_codes": ["FREESHIP"] })),
        )
        .await;
    assert_eq!(c["promo_codes"], json!(["SAVE10", "FREESHIP"]));
    assert_eq!(c["shipments"][0]["discounts"][0]["code"], "FREESHIP");
    assert_eq!(c["shipments"][0]["discounts"][0]["amount"]["number"], 500);
    // C15: shipping_total stays pre-discount; the discount is in discount_total.
    assert_eq!(c["shipping_total"]["number"], 500);
    assert_eq!(c["discount_total"]["number"], 980 + 500);
    assert_totals(&c);
    let c = s.ok(Method::DELETE, &path, None).await;
    assert_eq!(c["promo_codes"], json!([]));
    assert_eq!(c["discount_total"]["number"], 0);
    assert_eq!(c["line_items"][0]["discounts"], json!([]));
    assert_totals(&c);
}

#[tokio::test]
async fn promo_code_errors() {
    for profile in PROFILES {
        promo_code_errors_in(profile).await;
    }
}

async fn promo_code_errors_in(profile: Profile) {
    let s = Sbx::with(profile).await;
    let path = format!("/api/v2/domains/{LUMA}/cart/promo-codes");
    let r = s.post(&path, json!({ "promo_codes": ["SAVE10"] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorCartNotFound")
    );
    let r = s.call(Method::DELETE, &path, None).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (404, "ErrorCartNotFound")
    );
    s.add(LUMA, "MH07-M-Black", 1).await;
    s.ok(
        Method::DELETE,
        &format!("/api/v2/domains/{LUMA}/cart/line-items"),
        None,
    )
    .await;
    let r = s.post(&path, json!({ "promo_codes": ["SAVE10"] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorPromoNotAvailable")
    );
    s.add(LUMA, "MH07-M-Black", 1).await;
    let r = s.post(&path, json!({ "promo_codes": ["EXPIRED"] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidPromoCode")
    );
    assert!(r.body["description"]
        .as_str()
        .expect("d")
        .contains("expired"));
    let r = s
        .post(&path, json!({ "promo_codes": ["SAVE10", "BOGUS"] }))
        .await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidPromoCode")
    );
    let c = s.cart(LUMA).await;
    assert_eq!(c["promo_codes"], json!([]), "all-or-nothing");
    let many: Vec<String> = (0..11).map(|_| "SAVE10".to_string()).collect();
    let r = s.post(&path, json!({ "promo_codes": many })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let r = s.post(&path, json!({ "promo_codes": [] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
    let r = s.post(&path, json!({ "codes": ["SAVE10"] })).await;
    assert_eq!(
        (r.status, r.error_id().as_str()),
        (400, "ErrorInvalidInputBody")
    );
}
