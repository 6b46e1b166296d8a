//! The generated merchants `shop-01.test` … `shop-50.test` (CONTRACTS.md §3 "Generated
//! merchants for scale"): three products each, ship to address only, the shared promo codes
//! and test cards, a required terms consent and an optional marketing consent. Built in code
//! so fan-out over many merchants can be measured without fifty fixture copies.

use std::collections::BTreeMap;

use crate::model::fixtures::{
    expand_variants, ConsentFixture, FulfillmentClass, MerchantFixture, MerchantKind,
    MerchantTraits, OptionFixture, ProductFixture, ShippingMethodFixture,
};
use crate::model::money::MoneyForm;

/// How many `shop-NN.test` merchants exist.
pub const GENERATED_SHOPS: u32 = 50;

/// `shop-07.test` for `n = 7`.
pub fn domain(n: u32) -> String {
    format!("shop-{n:02}.test")
}

fn method(id: &str, description: &str, price: i64, eta: &str) -> ShippingMethodFixture {
    ShippingMethodFixture {
        id: id.to_string(),
        description: description.to_string(),
        price,
        estimated_delivery: eta.to_string(),
    }
}

/// One product; `n` varies prices and colours a little from shop to shop.
fn product(
    n: u32,
    handle: &str,
    title: &str,
    kind: &str,
    price: i64,
    options: Vec<OptionFixture>,
) -> ProductFixture {
    let price = price + i64::from(n % 5) * 100;
    let mut p = ProductFixture {
        handle: handle.to_string(),
        title: title.to_string(),
        base_sku: format!("S{n:02}-{}", handle.to_ascii_uppercase()),
        product_type: kind.to_string(),
        description: format!("{title} from Shop {n:02}."),
        color: format!("#{:02x}{:02x}{:02x}", 40 + (n * 4) % 160, 90, 140 + n % 100),
        fulfillment: FulfillmentClass::Parcel,
        pickup: false,
        options,
        price,
        msrp: price + 500,
        stock: None,
        unavailable: Vec::new(),
        previous_price: None,
        variants: Vec::new(),
    };
    p.variants = expand_variants(&p);
    p
}

fn consent(n: u32, k: u32, kind: &str, text: String, required: bool) -> ConsentFixture {
    ConsentFixture {
        id: format!("c0a8f1e2-1{n:03}-4a00-8000-{k:012}"),
        kind: kind.to_string(),
        ui_slot: if required {
            "ABOVE_PLACE_ORDER_BUTTON"
        } else {
            "UNDER_EMAIL_INPUT"
        }
        .to_string(),
        text,
        rich_text: false,
        explicit: true,
        required,
        revokable: !required,
    }
}

/// The `n`th generated merchant (1-based).
pub fn merchant(n: u32) -> MerchantFixture {
    let domain = domain(n);
    let name = format!("Shop {n:02}");
    let mut shipping_methods = BTreeMap::new();
    shipping_methods.insert(
        "SHIP_TO_ADDRESS".to_string(),
        vec![
            method(
                "STANDARD_GROUND",
                "Standard Ground",
                599,
                "5-7 business days",
            ),
            method("EXPEDITED_2DAY", "Expedited 2-Day", 1499, "2 business days"),
        ],
    );
    MerchantFixture {
        display_name: name.clone(),
        platform_id: "shopify".to_string(),
        shop_id: domain.clone(),
        kind: MerchantKind::Generated,
        home_postal: "98101".to_string(),
        tax_rate_bps: 700,
        tax_included: false,
        member_perks: None,
        requires_login: false,
        card_entry: true,
        paypal: true,
        health: "operational".to_string(),
        optional_fields: serde_json::json!({
            "billing_phone": false, "shipping_email": false,
            "shipping_first_name": false, "shipping_phone": false
        }),
        traits: MerchantTraits::default(),
        money_form: MoneyForm::Full,
        accounts: Vec::new(),
        saved_cards: Vec::new(),
        wallets: Vec::new(),
        shipping_methods,
        pickup_locations: Vec::new(),
        consents: vec![
            consent(
                n,
                1,
                "terms",
                format!("I agree to the {name} terms of sale."),
                true,
            ),
            consent(n, 2, "marketing", format!("Email me {name} offers."), false),
        ],
        addons: Vec::new(),
        products: vec![
            product(n, "canvas-tote", "Canvas Tote", "Bags", 2400, Vec::new()),
            product(
                n,
                "enamel-mug",
                "Enamel Mug",
                "Kitchen",
                1600,
                vec![OptionFixture {
                    name: "Color".to_string(),
                    values: vec!["White".to_string(), "Navy".to_string()],
                }],
            ),
            product(
                n,
                "wool-beanie",
                "Wool Beanie",
                "Apparel",
                2900,
                vec![OptionFixture {
                    name: "Size".to_string(),
                    values: vec!["S".to_string(), "L".to_string()],
                }],
            ),
        ],
        domain,
    }
}

/// `shop-01.test` … `shop-50.test`.
pub fn merchants() -> Vec<MerchantFixture> {
    (1..=GENERATED_SHOPS).map(merchant).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_small_shops() {
        let all = merchants();
        assert_eq!(all.len(), 50);
        assert_eq!(all[0].domain, "shop-01.test");
        assert_eq!(all[49].domain, "shop-50.test");
        let m = &all[6];
        assert!(m.variant("S07-ENAMEL-MUG-Navy").is_some());
        assert_eq!(m.products.len(), 3);
        assert!(m.consents.iter().any(|c| c.required && !c.revokable));
        assert_eq!(
            m.shipping_methods.keys().collect::<Vec<_>>(),
            vec!["SHIP_TO_ADDRESS"]
        );
    }
}
