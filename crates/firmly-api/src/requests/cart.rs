//! Request builders for authentication, the catalog, v1 and v2 carts, coupons and consents
//! (ENDPOINTS.md §1 rows #1–#26).

use super::{
    address_body, seg, to_value, v1_cart, v2_cart, Extensions, Method, RequestSpec,
    SetShipmentMethod,
};
use crate::models::addons::AddonSelectionRequest;
use crate::models::address::Address;
use crate::models::catalog::AddToCartPayload;
use crate::models::session::{Attribution, ConsentChange};
use crate::models::shipment::FulfillmentType;
use serde_json::{json, Value};

// ---- #1 auth -------------------------------------------------------------------------

/// #1 `POST /api/v1/browser-session`: empty body for a new device, `{access_token}` to renew
/// (ENDPOINTS.md §3).
pub fn browser_session(old_token: Option<&str>) -> RequestSpec {
    let spec = RequestSpec::api(Method::Post, "/api/v1/browser-session".into())
        .no_auth()
        .no_cookies()
        .with_app_id();
    match old_token {
        Some(t) => spec.body(json!({ "access_token": t })),
        None => spec,
    }
}

// ---- #2-#4 catalog ------------------------------------------------------------------------

// The catalog takes Application Identifier Authorization *or* Device Authentication, and
// its header tables and curls show only `x-firmly-authorization` (ENDPOINTS.md §1 #2-#4):
// the device token goes, the app id does not.

/// #2 product details; the handle is one encoded segment (C37).
pub fn product(domain: &str, handle: &str, postal_code: Option<&str>) -> RequestSpec {
    let mut spec = RequestSpec::api(
        Method::Get,
        format!("/api/v1/domains-products/{}/{}", seg(domain), seg(handle)),
    );
    if let Some(p) = postal_code {
        spec = spec.query("postal_code", p);
    }
    spec
}

/// #3 product collection.
pub fn product_list(domain: &str) -> RequestSpec {
    RequestSpec::api(
        Method::Get,
        format!("/api/v1/domains-products/{}", seg(domain)),
    )
}

/// #4 product details from a PDP URL.
pub fn product_by_url(pdp_url: &str, postal_code: Option<&str>) -> RequestSpec {
    let mut spec =
        RequestSpec::api(Method::Get, "/api/v1/domains-pdp".into()).query("url", pdp_url);
    if let Some(p) = postal_code {
        spec = spec.query("postal_code", p);
    }
    spec
}

// ---- #5-#9 cart v1 ------------------------------------------------------------------------

/// #5 add (or create cart with) `quantity` of `sku`.
pub fn v1_add_line_item(
    domain: &str,
    sku: &str,
    quantity: i64,
    variant_handles: &[String],
) -> RequestSpec {
    let spec = RequestSpec::api(
        Method::Post,
        v1_cart(
            domain,
            &format!("/line-items/{}/quantity/{}", seg(sku), quantity),
        ),
    );
    if variant_handles.is_empty() {
        spec
    } else {
        spec.body(json!({ "variant_handles": variant_handles }))
    }
}

/// #6 set quantity (0 removes); PUT per the table, integer quantity (C18).
pub fn v1_update_line_item(domain: &str, sku: &str, quantity: i64) -> RequestSpec {
    RequestSpec::api(
        Method::Put,
        v1_cart(domain, &format!("/line-items/{}", seg(sku))),
    )
    .body(json!({ "quantity": quantity }))
}

/// #7 get cart v1.
pub fn v1_cart_get(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v1_cart(domain, "/"))
}

/// #8 clear cart v1.
pub fn v1_clear_cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v1_cart(domain, "/line-items"))
}

/// #9 attribution, wrapped body per the parameter table (C18).
pub fn set_attribution(domain: &str, attribution: &Attribution) -> RequestSpec {
    RequestSpec::api(Method::Put, v1_cart(domain, "/attribution"))
        .body(json!({ "attribution": to_value(attribution) }))
}

// ---- #10-#22 cart v2 ----------------------------------------------------------------------

/// #10 get cart v2.
pub fn cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v2_cart(domain, "/"))
}

/// #11 `POST …/cart/line-items`; `flush_cart=true` empties the cart first. The query goes
/// only when it is `true`: `false` is its documented default, and the docs' curls leave it
/// out (ENDPOINTS.md §1 #11).
fn line_items(domain: &str, flush_cart: bool) -> RequestSpec {
    let spec = RequestSpec::api(Method::Post, v2_cart(domain, "/line-items"));
    if flush_cart {
        spec.query("flush_cart", "true")
    } else {
        spec
    }
}

/// #11 add line item `{variant_id, quantity}`.
pub fn add_line_item(
    domain: &str,
    variant_id: &str,
    quantity: i64,
    flush_cart: bool,
) -> RequestSpec {
    line_items(domain, flush_cart).body(json!({ "variant_id": variant_id, "quantity": quantity }))
}

/// #11 add line item with the catalog's `add_to_cart_payload` as its body, exactly as the
/// catalog gave it (`variant_handles` and any other key kept), with `quantity` set to the
/// chosen one (ENDPOINTS.md §2.9, F6 step 2).
pub fn add_to_cart(
    domain: &str,
    payload: &AddToCartPayload,
    quantity: i64,
    flush_cart: bool,
) -> RequestSpec {
    line_items(domain, flush_cart).body(payload.body_for(quantity))
}

/// #12 set quantity of a line (0 removes).
pub fn update_line_item(domain: &str, line_item_id: &str, quantity: i64) -> RequestSpec {
    RequestSpec::api(
        Method::Post,
        v2_cart(domain, &format!("/line-items/{}", seg(line_item_id))),
    )
    .body(json!({ "quantity": quantity }))
}

/// #13 remove all lines.
pub fn clear_cart(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v2_cart(domain, "/line-items"))
}

/// #14 set add-on selections.
pub fn set_addons(domain: &str, selections: &[AddonSelectionRequest]) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/addons"))
        .body(json!({ "selections": to_value(&selections) }))
}

/// #15 remove one add-on from all items.
pub fn remove_addon(domain: &str, addon_id: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/addons/_remove"))
        .body(json!({ "addon_id": addon_id }))
}

/// #16 availability of a shipment.
pub fn availability(domain: &str, shipment_id: &str) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipments/get-availability"))
        .body(json!({ "shipment_id": shipment_id }))
}

/// #17 change fulfillment type; `location_id` only for pickup (C30).
pub fn set_fulfillment_type(
    domain: &str,
    shipment_id: &str,
    fulfillment_type: &FulfillmentType,
    location_id: Option<&str>,
) -> RequestSpec {
    let mut body =
        json!({ "shipment_id": shipment_id, "fulfillment_type": fulfillment_type.as_str() });
    if let (Some(loc), Some(obj)) = (location_id, body.as_object_mut()) {
        obj.insert("location_id".into(), Value::String(loc.to_string()));
    }
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipments/fulfillment-type")).body(body)
}

/// #18 choose a shipping method (singular `shipment`, C19): the documented fields, plus
/// `selected_time_slot_id` only when the server announced that extension (C31).
pub fn set_shipment_method(
    domain: &str,
    req: &SetShipmentMethod,
    extensions: Extensions,
) -> RequestSpec {
    let mut body = to_value(req);
    if let (true, Some(slot), Some(obj)) = (
        extensions.time_slot,
        req.selected_time_slot_id.as_ref(),
        body.as_object_mut(),
    ) {
        obj.insert("selected_time_slot_id".into(), Value::String(slot.clone()));
    }
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipment/methods")).body(body)
}

/// #19 shipping address: the documented keys only ([`address_body`]).
pub fn set_shipping_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/shipping-info")).body(address_body(info))
}

/// #20 billing address: the documented keys only, `email` and `phone` among them (all
/// required but `address2`, ENDPOINTS.md §1 #20): the caller fills them.
pub fn set_billing_info(domain: &str, info: &Address) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/billing-info")).body(address_body(info))
}

/// #21 apply promo codes (1..10).
pub fn apply_promo_codes(domain: &str, codes: &[String]) -> RequestSpec {
    RequestSpec::api(Method::Post, v2_cart(domain, "/promo-codes"))
        .body(json!({ "promo_codes": codes }))
}

/// #22 remove all promo codes.
pub fn clear_promo_codes(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v2_cart(domain, "/promo-codes"))
}

// ---- #23-#26 coupons v1, consents -----------------------------------------------------------

/// #23 apply coupons (v1 applies the best valid subset).
pub fn v1_apply_coupons(domain: &str, codes: &[String]) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/promo-codes"))
        .body(json!({ "promo_codes": codes }))
}

/// #24 clear coupons v1.
pub fn v1_clear_coupons(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Delete, v1_cart(domain, "/promo-codes"))
}

/// #25 list consents.
pub fn consents(domain: &str) -> RequestSpec {
    RequestSpec::api(Method::Get, v1_cart(domain, "/consents"))
}

/// #26 grant / revoke consents.
pub fn set_consents(domain: &str, changes: &[ConsentChange]) -> RequestSpec {
    RequestSpec::api(Method::Post, v1_cart(domain, "/consents"))
        .body(json!({ "consents": to_value(&changes) }))
}
