//! Test-card outcomes (CONTRACTS.md §3) and the expiry ids of
//! ENDPOINTS.md §6.2, checked in this order:
//!
//! 1. number: digits only, 12–19 long, Luhn-valid → else `CreditCardInvalidNumber`;
//! 2. month: an integer 1–12 → else `CreditCardInvalidExpiryMonth`;
//! 3. year: 2 or 4 digits → else `CreditCardInvalidExpiryYear`;
//! 4. expiry before the current sandbox month → `CreditCardInvalidExpiry` (CONTRACTS.md §3
//!    "a past expiry");
//! 5. expiry more than 20 years ahead → `CreditCardInvalidExpiryDate`;
//! 6. security code: 4 digits for Amex, else 3 → else `CreditCardInvalidSecurityCode`;
//! 7. `4000000000000002` → `CreditCardDeclined`, `4000000000009995` →
//!    `CreditCardInsufficientFunds`.

use chrono::{Datelike, NaiveDate};

use crate::model::card::{CardData, CardFault};

/// The test cards a demo offers (CONTRACTS.md §3) and what each does: `(number, outcome)`,
/// the outcome being the normalized error id, or `approved`.
pub const TEST_CARDS: &[(&str, &str)] = &[
    ("4111111111111111", "approved"),
    ("4000000000000002", "CreditCardDeclined"),
    ("4000000000009995", "CreditCardInsufficientFunds"),
];

/// Years ahead beyond which an expiry is not credible.
pub const MAX_YEARS_AHEAD: i32 = 20;

pub fn luhn(digits: &str) -> bool {
    let mut sum = 0;
    for (i, c) in digits.chars().rev().enumerate() {
        let Some(mut d) = c.to_digit(10) else {
            return false;
        };
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// Checks a card against the sandbox date `today`.
pub fn check(card: &CardData, today: NaiveDate) -> Result<(), CardFault> {
    let number = card.number();
    if !all_digits(number) || !(12..=19).contains(&number.len()) || !luhn(number) {
        return Err(CardFault::InvalidNumber);
    }
    let month_ok = all_digits(&card.month)
        && card.month.chars().count() <= 2
        && card
            .month
            .parse::<u32>()
            .is_ok_and(|m| (1..=12).contains(&m));
    if !month_ok {
        return Err(CardFault::InvalidExpiryMonth);
    }
    let year_len = card.year.chars().count();
    if !all_digits(&card.year) || !(year_len == 2 || year_len == 4) {
        return Err(CardFault::InvalidExpiryYear);
    }
    let (year, month) = card.expiry().ok_or(CardFault::InvalidExpiryYear)?;
    if (year, month) < (today.year(), today.month()) {
        return Err(CardFault::InvalidExpiry);
    }
    if (year, month) > (today.year() + MAX_YEARS_AHEAD, today.month()) {
        return Err(CardFault::InvalidExpiryDate);
    }
    let want = if card.brand() == "amex" { 4 } else { 3 };
    if card.cvv().len() != want || !all_digits(card.cvv()) {
        return Err(CardFault::InvalidSecurityCode);
    }
    match number {
        "4000000000000002" => Err(CardFault::Declined),
        "4000000000009995" => Err(CardFault::InsufficientFunds),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(n: &str, m: &str, y: &str, cvv: &str) -> CardData {
        CardData::from_json(
            &json!({ "number": n, "month": m, "year": y, "verification_value": cvv }),
        )
    }

    #[test]
    fn outcomes() {
        assert!(luhn("4111111111111111") && !luhn("4111111111111112"));
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
        let err = |card: CardData| check(&card, today).err();
        assert_eq!(err(c("4111111111111111", "08", "2030", "123")), None);
        assert_eq!(err(c("4111111111111111", "11", "26", "123")), None);
        assert_eq!(
            err(c("4111111111111112", "08", "2030", "123")),
            Some(CardFault::InvalidNumber)
        );
        assert_eq!(
            err(c("4111111111111111", "10", "2026", "123")),
            Some(CardFault::InvalidExpiry)
        );
        assert_eq!(
            err(c("4111111111111111", "13", "2030", "123")),
            Some(CardFault::InvalidExpiryMonth)
        );
        assert_eq!(
            err(c("4111111111111111", "ab", "2030", "123")),
            Some(CardFault::InvalidExpiryMonth)
        );
        assert_eq!(
            err(c("4111111111111111", "08", "20300", "123")),
            Some(CardFault::InvalidExpiryYear)
        );
        assert_eq!(
            err(c("4111111111111111", "08", "2061", "123")),
            Some(CardFault::InvalidExpiryDate)
        );
        assert_eq!(
            err(c("378282246310005", "08", "2030", "123")),
            Some(CardFault::InvalidSecurityCode)
        );
        assert_eq!(err(c("378282246310005", "08", "2030", "1234")), None);
        assert_eq!(
            err(c("4000000000000002", "08", "2030", "123")),
            Some(CardFault::Declined)
        );
        assert_eq!(
            err(c("4000000000009995", "08", "2030", "123")),
            Some(CardFault::InsufficientFunds)
        );
    }
}
