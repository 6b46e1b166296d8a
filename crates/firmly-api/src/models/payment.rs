//! What a cart says about paying and about the merchant session: payment methods offered and
//! chosen (ENDPOINTS.md §2.3 PaymentMethod / PaymentMethodOption, PayPal §5 C25), the login
//! state (§2.3 SessionInfo), merchant flags (§2.3 shop_properties) and notices (§2.4.8, v1
//! strings C36).

use crate::models::address::Address;
use crate::serde_util::{bool_lenient, opt_bool, opt_string, string_list, value_to_string};
use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A way to pay offered on the cart (ENDPOINTS.md §2.3 PaymentMethodOption); saved cards
/// carry `id`.
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

    /// The expiry month as a number: the docs send `11` (wallet, ENDPOINTS.md §2.8) or
    /// `"11"` (merchant cards, §2.3, C16).
    pub fn expiry_month(&self) -> Option<u32> {
        self.month
            .as_deref()
            .and_then(|m| m.trim().parse().ok())
            .filter(|m| (1..=12).contains(m))
    }

    /// The expiry year as a number (`2029` or `"2029"`).
    pub fn expiry_year(&self) -> Option<i32> {
        self.year.as_deref().and_then(|y| y.trim().parse().ok())
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

/// The payment on a cart or order (ENDPOINTS.md §2.3 PaymentMethod); PayPal uses `type` at
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

    /// PayPal was approved and authorized: "ready to be completed" (ENDPOINTS.md §5 step 3).
    pub fn paypal_authorized(&self) -> bool {
        self.attributes
            .as_ref()
            .and_then(|a| a.payer_id.as_deref())
            .is_some_and(|p| !p.is_empty())
    }
}

/// Login state of the merchant session (ENDPOINTS.md §2.3 SessionInfo); absent ⇒ all false.
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

/// Merchant flags observed on carts (ENDPOINTS.md §2.3 shop_properties).
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

/// A cart notice: v2 object (ENDPOINTS.md §2.4.8) or v1 string (C36).
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
