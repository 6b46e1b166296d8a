//! Catalog models → views (ENDPOINTS.md §2.9).

use firmly_api::{ProductDetails, ProductSummary};

use super::money;
use crate::view::*;

pub fn product_summary_view(p: &ProductSummary) -> ProductSummaryView {
    ProductSummaryView {
        handle: p.handle.clone(),
        title: p.title.clone(),
        image_url: p.image.as_ref().and_then(|i| i.url.clone()),
    }
}

/// A product's price for its catalog card: the lowest available variant's, and whether the
/// variants' prices differ.
pub fn product_price_view(p: &ProductDetails) -> ProductPriceView {
    let priced = |available_only: bool| {
        p.variants
            .iter()
            .filter(|v| !available_only || v.available)
            .filter_map(|v| v.price.as_ref().map(|a| (a, v)))
            .collect::<Vec<_>>()
    };
    let available = p.variants.iter().any(|v| v.available);
    let list = if available {
        priced(true)
    } else {
        priced(false)
    };
    let lowest = list
        .iter()
        .map(|(a, _)| *a)
        .min_by(|a, b| a.value.cmp(&b.value));
    let currency = lowest
        .and_then(|a| a.currency.clone())
        .unwrap_or_else(|| "USD".into());
    ProductPriceView {
        handle: p.handle.clone(),
        price: money(&lowest.cloned(), &currency),
        price_varies: list
            .iter()
            .any(|(a, _)| lowest.is_some_and(|l| a.value != l.value)),
        available,
    }
}

pub fn product_view(p: &ProductDetails) -> ProductView {
    ProductView {
        handle: p.handle.clone(),
        title: p.title.clone(),
        description: p.short_description.clone().or(p.description.clone()),
        image_url: p.images.first().and_then(|i| i.url.clone()),
        variants: p
            .variants
            .iter()
            .map(|v| {
                let currency = v
                    .price
                    .as_ref()
                    .and_then(|a| a.currency.clone())
                    .unwrap_or_else(|| "USD".into());
                VariantView {
                    variant_id: v.variant_id(),
                    title: v
                        .display_name
                        .clone()
                        .or(v.title.clone())
                        .unwrap_or_else(|| v.variant_id()),
                    available: v.available,
                    price: money(&v.price, &currency),
                    msrp: money(&v.msrp, &currency),
                }
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(variants: serde_json::Value) -> ProductDetails {
        serde_json::from_value(serde_json::json!({
            "handle": "mug", "title": "Mug", "variants": variants
        }))
        .expect("product details")
    }

    fn variant(sku: &str, available: bool, price: f64) -> serde_json::Value {
        serde_json::json!({"sku": sku, "available": available,
            "price": {"currency": "EUR", "value": price}})
    }

    #[test]
    fn a_cards_price_is_the_lowest_available_variants() {
        let p = price_of(&[
            variant("a", true, 12.5),
            variant("b", false, 9.0),
            variant("c", true, 18.0),
        ]);
        assert_eq!(p, (Some(("12.50".into(), "EUR".into())), true, true));
        let same = price_of(&[variant("a", true, 12.5), variant("b", true, 12.5)]);
        assert_eq!(same, (Some(("12.50".into(), "EUR".into())), false, true));
        // Sold out: the lowest of all, and it says so.
        let sold_out = price_of(&[variant("a", false, 20.0), variant("b", false, 15.0)]);
        assert_eq!(
            sold_out,
            (Some(("15.00".into(), "EUR".into())), true, false)
        );
        assert_eq!(price_of(&[]), (None, false, false));
    }

    fn price_of(variants: &[serde_json::Value]) -> (Option<(String, String)>, bool, bool) {
        let v = product_price_view(&product(serde_json::Value::Array(variants.to_vec())));
        assert_eq!(v.handle, "mug");
        (
            v.price.map(|m| (m.amount, m.currency)),
            v.price_varies,
            v.available,
        )
    }
}
