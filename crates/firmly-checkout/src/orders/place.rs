//! Placing an order: the guards, the in-flight record, the completion call for each kind of
//! payment and the verdict on its answer. An unknown outcome is settled by the one
//! reconciler (`reconcile.rs`).

use firmly_api::Field;
use std::sync::Arc;

use firmly_api::{ApiError, CartV2, CompletionAnswer, ErrorClass, ErrorCode, FirmlyClient};

use super::complete::{order_view, prepare, send, Prepared};
use super::journal::{InFlightRecord, RecordCause, RecordState};
use super::reconcile::{now, Moment};
use super::verdict::{self, Verdict};
use super::Payment;
use crate::domain::Domain;
use crate::service::{is_no_cart, CheckoutService, CustomerState, Result};
use crate::settings::Mode;
use crate::validation;
use crate::view::*;

impl CheckoutService {
    /// Pays with a new card typed into the form. The card is wiped when this returns.
    pub async fn place_card_order(
        &self,
        domain: &Domain,
        card: CardInput,
        billing: Option<AddressView>,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        let problems = validation::check_card(&card);
        if let Some(first) = problems.first() {
            return Err(ApiError::field(first.field, &first.message));
        }
        let details = validation::card_details(&card);
        drop(card);
        let payment = Payment::Card {
            card: details,
            encryption: self.settings.current().card_encryption,
            billing: billing.map(Box::new),
        };
        self.place_order(domain, payment, override_pending).await
    }

    /// Pays with a saved card of the merchant account or of an unlocked wallet.
    pub async fn place_saved_card_order(
        &self,
        domain: &Domain,
        payment_id: &str,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        if payment_id.trim().is_empty() {
            return Err(ApiError::field(Field::PaymentId, "Choose a saved card."));
        }
        let payment = Payment::SavedCard {
            payment_id: payment_id.trim().to_string(),
        };
        self.place_order(domain, payment, override_pending).await
    }

    /// Places the order approved in PayPal.
    pub async fn paypal_complete(
        &self,
        domain: &Domain,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        self.place_order(domain, Payment::PayPal, override_pending)
            .await
    }

    /// Places the order for `domain`'s cart exactly once and says honestly what happened:
    /// placed, provably not placed (nothing charged; everything typed is kept), or unknown
    /// (may still land; the desk keeps checking and refuses a second payment of the cart).
    /// `override_pending` lets an agent pay again despite an unknown earlier attempt, and
    /// only an agent. The order belongs to the customer at the desk when it starts: a wipe
    /// meanwhile lets it finish on that customer's session, and its outcome goes to staff.
    pub async fn place_order(
        &self,
        domain: &Domain,
        payment: Payment,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        self.ensure_ready()?;
        let domain = domain.clone();
        if let Payment::Card { card, .. } = &payment {
            let problems = firmly_api::validate_card(card, chrono::Utc::now().date_naive());
            if let Some(p) = problems.first() {
                return Err(ApiError::field(p.field, &p.message));
            }
        }
        if let Payment::Card {
            billing: Some(b), ..
        } = &payment
        {
            validation::check_address(b, false, &[])?;
        }
        let customer = self.customer();
        let client = customer.client.clone();
        let _in_flight = customer.orders.begin(&domain)?;
        let _cross_process = self.journal.lock_domain(&domain)?;
        let lock = customer.lock_for(&domain);
        let _g = lock.lock().await;

        let session = client.ensure_session().await?;
        let earlier = self.journal.records()?.into_iter().find(|r| {
            r.domain == *domain && r.session.device_id == session.device_id && !r.with_staff()
        });
        if let Some(earlier) = earlier {
            if !override_pending {
                return Err(ApiError::new(
                    ErrorCode::OrderPending,
                    "An earlier payment of this cart may still go through. Do not pay again: check the order first.",
                ));
            }
            if self.mode() != Mode::Agent {
                return Err(ApiError::mode_restricted(
                    "Only a support agent can pay again while an earlier payment is unsettled.",
                ));
            }
            tracing::warn!(%domain, "agent overrides an unsettled order");
            self.journal.settle(&earlier.id)?;
            self.audit(Some(&domain), "override_pending_order", &earlier.id);
        }

        // The cart the shopper sees is the one paid for: kept from its last answer (every
        // change publishes it), so the completion is the only round trip after the click.
        // Without one (the CLI's first call), it is read.
        let before = match customer.cart(&domain).filter(|c| c.cart_id.is_some()) {
            Some(c) => Arc::unwrap_or_clone(c),
            None => match client.cart(&domain).await {
                Ok(c) => c,
                Err(e) if is_no_cart(&e) => {
                    return Ok(OrderOutcome::NotPlaced {
                        error: ApiError::new(ErrorCode::NoLineItem, "The cart is empty."),
                    })
                }
                Err(e) => return Err(e),
            },
        };
        if before.line_items.is_empty() {
            return Ok(OrderOutcome::NotPlaced {
                error: ApiError::new(ErrorCode::NoLineItem, "The cart is empty."),
            });
        }
        if before.is_submitted() {
            return Err(ApiError::new(
                ErrorCode::AlreadyOrdered,
                "This cart has already been ordered. Start a new order.",
            ));
        }
        let seen = customer.read(&domain, |m| m.handle.clone()).flatten();
        let prepared = prepare(&before, seen, &payment)?;
        let record = InFlightRecord {
            id: uuid::Uuid::new_v4().to_string(),
            domain: domain.to_string(),
            cart_id: before.cart_id.clone(),
            api_base: self.config.api_base.to_string(),
            session,
            payment: payment.kind().into(),
            started_at: now(),
            state: RecordState::Sending,
            cause: None,
            checks: 0,
            last_checked_at: None,
        };
        // Durable before the request leaves: a crash from here on is settled at start-up.
        self.journal.begin(record.clone())?;
        self.audit(Some(&domain), "place_order", "sent");

        let answer = self.complete(&client, &domain, &payment, prepared).await;
        drop(payment);
        let outcome = self
            .outcome_of(&customer, &client, &domain, &before, &record, answer)
            .await?;
        if self.is_current(&customer) {
            Ok(outcome)
        } else {
            // The customer left while this ran (a wipe): the outcome is the staff's (placed:
            // their list; unknown: the journal), never the next customer's screen.
            Err(ApiError::new(
                ErrorCode::SessionEnded,
                "The customer session ended while this was running.",
            ))
        }
    }

    /// What the completion's answer (or its absence) makes of the order.
    async fn outcome_of(
        &self,
        customer: &Arc<CustomerState>,
        client: &FirmlyClient,
        domain: &Domain,
        before: &CartV2,
        record: &InFlightRecord,
        answer: Result<CompletionAnswer>,
    ) -> Result<OrderOutcome> {
        match answer {
            Ok(answer) => {
                self.journal.settle(&record.id)?;
                let order = if self.is_current(customer) {
                    self.finish_order(customer, domain, answer, before)
                } else {
                    let view = order_view(domain, &self.display_name(domain), answer, before);
                    self.report_to_staff(OrderReportView {
                        domain: domain.to_string(),
                        outcome: OrderOutcome::Placed {
                            order: Box::new(view.clone()),
                        },
                    });
                    view
                };
                tracing::info!(%domain, order = %order.order_number, "order placed");
                self.audit(Some(domain), "order_placed", &order.order_number);
                Ok(OrderOutcome::Placed {
                    order: Box::new(order),
                })
            }
            Err(err) => match verdict::after_failure(&err) {
                Verdict::NotPlaced => {
                    self.journal.settle(&record.id)?;
                    tracing::info!(%domain, code = %err.code, "order not placed");
                    self.audit(Some(domain), "order_not_placed", err.code.as_str());
                    Ok(OrderOutcome::NotPlaced { error: err })
                }
                Verdict::Unknown => {
                    tracing::warn!(%domain, code = %err.code, "completion outcome unknown; checking the cart");
                    self.audit(Some(domain), "order_unknown", err.code.as_str());
                    let cause = RecordCause::from(verdict::unknown_cause(&err));
                    self.journal.modify(&record.id, |r| {
                        r.state = RecordState::Unknown;
                        r.cause = Some(cause.clone());
                    })?;
                    self.settle_unknown(customer, client, domain, before, &record.id)
                        .await
                }
            },
        }
    }

    /// Sends the completion for the payment; retries once, and only after a documented
    /// rejection that precedes any charge: a rotated key (`InvalidKey`, refetch and
    /// re-encrypt) or taxes not synced (`MissingTaxSync`, refresh the cart).
    async fn complete(
        &self,
        client: &FirmlyClient,
        domain: &Domain,
        payment: &Payment,
        prepared: Prepared,
    ) -> Result<CompletionAnswer> {
        let first = send(client, &self.keys, domain, payment, &prepared).await;
        match first {
            Err(e) if e.class() == ErrorClass::Stale && e.status.is_some() => {
                tracing::info!(%domain, code = %e.code, "refreshing and sending the completion once more");
                match e.code {
                    ErrorCode::MissingTaxSync => {
                        let _ = client.cart(domain).await;
                    }
                    ErrorCode::InvalidKey => self.keys.invalidate(),
                    _ => {}
                }
                send(client, &self.keys, domain, payment, &prepared).await
            }
            other => other,
        }
    }

    /// A few quick reads for evidence before answering; then unknown, and the background
    /// check goes on.
    async fn settle_unknown(
        &self,
        customer: &Arc<CustomerState>,
        client: &FirmlyClient,
        domain: &Domain,
        before: &CartV2,
        record_id: &str,
    ) -> Result<OrderOutcome> {
        let record = self
            .journal_record(record_id)
            .ok_or_else(|| ApiError::internal("the in-flight record vanished"))?;
        if let Some(order) = self.reconcile(client, &record, Moment::Immediate).await {
            let order = self.settled_placed(Some(customer), &record, order, before, "reconciled");
            return Ok(OrderOutcome::Placed {
                order: Box::new(order),
            });
        }
        let pending = self
            .journal_record(record_id)
            .ok_or_else(|| ApiError::internal("the in-flight record vanished"))?
            .view(true);
        self.spawn_background_check(
            customer.clone(),
            client.clone(),
            domain.clone(),
            record_id.to_string(),
            before.clone(),
        );
        self.republish(customer, domain);
        Ok(OrderOutcome::Unknown { pending })
    }

    /// "Check again" for an order whose outcome is unknown: one read now, and the bounded
    /// background check starts over.
    pub async fn check_order(&self, domain: &Domain) -> Result<OrderOutcome> {
        let domain = domain.clone();
        let customer = self.customer();
        let device = customer.device_id();
        let record = self
            .journal
            .records()?
            .into_iter()
            .find(|r| r.domain == *domain && Some(&r.session.device_id) == device.as_ref())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NoPendingOrder,
                    "There is no unsettled order for this cart.",
                )
            })?;
        let before = CartV2 {
            cart_id: record.cart_id.clone(),
            ..customer
                .cart(&domain)
                .map(Arc::unwrap_or_clone)
                .unwrap_or_default()
        };
        let client = customer.client.clone();
        if let Some(order) = self.check_once(&client, &record).await {
            let order = self.settled_placed(Some(&customer), &record, order, &before, "reconciled");
            return Ok(OrderOutcome::Placed {
                order: Box::new(order),
            });
        }
        self.spawn_background_check(
            customer.clone(),
            client,
            domain.clone(),
            record.id.clone(),
            before,
        );
        self.republish(&customer, &domain);
        let pending = self
            .journal_record(&record.id)
            .ok_or_else(|| ApiError::internal("the in-flight record vanished"))?
            .view(true);
        Ok(OrderOutcome::Unknown { pending })
    }

    /// Publishes the placed order to its customer, who is at the desk, and tells the UI.
    pub(super) fn finish_order(
        &self,
        customer: &Arc<CustomerState>,
        domain: &Domain,
        answer: CompletionAnswer,
        before: &CartV2,
    ) -> OrderView {
        let view = order_view(domain, &self.display_name(domain), answer.clone(), before);
        customer.merchant(domain, |m| m.paypal = None);
        if let CompletionAnswer::Order(order) = answer {
            if self.publish_in(customer, domain, *order).is_err() {
                tracing::info!(%domain, "order placed after the session ended; not shown to the new customer");
                return view;
            }
        } else {
            self.republish(customer, domain);
        }
        if self.is_current(customer) {
            self.events.order_placed(&view);
        }
        view
    }
}
