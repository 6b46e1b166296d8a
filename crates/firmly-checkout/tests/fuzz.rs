//! Property-based fuzzing (proptest) of everything that reads what a server sends: every
//! decoder, the error parser, the cart → view mapping, readiness and the hive total, fed
//! arbitrary JSON and arbitrary Unicode. Nothing may panic (release builds abort on panic).
//! The test command runs a bounded number of cases; `./.ci/desk fuzz` runs a long campaign
//! (`PROPTEST_CASES`).

use firmly_api::*;
use firmly_checkout::mapping::{self, CartContext};
use firmly_checkout::readiness;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

/// Any string, biased towards what breaks parsers: non-ASCII, `Error` affixes, digits.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "\\PC{0,12}",
        "(Error)?[A-Za-zÀ-ÿ日本€]{0,10}(Error)?",
        "-?[0-9]{1,30}(\\.[0-9]{0,12})?",
        Just(String::new()),
    ]
}

/// Keys the models look for, plus anything.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "cart_id", "id", "line_items", "shipments", "sub_total", "subtotal", "total",
            "shipping_total", "tax_total", "tax", "addon_total", "discount_total", "currency",
            "value", "number", "symbol", "amount", "quantity", "price", "line_price",
            "line_item_id", "shipment_id", "fulfillment_type", "shipping_method",
            "shipping_method_options", "selected_time_slot", "selected_location",
            "selected_date", "time_slots", "available_dates", "pickup_locations",
            "addons", "offers", "selections", "child_offers", "constraints", "notices",
            "severity", "item_id", "payment_method_options", "payment_method", "attributes",
            "session", "shop_properties", "optional_fields", "cart_status",
            "platform_order_number", "promo_codes", "coupons", "error", "code", "description",
            "message", "access_token", "expires", "expires_in", "device_id", "domains",
            "carts", "variants", "handle", "title", "images", "start_time", "end_time",
            "operating_hours", "hours", "distance", "delivery_windows", "pickup_options",
            "kid", "n", "e", "kty", "status", "shipping_info", "billing_info", "address1",
            "state_or_province", "postal_code", "country",
        ]).prop_map(str::to_string),
        1 => text(),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f)
            .map(Value::Number)
            .unwrap_or(Value::Null)),
        prop::sample::select(vec![7.9e28, -7.9e28, 1e300, 0.1, 99999999999999999999.0])
            .prop_map(|f| json!(f)),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 96, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Decodes with one model, ignoring the outcome: only a panic fails.
fn try_all(v: &Value) {
    let _ = decode_cart(v.clone()).map(|cart| {
        let view = mapping::cart_view("shop.example", "Shop", &cart, CartContext::default());
        let _ = serde_json::to_string(&view);
        let _ = readiness::blockers(&cart, Some(&[]), true);
        let _ = readiness::blockers(&cart, None, false);
        let _ = firmly_checkout::service::hive_total([cart.clone(), cart].iter());
    });
    let _ = decode_value::<Availability>(v).map(|a| {
        let _ = mapping::availability_view("s", &a, None);
    });
    let _ = decode_value::<ProductDetails>(v).map(|p| mapping::product_view(&p));
    let _ = decode_value::<Vec<ProductSummary>>(v);
    let _ = decode_value::<ActiveCarts>(v);
    let _ = decode_value::<Vec<Consent>>(v);
    let _ = decode_value::<BrowserSession>(v).map(|b| StoredSession::from(&b));
    let _ = decode_value::<WalletUnlockStart>(v);
    let _ = decode_value::<WalletUnlockComplete>(v);
    let _ = decode_value::<Address>(v);
    let _ = decode_value::<Amount>(v).map(|a| a.to_money("USD").to_decimal_string());
    let _ = PaymentKey::from_jwk(v.clone());
    let body = v.to_string();
    for status in [200u16, 400, 401, 404, 409, 422, 500, 503, 0, 999] {
        let e = ApiError::from_response(status, body.as_bytes(), None);
        let _ = (e.class(), e.to_string(), e.id().len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn decoders_never_panic_on_arbitrary_json(v in json_value()) {
        try_all(&v);
    }

    #[test]
    fn decoders_never_panic_on_cart_like_json(
        items in prop::collection::vec(json_value(), 0..4),
        shipments in prop::collection::vec(json_value(), 0..3),
        total in json_value(),
        extra in json_value(),
    ) {
        let v = json!({
            "cart_id": "c", "line_items": items, "shipments": shipments,
            "total": total, "sub_total": extra.clone(), "addons": extra,
        });
        try_all(&v);
    }

    #[test]
    fn the_error_parser_never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300), status in any::<u16>()) {
        let e = ApiError::from_response(status, &bytes, Some(String::from_utf8_lossy(&bytes).to_string()));
        let _ = (e.class(), e.to_string(), serde_json::to_string(&e));
    }

    #[test]
    fn identifiers_in_any_script_canonicalize(id in text()) {
        let c = canonicalize(&id);
        let _ = ErrorCode::from_id(&id);
        prop_assert!(c.len() <= id.trim().len().max("NotEnoughStock".len()));
    }

    #[test]
    fn minor_units_agree_with_decimals(n in -10_000_000_000i64..10_000_000_000i64) {
        let from_number: Amount = serde_json::from_value(json!({"number": n, "currency": "USD"})).unwrap();
        let value = rust_decimal::Decimal::new(n, 2);
        let from_value: Amount = serde_json::from_value(json!({"value": value.to_string(), "currency": "USD"})).unwrap();
        prop_assert_eq!(from_number.to_money("USD"), from_value.to_money("USD"));
        let shown = from_number.to_money("USD").to_decimal_string();
        prop_assert_eq!(shown.parse::<rust_decimal::Decimal>().unwrap(), value);
        // A JPY amount has no minor digits.
        let yen: Amount = serde_json::from_value(json!({"number": n, "currency": "JPY"})).unwrap();
        prop_assert_eq!(yen.value, rust_decimal::Decimal::from(n));
    }

    #[test]
    fn the_hive_total_is_the_sum_of_open_carts_per_currency(
        totals in prop::collection::vec((0i64..10_000_000, prop::sample::select(vec!["USD", "EUR"]), any::<bool>()), 0..8)
    ) {
        let carts: Vec<CartV2> = totals
            .iter()
            .map(|(n, cur, submitted)| {
                decode_cart(json!({
                    "cart_id": "c", "cart_status": if *submitted { "submitted" } else { "active" },
                    "line_items": [{"line_item_id": "l", "quantity": 1}],
                    "total": {"number": n, "currency": cur}
                }))
                .unwrap()
            })
            .collect();
        let sums = firmly_checkout::service::hive_total(carts.iter());
        for cur in ["USD", "EUR"] {
            let want: i64 = totals.iter().filter(|(_, c, s)| *c == cur && !s).map(|(n, _, _)| n).sum();
            let got = sums.iter().find(|m| m.currency == cur).map(|m| m.amount.parse::<rust_decimal::Decimal>().unwrap());
            if want == 0 && totals.iter().all(|(_, c, s)| *c != cur || *s) {
                prop_assert!(got.is_none());
            } else {
                prop_assert_eq!(got.unwrap(), rust_decimal::Decimal::new(want, 2));
            }
        }
    }
}
