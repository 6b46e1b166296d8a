//! One shipment's fulfillment, each user action one backend step (the UI renders and asks):
//! choosing the type (sent with the id the cart offered), reading the availability it needs,
//! pre-selecting an only choice (a single open store, a single method, a single open date
//! without slots — never twice per shipment and choice, so the shopper can change it), and
//! the two choices the docs give no field for (ENDPOINTS.md §2.4.6, §8 F6):
//! - a delivery window narrows the dates offered to its `date_range`; the date chosen in it
//!   is what goes out (the docs' scheduled flow: "choose delivery window and specific date,
//!   set shipping method with selected date");
//! - a pickup option (curbside, in-store) picks the pickup method that names it when the
//!   merchant offers one; otherwise it reaches the merchant in the shipment's documented
//!   `notes`.

use firmly_api::Field;
use std::sync::Arc;

use firmly_api::{Availability, CartV2, ErrorCode, FulfillmentType, SetShipmentMethod, Shipment};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{CheckoutService, CustomerState, Result};
use crate::domain::Domain;
use crate::mapping;
use crate::view::*;

/// What a shipment step answers: the cart as it now is, and the shipment's availability
/// when its type needs one (scheduled delivery, pickup).
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ShipmentStep {
    pub cart: CartView,
    pub availability: Option<AvailabilityView>,
}

/// The shopper's choices for a shipment that the API takes no field for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ShipmentPicks {
    pub(crate) window: Option<String>,
    pub(crate) pickup_option: Option<String>,
}

/// How many pre-selections one step may chain (store, then method, then date).
const MAX_AUTO_STEPS: usize = 3;

fn invalid(field: firmly_api::Field, message: &str) -> firmly_api::ApiError {
    firmly_api::ApiError::new(ErrorCode::Validation, message).with_field(field)
}

/// Lower-case letters and digits only: `IN_STORE_PICKUP` and `in-store` compare.
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn needs_availability(sh: &Shipment) -> bool {
    matches!(
        sh.fulfillment().kind(),
        firmly_api::FulfillmentTypeKind::ScheduledDelivery
            | firmly_api::FulfillmentTypeKind::PickupInStore
    )
}

/// The dates a window allows (all when no window is chosen or it gives no range).
fn in_window(date: &str, window: Option<&DeliveryWindowView>) -> bool {
    let Some(w) = window else { return true };
    let after = w.start_date.as_deref().is_none_or(|s| date >= s);
    let before = w.end_date.as_deref().is_none_or(|e| date <= e);
    after && before
}

/// The shipment's notes with the pickup option the API has no field for.
pub(crate) fn notes_with_pick(notes: Option<String>, pick: Option<&str>) -> Option<String> {
    let Some(pick) = pick.filter(|p| !p.is_empty()) else {
        return notes;
    };
    match notes.filter(|n| !n.trim().is_empty()) {
        Some(n) if n.contains(pick) => Some(n),
        Some(n) => Some(format!("{n}\n{pick}")),
        None => Some(pick.to_string()),
    }
}

impl CheckoutService {
    /// Reads a shipment's availability, keeps it for the shipment's later steps, and shows it
    /// with the shopper's window and pickup option.
    pub async fn availability(
        &self,
        domain: &Domain,
        shipment_id: &str,
    ) -> Result<AvailabilityView> {
        let domain = domain.clone();
        let customer = self.customer();
        let a = self
            .read_availability(&customer, &domain, shipment_id)
            .await?;
        Ok(self.availability_view(&customer, &domain, shipment_id, &a))
    }

    async fn read_availability(
        &self,
        customer: &CustomerState,
        domain: &Domain,
        shipment_id: &str,
    ) -> Result<Availability> {
        let a = customer.client.availability(domain, shipment_id).await?;
        customer.merchant(domain, |m| {
            m.availability.insert(shipment_id.to_string(), a.clone());
        });
        Ok(a)
    }

    fn availability_view(
        &self,
        customer: &CustomerState,
        domain: &Domain,
        shipment_id: &str,
        a: &Availability,
    ) -> AvailabilityView {
        let cart = customer.cart(domain);
        let picks = customer
            .read(domain, |m| m.picks.get(shipment_id).cloned())
            .flatten()
            .unwrap_or_default();
        let mut view = mapping::availability_view(shipment_id, a, cart.as_deref());
        let window = view
            .windows
            .iter()
            .find(|w| Some(&w.window_id) == picks.window.as_ref())
            .cloned();
        view.dates.retain(|d| in_window(&d.date, window.as_ref()));
        view.chosen_window = window.map(|w| w.window_id);
        view.chosen_pickup_option = picks.pickup_option;
        view
    }

    /// Chooses how a shipment is fulfilled. The id sent is the one the cart offered for that
    /// kind (`IN_STORE_PICKUP` stays `IN_STORE_PICKUP`); then the availability the new type
    /// needs is read and an only choice is pre-selected.
    pub async fn set_fulfillment(
        &self,
        domain: &Domain,
        shipment_id: &str,
        kind: FulfillmentKind,
        location_id: Option<String>,
    ) -> Result<ShipmentStep> {
        let d = domain.clone();
        let customer = self.customer();
        let cart = self.known_cart(&customer, &d).await?;
        let sh = cart
            .shipment(shipment_id)
            .ok_or_else(|| invalid(Field::Shipment, "This shipment is no longer in the cart."))?;
        let current = sh.fulfillment();
        let offered = sh
            .fulfillment_type_options
            .iter()
            .map(|o| o.id.clone())
            .chain(std::iter::once(current.clone()))
            .find(|ft| mapping::fulfillment_kind(ft) == kind);
        // A cart that lists its options: one of those ids, as spelled. One that lists none:
        // the documented id of the kind (the server says whether it takes it).
        let ft = match offered {
            Some(ft) => ft,
            None if sh.fulfillment_type_options.is_empty() => {
                documented_id(kind).ok_or_else(|| {
                    invalid(Field::FulfillmentType, "This type has no documented id.")
                })?
            }
            None => {
                return Err(invalid(
                    Field::FulfillmentType,
                    "The merchant does not offer this for these items.",
                ))
            }
        };
        if ft != current {
            // A new type resets date, slot and location (ENDPOINTS.md §7 C30).
            customer.merchant(&d, |m| {
                m.requested_slots.remove(shipment_id);
                m.picks.remove(shipment_id);
                m.availability.remove(shipment_id);
            });
        }
        let location = location_id.filter(|l| !l.trim().is_empty());
        self.mutate(&d, |c, dd| async move {
            c.set_fulfillment_type(&dd, shipment_id, &ft, location.as_deref())
                .await
        })
        .await?;
        self.shipment_step(&customer, &d, shipment_id).await
    }

    /// What showing a shipment starts: the availability its type needs, and an only choice
    /// pre-selected.
    pub async fn prepare_shipment(
        &self,
        domain: &Domain,
        shipment_id: &str,
    ) -> Result<ShipmentStep> {
        self.ensure_ready()?;
        let d = domain.clone();
        let customer = self.customer();
        self.known_cart(&customer, &d).await?;
        self.shipment_step(&customer, &d, shipment_id).await
    }

    /// The cart as last seen, else read.
    async fn known_cart(&self, customer: &Arc<CustomerState>, d: &Domain) -> Result<Arc<CartV2>> {
        match customer.cart(d) {
            Some(c) => Ok(c),
            None => {
                self.cart(d).await?;
                customer
                    .cart(d)
                    .ok_or_else(|| invalid(Field::Domain, "This cart could not be read."))
            }
        }
    }

    async fn shipment_step(
        &self,
        customer: &Arc<CustomerState>,
        d: &Domain,
        shipment_id: &str,
    ) -> Result<ShipmentStep> {
        {
            let lock = customer.lock_for(d);
            let _g = lock.lock().await;
            for _ in 0..MAX_AUTO_STEPS {
                if !self.preselect_once(customer, d, shipment_id).await? {
                    break;
                }
            }
        }
        let cart = customer
            .cart(d)
            .unwrap_or_else(|| super::empty_cart(d).into());
        let availability = customer
            .read(d, |m| m.availability.get(shipment_id).cloned())
            .flatten()
            .map(|a| self.availability_view(customer, d, shipment_id, &a));
        Ok(ShipmentStep {
            cart: self.view_of(customer, d, &cart),
            availability,
        })
    }

    /// Reads what the shipment needs and makes at most one pre-selection; true when it made
    /// one (the cart changed, so the next may follow).
    async fn preselect_once(
        &self,
        customer: &Arc<CustomerState>,
        d: &Domain,
        shipment_id: &str,
    ) -> Result<bool> {
        let Some(cart) = customer.cart(d) else {
            return Ok(false);
        };
        let Some(sh) = cart.shipment(shipment_id).cloned() else {
            return Ok(false);
        };
        let ft = sh.fulfillment();
        let a = if needs_availability(&sh) {
            let kept = customer
                .read(d, |m| m.availability.get(shipment_id).cloned())
                .flatten();
            match kept {
                Some(a) => Some(a),
                None => Some(self.read_availability(customer, d, shipment_id).await?),
            }
        } else {
            None
        };
        // Once per shipment, type, store and choice: a new store (which resets the method)
        // gets its only method again.
        let store = sh
            .selected_location
            .as_ref()
            .map(|l| l.location_id.clone())
            .unwrap_or_default();
        let once = |what: &str| {
            let key = format!("{shipment_id}|{}|{store}|{what}", ft.as_str());
            customer.merchant(d, |m| m.auto_chosen.insert(key))
        };
        // A single open store.
        if ft.is_pickup() && sh.selected_location.is_none() {
            let open: Vec<&firmly_api::PickupLocation> = a
                .iter()
                .flat_map(|a| a.pickup_locations.iter())
                .filter(|l| l.available != Some(false))
                .collect();
            if let [only] = open.as_slice() {
                if once("location") {
                    let location = only.location_id.clone();
                    self.set_type_with_location(customer, d, shipment_id, &ft, &location)
                        .await?;
                    return Ok(true);
                }
            }
        }
        let method = sh
            .shipping_method
            .as_ref()
            .map(|m| m.id.clone())
            .or_else(|| only(sh.shipping_method_options.iter().map(|m| m.id.clone())))
            .or_else(|| {
                only(
                    a.iter()
                        .flat_map(|a| a.shipping_methods.iter().map(|m| m.id.clone())),
                )
            });
        // A single method.
        if sh.shipping_method.is_none() && sh.shipping_method_options.len() == 1 && once("method") {
            let m = sh.shipping_method_options[0].id.clone();
            self.send_method(customer, d, &sh, &m, sh.selected_date.clone())
                .await?;
            return Ok(true);
        }
        // A single open date without slots (scheduled, or at the chosen store).
        if sh.selected_date.is_none() {
            let dates = self.dates_for(customer, d, &sh, a.as_ref());
            let open: Vec<&firmly_api::AvailableDate> = dates
                .iter()
                .filter(|x| {
                    x.time_slots.is_empty()
                        || x.time_slots.iter().any(|s| s.available != Some(false))
                })
                .collect();
            if let ([only_date], Some(m)) = (open.as_slice(), method) {
                if only_date.time_slots.is_empty() && once("date") {
                    let date = only_date.date.clone();
                    self.send_method(customer, d, &sh, &m, Some(date)).await?;
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The dates a shipment's date picker offers: scheduled delivery's (within the chosen
    /// window), or the chosen store's.
    fn dates_for(
        &self,
        customer: &CustomerState,
        d: &Domain,
        sh: &Shipment,
        a: Option<&Availability>,
    ) -> Vec<firmly_api::AvailableDate> {
        let kind = sh.fulfillment().kind();
        if kind == firmly_api::FulfillmentTypeKind::ScheduledDelivery {
            let window = customer
                .read(d, |m| {
                    m.picks.get(&sh.shipment_id).and_then(|p| p.window.clone())
                })
                .flatten();
            let range = window.and_then(|id| {
                a.and_then(|a| {
                    a.delivery_windows
                        .iter()
                        .find(|w| w.window_id.as_deref() == Some(id.as_str()))
                })
                .and_then(|w| w.date_range.clone())
            });
            return a
                .map(|a| a.dates.clone())
                .unwrap_or_default()
                .into_iter()
                .filter(|x| {
                    range.as_ref().is_none_or(|r| {
                        r.start_date.as_deref().is_none_or(|s| x.date.as_str() >= s)
                            && r.end_date.as_deref().is_none_or(|e| x.date.as_str() <= e)
                    })
                })
                .collect();
        }
        let Some(store) = &sh.selected_location else {
            return Vec::new();
        };
        a.and_then(|a| {
            a.pickup_locations
                .iter()
                .find(|l| l.location_id == store.location_id)
                .map(|l| l.pickup_options.clone())
        })
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| store.pickup_options.clone())
    }

    async fn set_type_with_location(
        &self,
        customer: &Arc<CustomerState>,
        d: &Domain,
        shipment_id: &str,
        ft: &FulfillmentType,
        location: &str,
    ) -> Result<()> {
        let cart = customer
            .client
            .set_fulfillment_type(d, shipment_id, ft, Some(location))
            .await?;
        self.publish_in(customer, d, cart)?;
        Ok(())
    }

    /// Sets a shipment's method (and date), with the shopper's pickup option in the notes
    /// when no method names it.
    async fn send_method(
        &self,
        customer: &Arc<CustomerState>,
        d: &Domain,
        sh: &Shipment,
        method: &str,
        date: Option<String>,
    ) -> Result<()> {
        let pick = self.pickup_pick_note(customer, d, sh);
        let req = SetShipmentMethod {
            shipment_id: sh.shipment_id.clone(),
            shipping_method_id: method.to_string(),
            selected_date: date,
            notes: notes_with_pick(sh.notes.clone(), pick.as_deref()),
            selected_time_slot_id: None,
        };
        let extensions = customer.client.announced();
        let cart = customer
            .client
            .set_shipment_method(d, &req, extensions)
            .await?;
        self.publish_in(customer, d, cart)?;
        Ok(())
    }

    /// The name of the pickup option the shopper chose, when no method of the shipment names
    /// it (so it goes to the merchant in the notes).
    pub(crate) fn pickup_pick_note(
        &self,
        customer: &CustomerState,
        d: &Domain,
        sh: &Shipment,
    ) -> Option<String> {
        let pick = customer
            .read(d, |m| {
                m.picks
                    .get(&sh.shipment_id)
                    .and_then(|p| p.pickup_option.clone())
            })
            .flatten()?;
        let by_method = sh
            .shipping_method_options
            .iter()
            .any(|m| squash(&m.id).contains(&squash(&pick)));
        if by_method {
            return None;
        }
        let name = customer
            .read(d, |m| {
                m.availability.get(&sh.shipment_id).and_then(|a| {
                    a.pickup_options
                        .iter()
                        .find(|o| o.option_id.as_deref() == Some(pick.as_str()))
                        .and_then(|o| o.name.clone())
                })
            })
            .flatten()
            .unwrap_or(pick);
        Some(name)
    }

    /// Chooses a scheduled delivery's window: the dates offered narrow to its range.
    /// `None` clears the choice.
    pub async fn choose_delivery_window(
        &self,
        domain: &Domain,
        shipment_id: &str,
        window_id: Option<String>,
    ) -> Result<ShipmentStep> {
        self.ensure_ready()?;
        let d = domain.clone();
        let customer = self.customer();
        let known = customer
            .read(&d, |m| m.availability.get(shipment_id).cloned())
            .flatten();
        let a = match known {
            Some(a) => a,
            None => self.read_availability(&customer, &d, shipment_id).await?,
        };
        if let Some(w) = &window_id {
            if !a
                .delivery_windows
                .iter()
                .any(|x| x.window_id.as_deref() == Some(w.as_str()))
            {
                return Err(invalid(
                    Field::Window,
                    "That delivery window is not offered.",
                ));
            }
        }
        customer.merchant(&d, |m| {
            m.picks.entry(shipment_id.to_string()).or_default().window = window_id;
        });
        self.audit(Some(&d), "choose_delivery_window", "ok");
        self.shipment_step(&customer, &d, shipment_id).await
    }

    /// Chooses how a pickup is handed over (curbside, in-store): the pickup method that names
    /// it, when the merchant offers one; else it goes in the shipment's notes.
    pub async fn choose_pickup_option(
        &self,
        domain: &Domain,
        shipment_id: &str,
        option_id: &str,
    ) -> Result<ShipmentStep> {
        self.ensure_ready()?;
        let d = domain.clone();
        let customer = self.customer();
        let cart = self.known_cart(&customer, &d).await?;
        let sh = cart
            .shipment(shipment_id)
            .cloned()
            .ok_or_else(|| invalid(Field::Shipment, "This shipment is no longer in the cart."))?;
        let known = customer
            .read(&d, |m| m.availability.get(shipment_id).cloned())
            .flatten();
        let a = match known {
            Some(a) => a,
            None => self.read_availability(&customer, &d, shipment_id).await?,
        };
        if !a
            .pickup_options
            .iter()
            .any(|o| o.option_id.as_deref() == Some(option_id))
        {
            return Err(invalid(
                Field::PickupOption,
                "That pickup option is not offered.",
            ));
        }
        customer.merchant(&d, |m| {
            m.picks
                .entry(shipment_id.to_string())
                .or_default()
                .pickup_option = Some(option_id.to_string());
        });
        let named = sh
            .shipping_method_options
            .iter()
            .find(|m| squash(&m.id).contains(&squash(option_id)))
            .map(|m| m.id.clone());
        let method = named.or_else(|| sh.shipping_method.as_ref().map(|m| m.id.clone()));
        if let Some(m) = method {
            let lock = customer.lock_for(&d);
            let _g = lock.lock().await;
            self.send_method(&customer, &d, &sh, &m, sh.selected_date.clone())
                .await?;
        }
        self.audit(Some(&d), "choose_pickup_option", "ok");
        self.shipment_step(&customer, &d, shipment_id).await
    }
}

/// The documented id of a fulfillment kind (ENDPOINTS.md §2.4.4).
fn documented_id(kind: FulfillmentKind) -> Option<FulfillmentType> {
    let id = match kind {
        FulfillmentKind::ShipToAddress => "SHIP_TO_ADDRESS",
        FulfillmentKind::ScheduledDelivery => "SCHEDULED_DELIVERY",
        FulfillmentKind::PickupInStore => "PICKUP_IN_STORE",
        FulfillmentKind::DigitalDelivery | FulfillmentKind::Other => return None,
    };
    Some(FulfillmentType::parse(id))
}

/// The one item of a list of exactly one.
fn only(items: impl Iterator<Item = String>) -> Option<String> {
    let mut it = items;
    match (it.next(), it.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pickup_option_names_a_method_whatever_its_spelling() {
        assert!(squash("CURBSIDE_PICKUP").contains(&squash("curbside")));
        assert!(squash("IN_STORE_PICKUP").contains(&squash("in-store")));
        assert!(!squash("STANDARD_GROUND").contains(&squash("curbside")));
    }

    #[test]
    fn a_pickup_option_without_a_method_goes_in_the_notes_once() {
        assert_eq!(
            notes_with_pick(None, Some("Curbside Pickup")).as_deref(),
            Some("Curbside Pickup")
        );
        assert_eq!(
            notes_with_pick(Some("Ring twice".into()), Some("Curbside Pickup")).as_deref(),
            Some("Ring twice\nCurbside Pickup")
        );
        assert_eq!(
            notes_with_pick(
                Some("Ring twice\nCurbside Pickup".into()),
                Some("Curbside Pickup")
            )
            .as_deref(),
            Some("Ring twice\nCurbside Pickup")
        );
        assert_eq!(
            notes_with_pick(Some("x".into()), None).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn a_window_narrows_the_dates() {
        let w = DeliveryWindowView {
            window_id: "w".into(),
            name: None,
            description: None,
            price: None,
            start_date: Some("2026-12-10".into()),
            end_date: Some("2026-12-16".into()),
        };
        assert!(in_window("2026-12-10", Some(&w)) && in_window("2026-12-16", Some(&w)));
        assert!(!in_window("2026-12-09", Some(&w)) && !in_window("2026-12-17", Some(&w)));
        assert!(in_window("2026-12-01", None));
    }
}
