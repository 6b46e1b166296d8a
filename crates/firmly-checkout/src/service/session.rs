//! The customer session: what the desk is connected to, the kiosk idle rule (enforced here,
//! not in the UI), and the wipe that forgets a customer by replacing its whole state.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::{CheckoutService, CustomerState, Result};
use crate::domain::Domain;
use crate::settings::Language;
use crate::settings::Mode;
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

    fn reset(&self) {
        *self.last.lock() = Instant::now();
        self.warned.store(false, Ordering::SeqCst);
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
        let customer = self.customer();
        // A desk whose API is unreachable still starts; the device session follows later.
        let device_id = match customer.client.ensure_session().await {
            Ok(s) => Some(s.device_id),
            Err(e) => {
                tracing::warn!(code = %e.code, "no device session yet");
                None
            }
        };
        // Merchants with carts on this device join the list, unless the start-up's warm-up
        // (`warm.rs`) asked for them already for this customer.
        if device_id.is_some() && !self.warm_domains_asked(&customer).await {
            self.discover_active_domains(&customer).await;
        }
        Ok(AppInfo {
            device_id,
            ..self.local_info()
        })
    }

    /// What the desk is, from memory only (no network): the answer of a wipe, which must
    /// clear the screen at once whatever the network does.
    pub fn local_info(&self) -> AppInfo {
        let kiosk = &self.settings.launch().kiosk;
        AppInfo {
            environment: self.env.kind,
            mode: self.env.mode,
            device_id: self.customer().device_id(),
            api_base: self.config.api_base.to_string(),
            merchants: self.merchants(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            idle: self.idle.rule(),
            postal_code: self.persistence.session().postal_code,
            language: self
                .customer()
                .language()
                .unwrap_or(self.settings.language()),
            desk_language: self.settings.language(),
            locked_settings: self.settings.locked(),
            startup_orders: if self.env.mode == Mode::Kiosk {
                Vec::new()
            } else {
                self.customer().startup_orders.lock().clone()
            },
            settling: !self.is_ready(),
            kiosk: KioskView {
                order_done_seconds: kiosk.order_done_seconds,
                touch_keyboard: kiosk.touch_keyboard,
                can_print: kiosk.printer.is_some(),
                staff_panel: kiosk.staff_pin_sha256.is_some(),
            },
        }
    }

    /// Merchants with carts on this device (ENDPOINTS.md §1 #10) join the list; an API
    /// without the route simply adds none. False when the call failed.
    pub(crate) async fn discover_active_domains(&self, customer: &CustomerState) -> bool {
        match customer.client.active_domains().await {
            Ok(active) => {
                let valid = Domain::parse_all(active.iter().map(String::as_str));
                self.remember_domains(&valid);
                true
            }
            Err(_) => false,
        }
    }

    /// An earlier run's orders, settled at start-up: shown once to whoever is at the desk
    /// (not on a kiosk, where they go to staff), forgotten by the first wipe.
    pub(crate) fn show_startup_orders(&self, reports: Vec<OrderReportView>) {
        *self.customer().startup_orders.lock() = reports;
    }

    /// The shopper chose a language (the attract screen's buttons): for this customer only;
    /// the next one starts in the desk's language.
    pub fn set_language(&self, language: Language) -> AppInfo {
        let customer = self.customer();
        *customer.language.lock() = Some(language);
        self.local_info()
    }

    /// Input on the desk (the main window or the PayPal popup): the idle clock restarts and
    /// the customer counts as present, so the idle rule will forget them.
    pub fn activity(&self) {
        self.customer()
            .touched
            .store(true, std::sync::atomic::Ordering::SeqCst);
        if self.idle.touch() {
            self.events.idle_warning(None);
        }
    }

    /// One tick of the kiosk idle rule (the desk runs it every second in kiosk mode): warns,
    /// then wipes the customer. Returns the tick for tests.
    pub async fn idle_tick(&self) -> IdleTick {
        self.idle_tick_at(Instant::now()).await
    }

    /// [`Self::idle_tick`] as if it were `now` (tests move time without waiting).
    pub async fn idle_tick_at(&self, now: Instant) -> IdleTick {
        if self.env.mode != Mode::Kiosk {
            return IdleTick::Quiet;
        }
        let touched = self
            .customer()
            .touched
            .load(std::sync::atomic::Ordering::SeqCst);
        if !touched {
            // Nobody is at the desk (the attract screen): nothing to warn about or forget.
            self.idle.reset();
            return IdleTick::Quiet;
        }
        let tick = self.idle.tick_at(now);
        match tick {
            IdleTick::Quiet => {}
            IdleTick::Warn(left) => self.events.idle_warning(Some(left)),
            IdleTick::Expired => {
                self.events.idle_warning(None);
                {
                    match self.wipe_customer() {
                        Ok(info) => self.events.session_wiped(&info),
                        Err(e) => tracing::error!(code = %e.code, "idle wipe could not finish"),
                    }
                }
            }
        }
        tick
    }

    /// Forgets the customer at once: the whole customer state is replaced (carts, addresses,
    /// consents, PayPal and wallet state, cookies, the request log, the device session, the
    /// language, the stored session), even when the API is unreachable. Never waits: an order
    /// of the old customer goes on with its own client and journal record, and its outcome
    /// goes to staff (`staff_orders`), never to the next customer. The new device session is
    /// made in the background.
    pub fn wipe_customer(&self) -> Result<AppInfo> {
        let fresh = self.replace_customer()?;
        self.idle.reset();
        self.audit(None, "wipe_customer", "ok");
        tracing::info!(customer = fresh.generation, "customer session wiped");
        let info = self.local_info();
        let client = fresh.client.clone();
        tokio::spawn(async move {
            // The new client holds no session: this makes one, unless a command got there
            // first (concurrent callers share one `ensure_session`).
            if let Err(e) = client.ensure_session().await {
                tracing::warn!(code = %e.code, "no new device session yet; it follows on the next call");
            }
        });
        Ok(info)
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
