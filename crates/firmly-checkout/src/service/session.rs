//! The customer session: what the desk is connected to, the kiosk idle rule (enforced here,
//! not in the UI), and the wipe that forgets a customer.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::{CheckoutService, Result};
use crate::storage::Mode;
use crate::view::*;

/// What the idle clock says at one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleTick {
    /// Someone used the desk recently.
    Quiet,
    /// The session ends in this many seconds unless someone touches the screen.
    Warn(u32),
    /// Time is up: wipe.
    Expired,
}

/// The kiosk idle rule: after `idle_seconds` without input the customer session is wiped;
/// the warning starts `warn_seconds` before (a third of the timeout, at most 15 s).
pub struct IdleClock {
    rule: IdleRule,
    last: Mutex<Instant>,
    warned: AtomicBool,
    /// Something of a customer exists (a cart change, a login, …) since the last wipe.
    dirty: AtomicBool,
}

impl IdleClock {
    pub fn new(idle_seconds: u32) -> IdleClock {
        IdleClock {
            rule: IdleRule {
                idle_seconds,
                warn_seconds: idle_seconds.div_ceil(3).clamp(1, 15),
            },
            last: Mutex::new(Instant::now()),
            warned: AtomicBool::new(false),
            dirty: AtomicBool::new(false),
        }
    }

    pub fn rule(&self) -> IdleRule {
        self.rule
    }

    /// Input happened; returns true when a warning was showing (it is now over).
    pub fn touch(&self) -> bool {
        *self.last.lock() = Instant::now();
        self.warned.swap(false, Ordering::SeqCst)
    }

    pub fn mark_dirty(&self) {
        self.dirty.store(true, Ordering::SeqCst);
    }

    pub fn is_dirty(&self) -> bool {
        self.dirty.load(Ordering::SeqCst)
    }

    fn reset(&self) {
        *self.last.lock() = Instant::now();
        self.warned.store(false, Ordering::SeqCst);
        self.dirty.store(false, Ordering::SeqCst);
    }

    /// The rule applied at `now`.
    pub fn tick_at(&self, now: Instant) -> IdleTick {
        let idle = now.saturating_duration_since(*self.last.lock());
        let limit = Duration::from_secs(u64::from(self.rule.idle_seconds));
        if idle >= limit {
            return IdleTick::Expired;
        }
        let left = (limit - idle).as_secs_f64().ceil() as u32;
        if left <= self.rule.warn_seconds {
            self.warned.store(true, Ordering::SeqCst);
            IdleTick::Warn(left)
        } else {
            IdleTick::Quiet
        }
    }
}

impl CheckoutService {
    pub async fn app_info(&self) -> Result<AppInfo> {
        // A desk whose API is unreachable still starts; the device session follows later.
        let device_id = match self.client.ensure_session().await {
            Ok(s) => Some(s.device_id),
            Err(e) => {
                tracing::warn!(code = %e.code, "no device session yet");
                None
            }
        };
        // Merchants with carts on this device join the list, unless the start-up's warm-up
        // (`warm.rs`) asked for them already in this session.
        if device_id.is_some() && !self.warm_domains_asked().await {
            self.discover_active_domains().await;
        }
        Ok(AppInfo {
            environment: self.env.kind,
            mode: self.env.mode,
            device_id,
            api_base: self.client.config().api_base.to_string(),
            merchants: self.merchants(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            idle: self.idle.rule(),
            postal_code: self.persistence.session().postal_code,
            language: self.env.language.clone(),
            locked_settings: self.env.locked_settings.clone(),
            startup_orders: self.startup_orders.lock().clone(),
            settling: !self.ready.load(Ordering::SeqCst),
        })
    }

    /// Merchants with carts on this device (`001_deb22a4e58c57bde.txt:51`) join the list;
    /// an API without the route simply adds none. False when the call failed.
    pub(crate) async fn discover_active_domains(&self) -> bool {
        match self.client.active_domains().await {
            Ok(active) => {
                let valid: Vec<String> = active
                    .into_iter()
                    .filter(|d| crate::validation::check_domain(d).is_ok())
                    .collect();
                self.remember_domains(&valid);
                true
            }
            Err(_) => false,
        }
    }

    /// Input on the desk (the main window or the PayPal popup): the idle clock restarts.
    pub fn activity(&self) {
        if self.idle.touch() {
            self.events.idle_warning(None);
        }
    }

    pub(crate) fn mark_dirty(&self) {
        self.idle.mark_dirty();
    }

    /// One tick of the kiosk idle rule (the desk runs it every second in kiosk mode): warns,
    /// then wipes the customer. Returns the tick for tests.
    pub async fn idle_tick(&self) -> IdleTick {
        if self.env.mode != Mode::Kiosk {
            return IdleTick::Quiet;
        }
        let tick = self.idle.tick_at(Instant::now());
        match tick {
            IdleTick::Quiet => {}
            IdleTick::Warn(left) => self.events.idle_warning(Some(left)),
            IdleTick::Expired => {
                self.events.idle_warning(None);
                let info = if self.idle.is_dirty() {
                    self.wipe_customer().await
                } else {
                    self.idle.reset();
                    self.app_info().await
                };
                match info {
                    Ok(info) => self.events.session_wiped(&info),
                    Err(e) => tracing::error!(code = %e.code, "idle wipe could not finish"),
                }
            }
        }
        tick
    }

    /// Forgets the customer: local state first (carts, addresses, consents, PayPal and
    /// wallet state, the request log, the stored session), even when the API is unreachable;
    /// then a new device session when it can. Waits first for an order being placed or
    /// reconciled, and nothing started for the old customer is published afterwards.
    pub async fn wipe_customer(&self) -> Result<AppInfo> {
        self.orders.quiesce().await;
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.hive.lock().clear();
        self.load_errors.lock().clear();
        self.consents.lock().clear();
        self.requested_slots.lock().clear();
        self.paypal_tokens.lock().clear();
        self.handles.lock().clear();
        self.wallet_unlocks.lock().clear();
        self.client.clear_request_log();
        self.persistence.wipe_session();
        self.client.forget_session().await;
        self.idle.reset();
        self.audit(None, "wipe_customer", "ok");
        if let Err(e) = self.client.new_session().await {
            tracing::warn!(code = %e.code, "no new device session yet; it follows on the next call");
        }
        self.app_info().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_idle_rule_warns_then_expires() {
        let clock = IdleClock::new(30);
        assert_eq!(
            clock.rule(),
            IdleRule {
                idle_seconds: 30,
                warn_seconds: 10
            }
        );
        let t0 = Instant::now();
        assert_eq!(clock.tick_at(t0), IdleTick::Quiet);
        assert_eq!(
            clock.tick_at(t0 + Duration::from_secs(21)),
            IdleTick::Warn(9)
        );
        assert!(clock.touch(), "touching ends the warning");
        assert_eq!(
            clock.tick_at(Instant::now() + Duration::from_secs(31)),
            IdleTick::Expired
        );
        assert_eq!(IdleClock::new(120).rule().warn_seconds, 15);
        assert_eq!(IdleClock::new(5).rule().warn_seconds, 2);
    }
}
