//! Domain errors ([`Rule`]) as the documented error ids and statuses of each route family
//! (ENDPOINTS.md §6.2, §6.3 and §7 C4). v1 routes and the vault use the plain ids of the
//! normalized table (ENDPOINTS.md §6.2); v2 routes use the `Error*` ids with the
//! statuses their pages give, and 404 / 422 / 503 where a v2 page gives none (C4). Only v2
//! errors carry `details` (the v2 error schema, ENDPOINTS.md §6.1).

use serde_json::json;

use crate::errors::{ApiError, Family};
use crate::rules::{AddressFault, Rule};

const NO_LINE_ITEM: &str = "Cart does not have any line item. Add an item at least and try again.";

fn pick(family: Family, v1: (u16, &str), v2: (u16, &str), description: String) -> ApiError {
    let (status, id) = match family {
        Family::V1 => v1,
        Family::V2 => v2,
    };
    ApiError::new(status, id, description)
}

fn v2_details(family: Family, e: ApiError, details: serde_json::Value) -> ApiError {
    match family {
        Family::V2 => e.with_details(details),
        Family::V1 => e,
    }
}

fn address(f: AddressFault, family: Family) -> ApiError {
    let info = (400, "InvalidShippingInfo");
    let info2 = (400, "ErrorInvalidShippingInfo");
    match f {
        AddressFault::Missing(fields) => {
            let e = pick(
                family,
                info,
                info2,
                format!("Missing required field(s): {}.", fields.join(", ")),
            );
            v2_details(family, e, json!({ "fields": fields }))
        }
        AddressFault::InvalidEmail(email) => {
            ApiError::new(400, "ErrorInvalidEmail", format!("Email provided is invalid: '{email}'."))
        }
        AddressFault::CountryNotSupported(c) => pick(
            family,
            (412, "CountryNotSupported"),
            (400, "ErrorCountryNotSupported"),
            format!("We don't currently support this country/region ({c}). Enter a new address and try again."),
        ),
        AddressFault::InvalidState { state, country } => pick(
            family,
            (400, "InvalidState"),
            (400, "ErrorInvalidState"),
            format!("This state ({state}) is not valid for the given country ({country})."),
        ),
        AddressFault::InvalidPostalCode { postal, country } => pick(
            family,
            info,
            info2,
            format!("The postal code '{postal}' is not valid for {country}."),
        ),
    }
}

impl Rule {
    /// The envelope a route of `family` answers with.
    pub fn api(self, family: Family) -> ApiError {
        use Rule::*;
        match self {
            DomainNotFound(d) => ApiError::new(
                404,
                "DomainNotFound",
                format!("This domain ({d}) was not found in firmly servers."),
            ),
            CartNotFound => pick(
                family,
                (404, "CartNotFound"),
                (404, "ErrorCartNotFound"),
                "Cart was not found.".to_string(),
            ),
            StoreUnavailable => pick(
                family,
                (503, "StoreUnavailable"),
                (503, "ErrorStoreUnavailable"),
                "Store temporarily unavailable. Please try again later.".to_string(),
            ),
            CannotCreateCart => pick(
                family,
                (409, "CannotCreateCart"),
                (422, "ErrorCannotCreateCart"),
                "Could not create cart".to_string(),
            ),
            NoLineItem => pick(
                family,
                (412, "NoLineItemError"),
                (400, "ErrorNoLineItem"),
                NO_LINE_ITEM.to_string(),
            ),
            ProductNotFound(d) => pick(family, (404, "ProductNotFound"), (404, "ErrorProductNotFound"), d),
            LineItemNotFound(d) => pick(family, (404, "ProductNotFound"), (404, "ErrorLineItemNotFound"), d),
            QuantityBelowOne => pick(
                family,
                (422, "InvalidInputBody"),
                (400, "ErrorInvalidInputBody"),
                "quantity must be at least 1.".to_string(),
            ),
            NegativeQuantity => pick(
                family,
                (422, "InvalidInputBody"),
                (422, "ErrorInvalidQuantity"),
                "quantity must be 0 or more.".to_string(),
            ),
            ExceedMaxQty => ApiError::new(
                400,
                "ExceedMaxQtyCart",
                format!(
                    "The request exceeds the maximum quantity ({}) allowed in the shopping cart.",
                    crate::rules::items::MAX_QUANTITY
                ),
            ),
            NotEnoughStock(d) => pick(family, (409, "NotEnoughStockError"), (422, "ErrorNotEnoughStock"), d),
            ShippingNotNeeded => pick(
                family,
                (400, "ShippingNotNeeded"),
                (400, "ErrorShippingNotNeeded"),
                "You don't have any items that require shipping".to_string(),
            ),
            Address(f) => address(f, family),
            MissingShippingInfo => {
                ApiError::new(412, "MissingShippingInfo", "Shipping info needs to be set.")
            }
            ShipmentNotFound(id) => ApiError::new(
                404,
                "ErrorShipmentNotFound",
                format!("Shipment '{id}' was not found in the cart."),
            )
            .with_details(json!({ "shipment_id": id })),
            InvalidFulfillmentType {
                provided,
                allowed,
                shipment_id,
            } => ApiError::new(
                400,
                "ErrorInvalidFulfillmentType",
                format!(
                    "Fulfillment type '{provided}' is not available for shipment {shipment_id}; allowed: {}.",
                    allowed.join(", ")
                ),
            )
            .with_details(json!({ "provided": provided, "allowed": allowed })),
            LocationNotFound(id) => ApiError::new(
                404,
                "ErrorLocationNotFound",
                format!("Pickup location '{id}' was not found."),
            )
            .with_details(json!({ "location_id": id })),
            InvalidShippingMethod {
                provided,
                allowed,
                shipment_id,
            } => {
                let e = pick(
                    family,
                    (400, "InvalidShippingMethod"),
                    (400, "ErrorInvalidShippingMethod"),
                    match &shipment_id {
                        Some(s) => format!(
                            "Shipping method '{provided}' is not offered for shipment {s}; offered: {}.",
                            allowed.join(", ")
                        ),
                        None => format!("Invalid shipping method '{provided}'."),
                    },
                );
                v2_details(family, e, json!({ "provided": provided, "allowed": allowed }))
            }
            InvalidDate {
                description,
                details,
            } => {
                let e = ApiError::new(400, "ErrorInvalidDate", description);
                match details {
                    Some(d) => e.with_details(d),
                    None => e,
                }
            }
            InvalidInput(d) => ApiError::invalid_body(family == Family::V2, &d),
            InvalidPromoCode { code, expired } => pick(
                family,
                (409, "InvalidPromoCode"),
                (400, "ErrorInvalidPromoCode"),
                if expired {
                    format!("Enter a valid discount code: the promo code '{code}' has expired.")
                } else {
                    format!("Enter a valid discount code: '{code}' is not valid.")
                },
            ),
            PromoNotAvailable => pick(
                family,
                (409, "PromoNotAvailable"),
                (400, "ErrorPromoNotAvailable"),
                "This merchant does not allow promotions for this cart.".to_string(),
            ),
            MultipleDiscountCodes => ApiError::new(
                409,
                "MultipleDiscountCodesNotSupported",
                "This store does not support multiple discount codes.",
            ),
            AddonRejected(d) => ApiError::new(422, "ErrorUnprocessableEntity", d),
            AttributionFrozen => ApiError::new(
                422,
                "UnprocessableEntity",
                "The attribution was already synced to the merchant and cannot change.",
            ),
            PaypalNotStarted => ApiError::new(
                400,
                "ErrorStartExpressCheckout",
                "Could not start checkout: call express/paypal/start first.",
            ),
            PaypalNotAuthorized => ApiError::new(
                400,
                "ErrorSubmitExpressCheckout",
                "Could not submit checkout: the PayPal payment is not authorized.",
            ),
            PayerIdMissing => ApiError::new(400, "BadRequest", "attributes.payer_id is required."),
            PaymentMethodNotAvailable(d) => ApiError::new(409, "PaymentMethodNotAvailable", d),
            CannotTransferSession(d) => pick(
                family,
                (409, "CannotTransferSession"),
                (422, "ErrorCannotTransferSession"),
                format!("Required information to perform session transfer is not available: {d}"),
            ),
            AlreadySubmitted(order) => ApiError::new(
                412,
                "CheckoutError",
                format!("This cart was already submitted as order {order}."),
            ),
            MissingEmailOnCheckout => ApiError::new(
                412,
                "MissingEmailAddressOnCheckout",
                "Missing email address during checkout phase.",
            ),
            MissingEmail => ApiError::new(412, "MissingEmail", "Missing email address."),
            UserMustLogin => ApiError::new(
                409,
                "UserMustLogin",
                "This merchant requires the user to be logged in at this step.",
            ),
            MissingShippingMethod(s) => ApiError::new(
                412,
                "MissingShippingMethod",
                format!("Shipping method needs to be set for shipment {s}."),
            ),
            CheckoutError(d) => ApiError::new(412, "CheckoutError", d),
            MissingTaxSync => ApiError::new(
                412,
                "MissingTaxSync",
                "The taxes are not synced yet. Please refresh the cart and try again.",
            ),
            Card(f) => {
                let (id, description) = f.id_and_description();
                ApiError::new(422, id, description)
            }
            InvalidKey => ApiError::new(
                409,
                "InvalidKey",
                "The key used for encryption in this request does not exist or is no longer valid.",
            ),
            MalformedPayment(d) => ApiError::new(
                412,
                "CheckoutError",
                format!("Payment info or billing address invalid: {d}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_differ_where_the_docs_do() {
        let ids = |r: Rule| {
            let (a, b) = (r.clone().api(Family::V1), r.api(Family::V2));
            (
                a.status.as_u16(),
                a.error.clone(),
                b.status.as_u16(),
                b.error.clone(),
            )
        };
        assert_eq!(
            ids(Rule::CartNotFound),
            (404, "CartNotFound".into(), 404, "ErrorCartNotFound".into())
        );
        assert_eq!(
            ids(Rule::NotEnoughStock(String::new())),
            (
                409,
                "NotEnoughStockError".into(),
                422,
                "ErrorNotEnoughStock".into()
            )
        );
        assert_eq!(
            ids(Rule::StoreUnavailable),
            (
                503,
                "StoreUnavailable".into(),
                503,
                "ErrorStoreUnavailable".into()
            )
        );
        let e = Rule::Address(AddressFault::Missing(vec!["city"])).api(Family::V1);
        assert!(e.details.is_none());
        let e = Rule::Address(AddressFault::Missing(vec!["city"])).api(Family::V2);
        assert_eq!(e.details, Some(json!({ "fields": ["city"] })));
    }
}
