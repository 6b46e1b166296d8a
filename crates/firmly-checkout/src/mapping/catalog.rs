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
