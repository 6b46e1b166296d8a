//! One backend step per shipment action, in both sandbox profiles: the fulfilment type sent
//! with the id the cart offered, an only choice pre-selected once, a delivery window that
//! narrows the dates, and a pickup option chosen end to end (the pickup method that names it,
//! else the notes).

mod support;

use firmly_api::ErrorCode;
use firmly_api::Field;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use support::*;

fn shipment(cart: &CartView, kind: FulfillmentKind) -> &ShipmentView {
    cart.shipments
        .iter()
        .find(|s| s.fulfillment_type == kind)
        .unwrap_or_else(|| panic!("no {kind:?} shipment: {:?}", cart.shipments))
}

async fn a_scheduled_shipment_comes_with_its_dates_and_windows(profile: Profile) {
    let r = rig(profile).await;
    r.service
        .add_item(&HOME, "HG-SOFA-01-Slate", 1)
        .await
        .unwrap();
    let cart = r.service.set_shipping_info(&HOME, address()).await.unwrap();
    let sid = shipment(&cart, FulfillmentKind::ScheduledDelivery)
        .shipment_id
        .clone();
    let step = r.service.prepare_shipment(&HOME, &sid).await.unwrap();
    let a = step
        .availability
        .expect("a scheduled shipment's availability");
    assert!(!a.dates.is_empty() && !a.windows.is_empty(), "{a:?}");
    // A window narrows the dates to its range; clearing it gives them all back.
    let w = a.windows[0].clone();
    let narrowed = r
        .service
        .choose_delivery_window(&HOME, &sid, Some(w.window_id.clone()))
        .await
        .unwrap()
        .availability
        .unwrap();
    assert_eq!(
        narrowed.chosen_window.as_deref(),
        Some(w.window_id.as_str())
    );
    for d in &narrowed.dates {
        assert!(
            w.start_date.as_deref().is_none_or(|s| d.date.as_str() >= s),
            "{d:?}"
        );
        assert!(
            w.end_date.as_deref().is_none_or(|e| d.date.as_str() <= e),
            "{d:?}"
        );
    }
    let all = r
        .service
        .choose_delivery_window(&HOME, &sid, None)
        .await
        .unwrap()
        .availability
        .unwrap();
    assert_eq!(all.dates.len(), a.dates.len());
    let e = r
        .service
        .choose_delivery_window(&HOME, &sid, Some("no-such-window".into()))
        .await
        .unwrap_err();
    assert_eq!(
        (e.code, e.field),
        (ErrorCode::Validation, Some(Field::Window))
    );
}
both_profiles!(a_scheduled_shipment_comes_with_its_dates_and_windows);

async fn a_pickup_only_item_gets_its_store_and_a_pickup_option(profile: Profile) {
    let r = rig(profile).await;
    // Pickup only: the shipment is a pickup from the start.
    let cart = r.service.add_item(&GADGETS, "GAD-LAP-01", 1).await.unwrap();
    let sid = shipment(&cart, FulfillmentKind::PickupInStore)
        .shipment_id
        .clone();
    let step = r.service.prepare_shipment(&GADGETS, &sid).await.unwrap();
    let a = step.availability.expect("a pickup shipment's stores");
    assert!(a.locations.len() >= 2, "two stores: nothing to pre-select");
    // The shopper picks a store: the same type, with the location.
    let store = a.locations[0].location_id.clone();
    let step = r
        .service
        .set_fulfillment(
            &GADGETS,
            &sid,
            FulfillmentKind::PickupInStore,
            Some(store.clone()),
        )
        .await
        .unwrap();
    let sh = shipment(&step.cart, FulfillmentKind::PickupInStore);
    assert_eq!(
        sh.selected_location
            .as_ref()
            .map(|l| l.location_id.as_str()),
        Some(store.as_str())
    );
    // Curbside: the pickup method that names it, when the merchant offers one; else it goes
    // to the merchant in the shipment's notes.
    let option = a
        .pickup_options
        .iter()
        .find(|o| o.option_id == "curbside")
        .expect("the documented curbside option");
    let step = r
        .service
        .choose_pickup_option(&GADGETS, &sid, &option.option_id)
        .await
        .unwrap();
    let sh = shipment(&step.cart, FulfillmentKind::PickupInStore);
    let by_method = sh
        .methods
        .iter()
        .any(|m| m.id.to_ascii_lowercase().contains("curbside"));
    if by_method {
        assert!(
            sh.selected_method
                .as_deref()
                .is_some_and(|m| m.to_ascii_lowercase().contains("curbside")),
            "{sh:?}"
        );
    } else {
        let name = option.name.clone().unwrap_or_default();
        assert!(
            sh.notes.as_deref().is_some_and(|n| n.contains(&name)),
            "{sh:?}"
        );
    }
    assert_eq!(
        step.availability
            .and_then(|a| a.chosen_pickup_option)
            .as_deref(),
        Some("curbside")
    );
    let e = r
        .service
        .choose_pickup_option(&GADGETS, &sid, "teleport")
        .await
        .unwrap_err();
    assert_eq!(e.field, Some(Field::PickupOption));
}
both_profiles!(a_pickup_only_item_gets_its_store_and_a_pickup_option);

async fn a_type_the_cart_does_not_offer_is_refused_before_sending(profile: Profile) {
    let r = rig(profile).await;
    r.service
        .add_item(&HOME, "HG-SOFA-01-Slate", 1)
        .await
        .unwrap();
    let cart = r.service.set_shipping_info(&HOME, address()).await.unwrap();
    let sh = shipment(&cart, FulfillmentKind::ScheduledDelivery);
    let before = r.journal("fulfillment-type").await.len();
    if sh
        .fulfillment_options
        .iter()
        .all(|o| o.kind != FulfillmentKind::PickupInStore)
    {
        let e = r
            .service
            .set_fulfillment(&HOME, &sh.shipment_id, FulfillmentKind::PickupInStore, None)
            .await
            .unwrap_err();
        assert_eq!(e.field, Some(Field::FulfillmentType));
        assert_eq!(
            r.journal("fulfillment-type").await.len(),
            before,
            "nothing sent"
        );
    }
}
both_profiles!(a_type_the_cart_does_not_offer_is_refused_before_sending);
