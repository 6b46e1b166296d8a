//! Paying every ready cart with one card entry: one order per merchant, all at once (one
//! round trip deep whatever the number of carts), each with its own exactly-once guard, all
//! encrypted with the desk's current key. A failure at one merchant neither stops nor
//! undoes the others; carts that are not ready are listed with what blocks them.

use firmly_api::{ApiError, ErrorCode};
use futures_util::stream::{self, StreamExt};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::Payment;
use crate::domain::Domain;
use crate::readiness::Blocker;
use crate::service::{CheckoutService, Result, HIVE_CONCURRENCY};
use crate::validation;
use crate::view::*;

/// One merchant's line of a pay-all run.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PayAllEntry {
    pub domain: String,
    pub display_name: String,
    /// What happened, when the cart was paid.
    pub outcome: Option<OrderOutcome>,
    /// Why the cart was not paid (it was not ready).
    pub not_ready: Vec<Blocker>,
}

/// Where one merchant's order of a pay-all run stands (the screen's live row).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum PayAllProgress {
    /// Queued: the run has started.
    Waiting,
    /// Its completion is being sent.
    Paying,
    /// Settled (placed, not placed, or unknown).
    Done { outcome: Box<OrderOutcome> },
    /// Not paid: what still blocks it.
    NotReady { blockers: Vec<Blocker> },
}

/// What "Pay all" would pay now: its button says how many orders and how much.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PayAllPreview {
    /// Open carts that are ready to be paid by card.
    pub ready: Vec<String>,
    /// Their totals summed per currency.
    pub total: Vec<MoneyView>,
    /// Open carts that pay all would skip, with what blocks each.
    pub not_ready: Vec<PayAllSkip>,
}

/// An open cart that pay all would skip.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct PayAllSkip {
    pub domain: String,
    pub blockers: Vec<Blocker>,
}

/// What keeps a cart out of a pay-all run by card: its blockers, and a cart that takes no
/// new card.
fn not_ready_for_card(view: &CartView) -> Vec<Blocker> {
    let mut not_ready = view.blockers.clone();
    if !view
        .payment_options
        .iter()
        .any(|o| o.kind == PaymentOptionKind::CreditCard)
        && !not_ready.contains(&Blocker::NoPaymentMethod)
    {
        not_ready.push(Blocker::NoPaymentMethod);
    }
    not_ready
}

impl CheckoutService {
    /// The carts a pay-all run would pay now and their total (nothing is sent anywhere).
    pub fn pay_all_preview(&self) -> PayAllPreview {
        let customer = self.customer();
        let mut ready = Vec::new();
        let mut ready_carts = Vec::new();
        let mut not_ready = Vec::new();
        let mut carts = customer.carts();
        carts.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
        for (domain, cart) in carts {
            if cart.line_items.is_empty() || cart.is_submitted() {
                continue;
            }
            let blockers = not_ready_for_card(&self.view_of(&customer, &domain, &cart));
            if blockers.is_empty() {
                ready.push(domain.to_string());
                ready_carts.push(cart);
            } else {
                not_ready.push(PayAllSkip {
                    domain: domain.to_string(),
                    blockers,
                });
            }
        }
        PayAllPreview {
            ready,
            total: crate::service::hive_total(ready_carts.iter().map(|c| &**c)),
            not_ready,
        }
    }

    /// Pays every open cart that is ready for a card with the same card.
    pub async fn pay_all(
        &self,
        card: CardInput,
        billing: Option<AddressView>,
    ) -> Result<Vec<PayAllEntry>> {
        self.ensure_ready()?;
        let problems = validation::check_card(&card);
        if let Some(first) = problems.first() {
            return Err(ApiError::field(first.field, &first.message));
        }
        if let Some(b) = &billing {
            validation::check_address(b, false, &[])?;
        }
        let details = validation::card_details(&card);
        drop(card);
        let encryption = self.settings.current().card_encryption;
        let customer = self.customer();
        let carts: Vec<(Domain, CartView)> = customer
            .carts()
            .into_iter()
            .filter(|(_, c)| !c.line_items.is_empty() && !c.is_submitted())
            .map(|(d, c)| {
                let view = self.view_of(&customer, &d, &c);
                (d.clone(), view)
            })
            .collect();
        if carts.is_empty() {
            return Err(ApiError::new(
                ErrorCode::NothingToPay,
                "There is no cart to pay.",
            ));
        }
        for (domain, _) in &carts {
            self.events
                .pay_all_progress(domain, &PayAllProgress::Waiting);
        }
        let entries = stream::iter(carts)
            .map(|(domain, view)| {
                let payment = Payment::Card {
                    card: details.clone(),
                    encryption,
                    billing: billing.clone().map(Box::new),
                };
                async move {
                    let not_ready = not_ready_for_card(&view);
                    let outcome = if not_ready.is_empty() {
                        self.events
                            .pay_all_progress(&domain, &PayAllProgress::Paying);
                        let o = match self.place_order(&domain, payment, false).await {
                            Ok(o) => o,
                            Err(error) => OrderOutcome::NotPlaced { error },
                        };
                        self.events.pay_all_progress(
                            &domain,
                            &PayAllProgress::Done {
                                outcome: Box::new(o.clone()),
                            },
                        );
                        Some(o)
                    } else {
                        self.events.pay_all_progress(
                            &domain,
                            &PayAllProgress::NotReady {
                                blockers: not_ready.clone(),
                            },
                        );
                        None
                    };
                    PayAllEntry {
                        display_name: view.display_name.clone(),
                        domain: domain.to_string(),
                        outcome,
                        not_ready,
                    }
                }
            })
            .buffer_unordered(HIVE_CONCURRENCY)
            .collect::<Vec<_>>()
            .await;
        drop(details);
        let mut entries = entries;
        entries.sort_by(|a, b| a.domain.cmp(&b.domain));
        self.audit(None, "pay_all", &format!("{} carts", entries.len()));
        Ok(entries)
    }
}
