//! The staff's side of a kiosk: a PIN (its SHA-256 in the fleet policy) opens the staff
//! panel for a short while; wrong PINs are rate-limited. Behind it: the orders whose outcome
//! is the staff's (an earlier run's, a customer's who has left, an unknown order past its
//! time limit), End session, and settling a handed-over order once staff checked it with
//! the merchant. On the agent and demo desks the person at the desk is staff.

use firmly_api::Field;
use std::time::{Duration, Instant};

use firmly_api::{ApiError, ErrorCode};
use parking_lot::Mutex;

use super::{CheckoutService, Result};
use crate::settings::Mode;
use crate::view::*;

/// How long the staff panel stays open without a staff action.
pub const STAFF_SESSION: Duration = Duration::from_secs(120);
/// Wrong PINs allowed before the pad locks.
const FREE_ATTEMPTS: u32 = 3;
/// The first lock; each further wrong PIN doubles it, up to `MAX_LOCK`.
const FIRST_LOCK: Duration = Duration::from_secs(30);
const MAX_LOCK: Duration = Duration::from_secs(15 * 60);

/// The PIN pad's state.
#[derive(Default)]
pub struct StaffGate {
    inner: Mutex<Gate>,
}

#[derive(Default)]
struct Gate {
    wrong: u32,
    locked_until: Option<Instant>,
    open_until: Option<Instant>,
}

/// What one PIN attempt decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Opened,
    Wrong { attempts_left: u32 },
    Locked { retry_after: Duration },
}

impl StaffGate {
    /// One attempt at `now`; `correct` is whether the PIN matched.
    pub fn attempt(&self, correct: bool, now: Instant) -> Attempt {
        let mut g = self.inner.lock();
        if let Some(until) = g.locked_until.filter(|u| *u > now) {
            return Attempt::Locked {
                retry_after: until - now,
            };
        }
        if correct {
            g.wrong = 0;
            g.locked_until = None;
            g.open_until = Some(now + STAFF_SESSION);
            return Attempt::Opened;
        }
        g.wrong += 1;
        if g.wrong < FREE_ATTEMPTS {
            return Attempt::Wrong {
                attempts_left: FREE_ATTEMPTS - g.wrong,
            };
        }
        let doublings = (g.wrong - FREE_ATTEMPTS).min(10);
        let lock = FIRST_LOCK.saturating_mul(1 << doublings).min(MAX_LOCK);
        g.locked_until = Some(now + lock);
        Attempt::Locked { retry_after: lock }
    }

    /// Whether the panel is open at `now`; a staff action keeps it open.
    pub fn is_open(&self, now: Instant) -> bool {
        let mut g = self.inner.lock();
        match g.open_until {
            Some(until) if until > now => {
                g.open_until = Some(now + STAFF_SESSION);
                true
            }
            _ => {
                g.open_until = None;
                false
            }
        }
    }

    pub fn close(&self) {
        self.inner.lock().open_until = None;
    }
}

/// Hex SHA-256 of a PIN, compared in constant time with the policy's.
fn pin_matches(pin: &str, expected_hex: &str) -> bool {
    let digest = openssl::sha::sha256(pin.trim().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    openssl::memcmp::eq(hex.as_bytes(), expected_hex.as_bytes()) && hex.len() == expected_hex.len()
}

impl CheckoutService {
    /// Opens the staff panel with the PIN (kiosk). Wrong PINs are counted; after three the
    /// pad locks for 30 s, doubling with each further wrong PIN.
    pub fn staff_unlock(&self, pin: &str) -> Result<StaffView> {
        if self.env.mode != Mode::Kiosk {
            return self.staff_orders();
        }
        let Some(hash) = self.settings.launch().kiosk.staff_pin_sha256.clone() else {
            return Err(ApiError::mode_restricted(
                "No staff PIN is set in this kiosk's policy.",
            ));
        };
        // A PIN of an absurd length is wrong without hashing megabytes.
        let correct = pin.chars().count() <= 64 && pin_matches(pin, &hash);
        match self.staff.gate.attempt(correct, Instant::now()) {
            Attempt::Opened => {
                self.audit(None, "staff_unlock", "ok");
                self.staff_orders()
            }
            Attempt::Wrong { attempts_left } => {
                self.audit(None, "staff_unlock", "wrong_pin");
                let mut e = ApiError::new(
                    ErrorCode::StaffPinWrong,
                    format!("Wrong PIN. {attempts_left} attempts left before the pad locks."),
                )
                .with_field(Field::Pin);
                e.details = Some(Box::new(firmly_api::ErrorDetails {
                    attempts_left: Some(attempts_left),
                    ..Default::default()
                }));
                Err(e)
            }
            Attempt::Locked { retry_after } => {
                self.audit(None, "staff_unlock", "locked");
                let mut e = ApiError::new(
                    ErrorCode::StaffPinLocked,
                    format!(
                        "Too many wrong PINs. Try again in {} s.",
                        retry_after.as_secs().max(1)
                    ),
                );
                e.retryable = true;
                e.details = Some(Box::new(firmly_api::ErrorDetails {
                    retry_after_seconds: Some(
                        u32::try_from(retry_after.as_secs().max(1)).unwrap_or(u32::MAX),
                    ),
                    ..Default::default()
                }));
                Err(e.with_field(Field::Pin))
            }
        }
    }

    /// Closes the staff panel.
    pub fn staff_lock(&self) {
        self.staff.gate.close();
    }

    /// Refuses a staff action on a kiosk whose panel is not open (the shell asks before it
    /// restarts the app).
    pub fn ensure_staff(&self) -> Result<()> {
        if self.env.mode == Mode::Kiosk && !self.staff.gate.is_open(Instant::now()) {
            return Err(ApiError::new(
                ErrorCode::StaffOnly,
                "Staff only: enter the staff PIN first.",
            ));
        }
        Ok(())
    }

    /// The orders that are the staff's: every unsettled journal record (whoever's device),
    /// and the outcomes that settled after their customer left.
    pub fn staff_orders(&self) -> Result<StaffView> {
        self.ensure_staff()?;
        let customer = self.customer();
        let pending = self
            .journal
            .records()?
            .into_iter()
            .map(|r| {
                let checking = Some(&r.session.device_id) == customer.device_id().as_ref()
                    && customer.orders.is_busy(&r.domain);
                r.view(checking)
            })
            .collect();
        Ok(StaffView {
            pending,
            reports: self.staff.reports.lock().clone(),
        })
    }

    /// Staff settled an unknown order with the merchant: the record is closed, with what
    /// they found, in the audit log.
    pub fn staff_settle(&self, record_id: &str, placed: bool) -> Result<StaffView> {
        self.ensure_staff()?;
        let record = self
            .journal
            .records()?
            .into_iter()
            .find(|r| r.id == record_id)
            .ok_or_else(|| {
                ApiError::new(ErrorCode::NoPendingOrder, "This order is settled already.")
            })?;
        self.journal.settle(&record.id)?;
        self.audit(
            Some(&record.domain),
            "staff_settled",
            if placed { "placed" } else { "not_placed" },
        );
        self.events.staff_updated();
        self.staff_orders()
    }

    /// End session from the staff panel: the same wipe as the shopper's End session.
    pub fn staff_end_session(&self) -> Result<AppInfo> {
        self.ensure_staff()?;
        self.staff_lock();
        self.wipe_customer()
    }
}

/// The staff's state in the service: the PIN pad and the outcomes for staff.
#[derive(Default)]
pub struct Staff {
    pub(crate) gate: StaffGate,
    pub(crate) reports: Mutex<Vec<OrderReportView>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_pins_lock_the_pad_for_longer_each_time() {
        let gate = StaffGate::default();
        let t0 = Instant::now();
        assert_eq!(gate.attempt(false, t0), Attempt::Wrong { attempts_left: 2 });
        assert_eq!(gate.attempt(false, t0), Attempt::Wrong { attempts_left: 1 });
        assert_eq!(
            gate.attempt(false, t0),
            Attempt::Locked {
                retry_after: FIRST_LOCK
            }
        );
        // Even the right PIN waits out the lock.
        assert!(matches!(
            gate.attempt(true, t0 + Duration::from_secs(10)),
            Attempt::Locked { .. }
        ));
        let later = t0 + FIRST_LOCK + Duration::from_secs(1);
        assert_eq!(
            gate.attempt(false, later),
            Attempt::Locked {
                retry_after: FIRST_LOCK * 2
            }
        );
        let much_later = later + MAX_LOCK;
        assert_eq!(gate.attempt(true, much_later), Attempt::Opened);
        assert!(gate.is_open(much_later));
        assert!(!gate.is_open(much_later + STAFF_SESSION + Duration::from_secs(1)));
    }

    #[test]
    fn the_pin_is_compared_by_its_hash() {
        let h = "03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4";
        assert!(pin_matches("1234", h));
        assert!(pin_matches(" 1234 ", h));
        assert!(!pin_matches("12345", h));
        assert!(!pin_matches("1234", &h.replace('4', "5")));
    }
}
