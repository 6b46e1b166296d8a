//! Catalog: product lists and product details (ENDPOINTS.md §2.9; endpoints §1 #2-#4).
//!
//! The schema table and the sample disagree on names (§7 C17: `image`/`images`,
//! `product variant`/`variants`), so both are read.

use crate::models::common::Image;
use crate::money::Amount;
use crate::serde_util::{
    null_vec, one_or_many, opt_bool, opt_i64, opt_string, string_list, value_to_string,
};
use serde::de::Deserializer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One entry of the product collection (ENDPOINTS.md §1 #3, §2.9).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductSummary {
    #[serde(deserialize_with = "crate::serde_util::string_lenient")]
    pub handle: String,
    #[serde(deserialize_with = "crate::serde_util::string_lenient")]
    pub title: String,
    /// An object in the sample, `Image[]` in the table: the first image either way.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub loc: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub pdp_url: Option<String>,
}

/// The body of v2 Add Line Item (#11) as the catalog gives it per variant (ENDPOINTS.md
/// §2.9: `add_to_cart_payload: {variant_id, quantity}` in the sample). Kept exactly as it
/// came, every key included (`variant_handles`, which "some few merchants" need to identify
/// the item, #5/#11, and anything else), so the add-to-cart call sends it as given
/// ([`crate::requests::add_to_cart`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AddToCartPayload(pub Map<String, Value>);

impl AddToCartPayload {
    /// The object as the catalog gave it.
    pub fn as_object(&self) -> &Map<String, Value> {
        &self.0
    }

    /// `variant_id` (a string, or a number as its text).
    pub fn variant_id(&self) -> Option<String> {
        self.0.get("variant_id").and_then(value_to_string)
    }

    /// The quantity the catalog suggests (`1` in the sample).
    pub fn quantity(&self) -> Option<i64> {
        self.0.get("quantity").and_then(|q| match q {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    /// `variant_handles`, when the catalog gave them.
    pub fn variant_handles(&self) -> Vec<String> {
        match self.0.get("variant_handles") {
            Some(Value::Array(items)) => items.iter().filter_map(value_to_string).collect(),
            _ => Vec::new(),
        }
    }

    /// The body to send for `quantity` of this variant: the payload as given, its `quantity`
    /// (the "Quantity to add", #11) set to the chosen one.
    pub fn body_for(&self, quantity: i64) -> Value {
        let mut body = self.0.clone();
        body.insert("quantity".into(), Value::from(quantity));
        Value::Object(body)
    }
}

/// The payload when it is an object; anything else is no payload (the variant's `sku` is
/// then what is added, [`ProductVariant::variant_id`]).
fn payload_object<'de, D: Deserializer<'de>>(d: D) -> Result<Option<AddToCartPayload>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(o) => Some(AddToCartPayload(o)),
        _ => None,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Swatch {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub url: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub rgb: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OptionValue {
    pub display_name: Option<String>,
    pub value: Option<String>,
    pub swatch: Option<Swatch>,
    pub available: Option<bool>,
    pub images: Vec<Image>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct OptionValueWire {
    #[serde(deserialize_with = "opt_string")]
    display_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    value: Option<String>,
    swatch: Option<Swatch>,
    #[serde(deserialize_with = "opt_bool")]
    available: Option<bool>,
    #[serde(deserialize_with = "one_or_many")]
    images: Vec<Image>,
    #[serde(deserialize_with = "one_or_many")]
    image: Vec<Image>,
}

impl<'de> Deserialize<'de> for OptionValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = OptionValueWire::deserialize(d)?;
        let mut images = w.images;
        images.extend(w.image);
        Ok(OptionValue {
            display_name: w.display_name,
            value: w.value,
            swatch: w.swatch,
            available: w.available,
            images,
        })
    }
}

/// An option axis such as "Size" or "Color".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VariantOptionValues {
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub display_name: Option<String>,
    #[serde(
        deserialize_with = "opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub property_accessor: Option<String>,
    #[serde(deserialize_with = "opt_i64", skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
    #[serde(deserialize_with = "null_vec")]
    pub option_values: Vec<OptionValue>,
}

/// A purchasable variant (ENDPOINTS.md §2.9 ProductVariant).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProductVariant {
    pub handle: Option<String>,
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub sku: String,
    pub available: bool,
    pub price: Option<Amount>,
    pub msrp: Option<Amount>,
    pub variant_option_list: Vec<String>,
    pub images: Vec<Image>,
    pub requires_shipping: Option<bool>,
    pub add_to_cart_payload: Option<AddToCartPayload>,
}

impl ProductVariant {
    /// The id to add to a v2 cart: `add_to_cart_payload.variant_id`, else `sku`.
    pub fn variant_id(&self) -> String {
        self.add_to_cart_payload
            .as_ref()
            .and_then(AddToCartPayload::variant_id)
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| self.sku.clone())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductVariantWire {
    #[serde(deserialize_with = "opt_string")]
    handle: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    display_name: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    title: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    sku: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    variant_id: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    available: Option<bool>,
    price: Option<Amount>,
    #[serde(deserialize_with = "crate::models::common::lenient_amount")]
    msrp: Option<Amount>,
    #[serde(deserialize_with = "string_list")]
    variant_option_list: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    images: Vec<Image>,
    #[serde(deserialize_with = "one_or_many")]
    image: Vec<Image>,
    #[serde(deserialize_with = "opt_bool")]
    requires_shipping: Option<bool>,
    #[serde(deserialize_with = "payload_object")]
    add_to_cart_payload: Option<AddToCartPayload>,
}

impl<'de> Deserialize<'de> for ProductVariant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ProductVariantWire::deserialize(d)?;
        let mut images = w.images;
        images.extend(w.image);
        Ok(ProductVariant {
            handle: w.handle,
            display_name: w.display_name,
            title: w.title,
            sku: w.sku.or(w.variant_id).unwrap_or_default(),
            // Absent availability is taken as purchasable; the server rejects with stock errors.
            available: w.available.unwrap_or(true),
            price: w.price,
            msrp: w.msrp,
            variant_option_list: w.variant_option_list,
            images,
            requires_shipping: w.requires_shipping,
            add_to_cart_payload: w.add_to_cart_payload,
        })
    }
}

/// Product details page data (ENDPOINTS.md §1 #2, §2.9 ProductDetails).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProductDetails {
    pub base_sku: Option<String>,
    pub title: String,
    pub handle: String,
    pub description: Option<String>,
    pub short_description: Option<String>,
    pub product_type: Option<String>,
    pub pdp_url: Option<String>,
    pub tags: Vec<String>,
    pub images: Vec<Image>,
    pub variant_option_values: Vec<VariantOptionValues>,
    pub variants: Vec<ProductVariant>,
    pub properties: Option<Value>,
    pub reviews: Option<Value>,
    #[serde(skip)]
    pub raw: Value,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ProductDetailsWire {
    #[serde(deserialize_with = "opt_string")]
    base_sku: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    title: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    handle: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    description: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    short_description: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    product_type: Option<String>,
    #[serde(deserialize_with = "opt_string")]
    pdp_url: Option<String>,
    #[serde(deserialize_with = "string_list")]
    tags: Vec<String>,
    #[serde(deserialize_with = "one_or_many")]
    images: Vec<Image>,
    #[serde(deserialize_with = "one_or_many")]
    image: Vec<Image>,
    #[serde(deserialize_with = "null_vec")]
    variant_option_values: Vec<VariantOptionValues>,
    #[serde(deserialize_with = "null_vec")]
    variants: Vec<ProductVariant>,
    #[serde(rename = "product variant", deserialize_with = "null_vec")]
    product_variant: Vec<ProductVariant>,
    properties: Option<Value>,
    reviews: Option<Value>,
}

impl<'de> Deserialize<'de> for ProductDetails {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = ProductDetailsWire::deserialize(d)?;
        let mut images = w.images;
        images.extend(w.image);
        let mut variants = w.variants;
        variants.extend(w.product_variant);
        Ok(ProductDetails {
            base_sku: w.base_sku,
            title: w.title.unwrap_or_default(),
            handle: w.handle.unwrap_or_default(),
            description: w.description,
            short_description: w.short_description,
            product_type: w.product_type,
            pdp_url: w.pdp_url,
            tags: w.tags,
            images,
            variant_option_values: w.variant_option_values,
            variants,
            properties: w.properties,
            reviews: w.reviews,
            raw: Value::Null,
        })
    }
}
