//! Placing an order and settling its outcome: the guards, the in-flight record, the
//! completion call for each kind of payment, the verdict, and reconciliation by polling the
//! cart with backoff for a bounded time.

use std::sync::Arc;

use firmly_api::{
    ApiError, CartV2, CompletionAnswer, ErrorClass, ErrorCode, FirmlyClient, MemorySessionStore,
};

use super::complete::{order_view, prepare, send, unknown_cause, Prepared};
use super::journal::{InFlightRecord, RecordState};
use super::verdict::{self, Verdict};
use super::Payment;
use crate::service::{is_no_cart, CheckoutService, Result};
use crate::storage::Mode;
use crate::validation;
use crate::view::*;

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl CheckoutService {
    /// Pays with a new card typed into the form. The card is wiped when this returns.
    pub async fn place_card_order(
        &self,
        domain: &str,
        card: CardInput,
        billing: Option<AddressView>,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        let problems = validation::check_card(&card);
        if let Some(first) = problems.first() {
            return Err(ApiError::field(&first.field, &first.message));
        }
        let details = validation::card_details(&card);
        drop(card);
        let payment = Payment::Card {
            card: details,
            encryption: self.persistence.settings().card_encryption,
            billing: billing.map(Box::new),
        };
        self.place_order(domain, payment, override_pending).await
    }

    /// Pays with a saved card of the merchant account or of an unlocked wallet.
    pub async fn place_saved_card_order(
        &self,
        domain: &str,
        payment_id: &str,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        if payment_id.trim().is_empty() {
            return Err(ApiError::field("payment_id", "Choose a saved card."));
        }
        let payment = Payment::SavedCard {
            payment_id: payment_id.trim().to_string(),
        };
        self.place_order(domain, payment, override_pending).await
    }

    /// Places the order approved in PayPal.
    pub async fn paypal_complete(
        &self,
        domain: &str,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        self.place_order(domain, Payment::PayPal, override_pending)
            .await
    }

    /// Places the order for `domain`'s cart exactly once and says honestly what happened:
    /// placed, provably not placed (nothing charged; everything typed is kept), or unknown
    /// (may still land; the desk keeps checking and refuses a second payment of the cart).
    /// `override_pending` lets an agent pay again despite an unknown earlier attempt, and
    /// only an agent.
    pub async fn place_order(
        &self,
        domain: &str,
        payment: Payment,
        override_pending: bool,
    ) -> Result<OrderOutcome> {
        self.ensure_ready()?;
        let domain = self.domain(domain)?;
        if let Payment::Card { card, .. } = &payment {
            let problems = firmly_api::validate_card(card, chrono::Utc::now().date_naive());
            if let Some(p) = problems.first() {
                return Err(ApiError::field(p.field.as_str(), &p.message));
            }
        }
        if let Payment::Card {
            billing: Some(b), ..
        } = &payment
        {
            validation::check_address(b, false, &[])?;
        }
        let epoch = self.epoch();
        let _in_flight = self.orders.begin(&domain)?;
        let _cross_process = self.journal.lock_domain(&domain)?;
        let lock = self.lock_for(&domain);
        let _g = lock.lock().await;

        let earlier = self
            .journal
            .records()?
            .into_iter()
            .find(|r| r.domain == domain && r.session.device_id == self.device_id());
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

        let before = match self.client.cart(&domain).await {
            Ok(c) => c,
            Err(e) if is_no_cart(&e) => {
                return Ok(OrderOutcome::NotPlaced {
                    error: ApiError::new(ErrorCode::NoLineItem, "The cart is empty."),
                })
            }
            Err(e) => return Err(e),
        };
        if before.is_submitted() {
            return Err(ApiError::new(
                ErrorCode::AlreadyOrdered,
                "This cart has already been ordered. Start a new order.",
            ));
        }
        let seen = self.handles.lock().get(&domain).cloned();
        let prepared = prepare(&before, seen, &payment)?;
        let session = self.client.ensure_session().await?;
        let record = InFlightRecord {
            id: uuid::Uuid::new_v4().to_string(),
            domain: domain.clone(),
            cart_id: before.cart_id.clone(),
            api_base: self.client.config().api_base.to_string(),
            session,
            payment: payment.kind(),
            started_at: now(),
            state: RecordState::Sending,
            cause: None,
            checks: 0,
            last_checked_at: None,
        };
        // Durable before the request leaves: a crash from here on is settled at start-up.
        self.journal.begin(record.clone())?;
        self.audit(Some(&domain), "place_order", "sent");

        let answer = self.complete(&domain, &payment, prepared).await;
        drop(payment);
        match answer {
            Ok(answer) => {
                self.journal.settle(&record.id)?;
                let order = self.finish_order(epoch, &domain, answer, &before);
                tracing::info!(%domain, order = %order.order_number, "order placed");
                self.audit(Some(&domain), "order_placed", &order.order_number);
                Ok(OrderOutcome::Placed {
                    order: Box::new(order),
                })
            }
            Err(err) => match verdict::after_failure(&err) {
                Verdict::NotPlaced => {
                    self.journal.settle(&record.id)?;
                    tracing::info!(%domain, code = %err.code, "order not placed");
                    self.audit(Some(&domain), "order_not_placed", err.code.as_str());
                    Ok(OrderOutcome::NotPlaced { error: err })
                }
                Verdict::Unknown => {
                    tracing::warn!(%domain, code = %err.code, "completion outcome unknown; checking the cart");
                    self.audit(Some(&domain), "order_unknown", err.code.as_str());
                    let cause = unknown_cause(&err);
                    self.journal.modify(&record.id, |r| {
                        r.state = RecordState::Unknown;
                        r.cause = Some(cause.clone());
                    })?;
                    self.settle_unknown(epoch, &domain, &before, &record.id)
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
        domain: &str,
        payment: &Payment,
        prepared: Prepared,
    ) -> Result<CompletionAnswer> {
        let first = send(&self.client, domain, payment, &prepared).await;
        match first {
            Err(e) if e.class() == ErrorClass::Stale && e.status.is_some() => {
                tracing::info!(%domain, code = %e.code, "refreshing and sending the completion once more");
                if e.code == ErrorCode::MissingTaxSync {
                    let _ = self.client.cart(domain).await;
                }
                send(&self.client, domain, payment, &prepared).await
            }
            other => other,
        }
    }

    /// Polls the cart for evidence: first a couple of quick reads, then in the background
    /// with backoff for a bounded time. Returns placed, or unknown (still checking).
    async fn settle_unknown(
        &self,
        epoch: u64,
        domain: &str,
        before: &CartV2,
        record_id: &str,
    ) -> Result<OrderOutcome> {
        let client = self.client.clone();
        for delay in self.policy.immediate.clone() {
            tokio::time::sleep(delay).await;
            if let Some(order) = self.check_once(&client, domain, record_id, before).await {
                return Ok(OrderOutcome::Placed {
                    order: Box::new(self.settled_placed(epoch, domain, record_id, order, before)),
                });
            }
        }
        let pending = self
            .journal
            .cached()
            .into_iter()
            .find(|r| r.id == record_id)
            .map(|r| r.view(true))
            .ok_or_else(|| ApiError::internal("the in-flight record vanished"))?;
        self.spawn_background_check(epoch, domain, record_id, before.clone(), client);
        self.republish(domain);
        Ok(OrderOutcome::Unknown { pending })
    }

    fn spawn_background_check(
        &self,
        epoch: u64,
        domain: &str,
        record_id: &str,
        before: CartV2,
        client: FirmlyClient,
    ) {
        let Some(me) = self.arc() else { return };
        if !self.orders.start_reconciling(domain) {
            return;
        }
        let (domain, record_id) = (domain.to_string(), record_id.to_string());
        tokio::spawn(async move {
            me.background_check(epoch, &domain, &record_id, &before, &client)
                .await;
            me.orders.stop_reconciling(&domain);
            me.republish(&domain);
        });
    }

    async fn background_check(
        self: &Arc<Self>,
        epoch: u64,
        domain: &str,
        record_id: &str,
        before: &CartV2,
        client: &FirmlyClient,
    ) {
        for delay in self.policy.background.clone() {
            tokio::time::sleep(delay).await;
            if let Some(order) = self.check_once(client, domain, record_id, before).await {
                let view = self.settled_placed(epoch, domain, record_id, order, before);
                tracing::info!(%domain, order = %view.order_number, "an unknown order turned out placed");
                return;
            }
            self.republish(domain);
        }
        tracing::warn!(%domain, "the order's outcome is still unknown after polling");
    }

    /// One read of the cart; the placed order when the same cart is seen submitted.
    async fn check_once(
        &self,
        client: &FirmlyClient,
        domain: &str,
        record_id: &str,
        before: &CartV2,
    ) -> Option<CartV2> {
        let read = client.cart(domain).await;
        let _ = self.journal.modify(record_id, |r| {
            r.checks += 1;
            r.last_checked_at = Some(now());
        });
        match read {
            Ok(cart) if verdict::placed_evidence(before.cart_id.as_deref(), &cart) => Some(cart),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(%domain, code = %e.code, "reconciliation read gave no evidence");
                None
            }
        }
    }

    fn settled_placed(
        &self,
        epoch: u64,
        domain: &str,
        record_id: &str,
        order: CartV2,
        before: &CartV2,
    ) -> OrderView {
        let _ = self.journal.settle(record_id);
        self.audit(Some(domain), "order_placed", "reconciled");
        self.finish_order(
            epoch,
            domain,
            CompletionAnswer::Order(Box::new(order)),
            before,
        )
    }

    /// "Check again" for an order whose outcome is unknown: one read now, and the bounded
    /// background polling starts over.
    pub async fn check_order(&self, domain: &str) -> Result<OrderOutcome> {
        let domain = self.domain(domain)?;
        let record = self
            .journal
            .records()?
            .into_iter()
            .find(|r| r.domain == domain && r.session.device_id == self.device_id())
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::NoPendingOrder,
                    "There is no unsettled order for this cart.",
                )
            })?;
        let epoch = self.epoch();
        let before = CartV2 {
            cart_id: record.cart_id.clone(),
            ..self
                .cached_cart(&domain)
                .map(Arc::unwrap_or_clone)
                .unwrap_or_default()
        };
        if let Some(order) = self
            .check_once(&self.client, &domain, &record.id, &before)
            .await
        {
            return Ok(OrderOutcome::Placed {
                order: Box::new(self.settled_placed(epoch, &domain, &record.id, order, &before)),
            });
        }
        self.spawn_background_check(epoch, &domain, &record.id, before, self.client.clone());
        self.republish(&domain);
        let pending = self
            .pending_view(&domain)
            .ok_or_else(|| ApiError::internal("the in-flight record vanished"))?;
        Ok(OrderOutcome::Unknown { pending })
    }

    /// Settles the orders an earlier run left in flight (a crash, a kill, a restart), each
    /// with its own device session, before anything else. Records of another API stay.
    pub async fn settle_earlier_orders(&self) -> Vec<OrderReportView> {
        let records = match self.journal.records() {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(code = %e.code, "the order journal cannot be read");
                return Vec::new();
            }
        };
        let api = self.client.config().api_base.to_string();
        let mut out = Vec::new();
        for record in records.into_iter().filter(|r| r.api_base == api) {
            let store = Arc::new(MemorySessionStore::new());
            let Ok(client) = FirmlyClient::new(self.client.config().clone(), store) else {
                continue;
            };
            client.adopt_session(record.session.clone()).await;
            let before = CartV2 {
                cart_id: record.cart_id.clone(),
                ..CartV2::default()
            };
            let mut placed = None;
            for delay in self.policy.at_start.clone() {
                tokio::time::sleep(delay).await;
                if let Some(order) = self
                    .check_once(&client, &record.domain, &record.id, &before)
                    .await
                {
                    placed = Some(order);
                    break;
                }
            }
            let outcome = match placed {
                Some(order) => {
                    let _ = self.journal.settle(&record.id);
                    self.audit(Some(&record.domain), "order_placed", "settled_at_start");
                    let view = order_view(
                        &record.domain,
                        &self.display_name_of(&record.domain),
                        CompletionAnswer::Order(Box::new(order)),
                        &before,
                    );
                    OrderOutcome::Placed {
                        order: Box::new(view),
                    }
                }
                None => {
                    let _ = self.journal.modify(&record.id, |r| {
                        r.state = RecordState::Unknown;
                        r.cause.get_or_insert(UnknownCause::Interrupted);
                    });
                    let pending = self
                        .journal
                        .cached()
                        .into_iter()
                        .find(|r| r.id == record.id)
                        .unwrap_or(record.clone())
                        .view(false);
                    OrderOutcome::Unknown { pending }
                }
            };
            out.push(OrderReportView {
                domain: record.domain.clone(),
                outcome,
            });
        }
        out
    }

    pub(crate) fn display_name_of(&self, domain: &str) -> String {
        self.merchants()
            .into_iter()
            .find(|m| m.domain == domain)
            .map(|m| m.display_name)
            .unwrap_or_else(|| domain.to_string())
    }

    /// Publishes the placed order (unless the customer session changed) and tells the UI.
    fn finish_order(
        &self,
        epoch: u64,
        domain: &str,
        answer: CompletionAnswer,
        before: &CartV2,
    ) -> OrderView {
        let view = order_view(
            domain,
            &self.display_name_of(domain),
            answer.clone(),
            before,
        );
        self.paypal_cancelled(domain);
        if let CompletionAnswer::Order(order) = answer {
            if self.publish_in(epoch, domain, *order).is_err() {
                tracing::info!(%domain, "order placed after the session ended; not shown to the new customer");
                return view;
            }
        } else {
            self.republish(domain);
        }
        if epoch == self.epoch() {
            self.events.order_placed(&view);
        }
        view
    }
}
