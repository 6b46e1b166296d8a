//! Property tests of the sandbox's money: for random carts (items, quantities, promo codes,
//! shipping methods, addons) the totals always add up (`total = sub_total + shipping_total +
//! tax_total + addon_total − discount_total`, ENDPOINTS.md §7 C15), line prices are unit
//! price × quantity, and every Amount's minor units (`number`) agree with its decimal
//! `value`, in the v2 cart, the v1 cart and the simplified cart of active carts.

mod common;

use common::Sbx;
use proptest::prelude::*;
use reqwest::Method;
use rust_decimal::Decimal;
use serde_json::{json, Value};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(|n: u32| n.min(400))
        .unwrap_or(24)
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: std::sync::OnceLock<tokio::runtime::Runtime> = std::sync::OnceLock::new();
    RT.get_or_init(|| tokio::runtime::Runtime::new().unwrap())
}

fn dec(v: &Value) -> Decimal {
    match v {
        Value::Number(n) => n.to_string().parse().unwrap(),
        Value::String(s) => s.parse().unwrap(),
        other => panic!("not a number: {other}"),
    }
}

/// An Amount's decimal value, checking that `number` agrees with it.
fn amount(a: &Value) -> Decimal {
    let value = dec(&a["value"]);
    if let Some(n) = a.get("number").and_then(Value::as_i64) {
        assert_eq!(
            Decimal::new(n, 2),
            value,
            "minor units agree with value: {a}"
        );
    }
    value
}

fn assert_adds_up(cart: &Value, addon_total: Decimal) {
    let get = |k: &str| {
        cart.get(k)
            .filter(|v| !v.is_null())
            .map(amount)
            .unwrap_or_default()
    };
    let tax = if cart.get("tax_total").is_some() {
        get("tax_total")
    } else {
        get("tax")
    };
    let discount = if cart.get("discount_total").is_some() {
        get("discount_total")
    } else {
        get("cart_discount")
    };
    // The v1 cart has no addon fields (its schema predates addons): the v2 cart's addon
    // total is what its total carries beyond the documented parts.
    let addons = if cart.get("addon_total").is_some() {
        get("addon_total")
    } else {
        addon_total
    };
    assert_eq!(
        get("total"),
        get("sub_total") + get("shipping_total") + tax + addons - discount,
        "totals add up: {cart}"
    );
    let mut items = Decimal::ZERO;
    for li in cart["line_items"].as_array().unwrap() {
        let unit = amount(&li["price"]);
        let line = amount(&li["line_price"]);
        assert_eq!(
            line,
            unit * Decimal::from(li["quantity"].as_i64().unwrap()),
            "{li}"
        );
        items += line;
    }
    assert_eq!(items, get("sub_total"), "sub_total is the sum of the lines");
}

const LUMA: &[&str] = &["MH07-M-Black", "WS12-S-Blue", "MT07-L-Gray", "24-MB02"];
const HOME: &[&str] = &[
    "HG-PIL-01-Sage",
    "HG-LAMP-01",
    "HG-SOFA-01-Oat",
    "HG-TBL-01",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn totals_always_add_up(
        luma in prop::collection::vec((0usize..LUMA.len(), 1i64..5), 0..4),
        home in prop::collection::vec((0usize..HOME.len(), 1i64..3), 0..3),
        promos in prop::collection::vec(prop::sample::select(vec!["SAVE10", "FREESHIP"]), 0..3),
        address in any::<bool>(),
        protection in any::<bool>(),
        method in 0usize..3,
    ) {
        runtime().block_on(async {
            let s = Sbx::new().await;
            for (domain, picks, skus) in [("staging.luma.gift", &luma, LUMA), ("homegoods.test", &home, HOME)] {
                if picks.is_empty() {
                    continue;
                }
                for (i, q) in picks {
                    s.add(domain, skus[*i], *q).await;
                }
                if address {
                    s.ship_to(domain).await;
                }
                let mut promo_codes: Vec<&str> = promos.clone();
                promo_codes.dedup();
                if !promo_codes.is_empty() {
                    s.call(
                        Method::POST,
                        &format!("/api/v2/domains/{domain}/cart/promo-codes"),
                        Some(json!({ "promo_codes": promo_codes })),
                    )
                    .await;
                }
                let cart = s.cart(domain).await;
                if protection && domain == "staging.luma.gift" {
                    s.call(
                        Method::POST,
                        &format!("/api/v2/domains/{domain}/cart/addons"),
                        Some(json!({"selections": [{"addon_id": "shipping_protection"}]})),
                    )
                    .await;
                }
                if address {
                    if let Some(sh) = cart["shipments"].as_array().and_then(|a| a.first()) {
                        let options = sh["shipping_method_options"].as_array().cloned().unwrap_or_default();
                        if let Some(m) = options.get(method % options.len().max(1)) {
                            s.call(
                                Method::POST,
                                &format!("/api/v2/domains/{domain}/cart/shipment/methods"),
                                Some(json!({"shipment_id": sh["shipment_id"], "shipping_method_id": m["id"]})),
                            )
                            .await;
                        }
                    }
                }
                let v2 = s.cart(domain).await;
                assert_adds_up(&v2, Decimal::ZERO);
                let v1 = s.ok(Method::GET, &format!("/api/v1/domains/{domain}/cart"), None).await;
                assert_adds_up(&v1, amount(&v2["addon_total"]));
                assert_eq!(amount(&v1["total"]), amount(&v2["total"]), "v1 and v2 agree");
            }
            // The simplified cart's bare numbers match the full cart's totals.
            let active = s.get("/api/v2/carts/active").await.body;
            for c in active["carts"].as_array().cloned().unwrap_or_default() {
                let full = s.cart(c["domain"].as_str().unwrap()).await;
                assert_eq!(dec(&c["total"]), amount(&full["total"]), "{c}");
                assert_eq!(dec(&c["subtotal"]), amount(&full["sub_total"]), "{c}");
            }
        });
    }
}
