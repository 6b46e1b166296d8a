//! The documented v1 Cart fields are decoded and exposed, not dropped (ENDPOINTS.md §2.3,
//! the Cart schema table). The docs give no sample carrying them (the schema's own sample
//! stops at `payment_method_options`), so each is checked against its table shape.

use firmly_api::*;
use rust_decimal_macros::dec;
use serde_json::json;

fn usd(value: f64, number: i64) -> serde_json::Value {
    json!({"currency": "USD", "value": value, "number": number, "symbol": "$"})
}

#[test]
fn every_documented_cart_field_is_kept() {
    let cart = decode_cart(json!({
        "cart_id": "30c28ec6-7321-4a61-92ed-8067c59b41e6",
        "platform_id": "merchant_platform",
        "shop_id": "59",
        "line_items": [],
        "validation_errors": {"state_or_province": "Invalid State", "country": "Invalid Country"},
        "is_tax_included_in_price": true,
        "cart_discount": usd(5.0, 500),
        "cart_discount_breakdown": [{"label": "SAVE5", "discount": usd(5.0, 500)}],
        "store_credits": usd(12.5, 1250),
        "available_store_credit": usd(20.0, 2000),
        "reward_points": usd(1.0, 100),
        "available_reward_points": usd(3.0, 300),
        "additional_shipping_methods": [{"sku": "Gift-Wrap-2.00", "description": "Gift wrap", "price": usd(2.0, 200)}],
        "properties": {"gift": true}
    }))
    .unwrap();
    assert_eq!(
        cart.validation_messages(),
        vec![
            ("country".to_string(), "Invalid Country".to_string()),
            ("state_or_province".to_string(), "Invalid State".to_string()),
        ]
    );
    assert_eq!(cart.is_tax_included_in_price, Some(true));
    assert_eq!(cart.cart_discount_breakdown.len(), 1);
    let line = &cart.cart_discount_breakdown[0];
    assert_eq!(line.label.as_deref(), Some("SAVE5"));
    assert_eq!(line.discount.as_ref().unwrap().value, dec!(5));
    assert_eq!(cart.store_credits.as_ref().unwrap().value, dec!(12.5));
    assert_eq!(
        cart.available_store_credit.as_ref().unwrap().value,
        dec!(20)
    );
    assert_eq!(cart.reward_points.as_ref().unwrap().value, dec!(1));
    assert_eq!(
        cart.available_reward_points.as_ref().unwrap().value,
        dec!(3)
    );
    assert_eq!(cart.additional_shipping_methods.len(), 1);
    assert_eq!(cart.additional_shipping_methods[0].id, "Gift-Wrap-2.00");
    assert_eq!(cart.properties, Some(json!({"gift": true})));
    // Exposed to the app (IPC views serialize the cart's fields).
    let wire = serde_json::to_value(&cart).unwrap();
    for k in [
        "validation_errors",
        "is_tax_included_in_price",
        "cart_discount_breakdown",
        "store_credits",
        "reward_points",
        "additional_shipping_methods",
    ] {
        assert!(!wire[k].is_null(), "{k} serialized");
    }
}

#[test]
fn absent_or_odd_forms_never_break_the_cart() {
    let cart = decode_cart(json!({"cart_id": "c", "line_items": []})).unwrap();
    assert!(cart.validation_messages().is_empty());
    assert_eq!(cart.is_tax_included_in_price, None);
    assert!(cart.cart_discount_breakdown.is_empty());
    assert!(cart.additional_shipping_methods.is_empty());
    let cart = decode_cart(json!({"cart_id": "c", "line_items": [],
        "validation_errors": ["Invalid State"], "is_tax_included_in_price": "false",
        "cart_discount_breakdown": {"label": "one", "discount": "n/a"},
        "store_credits": "not money", "additional_shipping_methods": null,
        "validation_errors_extra": 1, "properties": null}))
    .unwrap();
    assert_eq!(
        cart.validation_messages(),
        vec![(String::new(), "Invalid State".to_string())]
    );
    assert_eq!(cart.is_tax_included_in_price, Some(false));
    assert_eq!(
        cart.cart_discount_breakdown[0].label.as_deref(),
        Some("one")
    );
    assert_eq!(cart.cart_discount_breakdown[0].discount, None);
    assert_eq!(cart.store_credits, None);
    assert_eq!(cart.properties, None);
    let cart = decode_cart(
        json!({"cart_id": "c", "line_items": [], "validation_errors": "Invalid Country"}),
    )
    .unwrap();
    assert_eq!(cart.validation_messages()[0].1, "Invalid Country");
}
