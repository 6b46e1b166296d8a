//! Address validation for shipping-info and billing-info (ENDPOINTS.md §1 #19,
//! ENDPOINTS.md §1 #20): which fields each use requires, a simple email check, supported countries (US,
//! CA), known states and postal-code formats. Produces the normalized [`Address`].

use crate::model::address::{
    normalize_country, normalize_state, trimmed, valid_email, valid_postal, Address, AddressInput,
    AddressUse,
};
use crate::model::cart::Cart;
use crate::model::fixtures::MerchantFixture;
use crate::model::ids::opaque_handle;
use crate::model::world::World;
use crate::rules::{AddressFault, Rule, RuleResult};

/// Sets shipping info (ENDPOINTS.md §1 #19 v2, §1 #46 v1): the address must be valid, the cart must have
/// items and at least one that ships (`ShippingNotNeeded`, ENDPOINTS.md §6.3); a logged-in shopper's
/// email is the account's (ENDPOINTS.md §8 F9); every shipment may take its cheapest method again; the
/// payment handle is issued (ENDPOINTS.md §1 #46).
pub fn set_shipping_info(
    cart: &mut Cart,
    m: &MerchantFixture,
    world: &World,
    input: &AddressInput,
) -> RuleResult<()> {
    let mut addr = validate(input, AddressUse::Shipping)?;
    if cart.items.is_empty() {
        return Err(Rule::NoLineItem);
    }
    if !cart.needs_shipping(m) {
        return Err(Rule::ShippingNotNeeded);
    }
    if let Some(email) = world.account_email(&cart.device_id, &m.domain) {
        addr.email = email.to_string();
    }
    cart.shipping_info = Some(addr);
    for s in &mut cart.shipments {
        s.auto_method = true;
    }
    if cart.payment_handle.is_none() {
        cart.payment_handle = Some(opaque_handle());
    }
    Ok(())
}

/// Sets billing info (ENDPOINTS.md §1 #20). A cart that needs no shipping (digital only) gets its payment
/// handle here, since it never takes a shipping address ("billing information for digital
/// orders", ENDPOINTS.md §1 #20).
pub fn set_billing_info(
    cart: &mut Cart,
    m: &MerchantFixture,
    input: &AddressInput,
) -> RuleResult<()> {
    cart.billing_info = Some(validate(input, AddressUse::Billing)?);
    if cart.payment_handle.is_none() && !cart.items.is_empty() && !cart.needs_shipping(m) {
        cart.payment_handle = Some(opaque_handle());
    }
    Ok(())
}

/// The merchant's own form validation of the cart's shipping address, which the address
/// checks above accepted: `(field, message)` pairs for the cart's `validation_errors` ("Specific
/// form validation errors", ENDPOINTS.md §2.3), empty when it passes. Today one rule: a
/// merchant with the `no_po_box` trait does not deliver to a PO box.
pub fn form_errors(m: &MerchantFixture, cart: &Cart) -> Vec<(&'static str, String)> {
    let Some(a) = cart.shipping_info.as_ref() else {
        return Vec::new();
    };
    if !m.traits.no_po_box {
        return Vec::new();
    }
    [("address1", &a.address1), ("address2", &a.address2)]
        .into_iter()
        .filter(|(_, line)| is_po_box(line))
        .map(|(field, _)| {
            let msg = format!("{} does not deliver to PO boxes.", m.display_name);
            (field, msg)
        })
        .collect()
}

/// A PO box line: `PO Box 12`, `P.O. Box 12`, `Post Office Box 12` (case, dots and spaces
/// ignored).
fn is_po_box(line: &str) -> bool {
    let t: String = line
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    t.starts_with("pobox") || t.starts_with("postofficebox")
}

/// Validates and normalizes an address for `usage`.
pub fn validate(input: &AddressInput, usage: AddressUse) -> Result<Address, AddressFault> {
    let mut required = vec![
        ("first_name", &input.first_name),
        ("last_name", &input.last_name),
        ("address1", &input.address1),
        ("city", &input.city),
        ("state_or_province", &input.state_or_province),
        ("postal_code", &input.postal_code),
        ("country", &input.country),
    ];
    match usage {
        AddressUse::Shipping => {
            required.push(("phone", &input.phone));
            required.push(("email", &input.email));
        }
        AddressUse::Billing => required.push(("email", &input.email)),
        AddressUse::CardBilling => {}
    }
    let missing: Vec<&'static str> = required
        .iter()
        .filter(|(_, v)| trimmed(v).is_empty())
        .map(|(k, _)| *k)
        .collect();
    if !missing.is_empty() {
        return Err(AddressFault::Missing(missing));
    }
    let email = trimmed(&input.email);
    if !email.is_empty() && !valid_email(&email) {
        return Err(AddressFault::InvalidEmail(email));
    }
    let country_raw = trimmed(&input.country);
    let country =
        normalize_country(&country_raw).ok_or(AddressFault::CountryNotSupported(country_raw))?;
    let state_raw = trimmed(&input.state_or_province);
    let (state, state_name) =
        normalize_state(country, &state_raw).ok_or_else(|| AddressFault::InvalidState {
            state: state_raw.clone(),
            country: country.to_string(),
        })?;
    let postal = trimmed(&input.postal_code);
    if !valid_postal(country, &postal) {
        return Err(AddressFault::InvalidPostalCode {
            postal,
            country: country.to_string(),
        });
    }
    Ok(Address {
        first_name: trimmed(&input.first_name),
        last_name: trimmed(&input.last_name),
        email,
        phone: trimmed(&input.phone),
        company: trimmed(&input.company),
        address1: trimmed(&input.address1),
        address2: trimmed(&input.address2),
        city: trimmed(&input.city),
        state_or_province: state.to_string(),
        state_name: state_name.to_string(),
        postal_code: postal.to_ascii_uppercase(),
        country: country.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> AddressInput {
        AddressInput {
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            email: Some("ada@example.com".into()),
            phone: Some("+12065550100".into()),
            address1: Some("1 Main St".into()),
            city: Some("Seattle".into()),
            state_or_province: Some("Washington".into()),
            postal_code: Some("98101".into()),
            country: Some("United States".into()),
            ..Default::default()
        }
    }

    #[test]
    fn normalizes_names() {
        let a = validate(&good(), AddressUse::Shipping).expect("valid");
        assert_eq!(a.state_or_province, "WA");
        assert_eq!(a.state_name, "Washington");
        assert_eq!(a.country, "US");
    }

    #[test]
    fn reports_specific_faults() {
        let mut a = good();
        a.email = Some("nope".into());
        assert!(matches!(
            validate(&a, AddressUse::Shipping),
            Err(AddressFault::InvalidEmail(_))
        ));
        let mut a = good();
        a.country = Some("FR".into());
        assert!(matches!(
            validate(&a, AddressUse::Shipping),
            Err(AddressFault::CountryNotSupported(_))
        ));
        let mut a = good();
        a.state_or_province = Some("ZZ".into());
        assert!(matches!(
            validate(&a, AddressUse::Shipping),
            Err(AddressFault::InvalidState { .. })
        ));
        let mut a = good();
        a.city = None;
        assert_eq!(
            validate(&a, AddressUse::Shipping),
            Err(AddressFault::Missing(vec!["city"]))
        );
        let mut a = good();
        a.postal_code = Some("9810".into());
        assert!(validate(&a, AddressUse::Shipping).is_err());
        let mut a = good();
        a.postal_code = Some("98101-12é4".into());
        assert!(validate(&a, AddressUse::Shipping).is_err());
    }
}
