//! The input an error is about: one name per field of the app's input types (`CardInput`,
//! `AddressView`, the settings), plus the few inputs of single steps (a promo code, a
//! one-time code, a merchant's domain, a product link). The UI moves focus to it and marks it.

use serde::{Deserialize, Serialize};

macro_rules! fields {
    ($( $(#[$doc:meta])* $variant:ident = $name:literal, )*) => {
        /// The input an error is about (`ApiError::field`, `FieldErrorView::field`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "specta", derive(specta::Type))]
        pub enum Field {
            $( $(#[$doc])* #[serde(rename = $name)] $variant, )*
        }

        impl Field {
            /// Every field, for tables and exhaustive tests.
            pub const ALL: &'static [Field] = &[$(Field::$variant,)*];

            /// The name as it travels (`exp_month`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }
        }
    };
}

fields! {
    // ---- a card ----
    Number = "number",
    Name = "name",
    ExpMonth = "exp_month",
    ExpYear = "exp_year",
    Cvv = "cvv",
    // ---- an address ----
    FirstName = "first_name",
    LastName = "last_name",
    Email = "email",
    Phone = "phone",
    Company = "company",
    Address1 = "address1",
    Address2 = "address2",
    City = "city",
    StateOrProvince = "state_or_province",
    PostalCode = "postal_code",
    Country = "country",
    // ---- one step's input ----
    /// A merchant's domain.
    Domain = "domain",
    /// A web address (a consent's link, a receipt's page).
    Url = "url",
    /// A product link or scanned code (Add by link).
    Link = "link",
    Variant = "variant",
    Quantity = "quantity",
    Promo = "promo",
    /// A shipment of the cart.
    Shipment = "shipment",
    FulfillmentType = "fulfillment_type",
    /// A delivery window (date and time slot).
    Window = "window",
    PickupOption = "pickup_option",
    /// A one-time code.
    Otp = "otp",
    Wallet = "wallet",
    /// A captcha the merchant asks for (no error id for it is documented, ENDPOINTS.md §4.3).
    Captcha = "captcha",
    /// A transferred session's handle.
    Handle = "handle",
    PaymentId = "payment_id",
    /// A removal to undo.
    Undo = "undo",
    /// The staff PIN.
    Pin = "pin",
    // ---- the settings ----
    AppId = "app_id",
    ApiBase = "api_base",
    VaultBase = "vault_base",
    StatusBase = "status_base",
    StatusComponent = "status_component",
    IdleSeconds = "idle_seconds",
    CardEncryption = "card_encryption",
    Language = "language",
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_travels_by_its_name() {
        for f in Field::ALL {
            let json = serde_json::to_value(f).unwrap();
            assert_eq!(json, f.as_str());
            assert_eq!(serde_json::from_value::<Field>(json).unwrap(), *f);
        }
        let mut names: Vec<_> = Field::ALL.iter().map(|f| f.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Field::ALL.len(), "names are unique");
    }
}
