//! The endpoint table of the doc-replay server: every documented route (ENDPOINTS.md §1),
//! the docs' sample it answers with, and the minimal substitution where a sample cannot work
//! as it is (each one explained).

use crate::fixture::fixture;

/// What the server does to a docs sample before serving it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Substitution {
    /// Served byte for byte.
    Verbatim,
    /// An invalid sample made valid by replacing every `find` with `replace` (the minimum fix).
    Fix {
        find: &'static str,
        replace: &'static str,
    },
    /// An invalid sample whose only defect is JavaScript `//` comments: comments removed.
    StripComments,
    /// A field the flow needs but the page's sample lacks, inserted as the first member;
    /// `value` (JSON text) is copied from the docs' sample named by `from` (a fixture).
    AddField {
        field: &'static str,
        value: &'static str,
        from: &'static str,
    },
}

/// One row of the endpoint table.
#[derive(Debug, Clone, Copy)]
pub struct Route {
    /// ENDPOINTS.md §1 row.
    pub number: u8,
    /// Accepted methods (the docs give `POST|PUT` for several).
    pub methods: &'static [&'static str],
    /// Path pattern: `{name}` matches one segment, `{*name}` the rest; a trailing `/` on the
    /// request is ignored.
    pub pattern: &'static str,
    /// Fixture served, or `None` when the docs show no response sample (→ 404 RouteNotFound).
    pub fixture: Option<&'static str>,
    pub substitution: Substitution,
}

const fn r(
    number: u8,
    methods: &'static [&'static str],
    pattern: &'static str,
    fixture: &'static str,
) -> Route {
    Route {
        number,
        methods,
        pattern,
        fixture: Some(fixture),
        substitution: Substitution::Verbatim,
    }
}

const fn none(number: u8, methods: &'static [&'static str], pattern: &'static str) -> Route {
    Route {
        number,
        methods,
        pattern,
        fixture: None,
        substitution: Substitution::Verbatim,
    }
}

const GET: &[&str] = &["GET"];
const POST: &[&str] = &["POST"];
const DELETE: &[&str] = &["DELETE"];
const POST_PUT: &[&str] = &["POST", "PUT"];

/// `payment_handle` of Integration Example 1's shipping step (ENDPOINTS.md §7 C44).
const V1_PAYMENT_HANDLE: &str = "\"e90fea27-1dab-46be-a1fc-ab35153b478a|7MKbEEipeJO4h8SohZbSDHZ2Ic6hGVscesqO8bf1rpp/vUot01ucfWhSt9u6zabZIQr1Ua1yhUz+BgBag5j2zRbd9euOBkXDPuvqxFVUVbXyEfiygWCrpthXZfH0eh4O/vfpIeoKSEsxraIgfc73tUByK9Xw8LF1X2NAzwSRTGMWH6kg64gSYtVZhVBWY3nUpiXM1XKRtovsUz0YsTLmzVRJc6ABG9rAZ3cS3QIgLmXnog8X41bItGWI2QleZxQeJJlMntLnwn4taGIryafXgh1EXQD3lMMrjhI9Jtwga1sp6J+u8KviBUVpu/7kx3kLq2tVjT4mqjngCsBmScl7Buo5m1OSfYFXxglM\"";

/// Every documented endpoint (ENDPOINTS.md §1), with the fixture it answers with.
pub const ROUTES: &[Route] = &[
    r(
        1,
        POST,
        "/api/v1/browser-session",
        "002-L6999-browser-session-response.json",
    ),
    Route {
        // The only sample of the page lacks the `,` after each variant's
        // `add_to_cart_payload` object (C41); the comma is inserted.
        substitution: Substitution::Fix {
            find: "\"quantity\" : 1\n            }\n            \"price\"",
            replace: "\"quantity\" : 1\n            },\n            \"price\"",
        },
        ..r(
            2,
            GET,
            "/api/v1/domains-products/{domain}/{*handle}",
            "002-L6243-get-a-product-from-merchant-response.json",
        )
    },
    r(
        3,
        GET,
        "/api/v1/domains-products/{domain}",
        "002-L6573-get-all-products-from-merchant-response.json",
    ),
    r(
        4,
        GET,
        "/api/v1/domains-pdp",
        "002-L6641-get-product-info-from-url-response.json",
    ),
    r(
        5,
        POST,
        "/api/v1/domains/{domain}/cart/line-items/{sku}/quantity/{quantity}",
        "002-L71-add-item-to-cart-response.json",
    ),
    r(
        6,
        POST_PUT,
        "/api/v1/domains/{domain}/cart/line-items/{sku}",
        "002-L758-update-item-in-cart-response.json",
    ),
    r(
        7,
        GET,
        "/api/v1/domains/{domain}/cart",
        "002-L287-get-cart-sample-response-if-shipping-response.json",
    ),
    r(
        8,
        DELETE,
        "/api/v1/domains/{domain}/cart/line-items",
        "002-L191-clear-cart-response.json",
    ),
    Route {
        // `"attribution" {` lacks its `:` (C41); the colon is inserted.
        substitution: Substitution::Fix {
            find: "\"attribution\" {",
            replace: "\"attribution\": {",
        },
        ..r(
            9,
            POST_PUT,
            "/api/v1/domains/{domain}/cart/attribution",
            "002-L559-set-cart-attribution-response.json",
        )
    },
    r(
        10,
        GET,
        "/api/v2/domains/{domain}/cart",
        "002-L2088-get-cart-v2-response.json",
    ),
    r(
        11,
        POST,
        "/api/v2/domains/{domain}/cart/line-items",
        "002-L1588-add-line-item-v2-response.json",
    ),
    r(
        12,
        POST_PUT,
        "/api/v2/domains/{domain}/cart/line-items/{line_item_id}",
        "002-L2233-update-line-item-v2-response.json",
    ),
    r(
        13,
        DELETE,
        "/api/v2/domains/{domain}/cart/line-items",
        "002-L1856-clear-cart-v2-response.json",
    ),
    r(
        14,
        POST_PUT,
        "/api/v2/domains/{domain}/cart/addons",
        "002-L880-add-addon-v2-cart-level-addon-shipping-response.json",
    ),
    Route {
        // `"selections": []  // Empty after removal`: the JavaScript comment is removed.
        substitution: Substitution::StripComments,
        ..r(
            15,
            POST_PUT,
            "/api/v2/domains/{domain}/cart/addons/_remove",
            "002-L1225-remove-addon-v2-remove-shipping-protection-response.json",
        )
    },
    r(
        16,
        POST,
        "/api/v2/domains/{domain}/cart/shipments/get-availability",
        "002-L4756-get-availability-v2-standard-shipping-availability-response.json",
    ),
    r(
        17,
        POST,
        "/api/v2/domains/{domain}/cart/shipments/fulfillment-type",
        "002-L5253-set-fulfillment-type-v2-switch-to-standard-shipping-response.json",
    ),
    r(
        18,
        POST,
        "/api/v2/domains/{domain}/cart/shipment/methods",
        "002-L5732-set-shipping-method-v2-standard-shipping-method-response.json",
    ),
    Route {
        // No valid v2 cart sample carries `payment_handle`, which v3 completion needs
        // (F6 step 9); the handle of the Get Cart v2 page (004:174, a sample that is
        // otherwise invalid JSON) is inserted.
        substitution: Substitution::AddField {
            field: "payment_handle",
            value: "\"pay_01H2XVBR8C8JS5MQSFPJ8HF9SE\"",
            from: "004-L18-get-cart-v2-response.json",
        },
        ..r(
            19,
            POST_PUT,
            "/api/v2/domains/{domain}/cart/shipping-info",
            "002-L2821-set-shipping-info-v2-standard-shipping-address-response.json",
        )
    },
    r(
        20,
        POST_PUT,
        "/api/v2/domains/{domain}/cart/billing-info",
        "002-L2410-set-billing-info-v2-different-billing-address-response.json",
    ),
    r(
        21,
        POST_PUT,
        "/api/v2/domains/{domain}/cart/promo-codes",
        "002-L3307-add-promo-codes-v2-single-promo-code-response.json",
    ),
    r(
        22,
        DELETE,
        "/api/v2/domains/{domain}/cart/promo-codes",
        "002-L3696-clear-promo-codes-v2-clear-all-promo-codes-response.json",
    ),
    r(
        23,
        POST,
        "/api/v1/domains/{domain}/cart/promo-codes",
        "002-L7382-apply-coupon-s-response.json",
    ),
    r(
        24,
        DELETE,
        "/api/v1/domains/{domain}/cart/promo-codes",
        "002-L7517-clear-coupons-response.json",
    ),
    r(
        25,
        GET,
        "/api/v1/domains/{domain}/cart/consents",
        "002-L7101-get-consents-response.json",
    ),
    r(
        26,
        POST_PUT,
        "/api/v1/domains/{domain}/cart/consents",
        "002-L7251-set-consents-response.json",
    ),
    r(
        27,
        POST,
        "/api/v1/domains/{domain}/express/paypal/start",
        "002-L8064-start-express-checkout-response.json",
    ),
    r(
        28,
        POST,
        "/api/v1/domains/{domain}/express/paypal/authorize",
        "002-L7673-authorize-express-checkout-response.json",
    ),
    r(
        29,
        POST,
        "/api/v1/domains/{domain}/express/paypal/complete-order",
        "002-L7885-complete-express-checkout-response.json",
    ),
    // `format=PEM` / `format=RSA` answer the same key as PEM text (see `key_pem`).
    r(
        30,
        GET,
        "/api/v1/payment/key",
        "002-L9149-get-public-key-sample-response-with-jwk-response.json",
    ),
    r(
        31,
        POST,
        "/api/v2/payment/complete-order",
        "002-L8398-complete-order-with-card-v2-response.json",
    ),
    r(
        32,
        POST,
        "/api/v3/payment/complete-order",
        "002-L8786-complete-order-with-card-v3-response.json",
    ),
    r(
        33,
        POST,
        "/api/v1/domains/{domain}/cart/complete-order-with-saved-payment",
        "002-L8981-complete-order-with-saved-payment-from-response.json",
    ),
    // Documented only by Integration Example 1; its own sample.
    r(
        34,
        POST,
        "/api/v1/payment/tokenize",
        "002-L11164-add-an-item-to-cart-and-place-the-order-4-tokenize-card-data-response.json",
    ),
    r(
        35,
        POST,
        "/api/v1/domains/{domain}/cart/complete-order",
        "002-L11185-add-an-item-to-cart-and-place-the-order-5-complete-the-order-response.json",
    ),
    r(
        36,
        POST,
        "/api/v1/domains/{domain}/session/transfer",
        "002-L9663-transfer-session-response.json",
    ),
    r(
        37,
        POST,
        "/api/v2/domains/{domain}/session/transfer",
        "000-L215-session-transfer-response.json",
    ),
    r(
        38,
        GET,
        "/api/v1/carts/active",
        "002-L9388-get-active-carts-from-above-api-if-there-is-an-response.json",
    ),
    r(
        39,
        GET,
        "/api/v2/carts/active",
        "003-L99-get-active-carts-v2-response.json",
    ),
    none(40, GET, "/api/v2/carts/active-domains"),
    none(41, POST, "/api/v2/carts/postal-code"),
    r(
        42,
        POST,
        "/api/v1/domains/{domain}/session/create-otp",
        "002-L9264-create-otp-response.json",
    ),
    r(
        43,
        POST,
        "/api/v1/domains/{domain}/session/validate-otp",
        "002-L9794-validate-otp-response.json",
    ),
    none(44, POST, "/api/v1/domains/{domain}/session/forgot-password"),
    r(
        45,
        GET,
        "/api/v1/domains/{domain}/cart/shipping-rates",
        "002-L9986-get-shipping-methods-response.json",
    ),
    // The page's curl GETs `/cart/shipping-method` (C19): same sample.
    r(
        45,
        GET,
        "/api/v1/domains/{domain}/cart/shipping-method",
        "002-L9986-get-shipping-methods-response.json",
    ),
    Route {
        // The page's sample has no `payment_handle`, which tokenize and every card
        // completion need (F1 step 3, §4.5); the handle of Integration Example 1's own
        // shipping step is inserted.
        substitution: Substitution::AddField {
            field: "payment_handle",
            value: V1_PAYMENT_HANDLE,
            from: "002-L10944-add-an-item-to-cart-and-place-the-order-3-set-shipping-address-response.json",
        },
        ..r(
            46,
            POST,
            "/api/v1/domains/{domain}/cart/shipping-info",
            "002-L10132-set-shipping-info-response.json",
        )
    },
    r(
        47,
        POST,
        "/api/v1/domains/{domain}/cart/shipping-method",
        "002-L10330-set-shipping-method-response.json",
    ),
    r(
        48,
        POST,
        "/api/v1/wallets/{wallet_name}/unlock-start",
        "002-L10705-start-unlocking-wallet-response.json",
    ),
    r(
        49,
        POST,
        "/api/v1/wallets/{wallet_name}/unlock-complete",
        "002-L10558-complete-unlocking-wallet-as-shown-in-the-following-response.json",
    ),
    r(
        50,
        GET,
        "/api/v1/domains/{domain}",
        "002-L12348-get-merchant-health-status-response.json",
    ),
];

impl Route {
    /// `METHOD|METHOD /pattern`.
    pub fn label(&self) -> String {
        format!("{} {}", self.methods.join("|"), self.pattern)
    }

    pub(crate) fn matches_path(&self, path: &str) -> bool {
        let want: Vec<&str> = self.pattern.trim_matches('/').split('/').collect();
        let got: Vec<&str> = path.trim_matches('/').split('/').collect();
        for (i, w) in want.iter().enumerate() {
            if w.starts_with("{*") {
                return got.len() > i && got[i..].iter().all(|s| !s.is_empty());
            }
            let Some(g) = got.get(i) else { return false };
            if w.starts_with('{') {
                if g.is_empty() {
                    return false;
                }
            } else if w != g {
                return false;
            }
        }
        got.len() == want.len()
    }

    /// The body this route serves, with its substitution applied.
    ///
    /// # Panics
    /// When the fixture is missing or the substitution no longer yields JSON (the fixtures
    /// were regenerated from changed docs): the table must then be revisited.
    pub fn body(&self) -> Option<String> {
        let name = self.fixture?;
        let f = fixture(name);
        let text = match (self.substitution, &f.sample) {
            (Substitution::Verbatim, Ok(_)) => f.text.clone(),
            (Substitution::Fix { find, replace }, Err(bad)) => {
                assert!(
                    bad.text.contains(find),
                    "route {}: fix target not found in {name}",
                    self.label()
                );
                bad.text.replace(find, replace)
            }
            (Substitution::StripComments, Err(bad)) => crate::extract::strip_comments(&bad.text),
            (Substitution::AddField { field, value, from }, Ok(_)) => {
                let source = fixture(from);
                assert!(
                    source.text.contains(&format!("\"{field}\": {value}")),
                    "route {}: {field} = {value} is not in {from}",
                    self.label()
                );
                let open = f.text.find('{').expect("an object sample");
                format!("{{\n  \"{field}\": {value},{}", &f.text[open + 1..])
            }
            (s, sample) => panic!(
                "route {}: substitution {s:?} does not fit {name} (valid: {})",
                self.label(),
                sample.is_ok()
            ),
        };
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&text) {
            panic!("route {}: {name} served as invalid JSON: {e}", self.label());
        }
        Some(text)
    }
}
