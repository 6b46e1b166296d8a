//! Delivery and pickup calendars (sandbox conventions; shapes follow the availability page
//! ENDPOINTS.md §2.4.6).
//!
//! * Scheduled delivery: the 14 sandbox-clock days starting tomorrow (shifted `steps` days
//!   later by the zone rule, [`crate::rules::zones`]), Sundays absent, three slots a day —
//!   morning and afternoon free, evening `$25.00` — and on even days of the month the morning
//!   slot is `available: false`. Slot ids are `YYYY-MM-DD_HHMM-HHMM`.
//! * Ship to address: estimated delivery days 3–7 from today (plus `steps`), Sundays absent,
//!   a morning and an afternoon window each.
//! * Pickup: the next three days, three pickup windows a day; the morning window is
//!   unavailable on even days. A pickup date may be chosen up to 14 days ahead.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

/// A daily window: (start, end, description, price in minor units).
pub type SlotDef = (&'static str, &'static str, &'static str, i64);

/// Scheduled-delivery slots.
pub const SLOTS: &[SlotDef] = &[
    ("08:00", "12:00", "Morning (8 AM - 12 PM)", 0),
    ("12:00", "16:00", "Afternoon (12 PM - 4 PM)", 0),
    ("16:00", "20:00", "Evening (4 PM - 8 PM)", 2500),
];

/// Ship-to-address delivery windows (informational estimates).
pub const SHIP_SLOTS: &[SlotDef] = &[
    ("09:00", "12:00", "Morning delivery", 0),
    ("13:00", "17:00", "Afternoon delivery", 0),
];

/// Store pickup windows.
pub const PICKUP_SLOTS: &[SlotDef] = &[
    ("09:00", "12:00", "Morning pickup", 0),
    ("13:00", "17:00", "Afternoon pickup", 0),
    ("18:00", "21:00", "Evening pickup", 0),
];

/// Days of the scheduled-delivery window.
pub const WINDOW_DAYS: i64 = 14;

pub fn slot_id(date: NaiveDate, start: &str, end: &str) -> String {
    format!(
        "{}_{}-{}",
        date.format("%Y-%m-%d"),
        start.replace(':', ""),
        end.replace(':', "")
    )
}

/// Parses a scheduled-delivery slot id into its date and slot index.
pub fn parse_slot(id: &str) -> Option<(NaiveDate, usize)> {
    let (date, times) = id.split_once('_')?;
    let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let idx = SLOTS.iter().position(|(s, e, _, _)| {
        format!("{}-{}", s.replace(':', ""), e.replace(':', "")) == times
    })?;
    Some((date, idx))
}

/// Extra delivery charge of a scheduled slot.
pub fn slot_price(id: &str) -> i64 {
    parse_slot(id)
        .and_then(|(_, i)| SLOTS.get(i))
        .map(|s| s.3)
        .unwrap_or(0)
}

/// Whether scheduled deliveries are offered on `date`, seen from `today`, `steps` zone bands
/// away.
pub fn date_available(today: NaiveDate, steps: i64, date: NaiveDate) -> bool {
    date > today + Duration::days(steps)
        && date <= today + Duration::days(WINDOW_DAYS + steps)
        && date.weekday() != Weekday::Sun
}

/// Morning windows are unavailable on even days of the month.
pub fn slot_available(date: NaiveDate, idx: usize) -> bool {
    !(idx == 0 && date.day().is_multiple_of(2))
}

/// The scheduled-delivery dates.
pub fn delivery_dates(today: NaiveDate, steps: i64) -> Vec<NaiveDate> {
    (1..=WINDOW_DAYS)
        .map(|d| today + Duration::days(d + steps))
        .filter(|d| date_available(today, steps, *d))
        .collect()
}

/// Estimated ship-to-address delivery dates.
pub fn shipping_dates(today: NaiveDate, steps: i64) -> Vec<NaiveDate> {
    (3..=7)
        .map(|d| today + Duration::days(d + steps))
        .filter(|d| d.weekday() != Weekday::Sun)
        .collect()
}

/// Pickup days shown per store.
pub fn pickup_dates(today: NaiveDate) -> Vec<NaiveDate> {
    (1..=3).map(|d| today + Duration::days(d)).collect()
}

/// Whether a pickup date may be chosen.
pub fn pickup_date_available(today: NaiveDate, date: NaiveDate) -> bool {
    date >= today && date <= today + Duration::days(WINDOW_DAYS)
}

/// "Tuesday, November 24".
pub fn date_description(d: NaiveDate) -> String {
    d.format("%A, %B %-d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_rules() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default();
        let dates = delivery_dates(today, 0);
        assert!(dates.iter().all(|d| d.weekday() != Weekday::Sun));
        assert!(!dates.contains(&today));
        let id = slot_id(dates[0], "16:00", "20:00");
        assert_eq!(parse_slot(&id), Some((dates[0], 2)));
        assert_eq!(slot_price(&id), 2500);
        assert!(!slot_available(
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap_or_default(),
            0
        ));
        let later = delivery_dates(today, 2);
        assert_eq!(later[0], today + Duration::days(3));
        assert!(!date_available(today, 2, today + Duration::days(2)));
    }
}
