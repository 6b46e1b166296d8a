//! Carts and orders: one tolerant [`CartV2`] decodes v1 `Cart` (`002_599d5acdabf6b74d.txt:12497`),
//! v2 `ShoppingCartV2` (`002_599d5acdabf6b74d.txt:4004`, `004_aafe42603e041247.txt:18`) and the
//! simplified v2 cart of session transfer / active carts (`000_03e4b5113d1b58ff.txt:215`, §7 C9).
//!
//! Field spellings that differ between versions are separate wire fields merged after
//! decoding (C13 `tax`/`tax_total`, C14 `coupons`/`promo_codes`, `cart_discount`/`discount_total`),
//! so a response carrying both spellings still decodes.

use crate::models::addons::Addons;
use crate::models::address::Address;
use crate::models::common::{lenient_amount, Discount, Image};
use crate::models::shipment::{Shipment, ShippingMethod};
use crate::money::{Amount, Money};
use crate::serde_util::{
    bool_lenient, i64_lenient, null_vec, opt_bool, opt_string, string_list, value_to_string,
};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A cart line (`002_599d5acdabf6b74d.txt:12714`; v2 superset, §7 C10).
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

/// A way to pay offered on the cart (`002_599d5acdabf6b74d.txt:12906`); saved cards carry `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentMethodOption {
    #[serde(
        rename = "type",
        alias = "payment_type",
        deserialize_with = "crate::serde_util::string_lenient"
    )]
    pub r#type: String,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub wallet: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub id: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub art: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_four: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub month: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub year: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub card_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub billing_info: Option<Address>,
}

impl PaymentMethodOption {
    /// A saved card that can be charged with complete-order-with-saved-payment.
    pub fn is_saved_card(&self) -> bool {
        self.r#type.eq_ignore_ascii_case("CreditCard")
            && self.id.as_deref().is_some_and(|s| !s.is_empty())
    }
}

/// PayPal / card attributes on `payment_method` (§5, C25).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaymentAttributes {
    pub paypal_token: Option<String>,
    pub url: Option<String>,
    pub redirect_url: Option<String>,
    pub payer_id: Option<String>,
    pub email: Option<String>,
    pub sandbox: Option<bool>,
    pub requires_review: Option<bool>,
    pub r#type: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PaymentAttributesWire {
    #[serde(deserialize_with = "opt_string")]
    paypal_token: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    token: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    url: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    redirect_url: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    payer_id: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    email: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    sandbox: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    requires_review: Option<bool>,
    #[serde(rename = "type", deserialize_with = "opt_string")]
    kind: Option<String>,
}

impl<'de> Deserialize<'de> for PaymentAttributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = PaymentAttributesWire::deserialize(d)?;
        Ok(PaymentAttributes {
            paypal_token: w.paypal_token.or(w.token),
            url: w.url,
            redirect_url: w.redirect_url,
            payer_id: w.payer_id,
            email: w.email,
            sandbox: w.sandbox,
            requires_review: w.requires_review,
            r#type: w.kind,
        })
    }
}

/// The payment on a cart or order (`002_599d5acdabf6b74d.txt:12888`); PayPal uses `type` at
/// start and `payment_type` afterwards (C25).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PaymentMethod {
    pub payment_type: Option<String>,
    pub last_four: Option<String>,
    pub month: Option<String>,
    pub year: Option<String>,
    pub card_type: Option<String>,
    pub card_holder_name: Option<String>,
    pub attributes: Option<PaymentAttributes>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PaymentMethodWire {
    #[serde(deserialize_with = "opt_string")]
    payment_type: Option<String>,
    #[serde(rename = "type", deserialize_with = "opt_string")]
    kind: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    last_four: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    month: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    year: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    card_type: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    card_holder_name: Option<String>,
    attributes: Option<PaymentAttributes>,
}

impl<'de> Deserialize<'de> for PaymentMethod {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = PaymentMethodWire::deserialize(d)?;
        Ok(PaymentMethod {
            payment_type: w.payment_type.or(w.kind),
            last_four: w.last_four,
            month: w.month,
            year: w.year,
            card_type: w.card_type,
            card_holder_name: w.card_holder_name,
            attributes: w.attributes,
        })
    }
}

impl PaymentMethod {
    pub fn is_paypal(&self) -> bool {
        self.payment_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("paypal"))
    }

    /// PayPal was approved and authorized: "ready to be completed" (`002_599d5acdabf6b74d.txt:7820`).
    pub fn paypal_authorized(&self) -> bool {
        self.attributes
            .as_ref()
            .and_then(|a| a.payer_id.as_deref())
            .is_some_and(|p| !p.is_empty())
    }
}

/// Login state of the merchant session (`002_599d5acdabf6b74d.txt:13066`); absent ⇒ all false.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SessionInfo {
    #[serde(deserialize_with = "bool_lenient")]
    pub requires_login: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub is_email_registered: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub is_logged_in: bool,
    /// One cookie string or many (C16).
    #[serde(deserialize_with = "string_list")]
    pub cookies: Vec<String>,
    #[serde(deserialize_with = "bool_lenient")]
    pub accepts_otp: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub accepts_membership: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaypalProperties {
    #[serde(deserialize_with = "bool_lenient")]
    pub express_enabled: bool,
    #[serde(deserialize_with = "bool_lenient")]
    pub sandbox: bool,
    #[serde(
        rename = "merchantId",
        alias = "merchant_id",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub merchant_id: Option<String>,
    #[serde(
        rename = "clientId",
        alias = "client_id",
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub client_id: Option<String>,
}

/// Merchant flags observed on carts (`002_599d5acdabf6b74d.txt:9481`, `:12409`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShopProperties {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paypal: Option<PaypalProperties>,
    #[serde(deserialize_with = "bool_map")]
    pub optional_fields: BTreeMap<String, bool>,
}

fn bool_map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, bool>, D::Error> {
    let v = Value::deserialize(d)?;
    Ok(match v {
        Value::Object(o) => o
            .into_iter()
            .map(|(k, v)| {
                let b = crate::serde_util::value_to_bool(&v).unwrap_or(false);
                (k, b)
            })
            .collect(),
        // A list of optional field names.
        Value::Array(items) => items
            .iter()
            .filter_map(value_to_string)
            .map(|k| (k, true))
            .collect(),
        _ => BTreeMap::new(),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct NoticeDetails {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub reason: Option<String>,
}

/// A cart notice: v2 object (`004_aafe42603e041247.txt:185`) or v1 string (C36).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub code: String,
    pub severity: String,
    pub item_id: Option<String>,
    pub details: Option<NoticeDetails>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NoticeWire {
    #[serde(deserialize_with = "opt_string")]
    code: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    severity: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    item_id: Option<String>,
    details: Option<Value>,
    #[serde(deserialize_with = "opt_string")]
    message: Option<String>,
}

impl<'de> Deserialize<'de> for Notice {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        match v {
            Value::Object(_) => {
                let w: NoticeWire = serde_json::from_value(v).map_err(D::Error::custom)?;
                let details = match w.details {
                    Some(Value::Object(o)) => serde_json::from_value(Value::Object(o)).ok(),
                    Some(Value::String(s)) => Some(NoticeDetails {
                        description: Some(s),
                        reason: None,
                    }),
                    _ => w.message.map(|m| NoticeDetails {
                        description: Some(m),
                        reason: None,
                    }),
                };
                Ok(Notice {
                    code: w.code.unwrap_or_default(),
                    severity: w.severity.unwrap_or_else(|| "info".into()),
                    item_id: w.item_id,
                    details,
                })
            }
            other => Ok(Notice {
                code: value_to_string(&other).unwrap_or_default(),
                severity: "info".into(),
                item_id: None,
                details: None,
            }),
        }
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
/// `cart_status: "submitted"` and `platform_order_number` (`002_599d5acdabf6b74d.txt:12768`).
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
    /// The response exactly as received, for the support inspector (set by the client).
    #[serde(skip)]
    pub raw: Value,
}

/// An order is a submitted cart.
pub type Order = CartV2;

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

    /// Session flags, all false when absent (`002_599d5acdabf6b74d.txt:12139`).
    pub fn session_info(&self) -> SessionInfo {
        self.session.clone().unwrap_or_default()
    }

    /// Thank-you page URL after submission.
    pub fn thank_you_page(&self) -> Option<String> {
        self.urls.as_ref().and_then(|u| u.thank_you_page.clone())
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
            raw: Value::Null,
        })
    }
}
