//! What the counter needs beyond the API's own calls, decided in Rust: adding a product from
//! a link or a scanned code (Get Product from URL), the catalog's add-to-cart payload sent
//! as given, a short undo for a removal or a clear, the card form's check with its brand,
//! and a pay-all run's progress per merchant.

mod support;

use firmly_api::Field;
use std::sync::{Arc, Mutex};

use firmly_api::ErrorCode;
use firmly_checkout::*;
use firmly_sandbox::Profile;
use support::*;

async fn a_product_link_adds_it_or_asks_for_its_variant(profile: Profile) {
    let r = rig(profile).await;
    // One variant: added at once, whatever way the link was written.
    let added = r
        .service
        .add_by_link("staging.luma.gift/products/fusion-backpack", None, 1)
        .await
        .unwrap();
    let LinkAdd::Added { cart } = added else {
        panic!("{added:?}")
    };
    assert_eq!((cart.domain.as_str(), cart.item_count), (LUMA.as_str(), 1));
    // Several: the variants come back to choose from; the choice is added.
    let chosen = r
        .service
        .add_by_link("https://staging.luma.gift/products/hero-hoodie", None, 1)
        .await
        .unwrap();
    let LinkAdd::Choose { domain, product } = chosen else {
        panic!("{chosen:?}")
    };
    assert_eq!(domain, LUMA.as_str());
    assert!(product.variants.len() > 1);
    let v = product
        .variants
        .iter()
        .find(|v| v.available)
        .unwrap()
        .variant_id
        .clone();
    let LinkAdd::Added { cart } = r
        .service
        .add_by_link("https://staging.luma.gift/products/hero-hoodie", Some(v), 2)
        .await
        .unwrap()
    else {
        panic!("not added")
    };
    assert_eq!(cart.item_count, 3);
    // A link the merchant does not sell through Firmly, or not a link at all.
    for bad in [
        "https://staging.luma.gift/products/no-such-thing",
        "https://nocatalog.test/products/x",
        "hero hoodie",
    ] {
        let e = r.service.add_by_link(bad, None, 1).await.unwrap_err();
        assert_eq!(
            (e.code, e.field),
            (ErrorCode::Validation, Some(Field::Link)),
            "{bad}"
        );
    }
}
both_profiles!(a_product_link_adds_it_or_asks_for_its_variant);

async fn a_removal_and_a_clear_can_be_undone(profile: Profile) {
    let r = rig(profile).await;
    r.service.add_item(&LUMA, "MH07-M-Black", 2).await.unwrap();
    let cart = r.service.add_item(&LUMA, "WS12-S-Blue", 1).await.unwrap();
    let tee = cart
        .line_items
        .iter()
        .find(|l| l.variant_id.as_deref() == Some("WS12-S-Blue"))
        .unwrap()
        .line_item_id
        .clone();
    let cart = r.service.set_quantity(&LUMA, &tee, 0).await.unwrap();
    assert_eq!(cart.item_count, 2);
    let cart = r.service.undo_removal(&LUMA).await.unwrap();
    assert_eq!(cart.item_count, 3, "the tee is back");
    let cart = r.service.clear_cart(&LUMA).await.unwrap();
    assert_eq!(cart.item_count, 0);
    let cart = r.service.undo_removal(&LUMA).await.unwrap();
    assert_eq!(cart.item_count, 3, "everything is back, quantities too");
    // Once only.
    let e = r.service.undo_removal(&LUMA).await.unwrap_err();
    assert_eq!(e.field, Some(Field::Undo));
}
both_profiles!(a_removal_and_a_clear_can_be_undone);

#[test]
fn the_card_check_names_the_brand_and_its_cvv_length() {
    let check = |number: &str| {
        validation::card_check(&CardInput {
            number: number.into(),
            name: "Ada".into(),
            exp_month: "12".into(),
            exp_year: "2031".into(),
            cvv: "123".into(),
        })
    };
    let visa = check(APPROVED);
    assert_eq!(
        (visa.brand, visa.cvv_digits),
        (Some(CardBrandView::Visa), 3)
    );
    assert!(visa.problems.is_empty());
    let amex = check("3782 822463 10005");
    assert_eq!(
        (amex.brand, amex.cvv_digits),
        (Some(CardBrandView::Amex), 4)
    );
    assert!(
        amex.problems.iter().any(|p| p.field == Field::Cvv),
        "a 3-digit CVV on an Amex"
    );
    assert_eq!(check("").brand, None);
}

#[derive(Default)]
struct Progress(Mutex<Vec<(String, String)>>);

impl EventSink for Progress {
    fn cart_updated(&self, _: &CartView, _: &[MoneyView]) {}
    fn order_placed(&self, _: &OrderView) {}
    fn pay_all_progress(&self, domain: &str, p: &PayAllProgress) {
        let stage = match p {
            PayAllProgress::Waiting => "waiting",
            PayAllProgress::Paying => "paying",
            PayAllProgress::Done { .. } => "done",
            PayAllProgress::NotReady { .. } => "not_ready",
        };
        self.0.lock().unwrap().push((domain.into(), stage.into()));
    }
}

#[tokio::test]
async fn pay_all_tells_each_merchants_progress() {
    let r = rig(Profile::Demo).await;
    let dir = tempfile::tempdir().unwrap();
    let events = Arc::new(Progress::default());
    let desk = desk_with(
        &r.sandbox.base_url(),
        dir.path(),
        demo_domains(),
        Mode::Agent,
        events.clone(),
        None,
    )
    .await;
    let svc = desk.service();
    hoodie_ready(&svc).await;
    svc.add_item(&HOME, "HG-SOFA-01-Slate", 1).await.unwrap();
    svc.pay_all(card(APPROVED), None).await.unwrap();
    let seen = events.0.lock().unwrap().clone();
    let of = |d: &str| -> Vec<String> {
        seen.iter()
            .filter(|(x, _)| x == d)
            .map(|(_, s)| s.clone())
            .collect()
    };
    assert_eq!(of(&LUMA), vec!["waiting", "paying", "done"]);
    assert_eq!(of(&HOME), vec!["waiting", "not_ready"]);
}

async fn the_catalog_grid_gets_its_prices(profile: Profile) {
    let r = rig(profile).await;
    let prices = r
        .service
        .product_prices(
            &LUMA,
            vec![
                "hero-hoodie".into(),
                "no-such-thing".into(),
                "fusion-backpack".into(),
            ],
        )
        .await
        .unwrap();
    let of = |h: &str| prices.iter().find(|p| p.handle == h);
    let hoodie = of("hero-hoodie").expect("the hoodie's price");
    assert_eq!(
        hoodie
            .price
            .as_ref()
            .map(|m| (m.amount.as_str(), m.currency.as_str())),
        Some(("54.00", "USD"))
    );
    assert!(hoodie.available && !hoodie.price_varies);
    let backpack = of("fusion-backpack").expect("the backpack's price");
    assert_eq!(
        backpack.price.as_ref().map(|m| m.amount.as_str()),
        Some("59.00")
    );
    assert!(
        of("no-such-thing").is_none(),
        "an unreadable product has no price"
    );
    assert_eq!(prices.len(), 2);
    // The grid's reads keep each variant's add-to-cart payload: adding needs no more reads.
    let cart = r.service.add_item(&LUMA, "MH07-M-Black", 1).await.unwrap();
    assert_eq!(cart.item_count, 1);
}
both_profiles!(the_catalog_grid_gets_its_prices);

#[tokio::test]
async fn pay_all_preview_counts_the_ready_carts_and_their_total() {
    let r = rig(Profile::Demo).await;
    let empty = r.service.pay_all_preview();
    assert!(empty.ready.is_empty() && empty.total.is_empty() && empty.not_ready.is_empty());
    let luma = hoodie_ready(&r.service).await;
    r.service
        .add_item(&HOME, "HG-SOFA-01-Slate", 1)
        .await
        .unwrap();
    let preview = r.service.pay_all_preview();
    assert_eq!(preview.ready, vec![LUMA.to_string()]);
    assert_eq!(
        preview
            .total
            .iter()
            .map(|m| (m.amount.clone(), m.currency.clone()))
            .collect::<Vec<_>>(),
        vec![(luma.totals.total.amount.clone(), "USD".to_string())],
        "the ready carts' total, not the hive's"
    );
    assert_eq!(preview.not_ready.len(), 1);
    assert_eq!(preview.not_ready[0].domain, HOME.as_str());
    assert!(preview.not_ready[0]
        .blockers
        .contains(&Blocker::ShippingAddress));
    // Members takes no new card (and wants a sign-in): pay all would skip it, saying why.
    r.service
        .add_item(&MEMBERS, "MEM-TOTE-01", 1)
        .await
        .unwrap();
    let preview = r.service.pay_all_preview();
    assert_eq!(preview.ready, vec![LUMA.to_string()]);
    let members = preview
        .not_ready
        .iter()
        .find(|s| s.domain == MEMBERS.as_str())
        .expect("members is skipped");
    assert!(members.blockers.contains(&Blocker::NoPaymentMethod));
}
