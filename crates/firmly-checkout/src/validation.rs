//! Input checks made before anything is sent, so a person learns what to fix field by
//! field. The server validates again; these only catch what can be known locally.

use firmly_api::{ApiError, CardDetails, Field, FieldRule};

use crate::view::{AddressView, CardBrandView, CardCheckView, CardInput, FieldErrorView};

/// US states and territories accepted as `state_or_province` codes.
pub fn check_email(email: &str) -> Result<(), ApiError> {
    let e = email.trim();
    let ok = match e.split_once('@') {
        Some((local, host)) => {
            !local.is_empty()
                && host.contains('.')
                && !host.starts_with('.')
                && !host.ends_with('.')
        }
        None => false,
    };
    if ok && !e.contains(char::is_whitespace) {
        Ok(())
    } else {
        Err(field_error(
            Field::Email,
            "Enter a valid email address, like name@example.com.",
        ))
    }
}

fn field_error(field: Field, message: &str) -> ApiError {
    ApiError::field(field, message)
}

/// A postal code for the device's shipping estimates: 3–10 letters, digits, spaces or dashes.
pub fn check_postal_code(code: &str) -> Result<(), ApiError> {
    let c = code.trim();
    let ok = (3..=10).contains(&c.chars().count())
        && c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == ' ' || ch == '-');
    if ok {
        Ok(())
    } else {
        Err(field_error(
            Field::PostalCode,
            "Enter a postal code such as 98101.",
        ))
    }
}

/// A wallet provider name as it goes into the path (`shoppay`).
pub fn check_wallet_name(wallet: &str) -> Result<(), ApiError> {
    let ok = !wallet.is_empty()
        && wallet.len() <= 32
        && wallet
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(field_error(Field::Wallet, "Unknown wallet."))
    }
}

/// Field-level problems of an address form (shipping needs email and phone).
pub fn address_problems(
    a: &AddressView,
    shipping: bool,
    optional: &[String],
) -> Vec<FieldErrorView> {
    let mut out = Vec::new();
    let is_optional = |f: Field| optional.iter().any(|o| o == &format!("shipping_{f}"));
    let mut need = |field: Field, value: &str, label: &str| {
        if value.trim().is_empty() && !(shipping && is_optional(field)) {
            out.push(FieldErrorView {
                field,
                rule: FieldRule::Required,
                message: format!("{label} is required."),
            });
        }
    };
    need(Field::FirstName, &a.first_name, "First name");
    need(Field::LastName, &a.last_name, "Last name");
    need(Field::Address1, &a.address1, "Address");
    need(Field::City, &a.city, "City");
    need(Field::StateOrProvince, &a.state_or_province, "State");
    need(Field::PostalCode, &a.postal_code, "ZIP code");
    need(Field::Country, &a.country, "Country");
    if shipping {
        need(Field::Email, &a.email, "Email");
        need(Field::Phone, &a.phone, "Phone");
    }
    if !a.email.trim().is_empty() && check_email(&a.email).is_err() {
        out.push(FieldErrorView {
            field: Field::Email,
            rule: FieldRule::Invalid,
            message: "Enter a valid email address, like name@example.com.".into(),
        });
    }
    let country = a.country.trim().to_ascii_uppercase();
    if !country.is_empty() && country.len() != 2 {
        out.push(FieldErrorView {
            field: Field::Country,
            rule: FieldRule::Invalid,
            message: "Use the two-letter country code (e.g. US).".into(),
        });
    }
    if let Some(regions) = crate::regions::regions_of(&country) {
        let st = a.state_or_province.trim().to_ascii_uppercase();
        if !st.is_empty() && !regions.iter().any(|(code, _)| *code == st) {
            out.push(FieldErrorView {
                field: Field::StateOrProvince,
                rule: FieldRule::Invalid,
                message: "Use the two-letter state or province code (e.g. WA).".into(),
            });
        }
    }
    if country == "US" {
        let zip = a.postal_code.trim();
        let digits = zip.chars().filter(|c| c.is_ascii_digit()).count();
        if !(zip.is_empty() || digits == 5 || digits == 9) {
            out.push(FieldErrorView {
                field: Field::PostalCode,
                rule: FieldRule::Invalid,
                message: "Enter a 5-digit ZIP code.".into(),
            });
        }
    }
    let phone_digits = a.phone.chars().filter(|c| c.is_ascii_digit()).count();
    if !a.phone.trim().is_empty() && phone_digits < 7 {
        out.push(FieldErrorView {
            field: Field::Phone,
            rule: FieldRule::Invalid,
            message: "Enter a phone number with area code.".into(),
        });
    }
    out
}

/// The first problem of an address as a `Validation` error naming the field.
pub fn check_address(a: &AddressView, shipping: bool, optional: &[String]) -> Result<(), ApiError> {
    match address_problems(a, shipping, optional).into_iter().next() {
        Some(p) => Err(field_error(p.field, &p.message)),
        None => Ok(()),
    }
}

/// Normalizes the typed card for encryption: digits-only number, two-digit month,
/// four-digit year (ENDPOINTS.md §7 C21).
pub fn card_details(card: &CardInput) -> CardDetails {
    let number: String = card.number.chars().filter(|c| c.is_ascii_digit()).collect();
    let month_digits: String = card
        .exp_month
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let month = format!("{:0>2}", month_digits);
    let year_digits: String = card
        .exp_year
        .chars()
        .filter(|c| c.is_ascii_digit())
        .collect();
    let year = if year_digits.len() == 2 {
        format!("20{year_digits}")
    } else {
        year_digits
    };
    CardDetails {
        number,
        name: card.name.trim().to_string(),
        month,
        year,
        verification_value: card.cvv.trim().to_string(),
    }
}

/// Field-level card problems (Luhn, expiry in the future, CVV length for the brand).
/// The card form's check: the brand its number names, the CVV length for it, the problems.
pub fn card_check(card: &CardInput) -> CardCheckView {
    use firmly_api::CardBrand as B;
    let brand = match firmly_api::card_brand(&card.number) {
        B::Visa => Some(CardBrandView::Visa),
        B::Mastercard => Some(CardBrandView::Mastercard),
        B::Amex => Some(CardBrandView::Amex),
        B::Discover => Some(CardBrandView::Discover),
        B::DinersClub => Some(CardBrandView::DinersClub),
        B::Jcb => Some(CardBrandView::Jcb),
        B::UnionPay => Some(CardBrandView::UnionPay),
        B::Unknown => None,
    };
    CardCheckView {
        brand,
        cvv_digits: if brand == Some(CardBrandView::Amex) {
            4
        } else {
            3
        },
        problems: check_card(card),
    }
}

pub fn check_card(card: &CardInput) -> Vec<FieldErrorView> {
    let details = card_details(card);
    let today = chrono::Utc::now().date_naive();
    firmly_api::validate_card(&details, today)
        .into_iter()
        .map(|p| FieldErrorView {
            field: p.field,
            rule: p.rule,
            message: p.message,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr() -> AddressView {
        AddressView {
            first_name: "Ada".into(),
            last_name: "Lovelace".into(),
            email: "ada@example.com".into(),
            phone: "206-555-0100".into(),
            address1: "1 Main St".into(),
            city: "Seattle".into(),
            state_or_province: "WA".into(),
            postal_code: "98101".into(),
            country: "US".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_us_address_passes() {
        assert!(address_problems(&addr(), true, &[]).is_empty());
    }

    #[test]
    fn problems_name_the_field() {
        let mut a = addr();
        a.email = "ada@".into();
        a.state_or_province = "Washington".into();
        a.city.clear();
        let fields: Vec<Field> = address_problems(&a, true, &[])
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(
            fields,
            vec![Field::City, Field::Email, Field::StateOrProvince]
        );
    }

    #[test]
    fn optional_fields_of_the_merchant_may_be_empty() {
        let mut a = addr();
        a.phone.clear();
        assert_eq!(address_problems(&a, true, &[]).len(), 1);
        assert!(address_problems(&a, true, &["shipping_phone".to_string()]).is_empty());
    }

    #[test]
    fn card_details_are_normalized() {
        let c = CardInput {
            number: "4242 4242-4242 4242".into(),
            name: " Ada ".into(),
            exp_month: "8".into(),
            exp_year: "31".into(),
            cvv: "123".into(),
        };
        let d = card_details(&c);
        assert_eq!(
            (d.number.as_str(), d.month.as_str(), d.year.as_str()),
            ("4242424242424242", "08", "2031")
        );
        assert_eq!(d.name, "Ada");
    }
}
