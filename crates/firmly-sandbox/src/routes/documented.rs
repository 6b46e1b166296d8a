//! The documented shape of every request body the routes parse ([`Documented`]; the check is
//! [`crate::body_shapes`]): ENDPOINTS.md §1 "Request" column, §7 C6 address aliases, C18 flat
//! attribution, C22 `state_name`, C24 wallet unlock, C26 transfer handles; and the one `demo`
//! extension, C31. Admin bodies (`/__sandbox/…`) are the sandbox's own and are not shaped.

use crate::body_shapes::Documented;
use crate::body_shapes::Shape::{self, Any, List, Object};
use crate::model::profile::Profile;

/// Every spelling of an address the docs show: the request tables and Address schema
/// (`company`, return-only `state_name`), the v2 ShippingInfo schema (`province`, `zip`) and
/// the Get Cart v2 page (`address_line_1`, `address_line_2`, `state_code`, `country_code`) —
/// ENDPOINTS.md §7 C6, C22.
const ADDRESS: Shape = Object(&[
    ("first_name", Any),
    ("last_name", Any),
    ("email", Any),
    ("phone", Any),
    ("company", Any),
    ("address1", Any),
    ("address_line_1", Any),
    ("address2", Any),
    ("address_line_2", Any),
    ("city", Any),
    ("state_or_province", Any),
    ("state_code", Any),
    ("province", Any),
    ("state_name", Any),
    ("postal_code", Any),
    ("zip", Any),
    ("country", Any),
    ("country_code", Any),
]);

/// Implements [`Documented`] with one shape for both profiles.
macro_rules! documented {
    ($($ty:ty => $shape:expr;)*) => {$(
        impl Documented for $ty {
            fn shape(_: Profile) -> Option<&'static Shape> {
                const SHAPE: Shape = $shape;
                Some(&SHAPE)
            }
        }
    )*};
}

documented! {
    // ENDPOINTS.md §1 row 1 (renewal).
    crate::routes::auth::SessionRequest => Object(&[("access_token", Any)]);
    // Rows 5, 6, 12 (v1 add; v1 and v2 update).
    crate::routes::cart_v1::AddBody => Object(&[("variant_handles", Any)]);
    crate::routes::cart_v1::UpdateBody => Object(&[("quantity", Any)]);
    crate::routes::cart_v2::UpdateQuantity => Object(&[("quantity", Any)]);
    // Row 9, wrapped or flat (C18).
    crate::routes::cart_v1::AttributionBody => Object(&[
        ("attribution", Object(&[("utm", Any), ("referrer_url", Any), ("referral_code", Any)])),
        ("utm", Any),
        ("referrer_url", Any),
        ("referral_code", Any),
    ]);
    // Rows 19, 20 and v1 shipping info.
    crate::model::address::AddressInput => ADDRESS;
    crate::routes::cart_v1::ShippingMethodBody => Object(&[("shipping_method", Any)]);
    // Rows 21, 23.
    crate::routes::cart_v1::CouponBody => Object(&[("promo_codes", Any)]);
    crate::routes::promos::PromoCodes => Object(&[("promo_codes", Any)]);
    // Row 26.
    crate::routes::consents::SetConsents => Object(&[
        ("consents", List(&Object(&[("id", Any), ("revoke", Any)]))),
    ]);
    // Rows 36, 37 (C26): the v2 handle may be an object.
    crate::routes::sessions::TransferV1 => Object(&[("handle", Any), ("cookies", Any)]);
    crate::routes::sessions::TransferV2 => Object(&[
        ("handle", Object(&[
            ("handle", Any),
            ("token", Any),
            ("merchantData", Any),
            ("version", Any),
        ])),
        ("cookies", Any),
    ]);
    // The postal-code body (ENDPOINTS.md §8 F10 step 3: `{postal_code}`).
    crate::routes::sessions::PostalCodeBody => Object(&[("postal_code", Any)]);
    // OTP login: create-otp and forgot-password `{email}`, validate-otp `{email, otp}`.
    crate::routes::sessions::EmailBody => Object(&[("email", Any)]);
    crate::routes::sessions::ValidateOtpBody => Object(&[("email", Any), ("otp", Any)]);
    // Wallet unlock (C24: table `{email, hcaptcha_token}`, sample `{otp, access_token}`).
    crate::routes::wallet::UnlockStart => Object(&[("email", Any), ("hcaptcha_token", Any)]);
    crate::routes::wallet::UnlockComplete => Object(&[
        ("otp", Any),
        ("access_token", Any),
        ("email", Any),
        ("hcaptcha_token", Any),
    ]);
    // Row 28.
    crate::routes::paypal::AuthorizeBody => Object(&[("attributes", Object(&[("payer_id", Any)]))]);
    // Row 11.
    crate::routes::cart_v2::AddLineItem => Object(&[
        ("variant_id", Any),
        ("quantity", Any),
        ("variant_handles", Any),
    ]);
    // Rows 14, 15.
    crate::routes::addons::SetAddons => Object(&[(
        "selections",
        List(&Object(&[
            ("addon_id", Any),
            ("selected_line_item_ids", Any),
            ("selected_child_ids", Any),
        ])),
    )]);
    crate::routes::addons::RemoveAddon => Object(&[("addon_id", Any)]);
    // Rows 16, 17.
    crate::routes::shipments::ShipmentRef => Object(&[("shipment_id", Any)]);
    crate::routes::shipments::SetFulfillmentType => Object(&[
        ("shipment_id", Any),
        ("fulfillment_type", Any),
        ("location_id", Any),
    ]);
    // Rows 31, 32, 34, 35, 33.
    crate::routes::payments::CompleteOrderV3 => Object(&[
        ("handle", Any),
        ("billing_info", ADDRESS),
        ("encrypted_card", Any),
        ("captcha_token", Any),
    ]);
    crate::routes::payments::CompleteOrderV2 => Object(&[
        ("handle", Any),
        ("billing_info", ADDRESS),
        ("credit_card", Object(&[
            ("name", Any),
            ("number", Any),
            ("month", Any),
            ("year", Any),
            ("verification_value", Any),
        ])),
    ]);
    crate::routes::payments::TokenizeBody => Object(&[("data", Any), ("metadata", Any), ("handle", Any)]);
    crate::routes::payments::CompleteWithToken => Object(&[
        ("payment_token", Object(&[("id", Any)])),
        ("vault_token", Any),
    ]);
    crate::routes::payments::SavedPaymentBody => Object(&[("payment_id", Any)]);
}

/// Row 18; `demo` adds its slot and store choice (C31, the README's extension table).
impl Documented for crate::routes::shipments::SetShippingMethod {
    fn shape(profile: Profile) -> Option<&'static Shape> {
        const DOCS: Shape = Object(&[
            ("shipment_id", Any),
            ("shipping_method_id", Any),
            ("notes", Any),
            ("selected_date", Any),
        ]);
        const DEMO: Shape = Object(&[
            ("shipment_id", Any),
            ("shipping_method_id", Any),
            ("notes", Any),
            ("selected_date", Any),
            ("selected_time_slot_id", Any),
            ("location_id", Any),
        ]);
        Some(if profile.extensions() { &DEMO } else { &DOCS })
    }
}

/// Admin bodies (`/__sandbox/…`) are the sandbox's own and checked by their types.
macro_rules! unshaped {
    ($($ty:ty),*) => {$(
        impl Documented for $ty {
            fn shape(_: Profile) -> Option<&'static Shape> {
                None
            }
        }
    )*};
}

unshaped!(
    crate::routes::admin::FaultBody,
    crate::routes::admin::ClockBody,
    crate::routes::admin::ReleaseBody
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body_shapes::check;
    use serde_json::json;

    #[test]
    fn the_demo_extensions_are_demo_only() {
        use crate::routes::shipments::SetShippingMethod;
        let body =
            json!({"shipment_id": "s", "shipping_method_id": "m", "selected_time_slot_id": "t"});
        assert!(check::<SetShippingMethod>(&body, Profile::Demo).is_ok());
        let e = check::<SetShippingMethod>(&body, Profile::Docs).expect_err("docs");
        assert!(e.contains("'selected_time_slot_id'"), "{e}");
        assert!(e.contains("selected_date"), "{e}");
    }

    #[test]
    fn every_documented_address_spelling_is_allowed() {
        use crate::model::address::AddressInput;
        let body = json!({
            "first_name": "A", "last_name": "B", "email": "e@x.io", "phone": "1", "company": "C",
            "address_line_1": "1 St", "address_line_2": "", "city": "X", "state_code": "WA",
            "province": "WA", "state_name": "Washington", "zip": "98101", "country_code": "US"
        });
        assert!(check::<AddressInput>(&body, Profile::Docs).is_ok());
        let e = check::<AddressInput>(&json!({"street": "x"}), Profile::Docs).expect_err("x");
        assert!(e.contains("'street'"), "{e}");
    }
}
