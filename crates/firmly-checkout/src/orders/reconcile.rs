//! The one reconciler: an order whose outcome is unknown is settled from evidence only,
//! on its journal record and its own device session, whoever is at the desk meanwhile.
//!
//! The same loop serves the three moments an outcome is unknown: right after the
//! completion (a few quick reads before `place_order` returns), in the background (reads
//! with backoff), and at start-up for an earlier run's order. What a read proves is
//! `verdict::placed_evidence`. An order still unknown after the policy's time limit is
//! handed to staff (`RecordState::WithStaff`): it stays in the journal for the staff panel
//! but no longer blocks paying the cart. An outcome of a customer who has left goes to the
//! staff's list, never to the next customer's screen.

use std::sync::Arc;
use std::time::Duration;

use firmly_api::{CartV2, CompletionAnswer, FirmlyClient, MemorySessionStore};

use super::complete::order_view;
use super::journal::{InFlightRecord, RecordCause, RecordState};
use super::verdict;
use crate::domain::Domain;
use crate::service::{CheckoutService, CustomerState};
use crate::view::*;

/// When a reconciliation reads: its delays, one read after each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Moment {
    /// Before `place_order` answers.
    Immediate,
    /// After it answered unknown, in the background.
    Background,
    /// As the desk starts, for an earlier run's order.
    AtStart,
}

pub(super) fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl CheckoutService {
    fn delays(&self, moment: Moment) -> Vec<Duration> {
        match moment {
            Moment::Immediate => self.policy.immediate.clone(),
            Moment::Background => self.policy.background.clone(),
            Moment::AtStart => self.policy.at_start.clone(),
        }
    }

    /// A client on the record's own device session (an earlier run's order).
    pub(super) async fn record_client(&self, record: &InFlightRecord) -> Option<FirmlyClient> {
        let client =
            FirmlyClient::new(self.config.clone(), Arc::new(MemorySessionStore::new())).ok()?;
        client.adopt_session(record.session.clone()).await;
        Some(client)
    }

    /// Reads the cart at each of the moment's delays until one proves the order placed.
    pub(super) async fn reconcile(
        &self,
        client: &FirmlyClient,
        record: &InFlightRecord,
        moment: Moment,
    ) -> Option<CartV2> {
        for delay in self.delays(moment) {
            tokio::time::sleep(delay).await;
            if let Some(order) = self.check_once(client, record).await {
                return Some(order);
            }
        }
        None
    }

    /// One read of the cart; the placed order when the same cart is seen submitted.
    pub(super) async fn check_once(
        &self,
        client: &FirmlyClient,
        record: &InFlightRecord,
    ) -> Option<CartV2> {
        let read = client.cart(&record.domain).await;
        let _ = self.journal.modify(&record.id, |r| {
            r.checks += 1;
            r.last_checked_at = Some(now());
        });
        match read {
            Ok(cart) if verdict::placed_evidence(record.cart_id.as_deref(), &cart) => Some(cart),
            Ok(_) => None,
            Err(e) => {
                tracing::debug!(domain = %record.domain, code = %e.code, "reconciliation read gave no evidence");
                None
            }
        }
    }

    /// The order turned out placed: the record is settled, and the order goes to the
    /// customer it belongs to if they are still at the desk, else to the staff's list.
    pub(super) fn settled_placed(
        &self,
        owner: Option<&Arc<CustomerState>>,
        record: &InFlightRecord,
        order: CartV2,
        before: &CartV2,
        how: &str,
    ) -> OrderView {
        let _ = self.journal.settle(&record.id);
        self.audit(Some(&record.domain), "order_placed", how);
        let answer = CompletionAnswer::Order(Box::new(order));
        match (owner, Domain::parse(&record.domain)) {
            (Some(owner), Ok(domain)) if self.is_current(owner) => {
                self.finish_order(owner, &domain, answer, before)
            }
            _ => {
                let view = order_view(
                    &record.domain,
                    &self.display_name(&record.domain),
                    answer,
                    before,
                );
                self.report_to_staff(OrderReportView {
                    domain: record.domain.clone(),
                    outcome: OrderOutcome::Placed {
                        order: Box::new(view.clone()),
                    },
                });
                view
            }
        }
    }

    /// Keeps checking an unknown order in the background (bounded), then hands it to staff
    /// once the time limit is reached. One background check per merchant and customer.
    pub(super) fn spawn_background_check(
        &self,
        owner: Arc<CustomerState>,
        client: FirmlyClient,
        domain: Domain,
        record_id: String,
        before: CartV2,
    ) {
        let Some(me) = self.arc() else { return };
        if !owner.orders.start_reconciling(&domain) {
            return;
        }
        tokio::spawn(async move {
            me.background_check(&owner, &client, &domain, &record_id, &before)
                .await;
            owner.orders.stop_reconciling(&domain);
            me.republish(&owner, &domain);
        });
    }

    async fn background_check(
        &self,
        owner: &Arc<CustomerState>,
        client: &FirmlyClient,
        domain: &Domain,
        record_id: &str,
        before: &CartV2,
    ) {
        let Some(record) = self.journal_record(record_id) else {
            return;
        };
        for delay in self.delays(Moment::Background) {
            tokio::time::sleep(delay).await;
            if let Some(order) = self.check_once(client, &record).await {
                let view = self.settled_placed(Some(owner), &record, order, before, "reconciled");
                tracing::info!(%domain, order = %view.order_number, "an unknown order turned out placed");
                return;
            }
            self.republish(owner, domain);
        }
        tracing::warn!(%domain, "the order's outcome is still unknown after polling");
        let left = self
            .policy
            .staff_after
            .saturating_sub(record.age(chrono::Utc::now()));
        tokio::time::sleep(left).await;
        self.hand_to_staff(record_id);
    }

    /// The record as the journal holds it now.
    pub(super) fn journal_record(&self, id: &str) -> Option<InFlightRecord> {
        self.journal.cached().into_iter().find(|r| r.id == id)
    }

    /// Still unknown past the time limit: staff settle it with the merchant; the cart can
    /// be paid again.
    pub(super) fn hand_to_staff(&self, record_id: &str) {
        let Some(record) = self.journal_record(record_id) else {
            return;
        };
        if record.state == RecordState::WithStaff {
            return;
        }
        let _ = self
            .journal
            .modify(record_id, |r| r.state = RecordState::WithStaff);
        tracing::warn!(domain = %record.domain, "an unknown order was handed to staff");
        self.audit(Some(&record.domain), "order_with_staff", &record.id);
        self.events.staff_updated();
        let customer = self.customer();
        if let Ok(domain) = Domain::parse(&record.domain) {
            self.republish(&customer, &domain);
        }
    }

    /// Settles the orders an earlier run left in flight (a crash, a kill, a restart), each
    /// with its own device session, before anything else. Records of another API stay;
    /// records past the time limit go to staff.
    pub async fn settle_earlier_orders(&self) -> Vec<OrderReportView> {
        let records = match self.journal.records() {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(code = %e.code, "the order journal cannot be read");
                return Vec::new();
            }
        };
        let api = self.config.api_base.to_string();
        let mut out = Vec::new();
        for record in records
            .into_iter()
            .filter(|r| r.api_base == api && !r.with_staff())
        {
            let Some(client) = self.record_client(&record).await else {
                continue;
            };
            let before = CartV2 {
                cart_id: record.cart_id.clone(),
                ..CartV2::default()
            };
            let outcome = match self.reconcile(&client, &record, Moment::AtStart).await {
                Some(order) => {
                    let _ = self.journal.settle(&record.id);
                    self.audit(Some(&record.domain), "order_placed", "settled_at_start");
                    OrderOutcome::Placed {
                        order: Box::new(order_view(
                            &record.domain,
                            &self.display_name(&record.domain),
                            CompletionAnswer::Order(Box::new(order)),
                            &before,
                        )),
                    }
                }
                None => {
                    let late = record.age(chrono::Utc::now()) >= self.policy.staff_after;
                    let _ = self.journal.modify(&record.id, |r| {
                        r.state = if late {
                            RecordState::WithStaff
                        } else {
                            RecordState::Unknown
                        };
                        r.cause.get_or_insert(RecordCause::Interrupted);
                    });
                    let pending = self
                        .journal_record(&record.id)
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

    /// An outcome for staff, not for the customer at the desk.
    pub(crate) fn report_to_staff(&self, report: OrderReportView) {
        {
            let mut staff = self.staff.reports.lock();
            staff.push(report);
            // A kiosk runs all day: the list keeps the latest outcomes only.
            let excess = staff.len().saturating_sub(STAFF_REPORTS);
            staff.drain(..excess);
        }
        self.events.staff_updated();
    }
}

/// Outcomes the staff list keeps.
const STAFF_REPORTS: usize = 50;
