//! Carts and orders: one tolerant [`CartV2`] decodes v1 `Cart` (ENDPOINTS.md §2.3),
//! v2 `ShoppingCartV2` (§2.4.1) and the simplified v2 cart of session transfer / active
//! carts (§2.5, §7 C9).
//!
//! Field spellings that differ between versions are separate wire fields merged after
//! decoding (C13 `tax`/`tax_total`, C14 `coupons`/`promo_codes`, `cart_discount`/`discount_total`),
//! so a response carrying both spellings still decodes.

use crate::models::addons::Addons;
use crate::models::address::Address;
use crate::models::common::{lenient_amount, Discount, Image};
use crate::models::payment::{
    Notice, PaymentMethod, PaymentMethodOption, SessionInfo, ShopProperties,
};
use crate::models::shipment::{Shipment, ShippingMethod};
use crate::money::{Amount, Money};
use crate::serde_util::{i64_lenient, null_vec, opt_bool, opt_string, string_list};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A cart line (ENDPOINTS.md §2.3 LineItem; v2 superset §2.4.2, §7 C10).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LineItem {
    pub line_item_id: String,
    pub sku: Option<String>,
    pub variant_id: Option<String>,
    pub base_sku: Option<String>,
    pub description: Option<String>,
    pub variant_description: Option<String>,
    pub quantity: i64,
    /// Unit price.
    pub price: Option<Amount>,
    /// Price of the whole line.
    pub line_price: Option<Amount>,
    pub line_discount: Option<Amount>,
    pub msrp: Option<Amount>,
    pub image: Option<Image>,
    pub requires_shipping: Option<bool>,
    pub discounts: Vec<Discount>,
    pub platform_line_item_id: Option<String>,
    /// Simplified cart `product.title`.
    pub product_title: Option<String>,
    pub variant_handles: Vec<String>,
}

impl LineItem {
    /// The id to send when adding this variant again: `variant_id`, else `sku`.
    pub fn variant_key(&self) -> Option<&str> {
        self.variant_id.as_deref().or(self.sku.as_deref())
    }

    /// Display title: description, else product title, else sku.
    pub fn title(&self) -> String {
        self.description
            .clone()
            .or_else(|| self.product_title.clone())
            .or_else(|| self.sku.clone())
            .unwrap_or_default()
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductRef {
    #[serde(deserialize_with = "opt_string")]
    title: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LineItemWire {
    #[serde(deserialize_with = "opt_string")]
    line_item_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    sku: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    variant_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    base_sku: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    variant_description: Option<String>,
    #[serde(deserialize_with = "i64_lenient")]
    quantity: i64,
    price: Option<Amount>,
    unit_price: Option<Amount>,
    line_price: Option<Amount>,
    total: Option<Amount>,
    total_price: Option<Amount>,
    #[serde(deserialize_with = "lenient_amount")]
    line_discount: Option<Amount>,
    #[serde(deserialize_with = "lenient_amount")]
    msrp: Option<Amount>,
    image: Option<Image>,
    #[serde(deserialize_with = "opt_bool")]
    requires_shipping: Option<bool>,
    #[serde(deserialize_with = "null_vec")]
    discounts: Vec<Discount>,
    #[serde(deserialize_with = "opt_string")]
    platform_line_item_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    product_title: Option<String>,
    product: Option<ProductRef>,
    #[serde(deserialize_with = "string_list")]
    variant_handles: Vec<String>,
}

impl<'de> Deserialize<'de> for LineItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = LineItemWire::deserialize(d)?;
        Ok(LineItem {
            line_item_id: w.line_item_id.or(w.id).unwrap_or_default(),
            sku: w.sku,
            variant_id: w.variant_id,
            base_sku: w.base_sku,
            description: w.description,
            variant_description: w.variant_description,
            quantity: w.quantity,
            price: w.price.or(w.unit_price),
            line_price: w.line_price.or(w.total_price).or(w.total),
            line_discount: w.line_discount,
            msrp: w.msrp,
            image: w.image,
            requires_shipping: w.requires_shipping,
            discounts: w.discounts,
            platform_line_item_id: w.platform_line_item_id,
            product_title: w.product_title.or(w.product.and_then(|p| p.title)),
            variant_handles: w.variant_handles,
        })
    }
}

/// `urls` of a cart/order (`urls.thank_you_page` after submission).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CartUrls {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub thank_you_page: Option<String>,
    /// Any other URL the server adds.
    #[serde(flatten)]
    pub other: BTreeMap<String, Value>,
}

/// The cart, in any of its documented shapes. Orders are carts with
/// `cart_status: "submitted"` and `platform_order_number` (ENDPOINTS.md §2.3 Order).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CartV2 {
    /// `cart_id`, or `id` in the simplified cart; absent on some v1 samples.
    pub cart_id: Option<String>,
    pub platform_id: Option<String>,
    pub shop_id: Option<String>,
    /// Merchant domain when the server states it (simplified cart).
    pub domain: Option<String>,
    pub display_name: Option<String>,
    pub cart_status: Option<String>,
    pub line_items: Vec<LineItem>,
    pub shipments: Vec<Shipment>,
    pub sub_total: Option<Amount>,
    pub shipping_total: Option<Amount>,
    pub tax_total: Option<Amount>,
    pub addon_total: Option<Amount>,
    pub discount_total: Option<Amount>,
    pub total: Option<Amount>,
    pub promo_codes: Vec<String>,
    pub shipping_info: Option<Address>,
    pub billing_info: Option<Address>,
    pub shipping_info_options: Vec<Address>,
    pub payment_handle: Option<String>,
    pub payment_method_options: Vec<PaymentMethodOption>,
    pub payment_method: Option<PaymentMethod>,
    pub session: Option<SessionInfo>,
    pub shop_properties: Option<ShopProperties>,
    pub notices: Vec<Notice>,
    pub addons: Addons,
    pub urls: Option<CartUrls>,
    pub platform_order_number: Option<String>,
    pub currency: Option<String>,
    pub shipping_method_options: Vec<ShippingMethod>,
    pub shipping_method: Option<ShippingMethod>,
    pub submitted_at: Option<String>,
    pub schema_version: Option<String>,
    /// "Specific form validation errors, i.e. Invalid State, Invalid Country" (v1 Cart,
    /// ENDPOINTS.md §2.3; typed `object`): kept as sent, read with
    /// [`CartV2::validation_messages`].
    pub validation_errors: Option<Value>,
    /// Prices already include tax (v1 Cart, §2.3).
    pub is_tax_included_in_price: Option<bool>,
    /// The cart discount line by line (`DiscountsBreakdown[]`, §2.3).
    pub cart_discount_breakdown: Vec<DiscountBreakdown>,
    /// "If logged in, the amount of credit that the customer has in this store" (§2.3).
    pub store_credits: Option<Amount>,
    /// "Available credit on the store" (§2.3).
    pub available_store_credit: Option<Amount>,
    /// "Reward points to be obtained with this cart" (§2.3).
    pub reward_points: Option<Amount>,
    /// "Available rewards points" (§2.3).
    pub available_reward_points: Option<Amount>,
    /// "Shipping methods that are going to be used in addition to the main one" (§2.3).
    pub additional_shipping_methods: Vec<ShippingMethod>,
    /// The cart's `properties` object (§2.3; its keys are not documented).
    pub properties: Option<Value>,
    /// The response exactly as received, for the support inspector (set by the client).
    #[serde(skip)]
    pub raw: crate::raw::RawJson,
}

/// An order is a submitted cart.
pub type Order = CartV2;

/// One line of `cart_discount_breakdown`: `{label, discount: Amount}` (ENDPOINTS.md §2.3,
/// "Discounts Breakdown").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DiscountBreakdown {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub label: Option<String>,
    #[serde(
        deserialize_with = "lenient_amount",
        skip_serializing_if = "Option::is_none"
    )]
    pub discount: Option<Amount>,
}

/// Cart totals as app money; absent totals are zero in the cart's currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartTotals {
    pub sub_total: Money,
    pub shipping_total: Money,
    pub tax_total: Money,
    pub addon_total: Money,
    pub discount_total: Money,
    pub total: Money,
}

impl CartV2 {
    /// The cart's currency: from `total`/`sub_total`, else top-level `currency`, else USD.
    pub fn currency(&self) -> String {
        [
            &self.total,
            &self.sub_total,
            &self.shipping_total,
            &self.tax_total,
        ]
        .iter()
        .filter_map(|a| a.as_ref().and_then(|a| a.currency.clone()))
        .chain(self.currency.clone())
        .chain(
            self.line_items
                .iter()
                .filter_map(|l| l.price.as_ref().and_then(|p| p.currency.clone())),
        )
        .find(|c| !c.is_empty())
        .unwrap_or_else(|| "USD".to_string())
    }

    /// True once the order was placed.
    pub fn is_submitted(&self) -> bool {
        self.cart_status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("submitted"))
            || self
                .platform_order_number
                .as_deref()
                .is_some_and(|n| !n.trim().is_empty())
    }

    /// Money value of one of the cart's amounts in the cart currency (zero when absent).
    pub fn money(&self, amount: &Option<Amount>) -> Money {
        let currency = self.currency();
        amount
            .as_ref()
            .map(|a| a.to_money(&currency))
            .unwrap_or_else(|| Money::zero(&currency))
    }

    pub fn totals(&self) -> CartTotals {
        CartTotals {
            sub_total: self.money(&self.sub_total),
            shipping_total: self.money(&self.shipping_total),
            tax_total: self.money(&self.tax_total),
            addon_total: self.money(&self.addon_total),
            discount_total: self.money(&self.discount_total),
            total: self.money(&self.total),
        }
    }

    /// Total quantity of all lines.
    pub fn item_count(&self) -> i64 {
        self.line_items.iter().map(|l| l.quantity).sum()
    }

    pub fn line_item(&self, line_item_id: &str) -> Option<&LineItem> {
        self.line_items
            .iter()
            .find(|l| l.line_item_id == line_item_id)
    }

    pub fn shipment(&self, shipment_id: &str) -> Option<&Shipment> {
        self.shipments.iter().find(|s| s.shipment_id == shipment_id)
    }

    /// Session flags, all false when absent (ENDPOINTS.md §2.3 SessionInfo).
    pub fn session_info(&self) -> SessionInfo {
        self.session.clone().unwrap_or_default()
    }

    /// Thank-you page URL after submission.
    pub fn thank_you_page(&self) -> Option<String> {
        self.urls.as_ref().and_then(|u| u.thank_you_page.clone())
    }

    /// `validation_errors` as `(field, message)` pairs: an object's entries (a nested value
    /// as its JSON text); a bare message or a list of them has the field `""`.
    pub fn validation_messages(&self) -> Vec<(String, String)> {
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        match &self.validation_errors {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(o)) => o
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), text(v)))
                .collect(),
            Some(Value::Array(items)) => items
                .iter()
                .filter(|v| !v.is_null())
                .map(|v| (String::new(), text(v)))
                .collect(),
            Some(other) => vec![(String::new(), text(other))],
        }
    }
}

/// First element when an array is sent where one object is documented (`payment_method`, C16).
fn one_of<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let v = Value::deserialize(d)?;
    let v = match v {
        Value::Array(items) => match items.into_iter().next() {
            Some(first) => first,
            None => return Ok(None),
        },
        other => other,
    };
    if v.is_null() {
        return Ok(None);
    }
    serde_json::from_value(v)
        .map(Some)
        .map_err(D::Error::custom)
}

fn notices_any<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Notice>, D::Error> {
    crate::serde_util::one_or_many(d)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CartWire {
    #[serde(deserialize_with = "opt_string")]
    cart_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    platform_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    shop_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    domain: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    display_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    cart_status: Option<String>,
    #[serde(deserialize_with = "null_vec")]
    line_items: Vec<LineItem>,
    #[serde(deserialize_with = "null_vec")]
    shipments: Vec<Shipment>,
    sub_total: Option<Amount>,
    subtotal: Option<Amount>,
    shipping_total: Option<Amount>,
    tax_total: Option<Amount>,
    tax: Option<Amount>,
    addon_total: Option<Amount>,
    discount_total: Option<Amount>,
    cart_discount: Option<Amount>,
    total: Option<Amount>,
    #[serde(deserialize_with = "string_list")]
    promo_codes: Vec<String>,
    #[serde(deserialize_with = "string_list")]
    coupons: Vec<String>,
    shipping_info: Option<Address>,
    billing_info: Option<Address>,
    #[serde(deserialize_with = "null_vec")]
    shipping_info_options: Vec<Address>,
    #[serde(deserialize_with = "opt_string")]
    payment_handle: Option<String>,
    #[serde(deserialize_with = "null_vec")]
    payment_method_options: Vec<PaymentMethodOption>,
    #[serde(deserialize_with = "one_of")]
    payment_method: Option<PaymentMethod>,
    session: Option<SessionInfo>,
    shop_properties: Option<ShopProperties>,
    #[serde(deserialize_with = "notices_any")]
    notices: Vec<Notice>,
    #[serde(deserialize_with = "notices_any")]
    notice: Vec<Notice>,
    addons: Addons,
    urls: Option<CartUrls>,
    #[serde(deserialize_with = "opt_string")]
    platform_order_number: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    currency: Option<String>,
    #[serde(deserialize_with = "null_vec")]
    shipping_method_options: Vec<ShippingMethod>,
    shipping_method: Option<ShippingMethod>,
    #[serde(deserialize_with = "opt_string")]
    submitted_at: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    schema_version: Option<String>,
    validation_errors: Option<Value>,
    #[serde(deserialize_with = "opt_bool")]
    is_tax_included_in_price: Option<bool>,
    #[serde(deserialize_with = "crate::serde_util::one_or_many")]
    cart_discount_breakdown: Vec<DiscountBreakdown>,
    #[serde(deserialize_with = "lenient_amount")]
    store_credits: Option<Amount>,
    #[serde(deserialize_with = "lenient_amount")]
    available_store_credit: Option<Amount>,
    #[serde(deserialize_with = "lenient_amount")]
    reward_points: Option<Amount>,
    #[serde(deserialize_with = "lenient_amount")]
    available_reward_points: Option<Amount>,
    #[serde(deserialize_with = "null_vec")]
    additional_shipping_methods: Vec<ShippingMethod>,
    properties: Option<Value>,
}

impl<'de> Deserialize<'de> for CartV2 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = CartWire::deserialize(d)?;
        let mut notices = w.notices;
        notices.extend(w.notice);
        Ok(CartV2 {
            cart_id: w.cart_id.or(w.id).filter(|s| !s.is_empty()),
            platform_id: w.platform_id,
            shop_id: w.shop_id,
            domain: w.domain,
            display_name: w.display_name,
            cart_status: w.cart_status,
            line_items: w.line_items,
            shipments: w.shipments,
            sub_total: w.sub_total.or(w.subtotal),
            shipping_total: w.shipping_total,
            tax_total: w.tax_total.or(w.tax),
            addon_total: w.addon_total,
            discount_total: w.discount_total.or(w.cart_discount),
            total: w.total,
            promo_codes: if w.promo_codes.is_empty() {
                w.coupons
            } else {
                w.promo_codes
            },
            shipping_info: w.shipping_info,
            billing_info: w.billing_info,
            shipping_info_options: w.shipping_info_options,
            payment_handle: w.payment_handle,
            payment_method_options: w.payment_method_options,
            payment_method: w.payment_method,
            session: w.session,
            shop_properties: w.shop_properties,
            notices,
            addons: w.addons,
            urls: w.urls,
            platform_order_number: w.platform_order_number,
            currency: w.currency,
            shipping_method_options: w.shipping_method_options,
            shipping_method: w.shipping_method,
            submitted_at: w.submitted_at,
            schema_version: w.schema_version,
            validation_errors: w.validation_errors.filter(|v| !v.is_null()),
            is_tax_included_in_price: w.is_tax_included_in_price,
            cart_discount_breakdown: w.cart_discount_breakdown,
            store_credits: w.store_credits,
            available_store_credit: w.available_store_credit,
            reward_points: w.reward_points,
            available_reward_points: w.available_reward_points,
            additional_shipping_methods: w.additional_shipping_methods,
            properties: w.properties.filter(|v| !v.is_null()),
            raw: Default::default(),
        })
    }
}
